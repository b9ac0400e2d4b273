#!/usr/bin/env python3
"""Read a gwpdf PDF back and check it against GB/T 9704-2012 (end-to-end tests).

Python standard library only, plus the poppler-utils (pdfinfo, pdffonts, pdftotext)
and qpdf command-line tools.

How the geometry is read back:
  * `qpdf --qdf --object-streams=disable` writes an uncompressed copy with a classic
    xref table; a small object parser reads pages, fonts and content streams from it;
  * a small content-stream interpreter (q Q cm BT ET Tf Tc Tw Tz TL Ts Td TD Tm T* Tj TJ
    ' " Tr w) yields every text run: font, size, start point and glyph codes
    (2 bytes per code for Type0 / Identity-H fonts, 1 byte for simple fonts);
  * `pdftotext -bbox` gives the words with their horizontal extents; each word is attached
    to the text line (runs sharing a baseline) whose em box holds its vertical centre;
  * the embedded TrueType (FontFile2) is parsed for glyph boxes (the page number's dash).

Usage:
  pdfcheck.py report PDF SEED.txt SOURCE.xml WORKDIR   all checks for a real report
  pdfcheck.py dump PDF WORKDIR                          print the lines found (debugging)
  pdfcheck.py expect PDF EXPECT WORKDIR                 every line where EXPECT says (small documents)
Exit status 0 when every check passed, 1 otherwise.
"""

import collections
import html
import os
import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET

# ---------------------------------------------------------------------------------------
# GB/T 9704-2012 numbers in PDF points (docs/standard.md: paper and type area, the grid,
# page numbers).
MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM                 # 595.276 x 841.890
AREA_LEFT, AREA_RIGHT = 28 * MM, (28 + 156) * MM    # 79.370 .. 521.575
AREA_TOP, AREA_BOTTOM = (297 - 37) * MM, 35 * MM    # 737.008, 99.213
CELL = 156 * MM / 28                                # 15.793
BODY = 16.0
PITCH = (225 * MM - BODY) / 21                      # 29.609
ASC, DESC = 0.88, 0.12                              # ideographic em box around the baseline
PAGENUM_SIZE = 14.0
TOL_MM = 0.5

FAILURES = []


def fail(msg):
    FAILURES.append(msg)
    print("FAIL: " + msg)


def check(cond, msg):
    if not cond:
        fail(msg)
    return cond


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def mm(pt):
    return pt / MM


# ---------------------------------------------------------------------------------------
# PDF objects (enough for qpdf's QDF output: classic xref table, no object streams)

class Ref(tuple):
    pass


class Name(str):
    pass


class Op(str):
    pass


class Stream:
    def __init__(self, d, data):
        self.dict, self.data = d, data


WS = b" \t\r\n\f\x00"
DELIM = b"()<>[]{}/%"


class Lexer:
    def __init__(self, buf, pos=0):
        self.buf, self.pos = buf, pos

    def skip(self):
        b, n = self.buf, len(self.buf)
        while self.pos < n:
            c = b[self.pos]
            if c in WS:
                self.pos += 1
            elif c == 0x25:  # % comment
                while self.pos < n and b[self.pos] not in b"\r\n":
                    self.pos += 1
            else:
                break

    def token(self):
        """Next token: number, Name, bytes (string), Op, or the markers '[' ']' '<<' '>>'."""
        self.skip()
        b, n = self.buf, len(self.buf)
        if self.pos >= n:
            return None
        c = b[self.pos:self.pos + 1]
        if c == b"/":
            e = self.pos + 1
            while e < n and b[e] not in WS and b[e] not in DELIM:
                e += 1
            raw = b[self.pos + 1:e]
            self.pos = e
            return Name(re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)
                        .decode("latin-1"))
        if c == b"(":
            return self._literal()
        if c == b"<":
            if b[self.pos + 1:self.pos + 2] == b"<":
                self.pos += 2
                return "<<"
            e = b.index(b">", self.pos)
            hexs = re.sub(rb"\s", b"", b[self.pos + 1:e])
            if len(hexs) % 2:
                hexs += b"0"
            self.pos = e + 1
            return bytes.fromhex(hexs.decode("ascii"))
        if c == b">":
            if b[self.pos + 1:self.pos + 2] == b">":
                self.pos += 2
                return ">>"
            raise ValueError("stray '>' at %d" % self.pos)
        if c in (b"[", b"]", b"{", b"}"):
            self.pos += 1
            return c.decode()
        e = self.pos
        while e < n and b[e] not in WS and b[e] not in DELIM:
            e += 1
        word = b[self.pos:e]
        self.pos = e
        if re.fullmatch(rb"[+-]?(\d+\.?\d*|\.\d+)", word):
            return float(word) if b"." in word else int(word)
        return Op(word.decode("latin-1"))

    def _literal(self):
        b = self.buf
        self.pos += 1
        out, depth = bytearray(), 1
        esc = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}
        while True:
            c = b[self.pos]
            self.pos += 1
            if c == 0x5C:  # backslash
                d = b[self.pos]
                self.pos += 1
                if d in esc:
                    out.append(esc[d])
                elif 0x30 <= d <= 0x37:
                    digits = bytes([d])
                    while len(digits) < 3 and 0x30 <= b[self.pos] <= 0x37:
                        digits += bytes([b[self.pos]])
                        self.pos += 1
                    out.append(int(digits, 8) & 0xFF)
                elif d in b"\r\n":
                    if d == 0x0D and b[self.pos] == 0x0A:
                        self.pos += 1
                else:
                    out.append(d)
            elif c == 0x28:
                depth += 1
                out.append(c)
            elif c == 0x29:
                depth -= 1
                if depth == 0:
                    return bytes(out)
                out.append(c)
            else:
                out.append(c)

    def value(self, tok=None):
        """Parse one object; 'N G R' becomes a Ref."""
        t = self.token() if tok is None else tok
        if t == "[":
            arr = []
            while True:
                t = self.token()
                if t == "]":
                    return self._refs(arr)
                arr.append(self.value(t))
        if t == "<<":
            items = []
            while True:
                t = self.token()
                if t == ">>":
                    items = self._refs(items)
                    return {items[i]: items[i + 1] for i in range(0, len(items), 2)}
                items.append(self.value(t))
        return t

    @staticmethod
    def _refs(seq):
        out = []
        for v in seq:
            if v == Op("R") and len(out) >= 2 and isinstance(out[-1], int) and isinstance(out[-2], int):
                gen, num = out.pop(), out.pop()
                out.append(Ref((num, gen)))
            else:
                out.append(v)
        return out


class Pdf:
    def __init__(self, path):
        with open(path, "rb") as f:
            self.buf = f.read()
        self.cache = {}
        m = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", self.buf)
        if not m:
            raise ValueError("%s: no startxref" % path)
        self.offsets = {}
        lx = Lexer(self.buf, int(m.group(1)))
        if lx.token() != Op("xref"):
            raise ValueError("%s: expected a classic xref table" % path)
        while True:
            t = lx.token()
            if t == Op("trailer"):
                break
            first, count = t, lx.token()
            for i in range(count):
                off, _gen, kind = lx.token(), lx.token(), lx.token()
                if kind == Op("n"):
                    self.offsets[first + i] = off
        self.trailer = lx.value()

    def get(self, v):
        """Resolve a Ref (recursively) to its object."""
        while isinstance(v, Ref):
            if v not in self.cache:
                self.cache[v] = self._load(v)
            v = self.cache[v]
        return v

    def _load(self, ref):
        lx = Lexer(self.buf, self.offsets[ref[0]])
        num, gen, kw = lx.token(), lx.token(), lx.token()
        if (num, gen, kw) != (ref[0], ref[1], Op("obj")):
            raise ValueError("object %d %d not found at its xref offset" % ref)
        val = lx.value()
        save = lx.pos
        if lx.token() == Op("stream"):
            p = lx.pos
            if self.buf[p:p + 2] == b"\r\n":
                p += 2
            elif self.buf[p:p + 1] == b"\n":
                p += 1
            length = self.get(val["Length"])
            data = self.buf[p:p + length]
            if "Filter" in val:
                raise ValueError("object %d is still compressed (%s)" % (ref[0], val["Filter"]))
            return Stream(val, data)
        lx.pos = save
        return val

    def pages(self):
        out = []

        def walk(node, inherited):
            node = self.get(node)
            inh = dict(inherited)
            for k in ("Resources", "MediaBox"):
                if k in node:
                    inh[k] = node[k]
            if node.get("Type") == "Pages":
                for kid in self.get(node["Kids"]):
                    walk(kid, inh)
            else:
                page = dict(node)
                page.update({k: v for k, v in inh.items() if k not in node})
                out.append(page)
        walk(self.get(self.trailer["Root"])["Pages"], {})
        return out


# ---------------------------------------------------------------------------------------
# Fonts: code width, bytes per code, glyph boxes from the embedded TrueType

class Font:
    def __init__(self, pdf, ref):
        self.ref = ref
        d = pdf.get(ref)
        self.base = str(d.get("BaseFont", "?"))
        self.two_byte = d.get("Subtype") == "Type0"
        self.widths = {}
        self.dw = 1000
        self.cid2gid = None     # None: identity
        self.glyph_top = {}     # gid -> yMax in font units
        self.upm = 1000
        if self.two_byte:
            cid = pdf.get(pdf.get(d["DescendantFonts"])[0])
            self.dw = pdf.get(cid.get("DW", 1000))
            w = pdf.get(cid.get("W", []))
            i = 0
            while i < len(w):
                first = pdf.get(w[i])
                nxt = pdf.get(w[i + 1])
                if isinstance(nxt, list):
                    for k, wv in enumerate(nxt):
                        self.widths[first + k] = pdf.get(wv)
                    i += 2
                else:
                    for c in range(first, nxt + 1):
                        self.widths[c] = pdf.get(w[i + 2])
                    i += 3
            m = pdf.get(cid.get("CIDToGIDMap", Name("Identity")))
            if isinstance(m, Stream):
                self.cid2gid = m.data
            desc = pdf.get(cid.get("FontDescriptor", {}))
        else:
            first = pdf.get(d.get("FirstChar", 0))
            for k, wv in enumerate(pdf.get(d.get("Widths", []))):
                self.widths[first + k] = pdf.get(wv)
            self.dw = 0
            desc = pdf.get(d.get("FontDescriptor", {}))
        ff = pdf.get(desc.get("FontFile2")) if desc else None
        if isinstance(ff, Stream):
            self._parse_truetype(ff.data)

    def codes(self, s):
        if self.two_byte:
            return [(s[i] << 8) | s[i + 1] for i in range(0, len(s) - 1, 2)]
        return list(s)

    def width(self, code):
        return self.widths.get(code, self.dw)

    def gid(self, code):
        if self.cid2gid is None:
            return code
        i = 2 * code
        return struct.unpack(">H", self.cid2gid[i:i + 2])[0] if i + 2 <= len(self.cid2gid) else 0

    def top(self, code):
        """Glyph's ink top in em, or None when unknown."""
        g = self.gid(code)
        return None if g not in self.glyph_top else self.glyph_top[g] / self.upm

    def _parse_truetype(self, data):
        try:
            numtables = struct.unpack(">H", data[4:6])[0]
            tables = {}
            for i in range(numtables):
                tag, _cs, off, ln = struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i])
                tables[tag] = (off, ln)
            hoff = tables[b"head"][0]
            self.upm = struct.unpack(">H", data[hoff + 18:hoff + 20])[0]
            longloca = struct.unpack(">h", data[hoff + 50:hoff + 52])[0] == 1
            moff = tables[b"maxp"][0]
            nglyphs = struct.unpack(">H", data[moff + 4:moff + 6])[0]
            loff = tables[b"loca"][0]
            goff = tables[b"glyf"][0]
            if longloca:
                loca = struct.unpack(">%dI" % (nglyphs + 1), data[loff:loff + 4 * (nglyphs + 1)])
            else:
                loca = [2 * v for v in struct.unpack(">%dH" % (nglyphs + 1), data[loff:loff + 2 * (nglyphs + 1)])]
            for g in range(nglyphs):
                if loca[g + 1] > loca[g]:
                    p = goff + loca[g]
                    self.glyph_top[g] = struct.unpack(">h", data[p + 8:p + 10])[0]
        except (KeyError, struct.error):
            self.glyph_top = {}


# ---------------------------------------------------------------------------------------
# Content streams -> text runs

Run = collections.namedtuple("Run", "font size x y codes tc tr")


def mat_mul(a, b):
    return (a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5])


def text_runs(pdf, page, fonts):
    res = pdf.get(page.get("Resources", {}))
    fontdict = pdf.get(res.get("Font", {}))
    contents = pdf.get(page["Contents"])
    if isinstance(contents, list):
        data = b"\n".join(pdf.get(c).data for c in contents)
    else:
        data = contents.data
    lx = Lexer(data)
    ident = (1, 0, 0, 1, 0, 0)
    gs = {"ctm": ident, "tc": 0.0, "tw": 0.0, "tz": 1.0, "tl": 0.0, "ts": 0.0, "font": None, "size": 0.0, "tr": 0}
    stack = []
    tm = tlm = ident
    runs = []
    ops = []

    def show(s):
        nonlocal tm
        font = gs["font"]
        codes = font.codes(s)
        trm = mat_mul((gs["size"] * gs["tz"], 0, 0, gs["size"], 0, gs["ts"]), mat_mul(tm, gs["ctm"]))
        scale = (trm[1] ** 2 + trm[3] ** 2) ** 0.5       # vertical scale = effective size
        runs.append(Run(font, scale, trm[4], trm[5], codes, gs["tc"], gs["tr"]))
        adv = 0.0
        for c in codes:
            w = font.width(c) / 1000.0 * gs["size"] + gs["tc"]
            if c == 32 and not font.two_byte:
                w += gs["tw"]
            adv += w * gs["tz"]
        tm = mat_mul((1, 0, 0, 1, adv, 0), tm)

    while True:
        t = lx.token()
        if t is None:
            break
        if not isinstance(t, Op):
            ops.append(lx.value(t))
            continue
        a = ops
        ops = []
        if t == "q":
            stack.append(dict(gs))
        elif t == "Q":
            gs = stack.pop()
        elif t == "cm":
            gs["ctm"] = mat_mul(tuple(a), gs["ctm"])
        elif t == "BT":
            tm = tlm = ident
        elif t == "Tf":
            if a[0] not in fontdict:
                raise ValueError("Tf names font /%s, which the page's resources do not hold" % a[0])
            ref = fontdict[a[0]]
            if ref not in fonts:
                fonts[ref] = Font(pdf, ref)
            gs["font"], gs["size"] = fonts[ref], a[1]
        elif t == "Tc":
            gs["tc"] = a[0]
        elif t == "Tw":
            gs["tw"] = a[0]
        elif t == "Tz":
            gs["tz"] = a[0] / 100.0
        elif t == "TL":
            gs["tl"] = a[0]
        elif t == "Ts":
            gs["ts"] = a[0]
        elif t == "Tr":
            gs["tr"] = a[0]
        elif t in ("Td", "TD"):
            if t == "TD":
                gs["tl"] = -a[1]
            tlm = tm = mat_mul((1, 0, 0, 1, a[0], a[1]), tlm)
        elif t == "Tm":
            tlm = tm = tuple(a)
        elif t == "T*":
            tlm = tm = mat_mul((1, 0, 0, 1, 0, -gs["tl"]), tlm)
        elif t == "Tj":
            show(a[0])
        elif t == "'":
            tlm = tm = mat_mul((1, 0, 0, 1, 0, -gs["tl"]), tlm)
            show(a[0])
        elif t == '"':
            gs["tw"], gs["tc"] = a[0], a[1]
            tlm = tm = mat_mul((1, 0, 0, 1, 0, -gs["tl"]), tlm)
            show(a[2])
        elif t == "TJ":
            for el in a[0]:
                if isinstance(el, bytes):
                    show(el)
                else:
                    tm = mat_mul((1, 0, 0, 1, -el / 1000.0 * gs["size"] * gs["tz"], 0), tm)
        elif t == "BI":
            raise ValueError("inline images are not expected in gwpdf output")
        # everything else (w, ET, colours, paths...) does not move text
    return runs


# ---------------------------------------------------------------------------------------
# Lines: runs sharing a baseline + the pdftotext words lying on it

class Line:
    def __init__(self, y, page):
        self.y = y            # baseline, PDF coordinates (up from the bottom)
        self.page = page      # page number, from 1
        self.runs = []
        self.words = []       # (xMin, xMax, text)
        self.row = None

    @property
    def size(self):
        return max(r.size for r in self.runs)

    @property
    def text(self):
        return "".join(w[2] for w in self.words)

    @property
    def xmin(self):
        return min(w[0] for w in self.words)

    @property
    def xmax(self):
        return max(w[1] for w in self.words)

    @property
    def xstart(self):
        """Left end of the line as set: a line-start opening mark at the left edge has lost
        its blank (cjk-layout-rules, issue 16), so its glyph box begins half an em left of
        the type area and its ink meets the edge; after an indent it keeps its blank."""
        first = min(self.words, key=lambda w: w[0])
        if first[2] and first[2][0] in INK_RIGHT and first[0] < AREA_LEFT - 1.0:
            return first[0] + 0.5 * self.size
        return first[0]

    @property
    def ink_xmax(self):
        """Right end of the line's ink: a full-width closing mark keeps its ink in the left
        half of its em (GB style), so a line-end mark set half-width ends half an em before
        its glyph box does."""
        end = max(self.words, key=lambda w: w[1])
        if end[2] and end[2][-1] in INK_LEFT:
            return end[1] - 0.5 * self.size
        return end[1]

    @property
    def glyphs(self):
        return sum(len(r.codes) for r in self.runs)

    @property
    def center(self):
        """Centre of the em box (0.88 em above, 0.12 em below the baseline)."""
        return self.y + (ASC - 0.5) * self.size


class Page:
    def __init__(self, number, width, height):
        self.number, self.width, self.height = number, width, height
        self.lines = []       # text lines inside the type area, top to bottom
        self.foot = []        # lines below the type area (the page number)


def bbox_words(pdf_path):
    r = run(["pdftotext", "-bbox", "-enc", "UTF-8", pdf_path, "-"])
    if r.returncode != 0:
        raise RuntimeError("pdftotext -bbox failed: " + r.stderr.decode(errors="replace"))
    pages = []
    # poppler writes the document title of the HTML <head> one UTF-16 unit at a time
    # (CESU-8) when it holds a character above U+FFFF; only the <page> parts are read.
    out = r.stdout.decode("utf-8", errors="replace")
    for pm in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S):
        words = [(float(a), float(b), float(c), float(d), html.unescape(t))
                 for a, b, c, d, t in re.findall(
                     r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>',
                     pm.group(3))]
        pages.append((float(pm.group(1)), float(pm.group(2)), words))
    return pages


def analyze(pdf_path, workdir):
    """Pages with their lines, read back from the PDF."""
    qdf = os.path.join(workdir, os.path.basename(pdf_path) + ".qdf")
    r = run(["qpdf", "--qdf", "--object-streams=disable", pdf_path, qdf])
    if r.returncode != 0:
        raise RuntimeError("qpdf --qdf failed (%d): %s" % (r.returncode, r.stderr.decode(errors="replace")))
    pdf = Pdf(qdf)
    fonts = {}
    bb = bbox_words(pdf_path)
    pdf_pages = pdf.pages()
    if len(bb) != len(pdf_pages):
        raise RuntimeError("pdftotext sees %d pages, the page tree has %d" % (len(bb), len(pdf_pages)))
    pages = []
    for i, (pg, (w, h, words)) in enumerate(zip(pdf_pages, bb)):
        page = Page(i + 1, w, h)
        lines = []
        for rn in sorted(text_runs(pdf, pg, fonts), key=lambda r: -r.y):
            if not lines or abs(lines[-1].y - rn.y) > 0.5:
                lines.append(Line(rn.y, i + 1))
            lines[-1].runs.append(rn)
        for (x0, y0, x1, y1, t) in words:
            c = h - (y0 + y1) / 2
            best = min(lines, key=lambda ln: abs(ln.center - c)) if lines else None
            if best is None or abs(best.center - c) > 0.4 * PITCH:
                raise RuntimeError("page %d: word %r at y %.2f is on no text line" % (i + 1, t, h - y1))
            best.words.append((x0, x1, t))
        for ln in lines:
            ln.words.sort()
            if not ln.words:
                continue      # only spaces
            if ln.y + ASC * ln.size > AREA_BOTTOM - 0.5:
                page.lines.append(ln)
            else:
                page.foot.append(ln)
        pages.append(page)
    return pages, fonts


def assign_rows(pages):
    """Row index of each line (0..21): em-box centres counted in pitches from row 0, whose
    16 pt em box touches the type area's top. Text of other sizes is centred on its row."""
    row0 = AREA_TOP - BODY / 2
    for p in pages:
        for ln in p.lines:
            ln.row_exact = (row0 - ln.center) / PITCH
            ln.row = round(ln.row_exact)
    return row0


# ---------------------------------------------------------------------------------------
# Character classes

def is_ideograph(ch):
    o = ord(ch)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF
            or 0x20000 <= o <= 0x3FFFF or 0x2E80 <= o <= 0x2FDF)


def is_fullwidth_punct(ch):
    o = ord(ch)
    return 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF or ch in "“”‘’—…·"


NO_START = "，。、；：？！）》”’」』】〕〉"
INK_LEFT = "，。、；：？！）》”’」』】〕〉．"
INK_RIGHT = "（《“‘「『【〔〈〖［｛〘〚"
NO_END = "（《“‘「『【〔〈"

HALF_TO_FULL = str.maketrans("(),;:?!", "（），；：？！")
PAGENUM_LINE = re.compile(r"\s*—\s*\d+\s*—\s*")


def normalise_text(s):
    lines = [ln for ln in s.replace("\f", "\n").split("\n") if not PAGENUM_LINE.fullmatch(ln)]
    return re.sub(r"\s+", "", "".join(lines)).translate(HALF_TO_FULL)


def cn_number(n):
    d = "零一二三四五六七八九"
    if n < 10:
        return d[n]
    if n < 20:
        return "十" + (d[n % 10] if n % 10 else "")
    return d[n // 10] + "十" + (d[n % 10] if n % 10 else "")


def number_for(level, n):
    return {1: cn_number(n) + "、", 2: "（" + cn_number(n) + "）", 3: "%d." % n,
            4: "（%d）" % n, 5: chr(0x2460 + n - 1)}[level]


def expected_starts(xml_path):
    """(kind, text) for every heading and list item of the source, numbered as format.md says."""
    out = []

    def text_of(el):
        return re.sub(r"\s+", "", "".join(el.itertext()))

    def walk(parent, level):
        n = 0
        for el in parent:
            if el.tag == "section":
                lv = int(el.get("level", level + 1))
                head = el.find("heading")
                num = ""
                if head.get("number") != "none":
                    n += 1
                    num = number_for(lv, n)
                kind = "runin" if head.get("runin") == "true" else "heading"
                out.append((kind, num + text_of(head)))
                walk(el, lv)
            elif el.tag == "list":
                for k, item in enumerate(el.findall("item")):
                    out.append(("item", number_for(level + 1, k + 1) + text_of(item)))
    walk(ET.parse(xml_path).getroot(), 0)
    return out


# ---------------------------------------------------------------------------------------
# Tool checks

def check_pdfinfo(pdf_path):
    r = run(["pdfinfo", pdf_path])
    out = r.stdout.decode("utf-8", "replace")
    check(r.returncode == 0, "pdfinfo exit status %d" % r.returncode)
    m = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts(.*)$", out, re.M)
    if check(m is not None, "pdfinfo shows no page size"):
        w, h = float(m.group(1)), float(m.group(2))
        check(abs(w - 595.28) <= 0.1 and abs(h - 841.89) <= 0.1,
              "page size %.3f x %.3f pt, expected 595.28 x 841.89 (A4)" % (w, h))
        check("A4" in m.group(3), "pdfinfo does not call the page A4: %r" % m.group(0))
    m = re.search(r"^Pages:\s+(\d+)$", out, re.M)
    return int(m.group(1)) if check(m is not None, "pdfinfo shows no page count") else 0


def check_qpdf(pdf_path):
    r = run(["qpdf", "--check", pdf_path])
    out = r.stdout.decode("utf-8", "replace") + r.stderr.decode("utf-8", "replace")
    check(r.returncode == 0, "qpdf --check exit status %d:\n%s" % (r.returncode, out))
    check("No syntax or stream encoding errors found" in out, "qpdf --check does not report a clean file:\n" + out)
    # the clean verdict is two lines: "No syntax or stream encoding errors found; the file
    # may still contain" / "errors that qpdf cannot detect"; anything else naming a warning
    # or an error is a finding
    rest = re.sub(r"No syntax or stream encoding errors found;[^\n]*\n[^\n]*errors that qpdf cannot detect", "", out)
    bad = [ln for ln in rest.splitlines() if re.search(r"warning|error", ln, re.I)]
    check(not bad, "qpdf --check reports: %s" % bad)


def check_pdffonts(pdf_path):
    r = run(["pdffonts", pdf_path])
    check(r.returncode == 0, "pdffonts exit status %d" % r.returncode)
    lines = r.stdout.decode("utf-8", "replace").splitlines()
    if not check(len(lines) >= 3 and lines[1].startswith("---"), "pdffonts output not understood: %r" % lines[:3]):
        return []
    cols = [(m.start(), m.end()) for m in re.finditer(r"-+", lines[1])]
    names = [lines[0][a:b + 1].strip() for a, b in cols]
    if not check("emb" in names, "pdffonts has no 'emb' column: %r" % lines[0]):
        return []
    emb_col = cols[names.index("emb")]
    rows = []
    for ln in lines[2:]:
        name = ln[cols[0][0]:cols[0][1]].strip()
        emb = ln[emb_col[0]:emb_col[1] + 1].strip()
        rows.append((name, emb))
        check(emb == "yes", "font %s is not embedded (emb = %r)" % (name, emb))
    check(rows, "pdffonts lists no fonts")
    return rows


def compare_text(pdf_path, seed_path):
    r = run(["pdftotext", "-enc", "UTF-8", pdf_path, "-"])
    check(r.returncode == 0, "pdftotext exit status %d" % r.returncode)
    got = normalise_text(r.stdout.decode("utf-8"))
    warns = collections.Counter(ln for ln in r.stderr.decode("utf-8", "replace").splitlines() if ln.strip())
    for w, n in sorted(warns.items()):
        # not a failure: libharu 2.3.0 writes a CID CMap as /ToUnicode
        # (docs/pdf.md#libharu-230-as-it-really-behaves)
        print("note: pdftotext warns %d x: %s" % (n, w))
    with open(seed_path, encoding="utf-8") as f:
        want = normalise_text(f.read())
    if got == want:
        return len(got), True
    i = next((k for k in range(min(len(got), len(want))) if got[k] != want[k]), min(len(got), len(want)))
    fail("text differs from the seed at character %d (of %d printed, %d in the seed):\n"
         "  printed: ...%s[%s]%s...\n  seed:    ...%s[%s]%s..."
         % (i, len(got), len(want), got[max(0, i - 30):i], got[i:i + 1], got[i + 1:i + 30],
            want[max(0, i - 30):i], want[i:i + 1], want[i + 1:i + 30]))
    return len(got), False


# ---------------------------------------------------------------------------------------
# Geometry checks

def near(a, b, tol):
    return abs(a - b) <= tol


def check_page_number_text(pdf_path, pages, first=1):
    """pdftotext prints each page's number as a line of its own, "— N —"."""
    r = run(["pdftotext", "-enc", "UTF-8", pdf_path, "-"])
    texts = r.stdout.decode("utf-8").split("\f")
    for p in pages:
        n = p.number - 1 + first
        lines = [ln.strip() for ln in texts[p.number - 1].splitlines() if PAGENUM_LINE.fullmatch(ln)]
        check(lines == ["— %d —" % n], "page %d: pdftotext reads page-number lines %r, expected ['— %d —']"
              % (p.number, lines, n))


def check_page_numbers(pages, first=1):
    tops = []
    for p in pages:
        n = p.number - 1 + first
        if not check(len(p.foot) == 1, "page %d: expected one line below the type area (the page number), found %d"
                     % (p.number, len(p.foot))):
            continue
        ln = p.foot[0]
        check(ln.text == "—%d—" % n, "page %d: page number reads %r, expected '— %d —'" % (p.number, ln.text, n))
        check(near(ln.size, PAGENUM_SIZE, 0.01), "page %d: page number size %.2f pt, expected 14" % (p.number, ln.size))
        if p.number % 2:
            want = AREA_RIGHT - PAGENUM_SIZE
            check(near(ln.xmax, want, 1.0), "page %d (odd): page number ends at x %.2f, expected %.2f (right, inset 1 字) ±1"
                  % (p.number, ln.xmax, want))
        else:
            want = AREA_LEFT + PAGENUM_SIZE
            check(near(ln.xmin, want, 1.0), "page %d (even): page number starts at x %.2f, expected %.2f (left, inset 1 字) ±1"
                  % (p.number, ln.xmin, want))
        dash = ln.runs[0]
        top = dash.font.top(0x2014) if 0x2014 in dash.codes else None
        if top is not None:
            y = ln.y + top * ln.size
            tops.append(y)
            check(near(y, AREA_BOTTOM - 7 * MM, TOL_MM * MM),
                  "page %d: the dash's top is at y %.2f pt = %.2f mm below the type area, expected 7 mm ±%.1f"
                  % (p.number, y, mm(AREA_BOTTOM - y), TOL_MM))
        else:
            up = mm(ln.y)
            tops.append(None)
            check(20 <= up <= 28, "page %d: page-number baseline %.2f mm above the page bottom, expected 20..28"
                  % (p.number, up))
    return tops


def geometry(pages):
    """Margins, pitch, rows and characters per line for body text. Returns a summary dict."""
    assign_rows(pages)
    s = {"top": [], "bottom": [], "left": None, "right": [], "pitch": [], "rows": [], "lines": [], "full28": 0, "pushed_out": [], "pushed_in": [],
         "full_other": []}
    body = [ln for p in pages for ln in p.lines if near(ln.size, BODY, 0.01)]
    check(body, "no 16 pt body lines found")
    if not body:
        return s
    # left margin: the mode of the body lines' xMin
    xs = collections.Counter(round(ln.xmin, 1) for ln in body)
    left = xs.most_common(1)[0][0]
    s["left"] = mm(left)
    check(near(mm(left), 28, TOL_MM), "left margin %.2f mm (x %.2f), expected 28 ±%.1f" % (mm(left), left, TOL_MM))
    for p in pages:
        check(p.lines, "page %d holds no text" % p.number)
        if not p.lines:
            continue
        first = p.lines[0]
        top = mm(p.height - (first.y + ASC * first.size))
        s["top"].append(top)
        check(near(top, 37, TOL_MM), "page %d: top margin %.2f mm (first baseline %.3f), expected 37 ±%.1f"
              % (p.number, top, first.y, TOL_MM))
        for ln in p.lines:
            check(abs(ln.row_exact - ln.row) * PITCH <= 0.05,
                  "page %d: line %r (baseline %.3f) is %.3f pt off the grid (row %d)"
                  % (p.number, ln.text[:12], ln.y, (ln.row_exact - ln.row) * PITCH, ln.row))
        rows = [ln.row for ln in p.lines]
        check(len(set(rows)) == len(rows), "page %d: two lines on one grid row: %s" % (p.number, rows))
        check(min(rows) >= 0 and max(rows) <= 21, "page %d: rows %d..%d outside 0..21" % (p.number, min(rows), max(rows)))
        s["rows"].append(max(rows) + 1)
        s["lines"].append(len(p.lines))
        if p is not pages[-1]:
            check(max(rows) >= 19, "page %d: last used row %d (index from 0), expected >= 19 (at most 2 rows short)"
                  % (p.number, max(rows)))
        if max(rows) == 21:
            last = p.lines[-1]
            bottom = mm(last.y - DESC * last.size)
            s["bottom"].append(bottom)
            check(near(bottom, 35, TOL_MM), "page %d: bottom margin %.2f mm (last baseline %.3f), expected 35 ±%.1f"
                  % (p.number, bottom, last.y, TOL_MM))
        bl = [ln for ln in p.lines if near(ln.size, BODY, 0.01)]
        for a, b in zip(bl, bl[1:]):
            if b.row == a.row + 1:
                d = a.y - b.y
                s["pitch"].append(d)
                check(near(d, PITCH, 0.05), "page %d: pitch %.3f pt between %r and %r, expected %.2f ±0.05"
                      % (p.number, d, a.text[:10], b.text[:10], PITCH))
    # right margin and characters per line
    flat = [ln for p in pages for ln in p.lines]
    for ln in body:
        if ln.xstart < left - TOL_MM * MM:
            fail("page %d row %d: line %r starts at x %.2f, left of the margin %.2f"
                 % (ln.page, ln.row, ln.text[:12], ln.xstart, left))
        check(ln.ink_xmax <= AREA_RIGHT + 0.5, "page %d row %d: line %r: ink ends at x %.2f, right of the type area %.2f"
              % (ln.page, ln.row, ln.text[:12], ln.ink_xmax, AREA_RIGHT))
    for i, ln in enumerate(flat):
        if not near(ln.size, BODY, 0.01):
            continue
        nxt = flat[i + 1] if i + 1 < len(flat) else None
        last_of_par = nxt is None or not near(nxt.xstart, left, 1.0) or not near(nxt.size, BODY, 0.01)
        reaches = ln.ink_xmax >= AREA_RIGHT - BODY
        if reaches and not last_of_par:
            s["right"].append(mm(PAGE_W - ln.ink_xmax))
            check(near(mm(PAGE_W - ln.ink_xmax), 26, TOL_MM),
                  "page %d row %d: line %r: right margin %.2f mm (ink ends at %.2f), expected 26 ±%.1f"
                  % (ln.page, ln.row, ln.text[:12], mm(PAGE_W - ln.ink_xmax), ln.ink_xmax, TOL_MM))
        if ln.ink_xmax >= AREA_RIGHT - CELL / 2 and all(is_ideograph(c) or is_fullwidth_punct(c) for c in ln.text):
            indent = round((ln.xstart - left) / CELL)
            cells = len(ln.text) + indent
            only_ideographs = all(is_ideograph(c) for c in ln.text)
            if cells == 28:
                s["full28"] += 1
            elif only_ideographs or cells > 30:
                # A line of ideographs alone always fills the 28 cells; marks compressed by
                # push-in may bring a line with punctuation to 29 or 30 characters.
                s["full_other"].append(ln.text)
                fail("page %d row %d: full-width line %r holds %d characters%s, expected 28"
                     % (ln.page, ln.row, ln.text, len(ln.text),
                        " after a %d-character indent" % indent if indent else ""))
            elif cells < 28:
                # Punctuation that may not start the next line pushed characters out
                # (push-in could not make room), and the rest is spread to the edge.
                s["pushed_out"].append(ln.text)
            else:
                s["pushed_in"].append(ln.text)
    return s


def check_kinsoku(pages):
    n = 0
    for p in pages:
        for ln in p.lines:
            t = ln.text
            n += 1
            check(not t or t[0] not in NO_START, "page %d row %d: line starts with %r: %r" % (p.number, ln.row, t[0], t))
            check(not t or t[-1] not in NO_END, "page %d row %d: line ends with %r: %r" % (p.number, ln.row, t[-1], t))
    return n


def check_starts(pages, starts):
    """Headings on their own line, run-in headings and list items at a line start, indented 2 字."""
    flat = [ln for p in pages for ln in p.lines]
    want_x = AREA_LEFT + 2 * CELL
    found = 0
    pos = 0
    for kind, text in starts:
        head = text if kind == "heading" else text[:min(len(text), 6)]
        k = next((j for j in range(pos, len(flat)) if
                  (flat[j].text == head if kind == "heading" else flat[j].text.startswith(head))), None)
        if not check(k is not None, "%s %r is not %s (in order)" % (
                kind, head, "a line of its own" if kind == "heading" else "at the start of a line")):
            continue
        found += 1
        pos = k + 1
        ln = flat[k]
        check(near(ln.xmin, want_x, 0.5), "page %d row %d: %s %r starts at x %.2f, expected %.2f (indent 2 字) ±0.5"
              % (ln.page, ln.row, kind, head, ln.xmin, want_x))
    return found


# ---------------------------------------------------------------------------------------
# Commands

def cmd_report(pdf_path, seed, xml_path, workdir):
    npages = check_pdfinfo(pdf_path)
    check(6 <= npages <= 8, "page count %d, expected 6..8" % npages)
    check_qpdf(pdf_path)
    fonts = check_pdffonts(pdf_path)
    nchars, same = compare_text(pdf_path, seed)
    pages, _ = analyze(pdf_path, workdir)
    check(len(pages) == npages, "read %d pages, pdfinfo says %d" % (len(pages), npages))
    s = geometry(pages)
    # page 1: label on row 0, row 1 empty, the title from row 2, one empty row, then the body
    p1 = pages[0].lines
    title = [ln for ln in p1 if ln.size > BODY + 0.01]
    if check(p1 and p1[0].row == 0 and near(p1[0].size, BODY, 0.01), "page 1: the label is not on row 0"):
        check(title and title[0].row == 2, "page 1: the title starts on row %s, expected 2 (after the label and one empty row)"
              % (title[0].row if title else None))
        if title:
            after = [ln for ln in p1 if ln.row > title[-1].row]
            check(after and after[0].row == title[-1].row + 2,
                  "page 1: the body starts on row %s, expected %d (one empty row after the title)"
                  % (after[0].row if after else None, title[-1].row + 2))
    tops = check_page_numbers(pages)
    check_page_number_text(pdf_path, pages)
    nlines = check_kinsoku(pages)
    starts = expected_starts(xml_path)
    found = check_starts(pages, starts)

    def rng(v, fmt="%.2f"):
        return (fmt + "..." + fmt) % (min(v), max(v)) if v else "-"
    print("summary: pages %d (pdfinfo); %d fonts, %s; text %d characters (whitespace ignored) %s the seed"
          % (npages, len(fonts), "all embedded" if all(e == "yes" for _, e in fonts) else "NOT all embedded",
             nchars, "equal to" if same else "DIFFERENT from"))
    print("summary: margins top %s mm, bottom %s mm (full pages), left %.2f mm, right %s mm"
          % (rng(s["top"]), rng(s["bottom"]), s["left"] or 0, rng(s["right"])))
    print("summary: pitch %s pt (%d pairs); text lines per page %s; rows used per page %s"
          % (rng(s["pitch"], "%.3f"), len(s["pitch"]), s["lines"], s["rows"]))
    print("summary: %d full all-CJK lines hold 28 characters (indent included), %d ideograph-only "
          "lines do not; with punctuation: %d hold more after push-in, %d fewer after push-out"
          % (s["full28"], len(s["full_other"]), len(s["pushed_in"]), len(s["pushed_out"])))
    odd = [p.foot[0].xmax for p in pages if len(p.foot) == 1 and p.number % 2]
    even = [p.foot[0].xmin for p in pages if len(p.foot) == 1 and not p.number % 2]
    print("summary: page numbers '%s'; odd pages end at x %s pt, even pages start at x %s pt;"
          " dash top %s mm below the type area"
          % ("', '".join(p.foot[0].text for p in pages if p.foot), rng(odd), rng(even),
             rng([mm(AREA_BOTTOM - t) for t in tops if t is not None])))
    print("summary: %d lines checked for kinsoku; %d of %d headings/run-in headings/list items found in place"
          % (nlines, found, len(starts)))


def cmd_dump(pdf_path, workdir):
    pages, fonts = analyze(pdf_path, workdir)
    assign_rows(pages)
    for p in pages:
        print("page %d" % p.number)
        for ln in p.lines + p.foot:
            print("  row %s y %.3f size %.1f x %.2f..%.2f glyphs %d %s %s" % (
                ln.row, ln.y, ln.size, ln.xmin, ln.xmax, ln.glyphs,
                ",".join(sorted({r.font.base for r in ln.runs})), ln.text))


def cmd_expect(pdf_path, expect_path, workdir):
    """Every text line of the PDF, in order, against an expectation file whose lines read
    PAGE ROW START TEXT. START is one or more of, comma-separated: N, the line starts N
    cells (characters) from the type area's left edge (0 flush left, 2 indented; N may be
    fractional); rN, the line ends N cells from the right edge; center. TEXT is the line as
    pdftotext reads it, without spaces. '#' starts a comment. Page numbers are checked
    separately."""
    check_qpdf(pdf_path)
    check_pdffonts(pdf_path)
    pages, _ = analyze(pdf_path, workdir)
    assign_rows(pages)
    check_page_numbers(pages)
    check_page_number_text(pdf_path, pages)
    check_kinsoku(pages)
    want = []
    with open(expect_path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            if raw.strip() and not raw.lstrip().startswith("#"):
                pg, row, start, text = raw.split(None, 3)
                want.append((n, int(pg), int(row), start, text.strip()))
    got = [ln for p in pages for ln in p.lines]
    for k in range(max(len(want), len(got))):
        if k >= len(got):
            fail("%s:%d: expected line %r on page %d row %d, the PDF has no more lines"
                 % (expect_path, want[k][0], want[k][4], want[k][1], want[k][2]))
            continue
        ln = got[k]
        if k >= len(want):
            fail("unexpected line on page %d row %d: %r" % (ln.page, ln.row, ln.text))
            continue
        n, pg, row, start, text = want[k]
        where = "%s:%d" % (os.path.basename(expect_path), n)
        check(ln.text == text, "%s: page %d row %d reads %r, expected %r" % (where, ln.page, ln.row, ln.text, text))
        check((ln.page, ln.row) == (pg, row), "%s: %r is on page %d row %d, expected page %d row %d"
              % (where, text, ln.page, ln.row, pg, row))
        check(abs(ln.row_exact - ln.row) * PITCH <= 0.05,
              "%s: %r (size %.1f, baseline %.3f) is %.3f pt off its grid row"
              % (where, text, ln.size, ln.y, (ln.row_exact - ln.row) * PITCH))
        for c in start.split(","):
            if c == "center":
                mid = (ln.xmin + ln.xmax) / 2
                check(near(mid, (AREA_LEFT + AREA_RIGHT) / 2, 1.0),
                      "%s: %r is not centred (x %.2f..%.2f, middle %.2f, expected %.2f)"
                      % (where, text, ln.xmin, ln.xmax, mid, (AREA_LEFT + AREA_RIGHT) / 2))
            elif c.startswith("r"):
                x = AREA_RIGHT - float(c[1:]) * CELL
                check(near(ln.xmax, x, 0.5), "%s: %r ends at x %.2f, expected %.2f (%s characters from the right) ±0.5"
                      % (where, text, ln.xmax, x, c[1:]))
            else:
                x = AREA_LEFT + float(c) * CELL
                check(near(ln.xstart, x, 0.5), "%s: %r starts at x %.2f, expected %.2f (%s characters in) ±0.5"
                      % (where, text, ln.xstart, x, c))
    if FAILURES:
        print("lines read from the PDF:")
        for ln in got:
            print("  %d %d x %.2f..%.2f %s" % (ln.page, ln.row, ln.xmin, ln.xmax, ln.text))
    print("summary: %d pages, %d text lines read, %d expected; first line baseline %.3f (size %.0f)"
          % (len(pages), len(got), len(want), got[0].y if got else 0, got[0].size if got else 0))


def main(argv):
    if len(argv) >= 2 and argv[1] == "report" and len(argv) == 6:
        cmd_report(*argv[2:])
    elif len(argv) == 4 and argv[1] == "dump":
        cmd_dump(*argv[2:])
    elif len(argv) == 5 and argv[1] == "expect":
        cmd_expect(*argv[2:])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    if FAILURES:
        print("%d check(s) failed" % len(FAILURES))
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
