#!/usr/bin/env bash
# `gwpdf lint`: the real report's source lists exactly its half-width punctuation
# (tests/data/import/zengcheng-2022.lint, FILE:LINE:COL each) and exits 1;
# `--fix -o OUT` lists each fix on stdout, leaves the source alone, changes nothing in OUT
# but the listed characters (checked byte for byte by undoing them), and OUT lints clean
# (exit 0, no output) and renders; `--fix` alone rewrites the file in place, keeping its
# permissions (and leaves a clean source untouched); the imported seed lints with the same findings; a clean document exits 0;
# an invalid source exits 1 with the model's error; usage errors exit 2.
# Usage (ctest): bash lint.sh GWPDF_BINARY SOURCE_DIR SCRATCH_DIR
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"

IMPORT=$SRC/tests/data/import
REL=content/zengcheng-2022-budget-self-evaluation.xml

status_is() {
  [[ $RC -eq $2 ]] || { fail "$1: exit status $RC, expected $2"; sed 's/^/    /' "$SCRATCH/stderr" >&2; }
}
same_file() {
  if ! cmp -s "$2" "$3"; then
    fail "$1: differs from $2:"
    diff -u "$2" "$3" | head -40 | sed 's/^/    /' >&2 || true
  fi
}

# ---- the real report ------------------------------------------------------------------
gw "$SRC" lint "$REL"
status_is "lint real report" 1
same_file "lint real report: stderr" "$IMPORT/zengcheng-2022.lint" "$SCRATCH/stderr"
[[ -s $SCRATCH/stdout ]] && fail "lint real report: wrote to stdout"

cp "$SRC/$REL" "$SCRATCH/report.xml"
gw "$SCRATCH" lint report.xml --fix -o fixed.xml
status_is "lint --fix -o" 0
[[ -s $SCRATCH/stderr ]] && { fail "lint --fix: stderr:"; sed 's/^/    /' "$SCRATCH/stderr" >&2; }
# one "fixed" line per finding, at the same position
sed -e 's/^content\/zengcheng-2022-budget-self-evaluation\.xml:/report.xml:/' \
    -e "s/: warning: half-width '\(.\)' next to Chinese text: use '\(.\)'$/: fixed: '\1' → '\2' (half-width '\1' next to Chinese text: use '\2')/" \
    "$IMPORT/zengcheng-2022.lint" >"$SCRATCH/fixes.expected"
same_file "lint --fix: stdout" "$SCRATCH/fixes.expected" "$SCRATCH/stdout"
cmp -s "$SRC/$REL" "$SCRATCH/report.xml" || fail "lint --fix -o changed its input"
# Undo the listed fixes at their positions: the original bytes must come back.
python3 - "$SCRATCH/report.xml" "$SCRATCH/fixed.xml" "$SCRATCH/stdout" <<'EOF' || fail "lint --fix changed more than the listed characters"
import re, sys
orig = open(sys.argv[1], "rb").read()
lines = open(sys.argv[2], encoding="utf-8").read().split("\n")
n = 0
for fix in open(sys.argv[3], encoding="utf-8"):
    m = re.match(r"[^:]+:(\d+):(\d+): fixed: '(.)' → '(.)'", fix)
    line, col, was, now = int(m[1]) - 1, int(m[2]) - 1, m[3], m[4]
    assert lines[line][col] == now, (fix, lines[line][col])
    lines[line] = lines[line][:col] + was + lines[line][col + 1:]
    n += 1
assert n == 13, n
sys.exit(0 if "\n".join(lines).encode("utf-8") == orig else 1)
EOF
gw "$SCRATCH" lint fixed.xml
status_is "lint of the fixed source" 0
[[ -s $SCRATCH/stderr || -s $SCRATCH/stdout ]] && fail "lint of the fixed source printed: $(cat "$SCRATCH/stderr" "$SCRATCH/stdout")"
render_ok "render the fixed source" "$SCRATCH" fixed.xml "$SCRATCH/fixed.pdf" &&
  python3 "$PDFCHECK" report "$SCRATCH/fixed.pdf" "$DATA/seed-zengcheng-2022.txt" "$SCRATCH/fixed.xml" \
    "$SCRATCH" >"$SCRATCH/pdfcheck.out" 2>&1 ||
  { fail "the fixed source does not render as the seed:"; sed 's/^/    /' "$SCRATCH/pdfcheck.out" >&2; }

# --fix in place keeps the file's permissions
cp "$SRC/$REL" "$SCRATCH/inplace.xml"
chmod 640 "$SCRATCH/inplace.xml"
gw "$SCRATCH" lint inplace.xml --fix
status_is "lint --fix in place" 0
same_file "lint --fix in place" "$SCRATCH/fixed.xml" "$SCRATCH/inplace.xml"
[[ $(stat -c %a "$SCRATCH/inplace.xml") == 640 ]] || fail "lint --fix in place changed the permissions"
left=$(cd "$SCRATCH" && ls -A | grep '^inplace\.xml\.' || true)
[[ -z $left ]] || fail "lint --fix left a temporary: $left"

# --fix on a clean source does not rewrite it
touch -d '2001-01-01 00:00:00' "$SCRATCH/inplace.xml"
gw "$SCRATCH" lint inplace.xml --fix
status_is "lint --fix on a clean source" 0
[[ -s $SCRATCH/stdout || -s $SCRATCH/stderr ]] && fail "lint --fix on a clean source printed something"
[[ $(stat -c %Y "$SCRATCH/inplace.xml") == $(date -d '2001-01-01 00:00:00' +%s) ]] ||
  fail "lint --fix rewrote a source it had nothing to fix in"

# ---- the imported seed: the same punctuation is found, at its new positions ----------
gw "$SRC" lint tests/data/import/seed-zengcheng-2022.xml
status_is "lint imported seed" 1
n=$(grep -c "warning: half-width '[,;:]' next to Chinese text" "$SCRATCH/stderr" || true)
[[ $n -eq 13 && $(wc -l <"$SCRATCH/stderr") -eq 13 ]] ||
  { fail "lint imported seed: expected the 13 half-width findings only:"; sed 's/^/    /' "$SCRATCH/stderr" >&2; }
grep -q '^tests/data/import/seed-zengcheng-2022.xml:9:31: warning: half-width' "$SCRATCH/stderr" ||
  fail "lint imported seed: the first comma is not reported at 9:31"

# ---- a notice: quotes, brackets, signature all right after --fix ---------------------
cp "$IMPORT/notice.xml" "$SCRATCH/notice.xml"
gw "$SCRATCH" lint notice.xml
status_is "lint notice" 1
expected="\
notice.xml:5:12: warning: half-width ':' next to Chinese text: use '：'
notice.xml:25:16: warning: straight quote '\"': use '“'
notice.xml:25:26: warning: straight quote '\"': use '”'
notice.xml:25:34: warning: half-width '(' next to Chinese text: use '（'
notice.xml:25:40: warning: half-width ')' next to Chinese text: use '）'"
[[ $(cat "$SCRATCH/stderr") == "$expected" ]] ||
  { fail "lint notice: stderr differs:"; diff -u <(echo "$expected") "$SCRATCH/stderr" | sed 's/^/    /' >&2; }
gw "$SCRATCH" lint notice.xml --fix
status_is "lint --fix notice" 0
grep -q '<p>2. 自评报告要“数据真实、分析到位”，避免流于形式（如只填表格）。</p>' "$SCRATCH/notice.xml" ||
  fail "lint --fix notice: the paragraph is not fixed as expected"

# ---- errors and usage -----------------------------------------------------------------
printf '<report version="1"><title>t</title><p>x</p>\n' >"$SCRATCH/broken.xml"
gw "$SCRATCH" lint broken.xml
status_is "lint malformed" 1
grep -q '^broken.xml:2:' "$SCRATCH/stderr" || fail "lint malformed: no FILE:LINE error: $(cat "$SCRATCH/stderr")"
gw "$SCRATCH" lint /nonexistent.xml
status_is "lint missing file" 2
gw "$SCRATCH" lint
status_is "lint without input" 2
gw "$SCRATCH" lint notice.xml -o x.xml
status_is "lint -o without --fix" 2
[[ ! -e $SCRATCH/x.xml ]] || fail "lint -o without --fix wrote x.xml"

finish
