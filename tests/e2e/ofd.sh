#!/usr/bin/env bash
# The OFD output (issue 17) read back by an independent reader and measured against the
# PDF of the same source: every content/*.xml, a landscape table (tests/data/tables/
# landscape.xml), Extension B text (tests/data/e2e/extension-b.xml) and synthetic bold
# with spaced Latin text (tests/data/ofd/bold.xml) are rendered to PDF and to OFD
# (SOURCE_DATE_EPOCH fixed); each package must pass `unzip -t`, give the same bytes twice, and satisfy ofdcheck.py — its parts valid against
# the GB/T 33190 schemas, IDs unique and below MaxUnitID, every embedded font opened by
# FreeType covering what it sets, DocInfo and the outline as the PDF's, and what ofd.js
# 0.2.6 draws in headless Chromium (tests/browser/ofdread.js) equal to the PDF: the text
# page by page as pdftotext -raw gives it, each glyph within 0.5 mm of the PDF's, red where
# the PDF is red, the seals in the PDF's boxes.  Then the command line: the format from the
# extension or --format, a batch into DIR/ --format ofd byte-identical to single renders, a
# name that contradicts --format refused, a failed render leaving no package, /dev/null.
#
# The schemas are read from ../shared/ofd-schema beside the repository, or from
# $GWPDF_OFD_SCHEMAS; where neither exists the schema check alone is skipped, saying so.
# Usage (ctest): bash ofd.sh GWPDF_BINARY SOURCE_DIR SCRATCH_DIR
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"

PY=/usr/bin/python3
export SOURCE_DATE_EPOCH=1700000000
READER=$SRC/tests/browser/ofdread.js
# 96 px to the inch: ofd.js 0.2.6 scales a seal's bitmap by a 96-dpi constant, so only at
# this scale does it draw the image in the box the file gives (tests/browser/README.md).
SCALE=3.7795275590551185
SCHEMAS=${GWPDF_OFD_SCHEMAS:-$SRC/../shared/ofd-schema}
schema_args=()
if [[ -f $SCHEMAS/Page.xsd ]]; then
  schema_args=(--schemas "$SCHEMAS")
else
  echo "NOTE: no OFD schemas at $SCHEMAS: the schema check is skipped (set GWPDF_OFD_SCHEMAS)"
fi
for tool in node unzip fc-query xmllint; do
  command -v "$tool" >/dev/null || { fail "$tool is not installed (scripts/deps.sh, scripts/browser-deps.sh)"; finish; }
done
[[ -d $SRC/tests/browser/node_modules/ofd.js ]] ||
  { fail "tests/browser/node_modules is missing: run scripts/browser-deps.sh"; finish; }

check_one() {   # NAME XML
  local name=$1 xml=$2 dir
  dir=$(dirname "$xml")
  local pdf=$SCRATCH/$name.pdf ofd=$SCRATCH/$name.ofd
  echo "== $name"
  gw "$dir" render "$xml" -o "$pdf"
  ((RC == 0)) || { fail "$name: PDF render exited $RC: $(head -c 300 "$SCRATCH/stderr.filtered")"; return; }
  gw "$dir" render "$xml" -o "$ofd"
  ((RC == 0)) || { fail "$name: OFD render exited $RC: $(head -c 300 "$SCRATCH/stderr.filtered")"; return; }
  [[ -s $SCRATCH/stderr.filtered ]] && fail "$name: the OFD render wrote: $(head -c 300 "$SCRATCH/stderr.filtered")"
  gw "$dir" render "$xml" -o "$SCRATCH/again.ofd"
  cmp -s "$ofd" "$SCRATCH/again.ofd" || fail "$name: two renders gave different OFD bytes"
  unzip -tq "$ofd" >"$SCRATCH/unzip.out" 2>&1 || fail "$name: unzip -t: $(head -c 300 "$SCRATCH/unzip.out")"
  rm -rf "$SCRATCH/pkg" && mkdir "$SCRATCH/pkg" && (cd "$SCRATCH/pkg" && unzip -q "$ofd")
  local rc=0
  node "$READER" "$ofd" "$SCRATCH/$name.json" --scale "$SCALE" >"$SCRATCH/reader.out" 2>&1 || rc=$?
  ((rc == 0)) || { fail "$name: ofd.js could not read the package (exit $rc): $(head -c 400 "$SCRATCH/reader.out")"; return; }
  "$PY" "$E2E/ofdcheck.py" "$pdf" "$SCRATCH/pkg" "$SCRATCH/$name.json" "${schema_args[@]}" ||
    fail "$name: ofdcheck.py, see above"
  printf '%s: PDF %s bytes, OFD %s bytes\n' "$name" "$(stat -c %s "$pdf")" "$(stat -c %s "$ofd")"
}

for xml in "$SRC"/content/*.xml "$SRC/tests/data/tables/landscape.xml" "$SRC/tests/data/e2e/extension-b.xml" \
    "$SRC/tests/data/ofd/bold.xml"; do
  check_one "$(basename "$xml" .xml)" "$xml"
done

# Synthetic bold (fill and stroke in the PDF, text render mode 2) is a stroked TextObject;
# ofd.js ignores Stroke, so it is checked in the package: every Han <b> character of the
# source (its digits have a bold design, Liberation Serif Bold, and need no stroke).
bold_chars=$(unzip -p "$SCRATCH/bold.ofd" '*Content.xml' |
  grep -o '<ofd:TextObject[^>]*Stroke="true"[^>]*>.*</ofd:TextObject>' | sed 's/<[^>]*>//g' | tr -d '\n')
[[ $bold_chars == "年月日前特此说明。" ]] ||
  fail "bold.ofd: the stroked (synthetic bold) text is '$bold_chars', not the source's <b> text"

echo "== the command line"
REPORT=$SRC/content/zengcheng-2022-budget-self-evaluation.xml
LETTER=$SRC/content/zengcheng-2023-letter.xml
mkdir -p "$SCRATCH/batch"
gw "$SRC/content" render "$REPORT" "$LETTER" -o "$SCRATCH/batch/" --format ofd -j 2
((RC == 0)) || fail "batch --format ofd exited $RC: $(head -c 300 "$SCRATCH/stderr.filtered")"
for n in zengcheng-2022-budget-self-evaluation zengcheng-2023-letter; do
  cmp -s "$SCRATCH/batch/$n.ofd" "$SCRATCH/$n.ofd" || fail "batch: $n.ofd differs from the single render"
done
[[ -z $(find "$SCRATCH/batch" -name '*.pdf') ]] || fail "batch --format ofd wrote PDFs"
gw "$SRC/content" render "$REPORT" -o "$SCRATCH/stdout.bin" --format ofd
((RC == 0)) && cmp -s "$SCRATCH/stdout.bin" "$SCRATCH/zengcheng-2022-budget-self-evaluation.ofd" ||
  fail "--format ofd with a name without .ofd: exit $RC or other bytes"
gw "$SRC/content" render "$REPORT" -o "$SCRATCH/x.pdf" --format ofd
((RC == 2)) && grep -q 'names a .pdf file, but --format says ofd' "$SCRATCH/stderr" ||
  fail "-o x.pdf --format ofd: exit $RC, $(head -c 200 "$SCRATCH/stderr")"
[[ -e $SCRATCH/x.pdf ]] && fail "-o x.pdf --format ofd wrote a file"
gw "$SRC/content" render "$REPORT" -o "$SCRATCH/x.png" --format ofd
((RC == 2)) && grep -q 'names a .png file, but --format says ofd' "$SCRATCH/stderr" ||
  fail "-o x.png --format ofd: exit $RC, $(head -c 200 "$SCRATCH/stderr")"
[[ -e $SCRATCH/x.png ]] && fail "-o x.png --format ofd wrote a file"
gw "$SRC/content" render "$REPORT" -o /dev/null --format ofd
((RC == 0)) && [[ -c /dev/null ]] || fail "-o /dev/null --format ofd: exit $RC"
printf '<report version="1"><title>坏</title><p>未闭合</report>\n' >"$SCRATCH/bad.xml"
gw "$SCRATCH" render "$SCRATCH/bad.xml" -o "$SCRATCH/bad.ofd"
((RC == 1)) || fail "a bad source to OFD: exit $RC, not 1"
[[ -e $SCRATCH/bad.ofd ]] && fail "a bad source left $SCRATCH/bad.ofd"
[[ -z $(find "$SCRATCH" -maxdepth 1 -name 'bad.ofd*') ]] || fail "a bad source left a temporary file"
finish
