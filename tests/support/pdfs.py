"""Real PDFs for tests, generated with fpdf2 and pypdf rather than checked-in binaries."""

from __future__ import annotations

import io
from pathlib import Path

from fpdf import FPDF
from pypdf import PdfReader, PdfWriter


def _new_pdf(title: str | None) -> FPDF:
    pdf = FPDF(format="A4")
    # cp1252 covers å ä ö and typographic dashes/quotes with the built-in Helvetica.
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_auto_page_break(auto=True, margin=15)
    if title:
        pdf.set_title(title)
    pdf.set_creator("konfarkiv tests")
    return pdf


def make_pdf(path: str | Path | None, pages: list[str], *, title: str | None = None) -> bytes:
    """A text PDF with one page per string (long text wraps); written to `path` if given.

    Text must be encodable in cp1252 (the core fonts' range): Swedish letters are fine.
    """
    pdf = _new_pdf(title)
    for text in pages:
        pdf.add_page()
        pdf.set_font("Helvetica", size=12)
        pdf.multi_cell(0, 6, text)
    data = bytes(pdf.output())
    if path is not None:
        Path(path).write_bytes(data)
    return data


def truncated(pdf_bytes: bytes, keep: float = 0.5) -> bytes:
    """The first `keep` fraction of a PDF: a download cut off mid-way (no xref, no %%EOF)."""
    return pdf_bytes[: max(8, int(len(pdf_bytes) * keep))]


def encrypted_pdf(pages: list[str], user_password: str = "hemligt") -> bytes:
    """A text PDF encrypted with AES-128; `user_password=""` gives one that opens unasked."""
    reader = PdfReader(io.BytesIO(make_pdf(None, pages)))
    writer = PdfWriter(clone_from=reader)
    writer.encrypt(user_password, owner_password="ägare", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_only_pdf() -> bytes:
    """A one-page PDF with drawing but no text layer, like a scanned slide."""
    pdf = _new_pdf("Bild utan text")
    pdf.add_page()
    pdf.set_fill_color(40, 110, 160)
    pdf.rect(20, 20, 170, 100, style="F")
    pdf.set_fill_color(230, 180, 40)
    pdf.ellipse(60, 140, 90, 60, style="F")
    return bytes(pdf.output())
