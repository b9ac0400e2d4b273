#!/usr/bin/python3
"""Writes the .docx test packages of tests/e2e/docx.sh into a directory (standard library only).

    make_docx.py DIR [--fuzz-seeds]

(--fuzz-seeds: in the form tests/fuzz/fuzz_docx.c reads, for scripts/fuzz.sh --docx.)

Each package is WordprocessingML written by hand, so every case is exact: the Word features
the import reads (automatic numbering in Chinese and Arabic formats, heading styles through
basedOn, fields, tracked changes, breaks, symbols, hyphens, text boxes with their VML
fallback, content controls, tables, footnote references) and hostile packages (a part that
inflates past the limit, one whose header lies about its size, a 2 GB declared size, '..'
and absolute names, a part given twice, no document part, a DOCTYPE with entities, an
encrypted entry, an Excel workbook, an OLE .doc, a damaged ZIP). The expected results are
beside this script: NAME.expected.xml for what imports, NAME.err for what is refused."""
import os
import struct
import sys
import zipfile

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MC = ('xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:v="urn:schemas-microsoft-com:vml" '
      'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"')
CT = ('<?xml version="1.0" encoding="UTF-8"?>'
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="xml" ContentType="application/xml"/>'
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
      'officedocument.wordprocessingml.document.main+xml"/></Types>')


def run(text):
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def para(*runs, num=None, style=None):
    ppr = f'<w:pStyle w:val="{style}"/>' if style else ''
    if num:
        ppr += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
    return f'<w:p><w:pPr>{ppr}</w:pPr>{"".join(runs)}</w:p>'


def document(body):
    return (f'<?xml version="1.0" encoding="UTF-8"?><w:document {W} {MC}><w:body>{body}'
            '<w:sectPr/></w:body></w:document>')


def lvl(ilvl, fmt, text, start=1):
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/></w:lvl>')


# 一、 （一） 1. （1） as an office's template numbers them, and a list of ① items.
NUMBERING = (f'<?xml version="1.0" encoding="UTF-8"?><w:numbering {W}>'
             '<w:abstractNum w:abstractNumId="0">'
             + lvl(0, 'chineseCounting', '%1、') + lvl(1, 'chineseCounting', '（%2）')
             + lvl(2, 'decimal', '%3.') + lvl(3, 'decimal', '（%4）') +
             '</w:abstractNum><w:abstractNum w:abstractNumId="1">'
             + lvl(0, 'decimalEnclosedCircle', '%1') +
             '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
             '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num></w:numbering>')

STYLES = (f'<?xml version="1.0" encoding="UTF-8"?><w:styles {W}>'
          '<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/></w:style>'
          '<w:style w:type="paragraph" w:styleId="2"><w:name w:val="标题 2"/></w:style>'
          '<w:style w:type="paragraph" w:styleId="MyHeading">'
          '<w:name w:val="Office Heading"/><w:basedOn w:val="1"/></w:style>'
          '<w:style w:type="paragraph" w:styleId="Loop1"><w:name w:val="Loop1"/><w:basedOn w:val="Loop2"/></w:style>'
          '<w:style w:type="paragraph" w:styleId="Loop2"><w:name w:val="Loop2"/><w:basedOn w:val="Loop1"/></w:style>'
          '</w:styles>')


def numbered():
    """A report numbered by Word: four levels, tracked changes, a field, list items."""
    body = ''.join([
        para(run('附件2')),
        para(run('2022年度某区总工会部门整体支出绩效自评报告')),
        para(run('基本情况'), num=(1, 0)),
        para(run('部门职能'), num=(1, 1)),
        para(run('本单位主要职责是维护职工合法权益，开展各项服务活动，成效显著。')),
        para(run('机构设置'), num=(1, 1)),
        para(run('单位内设三个科室，另有'), '<w:ins w:id="1"><w:r><w:t>两个</w:t></w:r></w:ins>',
             '<w:del w:id="2"><w:r><w:delText>五个</w:delText></w:r></w:del>', run('事业单位。')),
        para(run('绩效目标'), num=(1, 0)),
        para(run('资金管理'), num=(1, 1)),
        para(run('预算执行'), num=(1, 2)),
        para(run('全年预算执行率为'),
             '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
             '<w:r><w:instrText xml:space="preserve"> =A1*100 </w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
             run('97.85'), '<w:r><w:fldChar w:fldCharType="end"/></w:r>', run('%。')),
        para(run('执行进度'), num=(1, 3)),
        para(run('按季度报送执行情况。')),
        para(run('按时报送月报；'), num=(2, 0)),
        para(run('按时报送季报。'), num=(2, 0)),
        para(run('某区总工会')),
        para(run('2023年3月15日')),
    ])
    return {'word/document.xml': document(body), 'word/numbering.xml': NUMBERING}


def styled():
    """Heading styles without numbering, Word's features inside paragraphs, a text box
    with its VML fallback, a content control, a table and a footnote reference."""
    box = ('<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor>'
           '<a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>'
           + para(run('文本框中的说明文字。')) +
           '</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor>'
           '</w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>'
           + para(run('文本框中的说明文字。')) +
           '</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>')
    table = ('<w:tbl><w:tr><w:tc>' + para(run('指标')) + '</w:tc><w:tc>' + para(run('分值')) +
             '</w:tc></w:tr><w:tr><w:tc>' + para(run('预算执行率')) + '</w:tc><w:tc>'
             + para(run('10')) + '</w:tc></w:tr></w:tbl>')
    body = ''.join([
        para(run('关于某项工作的报告')),
        para(run('总体情况'), style='1'),
        para(run('今年以来，'), '<w:r><w:br/></w:r>', run('各项工作有序推进。')),
        para(run('工作措施'), style='2'),
        para(run('一是完善制度'), '<w:r><w:sym w:font="Symbol" w:char="F0B7"/></w:r>',
             run('二是加强'), '<w:r><w:softHyphen/></w:r>', run('监督'),
             '<w:r><w:noBreakHyphen/></w:r>', run('检查'), '<w:r><w:tab/></w:r>', run('三是落实。'),
             '<w:r><w:footnoteReference w:id="1"/></w:r>'),
        para(run('存在问题'), style='MyHeading'),
        para(run('资金拨付进度偏慢，'), '<w:r><w:br w:type="page"/></w:r>',
             run('需要进一步加快。')),
        para(box),
        '<w:sdt><w:sdtContent>' + para(run('内容控件中的段落。')) + '</w:sdtContent></w:sdt>',
        table,
        para(run('循环样式中的段落。'), style='Loop1'),
        para('<w:hyperlink><w:r><w:t>详见附表。</w:t></w:r></w:hyperlink>'),
    ])
    return {'word/document.xml': document(body), 'word/styles.xml': STYLES}


def bold(text):
    return f'<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'


def cell(*paras_, span=None, vmerge=None):
    tcpr = f'<w:gridSpan w:val="{span}"/>' if span else ''
    if vmerge is not None:
        tcpr += f'<w:vMerge w:val="{vmerge}"/>' if vmerge else '<w:vMerge/>'
    return f'<w:tc><w:tcPr>{tcpr}</w:tcPr>{"".join(paras_) or para()}</w:tc>'


def row(*cells, header=False):
    trpr = '<w:trPr><w:tblHeader/></w:trPr>' if header else ''
    return f'<w:tr>{trpr}{"".join(cells)}</w:tr>'


def tbl(widths, *rows):
    grid = ''.join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return f'<w:tbl><w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}</w:tbl>'


# Bold from styles: a character style (w:rStyle) and a bold paragraph style, whose
# runs on the bold character style are not bold (bold is a toggle: ECMA-376 17.7.3).
TABLE_STYLES = (f'<?xml version="1.0" encoding="UTF-8"?><w:styles {W}>'
                '<w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/>'
                '<w:rPr><w:b/></w:rPr></w:style>'
                '<w:style w:type="character" w:styleId="Stronger"><w:name w:val="Stronger"/>'
                '<w:basedOn w:val="Strong"/></w:style>'
                '<w:style w:type="paragraph" w:styleId="Lead"><w:name w:val="Lead"/>'
                '<w:rPr><w:b/></w:rPr></w:style>'
                '</w:styles>')


def styled_run(text, rstyle):
    return (f'<w:r><w:rPr><w:rStyle w:val="{rstyle}"/></w:rPr>'
            f'<w:t xml:space="preserve">{text}</w:t></w:r>')


def tables():
    """Tables as tables: a head row (w:tblHeader), cells merged down (w:vMerge) and
    across (w:gridSpan), widths from w:tblGrid, a cell of two paragraphs, bold in a cell;
    a one-column frame and a layout table before the title read as lines; a table in a
    landscape section; bold inside paragraphs kept (from w:b and from styles), a paragraph bold throughout (a
    heading's look) and a bold run-in heading not; page breaks (w:br, pageBreakBefore)."""
    layout = tbl([9000], row(cell(para(run('附件3')))))
    score = tbl([2000, 4000, 2000],
                row(cell(para(run('一级指标'))), cell(para(run('二级指标'))),
                    cell(para(run('分值'))), header=True),
                row(cell(para(run('产出')), vmerge='restart'), cell(para(run('数量指标'))),
                    cell(para(run('10')))),
                row(cell(vmerge=''), cell(para(run('质量指标')), para(bold('达标率'), run('100%'))),
                    cell(para(run('20')))),
                row(cell(para(run('合计')), span=2), cell(para(run('30')))))
    frame = tbl([9000], row(cell(para(run('表外说明：数据来自财政系统。')))))
    wide = tbl([1000, 1000, 1000, 1000],
               row(cell(para(run('项目'))), cell(para(run('预算'))), cell(para(run('执行'))),
                   cell(para(run('执行率')))),
               row(cell(para(run('办公经费'))), cell(para(run('50'))), cell(para(run('48'))),
                   cell(para(run('96%')))))
    landscape_end = ('<w:p><w:pPr><w:sectPr><w:pgSz w:w="16838" w:h="11906" '
                     'w:orient="landscape"/></w:sectPr></w:pPr></w:p>')
    body = ''.join([
        layout,
        para(run('2023年度某项目绩效自评报告')),
        para(run('本报告所列金额'), bold('单位为万元'), run('，数据截至年末。')),
        para(run('依据'), styled_run('《绩效评价办法》', 'Stronger'), run('编写。')),
        para(run('段落样式加粗，'), styled_run('强调样式', 'Strong'), run('反而不粗。'), style='Lead'),
        para(bold('一、总体情况')),
        para(bold('（一）资金使用。'), run('全年支出30万元。')),
        score,
        frame,
        '<w:p><w:pPr><w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:pPr></w:p>',
        para(run('第一部分到此结束。'), '<w:r><w:br w:type="page"/></w:r>'),
        para(run('第二部分从新的一页开始。')),
        '<w:p><w:pPr><w:pageBreakBefore/></w:pPr><w:r><w:t>附表如下。</w:t></w:r></w:p>',
        wide,
        landscape_end,
        para(run('某区财政局')),
        para(run('2024年1月9日')),
    ])
    return {'word/document.xml': document(body), 'word/styles.xml': TABLE_STYLES}


def write(path, parts, compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, 'w', compression) as z:
        z.writestr('[Content_Types].xml', CT)
        for name, data in parts.items():
            z.writestr(name, data)


def patch_sizes(path, part, size=None, flags=None):
    """Rewrite the declared uncompressed size (or the flags) of `part` in its local header
    and central directory record: a package whose headers lie."""
    data = bytearray(open(path, 'rb').read())
    name = part.encode()
    for sig, off_flags, off_usize, off_nlen, hdr in ((b'PK\x03\x04', 6, 22, 26, 30),
                                                     (b'PK\x01\x02', 8, 24, 28, 46)):
        at = 0
        while (at := data.find(sig, at)) >= 0:
            nlen = struct.unpack_from('<H', data, at + off_nlen)[0]
            if bytes(data[at + hdr:at + hdr + nlen]) == name:
                if size is not None:
                    struct.pack_into('<I', data, at + off_usize, size)
                if flags is not None:
                    struct.pack_into('<H', data, at + off_flags, flags)
            at += 4
    open(path, 'wb').write(bytes(data))


def main(out, fuzz_seeds=False):
    os.makedirs(out, exist_ok=True)
    j = lambda n: os.path.join(out, n)
    write(j('numbered.docx'), numbered())
    write(j('styled.docx'), styled())
    write(j('tables.docx'), tables())
    simple = {'word/document.xml': document(para(run('标题')) + para(run('正文。')))}
    big = document(para(run('很长的正文。')) + '<!--' + ' ' * (17 << 20) + '-->')
    write(j('bomb.docx'), {'word/document.xml': big})
    write(j('liar.docx'), {'word/document.xml': big})
    patch_sizes(j('liar.docx'), 'word/document.xml', size=1000)
    write(j('twogig.docx'), simple)
    patch_sizes(j('twogig.docx'), 'word/document.xml', size=0x7FFFFFFF)
    write(j('traversal.docx'), dict(simple, **{'../evil.xml': '<x/>'}))
    write(j('absolute.docx'), dict(simple, **{'/etc/evil.xml': '<x/>'}))
    with zipfile.ZipFile(j('twice.docx'), 'w') as z:
        z.writestr('[Content_Types].xml', CT)
        z.writestr('word/document.xml', simple['word/document.xml'])
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            z.writestr('word/document.xml', document(para(run('另一份'))))
    write(j('nodocument.docx'), {'word/other.xml': '<x/>'})
    write(j('doctype.docx'), {'word/document.xml':
                              '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">'
                              '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
                              f'<w:document {W}><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p>'
                              '</w:body></w:document>'})
    write(j('encrypted.docx'), simple)
    patch_sizes(j('encrypted.docx'), 'word/document.xml', flags=1)
    write(j('workbook.xlsx.docx'), {'xl/workbook.xml': '<workbook/>'})
    open(j('old.doc'), 'wb').write(b'\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1' + bytes(504))
    open(j('damaged.docx'), 'wb').write(open(j('numbered.docx'), 'rb').read()[:300])
    write(j('notxml.docx'), {'word/document.xml': '<w:document><w:body>'})
    if fuzz_seeds:
        # tests/fuzz/fuzz_docx.c: an odd first byte, then a package as it is; an even
        # one, then document.xml, numbering.xml and styles.xml joined by two NULs.
        for f in sorted(os.listdir(out)):
            data = open(j(f), 'rb').read()
            open(j(f), 'wb').write(b'\x01' + data)
        for name, parts in (('numbered', numbered()), ('styled', styled()),
                            ('tables', tables())):
            joined = b'\0\0'.join(parts.get(k, '').encode() for k in
                                    ('word/document.xml', 'word/numbering.xml', 'word/styles.xml'))
            open(j(name + '.parts'), 'wb').write(b'\x00' + joined)
        # The real files (LibreOffice's and python-docx's) as seeds in both forms.
        here = os.path.dirname(os.path.abspath(__file__))
        for sub in ('libreoffice', 'python-docx'):
            for f in sorted(os.listdir(os.path.join(here, sub))):
                if not f.endswith('.docx'):
                    continue
                data = open(os.path.join(here, sub, f), 'rb').read()
                open(j('real-' + f), 'wb').write(b'\x01' + data)
                with zipfile.ZipFile(os.path.join(here, sub, f)) as z:
                    names = set(z.namelist())
                    joined = b'\0\0'.join(z.read(k) if k in names else b'' for k in
                                            ('word/document.xml', 'word/numbering.xml',
                                             'word/styles.xml'))
                open(j('real-' + f[:-5] + '.parts'), 'wb').write(b'\x00' + joined)
    return 0


if __name__ == '__main__':
    args = [a for a in sys.argv[1:] if a != '--fuzz-seeds']
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(args[0], '--fuzz-seeds' in sys.argv))
