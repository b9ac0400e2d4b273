#!/usr/bin/env bash
# `gwpdf import FILE.docx` (issue 18): the packages tests/data/import/docx/make_docx.py
# writes — Word documents numbered by Word (一、 （一） 1. （1） and ① lists), with heading
# styles through basedOn, tracked changes, fields, breaks, symbols, hyphens, a text box
# with its VML fallback, a content control, a footnote reference, tables with head rows and
# cells merged down and across, a landscape section, bold runs and page breaks — import
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

# check_document DIR FILE EXPECTED_XML [LIBREOFFICE_TXT]: DIR/FILE (NAME.docx or NAME.dotx)
# imports to exactly EXPECTED_XML with exactly the warnings of DIR/NAME.expected.err (or
# $DOCX/NAME.expected.err),
# renders, and the PDF holds the text of every paragraph and cell of the source in order —
# and, when given, every line of LibreOffice's plain text of the .docx, in order (a list or
# heading number at a line's start aside: format v1 may number a Word list otherwise).
check_document() {
  local dir=$1 file=$2 expected=$3 txt=${4:-}
  local name=${file%.*}
  local err=$dir/$name.expected.err
  [[ -e $err ]] || err=$DOCX/$name.expected.err
  gw "$dir" import "$file" -o "$SCRATCH/$name.xml"
  ((RC == 0)) || { fail "$file: import exited $RC: $(head -c 300 "$SCRATCH/stderr")"; return; }
  diff -u "$expected" "$SCRATCH/$name.xml" >"$SCRATCH/diff" ||
    fail "$file: the source differs from $expected:$(head -40 "$SCRATCH/diff")"
  diff -u "$err" "$SCRATCH/stderr" >"$SCRATCH/diff" ||
    fail "$file: the warnings differ from $err:$(head -20 "$SCRATCH/diff")"
  # A seal the source refers to was written beside it, a PNG; the very bytes of the
  # picture when the fixture keeps them beside the .docx.
  local src
  for src in $(grep -o '<seal src="[^"]*"' "$SCRATCH/$name.xml" | cut -d'"' -f2); do
    if ! head -c 8 "$SCRATCH/$src" 2>/dev/null | grep -q PNG; then
      fail "$file: the source refers to $src, which is not a PNG written beside it"
    elif [[ -e $dir/$src ]] && ! cmp -s "$dir/$src" "$SCRATCH/$src"; then
      fail "$file: $src differs from the picture in the .docx ($dir/$src)"
    fi
  done
  gw "$SCRATCH" render "$name.xml" -o "$name.pdf"
  ((RC == 0)) || { fail "$file: its source does not render: $(head -c 300 "$SCRATCH/stderr")"; return; }
  # The page numbers (— 3 —) stand between a page's last line and the next page's first.
  pdftotext -raw "$SCRATCH/$name.pdf" - | grep -v -E '^— [0-9]+ —$' | tr -d ' \n\f' \
    >"$SCRATCH/$name.pdftext"
  python3 - "$SCRATCH/$name.xml" "$SCRATCH/$name.pdftext" "$txt" <<'PY' ||
import re, sys, xml.etree.ElementTree as E
texts = [re.sub(r'\s', '', ''.join(e.itertext())) for e in E.parse(sys.argv[1]).iter()
         if e.tag in ('label', 'title', 'heading', 'p', 'item', 'issuer')
         or (e.tag in ('td', 'th') and e.find('p') is None)]
pdf = open(sys.argv[2], encoding='utf-8').read()
def in_order(what, texts):
    at = 0
    for t in texts:
        k = pdf.find(t, at)
        if k < 0:
            print(f'FAIL: {what}: {t!r} not found in the PDF after character {at}', file=sys.stderr)
            sys.exit(1)
        at = k + len(t)
in_order('the source', [t for t in texts if t])
if sys.argv[3]:
    number = re.compile(r'^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．]|（\d+）|[①-⑳])')
    lines = [number.sub('', re.sub(r'\s', '', line))
             for line in open(sys.argv[3], encoding='utf-8-sig')]
    in_order("LibreOffice's text", [t for t in lines if t])
PY
    fail "$file: text missing from the PDF, see above"
}

DOCUMENTS=" numbered styled tables "
for name in $DOCUMENTS; do
  check_document "$PKG" "$name.docx" "$DOCX/$name.expected.xml"
done

# Real .docx files (tests/data/import/docx/regenerate.sh makes them): saved by LibreOffice
# Writer from what a clerk types there, and written by python3-docx.
LO=$DOCX/libreoffice
check_document "$LO" project.docx "$LO/project.xml" "$LO/project.txt"
# Whole 公文 typed in Writer import to the tree their text gives (tests/data/import/gongwen/),
# the 版头 read from its text frame; the issued 方案's table keeps Writer's column widths.
check_document "$LO" gongwen-attachments.docx "$SRC/tests/data/import/gongwen/attachments.xml" \
  "$LO/gongwen-attachments.txt"
check_document "$LO" gongwen-issued.docx "$LO/gongwen-issued.expected.xml" "$LO/gongwen-issued.txt"
# The real report, typed in Writer with its headings numbered by the outline or by a list
# style, imports to the tree its text import gives.
gw "$SRC/tests/data/e2e" import seed-zengcheng-2022.txt -o "$SCRATCH/seed.xml"
((RC == 0)) && cmp -s "$SCRATCH/seed.xml" "$SRC/tests/data/import/seed-zengcheng-2022.xml" ||
  fail "the seed's text import: exit $RC or not tests/data/import/seed-zengcheng-2022.xml"
for name in zengcheng-2022 zengcheng-2022-lists; do
  check_document "$LO" "$name.docx" "$SCRATCH/seed.xml" "$LO/$name.txt"
done
check_document "$DOCX/python-docx" library.docx "$DOCX/python-docx/library.expected.xml" \
  "$DOCX/python-docx/library.txt"
# Public files, as their authors published them (public/SOURCES.md).
PUB=$DOCX/public
for file in gongwen-template-lite.dotx gongwen-template-lite-out.docx; do
  check_document "$PUB" "$file" "$PUB/${file%.*}.expected.xml" "$PUB/${file%.*}.txt"
done

for err in "$DOCX"/*.expected.err; do
  name=$(basename "$err" .expected.err)
  [[ $DOCUMENTS == *" $name "* ]] && continue
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
