#!/usr/bin/env python3
"""Turn a gwpdf format-v1 report into the inputs of the peer engines (bench/peers.sh).

    bench/peers/extract.py REPORT.xml OUTDIR [--fonts FONTS.txt]

Writes, into OUTDIR:
  report.json  the report as printed, block by block, for bench/peers/report.typ
               (Typst reads it with json()), with the font family of each role;
  body.tex     the same blocks as macro calls, for bench/peers/report.tex (\\input);
  fonts.tex    the face file (directory, name, index) of each role, for fontspec/xeCJK;
  text.txt     every printed character, in order, without whitespace: what a PDF of the
               report must give back (bench/peers.sh compares it with pdftotext's);
  fonts/       symbolic links to the face files, the directory given to typst --font-path.

FONTS.txt is the output of `gwpdf fonts` (the first face listed for each role is the one
the role uses); without it, `gwpdf fonts` of build-bench/gwpdf is run.

The text is the text gwpdf prints: the source's whitespace rule (docs/format.md,
"Whitespace"), the generated numbers of headings and list items (一、 （一） 1. （1）, items
one level below their section, ① in a level-4 section), and no typed space beside a Han
character or a Chinese mark (gwpdf sets 2022 年 and 2022年 alike, with a quarter-cell gap
that the peers make with their own CJK-Latin spacing). Elements the peer templates do not
lay out (table, signature, format v2) are refused, so that a changed content file fails
here instead of being compared with text missing. Only the first face of each role is
handed to the peers, not gwpdf's fallback faces: a character that face lacks prints in
gwpdf from a fallback (bench/peers.sh's check then lists one face more for gwpdf) and in
the peers as a missing glyph; the real report needs none. Standard library only.
"""
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

ROLES = ("body", "title", "heading1", "heading2", "label", "pagenum", "latin")


def is_cjk(c):
    """docs/format.md, Whitespace: the code points next to which a line end is dropped."""
    o = ord(c)
    return (0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFE30 <= o <= 0xFE4F
            or 0xFF00 <= o <= 0xFFEF or 0x20000 <= o <= 0x3FFFF
            or c in "\u2014\u2018\u2019\u201c\u201d\u2026\u00b7")


def is_latin(c):
    """src/fonts/fonts.c latin_range: what gwpdf takes from the Latin face in body text."""
    o = ord(c)
    return c != "\u00b7" and (0x21 <= o <= 0x7E or 0xA0 <= o <= 0x24F)


def squeeze(runs):
    """Apply the whitespace rule to a list of (text, bold) runs of one block."""
    text = "".join(t for t, _ in runs)
    flags = []
    for t, b in runs:
        flags += [b] * len(t)
    out = []                                   # (char, bold)
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in " \t\r\n":
            j = i
            while j < n and text[j] in " \t\r\n":
                j += 1
            run = text[i:j]
            before = out[-1][0] if out else ""
            after = text[j] if j < n else ""
            if before and after:               # leading / trailing whitespace goes
                touches_cjk = is_cjk(before) or is_cjk(after)
                if ("\n" in run or "\r" in run) and touches_cjk:
                    pass                       # removed entirely
                elif touches_cjk:
                    pass                       # gwpdf: a space beside Han takes no room
                else:
                    out.append((" ", flags[i]))
            i = j
            continue
        out.append((c, flags[i]))
        i += 1
    merged = []
    for c, b in out:
        if merged and merged[-1][1] == b:
            merged[-1][0] += c
        else:
            merged.append([c, b])
    return [(t, b) for t, b in merged]


def inline(el, bold=False):
    """(text, bold) runs of an inline element; <br/> becomes '\\n' (a forced break)."""
    runs = []
    if el.text:
        runs.append((el.text, bold))
    for ch in el:
        if ch.tag == "b":
            runs += inline(ch, True)
        elif ch.tag == "br":
            runs.append(("\x00", bold))        # kept through squeeze, split on below
        else:
            sys.exit("extract.py: <%s> inside <%s> is not supported" % (ch.tag, el.tag))
        if ch.tail:
            runs.append((ch.tail, bold))
    return runs


def lines_of(runs):
    """Split squeezed runs at forced breaks: a list of lines, each a list of runs."""
    lines = [[]]
    for t, b in runs:
        parts = t.split("\x00")
        for k, part in enumerate(parts):
            if k:
                lines.append([])
            if part:
                lines[-1].append((part, b))
    return lines


def block_runs(el):
    runs = inline(el)
    # a break is not whitespace: squeeze each side on its own, as gwpdf does per line
    out = []
    for k, line in enumerate(lines_of(runs)):
        if k:
            out.append(("\x00", False))
        out += squeeze(line) if line else []
    return out


CN = "零一二三四五六七八九"


def cn_number(n):
    if n < 10:
        return CN[n]
    if n < 20:
        return "十" + (CN[n % 10] if n % 10 else "")
    if n < 100:
        return CN[n // 10] + "十" + (CN[n % 10] if n % 10 else "")
    sys.exit("extract.py: a level-1 number past 99")


def number(level, n):
    if level == 1:
        return cn_number(n) + "、"
    if level == 2:
        return "（" + cn_number(n) + "）"
    if level == 3:
        return "%d." % n
    if level == 4:
        return "（%d）" % n
    if level == 5:                             # list items in a level-4 section
        if n > 20:
            sys.exit("extract.py: more than 20 items in a level-4 list")
        return chr(0x2460 + n - 1)
    sys.exit("extract.py: level %d" % level)


class Extractor:
    def __init__(self):
        self.blocks = []

    def body(self, parent, level):
        count = 0
        for el in parent:
            if not isinstance(el.tag, str):    # comments
                continue
            if el.tag == "p":
                self.blocks.append({"k": "p", "runs": block_runs(el),
                                    "indent": el.get("indent", "2") != "0",
                                    "align": el.get("align", "justify")})
            elif el.tag == "section":
                lv = int(el.get("level", level + 1))
                h = el.find("heading")
                numbered = h.get("number") != "none"
                if numbered:
                    count += 1
                num = number(lv, count) if numbered else ""
                runs = squeeze(inline(h))
                if h.get("runin") == "true":
                    rest = [c for c in el if isinstance(c.tag, str) and c.tag != "heading"]
                    if not rest or rest[0].tag != "p":
                        sys.exit("extract.py: a run-in heading not followed by <p>")
                    self.blocks.append({"k": "runin", "level": lv, "num": num, "head": runs,
                                        "runs": block_runs(rest[0])})
                    self.body(rest[1:], lv)
                else:
                    self.blocks.append({"k": "h", "level": lv, "num": num, "runs": runs})
                    self.body([c for c in el if c is not h], lv)
            elif el.tag == "list":
                style = {0: 3, 1: 2, 2: 3, 3: 4, 4: 5}[level]   # docs/format.md, list
                for k, item in enumerate(el.findall("item"), 1):
                    self.blocks.append({"k": "item", "num": number(style, k),
                                        "runs": block_runs(item)})
            elif el.tag == "pagebreak":
                self.blocks.append({"k": "pagebreak"})
            elif el.tag == "heading":
                pass
            else:
                sys.exit("extract.py: <%s> is not supported by the peer templates" % el.tag)

    def report(self, root):
        if root.tag != "report" or root.get("version") != "1":
            sys.exit("extract.py: only <report version=\"1\"> is supported")
        attrs = set(root.keys()) - {"version", "profile"}
        if attrs:
            sys.exit("extract.py: <report %s> is not supported" % " ".join(sorted(attrs)))
        rest = []
        for el in root:
            if not isinstance(el.tag, str) or el.tag == "meta":
                continue
            if el.tag == "label":
                self.blocks.append({"k": "label", "runs": squeeze(inline(el))})
            elif el.tag == "title":
                lines = [squeeze(ln) for ln in lines_of(inline(el))]
                self.blocks.append({"k": "title", "lines": lines})
            elif el.tag == "subtitle":
                self.blocks.append({"k": "subtitle", "runs": squeeze(inline(el))})
            else:
                rest.append(el)
        self.body(rest, 0)


def parse_fonts(text):
    """role -> (path, index) from `gwpdf fonts`: the first face listed under each role."""
    fonts, role = {}, None
    for line in text.splitlines():
        m = re.match(r"^(\w+)\s+\S", line)
        if m and not line.startswith(" "):
            role = m.group(1)
            continue
        m = re.match(r"^\s+1\.\s+.*? \u2014 (.*):(\d+)\s*$", line)
        if m and role and role not in fonts:
            fonts[role] = (m.group(1), int(m.group(2)))
    missing = [r for r in ROLES if r not in fonts]
    if missing:
        sys.exit("extract.py: `gwpdf fonts` names no face for " + ", ".join(missing))
    return fonts


def fc_face(path, index):
    """(family, CSS weight, postscript name) of one face, from fc-scan."""
    out = subprocess.run(["fc-scan", "--format", "%{index}\t%{family[0]}\t%{weight}\t%{postscriptname}\n",
                          path], check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        idx, fam, w, ps = line.split("\t")
        if int(idx) == index:
            w = float(w)                        # fontconfig weight -> OpenType weight
            css = 100 if w <= 40 else 200 if w <= 50 else 300 if w <= 75 else 400 if w <= 80 \
                else 500 if w <= 100 else 600 if w <= 180 else 700 if w <= 200 else 800 if w <= 205 else 900
            return fam, css, ps
    sys.exit("extract.py: fc-scan finds no face %d in %s" % (index, path))


TEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&",
               "#": r"\#", "^": r"\^{}", "_": r"\_", "%": r"\%", "~": r"\textasciitilde{}"}


def is_han(c):
    o = ord(c)
    return (0x3040 <= o <= 0x30FF or 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF
            or 0x20000 <= o <= 0x3FFFF)


def no_gaps(t):
    """xeCJK puts its CJKecglue (the quarter cell) between Han and any Latin character;
    gwpdf only between Han and a Latin letter or digit, none beside punctuation
    (docs/linebreak.md). A Latin mark next to Han goes in a box, which xeCJK leaves alone."""
    out = []
    for i, c in enumerate(t):
        s = TEX_SPECIAL.get(c, c)
        if is_latin(c) and not c.isalnum() and (
                (i and is_han(t[i - 1])) or (i + 1 < len(t) and is_han(t[i + 1]))):
            s = r"\mbox{%s}" % s
        out.append(s)
    return "".join(out)


def tex(runs):
    out = []
    for t, b in runs:
        s = no_gaps(t).replace("\x00", r"\\")
        out.append(r"\textbf{%s}" % s if b else s)
    return "".join(out)


def pdf_string(runs):
    """Plain text of runs as the inside of a PDF string for an xdvipdfmx outline special,
    read by TeX inside \\detokenize: the characters TeX or PDF would act on, in octal."""
    t = "".join(r[0] for r in runs).replace("\x00", " ")
    return "".join("\\%03o" % ord(c) if c in "\\()%#{}^" else c for c in t)


def joined(num, runs):
    """The generated number and the text as one list of runs, so that no_gaps sees them
    side by side (1.提高: no gap after the number's full stop)."""
    if runs and not runs[0][1]:
        return [(num + runs[0][0], False)] + list(runs[1:])
    return [(num, False)] + list(runs)


def write_tex(blocks):
    out = ["% generated by bench/peers/extract.py from the report's XML: do not edit"]
    for b in blocks:
        k = b["k"]
        if k == "label":
            out.append(r"\gwlabel{%s}" % tex(b["runs"]))
        elif k == "title":
            out.append(r"\gwtitle{%s}{%s}" % (r"\\".join(tex(ln) for ln in b["lines"]),
                                               pdf_string([r for ln in b["lines"] for r in ln])))
        elif k == "subtitle":
            out.append(r"\gwsubtitle{%s}" % tex(b["runs"]))
        elif k == "h" and b["level"] <= 2:        # bookmarked, as gwpdf's
            runs = joined(b["num"], b["runs"])
            out.append(r"\gwh%s{%s}{%s}" % ("ab"[b["level"] - 1], tex(runs), pdf_string(runs)))
        elif k == "h":
            out.append(r"\gwh%s{%s}" % ("cd"[b["level"] - 3], tex(joined(b["num"], b["runs"]))))
        elif k == "runin":
            out.append(r"\gwrunin%s{%s}{%s}" % ("abcd"[b["level"] - 1],
                                                 tex(joined(b["num"], b["head"])), tex(b["runs"])))
        elif k == "item":
            out.append(r"\gwp{%s}" % tex(joined(b["num"], b["runs"])))
        elif k == "p":
            cmd = {"justify": r"\gwp", "center": r"\gwpc", "right": r"\gwpr"}[b["align"]]
            if not b["indent"] and b["align"] == "justify":
                cmd = r"\gwpn"
            out.append(r"%s{%s}" % (cmd, tex(b["runs"])))
        elif k == "pagebreak":
            out.append(r"\newpage")
    return "\n".join(out) + "\n"


def printed(blocks):
    s = []
    for b in blocks:
        if b["k"] == "title":
            s += [t for ln in b["lines"] for t, _ in ln]
        elif b["k"] == "runin":
            s += [b["num"]] + [t for t, _ in b["head"]] + [t for t, _ in b["runs"]]
        elif b["k"] in ("h", "item"):
            s += [b["num"]] + [t for t, _ in b["runs"]]
        elif "runs" in b:
            s += [t for t, _ in b["runs"]]
    return re.sub(r"[\s\x00]", "", "".join(s))


def main():
    args = sys.argv[1:]
    fonts_txt = None
    if "--fonts" in args:
        i = args.index("--fonts")
        fonts_txt = args[i + 1]
        del args[i:i + 2]
    if len(args) != 2:
        sys.exit(__doc__)
    src, outdir = args
    ex = Extractor()
    ex.report(ET.parse(src).getroot())
    if fonts_txt:
        with open(fonts_txt, encoding="utf-8") as f:
            ftext = f.read()
    else:
        ftext = subprocess.run(["build-bench/gwpdf", "fonts"], check=True, capture_output=True,
                               text=True).stdout
    fonts = parse_fonts(ftext)

    os.makedirs(os.path.join(outdir, "fonts"), exist_ok=True)
    fdir = os.path.join(outdir, "fonts")
    for name in os.listdir(fdir):
        os.unlink(os.path.join(fdir, name))
    faces, texf = {}, ["% generated by bench/peers/extract.py from `gwpdf fonts`: do not edit"]
    for role in ROLES:
        path, index = fonts[role]
        fam, weight, ps = fc_face(path, index)
        faces[role] = {"family": fam, "weight": weight, "file": path, "index": index,
                       "postscript": ps}
        link = os.path.join(fdir, os.path.basename(path))
        if not os.path.lexists(link):
            os.symlink(os.path.abspath(path), link)
        d, base = os.path.split(os.path.abspath(path))
        opts = "FontIndex=%d" % index if base.lower().endswith((".ttc", ".otc")) else ""
        texf.append(r"\gwface{%s}{%s/}{%s}{%s}" % (role, d, base, opts))

    with open(os.path.join(outdir, "report.json"), "w", encoding="utf-8") as f:
        json.dump({"source": os.path.abspath(src), "fonts": faces,
                   "blocks": [{k: ([[t.replace("\x00", "\n"), bb] for t, bb in v]
                                   if k in ("runs", "head") else
                                   [[[t, bb] for t, bb in ln] for ln in v] if k == "lines" else v)
                               for k, v in b.items()} for b in ex.blocks]},
                  f, ensure_ascii=False, indent=0)
    with open(os.path.join(outdir, "body.tex"), "w", encoding="utf-8") as f:
        f.write(write_tex(ex.blocks))
    with open(os.path.join(outdir, "fonts.tex"), "w", encoding="utf-8") as f:
        f.write("\n".join(texf) + "\n")
    with open(os.path.join(outdir, "text.txt"), "w", encoding="utf-8") as f:
        f.write(printed(ex.blocks) + "\n")


if __name__ == "__main__":
    main()
