#!/usr/bin/env bash
# A render killed with SIGKILL leaves the output path as it was. gwpdf builds the PDF in
# memory, writes it to an unnamed O_TMPFILE in the output directory and links it into
# place only when it is complete, so a kill at any moment must leave
#   - the earlier PDF at the output path, byte for byte (same SHA-256);
#   - no other file in the output directory.
# A large document (a few thousand paragraphs of sentences drawn from the real report
# content/zengcheng-2022-budget-self-evaluation.xml) keeps gwpdf busy for well over a
# second; it is killed at three fixed delays (while it parses and lays out), and once
# more the moment it holds a file open in the output directory (while it writes).
# Each kill must find gwpdf still running: the wait status must be 137 (128 + SIGKILL).
# Usage (ctest): bash sigkill.sh GWPDF_BINARY SOURCE_DIR SCRATCH_DIR
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"

REAL=$SRC/content/zengcheng-2022-budget-self-evaluation.xml
BIG=$SCRATCH/big.xml
OUTDIR=$SCRATCH/out            # holds out.pdf and nothing else
OUT=$OUTDIR/out.pdf
mkdir -p "$OUTDIR"

# gen_big N: write $BIG, N paragraphs in sections of 50, from the real report's sentences
gen_big() {
  python3 - "$REAL" "$BIG" "$1" <<'EOF'
import random, re, sys, xml.etree.ElementTree as ET
src, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
root = ET.parse(src).getroot()
texts = [''.join(p.itertext()).strip() for p in root.iter('p')]
heads = [''.join(h.itertext()).strip().rstrip('。') for h in root.iter('heading')]
sentences = [s for t in texts for s in re.findall(r'[^。；]+[。；]?', t) if len(s) > 4]
rng = random.Random(20221231)
esc = lambda s: s.replace('&', '&amp;').replace('<', '&lt;')
lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<report version="1">',
         '  <title>2022 年度广州市增城区总工会<br/>部门整体支出绩效自评报告</title>']
for first in range(0, n, 50):
    lines += ['  <section>', '    <heading>%s</heading>' % esc(rng.choice(heads))]
    for _ in range(min(50, n - first)):
        para = ''.join(rng.choice(sentences) for _ in range(rng.randint(1, 5)))
        lines.append('    <p>%s</p>' % esc(para))
    lines.append('  </section>')
lines.append('</report>')
open(out, 'w', encoding='utf-8').write('\n'.join(lines) + '\n')
EOF
}

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# ---- a document that takes well over a second --------------------------------------------
# 4000 paragraphs take about 1.7 s under ASan; a faster build gets a bigger document.
paras=4000
while :; do
  gen_big "$paras"
  t0=$(now)
  gw "$SCRATCH" render big.xml -o "$SCRATCH/big.pdf"
  full=$(secs "$t0" "$(now)")
  if ((RC != 0)); then
    fail "render big.xml ($paras paragraphs): exit status $RC: $(head -3 "$SCRATCH/stderr.filtered")"
    finish
  fi
  echo "big.xml: $paras paragraphs, $(wc -c <"$BIG") bytes, $(pdfinfo "$SCRATCH/big.pdf" | awk '/^Pages:/ { print $2 }') pages, rendered in $full s"
  awk -v t="$full" 'BEGIN { exit !(t >= 1.2) }' && break
  if ((paras >= 48000)); then
    fail "render big.xml takes only $full s even with $paras paragraphs: too fast to kill it mid-run"
    finish
  fi
  paras=$((paras * 2))
done
rm -f "$SCRATCH/big.pdf"

# ---- the earlier PDF at the output path ----------------------------------------------------
gw "$DATA" render no-label.xml -o "$OUT"
((RC == 0)) || { fail "render no-label.xml: exit status $RC: $(cat "$SCRATCH/stderr")"; finish; }
earlier=$(sha256sum <"$OUT")
cp "$OUT" "$SCRATCH/earlier.pdf"
echo "earlier PDF: $(wc -c <"$OUT") bytes, sha256 ${earlier%% *}"

# check_after WHAT: the earlier PDF is still at $OUT, byte for byte, and alone in $OUTDIR;
# false after reporting (and restoring the earlier PDF alone, for the next kill) if not.
check_after() {
  local now_sum left fails0=$FAILS
  now_sum=$(sha256sum <"$OUT" 2>/dev/null || echo missing)
  [[ $now_sum == "$earlier" ]] ||
    fail "$1: the output path no longer holds the earlier PDF (sha256 ${now_sum%% *}, expected ${earlier%% *})"
  left=$(cd "$OUTDIR" && ls -A)
  [[ $left == out.pdf ]] || fail "$1: files in the output directory: ${left//$'\n'/ }"
  ((FAILS == fails0)) && return 0
  find "$OUTDIR" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
  cp "$SCRATCH/earlier.pdf" "$OUT"
  return 1
}

# running PID: is PID alive and not yet a zombie?
running() {
  local state
  state=$(awk '{ sub(/.*\) /, ""); print $1 }' "/proc/$1/stat" 2>/dev/null) || return 1
  [[ -n $state && $state != Z ]]
}

# killed_status PID WHAT: wait for PID; it must have died of SIGKILL (status 137)
killed_status() {
  local status=0
  wait "$1" 2>/dev/null || status=$?
  if ((status != 137)); then
    fail "$2: gwpdf exited with status $status before the kill (expected death by SIGKILL, 137)"
    return 1
  fi
}

# ---- killed while it parses and lays out -------------------------------------------------
for delay in 0.3 0.4 0.5; do
  what="SIGKILL after $delay s"
  (cd "$SCRATCH" && exec "$GWPDF" render big.xml -o "$OUT") >/dev/null 2>"$SCRATCH/kill.stderr" &
  pid=$!
  t0=$(now)
  sleep "$delay"
  if running "$pid"; then
    kill -KILL "$pid"
    at=$(secs "$t0" "$(now)")
  else
    fail "$what: gwpdf had already exited"
  fi
  killed_status "$pid" "$what" || continue
  check_after "$what" || continue
  echo "ok: $what (killed at $at s of about $full s): earlier PDF intact, nothing else left"
done

# ---- killed while it writes the PDF -------------------------------------------------------
# Watch gwpdf's open files and kill it the moment one of them is in the output directory
# (the O_TMPFILE shows as OUTDIR/#INODE (deleted); a named temporary, where O_TMPFILE is not
# supported, as OUTDIR/out.pdf.XXXXXX).
what="SIGKILL while writing"
(cd "$SCRATCH" && exec "$GWPDF" render big.xml -o "$OUT") >/dev/null 2>"$SCRATCH/kill.stderr" &
pid=$!
seen=$(python3 - "$pid" "$OUTDIR" <<'EOF'
import os, signal, sys, time
pid, outdir = int(sys.argv[1]), os.path.realpath(sys.argv[2])
t0, fd_dir = time.monotonic(), '/proc/%d/fd' % pid
while time.monotonic() - t0 < 120:
    try:
        with open('/proc/%d/stat' % pid) as f:
            if f.read().rsplit(')', 1)[1].split()[0] == 'Z':
                break
        fds = os.listdir(fd_dir)
    except OSError:
        break
    for fd in fds:
        try:
            target = os.readlink(os.path.join(fd_dir, fd))
        except OSError:
            continue
        if target.startswith(outdir + '/'):
            os.kill(pid, signal.SIGKILL)
            print('%.2f s, fd %s -> %s' % (time.monotonic() - t0, fd, target))
            sys.exit(0)
print('never')
EOF
)
if [[ $seen == never ]]; then
  wait "$pid" 2>/dev/null || true
  fail "$what: gwpdf never held a file open in $OUTDIR (it exited first)"
elif killed_status "$pid" "$what" && check_after "$what"; then
  echo "ok: $what (killed at $seen): earlier PDF intact, nothing else left"
fi

finish
