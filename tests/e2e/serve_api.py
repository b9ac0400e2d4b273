#!/usr/bin/env python3
"""`gwpdf serve` end to end, over real HTTP on 127.0.0.1: the JSON API against
the CLI (the same bytes, the same messages), and the limits: oversized bodies,
malformed uploads, hostile names and paths, a client that trickles its
request, a render bomb, a full queue — each answered with its error while the
other requests go on, and no file left behind.

usage: serve_api.py GWPDF SOURCE_DIR SCRATCH_DIR
"""
import base64
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

GWPDF, SRC, SCRATCH = (os.path.abspath(a) for a in sys.argv[1:4])
CONTENT = os.path.join(SRC, 'content')
SEED = os.path.join(SRC, 'tests', 'data', 'e2e', 'seed-zengcheng-2022.txt')
EPOCH = '1700000000'
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print('FAIL:', what, file=sys.stderr)


def cli(*args, cwd=None):
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    return subprocess.run([GWPDF, *args], cwd=cwd, env=env, capture_output=True, timeout=300)


class Server:
    def __init__(self, *opts):
        self.tmp = os.path.join(SCRATCH, 'tmp')
        os.makedirs(self.tmp, exist_ok=True)
        env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, TMPDIR=self.tmp)
        self.proc = subprocess.Popen([GWPDF, 'serve', '--listen', '127.0.0.1:0', *opts],
                                     env=env, stderr=subprocess.PIPE, text=True)
        self.log = []
        first = self.proc.stderr.readline()
        self.log.append(first)
        m = re.search(r'http://127\.0\.0\.1:(\d+)/', first)
        if not m:
            raise SystemExit('the server did not say where it listens: ' + first)
        self.port = int(m.group(1))
        self.reader = threading.Thread(target=self._drain, daemon=True)
        self.reader.start()

    def _drain(self):
        for line in self.proc.stderr:
            self.log.append(line)

    def request(self, method, path, body=None, headers=None, timeout=120):
        c = http.client.HTTPConnection('127.0.0.1', self.port, timeout=timeout)
        t0 = time.monotonic()
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        data = r.read()
        c.close()
        return r.status, dict(r.getheaders()), data, time.monotonic() - t0

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=60)
        self.reader.join(timeout=10)
        return code


def multipart(parts):
    """parts: (field, filename or None, bytes) → (body, content type)."""
    boundary = 'gwpdf-test-boundary-7d1f'
    out = []
    for field, filename, data in parts:
        disp = f'form-data; name="{field}"' + (f'; filename="{filename}"' if filename else '')
        out.append(f'--{boundary}\r\nContent-Disposition: {disp}\r\n'
                   f'Content-Type: application/octet-stream\r\n\r\n'.encode() + data + b'\r\n')
    out.append(f'--{boundary}--\r\n'.encode())
    return b''.join(out), f'multipart/form-data; boundary={boundary}'


def read(path):
    with open(path, 'rb') as f:
        return f.read()


def test_pages_and_api(s):
    st, h, body, _ = s.request('GET', '/')
    check(st == 200 and b'<html' in body.lower(), 'GET / serves the page')
    check("default-src 'self'" in h.get('Content-Security-Policy', ''), 'the page has a CSP')
    for path in ('/app.js', '/app.css'):
        st, _, body, _ = s.request('GET', path)
        check(st == 200 and len(body) > 0, f'GET {path}')
    st, _, body, _ = s.request('GET', '/api/health')
    check(st == 200 and json.loads(body)['ok'] is True, 'health')
    st, _, body, _ = s.request('GET', '/api/fonts')
    fonts = json.loads(body)
    roles = {r['role'] for r in fonts['roles']}
    check(st == 200 and {'body', 'title', 'heading1', 'pagenum'} <= roles, 'fonts: every role')
    check(all(r['faces'] for r in fonts['roles']), 'fonts: each role has a face')
    check(all('/' not in f['file'] for r in fonts['roles'] for f in r['faces']),
          'fonts: no server paths')


def test_import_lint_render(s):
    seed = read(SEED)
    st, _, body, _ = s.request('POST', '/api/import?name=seed-zengcheng-2022.txt', seed)
    imp = json.loads(body)
    check(st == 200 and imp['ok'], 'import the seed')
    want = cli('import', 'seed-zengcheng-2022.txt', '-o', '-', cwd=os.path.dirname(SEED))
    check(imp['source'].encode() == want.stdout, 'import: the CLI\'s source, byte for byte')
    cli_warnings = [l for l in want.stderr.decode().splitlines() if l]
    check(len(imp['messages']) == len(cli_warnings),
          f'import: {len(imp["messages"])} messages, the CLI printed {len(cli_warnings)}')
    for m, line in zip(imp['messages'], cli_warnings):
        where = f'{m["file"]}:{m["line"]}:' + (f'{m["col"]}:' if m['col'] else '')
        check(line.startswith(where) and line.endswith(m['message']),
              f'import message {m} is the CLI\'s {line}')

    # A .docx with a seal picture: the CLI's source, and the seal's bytes beside it.
    docx = os.path.join(SRC, 'tests', 'data', 'import', 'docx', 'libreoffice', 'project.docx')
    st, _, body, _ = s.request('POST', '/api/import?name=project.docx', read(docx))
    imp = json.loads(body)
    work = os.path.join(SCRATCH, 'docx')
    os.makedirs(work, exist_ok=True)
    shutil.copy(docx, work)
    want = cli('import', 'project.docx', '-o', 'project.xml', cwd=work)
    check(st == 200 and imp['ok'] and imp['name'] == 'project.xml'
          and imp['source'].encode() == read(os.path.join(work, 'project.xml')),
          'import a .docx: the CLI\'s source')
    seals = {f['name']: base64.b64decode(f['base64']) for f in imp['files']}
    check(seals.get('project-seal.png') == read(os.path.join(work, 'project-seal.png')),
          f'import a .docx: its seal, the CLI\'s bytes ({sorted(seals)})')
    check(len(imp['messages']) == len([l for l in want.stderr.decode().splitlines() if l]),
          'import a .docx: the CLI\'s messages')

    src = os.path.join(CONTENT, 'zengcheng-2022-budget-self-evaluation.xml')
    st, _, body, _ = s.request('POST', '/api/lint?name=r.xml', read(src))
    lint = json.loads(body)
    want = cli('lint', os.path.basename(src), cwd=CONTENT)
    n_cli = sum(1 for l in want.stderr.decode().splitlines() if ': warning: ' in l)
    check(st == 200 and lint['ok'] and len(lint['findings']) == n_cli,
          f'lint: {len(lint["findings"])} findings, the CLI {n_cli}')

    for fmt in ('pdf', 'ofd'):
        st, h, body, _ = s.request('POST', f'/api/render?format={fmt}&name=' + urllib.parse.quote('报告.xml'), read(src))
        out = os.path.join(SCRATCH, f'cli.{fmt}')
        cli('render', src, '-o', out)
        check(st == 200 and body == read(out), f'render {fmt}: the CLI\'s bytes')
        check("filename*=UTF-8''%E6%8A%A5%E5%91%8A." + fmt in h.get('Content-Disposition', ''),
              f'render {fmt}: the download is named after the source')

    # The covering letter, its attached report and its seal, as multipart.
    letter = os.path.join(CONTENT, 'zengcheng-2023-letter.xml')
    body, ctype = multipart([('source', 'zengcheng-2023-letter.xml', read(letter)),
                             ('file', 'zengcheng-2022-budget-self-evaluation.xml', read(src)),
                             ('file', 'zengcheng-union-seal.png',
                              read(os.path.join(CONTENT, 'zengcheng-union-seal.png')))])
    st, _, pdf, _ = s.request('POST', '/api/render?format=pdf', body, {'Content-Type': ctype})
    out = os.path.join(SCRATCH, 'letter.pdf')
    cli('render', letter, '-o', out)
    check(st == 200 and pdf == read(out), 'render the letter (multipart): the CLI\'s bytes')

    st, _, res, _ = s.request('POST', '/api/render?format=png&dpi=40', body,
                              {'Content-Type': ctype})
    pages = json.loads(res)['pages']
    n_pdf = int(re.search(rb'Pages:\s+(\d+)',
                          subprocess.run(['pdfinfo', out], capture_output=True).stdout).group(1))
    check(st == 200 and len(pages) == n_pdf, f'png: {len(pages)} pages, the PDF has {n_pdf}')
    for p in pages:
        png = base64.b64decode(p['png'])
        check(png[:8] == b'\x89PNG\r\n\x1a\n', 'png: a PNG')
        check((p['width'], p['height']) == (round(210 / 25.4 * 40), round(297 / 25.4 * 40)),
              f'png: A4 at 40 dpi, got {p["width"]}×{p["height"]}')


def test_errors_of_the_input(s):
    bad = b'<?xml version="1.0"?>\n<report>\n  <p>x</q>\n</report>\n'
    path = os.path.join(SCRATCH, 'broken.xml')
    with open(path, 'wb') as f:
        f.write(bad)
    want = cli('render', 'broken.xml', '-o', 'broken.pdf', cwd=SCRATCH)
    first = want.stderr.decode().splitlines()[0]
    st, _, body, _ = s.request('POST', '/api/render?format=png&name=broken.xml', bad)
    res = json.loads(body)
    m = res['messages'][0]
    check(st == 422 and not res['ok'], 'a broken source: 422')
    check(first == f'broken.xml:{m["line"]}:{m["col"]}: {m["message"]}',
          f'a broken source: the CLI\'s first message {first!r}, got {m}')
    # Files a source names must be in its upload: no path leads out.
    for seal in ('/etc/gwpdf-no-such.png', '../x.png'):
        src = read(os.path.join(CONTENT, 'zengcheng-2023-letter.xml')).replace(
            b'src="zengcheng-union-seal.png"', f'src="{seal}"'.encode())
        body, ctype = multipart([('source', 'letter.xml', src), (
            'file', 'zengcheng-2022-budget-self-evaluation.xml',
            read(os.path.join(CONTENT, 'zengcheng-2022-budget-self-evaluation.xml')))])
        st, _, body, _ = s.request('POST', '/api/render?format=pdf', body,
                                   {'Content-Type': ctype})
        msgs = json.loads(body).get('messages', [])
        check(st == 422 and any('seal src' in m['message'] for m in msgs),
              f'a seal at {seal} is refused: {st} {msgs[:2]}')
    src = read(os.path.join(CONTENT, 'zengcheng-2023-letter.xml')).replace(
        b'src="zengcheng-2022-budget-self-evaluation.xml"', b'src="../../etc/passwd"')
    st, _, body, _ = s.request('POST', '/api/render?format=pdf', src)
    check(st == 422 and b'leaves the document' in body, 'an attachment outside is refused')


def test_errors_of_the_request(s):
    cases = [
        ('GET', '/nope', None, {}, 404),
        ('GET', '/api/render', None, {}, 405),
        ('POST', '/api/health', b'x', {}, 405),
        ('POST', '/api/render?format=docx', b'<report/>', {}, 400),
        ('POST', '/api/render?format=png&dpi=5', b'<report/>', {}, 400),
        ('POST', '/api/render?name=../x.xml', b'<report/>', {}, 400),
        ('POST', '/api/render?name=.x.xml', b'<report/>', {}, 400),
    ]
    body, ctype = multipart([('file', 'a.png', b'x')])
    cases.append(('POST', '/api/render', body, {'Content-Type': ctype}, 400))   # no source
    body, ctype = multipart([('source', 's.xml', b'<report/>'), ('file', 'a/b.png', b'x')])
    cases.append(('POST', '/api/render', body, {'Content-Type': ctype}, 400))
    body, ctype = multipart([('source', 's.xml', b'<report/>'), ('file', 'a.png', b'x'),
                             ('file', 'a.png', b'y')])
    cases.append(('POST', '/api/render', body, {'Content-Type': ctype}, 400))
    body, ctype = multipart([('source', 's.xml', b'<report/>'), ('other', 'a.png', b'x')])
    cases.append(('POST', '/api/render', body, {'Content-Type': ctype}, 400))
    cases.append(('POST', '/api/render', body[:-30], {'Content-Type': ctype}, 400))  # cut short
    cases.append(('POST', '/api/render', b'x', {'Content-Type': 'multipart/form-data'}, 400))
    for method, path, data, headers, want in cases:
        st, _, res, _ = s.request(method, path, data, headers)
        ok = st == want
        try:
            ok = ok and json.loads(res)['ok'] is False and json.loads(res)['error']
        except (ValueError, KeyError):
            ok = False
        check(ok, f'{method} {path} {headers}: {want} with its error, got {st} {res[:120]!r}')
    # A declared length over the limit: answered before the body is sent.
    sock = socket.create_connection(('127.0.0.1', s.port), timeout=30)
    sock.sendall(b'POST /api/render HTTP/1.1\r\nHost: x\r\nContent-Length: 50000000\r\n\r\n')
    head = sock.recv(4096)
    sock.close()
    check(head.startswith(b'HTTP/1.1 413'), f'a declared length over the limit: 413, got {head[:40]!r}')
    # A body without a length, over the limit.
    c = http.client.HTTPConnection('127.0.0.1', s.port, timeout=60)
    c.putrequest('POST', '/api/render')
    c.putheader('Transfer-Encoding', 'chunked')
    c.endheaders()
    chunk = b'x' * 1_000_000
    for _ in range(17):
        c.send(b'%x\r\n' % len(chunk) + chunk + b'\r\n')
    c.send(b'0\r\n\r\n')
    r = c.getresponse()
    check(r.status == 413, f'a chunked body over the limit: 413, got {r.status}')
    c.close()


def bomb_source(paragraphs):
    """A source of paragraphs × 18 000 characters of text (some 14 pages each)."""
    para = '<p>' + '经费使用情况良好，' * 2000 + '</p>\n'
    return ('<?xml version="1.0"?>\n<report version="1"><title>压力</title>\n'
            + para * paragraphs + '</report>\n').encode()


def slow_client(port, result):
    """Headers at once, then one byte a second: must be dropped."""
    sock = socket.create_connection(('127.0.0.1', port))
    sock.sendall(b'POST /api/render HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n')
    t0 = time.monotonic()
    try:
        for _ in range(60):
            sock.sendall(b'<')
            time.sleep(1)
        result['dropped'] = None
    except OSError:
        result['dropped'] = time.monotonic() - t0
    sock.close()


def test_abuse_beside_normal_work(s):
    src = read(os.path.join(CONTENT, 'zengcheng-2022-budget-self-evaluation.xml'))
    quiet = []
    for _ in range(3):
        st, _, _, dt = s.request('POST', '/api/render?format=pdf', src)
        check(st == 200, 'a quiet render')
        quiet.append(dt)
    slow = {}
    t = threading.Thread(target=slow_client, args=(s.port, slow))
    t.start()
    # A render bomb: within the input limits, more processor time than a worker has
    # (hundreds of pages at 600 dpi).
    bomb = bomb_source(20)
    bomb_res = {}

    def render_bomb():
        st, _, body, dt = s.request('POST', '/api/render?format=png&dpi=600&name=bomb.xml', bomb)
        bomb_res.update(status=st, body=body, seconds=dt)

    b = threading.Thread(target=render_bomb)
    b.start()
    time.sleep(0.5)
    busy = []
    for _ in range(3):
        st, _, _, dt = s.request('POST', '/api/render?format=pdf', src)
        check(st == 200, f'a render beside the abuse: {st}')
        busy.append(dt)
    b.join(timeout=200)
    t.join(timeout=120)
    check(bomb_res.get('status') == 422 and b'processor time' in bomb_res.get('body', b''),
          f'the render bomb: 422 with the CPU limit, got {bomb_res.get("status")} '
          f'{bomb_res.get("body", b"")[:200]!r}')
    check(slow.get('dropped') is not None and slow['dropped'] < 20,
          f'the slow client is dropped within the request timeout: {slow}')
    print(f'quiet renders {min(quiet):.2f}–{max(quiet):.2f} s; beside a bomb and a slow client '
          f'{min(busy):.2f}–{max(busy):.2f} s; bomb answered in {bomb_res.get("seconds", 0):.1f} s;'
          f' slow client dropped after {slow.get("dropped")} s')


def test_full_queue(s):
    """One worker, no queue: while a long document runs, another request gets 503; once
    it has run a second it moves to the background and the next request is served."""
    src = read(os.path.join(CONTENT, 'zengcheng-2022-budget-self-evaluation.xml'))
    first = {}
    # Hundreds of pages drawn at 600 dpi: far more than 4 s of work in any build.
    t = threading.Thread(target=lambda: first.update(
        r=s.request('POST', '/api/render?format=png&dpi=600', bomb_source(20))))
    t.start()
    time.sleep(0.4)
    st, h, body, _ = s.request('POST', '/api/render?format=pdf', src)
    check(st == 503 and h.get('Retry-After') == '1' and json.loads(body)['ok'] is False,
          f'a full queue: 503 with Retry-After, got {st} {h.get("Retry-After")}')
    time.sleep(1.2)
    check(t.is_alive(), 'the long document is still being worked on')
    st, _, _, dt = s.request('POST', '/api/render?format=pdf', src)
    check(st == 200, f'a long job in the background leaves its slot: got {st}')
    check(t.is_alive(), 'the long document was still running while another was served')
    t.join(timeout=200)
    r = first.get('r', (0, {}, b'', 0))
    check(r[0] == 422 and b'processor time' in r[2],
          f'the long document ends at its CPU limit: {r[0]} {r[2][:200]!r}')
    st, _, _, _ = s.request('POST', '/api/render?format=pdf', src)
    check(st == 200, 'after the queue empties, work goes on')


def no_sanitizer_report(log, who):
    text = ''.join(log)
    check('AddressSanitizer' not in text and 'runtime error' not in text
          and 'LeakSanitizer' not in text, f'{who}: no sanitizer report')


def main():
    os.makedirs(SCRATCH, exist_ok=True)
    s = Server('--workers', '2', '--queue', '8', '--max-body', '16000000',
               '--request-timeout', '5', '--cpu-seconds', '2')
    try:
        test_pages_and_api(s)
        test_import_lint_render(s)
        test_errors_of_the_input(s)
        test_errors_of_the_request(s)
        test_abuse_beside_normal_work(s)
        left = [os.path.join(d, f) for d, _, fs in os.walk(s.tmp) for f in fs]
        left += [d for d, sub, _ in os.walk(s.tmp) if 'req-' in os.path.basename(d)]
        check(not left, f'no request file left in the temporary directory: {left[:5]}')
    finally:
        code = s.stop()
    check(code == 0, f'the server stops on SIGTERM with 0, got {code}')
    check(not os.listdir(s.tmp), f'its temporary directory is removed: {os.listdir(s.tmp)}')
    no_sanitizer_report(s.log, 'server')

    q = Server('--workers', '1', '--queue', '0', '--cpu-seconds', '4')
    try:
        test_full_queue(q)
    finally:
        q.stop()
    no_sanitizer_report(q.log, 'server with one worker')

    # An address other than loopback is served only when asked, with a warning.
    p = subprocess.Popen([GWPDF, 'serve', '--listen', '0.0.0.0:0'], stderr=subprocess.PIPE,
                         text=True, env=dict(os.environ, TMPDIR=s.tmp))
    lines = [p.stderr.readline(), p.stderr.readline()]
    p.send_signal(signal.SIGTERM)
    p.wait(timeout=30)
    check('warning' in lines[0] and 'office network' in lines[0], f'0.0.0.0 warns: {lines}')
    # Limits a worker cannot render within stop the server at its start (a build with
    # AddressSanitizer sets no memory limit: then it starts, and is stopped here).
    p = subprocess.Popen([GWPDF, 'serve', '--listen', '127.0.0.1:0', '--memory', '64'],
                         stderr=subprocess.PIPE, text=True, env=dict(os.environ, TMPDIR=s.tmp))
    first = p.stderr.readline()
    if first.startswith('gwpdf serve: http://'):
        p.send_signal(signal.SIGTERM)
        print('serve --memory 64: no memory limit in this build (sanitizers)')
    else:
        rest = p.stderr.read()
        check(p.wait(timeout=60) == 2 and 'cannot render a one-page document' in first,
              f'serve --memory 64 refuses to start: {first!r} {rest[:200]!r}')
    p.wait(timeout=60)
    bad = subprocess.run([GWPDF, 'serve', '--listen', 'localhost'], capture_output=True,
                         text=True, timeout=30)
    check(bad.returncode == 2 and 'ADDR:PORT' in bad.stderr, 'a malformed --listen: exit 2')
    bad = subprocess.run([GWPDF, 'serve', '-o', 'x.pdf'], capture_output=True, text=True,
                         timeout=30)
    check(bad.returncode == 2 and "does not take '-o'" in bad.stderr, 'serve -o: exit 2')

    if failures:
        print(f'{len(failures)} failure(s)', file=sys.stderr)
        sys.exit(1)
    print('serve: all checks passed')


if __name__ == '__main__':
    main()
