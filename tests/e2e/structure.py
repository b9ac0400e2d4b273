#!/usr/bin/env python3
"""The structure of a format-v2 source, one fact a line, for tests/e2e/import.sh to
compare with the expected-structure files written by hand for the real documents
(tests/data/import/real/*.structure): 发文字号, 签发人, title, 主送, issuers, date, 附注,
each attachment (issued or not, its listed name, bound or not) with its title,
issuers, date and its own attachments, the tables of each document (rows × columns,
head rows), and the 版记.  Whitespace inside texts is removed, <br/> written " / ".

Usage: structure.py SOURCE.xml
"""
import re
import sys
import xml.etree.ElementTree as ET


def text(el):
    if el is None:
        return ''
    parts = [el.text or '']
    for c in el:
        parts.append(' / ' if c.tag == 'br' else ''.join(c.itertext()))
        parts.append(c.tail or '')
    return re.sub(r'[ \t\n\u3000]+(?! / )', '', ''.join(parts)).strip()


def tables(el, indent, out):
    """The tables in el's body (not in its attachments): rows × columns."""
    def walk(node):
        for c in node:
            if c.tag == 'attachment':
                continue
            if c.tag == 'table':
                rows = c.findall('.//tr')
                head = len(c.findall('thead/tr'))
                cols = sum(int(td.get('colspan', '1')) for td in rows[0]) if rows else 0
                out.append(f'{indent}table: {len(rows)} rows x {cols} columns, {head} head')
            else:
                walk(c)
    walk(el)


def document(el, indent, out):
    header = el.find('header')
    if header is not None:
        for tag in ('copy', 'secrecy', 'urgency', 'issuer-mark', 'doc-number'):
            for e in header.findall(tag):
                out.append(f'{indent}{tag}: {text(e)}')
        signers = [text(e) for e in header.findall('signer')]
        if signers:
            out.append(f'{indent}signers: ' + ' | '.join(signers))
    out.append(f'{indent}title: {text(el.find("title"))}')
    if el.find('to') is not None:
        out.append(f'{indent}to: {text(el.find("to"))}')
    tables(el, indent, out)
    sig = el.find('signature')
    if sig is not None:
        issuers = [text(e) for e in sig.findall('issuer')]
        if issuers:
            out.append(f'{indent}issuers: ' + ' | '.join(issuers))
        if sig.find('date') is not None:
            out.append(f'{indent}date: {text(sig.find("date"))}')
    if el.find('note') is not None:
        out.append(f'{indent}note: {text(el.find("note"))}')
    for a in el.findall('attachment'):
        kind = 'issued' if a.get('role') == 'issued' else 'attachment'
        extra = ''
        if a.get('label'):
            extra += f' label={a.get("label")}'
        if a.get('name'):
            extra += f' name={a.get("name")}'
        if a.get('bound') == 'false':
            extra += ' bound=false'
        out.append(f'{indent}{kind}{extra}:')
        document(a, indent + '  ', out)
    record = el.find('record')
    if record is not None:
        if record.find('cc') is not None:
            out.append(f'{indent}cc: {text(record.find("cc"))}')
        d = record.find('distributor')
        if d is not None:
            out.append(f'{indent}distributor: {text(d.find("name"))}, {text(d.find("date"))}')


def main(path):
    root = ET.parse(path).getroot()
    out = [f'{root.tag} version {root.get("version")}']
    document(root, '', out)
    print('\n'.join(out))


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
