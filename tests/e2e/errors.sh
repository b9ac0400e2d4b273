#!/usr/bin/env bash
# Error paths. For every tests/bad/NAME.xml: run `gwpdf render NAME.xml -o OUT [ARGS...]`
# inside tests/bad (so messages carry the bare file name), where ARGS are the words of
# the optional NAME.args (whitespace-separated, one or more lines, '#' starts a comment
# line; e.g. `--limit pages=1` or `--font body=/nonexistent.ttf`), and check
#   - the exit status is the number in the optional NAME.status, else 1 (bad input);
#   - stderr is exactly NAME.err, line for line (FILE:LINE:COL: message, or
#     FILE:LINE: message for RELAX NG errors), apart from font fallback warnings;
#   - nothing on stdout;
#   - the output path still holds the sentinel written before the run, byte for byte,
#     and no other file (a temporary) was left beside it.
# Then: hostile references (XInclude, external entities, an external DTD) pointing at a
# FIFO trap are never opened; the command line: usage errors exit 2, --help, --version,
# `gwpdf fonts`; a successful render over an existing file, and one from a source that
# starts with a UTF-8 byte order mark.
# Usage (ctest): bash errors.sh GWPDF_BINARY SOURCE_DIR SCRATCH_DIR
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"

BAD=$SRC/tests/bad
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

# ---- bad input: exact messages, exit status, output untouched ----------------------
# bad_args NAME: the words of $BAD/NAME.args into ARGS (empty when there is none)
bad_args() {
  ARGS=()
  [[ -f $BAD/$1.args ]] || return 0
  local line words
  while IFS= read -r line || [[ -n $line ]]; do
    [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
    read -r -a words <<<"$line"
    ARGS+=("${words[@]}")
  done <"$BAD/$1.args"
}

# bad_status NAME: the expected exit status into WANT (1 unless NAME.status says 2)
bad_status() {
  WANT=1
  [[ -f $BAD/$1.status ]] || return 0
  WANT=$(tr -d '[:space:]' <"$BAD/$1.status")
  if [[ $WANT != [12] ]]; then
    fail "$1.status holds '$WANT': a bad input exits 1 or 2"
    WANT=1
  fi
}

shopt -s nullglob
bad=("$BAD"/*.xml)
((${#bad[@]} >= 32)) || fail "expected at least 32 bad inputs in $BAD, found ${#bad[@]}"
for extra in "$BAD"/*.err "$BAD"/*.args "$BAD"/*.status; do
  [[ -f ${extra%.*}.xml ]] || fail "$(basename "$extra") has no .xml beside it"
done
for xml in "${bad[@]}"; do
  name=$(basename "$xml" .xml)
  if [[ ! -f $BAD/$name.err ]]; then
    fail "$name.xml has no expected messages ($name.err)"
    continue
  fi
  bad_args "$name"
  bad_status "$name"
  put_sentinel "$name"
  gw "$BAD" render "$name.xml" -o "$OUT" "${ARGS[@]}"
  [[ $RC -eq $WANT ]] || fail "$name.xml ${ARGS[*]}: exit status $RC, expected $WANT"
  check_stderr "$name.xml" "$(cat "$BAD/$name.err")"
  check_no_stdout "$name.xml"
  check_untouched "$name.xml"
  echo "ok: $name.xml${ARGS[*]:+ ${ARGS[*]}} -> exit $RC: $(head -1 "$SCRATCH/stderr.filtered")"
done

# ---- hostile references are never opened ----------------------------------------------
# Each document points an XInclude, an external entity or an external DTD at a FIFO. A
# writer waits on the FIFO in the background: its open() returns only when a reader
# opens the FIFO, and then it leaves a mark. No mark: gwpdf never opened the file.
HOSTILE=$SCRATCH/hostile
mkdir -p "$HOSTILE"
TRAP=$HOSTILE/trap.fifo
# trap_arm: a fresh FIFO with a writer waiting on it (pid in TRAP_PID)
trap_arm() {
  rm -f "$TRAP" "$TRAP.opened"
  mkfifo "$TRAP"
  (exec 3>"$TRAP" && echo opened >"$TRAP.opened") &
  TRAP_PID=$!
}
# trap_disarm: stop the writer if it is still waiting; 0 when the FIFO was opened
trap_disarm() {
  sleep 0.1   # let a writer whose open() just returned leave its mark
  kill "$TRAP_PID" 2>/dev/null || true
  wait "$TRAP_PID" 2>/dev/null || true
  [[ -f $TRAP.opened ]]
}
# The trap itself works: a reader opening the FIFO is seen.
trap_arm
head -c 1 "$TRAP" >/dev/null || true
trap_disarm || fail "hostile: the FIFO trap did not see a reader (the test is broken)"

# hostile NAME WANT_RC DOCTYPE_OR_EMPTY BODY_LINE: render $HOSTILE/NAME.xml, expect
# WANT_RC and the trap untouched.
hostile() {
  local name=$1 want=$2 doctype=$3 body=$4
  {
    echo '<?xml version="1.0" encoding="UTF-8"?>'
    [[ -z $doctype ]] || echo "$doctype"
    echo '<report version="1">'
    echo '  <title>标题</title>'
    echo "  $body"
    echo '</report>'
  } >"$HOSTILE/$name.xml"
  put_sentinel "$name"
  trap_arm
  gw "$HOSTILE" render "$name.xml" -o "$OUT"
  if trap_disarm; then
    fail "$name: gwpdf opened the file the document points at ($TRAP)"
  fi
  [[ $RC -eq $want ]] || fail "$name: exit status $RC, expected $want: $(head -3 "$SCRATCH/stderr.filtered")"
  check_no_stdout "$name"
  if ((want != 0)); then
    check_untouched "$name"
  else
    check_alone "$name"
  fi
  echo "ok: $name -> exit $RC, the FIFO was not opened; stderr: $(head -1 "$SCRATCH/stderr.filtered")"
}
hostile xinclude-fifo 1 "" \
  "<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"$TRAP\" parse=\"text\"/>"
hostile external-entity-fifo 1 "<!DOCTYPE report [<!ENTITY e SYSTEM \"file://$TRAP\">]>" \
  "<p>&e;</p>"
hostile parameter-entity-fifo 1 "<!DOCTYPE report [<!ENTITY % e SYSTEM \"file://$TRAP\"> %e;]>" \
  "<p>正文。</p>"
# A DOCTYPE naming an external DTD is refused (format v1 has no DTD), and the DTD is never
# opened.
hostile external-dtd-fifo 1 "<!DOCTYPE report SYSTEM \"$TRAP\">" "<p>正文。</p>"
hostile external-dtd-http 1 '<!DOCTYPE report SYSTEM "http://example.com/x.dtd">' "<p>正文。</p>"

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
usage 2 "gwpdf: render needs -o OUT.pdf (or -o DIR/ for several inputs)
$HINT" render "$GOOD"
usage 2 "gwpdf: -o needs a value
$HINT" render "$GOOD" -o
usage 2 "gwpdf: unknown option '--bogus'
$HINT" render "$GOOD" -o "$OUT" --bogus
usage 2 "gwpdf: -o $OUT: several inputs need an existing directory
$HINT" render "$GOOD" second.xml -o "$OUT"
usage 2 "gwpdf: unexpected argument 'extra'
$HINT" fonts extra
usage 2 "gwpdf: -j expects a number of processes from 1 to 64, got '0'
$HINT" render "$GOOD" -o "$OUT" -j 0
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


# ---- a source that starts with a UTF-8 byte order mark renders --------------------------
printf '\xEF\xBB\xBF' >"$SCRATCH/bom.xml"
cat "$DATA/no-label.xml" >>"$SCRATCH/bom.xml"
put_sentinel "bom"
gw "$SCRATCH" render bom.xml -o "$OUT"
[[ $RC -eq 0 ]] || fail "render bom.xml (no-label.xml after a UTF-8 BOM): exit status $RC, expected 0: $(cat "$SCRATCH/stderr")"
check_stderr "render bom.xml" ""
check_no_stdout "render bom.xml"
[[ $(head -c 5 "$OUT") == %PDF- ]] || fail "render bom.xml: $OUT does not start with %PDF-"
check_alone "render bom.xml"
bom_text=$(pdftotext -q "$OUT" - | tr -d '\n\f')
[[ $bom_text != *$'\xEF\xBB\xBF'* ]] || fail "render bom.xml: the byte order mark was printed"
first=$(pdftotext -q "$OUT" - | grep -m1 .)
gw "$DATA" render no-label.xml -o "$SCRATCH/no-bom.pdf"
[[ $first == "$(pdftotext -q "$SCRATCH/no-bom.pdf" - | grep -m1 .)" ]] ||
  fail "render bom.xml: first line '$first' differs from no-label.xml's"
echo "ok: render bom.xml (UTF-8 BOM) -> exit 0, first line: $first"

# ---- a typed number where gwpdf numbers: a warning, still exit 0 -------------------------
cat >"$SCRATCH/typed.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<report version="1">
  <title>标题</title>
  <section><heading>一、基本情况</heading>
    <p>正文。</p>
    <list><item>（一）第一项。</item><item>①第二项。</item></list>
    <section><heading>（二）主要做法</heading><p>正文。</p></section>
    <section><heading>(二)具体措施</heading><p>正文。</p></section>
  </section>
  <section><heading number="none">二、不编号的标题</heading><p>正文。</p></section>
  <section><heading>2022年工作</heading><p>正文。</p></section>
</report>
XML
put_sentinel "typed"
gw "$SCRATCH" render typed.xml -o "$OUT"
[[ $RC -eq 0 ]] || fail "render typed.xml: exit status $RC, expected 0"
check_stderr "render typed.xml" 'typed.xml:4:21: warning: the heading starts with 一、, the number gwpdf generates for it: it would print twice (remove it, or use number="none" to keep the typed one)
typed.xml:6:17: warning: the list item starts with （一）, the number gwpdf generates for it: it would print twice (remove it, or write the items as <p> to keep the typed numbers)
typed.xml:6:37: warning: the list item starts with the typed number ①, but gwpdf numbers it （二）: both would print (remove the typed one, or write the items as <p> to keep the typed numbers)
typed.xml:7:23: warning: the heading starts with the typed number （二）, but gwpdf numbers it （一）: both would print (remove the typed one, or use number="none" to keep the typed one)
typed.xml:8:23: warning: the heading starts with (二), the number gwpdf generates for it (as （二）): it would print twice (remove it, or use number="none" to keep the typed one)'
check_no_stdout "render typed.xml"
[[ $(head -c 5 "$OUT") == %PDF- ]] || fail "render typed.xml: no PDF written"
echo "ok: render typed.xml -> exit 0, $(wc -l <"$SCRATCH/stderr.filtered") warnings of typed numbers"

# ---- font stand-ins: never before the document's messages, none after a failure ----------
FONT_LINE_RE='^warning: ([0-9]+ font roles? (is|are) drawn by stand-in|font role )'
gw "$BAD" fonts
standins=$(grep -c -E ': fallback stand-in' "$SCRATCH/stdout" || true)
per_role=$(grep -c -E '^warning: font role ' "$SCRATCH/stderr" || true)
[[ $per_role -eq $standins ]] ||
  fail "gwpdf fonts: $per_role stand-in warnings, $standins roles listed as stand-ins"
# first_font_line: the line number of the first font message in stderr (empty when none)
first_font_line() { grep -n -E "$FONT_LINE_RE" "$SCRATCH/stderr" | head -1 | cut -d: -f1; }
put_sentinel "fonts after failure"
gw "$BAD" render missing-title.xml -o "$OUT"
[[ $RC -eq 1 ]] || fail "render missing-title.xml: exit status $RC, expected 1"
if grep -q -E "$FONT_LINE_RE" "$SCRATCH/stderr"; then
  fail "render missing-title.xml: a failed render spoke of fonts: $(grep -E "$FONT_LINE_RE" "$SCRATCH/stderr" | head -1)"
fi
check_untouched "render missing-title.xml (fonts)"
gw "$BAD" render missing-title.xml -o "$OUT" --verbose
[[ $(head -1 "$SCRATCH/stderr") == "missing-title.xml:4: a <title> is required before <p> (inside <report>)" ]] ||
  fail "render missing-title.xml --verbose: the first line is not the error: $(head -1 "$SCRATCH/stderr")"
[[ $(grep -c -E '^warning: font role ' "$SCRATCH/stderr" || true) -eq $standins ]] ||
  fail "render --verbose: not one warning per stand-in role ($standins)"
gw "$SCRATCH" render typed.xml -o "$OUT"
summary=$(grep -c -E "$FONT_LINE_RE" "$SCRATCH/stderr" || true)
[[ $summary -eq $((standins > 0 ? 1 : 0)) ]] ||
  fail "render typed.xml: $summary font lines after success, expected $((standins > 0 ? 1 : 0))"
if ((standins > 0)); then
  [[ $(first_font_line) -eq $(wc -l <"$SCRATCH/stderr") ]] ||
    fail "render typed.xml: the stand-in summary is not the last line of stderr"
  grep -q -E "^warning: $standins font roles? (is|are) drawn by stand-in faces, not by .*: \`gwpdf fonts\` \(or --verbose\) shows which$" "$SCRATCH/stderr" ||
    fail "render typed.xml: no summary of the $standins stand-in roles: $(tail -1 "$SCRATCH/stderr")"
  gw "$SCRATCH" render typed.xml -o "$OUT" --verbose
  [[ $(first_font_line) -eq 6 ]] ||
    fail "render typed.xml --verbose: the font lines do not follow the document's 5 warnings"
fi
echo "ok: font stand-ins ($standins roles): none after a failure, after the messages with --verbose, one line after success"

finish
