#!/usr/bin/env bash
# Error paths. For every tests/data/e2e/bad/NAME.xml: run `gwpdf render NAME.xml -o OUT`
# inside that directory (so messages carry the bare file name), and check
#   - the exit status is 1 (bad input);
#   - stderr is exactly bad/NAME.err, line for line (FILE:LINE:COL: message, or
#     FILE:LINE: message for RELAX NG errors), apart from font fallback warnings;
#   - nothing on stdout;
#   - the output path still holds the sentinel written before the run, byte for byte,
#     and no other file (a temporary) was left beside it.
# Then the command line: usage errors exit 2, --help, --version, `gwpdf fonts`, and a
# successful render over an existing file.
# Usage (ctest): bash errors.sh GWPDF_BINARY SOURCE_DIR SCRATCH_DIR
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"

BAD=$DATA/bad
OUTDIR=$SCRATCH/out            # holds out.pdf and nothing else
OUT=$OUTDIR/out.pdf
mkdir -p "$OUTDIR"

# put_sentinel: write a known non-PDF file at $OUT
put_sentinel() {
  printf 'sentinel %s: gwpdf must not touch this file\n' "$1" >"$OUT"
  cp "$OUT" "$SCRATCH/sentinel.expected"
}

# check_untouched WHAT: $OUT still holds the sentinel and is alone in $OUTDIR
check_untouched() {
  if ! cmp -s "$OUT" "$SCRATCH/sentinel.expected"; then
    fail "$1: the existing output file was changed (first bytes: $(head -c 40 "$OUT" | od -An -c | head -2 | tr -s ' '))"
  fi
  check_alone "$1"
}

# check_alone WHAT: $OUTDIR holds out.pdf and nothing else (no temporary left behind)
check_alone() {
  local left
  left=$(cd "$OUTDIR" && ls -A)
  if [[ $left != out.pdf ]]; then
    fail "$1: files left in the output directory: ${left//$'\n'/ }"
    find "$OUTDIR" -mindepth 1 -maxdepth 1 ! -name out.pdf -exec rm -rf {} +   # no cascade
  fi
}

# check_stderr WHAT EXPECTED_TEXT: whole stderr lines (font fallback warnings dropped)
check_stderr() {
  if [[ $(cat "$SCRATCH/stderr.filtered") != "$2" ]]; then
    fail "$1: stderr differs:"
    diff -u <(printf '%s\n' "$2") "$SCRATCH/stderr.filtered" | sed 's/^/    /' >&2 || true
  fi
}

check_no_stdout() {
  [[ ! -s $SCRATCH/stdout ]] || fail "$1: wrote to stdout: $(head -c 200 "$SCRATCH/stdout")"
}

# ---- bad input: exit 1, exact messages, output untouched ----------------------------
shopt -s nullglob
bad=("$BAD"/*.xml)
((${#bad[@]} >= 14)) || fail "expected at least 14 bad inputs in $BAD, found ${#bad[@]}"
for err in "$BAD"/*.err; do
  [[ -f ${err%.err}.xml ]] || fail "$(basename "$err") has no .xml beside it"
done
for xml in "${bad[@]}"; do
  name=$(basename "$xml" .xml)
  if [[ ! -f $BAD/$name.err ]]; then
    fail "$name.xml has no expected messages ($name.err)"
    continue
  fi
  put_sentinel "$name"
  gw "$BAD" render "$name.xml" -o "$OUT"
  [[ $RC -eq 1 ]] || fail "$name.xml: exit status $RC, expected 1 (bad input)"
  check_stderr "$name.xml" "$(cat "$BAD/$name.err")"
  check_no_stdout "$name.xml"
  check_untouched "$name.xml"
  echo "ok: $name.xml -> exit $RC: $(head -1 "$SCRATCH/stderr.filtered")"
done

# ---- usage errors: exit 2, one message and a hint, output untouched ------------------
HINT="(run 'gwpdf --help' for usage)"
GOOD=$DATA/no-label.xml
ROLES="body title heading1 heading2 label pagenum latin"

# usage WANT_RC EXPECTED_STDERR ARGS...
usage() {
  local want=$1 msg=$2
  shift 2
  put_sentinel "usage"
  gw "$BAD" "$@"
  [[ $RC -eq $want ]] || fail "gwpdf $*: exit status $RC, expected $want"
  check_stderr "gwpdf $*" "$msg"
  check_no_stdout "gwpdf $*"
  check_untouched "gwpdf $*"
  echo "ok: gwpdf ${*:-(no arguments)} -> exit $RC: $(head -1 "$SCRATCH/stderr.filtered")"
}

usage 2 "gwpdf: no command given
$HINT"
usage 2 "gwpdf: unknown command 'frobnicate'
$HINT" frobnicate
usage 2 "gwpdf: render needs an input file
$HINT" render
usage 2 "gwpdf: render needs -o OUT.pdf
$HINT" render "$GOOD"
usage 2 "gwpdf: -o needs a value
$HINT" render "$GOOD" -o
usage 2 "gwpdf: unknown option '--bogus'
$HINT" render "$GOOD" -o "$OUT" --bogus
usage 2 "gwpdf: unexpected argument 'second.xml'
$HINT" render "$GOOD" second.xml -o "$OUT"
usage 2 "gwpdf: unknown font role 'nosuch' (roles: $ROLES)
$HINT" render "$GOOD" -o "$OUT" --font nosuch=/x.ttf
usage 2 "gwpdf: --font expects ROLE=PATH[,PATH...], got 'body'
$HINT" render "$GOOD" -o "$OUT" --font body
usage 2 "gwpdf: unknown font role 'nosuch' (roles: $ROLES)
$HINT" fonts --font nosuch=/x.ttf
# The output cannot be created: a system error.
usage 2 "$SCRATCH/no-such-dir/out.pdf: cannot create a file in $SCRATCH/no-such-dir: No such file or directory" \
  render "$GOOD" -o "$SCRATCH/no-such-dir/out.pdf"
# A missing input file. The binary treats it as bad input (exit 1), while an output it
# cannot create is a system error (exit 2); README: "1 the input is wrong ... 2 usage or
# system error". This asserts today's behaviour.
usage 2 "missing.xml: cannot read: No such file or directory" render missing.xml -o "$OUT"

# ---- --help, --version, fonts ----------------------------------------------------------
for opt in --help -h; do
  gw "$BAD" "$opt"
  [[ $RC -eq 0 ]] || fail "gwpdf $opt: exit status $RC, expected 0"
  [[ ! -s $SCRATCH/stderr ]] || fail "gwpdf $opt: wrote to stderr: $(head -c 200 "$SCRATCH/stderr")"
  head -1 "$SCRATCH/stdout" | grep -q '^usage: gwpdf render IN.xml -o OUT.pdf' ||
    fail "gwpdf $opt: stdout does not start with the usage line: $(head -1 "$SCRATCH/stdout")"
  for word in render fonts --font --help --version "exit status"; do
    grep -q -e "$word" "$SCRATCH/stdout" || fail "gwpdf $opt: usage does not mention '$word'"
  done
  echo "ok: gwpdf $opt -> exit 0, $(wc -l <"$SCRATCH/stdout") lines of usage"
done

gw "$BAD" --version
[[ $RC -eq 0 ]] || fail "gwpdf --version: exit status $RC, expected 0"
[[ $(cat "$SCRATCH/stdout") == "gwpdf 0.1.0" ]] || fail "gwpdf --version printed '$(cat "$SCRATCH/stdout")', expected 'gwpdf 0.1.0'"
[[ ! -s $SCRATCH/stderr ]] || fail "gwpdf --version: wrote to stderr"
echo "ok: gwpdf --version -> $(cat "$SCRATCH/stdout")"

gw "$BAD" fonts
[[ $RC -eq 0 ]] || fail "gwpdf fonts: exit status $RC, expected 0"
[[ ! -s $SCRATCH/stderr.filtered ]] || fail "gwpdf fonts: stderr: $(cat "$SCRATCH/stderr.filtered")"
listed=$(grep -o -E '^[a-z0-9]+' "$SCRATCH/stdout" | tr '\n' ' ' | sed 's/ $//')
[[ $listed == "$ROLES" ]] || fail "gwpdf fonts lists roles '$listed', expected '$ROLES'"
echo "ok: gwpdf fonts -> roles: $listed"

# ---- success over an existing file ---------------------------------------------------
put_sentinel "success"
gw "$DATA" render no-label.xml -o "$OUT"
[[ $RC -eq 0 ]] || fail "render no-label.xml over an existing file: exit status $RC, expected 0: $(cat "$SCRATCH/stderr")"
check_stderr "render no-label.xml" ""
check_no_stdout "render no-label.xml"
[[ $(head -c 5 "$OUT") == %PDF- ]] || fail "render no-label.xml: $OUT does not start with %PDF- (the sentinel was not replaced?)"
tail -c 32 "$OUT" | grep -q '%%EOF' || fail "render no-label.xml: $OUT does not end with %%EOF"
check_alone "render no-label.xml"
echo "ok: render no-label.xml over an existing file -> a PDF of $(wc -c <"$OUT") bytes, nothing else left"

finish
