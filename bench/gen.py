#!/usr/bin/env python3
"""Generate a real-shaped report of about PAGES pages, reproducibly.

    bench/gen.py PAGES OUT.xml [--seed N]

Shape: sections four levels deep (一、 （一） 1. （1）), paragraphs of 2–9 lines, run-in
headings, lists, figures and percentages (1,286.50 万元, 97.85%), Latin words (GDP, PDF/A),
dates, quotes and brackets. Repertoire: the 3,755 characters of GB 2312 level 1 (decoded
from their GB 2312 codes, rows 16–55), so a long document uses several thousand distinct
characters, not the real report's 513 over and over. Tables are not generated: this version
of gwpdf does not typeset them yet. Standard library only; the same PAGES and seed always
give the same file."""
import random
import sys

CHARS_PER_PAGE = 28 * 21            # a full page of body text, less headings


def level1_hanzi():
    out = []
    for row in range(0xB0, 0xD8):   # GB 2312 rows 16..55: level-1 hanzi
        for col in range(0xA1, 0xFF):
            try:
                ch = bytes([row, col]).decode('gb2312')
            except UnicodeDecodeError:
                continue
            out.append(ch)
    return out


class Writer:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.han = level1_hanzi()
        self.chars = 0

    def words(self, n):
        return ''.join(self.r.choice(self.han) for _ in range(n))

    def number(self):
        k = self.r.randrange(6)
        if k == 0:
            return '%d,%03d.%02d 万元' % (self.r.randrange(1, 99), self.r.randrange(1000), self.r.randrange(100))
        if k == 1:
            return '%d.%02d%%' % (self.r.randrange(100), self.r.randrange(100))
        if k == 2:
            return '%d 年' % self.r.randrange(2000, 2030)
        if k == 3:
            return self.r.choice(['GDP', 'PDF/A', 'COVID-19', 'ISO 9001', 'CPU'])
        if k == 4:
            return '%d 个' % self.r.randrange(1, 500)
        return '%d 月 %d 日' % (self.r.randrange(1, 13), self.r.randrange(1, 29))

    def sentence(self):
        parts = [self.words(self.r.randrange(4, 14))]
        for _ in range(self.r.randrange(0, 3)):
            k = self.r.randrange(5)
            if k == 0:
                parts.append('，' + self.number() + self.words(self.r.randrange(2, 6)))
            elif k == 1:
                parts.append('，“' + self.words(self.r.randrange(2, 6)) + '”')
            elif k == 2:
                parts.append('（' + self.words(self.r.randrange(2, 8)) + '）')
            elif k == 3:
                parts.append('、' + self.words(self.r.randrange(2, 5)))
            else:
                parts.append('，《' + self.words(self.r.randrange(3, 9)) + '》')
        return ''.join(parts) + self.r.choice('。。。；')

    def paragraph(self):
        text = ''.join(self.sentence() for _ in range(self.r.randrange(2, 7)))
        self.chars += len(text) + 28
        return text


def main():
    pages = int(sys.argv[1])
    out = sys.argv[2]
    seed = int(sys.argv[sys.argv.index('--seed') + 1]) if '--seed' in sys.argv else 9704
    w = Writer(seed)
    target = pages * CHARS_PER_PAGE
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<report version="1">',
             '  <label>附件1</label>',
             '  <title>%s关于%d年度部门整体支出绩效自评情况的报告</title>' % (w.words(6), 2022)]
    while w.chars < target:
        lines.append('  <section><heading>%s</heading>' % w.words(w.r.randrange(4, 10)))
        lines.append('    <p>%s</p>' % w.paragraph())
        for _ in range(w.r.randrange(2, 4)):
            if w.chars >= target:
                break
            lines.append('    <section><heading>%s</heading>' % w.words(w.r.randrange(4, 12)))
            for _ in range(w.r.randrange(1, 3)):
                lines.append('      <p>%s</p>' % w.paragraph())
            for _ in range(w.r.randrange(1, 3)):
                lines.append('      <section><heading runin="true">%s。</heading><p>%s</p>'
                             % (w.words(w.r.randrange(4, 10)), w.paragraph()))
                lines.append('        <section><heading>%s</heading><p>%s</p></section>'
                             % (w.words(w.r.randrange(4, 9)), w.paragraph()))
                lines.append('      </section>')
            lines.append('      <list>%s</list>' % ''.join(
                '<item>%s</item>' % w.paragraph() for _ in range(w.r.randrange(2, 4))))
            lines.append('    </section>')
        lines.append('  </section>')
    lines.append('</report>')
    with open(out, 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines) + '\n')


if __name__ == '__main__':
    main()
