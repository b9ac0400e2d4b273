"""Pages of a PDF as pdfminer lays them out with no layout analysis, for the e2e checkers
(tablecheck.py, sealcheck.py): each page's objects in content-stream order, with the page's
raw (decoded) content stream.  Needs Debian's python3-pdfminer (/usr/bin/python3)."""
from pdfminer.converter import PDFPageAggregator
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage


def pages(pdf):
    """Yield (layout, content bytes) for each page of the file `pdf`."""
    rsrc = PDFResourceManager()
    device = PDFPageAggregator(rsrc, laparams=None)
    interp = PDFPageInterpreter(rsrc, device)
    with open(pdf, 'rb') as f:
        for page in PDFPage.get_pages(f):
            interp.process_page(page)
            content = b''.join(c.get_data() for c in (page.contents or []))
            yield device.get_result(), content
