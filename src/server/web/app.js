// app.js: the script of the page `gwpdf serve` answers at / (docs/serve.md).  It opens
// texts and files (paste, file picker, drag and drop, .zip), keeps the document (its
// source and the files the source refers to), edits the source in a <textarea> with
// line numbers and line marks, renders a preview through POST /api/render?format=png
// and lints through POST /api/lint on every change, lists the messages, shows which
// fonts the server uses and downloads the PDF or OFD.  Plain script, no framework,
// nothing loaded from anywhere but the server itself.
//
// Test hooks are DOM only: <body data-state="idle|rendering|ready|failed|offline"
// data-renders="N"> (N counts finished renders), img.page in #pages, .msg items in
// #messages, .line-mark[data-line] in the editor's backdrop.  No global is defined.
(function () {
  'use strict';

  const RENDER_DELAY_MS = 500;     // pause in typing before a new preview is asked for
  const PREVIEW_DPI = 96;
  const MAX_RETRIES = 20;          // 503 answers in a row before giving up
  // The server's default --max-body: an unpacked .zip larger than this could not be
  // sent anyway, and the bound stops a zip bomb before it fills the tab's memory.
  const MAX_UNPACKED_BYTES = 32 * 1024 * 1024;
  const OPENABLE = ['txt', 'docx', 'xml', 'png', 'zip'];

  const $ = (id) => document.getElementById(id);
  const ui = {
    source: $('source'), backdrop: $('backdrop'), editor: $('editor'),
    sourceName: $('source-name'), status: $('status'),
    messages: $('messages'), messageCount: $('message-count'),
    notice: $('notice'), noticeText: $('notice-text'), noticeClose: $('notice-close'),
    preview: $('preview'), pages: $('pages'), welcome: $('welcome'),
    staleBanner: $('stale-banner'), pageCount: $('page-count'),
    files: $('files'), filesEmpty: $('files-empty'),
    fonts: $('fonts'), fontsSummary: $('fonts-summary'),
    fontDetails: $('font-details'), fontWarnings: $('font-warnings'),
    pasteButton: $('paste-button'), openButton: $('open-button'), fileInput: $('file-input'),
    pdfButton: $('pdf-button'), ofdButton: $('ofd-button'),
    pasteDialog: $('paste-dialog'), pasteText: $('paste-text'),
    dropOverlay: $('drop-overlay'),
  };

  // The document being worked on: its source is the textarea's value; `name` names it
  // to the server (messages, download) and `files` are the other files its source
  // refers to by name (<seal src>, <attachment src>), name → Blob.
  const doc = { name: 'source.xml', files: new Map() };

  // Messages of the last render and lint (source lines) and of the last import (lines
  // of the imported text, which the editor does not show).
  let sourceMessages = [];
  let importMessages = [];
  let importName = '';

  // ---------------------------------------------------------------------------------
  // Small helpers

  function ext(name) {
    const dot = name.lastIndexOf('.');
    return dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
  }

  function baseName(name) {
    const dot = name.lastIndexOf('.');
    return dot <= 0 ? name : name.slice(0, dot);
  }

  function sizeText(bytes) {
    if (bytes < 1024) return `${bytes} 字节`;
    if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
    return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  }

  function make(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // Resolves after ms, or rejects with an AbortError as soon as signal aborts.
  function delay(ms, signal) {
    return new Promise((resolve, reject) => {
      const t = setTimeout(resolve, ms);
      if (signal) {
        signal.addEventListener('abort', () => {
          clearTimeout(t);
          reject(new DOMException('aborted', 'AbortError'));
        }, { once: true });
      }
    });
  }

  function setStatus(text, kind) {
    ui.status.textContent = text;
    ui.status.dataset.kind = kind || '';
  }

  function setState(state) {
    document.body.dataset.state = state;
  }

  function showNotice(text) {
    ui.noticeText.textContent = text;
    ui.notice.hidden = false;
  }

  function hideNotice() {
    ui.notice.hidden = true;
    ui.noticeText.textContent = '';
  }

  // ---------------------------------------------------------------------------------
  // Talking to the server

  // The body of a render: the source alone, or multipart when the document has files
  // (the part `source`, then one part `file` a file, named as the source names it).
  function renderBody(source) {
    if (doc.files.size === 0) {
      return new Blob([source], { type: 'application/xml; charset=utf-8' });
    }
    const form = new FormData();
    form.append('source', new Blob([source], { type: 'application/xml' }), doc.name);
    for (const [name, blob] of doc.files) form.append('file', blob, name);
    return form;
  }

  function retryAfterSeconds(res) {
    const s = Number(res.headers.get('Retry-After'));
    return Number.isFinite(s) && s >= 0 ? Math.min(s, 60) : 1;
  }

  // POSTs and answers the Response; a 503 (the server's queue is full) is tried again
  // after its Retry-After seconds.  makeBody is called for each attempt.
  async function post(url, makeBody, signal) {
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(url, { method: 'POST', body: makeBody(), signal });
      if (res.status !== 503 || attempt >= MAX_RETRIES) return res;
      const wait = retryAfterSeconds(res);
      setStatus(`排版服务器正忙，${wait} 秒后重试…`, 'busy');
      await delay(wait * 1000, signal);
    }
  }

  // The JSON of an answer; an answer that is not JSON (a proxy's error page) becomes
  // {ok: false, error}.
  async function readJson(res) {
    try {
      return await res.json();
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      return { ok: false, error: `服务器的回答无法读取（HTTP ${res.status}）` };
    }
  }

  // What an answer that is neither a result nor the input's messages says, in Chinese.
  function requestError(res, body) {
    const why = body && body.error ? `：${body.error}` : '';
    switch (res.status) {
      case 413: return `文件太大，服务器拒绝接收${why}`;
      case 503: return `排版服务器一直很忙，请稍后再试${why}`;
      case 500: return `排版过程意外中止${why}`;
      default: return `请求失败（HTTP ${res.status}）${why}`;
    }
  }

  function query(params) {
    return Object.entries(params)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  }

  // ---------------------------------------------------------------------------------
  // The editor: a transparent <textarea> over a backdrop that holds one .ln element per
  // source line, with the same font, padding and wrapping, so a line's element covers
  // exactly that line's text.  The backdrop draws the line numbers (CSS counters would
  // not survive wrapping) and the marks, and follows the textarea's scrolling.

  let lineElements = [];
  let marks = new Map();     // line → 'error' | 'warning'
  let currentLine = 0;       // the line of the message last clicked

  function syncLines() {
    const lines = ui.source.value.split('\n');
    while (lineElements.length < lines.length) {
      const ln = make('div', 'ln');
      ln.dataset.line = String(lineElements.length + 1);
      ui.backdrop.appendChild(ln);
      lineElements.push(ln);
    }
    while (lineElements.length > lines.length) lineElements.pop().remove();
    lines.forEach((text, i) => {
      if (lineElements[i].textContent !== text) lineElements[i].textContent = text;
    });
    applyMarks();
    syncScroll();
  }

  function applyMarks() {
    lineElements.forEach((ln, i) => {
      const sev = marks.get(i + 1);
      ln.classList.toggle('line-mark', sev !== undefined);
      if (sev) ln.dataset.severity = sev;
      else delete ln.dataset.severity;
      ln.classList.toggle('current', i + 1 === currentLine);
    });
  }

  function syncScroll() {
    ui.backdrop.scrollTop = ui.source.scrollTop;
    ui.backdrop.scrollLeft = ui.source.scrollLeft;
  }

  // The UTF-16 offset in text of line `line`, column `col` (both from 1; columns count
  // characters, as the server's messages do, so a character beyond the BMP counts once).
  function offsetOf(text, line, col) {
    let start = 0;
    for (let l = 1; l < line; l++) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) return text.length;
      start = nl + 1;
    }
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let off = start;
    for (let c = 1; c < col && off < end; c++) {
      off += text.codePointAt(off) > 0xffff ? 2 : 1;
    }
    return off;
  }

  // Puts the cursor at line:col, marks the line and scrolls it to a third of the box.
  function goTo(line, col) {
    if (!(line >= 1)) return;
    const off = offsetOf(ui.source.value, line, col || 1);
    currentLine = line;
    applyMarks();
    ui.source.focus({ preventScroll: true });
    ui.source.setSelectionRange(off, off);
    const ln = lineElements[line - 1];
    if (ln) {
      ui.source.scrollTop = Math.max(0, ln.offsetTop - ui.source.clientHeight / 3);
      syncScroll();
    }
    ui.editor.scrollIntoView({ block: 'nearest' });
  }

  function setSource(name, text) {
    doc.name = name;
    ui.source.value = text;
    ui.source.scrollTop = 0;
    ui.sourceName.textContent = name;
    marks = new Map();
    currentLine = 0;
    sourceMessages = [];
    syncLines();
  }

  // ---------------------------------------------------------------------------------
  // Messages

  // A message of the server: {severity, file, line, col, message}; line and col 0 when
  // unknown.
  // For a .docx the server's line is the paragraph's number.
  function position(m) {
    if (!(m.line > 0)) return '';
    if (ext(m.file || '') === 'docx') return `第 ${m.line} 段`;
    return m.col > 0 ? `行 ${m.line} 列 ${m.col}` : `行 ${m.line}`;
  }

  function messageKey(m) {
    return [m.severity, m.file, m.line, m.col, m.message].join('\u0000');
  }

  function isSourceFile(m) {
    return !m.file || m.file === doc.name;
  }

  // Errors before warnings; in each, the source's own in line order, then the files'.
  function sortMessages(list) {
    const rank = (m) => (m.severity === 'error' ? 0 : 1) * 2 + (isSourceFile(m) ? 0 : 1);
    return list.slice().sort((a, b) => rank(a) - rank(b) || a.line - b.line || a.col - b.col);
  }

  function messageItem(m, clickable, fileLabel) {
    const li = make('li', 'msg');
    li.dataset.severity = m.severity === 'error' ? 'error' : 'warning';
    li.dataset.line = String(m.line || 0);
    li.dataset.col = String(m.col || 0);
    const holder = clickable ? make('button', 'msg-body') : make('div', 'msg-body');
    if (clickable) {
      holder.type = 'button';
      holder.title = '转到源文件的这一行';
      holder.addEventListener('click', () => goTo(m.line, m.col));
    }
    holder.appendChild(make('span', 'badge', m.severity === 'error' ? '错误' : '提示'));
    const where = position(m);
    const prefix = [fileLabel, where].filter(Boolean).join(' ');
    holder.appendChild(make('span', 'msg-text', prefix ? `${prefix}：${m.message}` : m.message));
    li.appendChild(holder);
    return li;
  }

  function showMessages() {
    const items = [];
    for (const m of sortMessages(sourceMessages)) {
      const own = isSourceFile(m);
      items.push(messageItem(m, own && m.line > 0, own ? '' : m.file));
    }
    if (importMessages.length) {
      const unit = ext(importName) === 'docx' ? '段落' : '行';
      items.push(make('li', 'msg-group', `导入“${importName}”时的提示（${unit}号是原文的${unit}）`));
      for (const m of importMessages) items.push(messageItem(m, false, ''));
    }
    if (!items.length && ui.source.value.trim()) items.push(make('li', 'messages-empty', '没有提示。'));
    ui.messages.replaceChildren(...items);
    const errors = sourceMessages.filter((m) => m.severity === 'error').length;
    const others = sourceMessages.length - errors;
    ui.messageCount.textContent = sourceMessages.length
      ? [errors ? `${errors} 处错误` : '', others ? `${others} 条提示` : ''].filter(Boolean).join('，')
      : '';
    marks = new Map();
    for (const m of sourceMessages) {
      if (!isSourceFile(m) || !(m.line > 0)) continue;
      if (m.severity === 'error' || !marks.has(m.line)) marks.set(m.line, m.severity === 'error' ? 'error' : 'warning');
    }
    if (!marks.has(currentLine)) currentLine = 0;
    applyMarks();
  }

  // The render's messages and lint's findings, each once.  Lint's own `messages` are
  // left out: they are the errors of loading the source, which the render reports
  // too — and lint gets the source alone, so it cannot bind the document's files and
  // would report every <attachment src> as missing.  The warning that fonts are
  // stand-ins is said by the fonts panel, not at every render.
  function collectMessages(render, lint) {
    const seen = new Set();
    const out = [];
    const add = (m) => {
      const k = messageKey(m);
      if (!seen.has(k)) { seen.add(k); out.push(m); }
    };
    for (const m of (render && render.messages) || []) {
      if (!(m.line > 0) && m.severity !== 'error' && /stand-in/.test(m.message)) continue;
      add(m);
    }
    for (const m of (lint && lint.findings) || []) add(m);
    return out;
  }

  // ---------------------------------------------------------------------------------
  // The preview

  let pageUrls = [];

  function base64Blob(b64, type) {
    const bin = atob(b64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new Blob([bytes], { type });
  }

  // Replaces the pages at once, when every image is decoded, so the preview never
  // flickers nor jumps while the clerk types.
  // isCurrent() says whether these pages are still wanted once decoded.
  async function showPages(pages, isCurrent) {
    const urls = pages.map((p) => URL.createObjectURL(base64Blob(p.png, 'image/png')));
    const frames = pages.map((p, i) => {
      const fig = make('figure', 'page-frame');
      const img = make('img', 'page');
      img.width = p.width;
      img.height = p.height;
      img.alt = `第 ${i + 1} 页`;
      img.src = urls[i];
      fig.appendChild(img);
      fig.appendChild(make('figcaption', 'page-number', `第 ${i + 1} 页 / 共 ${pages.length} 页`));
      return { fig, img };
    });
    await Promise.all(frames.map(({ img }) => img.decode().catch(() => {})));
    if (!isCurrent()) {
      for (const u of urls) URL.revokeObjectURL(u);
      return;
    }
    ui.pages.replaceChildren(...frames.map((f) => f.fig));
    for (const u of pageUrls) URL.revokeObjectURL(u);
    pageUrls = urls;
    ui.welcome.hidden = pages.length > 0;
    ui.pageCount.textContent = pages.length ? `共 ${pages.length} 页` : '';
  }

  function clearPages() {
    ui.pages.replaceChildren();
    for (const u of pageUrls) URL.revokeObjectURL(u);
    pageUrls = [];
    ui.pageCount.textContent = '';
    setStale(false);
  }

  function setStale(stale) {
    const has = ui.pages.childElementCount > 0;
    ui.preview.classList.toggle('stale', stale && has);
    ui.staleBanner.hidden = !(stale && has);
  }

  // ---------------------------------------------------------------------------------
  // Rendering on every change

  let renderTimer = 0;
  let renderController = null;   // the request in flight; a newer one aborts it

  // Called at every change: what is in flight is for a text that is gone, so it is
  // aborted now, and a new render waits for a pause in the typing.
  function scheduleRender() {
    clearTimeout(renderTimer);
    if (renderController) {
      renderController.abort();
      renderController = null;
    }
    setState('rendering');
    renderTimer = setTimeout(renderNow, RENDER_DELAY_MS);
  }

  function finishRender(state) {
    setState(state);
    document.body.dataset.renders = String(Number(document.body.dataset.renders) + 1);
  }

  async function renderNow() {
    clearTimeout(renderTimer);
    if (renderController) renderController.abort();
    const controller = new AbortController();
    renderController = controller;
    const source = ui.source.value;
    updateButtons();
    showFiles();
    if (!source.trim()) {
      sourceMessages = [];
      showMessages();
      clearPages();
      ui.welcome.hidden = false;
      setStatus('尚无内容', '');
      setState('idle');
      return;
    }
    setState('rendering');
    setStatus('排版中…', 'busy');
    const name = doc.name;
    try {
      const [render, lint] = await Promise.all([
        requestPreview(source, name, controller.signal),
        requestLint(source, name, controller.signal),
      ]);
      if (controller !== renderController) return;
      sourceMessages = collectMessages(render, lint);
      showMessages();
      if (render.ok) {
        await showPages(render.pages || [], () => controller === renderController);
        if (controller !== renderController) return;
        setStale(false);
        const n = sourceMessages.length;
        setStatus(`共 ${(render.pages || []).length} 页${n ? `，${n} 条提示` : ''}`, 'ok');
        finishRender('ready');
      } else {
        setStale(true);
        const errors = sourceMessages.filter((m) => m.severity === 'error').length;
        setStatus(render.error
          ? render.error
          : `有 ${errors || '若干'} 处错误，未能排版${ui.pages.childElementCount ? '：预览为上一次的结果' : ''}`, 'error');
        finishRender('failed');
      }
    } catch (e) {
      if (e.name === 'AbortError' || controller !== renderController) return;
      setStale(true);
      setStatus(`无法连接排版服务器：${e.message}`, 'error');
      finishRender('offline');
    } finally {
      if (controller === renderController) renderController = null;
    }
  }

  // {ok: true, pages, messages} | {ok: false, messages} (the input is wrong) |
  // {ok: false, error, messages: []} (the request failed).
  async function requestPreview(source, name, signal) {
    const url = `/api/render?${query({ format: 'png', dpi: PREVIEW_DPI, name })}`;
    const res = await post(url, () => renderBody(source), signal);
    const body = await readJson(res);
    if (res.ok && body.ok) return body;
    if (res.status === 422) return { ok: false, messages: body.messages || [] };
    return { ok: false, error: requestError(res, body), messages: [] };
  }

  // Lint is advice: when it fails, the preview still shows, without its findings.
  async function requestLint(source, name, signal) {
    try {
      // The same body as the render: a letter's attachments must be there to bind.
      const res = await post(`/api/lint?${query({ name })}`, () => renderBody(source), signal);
      const body = await readJson(res);
      return res.ok && body.ok ? body : null;
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      return null;
    }
  }

  // ---------------------------------------------------------------------------------
  // The document's files

  // The server takes single names: no '/', no leading '.', at most 255 bytes.
  function badFileName(name) {
    if (name.includes('/') || name.includes('\\')) return `“${name}”在文件夹中`;
    if (name.startsWith('.')) return `“${name}”的名字以“.”开头`;
    if (new TextEncoder().encode(name).length > 255) return `“${name}”的名字太长`;
    return '';
  }

  function showFiles() {
    const source = ui.source.value;
    const items = [];
    for (const [name, blob] of doc.files) {
      const li = make('li', 'file');
      li.dataset.name = name;
      li.appendChild(make('span', 'file-name', name));
      const used = source.includes(`"${name}"`) || source.includes(`'${name}'`);
      li.appendChild(make('span', 'file-meta', `${sizeText(blob.size)}${used ? '' : '，源文件未引用'}`));
      li.classList.toggle('unused', !used);
      const remove = make('button', 'link remove', '移除');
      remove.type = 'button';
      remove.title = `从公文中移除 ${name}`;
      remove.addEventListener('click', () => {
        doc.files.delete(name);
        renderNow();
      });
      li.appendChild(remove);
      items.push(li);
    }
    ui.files.replaceChildren(...items);
    ui.filesEmpty.hidden = items.length > 0;
  }

  function updateButtons() {
    const empty = !ui.source.value.trim();
    ui.pdfButton.disabled = empty;
    ui.ofdButton.disabled = empty;
  }

  // ---------------------------------------------------------------------------------
  // Opening: pasted text, chosen or dropped files, .zip packages

  // Starts a new document with this source and files (File or Blob by name).
  function newDocument(name, source, files) {
    doc.files = new Map();
    for (const f of files) doc.files.set(f.name, f);
    setSource(name, source);
    clearPages();
    renderNow();
  }

  // POST /api/import: a text or .docx becomes the source of a new document; the files
  // the import made (a .docx's seal) and `extra` become its files.
  async function importText(file, extra) {
    setStatus(`正在导入“${file.name}”…`, 'busy');
    setState('rendering');
    let res;
    let body;
    try {
      res = await post(`/api/import?${query({ name: file.name })}`, () => file);
      body = await readJson(res);
    } catch (e) {
      setStatus(`无法连接排版服务器：${e.message}`, 'error');
      setState('offline');
      return;
    }
    importName = file.name;
    importMessages = body.messages || [];
    if (!res.ok || !body.ok) {
      const first = importMessages.find((m) => m.severity === 'error');
      showNotice(`“${file.name}”无法导入${first ? `：${first.message}` : res.status === 422 ? '' : `：${requestError(res, body)}`}`);
      showMessages();
      setStatus('导入失败', 'error');
      setState(ui.pages.childElementCount ? 'ready' : 'idle');
      return;
    }
    const made = (body.files || []).map((f) => new File([base64Blob(f.base64, 'image/png')], f.name));
    // the server may name the source itself; else the text's name with .xml
    const name = typeof body.name === 'string' && body.name && !badFileName(body.name)
      ? body.name : `${baseName(file.name)}.xml`;
    newDocument(name, body.source, [...made, ...extra]);
  }

  // The names an XML source refers to by <attachment src> (and <seal src>).
  function referencedNames(text) {
    const names = new Set();
    const re = /<(?:attachment|seal)\b[^>]*?\bsrc\s*=\s*(["'])(.*?)\1/g;
    let m;
    while ((m = re.exec(text)) !== null) names.add(m[2]);
    return names;
  }

  // The main source among several .xml files: the one no other refers to; among those,
  // the one that refers to others, then the first.
  function chooseMain(xmls) {
    const named = new Set();
    for (const x of xmls) for (const n of referencedNames(x.text)) if (n !== x.file.name) named.add(n);
    const roots = xmls.filter((x) => !named.has(x.file.name));
    const pool = roots.length ? roots : xmls;
    return pool.find((x) => referencedNames(x.text).size > 0) || pool[0];
  }

  async function readUtf8(file) {
    const bytes = await file.arrayBuffer();
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch (e) {
      throw new Error(`“${file.name}”不是 UTF-8 编码的 XML 文件`);
    }
  }

  async function openFiles(list) {
    hideNotice();
    try {
      let files = [];
      for (const f of list) files.push(...(ext(f.name) === 'zip' ? await unzip(f) : [f]));
      const skipped = files.filter((f) => !OPENABLE.includes(ext(f.name)) || ext(f.name) === 'zip');
      files = files.filter((f) => !skipped.includes(f));
      const notes = [];
      if (skipped.length) {
        notes.push(`未打开 ${skipped.map((f) => `“${f.name}”`).join('、')}：只能打开 .txt、.docx、.xml、.png 文件，或装有它们的 .zip 压缩包`);
      }
      for (const f of files) {
        const bad = badFileName(f.name);
        if (bad) throw new Error(`${bad}，无法使用`);
      }
      const texts = files.filter((f) => ['txt', 'docx'].includes(ext(f.name)));
      const xmlFiles = files.filter((f) => ext(f.name) === 'xml');
      const pngs = files.filter((f) => ext(f.name) === 'png');
      if (texts.length > 1) {
        notes.push(`一次只导入一个文本或 Word 文件，已导入“${texts[0].name}”`);
      }
      if (notes.length) showNotice(notes.join('；'));
      if (texts.length) {
        importMessages = [];
        await importText(texts[0], [...xmlFiles, ...pngs]);
      } else if (xmlFiles.length) {
        const xmls = [];
        for (const f of xmlFiles) xmls.push({ file: f, text: await readUtf8(f) });
        const main = chooseMain(xmls);
        importMessages = [];
        newDocument(main.file.name, main.text,
          [...xmls.filter((x) => x !== main).map((x) => x.file), ...pngs]);
      } else if (pngs.length) {
        // Pictures alone join the document being worked on (a seal added afterwards).
        for (const f of pngs) doc.files.set(f.name, f);
        renderNow();
      }
    } catch (e) {
      showNotice(e.message);
    }
  }

  // ---------------------------------------------------------------------------------
  // A reader of .zip packages: the central directory, stored and deflated entries.
  // The browser's DecompressionStream('deflate-raw') inflates; every other method,
  // encryption, ZIP64 and any name that is not a single plain file name are refused.

  const CRC_TABLE = (() => {
    const t = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      t[n] = c >>> 0;
    }
    return t;
  })();

  function crc32(bytes) {
    let c = 0xffffffff;
    for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  }

  // The end-of-central-directory record is in the last 22 + 65535 bytes (its comment
  // is at most 65535 bytes); searched backwards for its signature.
  function findEndRecord(view) {
    const stop = Math.max(0, view.byteLength - 22 - 65535);
    for (let p = view.byteLength - 22; p >= stop; p--) {
      if (view.getUint32(p, true) === 0x06054b50) return p;
    }
    return -1;
  }

  // Names are UTF-8 when flag bit 11 says so; Chinese Windows tools write GBK without
  // saying so, and some others UTF-8 without the flag: UTF-8 if it decodes, else GB18030.
  function entryName(bytes, utf8Flag) {
    if (utf8Flag) return new TextDecoder('utf-8').decode(bytes);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch (e) {
      return new TextDecoder('gb18030').decode(bytes);
    }
  }

  async function inflateRaw(data, expected, what) {
    const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
    const reader = stream.getReader();
    const chunks = [];
    let total = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.length;
        if (total > expected) throw new Error('longer than declared');
        chunks.push(value);
      }
    } catch (e) {
      reader.cancel().catch(() => {});
      throw new Error(`压缩包中的${what}已损坏，无法解压`);
    }
    if (total !== expected) throw new Error(`压缩包中的${what}已损坏，无法解压`);
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) { out.set(c, at); at += c.length; }
    return out;
  }

  // The entries of a .zip as Files.
  async function unzip(file) {
    const buf = new Uint8Array(await file.arrayBuffer());
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const broken = () => new Error(`“${file.name}”不是有效的 ZIP 压缩包，或已损坏`);
    const end = buf.length >= 22 ? findEndRecord(view) : -1;
    if (end < 0) throw broken();
    const count = view.getUint16(end + 10, true);
    const dirSize = view.getUint32(end + 12, true);
    const dirOffset = view.getUint32(end + 16, true);
    if (count === 0xffff || dirOffset === 0xffffffff || dirSize === 0xffffffff) {
      throw new Error(`“${file.name}”是 ZIP64 格式，不支持：请解压后直接打开其中的文件`);
    }
    if (dirOffset + dirSize > end) throw broken();
    const entries = [];
    let total = 0;
    let p = dirOffset;
    for (let i = 0; i < count; i++) {
      if (p + 46 > end || view.getUint32(p, true) !== 0x02014b50) throw broken();
      const flags = view.getUint16(p + 8, true);
      const method = view.getUint16(p + 10, true);
      const crc = view.getUint32(p + 16, true);
      const packed = view.getUint32(p + 20, true);
      const size = view.getUint32(p + 24, true);
      const nameLen = view.getUint16(p + 28, true);
      const extraLen = view.getUint16(p + 30, true);
      const commentLen = view.getUint16(p + 32, true);
      const local = view.getUint32(p + 42, true);
      if (p + 46 + nameLen > end) throw broken();
      const name = entryName(buf.subarray(p + 46, p + 46 + nameLen), flags & 0x800);
      p += 46 + nameLen + extraLen + commentLen;
      const what = `“${name}”`;
      if (name.includes('/') || name.includes('\\')) {
        throw new Error(`压缩包“${file.name}”中的${what}在文件夹里：请把文件直接放在压缩包的最外层，或解压后直接打开`);
      }
      if (name.split('.').every((s) => s === '') || name.includes('..')) {
        throw new Error(`压缩包“${file.name}”中的文件名${what}不能使用`);
      }
      if (flags & 0x1) throw new Error(`压缩包“${file.name}”中的${what}已加密，无法读取：请解压后直接打开`);
      if (method !== 0 && method !== 8) {
        throw new Error(`压缩包“${file.name}”中的${what}用了不支持的压缩方式（编号 ${method}）：只支持“存储”和 Deflate`);
      }
      if (packed === 0xffffffff || size === 0xffffffff) {
        throw new Error(`“${file.name}”是 ZIP64 格式，不支持：请解压后直接打开其中的文件`);
      }
      total += size;
      if (total > MAX_UNPACKED_BYTES) {
        throw new Error(`压缩包“${file.name}”解压后超过 ${sizeText(MAX_UNPACKED_BYTES)}，太大`);
      }
      entries.push({ name, method, crc, packed, size, local });
    }
    const files = [];
    for (const e of entries) {
      const what = `“${e.name}”`;
      if (e.local + 30 > buf.length || view.getUint32(e.local, true) !== 0x04034b50) throw broken();
      const start = e.local + 30 + view.getUint16(e.local + 26, true) + view.getUint16(e.local + 28, true);
      if (start + e.packed > buf.length) throw broken();
      const data = buf.subarray(start, start + e.packed);
      let bytes;
      if (e.method === 0) {
        if (e.packed !== e.size) throw broken();
        bytes = data;
      } else {
        bytes = await inflateRaw(data, e.size, what);
      }
      if (crc32(bytes) !== e.crc) throw new Error(`压缩包中的${what}已损坏（校验和不符）`);
      files.push(new File([bytes], e.name));
    }
    return files;
  }

  // ---------------------------------------------------------------------------------
  // Fonts: which face serves each role, in plain words

  const ROLE_LABEL = {
    body: '正文', title: '标题', heading1: '一级标题', heading2: '二级标题',
    label: '附件标识', pagenum: '页码', latin: '西文和数字',
  };

  // The server names where a face came from as docs/serve.md shows ("fallback
  // stand-in", as `gwpdf fonts` prints) or in short ("stand-in"): both are understood.
  const SOURCE_KIND = {
    '--font': 'option', option: 'option',
    'fonts directory': 'fonts-dir', 'fonts-dir': 'fonts-dir',
    'installed (fontconfig)': 'installed', installed: 'installed',
    'fallback stand-in': 'stand-in', 'stand-in': 'stand-in',
  };

  function isStandIn(role) {
    return SOURCE_KIND[role.source] === 'stand-in';
  }

  function sourceWords(role) {
    const face = role.faces && role.faces[0] ? role.faces[0].family : '（无）';
    switch (SOURCE_KIND[role.source]) {
      case 'option': return `使用启动参数 --font 指定的 ${face}`;
      case 'fonts-dir': return `使用本单位字体目录中的 ${face}`;
      case 'installed': return `使用本机已安装的 ${face}`;
      case 'stand-in': return `未安装，使用替代字体 ${face}`;
      default: return `${face}（${role.source}）`;
    }
  }

  function showFonts(body) {
    const roles = body.roles || [];
    ui.fonts.replaceChildren(...roles.map((r) => {
      const li = make('li', 'font');
      li.dataset.role = r.role;
      li.classList.toggle('standin', isStandIn(r));
      const bold = r.synthetic_bold ? '（粗体为模拟加粗）' : '';
      li.textContent = `${ROLE_LABEL[r.role] || r.role} ${r.design}：${sourceWords(r)}${bold}`;
      return li;
    }));
    const standins = roles.filter(isStandIn).length;
    ui.fontsSummary.textContent = standins
      ? `${standins} 种字体未安装，暂以替代字体排版：字形与规定字体不同。正式印发前，请管理员把本单位有授权的字体文件放入服务器的 fonts/ 目录。`
      : '各种字体均已就绪。';
    const warnings = body.messages || [];
    ui.fontWarnings.replaceChildren(...warnings.map((m) => make('li', '', m.message)));
    ui.fontDetails.hidden = warnings.length === 0;
  }

  async function loadFonts() {
    try {
      const res = await fetch('/api/fonts');
      const body = await readJson(res);
      if (!res.ok || !body.ok) throw new Error(body.error || `HTTP ${res.status}`);
      showFonts(body);
      return true;
    } catch (e) {
      ui.fontsSummary.textContent = `无法读取字体信息：${e.message}`;
      return false;
    }
  }

  // ---------------------------------------------------------------------------------
  // Downloads

  function saveBlob(blob, filename) {
    const url = URL.createObjectURL(blob);
    const a = make('a');
    a.href = url;
    a.download = filename;
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    a.remove();
    // the download has its own copy once started; a minute is plenty
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }

  async function download(format) {
    const source = ui.source.value;
    if (!source.trim()) return;
    const label = format.toUpperCase();
    const filename = `${baseName(doc.name)}.${format}`;
    const button = format === 'pdf' ? ui.pdfButton : ui.ofdButton;
    button.disabled = true;
    setStatus(`正在生成 ${label}…`, 'busy');
    try {
      const res = await post(`/api/render?${query({ format, name: doc.name })}`, () => renderBody(source));
      if (res.ok) {
        saveBlob(await res.blob(), filename);
        setStatus(`已生成 ${filename}`, 'ok');
        return;
      }
      const body = await readJson(res);
      if (res.status === 422) {
        sourceMessages = collectMessages(body, null);
        showMessages();
        setStatus(`源文件有错误，未能生成 ${label}：请按提示修改`, 'error');
      } else {
        setStatus(`未能生成 ${label}：${requestError(res, body)}`, 'error');
      }
    } catch (e) {
      setStatus(`无法连接排版服务器：${e.message}`, 'error');
    } finally {
      updateButtons();
    }
  }

  // ---------------------------------------------------------------------------------
  // Wiring

  function setUpPasteDialog() {
    ui.pasteText.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        ui.pasteDialog.close('import');
      }
    });
    ui.pasteButton.addEventListener('click', () => {
      ui.pasteText.value = '';
      ui.pasteDialog.showModal();
      ui.pasteText.focus();
    });
    ui.pasteDialog.addEventListener('close', () => {
      if (ui.pasteDialog.returnValue !== 'import') return;
      const text = ui.pasteText.value;
      ui.pasteText.value = '';
      if (!text.trim()) return;
      hideNotice();
      // A pasted XML source goes to the editor as it is; any other text is imported.
      if (/^\s*(<\?xml|<report\b|<document\b)/.test(text)) {
        importMessages = [];
        newDocument('document.xml', text, []);
      } else {
        importText(new File([text], 'document.txt', { type: 'text/plain' }), []);
      }
    });
  }

  // Files dragged anywhere onto the page are opened; the overlay says so while they
  // hover.  dragenter/dragleave fire for every child crossed, hence the counter.
  function setUpDrop() {
    let depth = 0;
    const hasFiles = (e) => e.dataTransfer && Array.from(e.dataTransfer.types).includes('Files');
    window.addEventListener('dragenter', (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth++;
      ui.dropOverlay.hidden = false;
    });
    window.addEventListener('dragover', (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    });
    window.addEventListener('dragleave', (e) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) ui.dropOverlay.hidden = true;
    });
    window.addEventListener('drop', (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      ui.dropOverlay.hidden = true;
      if (e.dataTransfer.files.length) openFiles(Array.from(e.dataTransfer.files));
    });
  }

  function setUp() {
    ui.source.addEventListener('input', () => {
      syncLines();
      updateButtons();
      scheduleRender();
    });
    ui.source.addEventListener('scroll', syncScroll);
    ui.openButton.addEventListener('click', () => ui.fileInput.click());
    ui.fileInput.addEventListener('change', () => {
      const files = Array.from(ui.fileInput.files || []);
      ui.fileInput.value = ''; // choosing the same files again is a change too
      if (files.length) openFiles(files);
    });
    ui.pdfButton.addEventListener('click', () => download('pdf'));
    ui.ofdButton.addEventListener('click', () => download('ofd'));
    ui.noticeClose.addEventListener('click', hideNotice);
    setUpPasteDialog();
    setUpDrop();
    setSource(doc.name, '');
    showFiles();
    showMessages();
    loadFonts().then((ok) => {
      setStatus(ok ? '就绪：请粘贴文本或打开文件' : '无法连接排版服务器', ok ? '' : 'error');
    });
  }

  setUp();
})();
