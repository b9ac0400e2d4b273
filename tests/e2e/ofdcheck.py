#!/usr/bin/python3
"""An OFD package of gwpdf measured against the PDF of the same source (issue 17).

    /usr/bin/python3 ofdcheck.py PDF PACKAGE_DIR OFDJS.json [--schemas DIR]

PACKAGE_DIR is the OFD unzipped; OFDJS.json what tests/browser/ofdread.js wrote when the
independent reader ofd.js 0.2.6 drew the package in Chromium (positions in mm from the
page's top-left, y the baseline).  Needs Debian's python3-pdfminer (/usr/bin/python3),
pdftotext and fc-query.  Prints each measurement; exit 0 when every check passed, 1 when
one failed, 2 on bad usage.

The package itself:
  * every XML part is well-formed and, with --schemas, valid against the GB/T 33190 schema
    of its kind (OFD.xsd, Document.xsd, Res.xsd, Page.xsd) — xmllint;
  * the IDs of all parts are unique, at most MaxUnitID, and every reference (Font,
    ResourceID, PageID) names one;
  * every embedded font opens with FreeType (fc-query) and its charset covers each
    character the TextObjects set in it;
  * DocInfo's Title, Author and Subject are the PDF's; the outline's titles and nesting are
    the PDF's bookmarks'.
What ofd.js drew, against the PDF read back with pdfminer (no layout analysis: objects in
content-stream order):
  * no parse or render error, as many pages as the PDF;
  * page by page, the text equals pdftotext -raw's, white space aside;
  * glyph by glyph, the same character at the same origin within 0.5 mm (pdfminer: the
    glyph's text matrix, e and f; a landscape page's turned glyphs too), red exactly where
    the PDF's glyph is red;
  * each seal drawn in the box the PDF draws it in, within 0.5 mm.
"""
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pdfminer.layout import LTChar, LTFigure, LTImage  # noqa: E402
from pdfminer.pdfdocument import PDFDocument  # noqa: E402
from pdfminer.pdfparser import PDFParser  # noqa: E402
from pdfpages import pages as pdf_pages  # noqa: E402

NS = '{http://www.ofdspec.org/2016}'
PT = 25.4 / 72
TOLERANCE = 0.5      # mm
RED = '#e81f1a'
FAILS = []


def fail(msg):
    FAILS.append(msg)
    print('FAIL:', msg)


def parse(path):
    try:
        return ET.parse(path).getroot()
    except (ET.ParseError, OSError) as e:
        fail(f'{path}: not well-formed XML: {e}')
        return None


# ------------------------------------------------------------------------------------
# The package

def package_parts(root):
    ofd = parse(os.path.join(root, 'OFD.xml'))
    if ofd is None:
        return None
    doc_loc = ofd.find(f'{NS}DocBody/{NS}DocRoot').text
    doc_dir = os.path.dirname(os.path.join(root, doc_loc))
    document = parse(os.path.join(root, doc_loc))
    cd = document.find(f'{NS}CommonData')
    parts = {'ofd': (os.path.join(root, 'OFD.xml'), ofd),
             'document': (os.path.join(root, doc_loc), document), 'res': [], 'pages': []}
    for tag in ('PublicRes', 'DocumentRes'):
        for loc in cd.findall(f'{NS}{tag}'):
            path = os.path.join(doc_dir, loc.text)
            parts['res'].append((path, parse(path)))
    for page in document.find(f'{NS}Pages').findall(f'{NS}Page'):
        path = os.path.join(doc_dir, page.get('BaseLoc'))
        parts['pages'].append((page.get('ID'), path, parse(path)))
    parts['max_id'] = int(cd.find(f'{NS}MaxUnitID').text)
    return parts


def check_schemas(parts, schemas):
    if not schemas:
        print('schemas: not checked (no schema directory given)')
        return
    jobs = [('OFD.xsd', parts['ofd'][0]), ('Document.xsd', parts['document'][0])]
    jobs += [('Res.xsd', p) for p, _ in parts['res']]
    jobs += [('Page.xsd', p) for _, p, _ in parts['pages']]
    bad = 0
    for xsd, path in jobs:
        r = subprocess.run(['xmllint', '--noout', '--schema', os.path.join(schemas, xsd), path],
                           capture_output=True, text=True)
        if r.returncode != 0:
            bad += 1
            fail(f'{os.path.basename(path)} is not valid against {xsd}: {r.stderr.strip()[:400]}')
    print(f'schemas: {len(jobs) - bad} of {len(jobs)} parts valid')


def check_ids(parts):
    trees = [parts['document'][1]] + [t for _, t in parts['res']] + [t for _, _, t in parts['pages']]
    ids, refs = {}, []
    for t in trees:
        for el in t.iter():
            if el.get('ID') is not None:
                i = int(el.get('ID'))
                if i in ids:
                    fail(f'ID {i} used twice ({ids[i]} and {el.tag})')
                ids[i] = el.tag
            for attr in ('Font', 'ResourceID', 'PageID'):
                if el.get(attr) is not None:
                    refs.append((attr, int(el.get(attr))))
    over = [i for i in ids if i > parts['max_id'] or i < 1]
    if over:
        fail(f'IDs outside 1..MaxUnitID={parts["max_id"]}: {over[:5]}')
    dangling = [(a, r) for a, r in refs if r not in ids]
    if dangling:
        fail(f'references to no ID: {dangling[:5]}')
    print(f'ids: {len(ids)} unique, max {max(ids) if ids else 0} <= MaxUnitID {parts["max_id"]}, '
          f'{len(refs)} references resolved')


def font_charset(path):
    r = subprocess.run(['fc-query', '--format', '%{charset}\n', path], capture_output=True, text=True)
    if r.returncode != 0 or not r.stdout.strip():
        return None
    cover = set()
    for rng in r.stdout.split():
        a, _, b = rng.partition('-')
        cover.update(range(int(a, 16), int(b or a, 16) + 1))
    return cover


def check_fonts(parts):
    fonts = {}
    for path, res in parts['res']:
        base = os.path.join(os.path.dirname(path), res.get('BaseLoc'))
        for f in res.iter(f'{NS}Font'):
            file = f.find(f'{NS}FontFile')
            if file is None:
                fail(f'font {f.get("ID")} ({f.get("FontName")}) is not embedded')
                continue
            fonts[f.get('ID')] = (f.get('FamilyName'), os.path.join(base, file.text))
    used = {}
    for _, _, page in parts['pages']:
        for t in page.iter(f'{NS}TextObject'):
            s = used.setdefault(t.get('Font'), set())
            for code in t.iter(f'{NS}TextCode'):
                s.update(ord(c) for c in (code.text or ''))
    for fid, chars in sorted(used.items()):
        if fid not in fonts:
            fail(f'TextObjects use font {fid}, which PublicRes does not list')
            continue
        family, path = fonts[fid]
        cover = font_charset(path)
        if cover is None:
            fail(f'font {fid} ({family}): {path} does not open with FreeType (fc-query)')
            continue
        missing = sorted(chars - cover)
        if missing:
            fail(f'font {fid} ({family}) lacks {len(missing)} of the characters set in it: '
                 + ' '.join(f'U+{c:04X}' for c in missing[:8]))
        else:
            print(f'font {fid} {family}: {os.path.getsize(path)} bytes, covers all {len(chars)} '
                  'characters set in it')


def pdf_info(pdf):
    with open(pdf, 'rb') as f:
        doc = PDFDocument(PDFParser(f))
        info = doc.info[0] if doc.info else {}

        def text(v):
            v = getattr(v, 'resolve', lambda: v)()
            if isinstance(v, bytes):
                return v[2:].decode('utf-16-be') if v[:2] == b'\xfe\xff' else v.decode('latin-1')
            return v
        meta = {k: text(info[k]) for k in ('Title', 'Author', 'Subject') if k in info}
        marks = []
        try:
            marks = [(level, title if isinstance(title, str) else text(title))
                     for level, title, *_ in doc.get_outlines()]
        except Exception:          # no outline
            pass
    return meta, marks


def check_info_and_outline(parts, pdf):
    meta, marks = pdf_info(pdf)
    info = parts['ofd'][1].find(f'{NS}DocBody/{NS}DocInfo')
    for k, v in meta.items():
        got = info.find(f'{NS}{k}')
        if got is None or got.text != v:
            fail(f'DocInfo {k} is {got.text if got is not None else None!r}, the PDF says {v!r}')
    for k in ('DocID', 'CreationDate', 'ModDate', 'Creator'):
        if info.find(f'{NS}{k}') is None:
            fail(f'DocInfo has no {k}')
    ofd_marks = []

    def walk(el, depth):
        for e in el.findall(f'{NS}OutlineElem'):
            ofd_marks.append((depth, e.get('Title')))
            walk(e, depth + 1)
    outlines = parts['document'][1].find(f'{NS}Outlines')
    if outlines is not None:
        walk(outlines, 1)
    if ofd_marks != marks:
        fail(f'outline differs from the PDF bookmarks: OFD {ofd_marks[:4]}… PDF {marks[:4]}…')
    print(f'docinfo: {", ".join(meta)} as in the PDF; outline: {len(ofd_marks)} entries, '
          f'titles and nesting as the PDF\'s')


# ------------------------------------------------------------------------------------
# What ofd.js drew

def pdf_glyphs(pdf):
    """Per page: [(char, x mm, y mm, red)], [(x, y, w, h) of each image], page height."""
    out = []
    for layout, _ in pdf_pages(pdf):
        h = layout.height
        glyphs, images = [], []

        def walk(objs):
            for o in objs:
                if isinstance(o, LTFigure):
                    walk(o)
                elif isinstance(o, LTChar) and o.get_text().strip():
                    c = getattr(o.graphicstate, 'ncolor', None)
                    red = isinstance(c, (list, tuple)) and len(c) == 3 and \
                        '#%02x%02x%02x' % tuple(round(v * 255) for v in c) == RED
                    glyphs.append((o.get_text(), o.matrix[4] * PT, (h - o.matrix[5]) * PT, red))
                elif isinstance(o, LTImage):
                    images.append((o.x0 * PT, (h - o.y1) * PT, o.width * PT, o.height * PT))
        walk(layout)
        out.append((glyphs, images))
    return out


def ofd_glyphs(page):
    """The characters ofd.js drew, a character beyond the BMP (two UTF-16 halves at one
    origin) joined again."""
    out = []
    for t in page['texts']:
        ch = t['text']
        if out and len(ch) == 1 and '\udc00' <= ch <= '\udfff' and '\ud800' <= out[-1][0][-1] <= '\udbff':
            out[-1] = (out[-1][0] + ch,) + out[-1][1:]
            continue
        out.append((ch, t['x'], t['y'], t['fill'] == RED))
    return [(c.encode('utf-16', 'surrogatepass').decode('utf-16'), x, y, r)
            for c, x, y, r in out if c.strip()]


def pdftotext_pages(pdf, n):
    r = subprocess.run(['pdftotext', '-raw', pdf, '-'], capture_output=True, text=True, check=True)
    pages = r.stdout.split('\f')
    return [re.sub(r'\s', '', p) for p in pages[:n]]


def check_rendering(pdf, js):
    if js['errors']:
        fail(f'ofd.js reported errors: {js["errors"][:3]}')
    want = pdf_glyphs(pdf)
    got = js['pages']
    if len(got) != len(want):
        fail(f'ofd.js drew {len(got)} pages, the PDF has {len(want)}')
    texts = pdftotext_pages(pdf, len(want))
    worst, n_glyphs, n_red, n_images = 0.0, 0, 0, 0
    for no, (page, (pg, pimg), text) in enumerate(zip(got, want, texts), 1):
        og = ofd_glyphs(page)
        drawn = ''.join(c for c, *_ in og)
        if drawn != text:
            k = next((i for i, (a, b) in enumerate(zip(drawn, text)) if a != b), min(len(drawn), len(text)))
            fail(f'page {no}: the text ofd.js drew differs from pdftotext -raw at character {k}: '
                 f'…{drawn[max(0, k - 10):k + 10]}… vs …{text[max(0, k - 10):k + 10]}…')
        if len(og) != len(pg):
            fail(f'page {no}: ofd.js drew {len(og)} glyphs, the PDF {len(pg)}')
        for (c1, x1, y1, r1), (c2, x2, y2, r2) in zip(og, pg):
            d = max(abs(x1 - x2), abs(y1 - y2))
            worst = max(worst, d)
            if c1 != c2 or d > TOLERANCE:
                fail(f'page {no}: {c1!r} drawn at ({x1:.3f}, {y1:.3f}) mm, the PDF has {c2!r} at '
                     f'({x2:.3f}, {y2:.3f})')
                break
            if r1 != r2:
                fail(f'page {no}: {c1!r} is {"red" if r1 else "not red"} in ofd.js, '
                     f'{"red" if r2 else "not red"} in the PDF')
                break
            n_red += r1
        n_glyphs += len(og)
        oimg = [i.get('drawn') or i for i in page['images']]
        if len(oimg) != len(pimg):
            fail(f'page {no}: ofd.js drew {len(oimg)} images, the PDF {len(pimg)}')
        for a, b in zip(oimg, pimg):
            d = max(abs(a['x'] - b[0]), abs(a['y'] - b[1]), abs(a['w'] - b[2]), abs(a['h'] - b[3]))
            worst_img = d
            if d > TOLERANCE:
                fail(f'page {no}: a seal drawn at ({a["x"]:.2f}, {a["y"]:.2f}, {a["w"]:.2f}, '
                     f'{a["h"]:.2f}) mm, the PDF at ({b[0]:.2f}, {b[1]:.2f}, {b[2]:.2f}, {b[3]:.2f})')
            else:
                print(f'page {no}: seal within {worst_img:.3f} mm of the PDF\'s')
            n_images += 1
    print(f'ofd.js: {len(got)} pages, {n_glyphs} glyphs ({n_red} red) as in the PDF, largest '
          f'offset {worst:.4f} mm; {n_images} seals; text equal to pdftotext -raw page by page')


def main(argv):
    args = argv[1:]
    schemas = None
    if '--schemas' in args:
        i = args.index('--schemas')
        schemas = args[i + 1]
        del args[i:i + 2]
    if len(args) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    pdf, root, js_path = args
    parts = package_parts(root)
    if parts is None:
        return 1
    check_schemas(parts, schemas)
    check_ids(parts)
    check_fonts(parts)
    check_info_and_outline(parts, pdf)
    with open(js_path, encoding='utf-8') as f:
        check_rendering(pdf, json.load(f))
    return 1 if FAILS else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
