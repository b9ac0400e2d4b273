#!/usr/bin/env bash
# Draws the specimen seal of the example report (content/qinghe-seal.png): a red
# ring, a star, the fictional office's name and 样章, 42 mm at 600 dpi.  Builds the
# small make_seal tool (scripts/make_seal.c, FreeType + libpng) in build/ first.
# Usage: scripts/make-seal.sh [OUT.png [NAME [FONT[:INDEX]]]]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-content/qinghe-seal.png}
name=${2:-青禾县文化馆}
font=${3:-/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc:2}
diameter=${4:-42}
shape=${5:-}
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DGWPDF_TESTS=OFF >/dev/null
cmake --build build --target make_seal -j2 >/dev/null
build/make_seal "$out" "$font" "$name" "$diameter" $shape
echo "wrote $out"
