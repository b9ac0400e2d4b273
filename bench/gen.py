#!/usr/bin/env python3
"""Generate a real-shaped report of about PAGES pages, reproducibly.

    bench/gen.py PAGES OUT.xml [--seed N]

Shape: sections four levels deep (一、 （一） 1. （1）), paragraphs of 2–9 lines, run-in
headings, lists, figures and percentages (1,286.50 万元, 97.85%), Latin words (GDP, PDF/A),
dates, quotes and brackets, and in about half of the level-1 sections a score table (a
caption, a head row, 6–12 rows, the first column spanning three rows, figures right-aligned)
that may run onto the next page. Repertoire: the 3,755 characters of GB 2312 level 1
(decoded from their GB 2312 codes, rows 16–55), so a long document uses several thousand
distinct characters, not the real report's 513 over and over. Standard library only; the
same PAGES and seed always give the same file."""
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

    def table(self):
        """A score table; counts as the body text of the same height."""
        rows = self.r.randrange(6, 13)
        out = ['    <table><caption>表 %s</caption>' % self.words(self.r.randrange(6, 12)),
               '      <col width="16mm"/><col width="3*"/><col width="2*"/><col width="2*"/><col width="3*"/>',
               '      <thead><tr><th>指标</th><th>内容</th><th>目标值</th><th>完成值</th><th>说明</th></tr></thead>',
               '      <tbody>']
        for i in range(rows):
            first = '<td rowspan="%d">%s</td>' % (min(3, rows - i), self.words(4)) if i % 3 == 0 else ''
            out.append('        <tr>%s<td>%s</td><td align="right">%s</td><td align="right">%s</td><td>%s</td></tr>'
                       % (first, self.words(self.r.randrange(4, 16)), self.number(), self.number(),
                          self.sentence()))
        out.append('      </tbody></table>')
        self.chars += rows * 2 * 28
        return '\n'.join(out)

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
        if w.r.randrange(2) == 0:
            lines.append(w.table())
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
