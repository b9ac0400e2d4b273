'use strict';
// Shared pieces of gwpdf's browser tests (the OFD read-back by ofd.js now, the web
// page's tests later): a throw-away HTTP server on 127.0.0.1, Debian's Chromium
// started headless through puppeteer-core, and withPage(), which always closes both.
// Nothing here waits forever: every step has a timeout (60 s unless told otherwise).
// Install the dependencies with scripts/browser-deps.sh.

const fs = require('fs');
const http = require('http');
const net = require('net');
const path = require('path');
const puppeteer = require('puppeteer-core');

const DEFAULT_TIMEOUT_MS = 60000;
const CHROMIUM = process.env.GWPDF_CHROMIUM || '/usr/bin/chromium';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.pdf': 'application/pdf',
  '.ofd': 'application/ofd',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

function typeOf(file) {
  return TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

function sleep(ms) {
  return new Promise((resolve) => { const t = setTimeout(resolve, ms); t.unref(); });
}

// Resolves with the promise's value, or rejects with `what timed out after N ms`.
function withTimeout(promise, ms, what) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

// serve(routes) starts an HTTP server on 127.0.0.1 at a random port.
// routes maps a URL path to what it serves:
//   "/a.js": {type: "text/javascript", body: Buffer | string}
//   "/b.png": {file: "/abs/path.png", type?}   read from disk at each request
//   "/c.css": "/abs/path.css"                  the same, type from the extension
// Anything else answers 404; only GET and HEAD.  Resolves with
// {url: "http://127.0.0.1:PORT", port, close()}; close() resolves when the server is
// down (open connections are cut).
function serve(routes, { timeout = DEFAULT_TIMEOUT_MS } = {}) {
  const table = new Map();
  for (const [p, r] of Object.entries(routes || {})) {
    const route = typeof r === 'string' ? { file: r } : r;
    if (!route || (route.body === undefined && !route.file)) {
      throw new Error(`serve: route ${p} has neither body nor file`);
    }
    table.set(p, route);
  }
  const server = http.createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    const route = table.get(urlPath);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { 'Content-Type': 'text/plain' });
      res.end('method not allowed\n');
      return;
    }
    if (!route) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found\n');
      return;
    }
    let body;
    try {
      body = route.body !== undefined ? route.body : fs.readFileSync(route.file);
    } catch (e) {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(`cannot read ${route.file}: ${e.message}\n`);
      return;
    }
    if (typeof body === 'string') body = Buffer.from(body, 'utf8');
    res.writeHead(route.status || 200, {
      'Content-Type': route.type || typeOf(route.file || urlPath),
      'Content-Length': body.length,
      'Cache-Control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  server.requestTimeout = timeout;
  server.headersTimeout = Math.min(timeout, 60000);
  const listening = new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.removeListener('error', reject);
      const { port } = server.address();
      let closing = null;
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        close() {
          if (!closing) {
            closing = new Promise((done) => {
              server.close(() => done());
              if (server.closeAllConnections) server.closeAllConnections();
            });
          }
          return closing;
        },
      });
    });
  });
  return withTimeout(listening, timeout, 'serve: listen');
}

// launch() starts Debian's Chromium headless.  It talks to puppeteer through a pipe
// (no debugging port) and cannot reach anything but 127.0.0.1: host names do not
// resolve and every other address goes to a dead proxy.
function launch({ timeout = DEFAULT_TIMEOUT_MS, args = [], executablePath = CHROMIUM } = {}) {
  if (!fs.existsSync(executablePath)) {
    return Promise.reject(new Error(
      `launch: ${executablePath} is missing (run scripts/browser-deps.sh)`));
  }
  return puppeteer.launch({
    executablePath,
    headless: true, // puppeteer adds --headless=new
    pipe: true,
    timeout,
    protocolTimeout: timeout,
    defaultViewport: null,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--headless=new',
      '--font-render-hinting=none',
      '--force-color-profile=srgb',
      '--window-size=1280,1024',
      '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
      '--proxy-server=127.0.0.1:9', // loopback is never proxied
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-domain-reliability',
      '--disable-sync',
      '--no-first-run',
      '--no-default-browser-check',
      '--no-pings',
      '--metrics-recording-only',
      ...args,
    ],
  });
}

// Closes the browser; if it does not go within 10 s, kills its process group.
async function closeBrowser(browser) {
  if (!browser) return;
  const proc = browser.process();
  try {
    await withTimeout(browser.close(), 10000, 'browser.close');
  } catch (e) {
    // fall through to the kill below
  }
  if (proc && proc.pid && proc.exitCode === null && proc.signalCode === null) {
    try { process.kill(-proc.pid, 'SIGKILL'); } catch (e) { /* already gone */ }
    try { proc.kill('SIGKILL'); } catch (e) { /* already gone */ }
  }
}

function describe(e) {
  if (e === undefined || e === null) return String(e);
  if (e instanceof Error) return e.message || String(e);
  return String(e);
}

// withPage(fn, opts) launches Chromium, opens a page and runs fn(page, errors);
// resolves with what fn resolves.  errors (opts.errors, or a new array) collects, as
// strings: console.error messages, uncaught page errors, failed requests, HTTP
// answers >= 400 and requests blocked for leaving 127.0.0.1.  The browser is closed
// whatever happens; the whole run is bounded by opts.timeout (60 s).
async function withPage(fn, opts = {}) {
  const timeout = opts.timeout || DEFAULT_TIMEOUT_MS;
  const errors = opts.errors || [];
  let browser = null;
  let launching = null;
  let timer = null;
  const work = (async () => {
    launching = launch({ ...opts, timeout });
    browser = await launching;
    const page = await browser.newPage();
    page.setDefaultTimeout(timeout);
    page.setDefaultNavigationTimeout(timeout);
    if (opts.viewport) await page.setViewport(opts.viewport);
    // Chromium asks for /favicon.ico by itself: not the page's fault.
    const favicon = (u) => /^https?:\/\/[^/]+\/favicon\.ico$/.test(u);
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      // a resource that did not load is reported below, with its URL
      if (/^Failed to load resource/.test(msg.text())) return;
      errors.push(`console.error: ${msg.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`page error: ${describe(e)}`));
    page.on('requestfailed', (req) => {
      const f = req.failure();
      if (favicon(req.url())) return;
      if (f && /^net::ERR_BLOCKED_BY_CLIENT/.test(f.errorText)) return; // reported below
      errors.push(`request failed: ${req.url()}${f ? ` (${f.errorText})` : ''}`);
    });
    page.on('response', (res) => {
      if (res.status() >= 400 && !favicon(res.url())) {
        errors.push(`HTTP ${res.status()}: ${res.url()}`);
      }
    });
    await page.setRequestInterception(true);
    page.on('request', (req) => {
      const u = req.url();
      if (/^(data|blob|about):/.test(u) || /^https?:\/\/127\.0\.0\.1(:\d+)?\//.test(u)) {
        req.continue().catch(() => {});
      } else {
        errors.push(`blocked request: ${u}`);
        req.abort('blockedbyclient').catch(() => {});
      }
    });
    return fn(page, errors);
  })();
  work.catch(() => {}); // handled through the race below
  try {
    return await Promise.race([work, new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`withPage: timed out after ${timeout} ms`)),
        timeout);
    })]);
  } finally {
    clearTimeout(timer);
    if (!browser && launching) browser = await launching.catch(() => null);
    await closeBrowser(browser);
  }
}

// freePort() resolves with a TCP port of 127.0.0.1 that was free a moment ago: a
// server listens on port 0, the port the system chose is read, and the server closes.
// (Another process could take it in between; on a test machine that does not happen.)
function freePort({ timeout = DEFAULT_TIMEOUT_MS } = {}) {
  const found = new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
  return withTimeout(found, timeout, 'freePort');
}

// waitForHttp(url, opts) asks GET url every 100 ms until it answers 200, and resolves
// with the body as text.  Rejects after opts.timeout (30 s), or as soon as
// opts.gone() says the server is gone (a function returning an Error or null).
async function waitForHttp(url, { timeout = 30000, gone = () => null } = {}) {
  const deadline = Date.now() + timeout;
  let last = 'no answer';
  for (;;) {
    const dead = gone();
    if (dead) throw dead;
    try {
      const body = await new Promise((resolve, reject) => {
        const req = http.get(url, { timeout: 2000 }, (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => (res.statusCode === 200
            ? resolve(Buffer.concat(chunks).toString('utf8'))
            : reject(new Error(`HTTP ${res.statusCode}`))));
        });
        req.on('timeout', () => req.destroy(new Error('no answer in 2 s')));
        req.on('error', reject);
      });
      return body;
    } catch (e) {
      last = describe(e);
    }
    if (Date.now() > deadline) {
      throw new Error(`waitForHttp: ${url} did not answer 200 in ${timeout} ms (last: ${last})`);
    }
    await sleep(100);
  }
}

// downloadsTo(page, dir) makes Chromium save the page's downloads into dir, and
// resolves with {next(timeout)}: next() resolves with {file, name} when the next
// download is complete (Browser.downloadProgress "completed"), or rejects when it is
// cancelled or does not finish in timeout ms (60 s).
async function downloadsTo(page, dir) {
  const session = await page.createCDPSession();
  await session.send('Browser.setDownloadBehavior',
    { behavior: 'allow', downloadPath: dir, eventsEnabled: true });
  const names = new Map(); // guid → suggested file name
  const waiting = [];
  const done = [];
  session.on('Browser.downloadWillBegin', (e) => names.set(e.guid, e.suggestedFilename));
  session.on('Browser.downloadProgress', (e) => {
    if (e.state !== 'completed' && e.state !== 'canceled') return;
    const result = e.state === 'completed'
      ? { file: path.join(dir, names.get(e.guid) || e.guid), name: names.get(e.guid) }
      : new Error(`download ${names.get(e.guid) || e.guid} was cancelled`);
    const w = waiting.shift();
    if (w) w(result);
    else done.push(result);
  });
  return {
    next(timeout = DEFAULT_TIMEOUT_MS) {
      const got = done.length ? Promise.resolve(done.shift())
        : new Promise((resolve) => waiting.push(resolve));
      return withTimeout(got.then((r) => {
        if (r instanceof Error) throw r;
        return r;
      }), timeout, 'download');
    },
  };
}

module.exports = {
  DEFAULT_TIMEOUT_MS,
  CHROMIUM,
  serve,
  launch,
  closeBrowser,
  withPage,
  withTimeout,
  sleep,
  freePort,
  waitForHttp,
  downloadsTo,
};
