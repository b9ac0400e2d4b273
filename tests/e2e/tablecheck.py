#!/usr/bin/python3
"""Reads the tables of a gwpdf PDF back and checks them against the XML source.

    /usr/bin/python3 tablecheck.py FILE.pdf SOURCE.xml [--landscape]

Needs Debian's python3-pdfminer (run with /usr/bin/python3).  Reading: pdfminer's page
aggregator without layout analysis (laparams=None), so a page's characters come in content-stream order; table text is the
12 pt characters; rules are the page's line segments.  Checks, for the (first) table:
  * the head: on every page the table reaches, its 12 pt text starts with the head cells'
    text in order, and pdftotext of that page holds every head cell;
  * read glyph by glyph, the table's body is every cell's text in source order, each
    cell contiguous on one page;
  * no row is split: the one-row cells of a row are all on one page;
  * every rule and 12 pt glyph lies in the type area; every page with table text has rules;
  * --landscape: on every page of the table its glyphs are turned a quarter turn and the
    page number is upright.
Exit status 0 when all hold, 1 otherwise."""
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

from pdfminer.layout import LTChar, LTCurve

from pdfpages import pages as pdf_pages

MM = 72 / 25.4
AREA = (28 * MM - 0.01, 35 * MM - 0.01, (210 - 26) * MM + 0.01, (297 - 37) * MM + 0.01)


def cell_text(el):
    return re.sub(r'\s+', '', ''.join(el.itertext()))


CLOSING = set('，。、；：？！）》”’」』】〕〉')   # full-width marks that ink their left half only
OPENING = set('（《“‘「『【〔〈')                 # ... and these their right half


def inside(obj):
    x0, x1 = obj.x0, obj.x1
    upright = isinstance(obj, LTChar) and obj.upright
    if upright and obj.get_text() in CLOSING:
        x1 = x0 + obj.size / 2
    if upright and obj.get_text() in OPENING:
        x0 = x1 - obj.size / 2
    return AREA[0] <= x0 and x1 <= AREA[2] and AREA[1] <= obj.y0 and obj.y1 <= AREA[3]


def main(pdf, src, landscape=False):
    table = ET.parse(src).getroot().find('.//table')
    head = [cell_text(c) for tr in table.findall('./thead/tr') for c in tr]
    rows = [[(cell_text(c), int(c.get('rowspan', '1'))) for c in tr]
            for tr in table.findall('./tbody/tr')]
    pages, fails, turned = [], [], {}
    for no, (page, _) in enumerate(pdf_pages(pdf), 1):
        chars, rules = [], 0
        turned[no] = {'table': set(), 'number': set()}
        for obj in page:
            # pdfminer's .size is the box's height, which on a landscape (turned)
            # page is the glyph's advance; the font size is then the box's width.
            size = obj.size if isinstance(obj, LTChar) and obj.upright else getattr(obj, 'width', 0)
            if isinstance(obj, LTChar) and obj.get_text() in '—' and abs(obj.size - 14) < 0.6:
                turned[no]['number'].add(obj.upright)
            if isinstance(obj, LTChar) and abs(size - 12) < 0.6 and obj.get_text() != ' ':
                turned[no]['table'].add(obj.upright)
                chars.append(obj.get_text())
                if not inside(obj):
                    fails.append(f'page {no}: {obj.get_text()!r} outside the type area')
            elif isinstance(obj, LTCurve):
                rules += 1
                if not inside(obj):
                    fails.append(f'page {no}: a rule outside the type area')
        pages.append(''.join(chars))
        if chars and rules == 0:
            fails.append(f'page {no}: table text but no rules')
    spanned = [no for no, text in enumerate(pages, 1) if text]
    if landscape:
        # Turned pages: the table's glyphs run up the page (the head at the left when
        # the page is turned to read it), the page number stays upright.
        for no in spanned:
            if turned[no]['table'] != {False}:
                fails.append(f'page {no}: the table is not turned a quarter turn')
            if turned[no]['number'] != {True}:
                fails.append(f'page {no}: the page number is not upright')
    head_text = ''.join(head)
    body_pages = []                     # (page, its body text after the head)
    for no in spanned:
        text = pages[no - 1]
        if not text.startswith(head_text):
            fails.append(f'page {no}: the table text does not start with the head {head_text!r}')
        body_pages.append((no, text[len(head_text):] if text.startswith(head_text) else text))
        out = subprocess.run(['pdftotext', '-f', str(no), '-l', str(no), pdf, '-'],
                             capture_output=True, text=True).stdout
        flat = re.sub(r'\s+', '', out)
        for h in head:
            if h not in flat:
                fails.append(f'page {no}: pdftotext lacks the head cell {h!r}')
    # Read glyph by glyph, the body is every cell's text in source order.
    got = ''.join(t for _, t in body_pages)
    want = ''.join(t for row in rows for t, _ in row)
    if got != want:
        k = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
        fails.append(f'body text differs from the cells in source order at character {k}: '
                     f'got …{got[max(0, k - 15):k + 15]}…, want …{want[max(0, k - 15):k + 15]}…')
    else:
        # Where each page's body text ends, and so on which page each cell lies.
        ends, at = [], 0
        for no, t in body_pages:
            at += len(t)
            ends.append((at, no))
        def page_of(start, end):
            first = next(no for e, no in ends if start < e)
            last = next(no for e, no in ends if end <= e)
            return first if first == last else None
        at = 0
        for r, row in enumerate(rows, 1):
            where = set()
            for text, span in row:
                if text:
                    page = page_of(at, at + len(text))
                    if page is None:
                        fails.append(f'row {r}: cell {text!r} is split across pages')
                    elif span == 1:
                        where.add(page)
                at += len(text)
            if len(where) > 1:
                fails.append(f'row {r}: split across pages {sorted(where)}')
    for f in fails:
        print('FAIL:', f)
    cells = sum(1 for row in rows for t, _ in row if t)
    print(f'tablecheck: {len(rows)} body rows, {cells} cells, head on pages {spanned}, '
          f'{len(fails)} failure(s)')
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1], sys.argv[2], '--landscape' in sys.argv[3:]))
