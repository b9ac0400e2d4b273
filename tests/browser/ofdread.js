#!/usr/bin/env node
'use strict';
// ofdread.js: reads an OFD back the way ofd.js 0.2.6 draws it, in headless Chromium.
//
//   node tests/browser/ofdread.js FILE.ofd OUT.json [--screenshot N OUT.png] [--scale S]
//
// Serves ofd.js's UMD bundle and the OFD on 127.0.0.1, lets ofd.js parse the file
// (parseOfdDocument) and draw it (renderOfdByScale at a fixed scale, S px per mm,
// 4 unless told), then reads the drawn DOM back into OUT.json:
//   {"renderer", "px_per_mm", "pages": [{"id", "width_mm", "height_mm",
//      "texts":  [{"text","x","y","size","fill","family", ...}],  one per <text>, the
//                glyph origin (baseline) on the page
//      "images": [{"x","y","w","h", ...}],  the <svg> holding each <image> (or canvas)
//      "paths":  [{"stroke","fill","x","y","w","h", ...}]}],  geometry of each <path>
//    "errors": [...], "warnings": [...]}
// Lengths are mm, page-relative, y down from the page top (OFD's convention); colours
// "#rrggbb" (null for none).  Texts are in DOM order.  README.md lists every field.
//
// Exit status: 0 parsed and drawn with no error; 1 ofd.js failed, or a page error or
// console.error was recorded (OUT.json is still written, with the errors); 2 bad
// usage; 3 the harness itself failed (no Chromium, time-out), OUT.json says why.

const fs = require('fs');
const path = require('path');
const { serve, withPage, DEFAULT_TIMEOUT_MS } = require('./harness');

const HERE = __dirname;
const DEFAULT_SCALE = 4;
const PARSE_TIMEOUT_MS = 30000;

function usage(msg) {
  if (msg) process.stderr.write(`ofdread: ${msg}\n`);
  process.stderr.write(
    'usage: node tests/browser/ofdread.js FILE.ofd OUT.json [--screenshot N OUT.png] [--scale S]\n');
  process.exit(2);
}

function parseArgs(argv) {
  const pos = [];
  const o = { screenshot: null, scale: DEFAULT_SCALE };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--screenshot') {
      if (i + 2 >= argv.length) usage('--screenshot needs N and OUT.png');
      const n = argv[i + 1];
      if (!/^[1-9][0-9]*$/.test(n)) usage(`--screenshot: bad page number ${n}`);
      o.screenshot = { page: parseInt(n, 10), file: argv[i + 2] };
      i += 2;
    } else if (a === '--scale') {
      if (i + 1 >= argv.length) usage('--scale needs a number');
      const s = Number(argv[++i]);
      // ofd.js clamps its scale to [1, 10]
      if (!(s >= 1 && s <= 10)) usage(`--scale: ${argv[i]} is not in [1, 10]`);
      o.scale = s;
    } else if (a === '-h' || a === '--help') {
      usage();
    } else if (a.startsWith('--')) {
      usage(`unknown option ${a}`);
    } else {
      pos.push(a);
    }
  }
  if (pos.length !== 2) usage();
  [o.input, o.output] = pos;
  return o;
}

// Runs in the page: parse, draw, and read the DOM back.  Returns plain data.
async function renderInPage(scale, parseTimeoutMs) {
  const out = { px_per_mm: null, docs: 0, pages: [], errors: [], warnings: [] };
  const text = (e) => {
    if (e === undefined || e === null) return String(e);
    if (e instanceof Error) return `${e.name}: ${e.message}`;
    if (typeof e === 'object') { try { return JSON.stringify(e); } catch (x) { /* */ } }
    return String(e);
  };
  if (!window.ofd || typeof window.ofd.parseOfdDocument !== 'function') {
    out.errors.push('ofd.js did not load (window.ofd.parseOfdDocument missing)');
    return out;
  }
  const ofd = window.ofd;
  let buf;
  try {
    const r = await fetch('/doc.ofd');
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    buf = await r.arrayBuffer();
  } catch (e) {
    out.errors.push(`fetching the OFD: ${text(e)}`);
    return out;
  }
  ofd.setPageScale(scale);
  const S = ofd.getPageScale();
  out.px_per_mm = S;
  // ofd.js calls neither callback when an image does not decode: bound the wait.
  const parsed = await new Promise((resolve) => {
    const t = setTimeout(() => resolve({ fail: `ofd.js: parseOfdDocument neither succeeded `
      + `nor failed within ${parseTimeoutMs / 1000} s (it hangs on an image that does not decode)` }),
    parseTimeoutMs);
    try {
      ofd.parseOfdDocument({
        ofd: buf,
        success(res) { clearTimeout(t); resolve({ res }); },
        fail(err) { clearTimeout(t); resolve({ fail: `ofd.js: parse failed: ${text(err)}` }); },
      });
    } catch (e) {
      clearTimeout(t);
      resolve({ fail: `ofd.js: parseOfdDocument threw: ${text(e)}` });
    }
  });
  if (parsed.fail) { out.errors.push(parsed.fail); return out; }
  const docs = [].concat(parsed.res || []);
  out.docs = docs.length;
  if (!docs.length || !docs[0]) { out.errors.push('ofd.js: parsed no document'); return out; }
  if (docs.length > 1) out.warnings.push(`${docs.length} documents: only the first is drawn`);
  let divs;
  try {
    divs = ofd.renderOfdByScale(docs[0]);
  } catch (e) {
    out.errors.push(`ofd.js: renderOfdByScale threw: ${text(e)}${e && e.stack ? `\n${e.stack}` : ''}`);
    return out;
  }
  const pageDivs = [];
  for (const div of divs) {
    div.classList.add('ofdread-page');
    document.body.appendChild(div);
    pageDivs.push(div);
  }
  if (!pageDivs.length) out.errors.push('ofd.js: drew no page');

  // Let every image decode (and fonts load) before reading sizes or screenshots.
  const hrefs = new Set();
  for (const im of document.querySelectorAll('image')) {
    const h = im.getAttribute('href') || im.getAttribute('xlink:href')
      || (im.href && im.href.baseVal);
    if (h) hrefs.add(h);
  }
  await Promise.all([...hrefs].map((h) => {
    const img = new Image();
    img.src = h;
    return img.decode().catch(() => out.errors.push(`image does not decode: ${h.slice(0, 64)}...`));
  }));
  await document.fonts.ready;
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));

  const r4 = (v) => { const x = Math.round(v * 1e4) / 1e4; return Object.is(x, -0) ? 0 : x; };
  const mm = (px) => r4(px / S);
  const hex = (c) => {
    if (!c || c === 'none') return null;
    const m = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:[,\s/]+([\d.]+%?))?\s*\)$/.exec(c);
    if (!m) return c;
    if (m[4] !== undefined && parseFloat(m[4]) === 0) return null; // transparent
    return `#${[m[1], m[2], m[3]].map((v) => Math.round(parseFloat(v)).toString(16).padStart(2, '0')).join('')}`;
  };
  const z = (el) => {
    const s = el && el.closest('svg, canvas, div');
    const v = s ? parseInt(s.style.zIndex, 10) : NaN;
    return Number.isNaN(v) ? null : v;
  };
  // transform(a b c d e f) as written by ofd.js, e and f turned back into mm
  const matrixOf = (el) => {
    const t = el.getAttribute('transform');
    if (!t) return null;
    const m = /matrix\(([^)]*)\)/.exec(t);
    if (!m) return t;
    const v = m[1].split(/[\s,]+/).filter((s) => s.length).map(Number);
    if (v.length !== 6) return t;
    return [r4(v[0]), r4(v[1]), r4(v[2]), r4(v[3]), mm(v[4]), mm(v[5])];
  };
  // (x, y) in el's user space -> mm on the page
  const onPage = (el, x, y, pr) => {
    const p = new DOMPoint(x, y).matrixTransform(el.getScreenCTM());
    return [mm(p.x - pr.left), mm(p.y - pr.top)];
  };
  const boxOnPage = (r, pr) => ({ x: mm(r.left - pr.left), y: mm(r.top - pr.top),
    w: mm(r.width), h: mm(r.height) });

  for (const div of pageDivs) {
    const pr = div.getBoundingClientRect();
    const page = {
      id: div.id,
      width_mm: mm(parseFloat(div.style.width)),
      height_mm: mm(parseFloat(div.style.height)),
      texts: [],
      images: [],
      paths: [],
    };
    for (const t of div.querySelectorAll('text')) {
      const cs = getComputedStyle(t);
      const x = t.x.baseVal.length ? t.x.baseVal[0].value : 0;
      const y = t.y.baseVal.length ? t.y.baseVal[0].value : 0;
      const [px, py] = onPage(t, x, y, pr);
      const weight = t.style.fontWeight;
      page.texts.push({
        text: t.textContent,
        x: px,
        y: py,
        size: mm(parseFloat(t.style.fontSize)),
        fill: hex(cs.fill),
        family: t.style.fontFamily || null,
        weight: weight ? (Number(weight) || weight) : null,
        opacity: r4(parseFloat(cs.fillOpacity)),
        ctm: matrixOf(t),
        z: z(t),
      });
    }
    for (const im of div.querySelectorAll('svg image, canvas')) {
      const box = im.tagName.toLowerCase() === 'canvas' ? im : im.closest('svg');
      const item = { ...boxOnPage(box.getBoundingClientRect(), pr) };
      if (im.tagName.toLowerCase() === 'canvas') {
        item.kind = 'canvas';
      } else {
        item.kind = box.getAttribute('name') === 'seal_img_div' ? 'stamp' : 'image';
        // where the bitmap itself lands (ofd.js maps it by its own rules, see README)
        item.drawn = boxOnPage(im.getBoundingClientRect(), pr);
        item.ctm = matrixOf(im);
        item.opacity = r4(parseFloat(getComputedStyle(im).opacity));
      }
      item.z = z(box);
      page.images.push(item);
    }
    for (const p of div.querySelectorAll('path')) {
      const cs = getComputedStyle(p);
      const bb = p.getBBox();
      const pts = [[bb.x, bb.y], [bb.x + bb.width, bb.y], [bb.x, bb.y + bb.height],
        [bb.x + bb.width, bb.y + bb.height]].map(([x, y]) => onPage(p, x, y, pr));
      const xs = pts.map((q) => q[0]);
      const ys = pts.map((q) => q[1]);
      const x0 = Math.min(...xs);
      const y0 = Math.min(...ys);
      const svg = p.closest('svg');
      page.paths.push({
        stroke: hex(cs.stroke),
        fill: hex(cs.fill),
        x: x0,
        y: y0,
        w: r4(Math.max(...xs) - x0),
        h: r4(Math.max(...ys) - y0),
        stroke_width: cs.stroke === 'none' ? null : mm(parseFloat(cs.strokeWidth)),
        dash: p.getAttribute('stroke-dasharray')
          ? p.getAttribute('stroke-dasharray').split(/[\s,]+/).map((v) => mm(parseFloat(v))) : null,
        boundary: boxOnPage(svg.getBoundingClientRect(), pr),
        ctm: matrixOf(p),
        z: z(p),
      });
    }
    out.pages.push(page);
  }
  return out;
}

// JSON with one line per leaf object (a text, an image, a path).
function format(v, indent = '') {
  const leaf = (x) => x === null || typeof x !== 'object'
    || (Array.isArray(x) ? x.every((e) => e === null || typeof e !== 'object')
      : Object.values(x).every((e) => e === null || typeof e !== 'object'
        || (Array.isArray(e) && e.every((f) => f === null || typeof f !== 'object'))
        || (!Array.isArray(e) && Object.values(e).every((f) => f === null || typeof f !== 'object'))));
  if (indent && leaf(v)) return JSON.stringify(v);
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (!v.length) return '[]';
    return `[\n${v.map((e) => inner + format(e, inner)).join(',\n')}\n${indent}]`;
  }
  const keys = Object.keys(v);
  if (!keys.length) return '{}';
  return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${format(v[k], inner)}`).join(',\n')}\n${indent}}`;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  let bytes;
  try {
    bytes = fs.readFileSync(o.input);
  } catch (e) {
    usage(`cannot read ${o.input}: ${e.message}`);
  }
  const bundle = path.join(HERE, 'node_modules', 'ofd.js', 'lib', 'ofd.umd.js');
  const result = {
    renderer: 'ofd.js 0.2.6',
    input: o.input,
    px_per_mm: null,
    pages: [],
    errors: [],
    warnings: [],
  };
  let status = 0;
  let server = null;
  let badPage = false;
  try {
    if (!fs.existsSync(bundle)) {
      throw new Error(`${bundle} is missing (run scripts/browser-deps.sh)`);
    }
    const version = JSON.parse(fs.readFileSync(path.join(HERE, 'node_modules', 'ofd.js',
      'package.json'), 'utf8')).version;
    result.renderer = `ofd.js ${version}`;
    server = await serve({
      '/': { type: 'text/html; charset=utf-8', body: '<!DOCTYPE html>\n<html><head>'
        + '<meta charset="utf-8"><title>ofdread</title>'
        + '<style>html,body{margin:0;padding:0;background:#fff}</style>'
        + '<script src="/ofd.umd.js"></script></head><body></body></html>\n' },
      '/ofd.umd.js': { type: 'text/javascript; charset=utf-8', file: bundle },
      '/doc.ofd': { type: 'application/ofd', body: bytes },
      '/favicon.ico': { type: 'image/x-icon', body: Buffer.alloc(0) },
    });
    const errors = result.errors;
    await withPage(async (page) => {
      await page.goto(`${server.url}/`, { waitUntil: 'load' });
      const r = await page.evaluate(renderInPage, o.scale, PARSE_TIMEOUT_MS);
      result.px_per_mm = r.px_per_mm;
      result.pages = r.pages;
      errors.push(...r.errors);
      result.warnings.push(...r.warnings);
      if (o.screenshot) {
        const divs = await page.$$('div.ofdread-page');
        const el = divs[o.screenshot.page - 1];
        if (!el) {
          badPage = true;
          process.stderr.write(`ofdread: --screenshot ${o.screenshot.page}: `
            + `the document has ${divs.length} page(s)\n`);
        } else {
          await el.screenshot({ path: o.screenshot.file, type: 'png', omitBackground: false });
        }
      }
    }, { errors, timeout: DEFAULT_TIMEOUT_MS, viewport: { width: 1280, height: 1024 } });
    status = result.errors.length ? 1 : 0;
  } catch (e) {
    result.errors.push(`harness: ${e && e.message ? e.message : String(e)}`);
    status = 3;
  } finally {
    if (server) await server.close();
  }
  fs.writeFileSync(o.output, `${format(result)}\n`);
  for (const e of result.errors) process.stderr.write(`ofdread: ${e.split('\n')[0]}\n`);
  if (badPage && status === 0) status = 2;
  return status;
}

main().then((code) => process.exit(code), (e) => {
  process.stderr.write(`ofdread: ${e && e.stack ? e.stack : e}\n`);
  process.exit(3);
});
