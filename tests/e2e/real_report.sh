#!/usr/bin/env bash
# Renders the real report (content/zengcheng-2022-budget-self-evaluation.xml) and reads the
# PDF back: page size and count (pdfinfo), structure (qpdf --check), embedded fonts
# (pdffonts), the text against the reference copy (pdftotext), and the GB/T 9704 geometry
# read from the content streams and pdftotext -bbox (pdfcheck.py report).
# Usage (ctest): bash real_report.sh GWPDF_BINARY SOURCE_DIR SCRATCH_DIR
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"

XML=$SRC/content/zengcheng-2022-budget-self-evaluation.xml
SEED=$DATA/seed-zengcheng-2022.txt
PDF=$SCRATCH/zengcheng-2022.pdf

gw "$SRC" render "$XML" -o "$PDF"
if [[ $RC -ne 0 ]]; then
  fail "gwpdf render exited $RC:"
  sed 's/^/    /' "$SCRATCH/stderr" >&2
  finish
fi
if [[ -s $SCRATCH/stderr.filtered ]]; then
  fail "gwpdf render wrote to stderr (besides font fallback warnings):"
  sed 's/^/    /' "$SCRATCH/stderr.filtered" >&2
fi
[[ -s $SCRATCH/stdout ]] && fail "gwpdf render wrote to stdout: $(head -c 200 "$SCRATCH/stdout")"
[[ $(head -c 5 "$PDF") == %PDF- ]] || fail "$PDF does not start with %PDF-"

python3 "$PDFCHECK" report "$PDF" "$SEED" "$XML" "$SCRATCH" || FAILS=$((FAILS + 1))
finish
