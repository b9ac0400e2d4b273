#!/usr/bin/python3
"""Writes report.docx with Debian's python3-docx the way scripts written by an
office's IT staff make reports: headings by add_heading (Word's "Heading 1-3"
styles, unnumbered), the title on the "Title" style, bold runs, "List Number"
paragraphs (numbered by the default template's numbering.xml), a page break, a
table with a repeated header row and merged cells, a landscape section for a
wide table — then a portrait one again — a picture in the text, and the seal as
a picture in the date's line (python-docx places pictures only in line).  Used only to make the fixture beside it
(regenerate.sh); the tests read the committed .docx.

Usage: /usr/bin/python3 make.py OUT.docx
"""
import os
import sys

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

HERE = os.path.dirname(os.path.abspath(__file__))


def header_row(row):
    """Word's "repeat as header row" (python-docx has no call for it)."""
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement('w:tblHeader')
    el.set(qn('w:val'), 'true')
    trpr.append(el)


def fill(table, rows):
    for r, values in enumerate(rows):
        for c, v in enumerate(values):
            if v is not None:
                table.cell(r, c).text = v


def turn(section, orient):
    section.orientation = orient
    w, h = section.page_width, section.page_height
    if (orient == WD_ORIENT.LANDSCAPE) != (w > h):
        section.page_width, section.page_height = h, w


def main(out):
    doc = Document()
    doc.add_paragraph('附件2')
    doc.add_heading('2023年度区图书馆免费开放项目绩效自评报告', 0)
    p = doc.add_paragraph('本报告依据')
    p.add_run('《区级财政支出项目绩效评价管理办法》').bold = True
    p.add_run('编写，金额单位为万元。')

    doc.add_heading('项目基本情况', 1)
    doc.add_heading('项目概况', 2)
    doc.add_paragraph('区图书馆全年免费开放，年初预算86万元，用于场馆运行和阅读推广活动。')
    doc.add_heading('资金安排', 2)
    doc.add_paragraph('资金分三批下达，具体见下表。')
    t = doc.add_table(rows=5, cols=3)
    t.style = 'Table Grid'
    fill(t, [['批次', '下达时间', '金额'],
             ['第一批', '2023年3月', '40'],
             ['第二批', '2023年6月', '30'],
             ['第三批', None, '16'],
             ['合计', None, '86']])
    header_row(t.rows[0])
    t.cell(2, 1).merge(t.cell(3, 1))          # 2023年6月 for two batches: vMerge
    t.cell(4, 0).merge(t.cell(4, 1))          # 合计 across two columns: gridSpan
    doc.add_paragraph('资金均按时拨付到位。')
    doc.add_paragraph().add_run().add_picture(os.path.join(HERE, 'stamp.png'), width=Mm(30))

    doc.add_heading('绩效目标完成情况', 1)
    doc.add_paragraph('主要完成以下工作：')
    for text in ('全年接待读者21.6万人次，较上年增长12%。',
                 '举办阅读推广活动48场，参与群众1.2万人次。',
                 '新增馆藏图书1.5万册。'):
        doc.add_paragraph(text, style='List Number')
    doc.add_page_break()
    doc.add_heading('各分馆情况', 2)
    doc.add_paragraph('各分馆全年数据如下表。')

    wide = doc.add_section(WD_SECTION.NEW_PAGE)
    turn(wide, WD_ORIENT.LANDSCAPE)
    t = doc.add_table(rows=3, cols=6)
    t.style = 'Table Grid'
    fill(t, [['分馆', '开放天数', '读者人次', '活动场次', '新增图书', '满意度'],
             ['荔城分馆', '358', '6.2万', '15', '0.5万册', '96%'],
             ['新塘分馆', '352', '5.8万', '12', '0.4万册', '94%']])
    header_row(t.rows[0])
    doc.add_paragraph('数据由各分馆报送。')

    back = doc.add_section(WD_SECTION.NEW_PAGE)
    turn(back, WD_ORIENT.PORTRAIT)
    doc.add_heading('存在问题', 1)
    doc.add_paragraph('部分分馆开放时间与群众需求不够匹配，下一年度将调整。')
    doc.add_paragraph('区图书馆')
    date = doc.add_paragraph('2024年1月12日')
    date.add_run().add_picture(os.path.join(HERE, 'library-seal.png'), width=Mm(42))
    doc.save(out)


if __name__ == '__main__':
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main(sys.argv[1])
