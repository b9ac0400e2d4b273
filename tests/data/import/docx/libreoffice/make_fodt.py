#!/usr/bin/env python3
"""Writes a gwpdf source (format v1) as the flat OpenDocument text (.fodt) a clerk
would have typed in LibreOffice Writer, so that LibreOffice itself saves it as the
.docx the import tests read (regenerate.sh).  Used only to make those fixtures.

What a clerk does, and what this writes:
  - headings on Writer's "Heading 1-4" styles, numbered by the outline numbering
    (Tools > Heading Numbering) 一、 （一） 1. （1）; or, with --lists, numbered by
    a list style of those formats on ordinary paragraphs (how many templates do it);
  - a run-in heading (runin="true") as a numbered paragraph holding the heading and
    the text that follows it;
  - list items on a numbered list 1. 2. 3.;
  - bold as a bold character style span, <br/> as a line break;
  - <pagebreak/> as a paragraph style that breaks before;
  - tables with header rows repeated, cells spanned across and down, column widths;
    a landscape table on a landscape page style, the text after it back on portrait;
  - the signature's lines right-aligned, the date written out (2024年1月9日), and
    its seal as a picture floating over them, anchored in the date's paragraph;
  - with --frame, the label and the title in a text frame at the top (a template's
    版头 box).

A format-v2 <document> is typed as a whole 公文: its 版头 lines (in the frame with
--frame), title, 主送, body, the 附件说明 a clerk types from the attachments, 落款,
附注, each attachment on a new page under its label (附件1 …), the document it
issues on a new page without one, and the 版记's 抄送 and 印发 lines at the end.

Usage: make_fodt.py [--lists] [--frame] SOURCE.xml OUT.fodt
"""
import base64
import os
import sys
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
      'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
      'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"')

CN = '一, 二, 三, ...'
# (format, prefix, suffix) of levels 1-4, as GB/T 9704 numbers them.
LEVELS = [(CN, '', '、'), (CN, '（', '）'), ('1', '', '.'), ('1', '（', '）')]
BOLD = ('fo:font-weight="bold" style:font-weight-asian="bold" '
        'style:font-weight-complex="bold"')


def number_levels(element, levels):
    out = []
    for i, (fmt, pre, suf) in enumerate(levels, 1):
        attrs = f'text:level="{i}" style:num-format="{fmt}"'
        if pre:
            attrs += f' style:num-prefix="{pre}"'
        attrs += f' style:num-suffix="{suf}"'
        out.append(f'<{element} {attrs}/>')
    return ''.join(out)


def styles(lists):
    headings = ''.join(
        f'<style:style style:name="Heading_20_{i}" style:display-name="Heading {i}" '
        f'style:family="paragraph" style:default-outline-level="{i}">'
        f'<style:text-properties {BOLD}/></style:style>' for i in range(1, 5))
    outline = '' if lists else (
        '<text:outline-style style:name="Outline">'
        + number_levels('text:outline-level-style', LEVELS) + '</text:outline-style>')
    return ('<office:styles>'
            '<style:style style:name="Standard" style:family="paragraph"/>'
            '<style:style style:name="Strong_20_Emphasis" style:display-name="Strong Emphasis" '
            f'style:family="text"><style:text-properties {BOLD}/></style:style>'
            + headings + outline + '</office:styles>')


def automatic_styles(columns):
    return ('<office:automatic-styles>' + columns +
            '<style:style style:name="Body" style:family="paragraph" style:parent-style-name="Standard">'
            '<style:paragraph-properties fo:text-indent="0.5in"/></style:style>'
            '<style:style style:name="BodyBreak" style:family="paragraph" style:parent-style-name="Standard">'
            '<style:paragraph-properties fo:text-indent="0.5in" fo:break-before="page"/></style:style>'
            '<style:style style:name="BodyPortrait" style:family="paragraph" style:parent-style-name="Standard" '
            'style:master-page-name="Standard"/>'
            '<style:style style:name="Centre" style:family="paragraph" style:parent-style-name="Standard">'
            f'<style:paragraph-properties fo:text-align="center"/><style:text-properties {BOLD} '
            'fo:font-size="22pt" style:font-size-asian="22pt"/></style:style>'
            '<style:style style:name="Right" style:family="paragraph" style:parent-style-name="Standard">'
            '<style:paragraph-properties fo:text-align="end"/></style:style>'
            '<style:style style:name="Table" style:family="table">'
            '<style:table-properties style:width="6.3in" table:align="margins"/></style:style>'
            '<style:style style:name="TableLandscape" style:family="table" style:master-page-name="Landscape">'
            '<style:table-properties style:width="9.7in" table:align="margins"/></style:style>'
            '<style:style style:name="Seal" style:family="graphic">'
            '<style:graphic-properties style:wrap="run-through" style:run-through="foreground" '
            'style:vertical-pos="from-top" style:horizontal-pos="from-left"/></style:style>'
            '<style:style style:name="Frame" style:family="graphic">'
            '<style:graphic-properties style:wrap="none" style:vertical-pos="top" '
            'style:horizontal-pos="center"/></style:style>'
            + ''.join(f'<text:list-style style:name="Items{i + 1}">'
                      + number_levels('text:list-level-style-number', LEVELS[i:i + 1])
                      + '</text:list-style>' for i in range(4)) +
            '<text:list-style style:name="Chinese">'
            + number_levels('text:list-level-style-number', LEVELS) + '</text:list-style>'
            '<style:page-layout style:name="PortraitLayout"><style:page-layout-properties '
            'fo:page-width="8.2681in" fo:page-height="11.6929in" style:print-orientation="portrait" '
            'fo:margin-top="1in" fo:margin-bottom="1in" fo:margin-left="1in" fo:margin-right="1in"/>'
            '</style:page-layout>'
            '<style:page-layout style:name="LandscapeLayout"><style:page-layout-properties '
            'fo:page-width="11.6929in" fo:page-height="8.2681in" style:print-orientation="landscape" '
            'fo:margin-top="1in" fo:margin-bottom="1in" fo:margin-left="1in" fo:margin-right="1in"/>'
            '</style:page-layout>'
            '</office:automatic-styles>'
            '<office:master-styles>'
            '<style:master-page style:name="Standard" style:page-layout-name="PortraitLayout"/>'
            '<style:master-page style:name="Landscape" style:page-layout-name="LandscapeLayout"/>'
            '</office:master-styles>')


def characters(s, at_start):
    """Text as ODF keeps it: a space at the start or after a space is text:s."""
    out = []
    prev_space = at_start
    for ch in s:
        if ch == ' ':
            out.append('<text:s/>' if prev_space else ' ')
            prev_space = True
        elif ch == '\t':
            out.append('<text:tab/>')
            prev_space = False
        elif ch == '\n':
            continue
        else:
            out.append(escape(ch))
            prev_space = False
    return ''.join(out)


def inline(e):
    """The mixed content of a paragraph-like element: text, <b>, <br/>."""
    out = [characters(e.text or '', True)]
    for c in e:
        if c.tag == 'b':
            out.append('<text:span text:style-name="Strong_20_Emphasis">' + inline(c) + '</text:span>')
        elif c.tag == 'br':
            out.append('<text:line-break/>')
        else:
            raise SystemExit(f'make_fodt: <{c.tag}> in a paragraph is not written')
        out.append(characters(c.tail or '', False))
    return ''.join(out)


def chinese_date(iso):
    y, m, d = iso.split('-')
    return f'{int(y)}年{int(m)}月{int(d)}日'


class Writer:
    def __init__(self, lists, frame, folder):
        self.lists = lists
        self.frame = frame
        self.folder = folder
        self.out = []
        self.page_break = False
        self.back_to_portrait = False
        self.chinese_lists = 0
        self.column_styles = []

    def para_style(self):
        if self.back_to_portrait:
            self.back_to_portrait = False
            return 'BodyPortrait'
        if self.page_break:
            self.page_break = False
            return 'BodyBreak'
        return 'Body'

    def heading(self, level, content):
        if self.page_break:
            raise SystemExit('make_fodt: a page break before a heading is not written')
        if self.lists:
            # One list of one item a heading, at its level, continuing the first
            # (text:continue-list: the lists between them are other lists).
            nest_open = '<text:list><text:list-item>' * (level - 1)
            nest_close = '</text:list-item></text:list>' * (level - 1)
            if self.chinese_lists == 0:
                ident = 'xml:id="chinese0"'
            else:
                ident = f'xml:id="chinese{self.chinese_lists}" text:continue-list="chinese0"'
            self.chinese_lists += 1
            self.out.append(f'<text:list text:style-name="Chinese" {ident}>'
                            '<text:list-item>' + nest_open
                            + f'<text:p text:style-name="{self.para_style()}">{content}</text:p>'
                            + nest_close + '</text:list-item></text:list>')
        else:
            self.out.append(f'<text:h text:style-name="Heading_20_{level}" '
                            f'text:outline-level="{level}">{content}</text:h>')

    def section(self, sec, level):
        children = list(sec)
        i = 0
        while i < len(children):
            c = children[i]
            if c.tag == 'heading':
                content = inline(c)
                if c.get('runin') == 'true' and i + 1 < len(children) and children[i + 1].tag == 'p':
                    content += inline(children[i + 1])
                    i += 1
                self.heading(level, content)
            else:
                self.block(c, level)
            i += 1

    def block(self, c, level):
        if c.tag == 'section':
            self.section(c, level + 1)
        elif c.tag == 'p':
            self.out.append(f'<text:p text:style-name="{self.para_style()}">{inline(c)}</text:p>')
        elif c.tag == 'list':
            # Numbered as format v1 prints a list: one level below its section's.
            items = ''.join(f'<text:list-item><text:p text:style-name="{self.para_style()}">'
                            f'{inline(it)}</text:p></text:list-item>' for it in c)
            self.out.append(f'<text:list text:style-name="Items{min(level, 3) + 1}">{items}</text:list>')
        elif c.tag == 'pagebreak':
            self.page_break = True
        elif c.tag == 'table':
            self.table(c)
        else:
            raise SystemExit(f'make_fodt: <{c.tag}> is not written')

    def table(self, t):
        landscape = t.get('orient') == 'landscape'
        cols = [c.get('width', '1*').rstrip('*') for c in t.findall('col')]
        rows_head = [r for h in t.findall('thead') for r in h.findall('tr')]
        rows_body = [r for b in t.findall('tbody') for r in b.findall('tr')]
        n = len(cols) or max(sum(int(c.get('colspan', '1')) for c in r) for r in rows_head + rows_body)
        grid = self.grid(rows_head + rows_body, n)
        total = sum(int(w) for w in cols) if cols else n
        out = ['<table:table table:name="Table%d" table:style-name="%s">'
               % (len(self.out), 'TableLandscape' if landscape else 'Table')]
        table_width = 9.7 if landscape else 6.3
        for k in range(n):
            width = int(cols[k]) if cols else 1
            style = f'T{len(self.out)}C{k}'
            self.column_styles.append(
                f'<style:style style:name="{style}" style:family="table-column">'
                f'<style:table-column-properties style:column-width="{table_width * width / total:.4f}in" '
                f'style:rel-width="{width * 65535 // total}*"/></style:style>')
            out.append(f'<table:table-column table:style-name="{style}"/>')
        if rows_head:
            out.append('<table:table-header-rows>')
            out.extend(self.row(grid[i]) for i in range(len(rows_head)))
            out.append('</table:table-header-rows>')
        out.extend(self.row(grid[i]) for i in range(len(rows_head), len(grid)))
        out.append('</table:table>')
        self.out.append(''.join(out))
        if landscape:
            self.back_to_portrait = True

    def picture(self, src):
        """A PNG floating over the paragraph it is anchored in, 42 mm wide, as a
        seal is placed by hand in Writer."""
        data = open(os.path.join(self.folder, src), 'rb').read()
        return ('<draw:frame draw:style-name="Seal" draw:name="Seal" text:anchor-type="paragraph" '
                'svg:x="1.5in" svg:y="-0.6in" svg:width="42mm" svg:height="42mm" draw:z-index="1">'
                '<draw:image><office:binary-data>' + base64.b64encode(data).decode() +
                '</office:binary-data></draw:image></draw:frame>')

    @staticmethod
    def grid(rows, n):
        """Each row as n slots: a cell, or None where a span covers it."""
        grid = [[False] * n for _ in rows]
        for r, row in enumerate(rows):
            k = 0
            for cell in row:
                while grid[r][k] is not False:
                    k += 1
                cs, rs = int(cell.get('colspan', '1')), int(cell.get('rowspan', '1'))
                for dr in range(rs):
                    for dc in range(cs):
                        grid[r + dr][k + dc] = None
                grid[r][k] = cell
                k += cs
        return grid

    def row(self, slots):
        out = ['<table:table-row>']
        for cell in slots:
            if cell is None:
                out.append('<table:covered-table-cell/>')
                continue
            attrs = ''
            if cell.get('colspan'):
                attrs += f' table:number-columns-spanned="{cell.get("colspan")}"'
            if cell.get('rowspan'):
                attrs += f' table:number-rows-spanned="{cell.get("rowspan")}"'
            ps = cell.findall('p')
            body = (''.join(f'<text:p>{inline(p)}</text:p>' for p in ps) if ps
                    else f'<text:p>{inline(cell)}</text:p>')
            out.append(f'<table:table-cell office:value-type="string"{attrs}>{body}</table:table-cell>')
        out.append('</table:table-row>')
        return ''.join(out)

    def para(self, style, text):
        self.out.append(f'<text:p text:style-name="{style}">{text}</text:p>')

    def signature(self, sig):
        seals = sig.findall('seal')
        for e in sig:
            if e.tag == 'seal':
                continue
            text = chinese_date(e.text) if e.tag == 'date' else inline(e)
            if e.tag == 'date':
                text += ''.join(self.picture(seal.get('src')) for seal in seals)
            self.para('Right', text)

    def listed(self, attachments):
        """The 附件说明 a clerk types: 附件：1.name, then 2.name … (one: no number)."""
        names = [a.get('name') or ''.join(a.find('title').itertext())
                 for a in attachments if a.get('role') != 'issued']
        for k, name in enumerate(names):
            number = f'{k + 1}.' if len(names) > 1 else ''
            self.para('Body', ('附件：' if k == 0 else '') + characters(number + name, False))

    def part(self, el, label):
        """An attachment or issued document: on a new page, its label, title, body,
        落款, 附注 and attachments of its own."""
        self.page_break = True
        if label:
            self.para(self.para_style(), characters(label, True))
        title = el.find('title')
        self.para('Centre' if label else self.para_style(), inline(title))
        self.parts_body(el)

    def parts_body(self, el):
        attachments = el.findall('attachment')
        for c in el:
            if c.tag in ('label', 'title', 'header', 'attachment', 'signature', 'note', 'record'):
                continue
            if c.tag == 'to':
                self.para('Standard', inline(c))
            elif c.tag == 'subtitle':
                self.para('Centre', inline(c))
            else:
                self.block(c, 0)
        self.listed(attachments)
        if el.find('signature') is not None:
            self.signature(el.find('signature'))
        if el.find('note') is not None:
            self.para('Body', '（' + inline(el.find('note')) + '）')
        listed = [a for a in attachments if a.get('role') != 'issued']
        for a in attachments:
            if a.get('bound') == 'false':
                continue
            label = None
            if a.get('role') != 'issued':
                label = '附件' + (str(listed.index(a) + 1) if len(listed) > 1 else '')
            self.part(a, label)

    def gongwen(self, root):
        """A format-v2 document as a clerk types it in Writer: the 版头 lines (in a
        text frame with --frame), the title, 主送, body, 附件说明, 落款, 附注, each
        attachment on a new page, the 版记 lines at the end."""
        top = []
        header = root.find('header')
        for e in header if header is not None else []:
            text = inline(e)
            if e.tag == 'secrecy' and e.get('period'):
                text += characters('★' + e.get('period'), False)
            if e.tag == 'signer':
                continue
            if e.tag == 'issuer-mark':
                text += characters(header.get('suffix', ''), False)   # 某某区财政局文件
            top.append((e.tag, text))
        signers = [inline(e) for e in (header.findall('signer') if header is not None else [])]
        if signers:
            top.append(('signer', '签发人：' + ' '.join(signers)))
        lines = [f'<text:p text:style-name="{"Centre" if tag == "doc-number" else "Standard"}">'
                 f'{text}</text:p>' for tag, text in top]
        self.top(lines)
        self.para('Centre', inline(root.find('title')))
        self.parts_body(root)
        record = root.find('record')
        if record is not None:
            if record.find('cc') is not None:
                self.para('Standard', '抄送：' + inline(record.find('cc')))
            d = record.find('distributor')
            if d is not None:
                self.para('Standard', inline(d.find('name')) + '<text:s text:c="6"/>'
                          + chinese_date(d.find('date').text) + '印发')
        return self.finish()

    def top(self, paragraphs):
        """The first paragraphs: in a text frame at the top with --frame (the box a
        template keeps its 版头 or title in), else as they are."""
        if self.frame and paragraphs:
            self.out.append('<text:p text:style-name="Standard"><draw:frame draw:style-name="Frame" '
                            'draw:name="Header" text:anchor-type="paragraph" svg:width="6.3in" '
                            'draw:z-index="0"><draw:text-box fo:min-height="1in">'
                            + ''.join(paragraphs) + '</draw:text-box></draw:frame></text:p>')
        else:
            self.out.extend(paragraphs)

    def finish(self):
        return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                f'<office:document {NS} office:version="1.3" '
                'office:mimetype="application/vnd.oasis.opendocument.text">'
                + styles(self.lists) + automatic_styles(''.join(self.column_styles))
                + '<office:body><office:text>\n' + '\n'.join(self.out)
                + '\n</office:text></office:body></office:document>\n')

    def document(self, root):
        if root.tag == 'document':
            return self.gongwen(root)
        top = []
        label = root.find('label')
        title = root.find('title')
        if label is not None:
            top.append(f'<text:p text:style-name="Standard">{inline(label)}</text:p>')
        if title is not None:
            top.append(f'<text:p text:style-name="Centre">{inline(title)}</text:p>')
        self.top(top)
        for c in root:
            if c.tag in ('label', 'title'):
                continue
            if c.tag == 'signature':
                self.signature(c)
            else:
                self.block(c, 0)
        return self.finish()


def main(argv):
    flags = [a for a in argv if a.startswith('--')]
    paths = [a for a in argv if not a.startswith('--')]
    if len(paths) != 2 or set(flags) - {'--lists', '--frame'}:
        raise SystemExit(__doc__)
    root = ET.parse(paths[0]).getroot()
    text = Writer('--lists' in flags, '--frame' in flags,
                  os.path.dirname(os.path.abspath(paths[0]))).document(root)
    with open(paths[1], 'w', encoding='utf-8') as f:
        f.write(text)


if __name__ == '__main__':
    main(sys.argv[1:])
