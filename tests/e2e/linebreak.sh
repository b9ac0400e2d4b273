#!/usr/bin/env bash
# Renders every content/*.xml and tests/data/e2e/rules.xml (a document written so that the
# Chinese line-breaking rules of docs/linebreak.md ("The rules") bite at line ends) and reads
# each glyph back with glyphs.py (Debian's python3-pdfminer): kinsoku, unbroken ——, …… and
# numbers, nothing outside the type area, lines flush at both edges (a line-start opener's ink
# at the left edge), 28 ideographs on a full line, the Han-Latin gap at a quarter em on every
# line that has other junctions to stretch (and after a number's % as before it).  Also checks that the text survives: pdftotext's
# output, white space removed, holds every non-white-space character of the XML text in
# order (generated heading and list numbers may come in between).
# Usage (ctest): bash linebreak.sh GWPDF_BINARY SOURCE_DIR SCRATCH_DIR
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"

# Debian's interpreter: a python3 earlier on the PATH (pyenv) may lack python3-pdfminer.
PY=/usr/bin/python3
GLYPHS=$E2E/glyphs.py
if ! "$PY" -c 'import pdfminer.high_level' 2>/dev/null; then
  fail "$PY cannot import pdfminer: install Debian's python3-pdfminer (scripts/deps.sh)"
  finish
fi

shopt -s nullglob
docs=("$SRC"/content/*.xml "$DATA/rules.xml")
for xml in "${docs[@]}"; do
  name=$(basename "$(dirname "$xml")")-$(basename "$xml" .xml)
  pdf=$SCRATCH/$name.pdf
  echo "== $name"
  render_ok "$name" "$(dirname "$xml")" "$xml" "$pdf" || continue

  "$PY" "$GLYPHS" "$pdf" || fail "$name: glyph-level checks (see above)"

  # The text survives: an in-order subsequence check of the XML text against pdftotext.
  "$PY" - "$pdf" "$xml" <<'EOF' || fail "$name: text does not survive (see above)"
import re, subprocess, sys, xml.etree.ElementTree as ET

pdf, src = sys.argv[1:3]
parts = []


def walk(e):
    if e.tag == 'meta':                  # document information, not printed
        pass
    elif e.tag == 'date':                # YYYY-MM-DD is printed as 2023年3月15日
        t = (e.text or '').strip()
        m = re.fullmatch(r'(\d{4})-(\d{2})-(\d{2})', t)
        parts.append('%d年%d月%d日' % tuple(map(int, m.groups())) if m else t)
    else:
        parts.append(e.text or '')
        for c in e:
            walk(c)
    parts.append(e.tail or '')


walk(ET.parse(src).getroot())
want = ''.join(''.join(parts).split())
out = subprocess.run(['pdftotext', '-raw', '-enc', 'UTF-8', pdf, '-'],
                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True)
got = ''.join(out.stdout.decode('utf-8').split())
at = 0
for i, ch in enumerate(want):
    k = got.find(ch, at)
    if k < 0:
        print('FAIL: text: %r (U+%04X, character %d of the XML text, after %r) is not in '
              'the PDF text after %r' % (ch, ord(ch), i + 1, want[max(0, i - 20):i],
                                         got[max(0, at - 20):at + 20]))
        sys.exit(1)
    at = k + 1
print('text: all %d characters of the XML text found in order in %d of pdftotext'
      % (len(want), len(got)))
EOF
done
finish
