#!/usr/bin/env bash
# Renders the small documents tests/data/e2e/*.xml and checks every printed line against
# the .expect file beside each (page, grid row, first character's cell, text), plus
# qpdf --check, embedded fonts, page numbers and kinsoku (pdfcheck.py expect).
# Usage (ctest): bash small_docs.sh GWPDF_BINARY SOURCE_DIR SCRATCH_DIR
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"

shopt -s nullglob
docs=("$DATA"/*.xml)
((${#docs[@]} > 0)) || fail "no documents in $DATA"
for xml in "${docs[@]}"; do
  name=$(basename "$xml" .xml)
  expect=$DATA/$name.expect
  pdf=$SCRATCH/$name.pdf
  echo "== $name"
  if [[ ! -f $expect ]]; then
    fail "$name: no $expect"
    continue
  fi
  render_ok "$name" "$DATA" "$name.xml" "$pdf" || continue
  python3 "$PDFCHECK" expect "$pdf" "$expect" "$SCRATCH" || fail "$name: see above"
done
finish
