"""Thumbnails of PDF pages, rendered from the archived file and cached on disk.

PDFium (pypdfium2) renders from a wheel, with no system binary. It runs in one long-lived
child process with a memory limit and a time limit per page: a PDF that hangs or crashes
PDFium costs its own thumbnail (a 404) and a fresh child, never the server. The cache is
derived data keyed by the file's sha256 and the page: it never goes stale, may be deleted
at any time, and a cached thumbnail is served without the child.
"""

from __future__ import annotations

import io
import multiprocessing as mp
import os
import resource
import tempfile
import threading
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

THUMB_WIDTH = 320  # pixels; twice the CSS width, sharp on phones
JPEG_QUALITY = 80
RENDER_SECONDS = 20.0  # per page
RENDER_MEMORY = 1024 * 1024 * 1024  # address space of the child


class NoThumbnail(Exception):
    """The page cannot be rendered (no such page, a damaged, locked or hostile PDF)."""


def cache_path(cache_dir: Path, sha256: str, page: int) -> Path:
    return cache_dir / sha256[:2] / f"{sha256}-p{page}-w{THUMB_WIDTH}.jpg"


def render_page(pdf_path: str, page: int, width: int = THUMB_WIDTH) -> bytes:
    """JPEG bytes of a 1-based page, scaled to width pixels (runs in the child)."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(pdf_path)
        try:
            if not 1 <= page <= len(pdf):
                raise NoThumbnail(f"the PDF has no page {page}")
            p = pdf[page - 1]
            try:
                image = p.render(scale=width / max(p.get_width(), 1.0)).to_pil().convert("RGB")
            finally:
                p.close()
        finally:
            pdf.close()
    except pdfium.PdfiumError as exc:
        raise NoThumbnail(f"PDFium cannot render it: {exc}") from exc
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def _serve_renders(conn: Connection) -> None:
    """The child: render what the parent asks until it goes away."""
    resource.setrlimit(resource.RLIMIT_AS, (RENDER_MEMORY, RENDER_MEMORY))
    while True:
        try:
            path, page = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(("ok", render_page(path, page)))
        except NoThumbnail as exc:
            conn.send(("no", str(exc)))
        except MemoryError:
            conn.send(("no", "rendering needs more memory than a thumbnail may take"))
        except Exception as exc:  # noqa: BLE001 - any failure is this page's, not the server's
            conn.send(("no", f"{type(exc).__name__}: {exc}"))


class Renderer:
    """One child at a time renders; a dead or stuck child is replaced on the next page."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._proc: Any = None
        self._conn: Connection | None = None

    def _start(self) -> Connection:
        if self._proc is None or not self._proc.is_alive():
            ctx = mp.get_context("spawn")  # no fork of a threaded server
            ours, theirs = ctx.Pipe()
            self._proc = ctx.Process(target=_serve_renders, args=(theirs,), daemon=True,
                                     name="konfarkiv-thumbnails")
            self._proc.start()
            theirs.close()
            self._conn = ours
        assert self._conn is not None
        return self._conn

    def _stop(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.join(5)
        self._proc = self._conn = None

    def render(self, pdf_path: Path, page: int) -> bytes:
        """Render in the child; a child found dead is replaced and asked once more (it may
        have died of an earlier page), a page that kills the new one too is a NoThumbnail."""
        with self._lock:
            for attempt in (1, 2):
                conn = self._start()
                try:
                    conn.send((str(pdf_path), page))
                    if not conn.poll(RENDER_SECONDS):
                        self._stop()
                        raise NoThumbnail(f"rendering took longer than {RENDER_SECONDS:.0f} s")
                    status, value = conn.recv()
                    break
                except (EOFError, OSError) as exc:
                    self._stop()
                    if attempt == 2:
                        raise NoThumbnail("the PDF stopped the renderer") from exc
        if status != "ok":
            raise NoThumbnail(value)
        return value


RENDERER = Renderer()


def thumbnail(cache_dir: Path, pdf_path: Path, sha256: str, page: int) -> Path | bytes:
    """The cached file's path, else rendered bytes (stored for next time when we can)."""
    target = cache_path(cache_dir, sha256, page)
    if target.is_file():
        return target
    data = RENDERER.render(pdf_path, page)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)  # never half-written under its final name
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError:
        pass  # a read-only home: serve it uncached
    return data
