#!/usr/bin/env bash
# Several documents in one process: `gwpdf render A.xml B.xml … -o DIR/ [-j N]` writes
# DIR/A.pdf, DIR/B.pdf; each PDF has the same text and embeds only its own glyphs (the
# same size, within a few hundred bytes, as the document rendered alone); a bad document
# fails alone (exit 1) while the others are written.
# Usage (ctest): bash batch.sh GWPDF_BINARY SOURCE_DIR SCRATCH_DIR
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"

REAL=$SRC/content/zengcheng-2022-budget-self-evaluation.xml
docs=("$REAL" "$DATA/no-label.xml" "$DATA/rules.xml" "$DATA/signature.xml")

mkdir -p "$SCRATCH/alone" "$SCRATCH/batch1" "$SCRATCH/batch2"
for xml in "${docs[@]}"; do
  name=$(basename "$xml" .xml)
  render_ok "alone-$name" "$SCRATCH" "$xml" "$SCRATCH/alone/$name.pdf" || finish
done

for jobs in 1 2; do
  gw "$SCRATCH" render "${docs[@]}" -o "$SCRATCH/batch$jobs/" -j "$jobs"
  [[ $RC -eq 0 ]] || fail "batch -j $jobs: exit $RC: $(head -3 "$SCRATCH/stderr.filtered")"
  [[ -s $SCRATCH/stderr.filtered ]] && fail "batch -j $jobs: stderr: $(head -3 "$SCRATCH/stderr.filtered")"
  for xml in "${docs[@]}"; do
    name=$(basename "$xml" .xml)
    pdf=$SCRATCH/batch$jobs/$name.pdf
    alone=$SCRATCH/alone/$name.pdf
    if [[ ! -f $pdf ]]; then
      fail "batch -j $jobs: $pdf was not written"
      continue
    fi
    if ! cmp -s <(pdftotext -enc UTF-8 "$pdf" - 2>/dev/null) <(pdftotext -enc UTF-8 "$alone" - 2>/dev/null); then
      fail "batch -j $jobs: $name: text differs from the document rendered alone"
    fi
    a=$(stat -c %s "$alone")
    b=$(stat -c %s "$pdf")
    (( b - a < 512 && a - b < 512 )) || fail "batch -j $jobs: $name: $b bytes, alone $a: glyphs of other documents embedded?"
    echo "ok: -j $jobs $name: $b bytes (alone $a)"
  done
done

# A bad document among good ones: exit 1, its error reported, the others written.
printf '<report version="1"><title>坏</title><foo/></report>\n' >"$SCRATCH/bad.xml"
mkdir -p "$SCRATCH/mixed"
gw "$SCRATCH" render "$DATA/no-label.xml" bad.xml "$DATA/signature.xml" -o "$SCRATCH/mixed/" -j 2
[[ $RC -eq 1 ]] || fail "mixed batch: exit $RC, expected 1"
grep -q -F 'bad.xml:1: format v1 has no element <foo> (inside <report>;' "$SCRATCH/stderr.filtered" ||
  fail "mixed batch: the bad document's error is missing: $(cat "$SCRATCH/stderr.filtered")"
[[ -f $SCRATCH/mixed/no-label.pdf && -f $SCRATCH/mixed/signature.pdf ]] ||
  fail "mixed batch: the good documents were not written"
[[ ! -e $SCRATCH/mixed/bad.pdf ]] || fail "mixed batch: a PDF was written for the bad document"
finish
