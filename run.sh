#!/usr/bin/env bash
# Renders every report in content/ into out/: installs what is missing, builds
# gwpdf (Release) in build/, and prints each PDF it wrote.
set -euo pipefail
cd "$(dirname "$0")"

scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DGWPDF_TESTS=OFF >/dev/null
cmake --build build -j2 >/dev/null

mkdir -p out
status=0
for src in content/*.xml; do
  pdf="out/$(basename "${src%.xml}").pdf"
  if build/gwpdf render "$src" -o "$pdf"; then
    echo "wrote $pdf ($(stat -c %s "$pdf") bytes)"
  else
    echo "FAILED $src" >&2
    status=1
  fi
done
exit $status
