#!/usr/bin/env bash
# `gwpdf import FILE.docx` (issue 18, first part): the packages tests/data/import/docx/
# make_docx.py writes — Word documents numbered by Word (一、 （一） 1. （1） and ① lists),
# with heading styles through basedOn, tracked changes, fields, breaks, symbols, hyphens, a
# text box with its VML fallback, a content control, a table, a footnote reference — import
# to exactly NAME.expected.xml with exactly the warnings of NAME.expected.err (positions are
# paragraphs, ¶N), and render with their text; hostile packages (a part inflating past the
# limit, a header lying about its size, a 2 GB declared size, '..' and absolute names, a
# part twice, no document part, a DOCTYPE with entities, an encrypted entry, an Excel
# workbook, an OLE .doc, a damaged ZIP, XML cut short) each fail with exit 1 and exactly
# their NAME.expected.err line, writing nothing. The kind is found from the content: a
# .docx renamed .txt still imports, a text renamed .docx is read as text.
# Usage (ctest): bash docx.sh GWPDF_BINARY SOURCE_DIR SCRATCH_DIR
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"

DOCX=$SRC/tests/data/import/docx
PKG=$SCRATCH/pkg
python3 "$DOCX/make_docx.py" "$PKG" || { fail "make_docx.py failed"; finish; }

for name in numbered styled; do
  gw "$PKG" import "$name.docx" -o "$SCRATCH/$name.xml"
  ((RC == 0)) || { fail "$name.docx: import exited $RC: $(head -c 300 "$SCRATCH/stderr")"; continue; }
  diff -u "$DOCX/$name.expected.xml" "$SCRATCH/$name.xml" >"$SCRATCH/diff" ||
    fail "$name.docx: the source differs from $name.expected.xml:$(head -40 "$SCRATCH/diff")"
  diff -u "$DOCX/$name.expected.err" "$SCRATCH/stderr" >"$SCRATCH/diff" ||
    fail "$name.docx: the warnings differ from $name.expected.err:$(head -20 "$SCRATCH/diff")"
  gw "$SCRATCH" render "$name.xml" -o "$name.pdf"
  ((RC == 0)) || { fail "$name.docx: its source does not render: $(head -c 300 "$SCRATCH/stderr")"; continue; }
  # Every paragraph's text in the PDF, in order (the generated numbers aside).
  pdftotext -raw "$SCRATCH/$name.pdf" - | tr -d ' \n\f' >"$SCRATCH/$name.pdftext"
  python3 - "$SCRATCH/$name.xml" "$SCRATCH/$name.pdftext" <<'PY' || fail "$name.docx: text missing from the PDF, see above"
import re, sys, xml.etree.ElementTree as E
texts = [re.sub(r'\s', '', ''.join(e.itertext())) for e in E.parse(sys.argv[1]).iter()
         if e.tag in ('label', 'title', 'heading', 'p', 'item', 'issuer')]
pdf = open(sys.argv[2], encoding='utf-8').read()
at = 0
for t in texts:
    k = pdf.find(t, at)
    if k < 0:
        print(f'FAIL: {t!r} not found in the PDF after character {at}', file=sys.stderr)
        sys.exit(1)
    at = k + len(t)
PY
done

for err in "$DOCX"/*.expected.err; do
  name=$(basename "$err" .expected.err)
  [[ $name == numbered || $name == styled ]] && continue
  file=$name.docx
  [[ $name == old ]] && file=old.doc
  gw "$PKG" import "$file" -o "$SCRATCH/$name.out.xml"
  printf '%s\nexit %s\n' "$(cat "$SCRATCH/stderr")" "$RC" >"$SCRATCH/got.err"
  diff -u "$err" "$SCRATCH/got.err" >"$SCRATCH/diff" ||
    fail "$file: $(head -12 "$SCRATCH/diff")"
  [[ -e $SCRATCH/$name.out.xml ]] && fail "$file: refused, yet $name.out.xml was written"
done

# The kind from the content, not the name.
cp "$PKG/numbered.docx" "$SCRATCH/renamed.txt"
gw "$SCRATCH" import renamed.txt -o renamed.xml
((RC == 0)) && cmp -s "$SCRATCH/renamed.xml" "$DOCX/numbered.expected.xml" ||
  fail "a .docx named .txt: exit $RC or another source"
printf '一、总体情况\n正文。\n' >"$SCRATCH/text.docx"
gw "$SCRATCH" import text.docx -o text.xml
((RC == 0)) && grep -q '<heading>总体情况</heading>' "$SCRATCH/text.xml" ||
  fail "a text named .docx: exit $RC, not read as text"
finish
