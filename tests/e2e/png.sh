#!/usr/bin/env bash
# The PNG output against the PDF: every content/*.xml, a landscape table
# (tests/data/tables/landscape.xml), Extension B text (tests/data/e2e/extension-b.xml) and
# synthetic bold (tests/data/ofd/bold.xml) are rendered to PDF and to PNG at 100 dpi (SOURCE_DATE_EPOCH fixed), the PDF rasterised
# by pdftoppm -r 100, and each page compared by pngdiff (built beside gwpdf, named by
# $GWPDF_PNGDIFF): the same page count, a pixel size of round(points / 72 × 100) (pdftoppm's
# may be a pixel more: it rounds up), the glyphs where the PDF's are (the shift in [-3, 3]²
# that best aligns the two images is (0, 0) on every page), and the share of pixels whose
# grey levels differ by more than 64 and the mean absolute difference within the bounds
# measured for each document (docs/png.md).  Then the files and the command line: OUT.png
# for one page, OUT-N.png padded to the page count's digits for several, the same bytes
# twice, a batch into DIR/ --format png byte-identical to single renders, --dpi refused out
# of 18..600 and with another format, and a source with an error (after pages were drawn)
# leaving no PNG at all and an earlier one as it was.
# Usage (ctest): bash png.sh GWPDF_BINARY SOURCE_DIR SCRATCH_DIR
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"

export SOURCE_DATE_EPOCH=1700000000
DPI=100
PNGDIFF=${GWPDF_PNGDIFF:-}
[[ -n $PNGDIFF && -x $PNGDIFF ]] ||
  { fail "GWPDF_PNGDIFF does not name the pngdiff tool (ctest sets it: tests/CMakeLists.txt)"; finish; }
command -v pdftoppm >/dev/null || { fail "pdftoppm is not installed (poppler-utils)"; finish; }

# Bounds per document: the largest share of differing pixels and mean absolute difference
# of its pages, measured with cairo 1.16 and poppler 22.12 (Debian bookworm), with a margin
# of about a quarter (docs/png.md has the measured figures).
declare -A MAX_SHARE=(
  [qinghe-2023-joint-request]=0.0095 [qinghe-2023-minutes]=0.0105
  [qinghe-2023-order]=0.0060 [qinghe-2023-performance-score-table]=0.0085
  [qinghe-2023-song-xi-xia-xiang-report]=0.0140 [zengcheng-2022-budget-self-evaluation]=0.0175
  [zengcheng-2023-letter]=0.0175 [landscape]=0.0070 [extension-b]=0.0031 [bold]=0.0034
)
declare -A MAX_MAD=(
  [qinghe-2023-joint-request]=1.80 [qinghe-2023-minutes]=2.00
  [qinghe-2023-order]=1.10 [qinghe-2023-performance-score-table]=2.05
  [qinghe-2023-song-xi-xia-xiang-report]=2.90 [zengcheng-2022-budget-self-evaluation]=4.05
  [zengcheng-2023-letter]=4.05 [landscape]=2.05 [extension-b]=0.60 [bold]=0.65
)

# page_name BASE I N: BASE-I.png, I padded to the digits of N (how both gwpdf and pdftoppm
# name the pages of a document of several)
page_name() { printf '%s-%0*d.png' "$1" "${#3}" "$2"; }

# pixels POINTS: round(POINTS / 72 × DPI)
pixels() { awk -v p="$1" -v d="$DPI" 'BEGIN { printf "%d", int(p / 72 * d + 0.5) }'; }

# png_size FILE: "WIDTHxHEIGHT" from the IHDR
png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{ printf "%dx%d", $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8 }'; }

# the files NAME*.png in DIR, sorted
pngs_of() { (cd "$1" && ls -1 -- "$2".png "$2"-*.png 2>/dev/null | sort) || true; }

compare_one() {   # NAME XML
  local name=$1 xml=$2 dir
  dir=$(dirname "$xml")
  local out=$SCRATCH/$name
  mkdir -p "$out"
  gw "$dir" render "$xml" -o "$out/$name.pdf"
  ((RC == 0)) || { fail "$name: PDF render exited $RC: $(head -c 300 "$SCRATCH/stderr.filtered")"; return; }
  gw "$dir" render "$xml" -o "$out/$name.png" --dpi "$DPI"
  ((RC == 0)) || { fail "$name: PNG render exited $RC: $(head -c 300 "$SCRATCH/stderr.filtered")"; return; }
  [[ -s $SCRATCH/stderr.filtered ]] && fail "$name: the PNG render wrote: $(head -c 300 "$SCRATCH/stderr.filtered")"
  [[ -s $SCRATCH/stdout ]] && fail "$name: the PNG render wrote to stdout"
  local pages
  pages=$(pdfinfo "$out/$name.pdf" | awk '/^Pages:/ { print $2 }')
  # the names: OUT.png alone for one page, OUT-N.png (and no OUT.png) for several
  local want=() i
  if ((pages == 1)); then
    want=("$name.png")
  else
    for ((i = 1; i <= pages; i++)); do want+=("$(page_name "$name" "$i" "$pages")"); done
  fi
  local got
  got=$(pngs_of "$out" "$name")
  [[ $got == "$(printf '%s\n' "${want[@]}" | sort)" ]] ||
    { fail "$name: $pages pages gave the files [$(echo $got)], expected [${want[*]}]"; return; }
  pdftoppm -r "$DPI" -png "$out/$name.pdf" "$out/ref"
  local worst_share=0 worst_mad=0 line share mad
  for ((i = 1; i <= pages; i++)); do
    local ours=$out/${want[i - 1]} ref=$out/$(page_name ref "$i" "$pages")
    local size w h
    read -r w h < <(pdfinfo -f "$i" -l "$i" "$out/$name.pdf" |
      awk '/^Page +[0-9]+ size:/ { print $4, $6 }')
    size=$(png_size "$ours")
    [[ $size == "$(pixels "$w")x$(pixels "$h")" ]] ||
      fail "$name page $i: $size pixels, expected $(pixels "$w")x$(pixels "$h") for $w x $h pt"
    line=$("$PNGDIFF" "$ours" "$ref" --max-share "${MAX_SHARE[$name]}" --max-mad "${MAX_MAD[$name]}") ||
      fail "$name page $i: pngdiff: $line (bounds: share ${MAX_SHARE[$name]}, mad ${MAX_MAD[$name]})"
    share=$(awk '{ for (k = 1; k < NF; k++) if ($k == "share") print $(k + 1) }' <<<"$line")
    mad=$(awk '{ for (k = 1; k < NF; k++) if ($k == "mad") print $(k + 1) }' <<<"$line")
    worst_share=$(awk -v a="$worst_share" -v b="${share:-1}" 'BEGIN { print (b > a ? b : a) }')
    worst_mad=$(awk -v a="$worst_mad" -v b="${mad:-255}" 'BEGIN { print (b > a ? b : a) }')
  done
  printf '%s: %d pages, largest share of differing pixels %s, largest mean abs difference %s\n' \
    "$name" "$pages" "$worst_share" "$worst_mad"
}

for xml in "$SRC"/content/*.xml "$SRC/tests/data/tables/landscape.xml" "$DATA/extension-b.xml" \
  "$SRC/tests/data/ofd/bold.xml"; do
  name=$(basename "$xml" .xml)
  [[ -n ${MAX_SHARE[$name]:-} ]] || { fail "$name: no bounds for it in png.sh (measure, then add)"; continue; }
  compare_one "$name" "$xml"
done

# ---- the same bytes twice; a batch into DIR/ as single renders -----------------------
W=$SCRATCH/w
mkdir -p "$W/batch" "$W/single"
cp "$SRC"/content/*.png "$W/"
cp "$SRC/content/zengcheng-2023-letter.xml" "$SRC/content/zengcheng-2022-budget-self-evaluation.xml" \
  "$SRC/content/qinghe-2023-song-xi-xia-xiang-report.xml" "$W/"
gw "$W" render zengcheng-2023-letter.xml -o single/again.png --dpi "$DPI"
for f in "$SCRATCH"/zengcheng-2023-letter/zengcheng-2023-letter-*.png; do
  n=${f##*-}
  cmp -s "$f" "$W/single/again-$n" || fail "two renders of the letter gave different bytes for page ${n%.png}"
done
gw "$W" render zengcheng-2022-budget-self-evaluation.xml qinghe-2023-song-xi-xia-xiang-report.xml \
  -o batch/ --format png --dpi "$DPI" -j 2
((RC == 0)) || fail "batch -o DIR/ --format png exited $RC: $(head -c 300 "$SCRATCH/stderr.filtered")"
batch=$(cd "$W/batch" && ls -1 | sort)
want=$(printf '%s\n' qinghe-2023-song-xi-xia-xiang-report.png \
  zengcheng-2022-budget-self-evaluation-{1..7}.png | sort)
[[ $batch == "$want" ]] || fail "batch into DIR/: files [$(echo $batch)], expected [$(echo $want)]"
for f in "$W"/batch/*.png; do
  b=$(basename "$f")
  doc=${b%.png}
  [[ $doc == zengcheng-* ]] && doc=zengcheng-2022-budget-self-evaluation
  cmp -s "$f" "$SCRATCH/$doc/$b" || fail "batch: $b differs from the single render's"
done
# the extension names the format; the default resolution is 150 dpi
gw "$W" render qinghe-2023-song-xi-xia-xiang-report.xml -o single/report.PNG
((RC == 0)) || fail "render -o report.PNG exited $RC"
[[ $(png_size "$W/single/report.PNG") == 1240x1754 ]] ||
  fail "the default resolution: $(png_size "$W/single/report.PNG"), expected 1240x1754 (150 dpi)"
echo "ok   files: one page OUT.png, several OUT-N.png padded, batch DIR/NAME[-N].png, same bytes"

# ---- the command line -----------------------------------------------------------------
expect_refusal() {   # WHAT EXPECTED-FIRST-LINE ARGS...
  local what=$1 line=$2
  shift 2
  rm -rf "$W/none" && mkdir "$W/none"
  gw "$W" render qinghe-2023-song-xi-xia-xiang-report.xml "$@"
  ((RC == 2)) || fail "$what: exit status $RC, want 2"
  [[ $(head -n 1 "$SCRATCH/stderr") == "$line" ]] ||
    fail "$what: stderr is '$(head -n 1 "$SCRATCH/stderr")', want '$line'"
  [[ -z $(ls -A "$W/none") ]] || fail "$what: files were written: $(ls -A "$W/none")"
}
for bad in 17 601 0 -5 abc 100dpi 1e2; do
  expect_refusal "--dpi $bad" "gwpdf: --dpi expects pixels an inch from 18 to 600, got '$bad'" \
    -o none/out.png --dpi "$bad"
done
expect_refusal "--dpi with a PDF" "gwpdf: --dpi is the resolution of PNG images, but the output is pdf" \
  -o none/out.pdf --dpi 100
expect_refusal "--dpi with --format ofd" "gwpdf: --dpi is the resolution of PNG images, but the output is ofd" \
  -o none/ --format ofd --dpi 100
expect_refusal "--format png with out.pdf" "gwpdf: -o none/out.pdf names a .pdf file, but --format says png" \
  -o none/out.pdf --format png
gw "$W" render qinghe-2023-song-xi-xia-xiang-report.xml -o "$W/none/x.png" --dpi 18
((RC == 0)) || fail "--dpi 18 exited $RC"
gw "$W" render qinghe-2023-song-xi-xia-xiang-report.xml -o "$W/none/y.png" --dpi 600
((RC == 0)) || fail "--dpi 600 exited $RC"
[[ $(png_size "$W/none/x.png") == 149x210 && $(png_size "$W/none/y.png") == 4961x7016 ]] ||
  fail "--dpi 18 and 600: $(png_size "$W/none/x.png"), $(png_size "$W/none/y.png")"
echo "ok   --dpi 18..600, refused outside and with another format"

# ---- a source with an error: no PNG at all, an earlier one as it was --------------------
# The bad character is in the last paragraph, so six pages are drawn before it is met.
sed 's|既重“绩”，更重“效”。</p>|既重“绩”，更重“效”𰻞。</p>|' \
  "$W/zengcheng-2022-budget-self-evaluation.xml" >"$W/bad.xml"
grep -q '𰻞' "$W/bad.xml" || fail "could not make bad.xml"
rm -rf "$W/fail" && mkdir "$W/fail"
gw "$W" render bad.xml -o fail/bad.png
((RC == 1)) || fail "a source with an error: exit status $RC, want 1"
grep -q "no font can draw '𰻞'" "$SCRATCH/stderr" || fail "a source with an error: no message: $(head -c 300 "$SCRATCH/stderr")"
[[ -z $(ls -A "$W/fail") ]] || fail "a source with an error left files: $(ls -A "$W/fail")"
echo "earlier" >"$W/fail/bad-1.png"
gw "$W" render bad.xml -o fail/bad.png
[[ $(cat "$W/fail/bad-1.png") == earlier && $(ls -A "$W/fail") == bad-1.png ]] ||
  fail "a source with an error changed the files there: $(ls -A "$W/fail")"
echo "ok   a failed render writes no PNG"

finish
