#!/usr/bin/python3
"""Reads a gwpdf PDF's signature block back and checks the seal (GB/T 9704 §7.3.5.1).

    /usr/bin/python3 sealcheck.py FILE.pdf DATE_TEXT ISSUER_TEXT

Needs Debian's python3-pdfminer (run with /usr/bin/python3).  On the page holding the
seal (an image XObject drawn as a stencil mask): the seal's box overlaps every glyph box of
the date; the issuer's and the date's text lie below the seal's centre; the seal's top is
at or below the last body line above the issuer and less than one row pitch (29.61 pt)
below it; the seal lies in the type area; it is painted in red.  Exit 0 when all hold."""
import re
import sys

from pdfminer.layout import LTChar, LTFigure, LTImage

from pdfpages import pages

MM = 72 / 25.4
PITCH = (225 * MM - 16) / 21
AREA = (28 * MM, 35 * MM, (210 - 26) * MM, (297 - 37) * MM)


def walk(obj):
    for o in obj:
        if isinstance(o, LTFigure):
            yield from walk(o)
        yield o


def lines(chars):
    """Characters of 16 pt grouped by baseline (top to bottom), each a (text, boxes) pair."""
    rows = {}
    for c in chars:
        rows.setdefault(round(c.matrix[5], 1), []).append(c)   # the baseline
    out = []
    for y in sorted(rows, reverse=True):
        cs = sorted(rows[y], key=lambda c: c.x0)
        out.append((''.join(c.get_text() for c in cs).replace(' ', ''), cs))
    return out


def main(pdf, date_text, issuer_text):
    fails = []
    for no, (page, content) in enumerate(pages(pdf), 1):
        objs = list(walk(page))
        seals = [o for o in objs if isinstance(o, LTImage)]
        if not seals:
            continue
        seal = seals[0]
        chars = [o for o in objs if isinstance(o, LTChar) and abs(o.size - 16) < 0.5]
        ls = lines(chars)
        date = next((cs for t, cs in ls if t == date_text), None)
        issuer_i = next((i for i, (t, _) in enumerate(ls) if t == issuer_text), None)
        if date is None or issuer_i is None:
            fails.append(f'page {no}: no date line {date_text!r} or issuer line {issuer_text!r}')
            break
        for c in date:
            if not (c.x1 > seal.x0 and c.x0 < seal.x1 and c.y1 > seal.y0 and c.y0 < seal.y1):
                fails.append(f'page {no}: the date glyph {c.get_text()!r} lies outside the seal')
        cy = (seal.y0 + seal.y1) / 2
        for t, cs in (ls[issuer_i], (date_text, date)):
            mid = (cs[0].y0 + cs[0].y1) / 2
            if mid >= cy:
                fails.append(f'page {no}: {t!r} is not below the seal centre ({mid:.2f} >= {cy:.2f})')
        body = [cs for t, cs in ls[:issuer_i]]
        if not body:
            fails.append(f'page {no}: no body line above the signature')
        else:
            bottom = min(c.y0 for c in body[-1])
            gap = bottom - seal.y1
            if not (-0.5 <= gap < PITCH):
                fails.append(f'page {no}: seal top {seal.y1:.2f}, last body line bottom {bottom:.2f}: '
                             f'gap {gap:.2f} pt not in [0, {PITCH:.2f})')
        if not (AREA[0] - 0.01 <= seal.x0 and seal.x1 <= AREA[2] + 0.01 and
                AREA[1] - 0.01 <= seal.y0 and seal.y1 <= AREA[3] + 0.01):
            fails.append(f'page {no}: the seal {seal.bbox} leaves the type area')
        paint = re.search(rb'([\d.]+) ([\d.]+) ([\d.]+) rg [^Q]*? Do', content)
        if not paint:
            fails.append(f'page {no}: no fill colour set before the seal is drawn')
        else:
            r, g, b = (float(v) for v in paint.groups())
            if not (r > 0.8 and g < 0.2 and b < 0.2):
                fails.append(f'page {no}: the seal is painted in ({r}, {g}, {b}), not red')
        print(f'sealcheck: page {no}, seal {seal.x1 - seal.x0:.2f} pt wide at {seal.bbox}')
        break
    else:
        fails.append('no seal image in the PDF')
    for f in fails:
        print('FAIL:', f)
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:4]))
