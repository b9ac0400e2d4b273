# Sourced by the end-to-end tests (tests/e2e/*.sh); not a test itself (ctest runs *.sh only).
# Each test is run by ctest as: bash SCRIPT GWPDF_BINARY SOURCE_DIR SCRATCH_DIR
# shellcheck disable=SC2034  # GWPDF, DATA, PDFCHECK... are for the scripts that source this
set -euo pipefail

if [[ $# -ne 3 || -z $1 || -z $2 || -z $3 || $3 == / ]]; then
  echo "usage: bash $0 GWPDF_BINARY SOURCE_DIR SCRATCH_DIR" >&2
  exit 2
fi
GWPDF=$(realpath "$1")
SRC=$(realpath "$2")
SCRATCH=$3
E2E=$SRC/tests/e2e
DATA=$SRC/tests/data/e2e
PDFCHECK=$E2E/pdfcheck.py

[[ -x $GWPDF ]] || { echo "FAIL: $GWPDF is not an executable" >&2; exit 1; }
for tool in python3 pdfinfo pdffonts pdftotext qpdf; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed" >&2; exit 1; }
done

rm -rf -- "$SCRATCH"
mkdir -p -- "$SCRATCH"
SCRATCH=$(realpath "$SCRATCH")

# The binary may be built with ASan/UBSan: report every finding, make it fatal, and keep
# its exit status apart from gwpdf's own 0/1/2 (abort_on_error: SIGABRT, status 134).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

FAILS=0
fail() {
  echo "FAIL: $*" >&2
  FAILS=$((FAILS + 1))
}

# After a successful render, one warning line says how many font roles fall back to a
# free stand-in face (docs/fonts.md); --verbose and `gwpdf fonts` give one line per role.
# Which roles fall back depends on the fonts installed on the machine, so these lines
# are dropped before stderr is compared; nothing else is. A failed render prints none.
FONT_FALLBACK_RE='^warning: ([0-9]+ font roles? (is|are) drawn by stand-in faces, not by .*|font role [a-z0-9]+ \(.*\): no .* face found; using .*)$'

# gw DIR ARGS...: run gwpdf in DIR. Sets RC; stdout in $SCRATCH/stdout, stderr in
# $SCRATCH/stderr, stderr without the font fallback warnings in $SCRATCH/stderr.filtered.
gw() {
  local dir=$1
  shift
  RC=0
  (cd "$dir" && exec "$GWPDF" "$@") >"$SCRATCH/stdout" 2>"$SCRATCH/stderr" || RC=$?
  grep -E -v "$FONT_FALLBACK_RE" "$SCRATCH/stderr" >"$SCRATCH/stderr.filtered" || true
  if grep -q -E 'Sanitizer|runtime error:|LeakSanitizer' "$SCRATCH/stderr"; then
    fail "gwpdf $* (in $dir): sanitizer report:"
    sed 's/^/    /' "$SCRATCH/stderr" >&2
  fi
  if ((RC > 2)); then
    fail "gwpdf $* (in $dir): exit status $RC (crash or abort; gwpdf exits 0, 1 or 2)"
    sed 's/^/    /' "$SCRATCH/stderr" >&2
  fi
}

# render_ok NAME DIR XML PDF [ARGS...]: render XML (from DIR) into PDF with any further
# options; true when gwpdf exited 0,
# wrote nothing but font fallback warnings to stderr and nothing to stdout, and the file
# is a PDF. Each failure is reported under NAME.
render_ok() {
  local name=$1 dir=$2 xml=$3 pdf=$4
  shift 4
  gw "$dir" render "$xml" -o "$pdf" "$@"
  if [[ $RC -ne 0 ]]; then
    fail "$name: gwpdf render exited $RC:"
    sed 's/^/    /' "$SCRATCH/stderr" >&2
    return 1
  fi
  if [[ -s $SCRATCH/stderr.filtered ]]; then
    fail "$name: gwpdf render wrote to stderr (besides font fallback warnings):"
    sed 's/^/    /' "$SCRATCH/stderr.filtered" >&2
  fi
  [[ -s $SCRATCH/stdout ]] && fail "$name: gwpdf render wrote to stdout: $(head -c 200 "$SCRATCH/stdout")"
  if [[ $(head -c 5 "$pdf") != %PDF- ]]; then
    fail "$name: $pdf does not start with %PDF-"
    return 1
  fi
  return 0
}

finish() {
  if ((FAILS > 0)); then
    echo "$FAILS check(s) failed" >&2
    exit 1
  fi
  echo "all checks passed"
}
