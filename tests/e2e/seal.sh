#!/usr/bin/env bash
# The signature block with its seal (GB/T 9704 §7.3.5.1), read back from the PDF of
# content/qinghe-2023-song-xi-xia-xiang-report.xml (sealcheck.py, Debian's pdfminer):
# the seal over the date's glyphs, issuer and date below its centre, its top within one
# row of the last body line, inside the type area, red; the seal is a stencil image
# (pdfimages), the file PDF/A-1b (archive.sh runs Preflight on content/).
# Usage (ctest): bash seal.sh GWPDF_BINARY SOURCE_DIR SCRATCH_DIR
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"

PY=/usr/bin/python3
XML=$SRC/content/qinghe-2023-song-xi-xia-xiang-report.xml
PDF=$SCRATCH/sealed.pdf
render_ok sealed "$SRC" "$XML" "$PDF" || finish
"$PY" "$E2E/sealcheck.py" "$PDF" "2024年1月15日" "青禾县文化馆" || fail "sealed: see above"
pdfimages -list "$PDF" >"$SCRATCH/images"
grep -Eq '^ +[0-9]+ +0 stencil +992 +992 ' "$SCRATCH/images" ||
  fail "the seal is not one 992x992 stencil image: $(cat "$SCRATCH/images")"
# Every character of the signature copies out.
pdftotext "$PDF" - | tr -d ' \n' | grep -q '特此报告。青禾县文化馆2024年1月15日' ||
  fail "the signature's text does not read back in order"
finish
