"""Real PDFs for tests, generated with fpdf2 and pypdf rather than checked-in binaries."""

from __future__ import annotations

import io
import zlib
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


# ---- hand-made PDFs: exact content streams for hostile cases ----------------------------

def raw_pdf(contents: list[bytes]) -> bytes:
    """A minimal PDF with one Flate-compressed content stream per page (Helvetica as F1)."""
    n = len(contents)
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(n))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode(),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i, content in enumerate(contents):
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources "
                    f"<< /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>".encode())
        data = zlib.compress(content, 9)
        objs.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data
                    + b"\nendstream")
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1, xref)
    return bytes(out)


def text_ops(text: str) -> bytes:
    return b"BT /F1 12 Tf 50 800 Td (" + text.encode("latin-1") + b") Tj ET"


def bomb_pdf() -> bytes:
    """Page 2's content stream inflates to 60 MB (about 60 kB on disk)."""
    bomb = text_ops("Bomben") + b"\n" + b" " * (60 * 1024 * 1024)
    return raw_pdf([text_ops("Forsta sidan om kommunerna"), bomb,
                    text_ops("Tredje sidan om klimatet")])


def slow_pdf() -> bytes:
    """Two quick pages, then pages that take pypdf tens of seconds each (7.5 MB of
    text operators, well under the decompression cap)."""
    slow = b"BT /F1 12 Tf " + b"1 0 0 1 50 700 Tm (x) Tj " * 300_000 + b"ET"
    return raw_pdf([text_ops("Snabb sida om vattenfragor"), text_ops("Andra snabba sidan"),
                    slow, slow])


# ---- picture-only slides: text turned into pixels, saved as a PDF with no text layer -----

def picture_slides_pdf(slides: list[list[str]], *, dpi: int = 150, width_in: float = 13.33,
                       height_in: float = 7.5, title_pt: int = 40, body_pt: int = 24,
                       blank: tuple[int, ...] = ()) -> bytes:
    """A deck exported as pictures: each slide's first line is its title, the rest its
    bullets. The slide is laid out as text (fpdf2's Helvetica has å, ä, ö; Pillow's own
    font has not, and system fonts differ between machines), rasterised at `dpi` by
    PDFium, and Pillow saves the pictures as a PDF: no text layer is left. Slides whose
    index is in `blank` are left empty."""
    import pypdfium2

    pdf = FPDF(unit="pt", format=(width_in * 72, height_in * 72))
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_auto_page_break(auto=False)
    for n, lines in enumerate(slides):
        pdf.add_page()
        if n in blank:
            continue
        pdf.set_xy(50, 45)
        for i, line in enumerate(lines):
            pdf.set_font("Helvetica", "B" if i == 0 else "", title_pt if i == 0 else body_pt)
            pdf.cell(0, (title_pt * 1.8) if i == 0 else body_pt * 1.5,
                     line if i == 0 else f"- {line}", new_x="LMARGIN", new_y="NEXT")
            pdf.set_x(50)
    doc = pypdfium2.PdfDocument(bytes(pdf.output()))
    images = [page.render(scale=dpi / 72).to_pil().convert("RGB") for page in doc]
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return out.getvalue()


def tiling_bomb(path: Path, strokes: int = 2_000_000) -> Path:
    """A one-page PDF whose page is filled with a pattern cell of `strokes` lines.

    2,000,000 strokes take PDFium about 10 s on an idle 2-core machine, twice the
    thumbnail limit (1,000,000 rendered in 5.1 s, too close to it to fail reliably)."""
    cell = zlib.compress(b"0 0 m 13 13 l S\n" * strokes, 9)
    content = b"/Pattern cs /P1 scn 0 0 612 792 re f\nBT /F1 12 Tf 72 720 Td (Dagvatten) Tj ET\n"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources"
        b" << /Pattern << /P1 5 0 R >> /Font << /F1 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Pattern /PatternType 1 /PaintType 1 /TilingType 1 /BBox [0 0 13 13]"
        b" /XStep 13 /YStep 13 /Resources << >> /Filter /FlateDecode /Length %d >>\n"
        b"stream\n%s\nendstream" % (len(cell), cell),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    path.write_bytes(out)
    return path
