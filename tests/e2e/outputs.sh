#!/usr/bin/env bash
# Where output goes and what may be read (issue 21, items 1-4 and 9-10), for every command
# that writes (render, batch render, import, lint --fix):
#   - a character device is written in place, never replaced: a private null device
#     (mknod c 1 3) is still a device after render/import/lint, and the full device
#     (c 1 7) fails with "No space left on device", exit 2;
#   - a FIFO: with no reader, exit 2 at once ("no process is reading"); with a reader, the
#     reader receives the whole PDF;
#   - the output is an input (same name, a hard link, a symbolic link): exit 2, the source
#     byte for byte unchanged;
#   - a batch with two inputs of one base name: exit 2 before anything is rendered, and an
#     earlier PDF of that name in the directory is untouched;
#   - a directory as output, an empty -o, --limit with a sign or a space: exit 2, one line;
#   - reads are bounded and never block: /dev/zero as the text to import stops at the byte
#     limit (exit 1), a FIFO as the seal or as a --font file fails at once;
#   - a file name holding a newline stays on one line of stderr;
#   - warnings are capped by --limit errors like errors, with a closing count.
# The device cases need root (mknod); they are reported as not run otherwise.
# Usage (ctest): bash outputs.sh GWPDF_BINARY SOURCE_DIR SCRATCH_DIR
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"

W=$SCRATCH/w
mkdir -p "$W"
cp "$SRC/content/qinghe-2023-order.xml" "$W/order.xml"
cp "$SRC/content/qinghe-signer-stamp.png" "$W/"
cp "$DATA/seed-zengcheng-2022.txt" "$W/seed.txt"
cp "$W/order.xml" "$W/order.orig"
cp "$W/seed.txt" "$W/seed.orig"

# expect_rc WHAT WANT: RC is WANT
expect_rc() {
  [[ $RC -eq $2 ]] || { fail "$1: exit status $RC, want $2"; sed 's/^/    /' "$SCRATCH/stderr.filtered" >&2; }
}

# expect_err WHAT TEXT: stderr (font warnings dropped) is exactly TEXT
expect_err() {
  if [[ $(cat "$SCRATCH/stderr.filtered") != "$2" ]]; then
    fail "$1: stderr differs:"
    diff -u <(printf '%s\n' "$2") "$SCRATCH/stderr.filtered" | sed 's/^/    /' >&2 || true
  fi
}

# same_bytes WHAT A B
same_bytes() { cmp -s "$2" "$3" || fail "$1: $2 was changed"; }

# ---- devices (root) -------------------------------------------------------------
if mknod "$W/null" c 1 3 2>/dev/null && mknod "$W/full" c 1 7 2>/dev/null; then
  gw "$W" render order.xml -o null
  expect_rc "render -o NULL-DEVICE" 0
  [[ -c $W/null ]] || fail "render -o NULL-DEVICE: the device node was replaced"
  gw "$W" render order.xml -o full
  expect_rc "render -o FULL-DEVICE" 2
  expect_err "render -o FULL-DEVICE" "full: cannot write: No space left on device"
  [[ -c $W/full ]] || fail "render -o FULL-DEVICE: the device node was replaced"
  gw "$W" import seed.txt -o null
  expect_rc "import -o NULL-DEVICE" 0
  [[ -c $W/null ]] || fail "import -o NULL-DEVICE: the device node was replaced"
  gw "$W" import seed.txt -o full
  expect_rc "import -o FULL-DEVICE" 2
  grep -q '^full: cannot write: No space left on device$' "$SCRATCH/stderr" ||
    fail "import -o FULL-DEVICE: no 'No space left on device' line"
  gw "$W" lint order.xml --fix -o null
  [[ -c $W/null ]] || fail "lint --fix -o NULL-DEVICE: the device node was replaced"
  ls "$W" | grep -q -E '^(null|full)\.' && fail "a temporary file was left beside a device"
  echo "ok   devices written in place, never replaced"
else
  echo "not run: the device cases need root (mknod)"
fi

# ---- FIFOs ----------------------------------------------------------------------
mkfifo "$W/fifo"
start=$SECONDS
gw "$W" render order.xml -o fifo
expect_rc "render -o FIFO without a reader" 2
expect_err "render -o FIFO without a reader" "fifo: cannot write: no process is reading this FIFO"
(cat "$W/fifo" >"$W/from-fifo.pdf") &
reader=$!
sleep 0.2
gw "$W" render order.xml -o fifo
wait "$reader" || true
expect_rc "render -o FIFO with a reader" 0
pdfinfo "$W/from-fifo.pdf" >/dev/null 2>&1 || fail "render -o FIFO: the reader did not get a PDF"
[[ -p $W/fifo ]] || fail "render -o FIFO: the FIFO was replaced"

# A FIFO where a file is meant: the seal, a font.  Nothing writes to it: any blocking open hangs.
sed 's|qinghe-signer-stamp.png|fifo|' "$W/order.xml" >"$W/fifo-seal.xml"
gw "$W" render fifo-seal.xml -o fifo-seal.pdf
expect_rc "a FIFO as the seal" 1
grep -q 'cannot read the seal image fifo: is a FIFO (named pipe), not a regular file$' "$SCRATCH/stderr" ||
  fail "a FIFO as the seal: message: $(cat "$SCRATCH/stderr.filtered")"
gw "$W" render order.xml -o fifo-font.pdf --font body=fifo
expect_rc "a FIFO as --font" 2
expect_err "a FIFO as --font" \
  "fifo: cannot read font file given with --font body: is a FIFO (named pipe), not a regular file"
((SECONDS - start < 60)) || fail "the FIFO cases took $((SECONDS - start)) s: something blocked"
[[ -e $W/fifo-seal.pdf || -e $W/fifo-font.pdf ]] && fail "a PDF was written after a FIFO error"

# ---- the output is an input -----------------------------------------------------
ln "$W/order.xml" "$W/hard.xml"
ln -s order.xml "$W/soft.xml"
for target in order.xml hard.xml soft.xml ./order.xml; do
  gw "$W" render order.xml -o "$target"
  expect_rc "render order.xml -o $target" 2
  expect_err "render order.xml -o $target" \
    "$target: is the input order.xml itself: writing there would destroy the source; choose another output name"
  same_bytes "render order.xml -o $target" "$W/order.xml" "$W/order.orig"
done
gw "$W" import seed.txt -o seed.txt
expect_rc "import seed.txt -o seed.txt" 2
same_bytes "import seed.txt -o seed.txt" "$W/seed.txt" "$W/seed.orig"
mkdir -p "$W/in"
cp "$W/order.xml" "$W/in/order.pdf"        # an input named like the batch's output
cp "$W/qinghe-signer-stamp.png" "$W/in/"
cp "$W/order.xml" "$W/in/order"
gw "$W" render in/order in/order.pdf -o in/
expect_rc "batch whose output is one of its inputs" 2
same_bytes "batch whose output is one of its inputs" "$W/in/order.pdf" "$W/order.orig"

# ---- a batch with two inputs of one base name ---------------------------------
mkdir -p "$W/a" "$W/b" "$W/out"
cp "$W/order.xml" "$W/a/r.xml"
cp "$W/order.xml" "$W/b/r.xml"
cp "$W/qinghe-signer-stamp.png" "$W/a/"
cp "$W/qinghe-signer-stamp.png" "$W/b/"
printf 'an earlier PDF\n' >"$W/out/r.pdf"
cp "$W/out/r.pdf" "$W/r.orig"
gw "$W" render a/r.xml b/r.xml -o out/
expect_rc "batch a/r.xml b/r.xml" 2
expect_err "batch a/r.xml b/r.xml" \
  "a/r.xml and b/r.xml would both be written to out/r.pdf: give them different names or render them into different directories"
same_bytes "batch a/r.xml b/r.xml" "$W/out/r.pdf" "$W/r.orig"
[[ $(ls -A "$W/out") == r.pdf ]] || fail "batch a/r.xml b/r.xml: wrote $(ls -A "$W/out" | tr '\n' ' ')"

# ---- refused outputs and arguments ------------------------------------------------
gw "$W" render order.xml -o a
expect_rc "render -o DIRECTORY" 2
expect_err "render -o DIRECTORY" "a: cannot write the output into a directory; name a file"
gw "$W" render order.xml -o ''
expect_rc "render -o ''" 2
expect_err "render -o ''" $'gwpdf: -o needs a value, got an empty one\n(run \'gwpdf --help\' for usage)'
for v in '+5' ' 5' '5 ' '0x10' '-1'; do
  gw "$W" render order.xml -o x.pdf --limit "bytes=$v"
  expect_rc "--limit bytes='$v'" 2
  grep -q 'a limit is a positive whole number' "$SCRATCH/stderr" || fail "--limit bytes='$v': message"
done

# ---- bounded reads ------------------------------------------------------------------
gw "$W" import /dev/zero -o zero.xml --limit bytes=100000
expect_rc "import /dev/zero" 1
expect_err "import /dev/zero" \
  "/dev/zero: the file is more than 100000 bytes, the limit (raise it with --limit bytes=N)"
[[ -e $W/zero.xml ]] && fail "import /dev/zero: wrote zero.xml"

# ---- one message, one line ------------------------------------------------------------
nl_name=$'bad\nname.xml'
gw "$W" render "$nl_name" -o nl.pdf
expect_rc "a file name with a newline" 2
[[ $(wc -l <"$SCRATCH/stderr.filtered") -eq 1 ]] ||
  fail "a file name with a newline: $(wc -l <"$SCRATCH/stderr.filtered") lines on stderr"
grep -q '^bad\\nname.xml: cannot read' "$SCRATCH/stderr" || fail "a file name with a newline: not escaped"

# ---- warnings capped --------------------------------------------------------------------
# Straight quotes: one lint warning each.
{
  echo '<?xml version="1.0" encoding="UTF-8"?><report version="1"><title>标题</title>'
  for i in $(seq 1 40); do echo "<p>第${i}段\"引号\"。</p>"; done
  echo '</report>'
} >"$W/quotes.xml"
gw "$W" lint quotes.xml --limit errors=5
n=$(grep -c 'warning:' "$SCRATCH/stderr.filtered" || true)
[[ $n -eq 5 ]] || fail "lint --limit errors=5: $n warnings printed, want 5"
grep -q -E '^quotes.xml: [0-9]+ more warnings not shown \(raise the limit with --limit errors=N\)$' \
  "$SCRATCH/stderr" || fail "lint --limit errors=5: no closing count: $(tail -1 "$SCRATCH/stderr")"

finish
