"""The receipt as a PDF (A4 portrait), with the DejaVu fonts the registers use."""

import logging

from fpdf import FPDF

from ratusz.cases.registers import FONTS

# fontTools logs each table it subsets at INFO: ~75 lines a PDF, nothing an operator needs.
logging.getLogger("fontTools").setLevel(logging.WARNING)


def receipt_pdf(receipt, lines):
    """The receipt ``lines`` (see ``mails.receipt_lines``) laid out as a one-page PDF (bytes).

    >>> receipt_pdf(receipt, receipt_lines(receipt, "pl"))[:5]
    b'%PDF-'
    """
    pdf = FPDF(orientation="P", format="A4")
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_title(f"{receipt['office']}: {receipt['sign']}")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 12)
    pdf.multi_cell(0, 7, lines[0], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    for line in lines[1:]:
        pdf.multi_cell(0, 5.5, line or " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def receipt_pdf_name(sign):
    """The PDF's file name.

    >>> receipt_pdf_name("OR.0020.1.2026")
    'potwierdzenie-OR-0020-1-2026.pdf'
    """
    return f"potwierdzenie-{sign.replace('.', '-')}.pdf"


def receipt_pdf_url():
    """Where the PDF is made: ``POST`` the case ``sign`` and the ``key`` (views.ReceiptPdfView).

    >>> receipt_pdf_url()
    'http://localhost:8080/Plone/@@eservice-receipt-pdf'
    """
    from plone import api

    return f"{api.portal.get().absolute_url()}/@@eservice-receipt-pdf"
