#!/usr/bin/env bash
# Makes again the real .docx fixtures the import tests read (tests/e2e/docx.sh), and
# LibreOffice's plain text of each (what the render must hold, in order):
#   libreoffice/project.docx          project.xml as a clerk types it in LibreOffice
#                                     Writer (make_fodt.py --frame: the label and title
#                                     in a text frame), saved as .docx by LibreOffice
#   libreoffice/gongwen-*.docx        the whole 公文 of tests/data/import/gongwen/*.xml typed
#                                     in Writer: 版头 lines in a text frame, 主送, 附件说明,
#                                     落款, 附注, attachments on new pages, an issued 方案, 版记
#   libreoffice/zengcheng-2022.docx   the real report (the text import's source of the
#                                     seed), headings on Heading 1-4 with outline numbering
#   libreoffice/zengcheng-2022-lists.docx  the same, numbered by a list style instead
#   python-docx/library.docx          written by make.py with Debian's python3-docx
#   public/*                          files from public repositories (public/SOURCES.md):
#                                     only their text is made again here
# The fixtures are committed, so the tests need neither LibreOffice nor python-docx;
# this script installs them (libreoffice-writer-nogui, python3-docx) when run.
# Usage: bash tests/data/import/docx/regenerate.sh
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../../../.." && pwd)
bash "$ROOT/scripts/deps.sh" libreoffice-writer-nogui python3-docx
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# A private profile: a user's LibreOffice settings must not change the files.
SOFFICE=(soffice "-env:UserInstallation=file://$WORK/profile" --headless)

to_docx() {   # NAME.fodt in $WORK → DIR/NAME.docx and DIR/NAME.txt
  local name=$1 dir=$2
  (cd "$WORK" && "${SOFFICE[@]}" --convert-to docx "$name.fodt" >/dev/null 2>&1)
  cp "$WORK/$name.docx" "$dir/$name.docx"
  text_of "$dir/$name.docx"
}

text_of() {   # DIR/NAME.docx (or .dotx) → DIR/NAME.txt, as LibreOffice reads it
  local docx=$1 stem
  stem=$(basename "${docx%.*}")
  (cd "$WORK" && "${SOFFICE[@]}" --convert-to txt:Text "$docx" >/dev/null 2>&1)
  cp "$WORK/$stem.txt" "${docx%.*}.txt"
}

LO=$HERE/libreoffice
python3 "$LO/make_fodt.py" --frame "$LO/project.xml" "$WORK/project.fodt"
to_docx project "$LO"
for name in attachments issued; do          # whole 公文 (format v2), the 版头 in a text frame
  python3 "$LO/make_fodt.py" --frame "$ROOT/tests/data/import/gongwen/$name.xml" \
    "$WORK/gongwen-$name.fodt"
  to_docx "gongwen-$name" "$LO"
done
python3 "$LO/make_fodt.py" "$ROOT/tests/data/import/seed-zengcheng-2022.xml" "$WORK/zengcheng-2022.fodt"
to_docx zengcheng-2022 "$LO"
python3 "$LO/make_fodt.py" --lists "$ROOT/tests/data/import/seed-zengcheng-2022.xml" \
  "$WORK/zengcheng-2022-lists.fodt"
to_docx zengcheng-2022-lists "$LO"

PD=$HERE/python-docx
/usr/bin/python3 "$PD/make.py" "$PD/library.docx"
text_of "$PD/library.docx"
for f in "$HERE"/public/*.docx "$HERE"/public/*.dotx; do
  text_of "$f"
done
echo "regenerate.sh: wrote $(ls "$LO"/*.docx "$PD"/*.docx | wc -l) .docx files and their .txt"
