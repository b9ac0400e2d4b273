#!/usr/bin/env python3
"""Load and abuse of `gwpdf serve`, bounded and on 127.0.0.1 only (docs/performance.md).

Two runs of SECONDS each against one server (Release build, default options but
--request-timeout 10 and --cpu-seconds 10, SOURCE_DATE_EPOCH set):
  quiet — CLIENTS concurrent clients, each rendering the real report to PDF in a
          loop (a new connection a request, as the page's fetch does);
  abuse — the same clients while, at once, a slow client trickles a body one
          byte a second, oversized bodies, malformed multipart uploads and a
          render bomb (12 MB of source, 4.2 million characters of text: the
          worker parses it all before the text limit refuses it) and a
          processor-time bomb (280 pages asked for at 600 dpi, stopped at
          --cpu-seconds) are sent again and again.
Printed for each run: requests, errors, median / p90 / p99 latency; for the
abuse run what each abuser got; the peak RSS of the server process and of the
largest worker; the files left in the server's temporary directory.  Every
client PDF is checked to be the CLI's bytes.

usage: bench/serve_load.py GWPDF [SECONDS] [CLIENTS]  (default 60, 20)
"""
import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

GWPDF = os.path.abspath(sys.argv[1])
SECONDS = float(sys.argv[2]) if len(sys.argv) > 2 else 60
CLIENTS = int(sys.argv[3]) if len(sys.argv) > 3 else 20
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPORT = os.path.join(ROOT, 'content', 'zengcheng-2022-budget-self-evaluation.xml')
EPOCH = '1700000000'


def post(port, path, body, headers=None, timeout=120):
    c = http.client.HTTPConnection('127.0.0.1', port, timeout=timeout)
    t0 = time.monotonic()
    try:
        c.request('POST', path, body=body, headers=headers or {})
        r = c.getresponse()
        data = r.read()
        return r.status, data, time.monotonic() - t0
    except OSError as e:
        return str(e), b'', time.monotonic() - t0
    finally:
        c.close()


def percentile(values, p):
    if not values:
        return float('nan')
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]


class Watch(threading.Thread):
    """Samples the server's VmHWM and its children's RSS every 50 ms."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.server_kb, self.worker_kb, self.stop = pid, 0, 0, False

    def run(self):
        while not self.stop:
            try:
                with open(f'/proc/{self.pid}/status') as f:
                    m = re.search(r'VmHWM:\s+(\d+)', f.read())
                    self.server_kb = max(self.server_kb, int(m.group(1)))
                kids = []
                for task in os.listdir(f'/proc/{self.pid}/task'):
                    try:
                        with open(f'/proc/{self.pid}/task/{task}/children') as f:
                            kids += f.read().split()
                    except OSError:
                        pass
                for k in kids:
                    try:
                        with open(f'/proc/{k}/status') as f:
                            m = re.search(r'VmRSS:\s+(\d+)', f.read())
                            if m:
                                self.worker_kb = max(self.worker_kb, int(m.group(1)))
                    except OSError:
                        pass
            except OSError:
                pass
            time.sleep(0.05)


def clients(port, expected, seconds):
    lat, errors, lock = [], [], threading.Lock()
    end = time.monotonic() + seconds
    body = open(REPORT, 'rb').read()

    def loop():
        while time.monotonic() < end:
            st, data, dt = post(port, '/api/render?format=pdf', body)
            with lock:
                if st == 200 and data == expected:
                    lat.append(dt)
                else:
                    errors.append((st, data[:100]))

    ts = [threading.Thread(target=loop) for _ in range(CLIENTS)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return lat, errors


def abusers(port, seconds, got):
    end = time.monotonic() + seconds
    para = '<p>' + '经费使用情况良好，' * 2000 + '</p>\n'
    bomb = ('<?xml version="1.0"?>\n<report version="1"><title>压力</title>\n'
            + para * 235 + '</report>\n').encode()
    boundary = 'b0undary'
    malformed = (f'--{boundary}\r\nContent-Disposition: form-data; name="source"\r\n\r\n'
                 '<report/>\r\n--nope').encode()

    def record(kind, value):
        got.setdefault(kind, []).append(value)

    def slow():
        while time.monotonic() < end:
            s = socket.create_connection(('127.0.0.1', port))
            s.sendall(b'POST /api/render HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n')
            t0 = time.monotonic()
            try:
                while time.monotonic() < end + 60:
                    s.sendall(b'<')
                    time.sleep(1)
                record('slow client', 'not dropped')
            except OSError:
                record('slow client', f'dropped after {time.monotonic() - t0:.0f} s')
            s.close()

    def oversized():
        while time.monotonic() < end:
            s = socket.create_connection(('127.0.0.1', port))
            s.sendall(b'POST /api/render HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n')
            record('oversized body', s.recv(64).split(b'\r\n')[0].decode())
            s.close()
            time.sleep(0.5)

    def multipart():
        while time.monotonic() < end:
            st, _, _ = post(port, '/api/render', malformed,
                            {'Content-Type': f'multipart/form-data; boundary={boundary}'})
            record('malformed multipart', st)
            time.sleep(0.5)

    def render_bomb():
        while time.monotonic() < end:
            st, data, dt = post(port, '/api/render?format=pdf', bomb)
            record('render bomb', f'{st} in {dt:.1f} s' +
                   (' (' + re.search(rb'more than [^"]*', data).group(0).decode()[:60] + ')'
                    if b'more than' in data else ''))

    # A document within every input limit that needs more processor time than a
    # worker has: 280 pages drawn at 600 dpi, stopped at --cpu-seconds.
    long_doc = ('<?xml version="1.0"?>\n<report version="1"><title>压力</title>\n'
                + para * 20 + '</report>\n').encode()

    def cpu_bomb():
        while time.monotonic() < end:
            st, data, dt = post(port, '/api/render?format=png&dpi=600', long_doc)
            record('processor-time bomb', f'{st} in {dt:.0f} s' +
                   (' (the processor-time limit)' if b'processor time' in data else ''))

    ts = [threading.Thread(target=f)
          for f in (slow, oversized, multipart, render_bomb, cpu_bomb)]
    for t in ts:
        t.start()
    return ts


def summary(name, lat, errors):
    print(f'{name}: {len(lat)} renders, {len(errors)} errors; latency median '
          f'{statistics.median(lat) * 1000:.0f} ms, p90 {percentile(lat, 90) * 1000:.0f} ms, '
          f'p99 {percentile(lat, 99) * 1000:.0f} ms, {len(lat) / SECONDS:.1f} renders/s')
    for e in errors[:5]:
        print('   error:', e)


def main():
    tmp = tempfile.mkdtemp(prefix='gwpdf-load-')
    expected_path = os.path.join(tmp, 'cli.pdf')
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, TMPDIR=tmp)
    subprocess.run([GWPDF, 'render', REPORT, '-o', expected_path], env=env, check=True,
                   capture_output=True)
    expected = open(expected_path, 'rb').read()
    server = subprocess.Popen([GWPDF, 'serve', '--listen', '127.0.0.1:0', '--request-timeout', '10',
                               '--cpu-seconds', '10'],
                              env=env, stderr=subprocess.PIPE, text=True)
    port = int(re.search(r':(\d+)/', server.stderr.readline()).group(1))
    threading.Thread(target=lambda: [None for _ in server.stderr], daemon=True).start()
    watch = Watch(server.pid)
    watch.start()
    print(f'{CLIENTS} clients, {SECONDS:.0f} s a run, {os.cpu_count()} cores, '
          f'workers = cores, the real report (7 pages) to PDF')
    lat_q, err_q = clients(port, expected, SECONDS)
    summary('quiet', lat_q, err_q)
    got = {}
    ts = abusers(port, SECONDS, got)
    lat_a, err_a = clients(port, expected, SECONDS)
    summary('abuse', lat_a, err_a)
    for t in ts:
        t.join()
    for kind, values in got.items():
        distinct = sorted({str(v) for v in values})
        print(f'   {kind}: {len(values)} times, got {"; ".join(distinct[:4])}')
    print(f'median under abuse / quiet: {statistics.median(lat_a) / statistics.median(lat_q):.2f}'
          f', p99: {percentile(lat_a, 99) / percentile(lat_q, 99):.2f}')
    watch.stop = True
    watch.join()
    print(f'peak RSS: server {watch.server_kb / 1024:.1f} MB, largest worker '
          f'{watch.worker_kb / 1024:.1f} MB')
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=60)
    left = [os.path.join(d, f) for d, _, fs in os.walk(tmp) for f in fs if f != 'cli.pdf']
    print(f'files left in the temporary directory: {len(left)}')
    os.unlink(expected_path)
    os.rmdir(tmp)


if __name__ == '__main__':
    main()
