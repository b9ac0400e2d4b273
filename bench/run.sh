#!/usr/bin/env bash
# Benchmarks: builds gwpdf in Release (build-bench/), renders the real report and
# generated reports of 10, 100, 1000 and 2000 pages (bench/gen.py, reproducible),
# each RUNS times, and prints: case, pages, median ms, peak RSS MB (the largest of
# the runs), model MB (peak RSS of `gwpdf lint` on the same file, which loads the
# same document model and nothing else), PDF KB.  Usage: bench/run.sh [RUNS]
# (default 5)
# Numbers are for this machine; docs/performance.md records them.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}

scripts/deps.sh
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DGWPDF_TESTS=OFF >/dev/null
cmake --build build-bench -j2 --target gwpdf >/dev/null
BIN=build-bench/gwpdf
WORK=build-bench/cases
mkdir -p "$WORK"

cases=("real:content/zengcheng-2022-budget-self-evaluation.xml")
for n in 10 100 1000 2000; do
  [[ -f $WORK/gen-$n.xml ]] || python3 bench/gen.py "$n" "$WORK/gen-$n.xml"
  cases+=("gen-$n:$WORK/gen-$n.xml")
done

printf '%-10s %6s %10s %12s %9s %10s\n' case pages "median ms" "peak RSS MB" "model MB" "PDF KB"
for c in "${cases[@]}"; do
  name=${c%%:*}
  xml=${c#*:}
  pdf=$WORK/$name.pdf
  times=()
  peak=0
  for ((i = 0; i < RUNS; i++)); do
    out=$(/usr/bin/time -f '%e %M' "$BIN" render "$xml" -o "$pdf" 2>&1 >/dev/null | tail -1)
    ms=$(awk -v s="${out% *}" 'BEGIN { printf "%d", s * 1000 }')
    kb=${out#* }
    times+=("$ms")
    ((kb > peak)) && peak=$kb
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  pages=$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
  model=$( (/usr/bin/time -f %M "$BIN" lint "$xml" 2>&1 >/dev/null || true) | tail -1)
  printf '%-10s %6s %10s %12.1f %9.1f %10d\n' "$name" "$pages" "$median" \
    "$(awk -v k="$peak" 'BEGIN { print k / 1024 }')" "$(awk -v k="$model" 'BEGIN { print k / 1024 }')" \
    "$(( $(stat -c %s "$pdf") / 1024 ))"
done

# Batch: 100 copies of the real report in one process (fonts loaded once), on one
# core and on two; documents per second from the median wall time of the runs.
mkdir -p "$WORK/batch-in" "$WORK/batch-out"
for i in $(seq -w 1 100); do
  cp content/zengcheng-2022-budget-self-evaluation.xml "$WORK/batch-in/r$i.xml"
done
for jobs in 1 2; do
  times=()
  for ((i = 0; i < RUNS; i++)); do
    s=$(/usr/bin/time -f '%e' "$BIN" render "$WORK"/batch-in/*.xml -o "$WORK/batch-out/" -j "$jobs" 2>&1 >/dev/null | tail -1)
    times+=("$s")
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  printf 'batch of 100 real reports, -j %d: %s s, %.0f documents/s\n' "$jobs" "$median" \
    "$(awk -v t="$median" 'BEGIN { print 100 / t }')"
done
