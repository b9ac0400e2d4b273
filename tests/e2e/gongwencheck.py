#!/usr/bin/python3
"""Reads a format-v2 公文 back from its PDF and measures its parts against GB/T 9704-2012.

    /usr/bin/python3 gongwencheck.py FILE.pdf SOURCE.xml [--dump]

Needs Debian's python3-pdfminer (run with /usr/bin/python3) and pdftotext.  The source is
read with ElementTree (attachments with src="..." are read from the document's folder); the
PDF glyph by glyph (pdfminer without layout analysis: every upright glyph with its box,
baseline, size, face and fill colour; every horizontal rule with its length, axis,
thickness and colour; every image).  Why: format v2 (issue 14) adds the parts of the 公文
around the body — 版头, 主送, 附件说明, 落款, 附注, attachments, 版记 — whose places GB/T 9704
fixes in millimetres, rows and 字 (GB/T 9704-2012 §7.2-§7.5 and §10; docs/format.md,
version 2); a render that merely "looks right" can be off by a row or a 字, so each place
is measured and its figures printed.  Written apart from gwpdf: nothing here is taken from
its source, only from the standard and the format.

Units: mm from the page's top (vertical) and left edge (horizontal).  A glyph's em box is
0.88 em above and 0.12 em below its baseline.  Grid: 22 rows; row r's 16 pt em box has its
top at 37 mm + r * pitch, pitch = (225 mm - 16 pt) / 21 = 10.446 mm; a line of another
size is on row r when its em box is centred on row r's.  1 字 = 156/28 mm = 5.571 mm.

Checks (one output line each, "ok" or "FAIL" with the figures; exit 1 on any FAIL):
  mark      发文机关标志: red (sRGB r > 0.8, g and b < 0.25), in the title's face; em-box top
            72 mm from the page top (general, minutes), 30 mm (letter), 57 mm (order);
            the block centred on 106 mm (±0.5), at most 156 mm wide and 22 mm high;
            several marks stacked in source order, the suffix right of them and centred
            vertically on the stack.
  docno     发文字号: centred (general, minutes, order); upward (any signer): left edge
            28 + 1 字; letter: right edge on 184 mm.
  signer    签发人 (upward): on the 发文字号's baseline (the last 签发人 line), right edge
            184 - 1 字, "签发人：" in the body face, the names in another face (楷体).
  rule      general/minutes with a 发文字号: red, 156 mm from x 28 mm, its axis 4 mm (±0.3)
            under the 发文字号's em box.  Letter: four red rules 170 mm (x 20-190 mm); the
            upper pair 4 mm under the mark, thick over thin; the lower pair thin over thick,
            the lowest 20 mm above the page bottom.  Order: no red rule.
  title     each title line on a grid row; general/minutes: at least two empty rows
            between the red rule and the title.
  to        主送 flush left (28 mm), on the second row under the title (one blank row).
  grid      every body line (16 pt, upright; not the 版头, the title, tables or the 版记)
            with its baseline on a grid row (±0.2 mm);
  width     ... and its ink within 28-184 mm (28 cells at most).
  annex     附件说明: "附件：" at 28 + 2 字, one blank row under the body; "2." under "1."
            (±0.3); a wrapped name aligned with its own first character.
  seal      every image (seal, 签名章) in the type area horizontally, no two overlapping;
  seal-date the last seal of the 落款 overlaps every glyph of the date.
  note      附注 on the row right after the date (or the last signature row), at 28 + 2 字,
            in （ ）.
  attachN   each bound attachment starts a page: line 1 (row 0, x 28 mm) is its label
            附件N (附件 when it is the only one) in the label face (not the body's; the
            黑体 of 密级/紧急/出席/level-1 headings when the document has any); its title from
            row 2, centred.  role="issued": a page starting with its title on row 0, no
            label (its own 附件说明 and 附注 are checked as the document's).
  unbound   bound="false": not printed (no title line anywhere).
  pageno    "— N —" on every page (N counted from first-page-number across the whole
            document) but page 1 of a letter, a blank page before the 版记 page and that
            版记 page; odd N right (ending 1 字 of 4号 from 184 mm), even N left (±1 pt);
            baseline 20-28 mm above the page bottom.
  record    版记 on the last page; its rules (156 mm, from a row above its first line
            down): the lowest 0.35 mm thick, axis 35 mm from the page bottom (±0.2), the
            first 0.35 mm, those between 0.25 mm; 抄送： 14 pt, indented 1 字, wrapped lines
            aligned after the colon; the distributor's name indented 1 字,
            "YYYY年M月D日印发" ending 1 字 from the right (1 字 here: a 14 pt em or the 3号
            cell, the standard does not say which); duplex (default): an even page count.
            Letter: no rules, no distributor.
  text      pdftotext -raw: every source character in order, and besides them only what
            is generated (numbers, labels, 附件说明 names, 签发人：, 抄送：, 印发, ★, the
            附注's brackets, 出席：请假：列席：, printed dates, repeated table heads).
"""
import collections
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

from pdfminer.layout import LTChar, LTCurve, LTFigure, LTImage

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pdfpages import pages as pdf_pages  # noqa: E402

PT = 25.4 / 72                       # mm per point
PAGE_H = 297.0
LEFT, RIGHT, TOP, BOTTOM = 28.0, 184.0, 37.0, 262.0    # the type area, mm from top/left
CENTRE = (LEFT + RIGHT) / 2                           # 106 mm
ZI = 156 / 28                                         # 1 字, 5.571 mm
BODY = 16.0
PITCH = (225 - BODY * PT) / 21                        # 10.446 mm
ASC, DESC = 0.88, 0.12
TOL = 0.3            # positions and alignments
TOL_CENTRE = 0.5
TOL_GRID = 0.2
CLOSING = set('，。、；：？！）》〉」』】〕〗］｝”’．')   # ink in the left half-em
OPENING = set('（《〈「『【〔〖［｛“‘')                   # ink in the right half-em
NUMBERING = set('一二三四五六七八九十百零〇（）()、.．0123456789①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳')
PAGE_NO = re.compile(r'[—–-]\d+[—–-]')


# --------------------------------------------------------------------------------------
# The PDF, read back

class Glyph:
    def __init__(self, ch):
        self.text = ch.get_text()
        self.size = ch.size
        self.base = PAGE_H - ch.matrix[5] * PT          # baseline, mm from the top
        self.x0, self.x1 = ch.x0 * PT, ch.x1 * PT       # the box (origin .. advance)
        self.font = re.sub(r'^[A-Z]{6}\+', '', ch.fontname)
        colour = getattr(ch.graphicstate, 'ncolor', None)
        self.rgb = tuple(colour) if isinstance(colour, (list, tuple)) and len(colour) == 3 else None
        half = self.size * PT / 2
        self.ink0 = self.x1 - half if self.text in OPENING else self.x0
        self.ink1 = self.x0 + half if self.text in CLOSING else self.x1

    @property
    def top(self):
        return self.base - ASC * self.size * PT

    @property
    def bottom(self):
        return self.base + DESC * self.size * PT

    @property
    def red(self):
        return is_red(self.rgb)


class Line:
    """Glyphs sharing a baseline, left to right; white space dropped."""
    def __init__(self, glyphs):
        self.glyphs = sorted(glyphs, key=lambda g: g.x0)
        self.text = ''.join(g.text for g in self.glyphs)
        self.base = self.glyphs[0].base
        self.size = collections.Counter(round(g.size, 1) for g in self.glyphs).most_common(1)[0][0]
        self.x0, self.x1 = self.glyphs[0].x0, max(g.x1 for g in self.glyphs)
        self.ink0 = min(g.ink0 for g in self.glyphs)
        self.ink1 = max(g.ink1 for g in self.glyphs)
        self.top = min(g.top for g in self.glyphs)
        self.bottom = max(g.bottom for g in self.glyphs)

    @property
    def centre(self):
        return (self.x0 + self.x1) / 2

    @property
    def row(self):
        """The grid row (fractional) on which the line's em box is centred."""
        mid = self.base - (ASC - 0.5) * self.size * PT
        return (mid - TOP - BODY * PT / 2) / PITCH

    def __repr__(self):
        return f'{self.text!r}'


class Rule:
    def __init__(self, x0, x1, y, thick, rgb):
        self.x0, self.x1, self.y, self.thick, self.rgb = x0, x1, y, thick, rgb

    @property
    def length(self):
        return self.x1 - self.x0

    @property
    def red(self):
        return is_red(self.rgb)


class Page:
    def __init__(self, no):
        self.no, self.glyphs, self.rules, self.images = no, [], [], []
        self.lines, self.number = [], None

    def text_lines(self):
        """Lines in the type area (not the page number), top to bottom."""
        return [ln for ln in self.lines if ln is not self.number]

    @property
    def blank(self):
        return not self.text_lines() and not self.rules and not self.images


def is_red(rgb):
    return rgb is not None and rgb[0] > 0.8 and rgb[1] < 0.25 and rgb[2] < 0.25


def colour_tuple(c):
    return tuple(c) if isinstance(c, (list, tuple)) and len(c) == 3 else None


def walk(objs):
    for o in objs:
        if isinstance(o, LTFigure):
            yield from walk(o)
        else:
            yield o


def as_rule(o):
    """A horizontal rule drawn as a stroked line or a thin filled rectangle, else None."""
    x0, y0, x1, y1 = o.bbox
    if (x1 - x0) * PT < 10 or (y1 - y0) > 3:
        return None
    if o.stroke and (y1 - y0) < 0.01:
        return Rule(x0 * PT, x1 * PT, PAGE_H - y0 * PT, o.linewidth * PT, colour_tuple(o.stroking_color))
    if o.fill and not o.stroke:
        return Rule(x0 * PT, x1 * PT, PAGE_H - (y0 + y1) / 2 * PT, (y1 - y0) * PT,
                    colour_tuple(o.non_stroking_color))
    return None


def group_lines(glyphs):
    lines, cur = [], []
    for g in sorted(glyphs, key=lambda g: g.base):
        if cur and g.base - cur[0].base > 0.15:
            lines.append(Line(cur))
            cur = []
        cur.append(g)
    if cur:
        lines.append(Line(cur))
    return lines


def read_pdf(path):
    out = []
    for no, (layout, _) in enumerate(pdf_pages(path), 1):
        page = Page(no)
        for o in walk(layout):
            if isinstance(o, LTChar):
                a, b, c, d = o.matrix[:4]
                if abs(b) + abs(c) < 1e-3 and a > 0 and d > 0 and o.get_text().strip():
                    page.glyphs.append(Glyph(o))
            elif isinstance(o, LTImage):
                page.images.append((o.x0 * PT, o.x1 * PT, PAGE_H - o.y1 * PT, PAGE_H - o.y0 * PT))
            elif isinstance(o, LTCurve):
                r = as_rule(o)
                if r:
                    page.rules.append(r)
        page.lines = group_lines(page.glyphs)
        foot = [ln for ln in page.lines if ln.top > PAGE_H - 35 and PAGE_NO.fullmatch(ln.text)]
        page.number = foot[0] if foot else None
        out.append(page)
    return out


# --------------------------------------------------------------------------------------
# The source

def squeeze(s):
    return re.sub(r'\s+', '', s or '')


def text_of(el):
    return squeeze(''.join(el.itertext())) if el is not None else ''


def printed_date(s):
    m = re.fullmatch(r'\s*(\d{4})-(\d{2})-(\d{2})\s*', s or '')
    return f'{int(m[1])}年{int(m[2])}月{int(m[3])}日' if m else squeeze(s)


class Part:
    """A document or an attachment: its element (for src, the bound file's root)."""
    def __init__(self, el, folder, att=None):
        self.el, self.folder = el, folder
        att = att if att is not None else el
        self.bound = att.get('bound', 'true') != 'false'
        self.issued = att.get('role') == 'issued'
        self.word = att.get('label')
        self.title = text_of(el.find('title'))
        self.name = squeeze(att.get('name')) or self.title
        self.attachments = []
        for a in el.findall('attachment'):
            if a.get('src'):
                path = os.path.join(folder, a.get('src'))
                self.attachments.append(Part(ET.parse(path).getroot(), os.path.dirname(path), a))
            else:
                self.attachments.append(Part(a, folder))

    @property
    def listed(self):
        """The attachments the 附件说明 names (not the issued ones)."""
        return [a for a in self.attachments if not a.issued]

    def labels(self):
        """(attachment, its generated label) for each listed attachment that is bound."""
        listed = self.listed
        out = []
        for n, a in enumerate(listed, 1):
            if a.bound:
                out.append((a, (a.word or '附件') + (str(n) if len(listed) > 1 else '')))
        return out

    def annex_word(self):
        return (self.listed[0].word or '附件') if self.listed else '附件'


# --------------------------------------------------------------------------------------
# Reporting

class Report:
    def __init__(self):
        self.fails = 0

    def put(self, name, ok, figure):
        print(f'{"ok  " if ok else "FAIL"} {name}: {figure}')
        self.fails += not ok


def near(a, b, tol=TOL):
    return a is not None and b is not None and abs(a - b) <= tol


def grid_dev(line):
    return abs(line.row - round(line.row)) * PITCH


def find_line(pages, prefix, page_nos=None, size=None):
    """(page, line) of the first line whose text starts with prefix."""
    for p in pages:
        if page_nos is not None and p.no not in page_nos:
            continue
        for ln in p.text_lines():
            if ln.text.startswith(prefix) and (size is None or abs(ln.size - size) < 0.6):
                return p, ln
    return None, None


def title_lines(page, title, after=0.0):
    """The consecutive lines (larger than the body) that spell `title`, from `after` down."""
    lines = [ln for ln in page.text_lines() if ln.top >= after - 0.01]
    for i, ln in enumerate(lines):
        if ln.size > BODY + 0.5 and not any(g.red for g in ln.glyphs) and title.startswith(ln.text):
            got, out = '', []
            for cand in lines[i:]:
                if not (title[len(got):].startswith(cand.text) and cand.size > BODY + 0.5):
                    break
                got += cand.text
                out.append(cand)
                if got == title:
                    return out
    return []


def glyph_run(line, text):
    """The glyphs of `text` inside line, or None."""
    i = line.text.find(text)
    return line.glyphs[i:i + len(text)] if i >= 0 and text else None


# --------------------------------------------------------------------------------------
# Faces by role, read from the PDF

def is_han(t):
    return len(t) == 1 and '\u4e00' <= t <= '\u9fff'


def faces(pages, doc, p1_title):
    body = collections.Counter(g.font for p in pages for g in p.glyphs
                               if abs(g.size - BODY) < 0.3 and is_han(g.text))
    title = collections.Counter(g.font for ln in p1_title for g in ln.glyphs if is_han(g.text))
    f = {'body': body.most_common(1)[0][0] if body else None,
         'title': title.most_common(1)[0][0] if title else None, 'heiti': set()}
    # 黑体 (label face) where the document shows it for sure: 密级, 紧急程度, 出席： and
    # level-1 headings "一、".
    h = doc.el.find('header')
    marks = []
    if h is not None:
        marks += [text_of(h.find(t)) for t in ('secrecy', 'urgency') if h.find(t) is not None]
    if doc.el.find('attendance') is not None:
        marks.append('出席：')
    for p in pages:
        for ln in p.text_lines():
            if any(m and ln.text.startswith(m) for m in marks) or re.match('^[一二三四五六七八九十]+、', ln.text):
                f['heiti'].add(ln.glyphs[0].font)
    return f


# --------------------------------------------------------------------------------------
# Checks

def check_mark(r, doc, p1, kind, face, limit_y):
    h = doc.el.find('header')
    marks = [text_of(m) for m in h.findall('issuer-mark')] if h is not None else []
    if not marks:
        return None
    suffix = squeeze(h.get('suffix'))
    glyphs = [g for g in p1.glyphs if g.size > BODY + 0.5 and g.base < limit_y]
    if not glyphs:
        r.put('mark', False, 'no glyph larger than the body above the 发文字号/title on page 1')
        return None
    lines = group_lines(glyphs)
    suf = []
    if suffix:
        right = max(lines, key=lambda ln: ln.x1)
        if right.text.endswith(suffix):
            suf = right.glyphs[-len(suffix):]
    mark_glyphs = [g for g in glyphs if g not in suf]
    stack = group_lines(mark_glyphs)
    x0, x1 = min(g.x0 for g in glyphs), max(g.x1 for g in glyphs)
    top, bottom = min(g.top for g in glyphs), max(g.bottom for g in glyphs)
    want_top = {'letter': 30.0, 'order': TOP + 20}.get(kind, TOP + 35)
    size = max(g.size for g in glyphs) * PT
    non_red = [g.text for g in glyphs if not g.red]
    wrong_face = sorted({g.font for g in glyphs if face and g.font != face})
    fig = (f'em-box top {top:.2f} mm (want {want_top:.1f}), centre {(x0 + x1) / 2:.2f} mm (106), '
           f'width {x1 - x0:.2f} mm (<= 156), glyphs {size:.2f} mm (<= 22)')
    ok = (near(top, want_top) and near((x0 + x1) / 2, CENTRE, TOL_CENTRE)
          and x1 - x0 <= 156 + TOL and size <= 22.01)
    if [ln.text for ln in stack] != marks:
        ok = False
        fig += f'; marks read top down {[ln.text for ln in stack]}, want {marks}'
    if non_red:
        ok = False
        fig += f'; not red: {"".join(non_red)}'
    fig += f', face {sorted({g.font for g in glyphs})} (the title\'s: {face or "no title, not compared"})'
    if wrong_face:
        ok = False
    if suffix:
        if not suf:
            ok = False
            fig += f'; suffix {suffix!r} not found right of the marks'
        else:
            s_mid = (min(g.top for g in suf) + max(g.bottom for g in suf)) / 2
            stack_mid = (min(g.top for g in mark_glyphs) + max(g.bottom for g in mark_glyphs)) / 2
            left_of = min(g.x0 for g in suf) - max(g.x1 for g in mark_glyphs)
            fig += f'; suffix centre {s_mid:.2f} mm, stack centre {stack_mid:.2f} mm, gap {left_of:.2f} mm'
            ok = ok and near(s_mid, stack_mid, TOL_CENTRE) and left_of >= -0.05
    r.put('mark', ok, fig)
    return bottom


def check_docnumber(r, doc, p1, kind, fc):
    h = doc.el.find('header')
    dn = text_of(h.find('doc-number')) if h is not None else ''
    if not dn:
        return None
    signers = [text_of(s) for s in h.findall('signer')]
    line = next((ln for ln in p1.text_lines() if dn in ln.text), None)
    if line is None:
        r.put('docno', False, f'{dn!r} not found on page 1')
        return None
    run = glyph_run(line, dn)
    x0, x1 = run[0].x0, max(g.x1 for g in run)
    if kind == 'letter':
        r.put('docno', near(x1, RIGHT), f'letter: right edge {x1:.2f} mm (want 184)')
    elif signers:
        r.put('docno', near(x0, LEFT + ZI), f'upward: left edge {x0:.2f} mm (want {LEFT + ZI:.2f})')
    else:
        r.put('docno', near((x0 + x1) / 2, CENTRE, TOL_CENTRE),
              f'centre {(x0 + x1) / 2:.2f} mm (want 106), {x0:.2f}..{x1:.2f} mm')
    if signers:
        check_signers(r, p1, line, signers, fc)
    return line


def check_signers(r, p1, dline, signers, fc):
    """签发人： once, the names after it (two a line), the last line the 发文字号's."""
    lines = p1.text_lines()
    first = next((ln for ln in lines if '签发人：' in ln.text), None)
    if first is None:
        r.put('signer', False, '"签发人：" not on page 1')
        return
    k = first.text.index('签发人：')
    label = first.glyphs[k:k + 4]
    names_x = label[-1].x1 - 0.5                   # names lie right of the label's colon
    own = [ln for ln in lines if first.base - 0.01 <= ln.base <= dline.base + 0.01]
    name_glyphs = [[g for g in ln.glyphs if g.x0 >= names_x] for ln in own]
    names = ''.join(g.text for gs in name_glyphs for g in gs)
    label_faces = {g.font for g in label}
    name_faces = {g.font for gs in name_glyphs for g in gs}
    last = own[-1]
    starts = [f'{gs[0].x0:.2f}' for gs in name_glyphs if gs]
    ok = (last is dline and near(max(g.x1 for g in name_glyphs[-1]) if name_glyphs[-1] else None, RIGHT - ZI)
          and names == ''.join(signers) and label_faces == {fc['body']} and fc['body'] not in name_faces)
    r.put('signer', ok, f'{len(own)} line(s), the last on the 发文字号 baseline: {last is dline} '
          f'({last.base:.2f}/{dline.base:.2f} mm), right edge {last.x1:.2f} mm (want {RIGHT - ZI:.2f}); '
          f'names {names!r} (want {"".join(signers)!r}) starting at {", ".join(starts)} mm; '
          f'签发人： in {sorted(label_faces)} (body {fc["body"]}), names in {sorted(name_faces)}')


def check_rule(r, p1, kind, dline, mark_bottom):
    red = sorted((ru for ru in p1.rules if ru.red), key=lambda ru: ru.y)
    if kind == 'order':
        r.put('rule', not red, f'order: {len(red)} red rule(s) on page 1 (want none)')
        return None
    if kind == 'letter':
        long = [ru for ru in red if near(ru.length, 170) and near(ru.x0, 20)]
        if len(long) != 4 or mark_bottom is None:
            r.put('rule', False, f'letter: {len(long)} red rules 170 mm long from x 20 mm '
                  f'(want 4), of {len(red)} red rules; mark bottom {mark_bottom}')
            return long[-1].y if long else None
        a, b, c, d = long
        ok = (near(a.y - mark_bottom, 4.0) and a.thick > b.thick and c.thick < d.thick
              and near(PAGE_H - d.y, 20.0))
        r.put('rule', ok, f'letter: upper pair {a.y - mark_bottom:.2f} mm under the mark (want 4), '
              f'{a.thick:.2f} over {b.thick:.2f} mm (thick over thin); lower pair {c.thick:.2f} over '
              f'{d.thick:.2f} mm (thin over thick), the lowest {PAGE_H - d.y:.2f} mm above the '
              f'page bottom (want 20)')
        return b.y
    if dline is None:
        return None
    under = [ru for ru in red if ru.y > dline.base]
    if not under:
        r.put('rule', False, 'no red rule under the 发文字号')
        return None
    ru = under[0]
    em_bottom = dline.base + DESC * BODY * PT
    ok = near(ru.length, 156) and near(ru.x0, LEFT) and near(ru.y - em_bottom, 4.0)
    r.put('rule', ok, f'{ru.length:.2f} mm long (156) from x {ru.x0:.2f} mm (28), '
          f'{ru.y - em_bottom:.2f} mm under the 发文字号 (4), {ru.thick:.2f} mm thick, red')
    return ru.y


def check_title(r, kind, tlines, rule_y):
    if not tlines:
        return
    rows = [ln.row for ln in tlines]
    dev = max(grid_dev(ln) for ln in tlines)
    fig = f'{len(tlines)} line(s) on rows {", ".join(f"{x:.2f}" for x in rows)} (off by {dev:.2f} mm)'
    ok = dev <= TOL_GRID
    if kind in ('general', 'minutes') and rule_y is not None:
        first_free = int(-(-(rule_y - TOP) // PITCH))      # the first row wholly under the rule
        empty = round(rows[0]) - first_free
        ok = ok and empty >= 2
        fig += f'; {empty} empty row(s) between the red rule and the title (want >= 2)'
    r.put('title', ok, fig)


def check_to(r, doc, p1, tlines):
    to = text_of(doc.el.find('to'))
    if not to:
        return
    lines = p1.text_lines()
    first = next((i for i, ln in enumerate(lines)
                  if abs(ln.size - BODY) < 0.3 and to.startswith(ln.text[:8])), None)
    if first is None:
        r.put('to', False, '主送 not found on page 1')
        return
    own, got = [], ''
    for ln in lines[first:]:
        if not to[len(got):].startswith(ln.text):
            break
        own.append(ln)
        got += ln.text
    above = lines[first - 1] if first > 0 else None
    gap = round(own[0].row) - round(above.row) if above else None
    subtitle = text_of(doc.el.find('subtitle'))
    under_title = above is not None and (above in tlines or (subtitle and above.text in subtitle))
    ok = all(near(ln.x0, LEFT) for ln in own) and gap == 2 and under_title and got == to
    r.put('to', ok, f'{len(own)} line(s) at x {", ".join(f"{ln.x0:.2f}" for ln in own)} mm (28); '
          f'row {own[0].row:.2f}, {gap} row(s) under the line above (want 2), which is the '
          f'title\'s (or subtitle\'s): {bool(under_title)}' + ('' if got == to else f'; reads {got!r}'))


def body_lines(pages, exclude):
    for p in pages:
        for ln in p.text_lines():
            if ln in exclude or abs(ln.size - BODY) > 0.3:
                continue
            yield p, ln


def check_grid(r, pages, exclude):
    worst_row, worst_ink, n, off, wide = (0, '-'), (0, '-'), 0, [], []
    for p, ln in body_lines(pages, exclude):
        n += 1
        d = grid_dev(ln)
        if d > TOL_GRID:
            off.append(f'p{p.no} {ln.text[:8]!r} row {ln.row:.2f}')
        worst_row = max(worst_row, (d, p.no))
        over = max(LEFT - ln.ink0, ln.ink1 - RIGHT)
        if over > TOL_GRID:
            wide.append(f'p{p.no} {ln.text[:8]!r} ink {ln.ink0:.2f}..{ln.ink1:.2f} mm')
        worst_ink = max(worst_ink, (over, p.no))
    r.put('grid', not off, f'{n} body lines, the farthest {worst_row[0]:.2f} mm off its row '
          f'(page {worst_row[1]})' + (f'; off the grid: {"; ".join(off[:6])}' if off else ''))
    r.put('width', not wide, f'{n} body lines within 28..184 mm, the widest {worst_ink[0]:+.2f} mm '
          f'past the type area (page {worst_ink[1]})' + (f'; too wide: {"; ".join(wide[:6])}' if wide else ''))


def check_annex(r, part, pages, name='annex'):
    """附件说明 of part, on pages (its own page range)."""
    listed = part.listed
    if not listed:
        return
    word = part.annex_word()
    p, ln = find_line(pages, word + '：', size=BODY)
    if ln is None:
        r.put(name, False, f'no line starting {word}： on pages {[q.no for q in pages]}')
        return
    lines = p.text_lines()
    i = lines.index(ln)
    prev = lines[i - 1] if i > 0 else None
    gap = round(ln.row) - round(prev.row) if prev else None
    ok = near(ln.x0, LEFT + 2 * ZI) and (gap == 2 or (prev is None and round(ln.row) <= 1))
    figs = [f'{word}： at {ln.x0:.2f} mm (want {LEFT + 2 * ZI:.2f}), {gap} row(s) under the body (want 2)']
    numbered = len(listed) > 1
    items = [(f'{n}.' if numbered else '', a.name) for n, a in enumerate(listed, 1)]
    want = word + '：' + ''.join(num + nm for num, nm in items)
    # The glyphs from "附件：" on, each with "does it start a line".
    flat = []
    for cur in lines[i:] + [x for q in pages if q.no > p.no for x in q.text_lines()]:
        flat += [(g, k == 0) for k, g in enumerate(cur.glyphs)]
        if len(flat) >= len(want):
            break
    got = ''.join(g.text for g, _ in flat)[:len(want)]
    if got != want:
        r.put(name, False, figs[0] + f'; reads {got!r}, want {want!r}')
        return
    at, one_x = len(word) + 1, None
    for n, (num, nm) in enumerate(items, 1):
        g0, starts_line = flat[at]
        name_x = flat[at + len(num)][0].x0
        if n == 1:
            one_x = g0.x0
        elif numbered:
            ok = ok and starts_line and near(g0.x0, one_x)
            figs.append(f'"{num}" {"starts a line " if starts_line else "does not start a line "}'
                        f'at {g0.x0:.2f} mm, "1." at {one_x:.2f} mm')
        for g, first in flat[at + len(num) + 1:at + len(num) + len(nm)]:
            if first:
                ok = ok and near(g.x0, name_x)
                figs.append(f'name {n} wraps to {g.x0:.2f} mm, its first character at {name_x:.2f} mm')
        at += len(num) + len(nm)
    r.put(name, ok, '; '.join(figs))


def check_seals(r, pages):
    figs, ok, n = [], True, 0
    for p in pages:
        for k, (x0, x1, t, b) in enumerate(p.images):
            n += 1
            if x0 < LEFT - 0.05 or x1 > RIGHT + 0.05:
                ok = False
                figs.append(f'page {p.no}: image {x0:.2f}..{x1:.2f} mm leaves 28..184')
            for (y0, y1, u, c) in p.images[k + 1:]:
                if x0 < y1 and y0 < x1 and t < c and u < b:
                    ok = False
                    figs.append(f'page {p.no}: images {x0:.2f}..{x1:.2f} and {y0:.2f}..{y1:.2f} mm overlap')
    if n:
        r.put('seal', ok, f'{n} image(s) in the type area, none overlapping' if ok else '; '.join(figs))


def signature_lines(part, pages):
    """(page, date line or None, last signature line or None) of part's 落款."""
    sig = part.el.find('signature')
    if sig is None:
        return None, None, None
    date = sig.find('date')
    date = printed_date(date.text) if date is not None else '年月日'    # blank, signed by hand
    issuers = [text_of(i) for i in sig.findall('issuer')]
    for p in reversed(pages):
        lines = p.text_lines()
        dl = next((ln for ln in reversed(lines) if ln.text == date), None)
        il = next((ln for ln in reversed(lines) if issuers and ''.join(issuers).startswith(ln.text) and ln.text), None)
        if dl or il:
            return p, dl, dl or il
    return None, None, None


def check_seal_covers(r, part, pages):
    sig = part.el.find('signature')
    if sig is None or not sig.findall('seal'):
        return
    p, dl, _ = signature_lines(part, pages)
    if dl is None:
        r.put('seal-date', False, 'the date line of the 落款 not found')
        return
    if not p.images:
        r.put('seal-date', False, f'page {p.no}: no seal image on the date\'s page')
        return
    x0, x1, t, b = max(p.images, key=lambda im: (round(im[2]), im[0]))   # the last seal
    out = [g.text for g in dl.glyphs if not (g.x1 > x0 and g.x0 < x1 and g.bottom > t and g.top < b)]
    r.put('seal-date', not out, f'page {p.no}: last seal x {x0:.2f}..{x1:.2f} y {t:.2f}..{b:.2f} mm, '
          f'date x {dl.x0:.2f}..{dl.x1:.2f} y {dl.top:.2f}..{dl.bottom:.2f} mm'
          + (f'; uncovered: {"".join(out)}' if out else ''))


def check_note(r, part, pages):
    note = text_of(part.el.find('note'))
    if not note:
        return
    p, ln = find_line(pages, '（' + note[:6], size=BODY)
    if ln is None:
        r.put('note', False, f'no line starting （{note[:6]}')
        return
    lines = p.text_lines()
    i = lines.index(ln)
    got = ''.join(x.text for x in lines[i:])
    sp, dl, last = signature_lines(part, pages)
    ref = dl or last
    ok = near(ln.x0, LEFT + 2 * ZI) and got.startswith('（' + note + '）')
    fig = f'x {ln.x0:.2f} mm (want {LEFT + 2 * ZI:.2f}), bracketed: {got.startswith("（" + note + "）")}'
    if ref is not None:
        same = sp is p
        fig += f'; row {ln.row:.2f}, the {"date" if dl else "signature"}\'s {ref.row:.2f}'
        ok = ok and same and round(ln.row) - round(ref.row) == 1
    r.put('note', ok, fig)


def attachment_starts(part, pages, start):
    """Walk the printed attachments of part in order: yield (attachment, label, page)."""
    labels = dict((id(a), lab) for a, lab in part.labels())
    at = start
    for a in part.attachments:
        if not a.bound:
            continue
        label = labels.get(id(a))
        page = None
        for p in pages[at:]:
            first = p.text_lines()[:1]
            if first and ((label and first[0].text == label) or
                          (a.issued and first[0].size > BODY + 0.5 and a.title.startswith(first[0].text))):
                page = p
                break
        yield a, label, page
        if page is None:
            continue
        at = page.no
        if a.issued:
            for sub in attachment_starts(a, pages, at):
                yield sub
                if sub[2] is not None:
                    at = sub[2].no


def check_attachments(r, doc, pages, fc):
    """Returns the page number where each printed attachment starts (for page ranges)."""
    starts = []
    n = 0
    for a, label, page in attachment_starts(doc, pages, 1):
        n += 1
        name = f'attach{n}'
        what = 'issued ' + repr(a.title[:10]) if a.issued else repr(label)
        if page is None:
            r.put(name, False, f'{what}: no page starts with it')
            continue
        starts.append((page.no, a))
        lines = page.text_lines()
        figs, ok = [f'{what} page {page.no}'], True
        tl_from = lines[0].top
        if label:
            lab = lines[0]
            lf = lab.glyphs[0].font
            face_ok = lf != fc['body'] and (not fc['heiti'] or lf in fc['heiti'])
            ok = near(lab.x0, LEFT) and grid_dev(lab) <= TOL_GRID and round(lab.row) == 0 and face_ok
            figs.append(f'label at x {lab.x0:.2f} mm row {lab.row:.2f}, face {lf} '
                        f'(body {fc["body"]}, 黑体 {sorted(fc["heiti"]) or "unknown"})')
            tl_from = lab.bottom
        tl = title_lines(page, a.title, tl_from)
        if not tl:
            ok = False
            figs.append(f'title {a.title[:12]!r} not found on the page')
        else:
            want_row = 2 if label else 0
            cen = max(abs(ln.centre - CENTRE) for ln in tl)
            ok = ok and grid_dev(tl[0]) <= TOL_GRID and round(tl[0].row) == want_row and cen <= TOL_CENTRE
            figs.append(f'title from row {tl[0].row:.2f} (want {want_row}), {len(tl)} line(s) centred '
                        f'within {cen:.2f} mm')
        r.put(name, ok, ', '.join(figs))
    # bound="false": not printed
    for a in doc.listed:
        if not a.bound:
            shown = [p.no for p in pages for ln in p.text_lines()
                     if ln.size > BODY + 0.5 and ln.text and a.title.startswith(ln.text) and len(ln.text) >= 4]
            r.put('unbound', not shown, f'{a.title[:12]!r} (bound="false"): title lines on pages {shown or "none"}')
    return starts


def expected_numbers(pages, kind, doc):
    """{page no: the number it shows, or None}."""
    if doc.el.get('page-numbers') == 'none':
        return {p.no: None for p in pages}
    first = int(doc.el.get('first-page-number', '1'))
    want = {p.no: first + p.no - 1 for p in pages}
    if kind == 'letter':
        want[1] = None
    if doc.el.find('record') is not None and len(pages) >= 2 and pages[-2].blank:
        want[pages[-2].no] = want[pages[-1].no] = None
    return want


def check_pagenums(r, pages, kind, doc):
    want = expected_numbers(pages, kind, doc)
    bad, shown = [], []
    for p in pages:
        ln, n = p.number, want[p.no]
        got = int(re.sub(r'\D', '', ln.text)) if ln else None
        shown.append('-' if got is None else str(got))
        if got != n:
            bad.append(f'page {p.no} shows {got} (want {n})')
            continue
        if ln is None:
            continue
        up = PAGE_H - ln.base
        if n % 2:
            edge, target = ln.x1, RIGHT - 14 * PT
        else:
            edge, target = ln.x0, LEFT + 14 * PT
        if not near(edge, target, PT) or not 20 <= up <= 28 or abs(ln.size - 14) > 0.1:
            bad.append(f'page {p.no}: "{ln.text}" {"right" if n % 2 else "left"} edge {edge:.2f} mm '
                       f'(want {target:.2f}), baseline {up:.2f} mm above the bottom, {ln.size} pt')
    r.put('pageno', not bad, f'{len(pages)} pages, numbers read {" ".join(shown)}'
          + (f'; {"; ".join(bad)}' if bad else ''))


def check_record(r, doc, pages, kind):
    rec = doc.el.find('record')
    if rec is None:
        return
    last = pages[-1]
    figs, ok = [], True
    # The 版记's own rules: 156 mm, from one row above its first line down to the page's
    # foot (a table's rules above it are not the 版记's).
    starts = ['抄送：'] + [text_of(d.find('name')) for d in rec.findall('distributor')]
    block = [ln for ln in last.text_lines() if any(t and ln.text.startswith(t) for t in starts)]
    block_top = min((ln.top for ln in block), default=BOTTOM) - PITCH
    rules = sorted((ru for ru in last.rules if not ru.red and near(ru.length, 156) and near(ru.x0, LEFT)
                    and ru.y >= block_top), key=lambda ru: ru.y)
    if kind == 'letter':
        ok = not rules
        figs.append(f'letter: {len(rules)} rules (want none)')
    elif not rules:
        ok = False
        figs.append('no 156 mm rule on the last page')
    else:
        low, first = rules[-1], rules[0]
        mids = rules[1:-1]
        ok = (near(PAGE_H - low.y, 35.0, 0.2) and near(low.thick, 0.35, 0.03) and near(first.thick, 0.35, 0.03)
              and all(near(m.thick, 0.25, 0.03) for m in mids) and len(rules) >= 2)
        figs.append(f'{len(rules)} rules 156 mm; the lowest {low.thick:.2f} mm thick, axis '
                    f'{PAGE_H - low.y:.2f} mm above the bottom (35); the first {first.thick:.2f} mm (0.35); '
                    f'between {", ".join(f"{m.thick:.2f}" for m in mids) or "none"} (0.25)')
    cc = text_of(rec.find('cc'))
    if cc:
        ok &= check_cc(last, '抄送：' + cc, figs)
    dist = rec.find('distributor')
    if dist is not None:
        if kind == 'letter':
            ok = False
            figs.append('a letter has no distributor')
        ok &= check_distributor(last, text_of(dist.find('name')), printed_date(dist.findtext('date')) + '印发', figs)
    elif kind == 'letter' and any('印发' in ln.text for ln in last.text_lines()):
        ok = False
        figs.append('印发 printed in a letter')
    if doc.el.get('duplex', 'true') != 'false':
        ok &= len(pages) % 2 == 0
        figs.append(f'{len(pages)} pages (even for duplex)')
    r.put('record', ok, '; '.join(figs))


def one_zi_in(x, edge, sign):
    """x is 1 字 in from edge (a 4号 14 pt em or a 3号 cell: the standard does not say)."""
    return any(near(x, edge + sign * w) for w in (ZI, 14 * PT))


def check_cc(page, text, figs):
    lines = page.text_lines()
    i = next((k for k, ln in enumerate(lines) if ln.text.startswith('抄送：')), None)
    if i is None:
        figs.append('抄送： not on the last page')
        return False
    got, own = '', []
    for ln in lines[i:]:
        if not text[len(got):].startswith(ln.text):
            break
        got += ln.text
        own.append(ln)
    after = own[0].glyphs[3].x0 if len(own[0].glyphs) > 3 else None
    ok = (got == text and one_zi_in(own[0].x0, LEFT, 1) and all(abs(ln.size - 14) < 0.1 for ln in own)
          and all(near(ln.x0, after) for ln in own[1:]))
    figs.append(f'抄送： at {own[0].x0:.2f} mm (1 字 in: {LEFT + 14 * PT:.2f} or {LEFT + ZI:.2f}), '
                f'{own[0].size} pt, {len(own)} line(s)'
                + (f', wrapped at {", ".join(f"{ln.x0:.2f}" for ln in own[1:])} mm after the colon '
                   f'{after:.2f}' if own[1:] else '') + ('' if got == text else f', reads {got!r}'))
    return ok


def check_distributor(page, name, date, figs):
    ln = next((x for x in page.text_lines() if x.text == name + date), None)
    if ln is None:
        figs.append(f'no line {name + date!r} on the last page')
        return False
    run = glyph_run(ln, date)
    ok = one_zi_in(ln.x0, LEFT, 1) and one_zi_in(run[-1].x1, RIGHT, -1) and abs(ln.size - 14) < 0.1
    figs.append(f'印发 line: name at {ln.x0:.2f} mm, {date} ends at {run[-1].x1:.2f} mm '
                f'(1 字 in: {RIGHT - ZI:.2f} or {RIGHT - 14 * PT:.2f}), {ln.size} pt')
    return ok


# --------------------------------------------------------------------------------------
# The text, in order

def part_sequence(part, top=False):
    """[(text, generated?)] of a part, in the order it is printed."""
    seq = []
    el = part.el
    for e in el:
        tag = e.tag
        if tag in ('meta', 'header', 'label', 'record', 'attachment'):
            continue
        if tag == 'signature':
            seq += annex_sequence(part)
            seq += signature_sequence(e)
        elif tag == 'note':
            seq += [('（', True), (text_of(e), False), ('）', True)]
        elif tag == 'attendance':
            for sub, lab in (('present', '出席：'), ('absent', '请假：'), ('attending', '列席：')):
                if e.find(sub) is not None:
                    seq += [(lab, True), (text_of(e.find(sub)), False)]
        else:
            seq.append((text_of(e), False))
    if el.find('signature') is None:
        seq += annex_sequence(part)
    labels = dict((id(a), lab) for a, lab in part.labels())
    for a in part.attachments:
        if not a.bound:
            continue
        if id(a) in labels:
            seq.append((labels[id(a)], True))
        seq += part_sequence(a)
    if top and el.find('record') is not None:
        rec = el.find('record')
        if rec.find('cc') is not None:
            seq += [('抄送：', True), (text_of(rec.find('cc')), False)]
        d = rec.find('distributor')
        if d is not None:
            seq += [(text_of(d.find('name')), False), (printed_date(d.findtext('date')), False), ('印发', True)]
    return seq


def annex_sequence(part):
    listed = part.listed
    if not listed:
        return []
    out = [(part.annex_word() + '：', True)]
    for n, a in enumerate(listed, 1):
        if len(listed) > 1:
            out.append((f'{n}.', True))
        out.append((a.name, True))
    return out


def signature_sequence(sig):
    out = []
    stamp = sig.find('signer-stamp')
    if stamp is not None:
        out.append((text_of(stamp), False))
    out += [(text_of(i), False) for i in sig.findall('issuer')]
    date = sig.find('date')
    out.append((printed_date(date.text), False) if date is not None else ('年月日', True))
    return out


def header_items(doc):
    h = doc.el.find('header')
    if h is None:
        return []
    items = [text_of(e) for e in h if text_of(e)]
    sec = h.find('secrecy')
    if sec is not None and sec.get('period'):
        items.append(squeeze(sec.get('period')))
    if h.get('suffix'):
        items.append(squeeze(h.get('suffix')))
    return items


def table_heads(part):
    chars = set()
    for t in part.el.iter('table'):
        for th in t.iter('thead'):
            chars |= set(text_of(th))
    for a in part.attachments:
        chars |= table_heads(a)
    return chars


def check_text(r, pdf, doc):
    raw = subprocess.run(['pdftotext', '-raw', '-enc', 'UTF-8', pdf, '-'], capture_output=True, text=True).stdout
    drawn = squeeze('\n'.join(ln for ln in raw.splitlines() if not PAGE_NO.fullmatch(squeeze(ln))))
    # The 版头 first, in whatever order it is drawn: each item once, before the title.
    head_end, missing = 0, []
    prefix = list(drawn)
    for item in header_items(doc):
        k = drawn.find(item)
        if k < 0:
            missing.append(item)
            continue
        head_end = max(head_end, k + len(item))
        prefix[k:k + len(item)] = [''] * len(item)
    seq = part_sequence(doc, top=True)
    want = ''.join(t for t, _ in seq)
    start = drawn.find(want[:6], head_end) if want else head_end
    if start < 0:
        r.put('text', False, f'the document\'s first words {want[:6]!r} not found after the 版头')
        return
    stray = set(''.join(prefix[:start])) - set('签发人：★')
    heads = table_heads(doc)
    j, extra, runs, first = 0, [], [], None
    for k, ch in enumerate(drawn[start:], start):
        if j < len(want) and ch == want[j]:
            j += 1
        else:
            extra.append(ch)
            if ch not in NUMBERING and ch not in heads:
                runs.append(f'…{drawn[max(start, k - 8):k]}[{ch}]')
                first = first or (k, j)
    ok = j == len(want) and not runs and not missing and not stray
    gen = sum(len(t) for t, generated in seq if generated)
    fig = (f'{j}/{len(want)} characters in order ({len(want) - gen} typed, {gen} generated), '
           f'{len(extra)} numbering or repeated-head characters besides')
    if j < len(want):
        k, i = first or (len(drawn), j)         # where the drawn text first strays
        fig += (f'; first difference: the source reads …{want[max(0, i - 10):i]}|{want[i:i + 12]}…, '
                f'the PDF …{drawn[max(0, k - 10):k]}|{drawn[k:k + 12]}…')
    elif runs:
        fig += f'; {len(runs)} unexpected: {" ".join(runs[:5])}'
    if missing:
        fig += f'; 版头 text not drawn: {missing}'
    if stray:
        fig += f'; before the title besides the 版头: {"".join(sorted(stray))}'
    r.put('text', ok, fig)


# --------------------------------------------------------------------------------------

def dump(pages):
    for p in pages:
        print(f'--- page {p.no}' + (' (blank)' if p.blank else ''))
        for ln in p.lines:
            print(f'  row {ln.row:6.2f} base {ln.base:7.2f} x {ln.x0:6.2f}..{ln.x1:6.2f} {ln.size:5.2f}pt '
                  f'{ln.glyphs[0].font[:22]:22} {"red " if ln.glyphs[0].red else ""}{ln.text}')
        for ru in p.rules:
            print(f'  rule y {ru.y:7.2f} x {ru.x0:6.2f}..{ru.x1:6.2f} {ru.thick:.3f} mm {"red" if ru.red else ""}')
        for im in p.images:
            print(f'  image x {im[0]:6.2f}..{im[1]:6.2f} y {im[2]:6.2f}..{im[3]:6.2f}')


def main(argv):
    args = [a for a in argv[1:] if not a.startswith('--')]
    if len(args) != 2:
        print(__doc__.split('\n\n')[1], file=sys.stderr)
        return 2
    pdf, src = args
    root = ET.parse(src).getroot()
    if root.tag != 'document' or root.get('version') != '2':
        print(f'{src}: not a format-v2 document', file=sys.stderr)
        return 2
    doc = Part(root, os.path.dirname(os.path.abspath(src)))
    pages = read_pdf(pdf)
    if '--dump' in argv:
        dump(pages)
    kind = root.get('kind', 'general')
    p1 = pages[0]
    r = Report()

    h = root.find('header')
    dn_text = text_of(h.find('doc-number')) if h is not None else ''
    dn_line = next((ln for ln in p1.text_lines() if dn_text and dn_text in ln.text), None)
    tlines = title_lines(p1, doc.title) if doc.title else []
    fc = faces(pages, doc, tlines)
    # The mark lies above the 发文字号 (above the title when there is none).
    limit = dn_line.top if dn_line and kind != 'letter' else (tlines[0].top if tlines else PAGE_H)
    mark_bottom = check_mark(r, doc, p1, kind, fc['title'], limit)
    dline = check_docnumber(r, doc, p1, kind, fc)
    rule_y = check_rule(r, p1, kind, dline, mark_bottom) if h is not None else None
    check_title(r, kind, tlines, rule_y)
    check_to(r, doc, p1, tlines)

    starts = check_attachments(r, doc, pages, fc)
    main_end = starts[0][0] - 1 if starts else len(pages)
    main_pages = pages[:main_end]

    # Body lines: everything at 16 pt but the 版头 (page 1 above the title, or the
    # header's own lines), the attachment labels and the titles.
    header_lines = set()
    if h is not None:
        texts = header_items(doc) + ['签发人：']
        below = tlines[0].top if tlines else (dline.bottom if dline else 0)
        header_lines = {ln for ln in p1.text_lines()
                        if ln.bottom <= below + 0.01 or any(t in ln.text for t in texts if t)}
    check_grid(r, pages, header_lines)

    check_annex(r, doc, main_pages)
    check_seals(r, pages)
    check_seal_covers(r, doc, main_pages)
    check_note(r, doc, main_pages)
    for k, (no, a) in enumerate(starts):
        if a.issued:
            own_end = next((n2 for n2, b in starts[k + 1:]), len(pages) + 1)
            part_pages = pages[no - 1:own_end - 1]
            check_annex(r, a, part_pages, f'annex ({a.title[:8]})')
            check_note(r, a, part_pages)
    check_pagenums(r, pages, kind, doc)
    check_record(r, doc, pages, kind)
    check_text(r, pdf, doc)
    print(f'gongwencheck: {os.path.basename(pdf)}: {len(pages)} pages, {r.fails} failure(s)')
    return 1 if r.fails else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
