#!/usr/bin/env python3
"""Stress: inputs at the limits must render or be refused in bounded time and memory.

    python3 bench/stress.py GWPDF_BINARY WORK_DIR [--only NAME]

Issue 21, item 5: any input within the limits renders or is refused in under 2 s per MB of
source on this machine, with memory under 40 x the source size plus fonts.  "Plus fonts" and
the start-up are measured, not guessed: a minimal document is rendered first and its time
and peak RSS are the base; each case must then stay within

    time   <= base time + 2 s x MB of source        (+ 0.5 s of scheduling slack)
    memory <= base peak RSS + 40 x source size      (+ 8 MB: font pages touched vary)

Each case is generated here (reproducible, nothing large committed): one element with
100,000 attributes; a table of 21 columns (the most that 156 mm holds, each one 12 pt
character and its padding) and 20,000 one-cell rows, and four of them; a title of 134 one-letter words, and of 2,000; a 40,000-character author and printed title;
one 12 MB text node (the text limit raised); one paragraph of 50,000 characters (the
paragraph limit); 200,000 paragraphs (the elements limit).  For each the expected
outcome is given too (rendered, or refused with exit 1 and a message naming the bound):
a hang or a crash fails whatever the time.  Prints one line a case; exit 1 when any case
breaks a bound or ends otherwise than expected.

Run by test.sh on the build without sanitizers (ctest label "stress"), alone, after the
valgrind tests, so that timing is not shared with other work; bench/run.sh measures the
ordinary documents.
"""
import os
import subprocess
import sys
import time

MB = 1 << 20
SLACK = 0.5                 # s: a loaded 2-core machine's scheduling noise
# The fonts are mapped files: which of their pages are resident depends on the glyphs a
# document draws, not on its size (a title of Latin letters touched 0.3-5 MB more of them
# than the minimal document did).
RSS_SLACK = 8 * MB
TIMEOUT = 120               # s: a case running this long has failed anyway

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<report version="1">\n'


def minimal():
    # Every font role is used, so that the base holds every face a case may load.
    return (HEAD + '<label>附件1</label><title>标题Title 2023</title>\n<section><heading>一级'
            '</heading><section><heading>二级</heading><p>正文text 2023。</p></section></section>'
            '\n<signature><issuer>某某局</issuer><date>2023-03-15</date></signature>\n'
            '</report>\n')


def many_attributes(n=100000):
    attrs = ' '.join('a%d="x"' % i for i in range(n))
    return HEAD + '<title>标题</title>\n<p %s>正文。</p>\n</report>\n' % attrs


def sparse_table(tables=1, cols=21, rows=20000):
    parts = [HEAD, '<title>稀疏表格</title>\n']
    for _ in range(tables):
        parts.append('<table>')
        parts.append('<col width="*"/>' * cols)
        parts.append('<tbody>')
        parts.append('<tr><td>1</td></tr>' * rows)
        parts.append('</tbody></table>\n')
    parts.append('</report>\n')
    return ''.join(parts)


def long_title(words):
    # 'l', the narrowest letter: the most break candidates a line can hold.
    return HEAD + '<title>%s</title>\n<p>正文。</p>\n</report>\n' % ' '.join(['l'] * words)


def long_author(n=40000):
    return (HEAD + '<meta><author>%s</author></meta>\n<title>标题</title>\n<p>正文。</p>\n'
            '</report>\n' % ('某' * n))


def long_printed_title(n=40000):
    return HEAD + '<title>%s</title>\n<p>正文。</p>\n</report>\n' % ('某' * n)


def huge_text_node(size=12 * MB):
    return HEAD + '<title>标题</title>\n<p>%s</p>\n</report>\n' % ('a' * size)


def long_paragraph(n=50000):
    # One paragraph at the paragraph limit: line-broken as a whole.
    return HEAD + '<title>标题</title>\n<p>%s</p>\n</report>\n' % ('正文内容，' * (n // 5))


def many_paragraphs(n=200000):
    # Each <p> is one element; the root, title and the text make the rest.
    return HEAD + '<title>标题</title>\n' + '<p>正文。</p>\n' * (n - 3) + '</report>\n'


# name, generator, extra arguments, expected exit status (0 rendered, 1 refused)
CASES = [
    ('attributes-100k', many_attributes, [], 1),
    ('sparse-table', lambda: sparse_table(1), [], None),
    ('sparse-tables-4', lambda: sparse_table(4), [], None),
    ('title-134-words', lambda: long_title(134), [], 0),
    ('title-2000-words', lambda: long_title(2000), [], None),
    ('author-40k', long_author, [], 1),
    ('printed-title-40k', long_printed_title, [], None),
    # The text limit raised past the node: libxml2's own 10 MB cap must not be what stops
    # it; the paragraph limit does.
    ('text-node-12MB', huge_text_node, ['--limit', 'text=%d' % (13 * MB)], 1),
    ('paragraph-50k', long_paragraph, [], 0),
    ('paragraphs-200k', many_paragraphs, [], None),
]


def run(binary, xml, pdf, extra):
    """Exit status, seconds, peak RSS in bytes, last stderr line of one render.

    The peak comes from GNU time (/usr/bin/time -f %M), which forks from its own small
    process: a child forked from this Python, holding the generated input, would count
    Python's memory as its own until it execs."""
    err_path, peak_path = pdf + '.stderr', pdf + '.peak'
    with open(err_path, 'wb') as err:
        start = time.monotonic()
        try:
            code = subprocess.run(['/usr/bin/time', '-f', '%M', '-o', peak_path, binary, 'render',
                                   xml, '-o', pdf] + extra, stdout=subprocess.DEVNULL,
                                  stderr=err, timeout=TIMEOUT).returncode
        except subprocess.TimeoutExpired:
            return None, TIMEOUT, 0, 'timed out'
        took = time.monotonic() - start
    with open(peak_path) as f:
        peak = int(f.read().split()[-1]) * 1024
    with open(err_path, encoding='utf-8', errors='replace') as f:
        lines = [l for l in f.read().splitlines() if not l.startswith('warning: font role')
                 and not l.startswith('Command exited with non-zero status')]
    return code, took, peak, lines[-1] if lines else ''


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    binary, work = os.path.abspath(argv[1]), argv[2]
    only = argv[argv.index('--only') + 1] if '--only' in argv else None
    os.makedirs(work, exist_ok=True)
    base_xml = os.path.join(work, 'minimal.xml')
    with open(base_xml, 'w', encoding='utf-8') as f:
        f.write(minimal())
    runs = [run(binary, base_xml, os.path.join(work, 'minimal.pdf'), []) for _ in range(3)]
    if any(r[0] != 0 for r in runs):
        print('FAIL: the minimal document does not render: %s' % runs[0][3])
        return 1
    base_time = min(r[1] for r in runs)
    base_rss = max(r[2] for r in runs)
    print('base: minimal document %.2f s, peak RSS %.1f MB (start-up and fonts)'
          % (base_time, base_rss / MB))
    print('%-18s %8s %6s %8s %8s %9s %9s  %s' % ('case', 'MB', 'exit', 's', 'max s',
                                                 'RSS MB', 'max MB', 'last message'))
    failures = 0
    for name, gen, extra, want in CASES:
        if only and name != only:
            continue
        xml = os.path.join(work, name + '.xml')
        with open(xml, 'w', encoding='utf-8') as f:
            f.write(gen())
        size = os.path.getsize(xml)
        code, took, rss, last = run(binary, xml, os.path.join(work, name + '.pdf'), extra)
        max_time = base_time + 2.0 * size / MB + SLACK
        max_rss = base_rss + 40 * size + RSS_SLACK
        bad = []
        if code is None:
            bad.append('timed out after %d s' % TIMEOUT)
        elif code not in (0, 1):
            bad.append('exit status %d (crash or system error)' % code)
        elif want is not None and code != want:
            bad.append('exit status %d, want %d' % (code, want))
        if took > max_time:
            bad.append('%.2f s > %.2f s' % (took, max_time))
        if rss > max_rss:
            bad.append('%.1f MB > %.1f MB' % (rss / MB, max_rss / MB))
        print('%-18s %8.2f %6s %8.2f %8.2f %9.1f %9.1f  %s' % (
            name, size / MB, code, took, max_time, rss / MB, max_rss / MB, last[:100]))
        for b in bad:
            print('FAIL: %s: %s' % (name, b))
        failures += bool(bad)
        os.remove(xml)          # the inputs are large; they are made again each run
    print('%d case(s) broke a bound' % failures if failures else 'all cases within bounds')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
