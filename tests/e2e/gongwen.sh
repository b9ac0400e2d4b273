#!/usr/bin/env bash
# The 公文 of format v2 (issue 14) measured in their PDFs: every content/*.xml whose root is
# <document version="2"> is rendered (SOURCE_DATE_EPOCH fixed) and read back glyph by glyph
# by gongwencheck.py against its source — 版头 (mark, 发文字号, 签发人, red rules), title and
# 主送 on the grid, body lines on the grid, 附件说明, seals, 附注, attachments with their
# labels, page numbers, 版记 and the text in order (the figures, in mm, are printed for each
# check; its docstring says what each measures).  Also: pdftotext and pdffonts read each
# file without a word on stderr, and qpdf --check finds nothing.
# Usage (ctest): bash gongwen.sh GWPDF_BINARY SOURCE_DIR SCRATCH_DIR
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"

PY=/usr/bin/python3
if ! "$PY" -c 'import pdfminer.converter' 2>/dev/null; then
  fail "$PY cannot import pdfminer: install Debian's python3-pdfminer (scripts/deps.sh)"
  finish
fi
export SOURCE_DATE_EPOCH=1700000000

# is_v2 XML: true when the root element is <document version="2">.
is_v2() {
  "$PY" -c 'import sys, xml.etree.ElementTree as E
r = E.parse(sys.argv[1]).getroot()
sys.exit(0 if r.tag == "document" and r.get("version") == "2" else 1)' "$1" 2>/dev/null
}

n=0
for xml in "$SRC"/content/*.xml; do
  is_v2 "$xml" || continue
  n=$((n + 1))
  name=$(basename "$xml" .xml)
  pdf=$SCRATCH/$name.pdf
  echo "== $name"
  render_ok "$name" "$SRC/content" "$xml" "$pdf" || continue
  "$PY" "$E2E/gongwencheck.py" "$pdf" "$xml" || fail "$name: gongwencheck.py, see above"
  for tool in "pdftotext $pdf /dev/null" "pdffonts $pdf"; do
    # shellcheck disable=SC2086  # the tool and its arguments, split on purpose
    $tool >/dev/null 2>"$SCRATCH/tool.err" || fail "$name: ${tool%% *} exited $?"
    [[ -s $SCRATCH/tool.err ]] && fail "$name: ${tool%% *} wrote to stderr: $(head -c 300 "$SCRATCH/tool.err")"
  done
  qpdf --check "$pdf" >"$SCRATCH/qpdf.out" 2>&1 ||
    fail "$name: qpdf --check: $(grep -v '^checking\|^PDF Version\|^File is not\|^No syntax' "$SCRATCH/qpdf.out" | head -5)"
done
((n > 0)) || fail "no format-v2 document (<document version=\"2\">) in content/"
finish
