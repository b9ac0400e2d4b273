#!/usr/bin/env bash
# `gwpdf import`: the real report's text (tests/data/e2e/seed-zengcheng-2022.txt), a
# notice of our own with a signature (tests/data/import/notice.txt), whole 公文 of our own
# (tests/data/import/gongwen/) and six published ones (tests/data/import/real/):
#   - the XML written is exactly the expected file, and so are the warnings (with lines);
#   - the imported report has the hand-made source's tree (content/…xml): the same
#     sections at the same depths with the same headings (run-in or not), lists and items,
#     paragraphs, label and title (whitespace ignored, <br/> aside);
#   - it renders, and the PDF's text equals the seed's (pdfcheck.py report: whitespace
#     and the half/full width of the generated numbers' brackets ignored) with the
#     GB/T 9704 geometry and every heading and item in place;
#   - the same text in GB18030 gives the same XML, with one warning saying so;
#   - -o - writes standard output; errors: exit 1 for text that is neither UTF-8 nor
#     GB18030 or holds a control character (the output file untouched, no temporary
#     left), exit 2 for usage errors and an unreadable file.
# Usage (ctest): bash import.sh GWPDF_BINARY SOURCE_DIR SCRATCH_DIR
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"

IMPORT=$SRC/tests/data/import
SEED=$DATA/seed-zengcheng-2022.txt
HANDMADE=$SRC/content/zengcheng-2022-budget-self-evaluation.xml

# same_file WHAT EXPECTED GOT
same_file() {
  if ! cmp -s "$2" "$3"; then
    fail "$1: differs from $2:"
    diff -u "$2" "$3" | head -40 | sed 's/^/    /' >&2 || true
  fi
}

# status_is WHAT WANT
status_is() {
  [[ $RC -eq $2 ]] || { fail "$1: exit status $RC, expected $2"; sed 's/^/    /' "$SCRATCH/stderr" >&2; }
}

# ---- the real report ------------------------------------------------------------------
OUT=$SCRATCH/seed.xml
gw "$DATA" import seed-zengcheng-2022.txt -o "$OUT"
status_is "import seed" 0
same_file "import seed: stderr" "$IMPORT/seed-zengcheng-2022.warnings" "$SCRATCH/stderr"
[[ -s $SCRATCH/stdout ]] && fail "import seed: wrote to stdout"
same_file "import seed: XML" "$IMPORT/seed-zengcheng-2022.xml" "$OUT"

# The tree of both sources, one line per element, whitespace removed from the text.
tree() {
  python3 - "$1" <<'EOF'
import re, sys, xml.etree.ElementTree as ET

def text(el):
    return re.sub(r"\s+", "", "".join(el.itertext()))

def walk(el, depth):
    for c in el:
        if c.tag == "meta" or c.tag == "heading":
            continue
        if c.tag == "section":
            h = c.find("heading")
            print("  " * depth + "section level=%s runin=%s: %s"
                  % (c.get("level", depth + 1), h.get("runin", "false"), text(h)))
            walk(c, depth + 1)
        elif c.tag == "list":
            print("  " * depth + "list")
            walk(c, depth + 1)
        else:
            print("  " * depth + "%s: %s" % (c.tag, text(c)))

walk(ET.parse(sys.argv[1]).getroot(), 0)
EOF
}
tree "$HANDMADE" >"$SCRATCH/tree.handmade"
tree "$OUT" >"$SCRATCH/tree.imported"
same_file "imported tree vs content/" "$SCRATCH/tree.handmade" "$SCRATCH/tree.imported"
n_sections=$(grep -c 'section level' "$SCRATCH/tree.imported" || true)
[[ $n_sections -eq 18 ]] || fail "import seed: $n_sections sections, expected 18 (4 + 14)"

PDF=$SCRATCH/seed.pdf
if render_ok "render imported seed" "$SCRATCH" "$OUT" "$PDF"; then
  python3 "$PDFCHECK" report "$PDF" "$SEED" "$OUT" "$SCRATCH" >"$SCRATCH/pdfcheck.out" 2>&1 ||
    { fail "pdfcheck report on the imported seed:"; sed 's/^/    /' "$SCRATCH/pdfcheck.out" >&2; }
fi

# ---- GB18030 --------------------------------------------------------------------------
iconv -f UTF-8 -t GB18030 "$SEED" >"$SCRATCH/seed-gb.txt"
gw "$SCRATCH" import seed-gb.txt -o "$SCRATCH/seed-gb.xml"
status_is "import GB18030" 0
same_file "import GB18030: XML" "$IMPORT/seed-zengcheng-2022.xml" "$SCRATCH/seed-gb.xml"
{
  echo "seed-gb.txt:3: warning: not valid UTF-8 (byte 0xB8); the text was read as GB18030"
  sed 's/^seed-zengcheng-2022\.txt:/seed-gb.txt:/' "$IMPORT/seed-zengcheng-2022.warnings"
} | sort -t: -k2,2n -s >"$SCRATCH/gb.expected"
same_file "import GB18030: stderr" "$SCRATCH/gb.expected" "$SCRATCH/stderr"

# ---- a notice with a subtitle, a signature and numbering slips ----------------------
gw "$IMPORT" import notice.txt -o "$SCRATCH/notice.xml"
status_is "import notice" 0
same_file "import notice: XML" "$IMPORT/notice.xml" "$SCRATCH/notice.xml"
check_stderr() {
  if [[ $(cat "$SCRATCH/stderr") != "$2" ]]; then
    fail "$1: stderr differs:"
    diff -u <(printf '%s\n' "$2") "$SCRATCH/stderr" | sed 's/^/    /' >&2 || true
  fi
}
check_stderr "import notice" "\
notice.txt:13: warning: typed 四、, but this is heading 3 at its level, which gwpdf numbers 三、: kept as typed (number=\"none\")
notice.txt:14: warning: list items typed 1. 2. …, which format v1 numbers （一） （二） … (a list takes the numbering one level below its section): kept as typed paragraphs
notice.txt:16: warning: taken for a list item like the others numbered alike from line 14, though it reads like a heading"
render_ok "render imported notice" "$SCRATCH" "$SCRATCH/notice.xml" "$SCRATCH/notice.pdf" &&
  pdftotext -enc UTF-8 "$SCRATCH/notice.pdf" - | tr -d ' \n\f' | grep -q '某某区财政局2024年1月15日' ||
  fail "notice: the signature is not printed as 某某区财政局 / 2024年1月15日"

# -o - : standard output
gw "$IMPORT" import notice.txt -o -
status_is "import -o -" 0
same_file "import -o -: stdout" "$IMPORT/notice.xml" "$SCRATCH/stdout"

# ---- whole 公文 (format v2) -------------------------------------------------------------
# import_v2 DIR NAME: DIR/NAME.txt imports (exit 0) with exactly the warnings of
# DIR/NAME.warnings to exactly DIR/NAME.xml — or, for the real documents, to a source whose
# structure (tests/e2e/structure.py) is DIR/NAME.structure, its # lines aside — renders,
# and every typed line is in the PDF, in order: the 发文字号 moved above the title, and the
# words format v2 generates again (附件1 labels, "附件：", "抄送：", "签发人：", "印发", the
# 附注's brackets) and the typed ones they stand for aside; TABs are whitespace.
import_v2() {
  local dir=$1 name=$2
  gw "$dir" import "$name.txt" -o "$SCRATCH/$name.xml"
  status_is "import $name" 0
  same_file "import $name: warnings" "$dir/$name.warnings" "$SCRATCH/stderr"
  if [[ -e $dir/$name.xml ]]; then
    same_file "import $name: XML" "$dir/$name.xml" "$SCRATCH/$name.xml"
  else
    python3 "$E2E/structure.py" "$SCRATCH/$name.xml" >"$SCRATCH/$name.structure"
    grep -v '^#' "$dir/$name.structure" >"$SCRATCH/$name.structure.expected"
    same_file "import $name: structure" "$SCRATCH/$name.structure.expected" "$SCRATCH/$name.structure"
  fi
  gw "$SCRATCH" render "$name.xml" -o "$name.pdf"
  status_is "render imported $name" 0
  pdftotext -raw "$SCRATCH/$name.pdf" - | grep -v -E '^— [0-9]+ —$' | tr -d ' \n\f' \
    >"$SCRATCH/$name.pdftext"
  python3 - "$dir/$name.txt" "$SCRATCH/$name.pdftext" <<'PY' || fail "import $name: text missing from the PDF"
import re, sys
pdf = open(sys.argv[2], encoding='utf-8').read()
generated = re.compile(r'^(附件[0-9一二三四五六七八九十]*[：:]?|附[：:]|抄送[：:]|签发人[：:])')
at = 0
for line in open(sys.argv[1], encoding='utf-8'):
    t = re.sub(r'\s', '', line)
    if re.fullmatch(r'.{1,20}[〔【\[［（(][0-9]{4}[〕】\]］）)]第?[0-9]+号', t):
        if t not in pdf:
            sys.exit(f'FAIL: the 发文字号 {t!r} is not in the PDF')
        continue
    t = generated.sub('', t)
    t = re.sub(r'印发$', '', t)
    if re.fullmatch(r'[（(].*[）)]', t):
        t = t[1:-1]
    if not t:
        continue
    k = pdf.find(t, at)
    if k < 0:
        sys.exit(f'FAIL: {t!r} not found in the PDF after character {at}')
    at = k + len(t)
PY
}

for name in attachments issued table; do   # ours: every part, 版记 included
  import_v2 "$IMPORT/gongwen" "$name"
done
for txt in "$IMPORT"/real/*.txt; do       # published: tests/data/import/real/SOURCES.md
  import_v2 "$IMPORT/real" "$(basename "$txt" .txt)"
done

# ---- errors ---------------------------------------------------------------------------
printf 'sentinel\n' >"$SCRATCH/kept.xml"
mkdir -p "$SCRATCH/errs"
printf '\x81\x30\x81\n' >"$SCRATCH/errs/bad.txt"
gw "$SCRATCH/errs" import bad.txt -o "$SCRATCH/kept.xml"
status_is "import neither UTF-8 nor GB18030" 1
check_stderr "import bad bytes" "bad.txt:1:1: the text is neither UTF-8 (byte 0x81) nor GB18030"
printf '标题\n\n正文\x07。\n' >"$SCRATCH/errs/ctl.txt"
gw "$SCRATCH/errs" import ctl.txt -o "$SCRATCH/kept.xml"
status_is "import control character" 1
check_stderr "import control character" "ctl.txt:3:3: character U+0007 cannot be written in an XML source"
[[ $(cat "$SCRATCH/kept.xml") == sentinel ]] || fail "a failed import changed the output file"
left=$(cd "$SCRATCH" && ls -A | grep '^kept\.xml\.' || true)
[[ -z $left ]] || fail "a failed import left a temporary: $left"

gw "$SCRATCH" import /nonexistent.txt -o "$SCRATCH/x.xml"
status_is "import missing file" 2
check_stderr "import missing file" "/nonexistent.txt: cannot read: No such file or directory"
gw "$SCRATCH" import "$SEED"
status_is "import without -o" 2
gw "$SCRATCH" import "$SEED" "$SEED" -o x.xml
status_is "import two inputs" 2
gw "$SCRATCH" render "$SEED" --fix -o x.pdf
status_is "--fix outside lint" 2
[[ ! -e $SCRATCH/x.xml ]] || fail "a usage error wrote x.xml"

finish
