#!/usr/bin/env python3
"""OFD against PDF from the same gwpdf, in one run (issue 17): sizes and wall times.

    bench/ofd.py GWPDF [N]

Renders the real report (content/zengcheng-2022-budget-self-evaluation.xml), the covering
letter that binds it (content/zengcheng-2023-letter.xml) and a 1,000-page report made by
bench/gen.py, to PDF and to OFD, N times each (default 11), interleaved (pdf, ofd, pdf,
...), whole process wall time; prints the median of each, the ratio OFD/PDF, and the file
sizes with and without --no-hinting (the same fonts for both outputs: the same binary, the
same machine, one run). SOURCE_DATE_EPOCH is fixed, so each output's bytes are the same
every run. Standard library only; docs/performance.md holds the figures."""
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def render(binary, src, out, extra=()):
    t = time.perf_counter()
    subprocess.run([binary, 'render', src, '-o', out, *extra], check=True,
                   stderr=subprocess.DEVNULL, env=dict(os.environ, SOURCE_DATE_EPOCH='1700000000'))
    return time.perf_counter() - t


def measure(binary, name, src, n, tmp):
    times = {'pdf': [], 'ofd': []}
    outs = {k: os.path.join(tmp, f'{name}.{k}') for k in times}
    for k in times:                      # warm the caches, untimed
        render(binary, src, outs[k])
    for _ in range(n):
        for k in times:
            times[k].append(render(binary, src, outs[k]))
    sizes = {k: os.path.getsize(outs[k]) for k in times}
    for k in times:
        render(binary, src, outs[k] + '.nh', ['--no-hinting', '--format', k])
    sizes_nh = {k: os.path.getsize(outs[k] + '.nh') for k in times}
    med = {k: statistics.median(v) * 1000 for k, v in times.items()}
    print(f'| {name} | {med["pdf"]:.1f} ms | {med["ofd"]:.1f} ms | {med["ofd"] / med["pdf"]:.2f} '
          f'| {sizes["pdf"]:,} | {sizes["ofd"]:,} | {sizes_nh["pdf"]:,} | {sizes_nh["ofd"]:,} |')


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    binary = os.path.abspath(argv[1])
    n = int(argv[2]) if len(argv) == 3 else 11
    with tempfile.TemporaryDirectory() as tmp:
        gen = os.path.join(tmp, 'gen-1000.xml')
        subprocess.run([sys.executable, os.path.join(ROOT, 'bench', 'gen.py'), '1000', gen],
                       check=True)
        print(f'{n} runs each, interleaved, median wall time; sizes in bytes '
              '(hinted | --no-hinting)\n')
        print('| document | PDF | OFD | OFD/PDF | PDF bytes | OFD bytes | PDF bytes, no hinting '
              '| OFD bytes, no hinting |')
        print('|---|---|---|---|---|---|---|---|')
        content = os.path.join(ROOT, 'content')
        measure(binary, 'real report', os.path.join(content, 'zengcheng-2022-budget-self-evaluation.xml'), n, tmp)
        measure(binary, 'covering letter', os.path.join(content, 'zengcheng-2023-letter.xml'), n, tmp)
        measure(binary, '1,000 pages', gen, max(3, n // 3), tmp)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
