"""Thumbnails of PDF pages, rendered from the archived file and cached on disk.

PDFium (pypdfium2) renders from a wheel, with no system binary. It runs in a few long-lived
child processes, each with a memory limit and a time limit per page: a PDF that hangs or
crashes PDFium costs its own thumbnail (a 404) and a fresh child, never the server. A failure
is remembered (beside the cache, and a timed-out document as a whole), so a hostile PDF costs
its render time once, not on every hit; when every child is busy a request waits at most
BUSY_WAIT and is told to come back (Busy, a 503), so thumbnails never hold the server's
threads. The cache is derived data keyed by the file's sha256 and the page: it never goes
stale, may be deleted at any time, and a cached thumbnail is served without a child.
"""

from __future__ import annotations

import io
import multiprocessing as mp
import os
import queue
import resource
import tempfile
import threading
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

THUMB_WIDTH = 320  # pixels; twice the CSS width, sharp on phones
JPEG_QUALITY = 80
RENDER_SECONDS = 5.0  # per page; a real slide renders in well under a second
RENDER_MEMORY = 1024 * 1024 * 1024  # address space of each child
RENDERERS = 2  # children rendering side by side (the server has 8 threads)
BUSY_WAIT = 2.0  # seconds a request waits for a free child before it is told to retry
STARTUP_SECONDS = 60.0  # a new child's interpreter and PDFium import: not a page's render time


class NoThumbnail(Exception):
    """The page cannot be rendered (no such page, a damaged, locked or hostile PDF)."""


class Busy(NoThumbnail):
    """Every renderer is busy: try again in a moment (not a property of the page)."""


class _Timeout(NoThumbnail):
    """The page took longer than RENDER_SECONDS: the whole document is not tried again."""


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
    import pypdfium2  # noqa: F401 - loaded before "ready", so its cost is no page's render time

    conn.send(("ready", None))
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
            # A busy machine may take seconds to start Python and load PDFium; counted in
            # RENDER_SECONDS that made a good PDF's first page a remembered timeout.
            try:
                ready = ours.poll(STARTUP_SECONDS) and ours.recv()[0] == "ready"
            except (EOFError, OSError):
                ready = False
            if not ready:
                self._stop()
                raise Busy("the thumbnail renderer did not start")
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
                        raise _Timeout(f"rendering took longer than {RENDER_SECONDS:g} s")
                    status, value = conn.recv()
                    break
                except (EOFError, OSError) as exc:
                    self._stop()
                    if attempt == 2:
                        raise NoThumbnail("the PDF stopped the renderer") from exc
        if status != "ok":
            raise NoThumbnail(value)
        return value


class RendererPool:
    """RENDERERS children; a request takes a free one or, after BUSY_WAIT, gives up (Busy)."""

    def __init__(self, size: int = RENDERERS) -> None:
        self._free: queue.Queue[Renderer] = queue.Queue()
        for _ in range(size):
            self._free.put(Renderer())
        self.renders = 0  # pages handed to a child (tests see a remembered failure skip it)

    def render(self, pdf_path: Path, page: int) -> bytes:
        try:
            renderer = self._free.get(timeout=BUSY_WAIT)
        except queue.Empty:
            raise Busy("every thumbnail renderer is busy") from None
        try:
            self.renders += 1
            return renderer.render(pdf_path, page)
        finally:
            self._free.put(renderer)


RENDERER = RendererPool()
_FAILED: dict[str, str] = {}  # a failure marker's path -> why (this process's memory)


def _failure_marker(cache_dir: Path, sha256: str, page: int | None) -> Path:
    name = f"{sha256}-all.fail" if page is None else f"{sha256}-p{page}-w{THUMB_WIDTH}.fail"
    return cache_dir / sha256[:2] / name


def _remembered(cache_dir: Path, sha256: str, page: int) -> str | None:
    for marker in (_failure_marker(cache_dir, sha256, None),
                   _failure_marker(cache_dir, sha256, page)):
        why = _FAILED.get(str(marker))
        if why is None and marker.is_file():
            why = _FAILED[str(marker)] = marker.read_text("utf-8", errors="replace")[:200]
        if why is not None:
            return why
    return None


def _remember(cache_dir: Path, sha256: str, page: int, exc: NoThumbnail) -> None:
    marker = _failure_marker(cache_dir, sha256, None if isinstance(exc, _Timeout) else page)
    _FAILED[str(marker)] = str(exc)
    _write_atomically(marker, str(exc).encode("utf-8"))


def _write_atomically(target: Path, data: bytes) -> None:
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
        pass  # a read-only home: serve it uncached, remember in memory only


def thumbnail(cache_dir: Path, pdf_path: Path, sha256: str, page: int) -> Path | bytes:
    """The cached file's path, else rendered bytes (stored for next time when we can)."""
    target = cache_path(cache_dir, sha256, page)
    if target.is_file():
        return target
    why = _remembered(cache_dir, sha256, page)
    if why is not None:
        raise NoThumbnail(why)
    try:
        data = RENDERER.render(pdf_path, page)
    except Busy:
        raise
    except NoThumbnail as exc:
        _remember(cache_dir, sha256, page, exc)
        raise
    _write_atomically(target, data)
    return data
