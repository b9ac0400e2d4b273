#!/usr/bin/env bash
# Tables read back from the PDF (tablecheck.py, glyph by glyph with Debian's pdfminer):
# the head on every page a table spans (also in pdftotext of each page), each cell's text
# contiguous and in source order, no row split across pages, everything in the type area.
# Documents: the score table of content/ and tests/data/tables/*.xml.
# Usage (ctest): bash tables.sh GWPDF_BINARY SOURCE_DIR SCRATCH_DIR
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"

PY=/usr/bin/python3
if ! "$PY" -c 'import pdfminer.converter' 2>/dev/null; then
  fail "$PY cannot import pdfminer: install Debian's python3-pdfminer (scripts/deps.sh)"
  finish
fi

docs=("$SRC"/content/qinghe-2023-performance-score-table.xml "$SRC"/tests/data/tables/*.xml)
for xml in "${docs[@]}"; do
  name=$(basename "$xml" .xml)
  pdf=$SCRATCH/$name.pdf
  echo "== $name"
  render_ok "$name" "$(dirname "$xml")" "$xml" "$pdf" || continue
  pages=$(pdfinfo "$pdf" | sed -n 's/^Pages: *//p')
  ((pages >= 3)) || fail "$name: $pages page(s); the test wants a table over at least 3 pages"
  turned=()
  grep -q 'orient="landscape"' "$xml" && turned=(--landscape)
  "$PY" "$E2E/tablecheck.py" "$pdf" "$xml" "${turned[@]}" || fail "$name: see above"
done
finish
