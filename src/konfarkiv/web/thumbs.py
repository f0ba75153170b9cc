"""Thumbnails of PDF pages, rendered from the archived file and cached on disk.

PDFium (pypdfium2) renders in-process from a wheel, with no system binary. It is not
thread-safe, so renders take one lock; a cached thumbnail is served without it. The
cache is derived data keyed by the file's sha256 and the page: it never goes stale
and may be deleted at any time.
"""

from __future__ import annotations

import io
import os
import tempfile
import threading
from pathlib import Path

THUMB_WIDTH = 320  # pixels; twice the CSS width, sharp on phones
JPEG_QUALITY = 80
_RENDER = threading.Lock()


class NoThumbnail(Exception):
    """The page cannot be rendered (no such page, a damaged or locked PDF)."""


def cache_path(cache_dir: Path, sha256: str, page: int) -> Path:
    return cache_dir / sha256[:2] / f"{sha256}-p{page}-w{THUMB_WIDTH}.jpg"


def render_page(pdf_path: Path, page: int, width: int = THUMB_WIDTH) -> bytes:
    """JPEG bytes of a 1-based page, scaled to width pixels."""
    import pypdfium2 as pdfium

    with _RENDER:
        try:
            pdf = pdfium.PdfDocument(str(pdf_path))
        except pdfium.PdfiumError as exc:
            raise NoThumbnail(f"cannot open the PDF: {exc}") from exc
        try:
            if not 1 <= page <= len(pdf):
                raise NoThumbnail(f"the PDF has no page {page}")
            p = pdf[page - 1]
            try:
                bitmap = p.render(scale=width / max(p.get_width(), 1.0))
                image = bitmap.to_pil().convert("RGB")
            finally:
                p.close()
        finally:
            pdf.close()
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def thumbnail(cache_dir: Path, pdf_path: Path, sha256: str, page: int) -> Path | bytes:
    """The cached file's path, else rendered bytes (stored for next time when we can)."""
    target = cache_path(cache_dir, sha256, page)
    if target.is_file():
        return target
    data = render_page(pdf_path, page)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)  # never half-written under its final name
    except OSError:
        pass  # a read-only home: serve it uncached
    return data
