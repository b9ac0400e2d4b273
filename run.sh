#!/usr/bin/env bash
# Renders every report in content/ into out/, as PDF and as OFD: installs what is
# missing, builds gwpdf (Release) in build/, and prints each file it wrote.
set -euo pipefail
cd "$(dirname "$0")"

scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DGWPDF_TESTS=OFF >/dev/null
cmake --build build -j2 >/dev/null

mkdir -p out
status=0
for src in content/*.xml; do
  for ext in pdf ofd; do
    out="out/$(basename "${src%.xml}").$ext"
    if build/gwpdf render "$src" -o "$out"; then
      echo "wrote $out ($(stat -c %s "$out") bytes)"
    else
      echo "FAILED $src ($ext)" >&2
      status=1
    fi
  done
done
exit $status
