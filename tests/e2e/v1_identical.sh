#!/usr/bin/env bash
# Format v1 documents render byte for byte as they did (issue 14: "version 1 documents keep
# rendering exactly as they do now"): a change to the code shows here unless it leaves every
# v1 PDF as it was.  tests/data/v1-golden.sha256 holds the SHA-256 of the PDF of every v1
# source of content/, tests/data/e2e/ and tests/data/tables/ with SOURCE_DATE_EPOCH=1700000000
# and default options: first as rendered by the last commit before v2 (7105f3f), which v2 left
# unchanged; then regenerated once, on purpose, by issue 16's changes to how text is set
# (ragged table cells and columns from their content, a line-start bracket without its
# blank, stretch at Han junctions before Han–Latin gaps, bracket pairs, a last page tightened
# by up to three rows, titles broken at phrase ends); and once more by issue 20's move from
# zlib to libdeflate (the same streams, compressed differently and smaller); and once by
# issue 17, whose OFD read-back found the PDF's page number spaced with the body's last
# character spacing (Tc outlives ET): every text object now ends with "0 Tc" when it set
# one, the only change in the content streams.  Regenerate
# only for such a deliberate change, and say which in the commit.  This test renders each listed source the same way and fails naming each
# source whose bytes differ; it also fails when a v1 source of those folders is not listed
# (a new v1 document gets its line by the one-liner below).  Version 2 sources
# (<document version="2">) are not listed: they have no "before".
#
# The bytes depend on the faces embedded, so the sums hold only with the free Debian faces
# that scripts/deps.sh installs, every font role served by its stand-in (`gwpdf fonts` says
# "fallback stand-in" for each; fonts/ empty, no office faces installed).  They were made
# with fonts-arphic-gbsn00lp 2.11-16, fonts-arphic-gkai00mp 2.11-16, fonts-wqy-zenhei
# 0.9.45-8, fonts-liberation 1:1.07.4-11, fonts-noto-cjk 1:20220127+repack1-1,
# fonts-hanazono 20170904-2.1 (Debian bookworm).  When a font package changes, regenerate
# the sums with a build of a commit this test passed on before the change (the v2 code must
# not be the one vouching for itself), in build/, from the repository's top:
#
#   awk '{print $2}' tests/data/v1-golden.sha256 | while read -r f; do SOURCE_DATE_EPOCH=1700000000 build/gwpdf render "$f" -o /tmp/v1.pdf 2>/dev/null && printf '%s  %s\n' "$(sha256sum </tmp/v1.pdf | cut -c1-64)" "$f"; done >/tmp/v1.sums && mv /tmp/v1.sums tests/data/v1-golden.sha256
#
# (to add a v1 source, append "0  PATH" to the file first) and update the versions above.
# Usage (ctest): bash v1_identical.sh GWPDF_BINARY SOURCE_DIR SCRATCH_DIR
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"

SUMS=$SRC/tests/data/v1-golden.sha256
export SOURCE_DATE_EPOCH=1700000000
FONT_PACKAGES=(fonts-arphic-gbsn00lp fonts-arphic-gkai00mp fonts-wqy-zenhei fonts-liberation
  fonts-noto-cjk fonts-hanazono)

# Which faces serve the roles: the sums were made with every role on its stand-in.
gw "$SRC" fonts
not_fallback=$(grep -E '^[a-z0-9]+ +[^ ]+: ' "$SCRATCH/stdout" | grep -v -E ': fallback stand-in$' || true)
if [[ -n $not_fallback ]]; then
  fail "the golden sums are for the Debian stand-in faces, but here some roles use other faces" \
    "(fonts/ or installed office fonts), so no v1 PDF can match:"
  while read -r line; do echo "    $line" >&2; done <<<"$not_fallback"
  finish
fi

# root_of XML: the name of the root element (v1: report, v2: document).
root_of() {
  /usr/bin/python3 -c 'import sys, xml.etree.ElementTree as E; print(E.parse(sys.argv[1]).getroot().tag)' "$1" 2>/dev/null || true
}

declare -A listed=()
differ=()
while read -r want path; do
  [[ -z $want || $want == \#* ]] && continue
  listed[$path]=1
  pdf=$SCRATCH/$(tr / _ <<<"$path").pdf
  if [[ ! -f $SRC/$path ]]; then
    fail "$path: listed in tests/data/v1-golden.sha256 but missing"
    continue
  fi
  render_ok "$path" "$SRC" "$path" "$pdf" || continue
  got=$(sha256sum <"$pdf" | cut -c1-64)
  if [[ $got != "$want" ]]; then
    fail "$path: the PDF differs from the one rendered before format v2 (sha256 $got, want $want; kept in $pdf)"
    differ+=("$path")
  else
    echo "ok   $path"
  fi
done <"$SUMS"

# Every v1 source of the folders the sums cover is listed.
for xml in "$SRC"/content/*.xml "$SRC"/tests/data/e2e/*.xml "$SRC"/tests/data/tables/*.xml; do
  rel=${xml#"$SRC"/}
  [[ $(root_of "$xml") == report ]] || continue
  [[ -n ${listed[$rel]:-} ]] ||
    fail "$rel: a version 1 source not in tests/data/v1-golden.sha256 (add it: see the top of $0)"
done

if ((${#differ[@]} > 0)); then
  echo "sources rendering differently from before format v2: ${differ[*]}" >&2
  echo "font packages installed (the sums were made with the versions at the top of $0):" >&2
  for p in "${FONT_PACKAGES[@]}"; do
    echo "    $(dpkg-query -W -f='${Package} ${Version}' "$p" 2>/dev/null || echo "$p not installed")" >&2
  done
fi
finish
