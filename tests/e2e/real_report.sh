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

render_ok real-report "$SRC" "$XML" "$PDF" || finish

python3 "$PDFCHECK" report "$PDF" "$SEED" "$XML" "$SCRATCH" || FAILS=$((FAILS + 1))
finish
