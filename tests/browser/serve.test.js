#!/usr/bin/env node
'use strict';
// serve.test.js: the page of `gwpdf serve` (docs/serve.md) in headless Chromium, end to
// end, against the real server and measured against the command line.
//
//   GWPDF=/path/to/gwpdf [GWPDF_SCREENSHOTS=DIR] node tests/browser/serve.test.js
//
// Starts `$GWPDF serve --listen 127.0.0.1:PORT --fonts-dir <repo>/fonts` on a free port
// (SOURCE_DATE_EPOCH=1700000000, as for every CLI run here), waits for /api/health,
// then, in one page at 1400×900:
//   a. pastes the real report's text (tests/data/e2e/seed-zengcheng-2022.txt): the
//      editor holds what `gwpdf import` makes of it (its <section>s and headings), the
//      preview shows as many pages as `gwpdf render` gives (pdfinfo); the fonts panel
//      names the faces.                                  → docs/serve-report.png
//   b. breaks a tag in the source by typing: the messages are the errors `gwpdf render`
//      prints for the same text, at the same line and column; the preview stays, dimmed;
//      clicking the message puts the cursor there and marks the line; a schema error
//      (no column) too.  Then the source is put back.   → docs/serve-error.png
//   d. downloads the PDF (the page's own <a download>, saved by Chromium): the bytes of
//      `gwpdf render` of the editor's source.
//   c. opens the v2 covering letter with the report it binds and the seal (the file
//      input): the 版头 page (red ink at its top) and the attachments' pages, as many as
//      `gwpdf render content/zengcheng-2023-letter.xml` gives.  → docs/serve-letter.png
//      The same files in a .zip (stored and deflated entries), unpacked by the page: the
//      same pages; a .zip with a folder in it is refused.
//   d. again for the letter (a multipart render of the files unpacked from the .zip):
//      PDF and OFD identical to the CLI's.
// The screenshots are 1400×900, into docs/ unless GWPDF_SCREENSHOTS names a directory
// (ctest does, tests/CMakeLists.txt).  The server is stopped whatever happens; the test fails if it exits on its own or
// with a status other than 0 (or SIGTERM's), or prints a sanitizer report.
// Exit status 0: every check passed; 1: a check failed; 2: usage or set-up error.

const fs = require('fs');
const os = require('os');
const path = require('path');
const zlib = require('zlib');
const { spawn, spawnSync } = require('child_process');
const {
  withPage, withTimeout, freePort, waitForHttp, downloadsTo, sleep,
} = require('./harness');

const ROOT = path.resolve(__dirname, '..', '..');
const CONTENT = path.join(ROOT, 'content');
const FONTS = path.join(ROOT, 'fonts');
const SEED = path.join(ROOT, 'tests', 'data', 'e2e', 'seed-zengcheng-2022.txt');
const LETTER = ['zengcheng-2023-letter.xml', 'zengcheng-2022-budget-self-evaluation.xml',
  'zengcheng-union-seal.png'];
// docs/ by default; ctest gives a scratch directory, so that a test run leaves the
// source tree as it was.
const SHOTS_DIR = process.env.GWPDF_SCREENSHOTS || path.join(ROOT, 'docs');
const SCREENSHOTS = {
  report: path.join(SHOTS_DIR, 'serve-report.png'),
  error: path.join(SHOTS_DIR, 'serve-error.png'),
  letter: path.join(SHOTS_DIR, 'serve-letter.png'),
};
const VIEWPORT = { width: 1400, height: 900 };
const EPOCH = '1700000000';
const STEP_MS = 90000;          // one render, one download, one wait
const TOTAL_MS = 15 * 60000;    // the whole browser session
const SANITIZER = /ERROR: (AddressSanitizer|LeakSanitizer|MemorySanitizer|ThreadSanitizer)|runtime error:|SUMMARY: \w+Sanitizer/;

const GWPDF = process.env.GWPDF;
const ENV = { ...process.env, SOURCE_DATE_EPOCH: EPOCH };

function usage(msg) {
  process.stderr.write(`serve.test: ${msg}\nusage: GWPDF=/path/to/gwpdf node tests/browser/serve.test.js\n`);
  process.exit(2);
}

// ------------------------------------------------------------------------------------
// The command line, for comparison

// Runs $GWPDF args in cwd; {status, stdout, stderr}.
function cli(args, cwd) {
  const r = spawnSync(GWPDF, args, { cwd, env: ENV, encoding: 'utf8', timeout: 120000 });
  if (r.error) throw new Error(`gwpdf ${args.join(' ')}: ${r.error.message}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function pdfPages(file) {
  const r = spawnSync('pdfinfo', [file], { encoding: 'utf8' });
  const m = /^Pages:\s+(\d+)/m.exec(r.stdout || '');
  if (r.status !== 0 || !m) throw new Error(`pdfinfo ${file} failed: ${r.stderr || r.stdout}`);
  return Number(m[1]);
}

// Renders NAME in dir (which holds it and its files) to dir/cli.FORMAT; the path.
function cliRender(dir, name, format = 'pdf') {
  const out = path.join(dir, `cli.${format}`);
  const r = cli(['render', name, '-o', out, '--fonts-dir', FONTS], dir);
  if (r.status !== 0) {
    throw new Error(`gwpdf render ${name} exited ${r.status}: ${r.stderr.slice(0, 400)}`);
  }
  return out;
}

// The error lines of stderr, `FILE:LINE:COL: message` or `FILE:LINE: message`.
function cliErrors(stderr) {
  const out = [];
  for (const line of stderr.split('\n')) {
    const m = /^([^:]+):(\d+):(?:(\d+):)? (.*)$/.exec(line);
    if (m && !m[4].startsWith('warning: ')) {
      out.push({ file: m[1], line: Number(m[2]), col: Number(m[3] || 0), message: m[4] });
    }
  }
  return out;
}

// The UTF-16 offset of line:col (from 1; col counts characters), as the page computes it.
function offsetOf(text, line, col) {
  let start = 0;
  for (let l = 1; l < line; l++) start = text.indexOf('\n', start) + 1;
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  let off = start;
  for (let c = 1; c < col && off < end; c++) off += text.codePointAt(off) > 0xffff ? 2 : 1;
  return off;
}

// A .zip of entries [{name, data, deflate}] (UTF-8 names, no extra fields), for the page's
// reader: a local header and the data each, the central directory, its end record.
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

function zipOf(entries) {
  const locals = [];
  const central = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const packed = e.deflate ? zlib.deflateRawSync(e.data) : e.data;
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    head.writeUInt16LE(20, 4);
    head.writeUInt16LE(0x800, 6);                 // names in UTF-8
    head.writeUInt16LE(e.deflate ? 8 : 0, 8);
    head.writeUInt16LE(0, 10);
    head.writeUInt16LE(0x21, 12);                 // 1980-01-01
    head.writeUInt32LE(crc32(e.data), 14);
    head.writeUInt32LE(packed.length, 18);
    head.writeUInt32LE(e.data.length, 22);
    head.writeUInt16LE(name.length, 26);
    head.writeUInt16LE(0, 28);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    head.copy(dir, 6, 4, 30);                      // version needed … name length, extra 0
    dir.writeUInt32LE(offset, 42);
    locals.push(head, name, packed);
    central.push(dir, name);
    offset += head.length + name.length + packed.length;
  }
  const dirBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dirBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dirBytes, end]);
}

// ------------------------------------------------------------------------------------
// The server

function startServer(port) {
  const args = ['serve', '--listen', `127.0.0.1:${port}`, '--fonts-dir', FONTS];
  const child = spawn(GWPDF, args, { env: ENV, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const server = { child, stderr: '', stdout: '', exit: null, stopping: false };
  child.stdout.on('data', (d) => { server.stdout += d; });
  child.stderr.on('data', (d) => { server.stderr += d; });
  server.exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => { server.exit = { code, signal }; resolve(server.exit); });
    child.on('error', (e) => { server.exit = { code: null, signal: null, error: e }; resolve(server.exit); });
  });
  // An Error if the server has gone while it should be up, else null.
  server.gone = () => {
    if (!server.exit || server.stopping) return null;
    const how = server.exit.error ? server.exit.error.message
      : server.exit.signal ? `by signal ${server.exit.signal}` : `with status ${server.exit.code}`;
    return new Error(`the server exited ${how}; its stderr: ${server.stderr.slice(-2000)}`);
  };
  return server;
}

// SIGTERM, 10 s, then SIGKILL to its process group (the workers too).
async function stopServer(server) {
  if (!server) return;
  server.stopping = true;
  if (!server.exit) {
    try { server.child.kill('SIGTERM'); } catch (e) { /* gone */ }
    const ended = await Promise.race([server.exited, sleep(10000).then(() => null)]);
    if (!ended) {
      try { process.kill(-server.child.pid, 'SIGKILL'); } catch (e) { /* gone */ }
      await Promise.race([server.exited, sleep(5000)]);
    }
  }
  try { process.kill(-server.child.pid, 'SIGKILL'); } catch (e) { /* the group is gone */ }
}

// ------------------------------------------------------------------------------------
// Checks

const failures = [];
const passed = [];

function check(cond, what) {
  if (!cond) throw new Error(what);
}

// Runs one scenario; a failure is recorded and the next scenario still runs.  Each is
// bounded by ms and stops at once when the server dies; once it is dead, the rest are
// skipped (the server's end is a failure of its own).
async function scenario(name, server, ms, fn) {
  if (server.gone()) {
    console.log(`SKIP ${name}: the server is gone`);
    return;
  }
  const t0 = Date.now();
  try {
    const gone = new Promise((_, reject) => {
      server.exited.then(() => { const e = server.gone(); if (e) reject(e); });
    });
    gone.catch(() => {});
    await withTimeout(Promise.race([fn(), gone]), ms, `scenario ${name}`);
    const s = ((Date.now() - t0) / 1000).toFixed(1);
    passed.push(name);
    console.log(`ok   ${name} (${s} s)`);
  } catch (e) {
    const s = ((Date.now() - t0) / 1000).toFixed(1);
    failures.push(`${name}: ${e.message}`);
    console.log(`FAIL ${name} (${s} s): ${e.message}`);
  }
}

// ------------------------------------------------------------------------------------
// The page

// Resolves when a render that finished after `since` renders has left the page in
// one of `states` (data-state of <body>); rejects with what the page shows otherwise.
async function renderDone(page, since, states, what) {
  try {
    await page.waitForFunction((n) => Number(document.body.dataset.renders) > n
      && document.body.dataset.state !== 'rendering', { timeout: STEP_MS }, since);
  } catch (e) {
    const status = await page.$eval('#status', (s) => s.textContent).catch(() => '?');
    throw new Error(`${what}: no render finished in ${STEP_MS} ms (status: ${status})`);
  }
  const { state, status, notice } = await page.evaluate(() => ({
    state: document.body.dataset.state,
    status: document.getElementById('status').textContent,
    notice: document.getElementById('notice').hidden ? '' : document.getElementById('notice-text').textContent,
  }));
  check(states.includes(state), `${what}: the page is "${state}", not ${states.join('/')} (status: ${status}${notice ? `; notice: ${notice}` : ''})`);
  return state;
}

const renders = (page) => page.$eval('body', (b) => Number(b.dataset.renders));

// The preview's pages: how many, whether each is loaded and A4-shaped.
async function previewPages(page) {
  return page.$$eval('#pages img.page', (imgs) => imgs.map((img, i) => ({
    n: i + 1,
    loaded: img.complete && img.naturalWidth > 0,
    ratio: img.naturalHeight / img.naturalWidth,
    caption: img.parentElement.querySelector('.page-number')
      ? img.parentElement.querySelector('.page-number').textContent : '',
  })));
}

async function checkPreview(page, want, what) {
  const pages = await previewPages(page);
  check(pages.length === want, `${what}: the preview shows ${pages.length} pages, gwpdf render gives ${want}`);
  for (const p of pages) {
    check(p.loaded, `${what}: page ${p.n} of the preview did not load`);
    const a4 = 297 / 210;
    check(Math.abs(p.ratio - a4) < 0.01 || Math.abs(1 / p.ratio - a4) < 0.01,
      `${what}: page ${p.n} is ${p.ratio.toFixed(3)} high for 1 wide, not A4 (${a4.toFixed(3)})`);
    check(p.caption.includes(`第 ${p.n} 页`), `${what}: page ${p.n}'s caption is "${p.caption}"`);
  }
}

async function editorText(page) {
  return page.$eval('#source', (t) => t.value);
}

// Replaces the editor's text as a clerk would see it happen (an input event), and
// resolves when the render of the new text has finished.
async function setEditor(page, text, states, what) {
  const since = await renders(page);
  await page.$eval('#source', (t, v) => {
    t.value = v;
    t.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
  return renderDone(page, since, states, what);
}

async function screenshot(page, file) {
  await sleep(300); // let the last images paint
  await page.screenshot({ path: file, type: 'png' });
  console.log(`     screenshot ${file.startsWith(ROOT) ? path.relative(ROOT, file) : file}`);
}

// Clicks 下载 PDF or 下载 OFD; the downloaded bytes and name.
async function downloadFrom(page, downloads, format) {
  await page.click(format === 'pdf' ? '#pdf-button' : '#ofd-button');
  const { file, name } = await downloads.next(STEP_MS);
  return { name, bytes: fs.readFileSync(file) };
}

function firstDifference(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return n;
}

// Downloads FORMAT through the page and compares it with `gwpdf render` of the
// editor's source and the document's files, written into a directory of their own.
async function checkDownload(page, downloads, format, work, fileSource, what) {
  const source = await editorText(page);
  const sourceName = await page.$eval('#source-name', (s) => s.textContent);
  const fileNames = await page.$$eval('#files .file', (lis) => lis.map((li) => li.dataset.name));
  const dir = fs.mkdtempSync(path.join(work, `${format}-`));
  fs.writeFileSync(path.join(dir, sourceName), source);
  for (const n of fileNames) {
    check(fileSource[n], `${what}: the page lists a file ${n} the test did not give it`);
    fs.copyFileSync(fileSource[n], path.join(dir, n));
  }
  const want = fs.readFileSync(cliRender(dir, sourceName, format));
  const got = await downloadFrom(page, downloads, format);
  const wantName = `${sourceName.replace(/\.xml$/i, '')}.${format}`;
  check(got.name === wantName, `${what}: the download is named ${got.name}, not ${wantName}`);
  check(got.bytes.length === want.length && got.bytes.equals(want),
    `${what}: the downloaded ${format.toUpperCase()} (${got.bytes.length} bytes) differs from gwpdf render's (${want.length} bytes) from byte ${firstDifference(got.bytes, want)}`);
  console.log(`     ${got.name}: ${got.bytes.length} bytes, as gwpdf render writes`);
}

// ------------------------------------------------------------------------------------
// The scenarios

async function run(page, errors, server, base, work) {
  const state = { reportSource: null, reportPages: 0 };
  await page.goto(`${base}/`, { waitUntil: 'load' });
  await page.waitForFunction(() => document.querySelectorAll('#fonts li.font').length > 0,
    { timeout: STEP_MS }).catch(() => {
    throw new Error('the fonts panel stayed empty (GET /api/fonts)');
  });
  const downloads = await downloadsTo(page, fs.mkdtempSync(path.join(work, 'downloads-')));

  await scenario('fonts panel', server, STEP_MS, async () => {
    const roles = await page.$$eval('#fonts li.font', (lis) => lis.map((li) => ({
      role: li.dataset.role, text: li.textContent, standin: li.classList.contains('standin'),
    })));
    const body = roles.find((r) => r.role === 'body');
    check(body, 'no line for the body role (正文)');
    check(/^正文 \S+：/.test(body.text), `the body role reads "${body.text}"`);
    const fonts = cli(['fonts', '--fonts-dir', FONTS], work);
    const m = /^body\s+\S+: ([^\n,]+)[^\n]*\n\s+1\. (.+?) — /m.exec(fonts.stdout);
    check(m, `cannot read gwpdf fonts: ${fonts.stdout.slice(0, 200)}`);
    check(body.text.includes(m[2]), `the body role reads "${body.text}", gwpdf fonts names ${m[2]}`);
    if (m[1] === 'fallback stand-in') {
      check(body.standin && body.text.includes('未安装，使用替代字体'),
        `the body role is a stand-in but reads "${body.text}"`);
    }
  });

  await scenario('a. paste the real report', server, STEP_MS * 2, async () => {
    const text = fs.readFileSync(SEED, 'utf8');
    // what the command line makes of it
    const dir = fs.mkdtempSync(path.join(work, 'a-'));
    fs.copyFileSync(SEED, path.join(dir, 'document.txt'));
    const imp = cli(['import', 'document.txt', '-o', 'document.xml'], dir);
    check(imp.status === 0, `gwpdf import of the seed exited ${imp.status}: ${imp.stderr.slice(0, 300)}`);
    const cliSource = fs.readFileSync(path.join(dir, 'document.xml'), 'utf8');
    const want = pdfPages(cliRender(dir, 'document.xml'));

    const since = await renders(page);
    await page.click('#paste-button');
    await page.waitForSelector('#paste-dialog[open]', { timeout: 5000 });
    await page.$eval('#paste-text', (t, v) => { t.value = v; }, text);
    await page.click('#paste-import');
    await renderDone(page, since, ['ready'], 'the pasted report');

    const source = await editorText(page);
    const headings = [...cliSource.matchAll(/<heading>(.*?)<\/heading>/g)].map((m) => m[1]);
    const sections = (cliSource.match(/<section>/g) || []).length;
    check(sections > 0 && headings.length > 0, 'gwpdf import gave no sections');
    check((source.match(/<section>/g) || []).length === sections,
      `the editor holds ${(source.match(/<section>/g) || []).length} <section>s, gwpdf import makes ${sections}`);
    for (const h of headings) check(source.includes(`<heading>${h}</heading>`), `the editor lacks the heading ${h}`);
    check(source === cliSource, `the editor's source differs from gwpdf import's at character ${firstDifference(source, cliSource)}`);
    const name = await page.$eval('#source-name', (s) => s.textContent);
    check(name === 'document.xml', `the source is named "${name}", not document.xml`);
    await checkPreview(page, want, 'the pasted report');
    const status = await page.$eval('#status', (s) => s.textContent);
    check(status.includes(`共 ${want} 页`), `the status says "${status}", not 共 ${want} 页`);
    const lines = await page.$$eval('#backdrop .ln', (l) => l.length);
    check(lines === source.split('\n').length, `the gutter numbers ${lines} lines, the source has ${source.split('\n').length}`);
    state.reportSource = source;
    state.reportPages = want;
    console.log(`     ${want} pages, ${sections} sections`);
    await screenshot(page, SCREENSHOTS.report);
  });

  await scenario('b. an error in the source', server, STEP_MS * 3, async () => {
    check(state.reportSource, 'needs the report of scenario a');
    const original = state.reportSource;
    // Break the end tag of a paragraph some way down: </p> becomes </q>, typed.
    const lines = original.split('\n');
    let target = -1;
    for (let i = 30; i < lines.length && target < 0; i++) if (/<p>.*<\/p>\s*$/.test(lines[i])) target = i;
    check(target >= 0, 'no one-line <p> after line 30 in the report');
    const col = lines[target].lastIndexOf('</p>') + 3;      // the 'p' of </p>, 1-based
    const at = offsetOf(original, target + 1, col);
    const since = await renders(page);
    await page.focus('#source');
    await page.$eval('#source', (t, a) => t.setSelectionRange(a, a + 1), at);
    await page.keyboard.type('q');
    await renderDone(page, since, ['failed'], 'the broken source');
    const broken = await editorText(page);
    check(broken === original.slice(0, at) + 'q' + original.slice(at + 1), 'typing did not change the source as expected');

    const dir = fs.mkdtempSync(path.join(work, 'b-'));
    fs.writeFileSync(path.join(dir, 'document.xml'), broken);
    const r = cli(['render', 'document.xml', '-o', 'x.pdf', '--fonts-dir', FONTS], dir);
    check(r.status === 1, `gwpdf render of the broken source exited ${r.status}, not 1`);
    const want = cliErrors(r.stderr);
    check(want.length > 0 && want.every((e) => e.col > 0), `gwpdf render printed no error with a column: ${r.stderr}`);
    const shown = await page.$$eval('#messages .msg[data-severity="error"]', (lis) => lis.map((li) => ({
      line: Number(li.dataset.line), col: Number(li.dataset.col),
      text: li.querySelector('.msg-text').textContent,
    })));
    check(shown.length === want.length,
      `the page lists ${shown.length} errors, gwpdf render prints ${want.length}: ${JSON.stringify(shown.map((s) => s.text))} / ${r.stderr}`);
    want.forEach((e, i) => {
      const text = `行 ${e.line} 列 ${e.col}：${e.message}`;
      check(shown[i].text === text, `error ${i + 1} reads "${shown[i].text}", gwpdf render says ${e.file}:${e.line}:${e.col}: ${e.message}`);
    });
    // the preview stays, dimmed
    await checkPreview(page, state.reportPages, 'the preview after the error');
    check(await page.$eval('#preview', (p) => p.classList.contains('stale')), 'the last good preview is not dimmed');
    const status = await page.$eval('#status', (s) => s.textContent);
    check(/错误/.test(status), `the status says "${status}"`);

    // clicking the first error goes there: cursor, focus, mark, visible
    const e = want[0];
    await page.evaluate(() => { document.getElementById('source').setSelectionRange(0, 0); });
    await page.click('#messages .msg[data-severity="error"] button');
    const after = await page.evaluate((line) => {
      const t = document.getElementById('source');
      const mark = document.querySelector(`#backdrop .line-mark.current[data-line="${line}"]`);
      const box = t.getBoundingClientRect();
      const r2 = mark ? mark.getBoundingClientRect() : null;
      return {
        start: t.selectionStart, end: t.selectionEnd, focused: document.activeElement === t,
        mark: !!mark, visible: !!r2 && r2.top >= box.top && r2.bottom <= box.bottom,
      };
    }, e.line);
    const wantAt = offsetOf(broken, e.line, e.col);
    check(after.focused, 'the editor has no focus after the click');
    check(after.start === wantAt && after.end === wantAt,
      `the cursor is at ${after.start}–${after.end}, not at line ${e.line} column ${e.col} (offset ${wantAt})`);
    check(after.mark, `no .line-mark.current[data-line="${e.line}"] after the click`);
    check(after.visible, `line ${e.line} is not scrolled into the editor's view`);
    console.log(`     ${e.file}:${e.line}:${e.col}: ${e.message}`);
    await screenshot(page, SCREENSHOTS.error);

    // a schema error has a line and no column
    const schema = original.replace('<p>', '<p foo="1">');
    await setEditor(page, schema, ['failed'], 'the source with a bad attribute');
    fs.writeFileSync(path.join(dir, 'document.xml'), schema);
    const r2 = cli(['render', 'document.xml', '-o', 'x.pdf', '--fonts-dir', FONTS], dir);
    const want2 = cliErrors(r2.stderr);
    check(want2.length === 1 && want2[0].col === 0, `expected one schema error without a column: ${r2.stderr}`);
    const shown2 = await page.$$eval('#messages .msg[data-severity="error"] .msg-text', (s) => s.map((x) => x.textContent));
    const text2 = `行 ${want2[0].line}：${want2[0].message}`;
    check(shown2.length === 1 && shown2[0] === text2, `the page lists ${JSON.stringify(shown2)}, not "${text2}"`);
    await page.click('#messages .msg[data-severity="error"] button');
    const at2 = await page.$eval('#source', (t) => t.selectionStart);
    check(at2 === offsetOf(schema, want2[0].line, 1), `the cursor is at ${at2}, not at the start of line ${want2[0].line}`);

    // put the report back
    await setEditor(page, original, ['ready'], 'the report put back');
    await checkPreview(page, state.reportPages, 'the report put back');
    check(!(await page.$eval('#preview', (p) => p.classList.contains('stale'))), 'the preview is still dimmed');
  });

  await scenario('d. download the report\'s PDF', server, STEP_MS * 2, async () => {
    check(state.reportSource, 'needs the report of scenario a');
    await checkDownload(page, downloads, 'pdf', work, {}, 'the report');
  });

  const letterFiles = Object.fromEntries(LETTER.map((n) => [n, path.join(CONTENT, n)]));
  await scenario('c. open the letter, its attachment and seal', server, STEP_MS * 2, async () => {
    const dir = fs.mkdtempSync(path.join(work, 'c-'));
    for (const n of LETTER) fs.copyFileSync(letterFiles[n], path.join(dir, n));
    const want = pdfPages(cliRender(dir, LETTER[0]));
    const since = await renders(page);
    const input = await page.$('#file-input');
    // the attachment first: the page must find the letter as the one no other names
    await input.uploadFile(letterFiles[LETTER[1]], letterFiles[LETTER[0]], letterFiles[LETTER[2]]);
    await renderDone(page, since, ['ready'], 'the letter');
    const name = await page.$eval('#source-name', (s) => s.textContent);
    check(name === LETTER[0], `the editor holds ${name}, not ${LETTER[0]}`);
    check(await editorText(page) === fs.readFileSync(letterFiles[LETTER[0]], 'utf8'), 'the editor does not hold the letter as it is');
    const files = await page.$$eval('#files .file', (lis) => lis.map((li) => li.dataset.name).sort());
    check(JSON.stringify(files) === JSON.stringify([LETTER[1], LETTER[2]].sort()),
      `the document's files are ${JSON.stringify(files)}`);
    await checkPreview(page, want, 'the letter');
    // the 版头: red ink at the top of page 1 (the 发文机关标志 and the red rule)
    const red = await page.$eval('#pages img.page', (img) => {
      const c = document.createElement('canvas');
      c.width = img.naturalWidth;
      c.height = Math.round(img.naturalHeight / 3);
      const g = c.getContext('2d');
      g.drawImage(img, 0, 0);
      const d = g.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] > 150 && d[i + 1] < 90 && d[i + 2] < 90) n++;
      return n;
    });
    check(red > 300, `page 1 has ${red} red pixels in its top third: no 版头`);
    console.log(`     ${want} pages, ${red} red pixels in the 版头`);
    await screenshot(page, SCREENSHOTS.letter);
  });

  // The same three files in a .zip (the letter stored, the others deflated), unpacked
  // by the page; then one with a folder, which it refuses.  The downloads below are
  // made from what it unpacked.
  await scenario('c. the letter as a .zip', server, STEP_MS * 2, async () => {
    const dir = fs.mkdtempSync(path.join(work, 'zip-'));
    const good = path.join(dir, '增城函.zip');
    fs.writeFileSync(good, zipOf(LETTER.map((n, i) => ({
      name: n, data: fs.readFileSync(letterFiles[n]), deflate: i > 0,
    }))));
    const want = await page.$$eval('#pages img.page', (imgs) => imgs.length);
    const since = await renders(page);
    await (await page.$('#file-input')).uploadFile(good);
    await renderDone(page, since, ['ready'], 'the letter from a .zip');
    const name = await page.$eval('#source-name', (s) => s.textContent);
    check(name === LETTER[0], `from the .zip, the editor holds ${name}, not ${LETTER[0]}`);
    check(await editorText(page) === fs.readFileSync(letterFiles[LETTER[0]], 'utf8'), 'the letter from the .zip is not the letter');
    await checkPreview(page, want, 'the letter from a .zip');
    const bad = path.join(dir, 'folder.zip');
    fs.writeFileSync(bad, zipOf([{ name: `公文/${LETTER[0]}`, data: fs.readFileSync(letterFiles[LETTER[0]]), deflate: true }]));
    await (await page.$('#file-input')).uploadFile(bad);
    await page.waitForSelector('#notice:not([hidden])', { timeout: 10000 });
    const notice = await page.$eval('#notice-text', (n) => n.textContent);
    check(notice.includes('文件夹'), `a .zip with a folder was answered "${notice}"`);
    check(await page.$eval('#source-name', (s) => s.textContent) === LETTER[0], 'a refused .zip replaced the document');
  });

  await scenario('d. download the letter\'s PDF and OFD (multipart)', server, STEP_MS * 3, async () => {
    await checkDownload(page, downloads, 'pdf', work, letterFiles, 'the letter');
    await checkDownload(page, downloads, 'ofd', work, letterFiles, 'the letter');
  });

  // What the harness saw go wrong in the page, but for what the scenarios caused on
  // purpose: 422 answers to renders of a wrong source, requests a newer one aborted.
  const unexpected = errors.filter((e) => !/^HTTP 422: .*\/api\/(render|lint)\b/.test(e)
    && !/^request failed: .*\/api\/(render|lint)\b.*net::ERR_ABORTED/.test(e));
  if (unexpected.length) failures.push(`the page reported: ${unexpected.slice(0, 10).join(' | ')}`);
}

async function main() {
  if (!GWPDF) usage('GWPDF is not set');
  if (!fs.existsSync(GWPDF)) usage(`${GWPDF} does not exist`);
  for (const f of [SEED, ...LETTER.map((n) => path.join(CONTENT, n))]) {
    if (!fs.existsSync(f)) usage(`${f} is missing`);
  }
  if (spawnSync('pdfinfo', ['-v']).error) usage('pdfinfo (poppler-utils) is not installed');
  fs.mkdirSync(SHOTS_DIR, { recursive: true });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gwpdf-serve-test-'));
  let server = null;
  // Killed from outside (ctest's time-out, ^C): the server goes too — it runs in its
  // own process group, which nothing else would stop.  Puppeteer's own exit hook
  // takes Chromium down.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      if (server) {
        try { process.kill(-server.child.pid, 'SIGKILL'); } catch (e) { /* gone */ }
      }
      console.log(`serve.test: stopped by ${sig}`);
      process.exit(1);
    });
  }
  const t0 = Date.now();
  try {
    const port = await freePort();
    server = startServer(port);
    const base = `http://127.0.0.1:${port}`;
    const health = JSON.parse(await waitForHttp(`${base}/api/health`, { timeout: 60000, gone: server.gone }));
    check(health.ok === true, `GET /api/health answered ${JSON.stringify(health)}`);
    console.log(`gwpdf serve ${health.version} on ${base}`);
    await withPage((page, errors) => run(page, errors, server, base, work),
      { timeout: TOTAL_MS, viewport: VIEWPORT });
  } catch (e) {
    failures.push(e.message);
  } finally {
    await stopServer(server);
  }
  if (server && server.exit) {
    const { code, signal } = server.exit;
    if (!(code === 0 || (code === null && signal === 'SIGTERM'))) {
      failures.push(`the server ended with ${signal ? `signal ${signal}` : `status ${code}`}: ${server.stderr.slice(-1500)}`);
    }
  }
  if (server && SANITIZER.test(server.stderr)) {
    const at = server.stderr.search(SANITIZER);
    failures.push(`a sanitizer report on the server's stderr: ${server.stderr.slice(Math.max(0, at - 200), at + 2500)}`);
  }
  fs.rmSync(work, { recursive: true, force: true });
  const s = ((Date.now() - t0) / 1000).toFixed(1);
  if (failures.length) {
    console.log(`\nserve.test: ${failures.length} failure(s) in ${s} s:`);
    for (const f of failures) console.log(`  - ${f}`);
    process.exit(1);
  }
  console.log(`serve.test: ${passed.length} scenarios passed in ${s} s`);
}

main().catch((e) => {
  console.error(`serve.test: ${e.stack || e}`);
  process.exit(2);
});
