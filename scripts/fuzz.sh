#!/usr/bin/env bash
# Fuzzes the whole gwpdf pipeline (XML → model → layout → PDF in memory) with
# libFuzzer, ASan, UBSan and LeakSanitizer: tests/fuzz/fuzz_render.c, built in
# build-fuzz/ with clang and -DGWPDF_FUZZ=ON.  docs/fuzzing.md explains it all.
#
#   scripts/fuzz.sh [SECONDS]   fuzz for SECONDS (default 600) on one core, in
#                               build-fuzz/corpus, crashes in build-fuzz/artifacts/
#   scripts/fuzz.sh --replay    no fuzzing: run every file of tests/fuzz/regressions/
#                               and tests/fuzz/seeds/ once (a cheap regression check)
#   scripts/fuzz.sh --docx [SECONDS | --replay]
#                               the same for the .docx import (tests/fuzz/fuzz_docx.c),
#                               corpus build-fuzz/corpus-docx, seeded with the packages
#                               of tests/data/import/docx/make_docx.py
#   scripts/fuzz.sh --text [SECONDS | --replay]
#                               the same for the text import (tests/fuzz/fuzz_import.c),
#                               corpus build-fuzz/corpus-text, seeded with the texts of
#                               tests/data/ (the report, our 公文, the published ones)
#   scripts/fuzz.sh --reply [SECONDS]
#                               the server's JSON answers built from a worker's messages
#                               (tests/fuzz/fuzz_reply.c), corpus build-fuzz/corpus-reply,
#                               seeded with the messages of tests/bad/*.err
#
# Exit status: 0 nothing found; 1 a crash, sanitizer report, leak, timeout or
# out-of-memory (the input is saved in build-fuzz/artifacts/); 2 usage or build error.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$ROOT/build-fuzz
BIN=$BUILD/fuzz_render

usage() {
  sed -n '2,24p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit 2
}

TARGET=render
if [ "${1:-}" = --docx ]; then
  TARGET=docx
  BIN=$BUILD/fuzz_docx
  shift
elif [ "${1:-}" = --text ]; then
  TARGET=import
  BIN=$BUILD/fuzz_import
  shift
elif [ "${1:-}" = --reply ]; then
  TARGET=reply
  BIN=$BUILD/fuzz_reply
  shift
fi
TEXT_SEEDS=(tests/data/e2e/seed-zengcheng-2022.txt tests/data/import/*.txt
            tests/data/import/gongwen/*.txt tests/data/import/real/*.txt
            tests/fuzz/regressions-text/*)

MODE=fuzz
SECONDS_TO_RUN=600
case "${1:-}" in
  "") ;;
  --replay) MODE=replay ;;
  -h|--help) usage ;;
  *)
    if ! [[ $1 =~ ^[1-9][0-9]*$ ]]; then
      echo "fuzz.sh: expected SECONDS (a positive integer) or --replay, got '$1'" >&2
      exit 2
    fi
    SECONDS_TO_RUN=$1 ;;
esac
[ $# -le 1 ] || usage

# --- Packages: gwpdf's own, plus clang and libFuzzer (scripts/deps.sh) ------
"$ROOT/scripts/deps.sh" clang libclang-rt-14-dev

# --- Build -------------------------------------------------------------------
CC=clang cmake -S "$ROOT" -B "$BUILD" -DGWPDF_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null \
  || { echo "fuzz.sh: configuring $BUILD failed" >&2; exit 2; }
cmake --build "$BUILD" -j2 --target "fuzz_$TARGET" \
  || { echo "fuzz.sh: building fuzz_$TARGET failed" >&2; exit 2; }

# Leaks are findings (libFuzzer checks each input that mallocs more than it
# frees); UBSan reports stop the run (the build also sets
# -fno-sanitize-recover=all); going over the RSS limit, or one malloc larger
# than it, is an OOM.  tests/fuzz/lsan.supp silences fontconfig's block.
export ASAN_OPTIONS="detect_leaks=1:${ASAN_OPTIONS:-}"
export LSAN_OPTIONS="suppressions=$ROOT/tests/fuzz/lsan.supp:print_suppressions=0:${LSAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
COMMON=(-timeout=5 -rss_limit_mb=2048)

cd "$ROOT"

# --- Replay ------------------------------------------------------------------
# replay WHAT LOG INPUT...: run the target once on each input.
replay() {
  local what=$1 log=$2
  shift 2
  echo "fuzz.sh: replaying $what"
  if "$BIN" "${COMMON[@]}" "$@" >"$BUILD/$log" 2>&1; then
    echo "fuzz.sh: replay passed (log: build-fuzz/$log)"
    exit 0
  fi
  tail -n 60 "$BUILD/$log" >&2
  echo "fuzz.sh: replay FAILED (log: build-fuzz/$log)" >&2
  exit 1
}
if [ "$MODE" = replay ] && [ "$TARGET" = docx ]; then
  rm -rf "$BUILD/docx-seeds"
  python3 tests/data/import/docx/make_docx.py "$BUILD/docx-seeds" --fuzz-seeds >/dev/null
  replay "the .docx seeds" replay-docx.log "$BUILD"/docx-seeds/*
fi
if [ "$MODE" = replay ] && [ "$TARGET" = import ]; then
  replay "the import texts" replay-text.log "${TEXT_SEEDS[@]}"
fi
if [ "$MODE" = replay ]; then
  inputs=()
  while IFS= read -r -d '' f; do
    inputs+=("$f")
  done < <(find tests/fuzz/regressions tests/fuzz/seeds -type f ! -name '*.md' -print0 2>/dev/null | sort -z)
  if [ ${#inputs[@]} -eq 0 ]; then
    echo "fuzz.sh: nothing to replay" >&2
    exit 2
  fi
  replay "${#inputs[@]} inputs" replay.log "${inputs[@]}"
fi

# --- Fuzz ----------------------------------------------------------------------
ARTIFACTS=$BUILD/artifacts
DICT=(-dict=tests/fuzz/format.dict)
if [ "$TARGET" = docx ]; then
  CORPUS=$BUILD/corpus-docx
  mkdir -p "$CORPUS" "$ARTIFACTS"
  # Seeds: the .docx packages of the tests, the hostile ones too.
  rm -rf "$BUILD/docx-seeds"
  python3 tests/data/import/docx/make_docx.py "$BUILD/docx-seeds" --fuzz-seeds >/dev/null
  for f in "$BUILD"/docx-seeds/*; do cp -f "$f" "$CORPUS/seed-$(basename "$f")"; done
  DICT=()
elif [ "$TARGET" = import ]; then
  CORPUS=$BUILD/corpus-text
  mkdir -p "$CORPUS" "$ARTIFACTS"
  for f in "${TEXT_SEEDS[@]}"; do cp -f "$f" "$CORPUS/seed-$(basename "$f")"; done
  DICT=()
elif [ "$TARGET" = reply ]; then
  CORPUS=$BUILD/corpus-reply
  mkdir -p "$CORPUS" "$ARTIFACTS"
  # Seeds: the exact error lines of the bad inputs, named by their file.
  for f in tests/bad/*.err; do
    name=$(basename "${f%.err}").xml
    { printf '%s|seal.png\n' "$name"; cat "$f"; } > "$CORPUS/seed-$(basename "$f")"
  done
  DICT=()
else
  CORPUS=$BUILD/corpus
  mkdir -p "$CORPUS" "$ARTIFACTS"
  # Seeds: one small document per feature, the real report, the e2e documents.
  for f in tests/fuzz/seeds/*.xml; do cp -f "$f" "$CORPUS/seed-$(basename "$f")"; done
  for f in content/*.xml; do cp -f "$f" "$CORPUS/content-$(basename "$f")"; done
  for f in tests/data/e2e/*.xml; do cp -f "$f" "$CORPUS/e2e-$(basename "$f")"; done
fi

STAMP=$BUILD/.fuzz-start
touch "$STAMP"
LOG=$BUILD/fuzz-$TARGET.log
echo "fuzz.sh: fuzzing fuzz_$TARGET for ${SECONDS_TO_RUN}s on one core; log: $LOG"
status=0
# No -jobs/-workers: one process on one core.
"$BIN" "${COMMON[@]}" -max_total_time="$SECONDS_TO_RUN" \
  "${DICT[@]}" -print_final_stats=1 \
  -artifact_prefix="$ARTIFACTS/" "$CORPUS" 2>&1 | tee "$LOG" || status=$?

found=$(find "$ARTIFACTS" -type f -newer "$STAMP" \
          \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | sort)
echo
echo "fuzz.sh: summary"
grep -E '^#[0-9]+[[:space:]]+DONE|^Done [0-9]+ runs|^stat::' "$LOG" | sed 's/^/  /' || true
echo "  corpus files: $(find "$CORPUS" -type f | wc -l)"
if [ "$status" -ne 0 ] || [ -n "$found" ]; then
  echo "fuzz.sh: FOUND A PROBLEM (libFuzzer exit status $status)" >&2
  for f in $found; do echo "  $f" >&2; done
  echo "fuzz.sh: reproduce with: $BIN <artifact>; docs/fuzzing.md says how to make it a regression" >&2
  exit 1
fi
echo "fuzz.sh: no crash, leak or timeout"
