"""PDF text, page by page, with pypdf in a child process.

The child sends each page's text as soon as it has it, so when the parent
kills it at the wall-clock limit the pages done so far are kept. One hostile
file can neither hang nor crash the run, and the child dies with its parent
(PR_SET_PDEATHSIG), so a killed ingest leaves no extractor running.

Each child has its own address-space limit (RLIMIT_AS, MEMORY_BUDGET); a file that
hits it fails with that reason, the run goes on.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing as mp
import os
import resource
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from konfarkiv.ingest.normalize import normalize_text
from konfarkiv.interrupts import deferred_in_children, ignore_in_child

DEFAULT_TIME_LIMIT = 60.0
# Address space one child may add to what it inherits from the fork (a parent with
# threads maps far more than it uses, so an absolute limit would depend on the parent).
MEMORY_BUDGET = 512 * 1024 * 1024
OUT_OF_MEMORY_EXIT = 86  # the child's exit status when even reporting failed for memory
# Decompression caps, lower than pypdf's defaults: a slide page never needs 75 MB.
STREAM_OUTPUT_CAP = 20 * 1024 * 1024


@dataclass(frozen=True)
class Extraction:
    """What came out of one PDF. `outcome` is text, no_text, partial or failed."""

    outcome: str
    pages: tuple[str, ...] = ()
    page_count: int = 0
    warnings: int = 0
    seconds: float = 0.0
    error: str | None = None
    permanent: bool = False
    tool: str = field(default_factory=lambda: f"pypdf {_pypdf_version()}")
    peak_rss_kb: int = 0  # the child's peak resident memory, as it last reported it
    #: 0-based pages pypdf could not read or did not reach (their text is "" for that
    #: reason, not for want of a text layer: OCR leaves them alone)
    unread: tuple[int, ...] = ()

    @property
    def chars(self) -> int:
        return sum(len(p) for p in self.pages)


def _pypdf_version() -> str:
    from importlib.metadata import version

    return version("pypdf")


class _CountingHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _lower_caps() -> None:
    """Tighter decompression limits than pypdf's 75 MB defaults (decompression bombs)."""
    import pypdf

    caps = {name: STREAM_OUTPUT_CAP for name in (
        "zlib_maximum_output_length", "lzw_maximum_output_length",
        "run_length_maximum_output_length", "jbig2_maximum_output_length",
        "brotli_maximum_output_length", "array_based_stream_maximum_output_length",
        "maximum_declared_stream_length", "image_maximum_buffer_size")}
    caps["stream_decoding_work_maximum_length"] = 4 * STREAM_OUTPUT_CAP
    pypdf.overwrite_configuration(None, **caps)


PR_SET_PDEATHSIG = 1


def _die_with_parent(parent_pid: int) -> None:
    """Ask the kernel to SIGKILL this child when its parent dies (Linux); a
    killed ingest must not leave a pypdf child grinding on for minutes."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)


def _rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _over_limit(budget: int) -> str:
    return (f"over the extractor's memory limit ({budget // (1024 * 1024)} MB; "
            "a decompression bomb?)")


def _page_error(exc: BaseException, budget: int) -> str:
    first = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ""
    if isinstance(exc, MemoryError):
        return _over_limit(budget)
    if type(exc).__name__ == "LimitReachedError":
        return f"decompression limit reached ({first})"
    return f"{type(exc).__name__}{': ' + first if first else ''}"


def _address_space() -> int:
    """This process's mapped address space now, in bytes (Linux; 0 elsewhere)."""
    try:
        return int(Path("/proc/self/statm").read_text().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


ChildTarget = Callable[[str, Connection, int], None]


def _child(target: ChildTarget, path: str, conn: Connection, parent_pid: int,
           budget: int = MEMORY_BUDGET) -> None:
    """Runs in the child: at most budget more bytes of address space, then the target
    (pypdf text, or OCR). Out of memory even while reporting, it exits with
    OUT_OF_MEMORY_EXIT, never a traceback. Programs the target starts (tesseract)
    inherit the limit."""
    ignore_in_child()  # Ctrl-C is the parent's to handle: no traceback from here
    _die_with_parent(parent_pid)
    limit = _address_space() + budget
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):
        pass
    try:
        target(path, conn, budget)
    except MemoryError:
        os._exit(OUT_OF_MEMORY_EXIT)


def _extract_in_child(path: str, conn: Connection, budget: int) -> None:
    import warnings

    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    handler = _CountingHandler()
    logger = logging.getLogger("pypdf")
    logger.addHandler(handler)
    logger.propagate = False
    warnings.simplefilter("ignore")
    _lower_caps()
    try:
        # An open file, not the path: pypdf would read a path's whole file into memory.
        reader = PdfReader(open(path, "rb"), strict=False)  # closed when the child exits
        if reader.is_encrypted:
            try:
                reader.decrypt("")
                reader.pages[0] if len(reader.pages) else None
            except (FileNotDecryptedError, PdfReadError, NotImplementedError) as exc:
                conn.send(("fail", f"needs a password ({exc})", True, handler.count,
                           _rss_kb()))
                return
        n = len(reader.pages)
        conn.send(("count", n))
        for i in range(n):
            error = None
            try:
                text = reader.pages[i].extract_text() or ""
            except (MemoryError, Exception) as exc:  # noqa: BLE001 - a bad page must not lose the others
                text = ""
                error = _page_error(exc, budget)
                handler.count += 1
            conn.send(("page", i, text, error, _rss_kb()))
        conn.send(("done", handler.count, _rss_kb()))
    except FileNotDecryptedError as exc:
        conn.send(("fail", f"needs a password ({exc})", True, handler.count, _rss_kb()))
    except MemoryError:
        conn.send(("fail", _over_limit(budget), True, handler.count, _rss_kb()))
    except Exception as exc:  # noqa: BLE001 - reported to the parent as data
        conn.send(("fail", _describe(exc), True, handler.count, _rss_kb()))
    finally:
        conn.close()


def _died(exitcode: int | None, budget: int) -> str:
    """Why the child ended without a word. Past its RLIMIT_AS, a native allocation
    that cannot fail softly aborts it (SIGABRT, SIGSEGV)."""
    if exitcode == OUT_OF_MEMORY_EXIT:
        return _over_limit(budget)
    if exitcode in (-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGBUS):
        return f"extractor died (exit code {exitcode}), probably {_over_limit(budget)}"
    return f"extractor died (exit code {exitcode})"


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"not a readable PDF: {type(exc).__name__}{': ' + text if text else ''}"[:300]


def _context() -> mp.context.ForkContext:
    return mp.get_context("fork")


@dataclass
class ChildRun:
    """What a child reported before it finished, failed, died or hit the time limit:
    each page's payload and error as they came, so a killed child's pages are kept."""

    pages: dict[int, Any] = field(default_factory=dict)
    page_errors: dict[int, str] = field(default_factory=dict)
    count: int = 0
    warnings: int = 0
    rss: int = 0
    error: str | None = None
    permanent: bool = False
    finished: bool = False
    timed_out: bool = False
    seconds: float = 0.0


def run_child(target: ChildTarget, path: Path, *, time_limit: float, memory_budget: int,
              on_page: Callable[[int, Any], None] | None = None) -> ChildRun:
    """Run target(path, conn, budget) in a forked child with the memory budget, reading
    its messages ("count", n), ("page", i, payload, error, rss), ("done", warnings, rss),
    ("fail", reason, permanent, warnings, rss) until it ends or time_limit passes."""
    started = time.monotonic()
    recv, send = _context().Pipe(duplex=False)
    proc = _context().Process(target=_child,
                              args=(target, str(path), send, os.getpid(), memory_budget),
                              daemon=True)
    with deferred_in_children():
        proc.start()
    send.close()
    run = ChildRun()
    try:
        while True:
            remaining = time_limit - (time.monotonic() - started)
            if remaining <= 0:
                run.timed_out = True
                break
            if not recv.poll(min(remaining, 1.0)):
                if not proc.is_alive() and not recv.poll(0):
                    run.error = _died(proc.exitcode, memory_budget)
                    break
                continue
            try:
                msg = recv.recv()
            except EOFError:
                proc.join(1)
                run.error = _died(proc.exitcode, memory_budget)
                break
            if msg[0] == "count":
                run.count = msg[1]
            elif msg[0] == "page":
                run.pages[msg[1]] = msg[2]
                if msg[3]:
                    run.page_errors[msg[1]] = msg[3]
                run.rss = max(run.rss, msg[4])
                if on_page is not None:
                    on_page(msg[1], msg[2])
            elif msg[0] == "done":
                run.warnings, run.rss = msg[1], max(run.rss, msg[2])
                run.finished = True
                break
            elif msg[0] == "fail":
                run.error, run.permanent, run.warnings = msg[1], msg[2], msg[3]
                run.rss = max(run.rss, msg[4])
                break
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        recv.close()
    run.seconds = time.monotonic() - started
    return run


def extract_pdf(path: Path, *, time_limit: float = DEFAULT_TIME_LIMIT,
                memory_budget: int = MEMORY_BUDGET) -> Extraction:
    """Extract text of every page of the PDF at path within time_limit seconds, in a
    child that may map at most memory_budget bytes more than it was forked with."""
    import pypdf  # noqa: F401 - loaded once here, the forked child inherits it (~0.1 s a file)

    run = run_child(_extract_in_child, path, time_limit=time_limit,
                    memory_budget=memory_budget)
    pages = {i: normalize_text(t) for i, t in run.pages.items()}
    count, page_errors, error, permanent = run.count, run.page_errors, run.error, run.permanent
    if run.timed_out:
        error = (f"extraction stopped at the {time_limit:g} s limit after "
                 f"{len(pages)} of {count or '?'} pages")
    warnings, seconds, rss = run.warnings, run.seconds, run.rss
    texts = tuple(pages.get(i, "") for i in range(max(count, len(pages))))
    unread = tuple(i for i in range(len(texts)) if i not in pages or i in page_errors)
    has_text = any(t.strip() for t in texts)
    if run.finished and not page_errors:
        outcome = "text" if has_text else "no_text"
        return Extraction(outcome, texts, count, warnings, seconds, peak_rss_kb=rss,
                          unread=unread)
    if run.finished:  # every page was tried, some could not be read: say which
        first = min(page_errors)
        error = (f"{len(page_errors)} of {count} pages unreadable "
                 f"(page {first + 1}: {page_errors[first]})")
        permanent = True
    if has_text:
        return Extraction("partial", texts, count, warnings, seconds, error, peak_rss_kb=rss,
                          unread=unread)
    return Extraction("failed", texts, count, warnings, seconds, error, permanent,
                      peak_rss_kb=rss, unread=unread)
