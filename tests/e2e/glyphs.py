#!/usr/bin/python3
"""Glyph-level check of a gwpdf PDF's body text against docs/linebreak.md ("The rules").

    /usr/bin/python3 glyphs.py FILE.pdf [--dump]

Needs Debian's python3-pdfminer: run it with /usr/bin/python3 (a pyenv python3 on the PATH
may lack Debian's packages).  --dump also prints every line read back.  Exit status 0 when
no violation was found, 1 otherwise, 2 when the file cannot be read.

Reading: pdfminer.high_level.extract_pages; every upright LTChar but white space, with its
box x0 .. x1 (origin .. origin + advance), its baseline (the text matrix, ch.matrix[5]),
size, text and font.  Glyphs are grouped into lines by baseline (within 1 pt of the line's
first baseline); a line's glyphs are sorted by the centre of their ink (the box of an
opening mark compressed after another mark may start left of it: ：“).  Page numbers
("— N —") are dropped, and so is a 版头 (format v2): on a page with red glyphs (the
发文机关标志), every line at or above the lowest red baseline (份号, 密级, 紧急程度, the mark).  Body size = 16 pt (三号, even where 12 pt table cells are the majority); a body line has
most of its glyphs at it (±0.5 pt).  Only body lines are checked (not table cells).

Geometry (GB/T 9704-2012): type area x 79.370 .. 521.575 pt, 28 cells of 15.793 pt, rows
of pitch 29.609 pt.  A 16 pt glyph sits centred on its 15.793 pt cell, so a glyph's CELL
is its box (or ink, below) scaled by 15.793/16 about its centre; starts, ends and gaps are
measured on cells, overflow on ink.
  ink   = the box, except: full-width closing marks (，。、；：？！）》”’」』】〕〉．...) draw in
          the LEFT half-em [x0, x0 + size/2], opening marks (（《“‘「『【〔〈...) in the RIGHT
          half-em [x1 - size/2, x1], a middle dot (·) in the half-em around its centre.
  start = the cell left edge of the first glyph's box; for an opening mark at the left edge,
          of its ink (a line-start opener loses its blank, so its ink meets the edge; only
          after a paragraph's 2-cell first-line indent does it keep its blank, and its box
          starts at the indent).
  end   = the right edge of the last glyph's ink (and of its cell, for the statistic).

A paragraph's LAST line is decided from the PDF alone: line P is a paragraph's last line
when the next line N (reading order, across pages)
  * starts 1.5 cells or more right of the left edge (a paragraph's 2-cell first line, a
    heading, a centred or right-aligned line), or
  * is not body text (title, other size), or
  * is on the same page more than 1.4 row pitches below P (a blank row: the signature),
  * is an attachment's label (附件, 附件2) at the head of a new page (format v2),
or P is the document's last body line.  Every other body line is a FULL line.  A page's
last line followed by a flush line at the head of the next page is a full line even when a
blank row follows it on its page: the 孤行 rule (rules §7) moves a paragraph's line to the
next page and leaves that row empty, yet the line it left behind is justified.  (A
paragraph with indent="0" after another, or a line ended by <br/>, would be taken for a
full line: the documents checked have none in body text.)

Checks (violation kinds):
  line-start     a line starts with a no-start mark (rules §1 rows 1-6): 、。，．：；？！‼⁇⁈⁉
                 ”’）》〉」』】〕〗］｝〙〛〞〟｠ ASCII , . : ; ? ! ) ] } / - %, a single — (a whole ——
                 may start a line; a lone — or three do not), ～〜－‐‒–, ·・‧･, ／, ％‰‱℃℉°′″¢￠
  line-end       a line ends with a no-end mark (§2): （《“‘「『【〔〈〖［｛〘〚〝｟ ( [ { and the
                 prefixes $ ＄ £ ￡ ¥ ￥ € №, 分隔号 / ／
  split-dash     P ends with an odd run of — and N starts with —   (—— split)
  split-ellipsis P ends with an odd run of … and N starts with …   (…… split)
  split-number   a number cut: P ends with a digit and N starts with a digit . , or %, or P
                 ends with . or , after a digit and N starts with a digit (97.|85%, 1,286|.50)
     (the split-* checks compare consecutive body lines P, N where N is not indented)
  overflow       a glyph's ink lies outside x 79.370 .. 521.575 by more than 0.5 pt
  start          a full line starts neither at 79.37 (±0.5) nor, as a paragraph's first line,
                 at 110.96 (±0.5) and is not centred (ink within 1 cell of symmetric);
                 and any body line that is not indented or centred and starts with an
                 opening mark whose ink is not at 79.37 (±0.5): its blank was kept
  right-edge     a full line's ink does not end at 521.575 (±0.5) (not centred lines)
  count28        a full line made only of CJK Unified Ideographs does not hold 28 (counting
                 a 2-cell first-line indent as 2).  Fewer is allowed only when the break
                 was forced by the next line's start: N begins with a Latin/number atom,
                 with —— or ……, with a no-end mark, with a Han character followed by a
                 no-start mark (push-out), or N is the paragraph's last line (孤字 pass).
  gap-narrow     Han then ASCII letter/digit (or the reverse) on one line, or an ASCII %
                 ending a number that has Han before it, then Han (满意度 90% 以上): the
                 cell-to-cell distance is under 2.5 pt (a quarter em is 3.95 pt); on a line
                 that was shrunk (a lone mid-line ，、；： set in half a cell) under 1.5 pt
  gap-wide       the distance is over a quarter cell + 1 pt (4.95 pt): the stretch of a
                 line goes to its other junctions first, so the gap keeps its quarter em
                 on every line that has two adjacent Han characters.  Only a line without
                 (nothing else to take the space) may widen it, up to half a cell (7.90 pt)
                 plus the line's stretch share + 1 pt.  A % whose number has no Han before
                 it on the line (，80%至) takes no gap after it either: % then Han over the
                 line's stretch share (the largest extra space measured between two
                 adjacent Han cells) + 1 pt
A summary follows: pages, body lines, violations by kind, the largest right-edge
deviation (ink and cell), ideograph-only full lines and how many hold 28, gap statistics.
"""
import collections
import logging
import re
import sys

MM = 72 / 25.4
LEFT, RIGHT = 28 * MM, (28 + 156) * MM          # 79.370 .. 521.575
CELL = 156 * MM / 28                              # 15.793
BODY = 16.0
PITCH = (225 * MM - BODY) / 21                    # 29.609
TOL = 0.5                                         # pt, edges
GAP = 0.25 * CELL                                 # the Han-Latin gap, 3.95 pt

NO_START = set('、。，．：；？！‼⁇⁈⁉'              # row 1
               '”’）》〉」』】〕〗］｝〙〛〞〟｠'         # row 2
               '～〜－‐‒–'                          # row 3 (a single — handled apart)
               '·・‧･'                              # row 4
               '／'                                 # row 5
               '％‰‱℃℉°′″¢￠'                       # row 6
               ',.:;?!)]}/-%')                      # ASCII of rows 1, 2, 3, 5, 6
NO_END = set('“‘（《〈「『【〔〖［｛〘〚〝｟([{' '$＄£￡¥￥€№' '/／')
CLOSING = set('，。、；：？！）》〉」』】〕〗］｝〙〛”’．')   # ink in the left half-em
OPENING = set('（《〈「『【〔〖［｛〘〚“‘')                  # ink in the right half-em
MIDDOT = set('·・‧･')
DASH, ELLIPSIS = set('—―'), set('…⋯')
SHRINKABLE = set('，、；：')
ALL_MARKS = NO_START | NO_END | CLOSING | OPENING | DASH | ELLIPSIS
PAGE_NO = re.compile(r'[—–-]\s*\d+\s*[—–-]')
KINDS = ['line-start', 'line-end', 'split-dash', 'split-ellipsis', 'split-number',
         'overflow', 'start', 'right-edge', 'count28', 'gap-narrow', 'gap-wide']


# An attachment's label (附件, 附件2) heads a new page: what comes before it has ended.
ATTACHMENT_LABEL = re.compile(r'附件\d*')


def is_han(t):
    return len(t) == 1 and 0x4E00 <= ord(t) <= 0x9FFF


def is_alnum(t):
    return len(t) == 1 and t.isascii() and t.isalnum()


class Glyph:
    __slots__ = ('text', 'x0', 'x1', 'base', 'size', 'font', 'red', 'ink0', 'ink1')

    def __init__(self, text, x0, x1, base, size, font, red=False):
        self.text, self.x0, self.x1, self.base, self.size, self.font = (
            text, x0, x1, base, size, font)
        self.red = red
        half = size / 2
        if text in CLOSING:
            self.ink0, self.ink1 = x0, min(x1, x0 + half)
        elif text in OPENING:
            self.ink0, self.ink1 = max(x0, x1 - half), x1
        elif text in MIDDOT:
            c = (x0 + x1) / 2
            self.ink0, self.ink1 = max(x0, c - half / 2), min(x1, c + half / 2)
        else:
            self.ink0, self.ink1 = x0, x1

    def _cell(self, a, b):
        """[a, b] scaled about its centre from the glyph's size to the grid's cell."""
        c, h = (a + b) / 2, (b - a) * CELL / self.size / 2
        return c - h, c + h

    @property
    def cell(self):          # the box on the grid
        return self._cell(self.x0, self.x1)

    @property
    def ink_cell(self):      # the ink on the grid
        return self._cell(self.ink0, self.ink1)


class Line:
    def __init__(self, page, no, glyphs, body):
        self.page, self.no, self.glyphs, self.body = page, no, glyphs, body
        self.text = ''.join(g.text for g in glyphs)
        self.base = glyphs[0].base
        self.start = glyphs[0].cell[0]
        self.ink_start = glyphs[0].ink_cell[0]
        self.last = False

    @property
    def indented(self):
        return self.start - LEFT >= 1.5 * CELL

    @property
    def centred(self):
        left = min(g.ink0 for g in self.glyphs) - LEFT
        right = RIGHT - max(g.ink1 for g in self.glyphs)
        return left > 2.5 * CELL and abs(left - right) <= CELL


def is_red(ch):
    """The fill colour of a glyph is a red (the 发文机关标志): R high, G and B low."""
    colour = getattr(getattr(ch, 'graphicstate', None), 'ncolor', None)
    if not isinstance(colour, (tuple, list)) or len(colour) != 3:
        return False
    r, g, b = colour
    return r > 0.6 and g < 0.4 and b < 0.4


def read_pages(path):
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar

    def walk(obj, out):
        if isinstance(obj, LTChar):
            a, b, c, d, e, f = obj.matrix
            t = obj.get_text()
            if t.strip() and abs(b) + abs(c) < 0.01 * abs(a) and a > 0 and d > 0:
                out.append(Glyph(t, obj.x0, obj.x1, f, round(obj.size, 2), obj.fontname,
                                 is_red(obj)))
        elif hasattr(obj, '__iter__'):
            for child in obj:
                walk(child, out)

    pages = []
    for layout in extract_pages(path):
        glyphs = []
        walk(layout, glyphs)
        pages.append(glyphs)
    return pages


def group_lines(glyphs):
    lines, cur = [], []
    for g in sorted(glyphs, key=lambda g: -g.base):
        if cur and cur[0].base - g.base > 1.0:
            lines.append(sorted(cur, key=lambda g: g.ink0 + g.ink1))
            cur = []
        cur.append(g)
    if cur:
        lines.append(sorted(cur, key=lambda g: g.ink0 + g.ink1))
    return lines


def run_len(glyphs, chars, from_end):
    n = 0
    seq = reversed(glyphs) if from_end else glyphs
    for g in seq:
        if g.text not in chars:
            break
        n += 1
    return n


def number_split(p, n):
    a, b = p.glyphs[-1].text, n.glyphs[0].text
    if a.isdigit() and a.isascii():
        return b in set('0123456789.,%')
    if a in '.,' and len(p.glyphs) > 1 and p.glyphs[-2].text in '0123456789':
        return b in '0123456789'
    return False


def line_shrunk(line):
    """A lone mid-line ，、；： set in half a cell: the shrink pool is in use (rules §4)."""
    gl = line.glyphs
    for i in range(1, len(gl) - 1):
        g, nx, pv = gl[i], gl[i + 1], gl[i - 1]
        if (g.text in SHRINKABLE and nx.text not in ALL_MARKS and pv.text not in ALL_MARKS
                and nx.cell[0] - g.cell[0] < 0.6 * CELL):
            return True
    return False


def han_share(line):
    """The largest extra space between two adjacent Han cells (the stretch share)."""
    best = 0.0
    for g, h in zip(line.glyphs, line.glyphs[1:]):
        if is_han(g.text) and is_han(h.text):
            best = max(best, h.cell[0] - g.cell[1])
    return best


def check(pages, dump=False):
    viol = []
    stats = collections.Counter()
    edge = {'ink': 0.0, 'cell': 0.0, 'where': ''}
    gaps = []

    def report(line, kind, detail=''):
        viol.append((line.page, line.no, kind, detail, line.text))

    sizes = collections.Counter(g.size for p in pages for g in p)
    if not sizes:
        return viol, stats, edge, gaps
    # The body is GB/T 9704's 三号 (16 pt), even where table cells (12 pt) outnumber it.
    body = BODY

    seq = []
    for pno, glyphs in enumerate(pages, 1):
        # The 版头 (份号, 密级, 紧急程度 above the red mark, the mark itself) is not body text.
        red = [g.base for g in glyphs if g.red]
        head_base = min(red) if red else None
        for lno, gl in enumerate(group_lines(glyphs), 1):
            text = ''.join(g.text for g in gl)
            if PAGE_NO.fullmatch(text):
                continue
            at_body = sum(abs(g.size - body) <= 0.5 for g in gl)
            in_head = head_base is not None and gl[0].base >= head_base - 1.0
            seq.append(Line(pno, lno, gl, 2 * at_body > len(gl) and not in_head))
    lines = [L for L in seq if L.body]
    stats['pages'] = len(pages)
    stats['body lines'] = len(lines)

    # Which body lines end a paragraph (see the docstring).
    for i, L in enumerate(seq):
        if not L.body:
            continue
        N = seq[i + 1] if i + 1 < len(seq) else None
        if N is None:
            L.last = True
        elif not N.body or N.indented or ATTACHMENT_LABEL.fullmatch(N.text):
            L.last = True
        elif N.page == L.page:
            L.last = L.base - N.base > 1.4 * PITCH
        else:
            L.last = False   # continued at the head of the next page

    for i, L in enumerate(lines):
        gl = L.glyphs
        N = lines[i + 1] if i + 1 < len(lines) else None
        if dump:
            print('p%d l%-2d %s x=%7.2f..%7.2f %s' % (
                L.page, L.no, 'LAST' if L.last else 'full', L.start, gl[-1].ink_cell[1],
                L.text))

        # kinsoku
        first = gl[0].text
        if first in DASH:
            if run_len(gl, DASH, False) % 2:
                report(L, 'line-start', 'starts with a single ' + first)
        elif first in NO_START:
            report(L, 'line-start', 'starts with ' + first)
        if gl[-1].text in NO_END:
            report(L, 'line-end', 'ends with ' + gl[-1].text)
        if N is not None and not N.indented:
            if run_len(gl, DASH, True) % 2 and N.glyphs[0].text in DASH:
                report(L, 'split-dash', '—— split across lines')
            if run_len(gl, ELLIPSIS, True) % 2 and N.glyphs[0].text in ELLIPSIS:
                report(L, 'split-ellipsis', '…… split across lines')
            if number_split(L, N):
                report(L, 'split-number', 'number split: ...%s | %s...' % (
                    L.text[-6:], N.text[:6]))

        # a line-start opener's ink meets the left edge (its blank removed); full lines
        # are held to it by the start check below
        if (L.last and not L.indented and not L.centred and gl[0].text in OPENING
                and abs(L.ink_start - LEFT) > TOL):
            report(L, 'start', 'opener %s ink starts at %.2f: blank kept at the edge' % (
                gl[0].text, L.ink_start))

        # the type area
        for g in gl:
            if g.ink0 < LEFT - TOL or g.ink1 > RIGHT + TOL:
                report(L, 'overflow', '%s ink %.2f..%.2f' % (g.text, g.ink0, g.ink1))
                break

        full = not L.last
        if full:
            stats['full lines'] += 1
            centred = L.centred
            at_left = abs(L.ink_start - LEFT) <= TOL
            at_indent = abs(L.start - (LEFT + 2 * CELL)) <= TOL
            if not (at_left or at_indent or centred):
                report(L, 'start', 'starts at %.2f' % L.start)
            if not centred:
                ink_end, cell_end = gl[-1].ink1, gl[-1].ink_cell[1]
                if abs(ink_end - RIGHT) > TOL:
                    report(L, 'right-edge', 'ink ends at %.3f (%+.3f)' % (
                        ink_end, ink_end - RIGHT))
                if abs(ink_end - RIGHT) > abs(edge['ink']):
                    edge['ink'] = ink_end - RIGHT
                if abs(cell_end - RIGHT) > abs(edge['cell']):
                    edge['cell'] = cell_end - RIGHT
                    edge['where'] = 'page %d line %d' % (L.page, L.no)
                stats['right edges measured'] += 1
            if all(is_han(g.text) for g in gl):
                count = len(gl) + (2 if at_indent else 0)
                stats['ideograph-only full lines'] += 1
                if count == 28:
                    stats['holding 28'] += 1
                else:
                    ng = N.glyphs if N else []
                    forced = N is not None and count < 28 and (
                        is_alnum(ng[0].text) or ng[0].text in NO_END
                        or (len(ng) > 1 and ng[0].text in DASH and ng[1].text in DASH)
                        or (len(ng) > 1 and ng[0].text in ELLIPSIS
                            and ng[1].text in ELLIPSIS)
                        or (len(ng) > 1 and is_han(ng[0].text) and ng[1].text in NO_START)
                        or N.last)
                    if forced:
                        stats['short, forced by the next line'] += 1
                    else:
                        report(L, 'count28', '%d characters' % count)

        # Han-Latin gaps
        shrunk = line_shrunk(L)
        share = han_share(L)
        junctions = any(is_han(g.text) and is_han(h.text) for g, h in zip(gl, gl[1:]))
        for j, (g, h) in enumerate(zip(gl, gl[1:])):
            d = round(h.cell[0] - g.cell[1], 3) + 0.0   # no -0.00
            pair = g.text + h.text
            if g.text == '%' and is_han(h.text):
                k = j
                while k > 0 and (gl[k - 1].text.isdigit() or gl[k - 1].text in '.,'):
                    k -= 1
                if k == j or k == 0 or not is_han(gl[k - 1].text):
                    if d > share + 1.0:     # no gap before the number: none after it
                        report(L, 'gap-wide', '%s gap %.2f pt where the number has none '
                               'before it (limit %.2f)' % (pair, d, share + 1.0))
                    continue
            elif not ((is_han(g.text) and is_alnum(h.text)) or
                      (is_alnum(g.text) and is_han(h.text))):
                continue
            gaps.append(d)
            low = 1.5 if shrunk else 2.5
            high = (GAP + 1.0) if (L.last or junctions) else (2 * GAP + share + 1.0)
            if d < low:
                report(L, 'gap-narrow', '%s gap %.2f pt' % (pair, d))
            elif d > high:
                report(L, 'gap-wide', '%s gap %.2f pt (limit %.2f)' % (pair, d, high))
    return viol, stats, edge, gaps


def main(argv):
    args = [a for a in argv[1:] if not a.startswith('--')]
    dump = '--dump' in argv
    if len(args) != 1:
        print(__doc__.split('\n\n')[1], file=sys.stderr)
        return 2
    logging.disable(logging.WARNING)
    path = args[0]
    try:
        pages = read_pages(path)
    except Exception as e:  # pdfminer raises many kinds
        print('glyphs.py: %s: cannot read: %s' % (path, e), file=sys.stderr)
        return 2
    viol, stats, edge, gaps = check(pages, dump)
    for page, no, kind, detail, text in sorted(viol, key=lambda v: v[:2]):
        print('page %d line %d: %s: %s: %s' % (page, no, kind, detail, text))
    byk = collections.Counter(v[2] for v in viol)
    print('glyphs.py %s' % path)
    print('  pages %d, body lines checked %d (full lines %d)' % (
        stats['pages'], stats['body lines'], stats['full lines']))
    print('  violations %d: %s' % (len(viol), ', '.join('%s %d' % (k, byk[k]) for k in KINDS)))
    print('  right edge of %d full lines: max deviation ink %+.3f pt, cell %+.3f pt (%s)' % (
        stats['right edges measured'], edge['ink'], edge['cell'], edge['where'] or '-'))
    print('  ideograph-only full lines %d, holding 28: %d, shorter forced by the next '
          'line: %d' % (stats['ideograph-only full lines'], stats['holding 28'],
                        stats['short, forced by the next line']))
    if gaps:
        print('  Han-Latin gaps %d: min %.2f pt, max %.2f pt, within 1 pt of a quarter em '
              '(%.2f): %d' % (len(gaps), min(gaps), max(gaps), GAP,
                              sum(abs(d - GAP) <= 1 for d in gaps)))
    else:
        print('  Han-Latin gaps: none')
    return 1 if viol else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
