"""OCR of PDF pages whose text layer is missing or useless: PDFium renders, Tesseract reads.

Scanned handouts and slides exported as pictures carry no text; without OCR not a word of
them can be found. A page is a candidate when its text layer holds fewer than MIN_LETTERS
letters; a candidate that renders blank is recorded as blank, never OCR'd; pages with real
text are never rendered here.

The binding is pytesseract: pure Python (pip installs it on any machine), it runs the
OS's `tesseract` program, whose Swedish and English models come from the same apt line.
Each page is read by a tesseract process of its own, so the per-page time cap kills that
process and nothing else, and a crash in the engine costs one page. (tesserocr runs the
engine in-process: its wheels bundle their own libtesseract for some platforms only and
elsewhere it compiles against the system's headers; a stuck page could then only be
stopped by killing the whole extractor child.) The price is a process start and a model
load per page, about 0.2 s, small beside the reading itself.

Everything runs in an extractor child (pdftext.run_child): its memory budget, which the
tesseract processes inherit, and a per-file wall-clock cap; pages are reported one by one,
so those read before a cap are kept, the rest stay waiting for `konfarkiv ocr`.
"""

from __future__ import annotations

import ctypes
import functools
import os
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from konfarkiv.archive.pagetext import OcrState
from konfarkiv.ingest.normalize import normalize_text
from konfarkiv.ingest.pdftext import MEMORY_BUDGET, run_child

LANGUAGES = "swe+eng"
#: A page's text layer with fewer letters than this is missing or useless ("12", "©").
MIN_LETTERS = 4
#: Render resolution for OCR, and the most pixels one page may become (a poster-sized
#: page is scaled down rather than rendered at 300 dpi: 11,000 x 15,000 pixels).
OCR_DPI = 300
MAX_PIXELS = 12_000_000
#: Blank check: a page rendered at BLANK_DPI whose pixels differ from its dominant tone
#: by more than INK_DELTA on fewer than BLANK_SHARE of them has nothing to read.
BLANK_DPI = 72
INK_DELTA = 48
BLANK_SHARE = 0.0005
PAGE_TIME_LIMIT = 60.0  # seconds tesseract may take for one page
FILE_TIME_LIMIT = 600.0  # seconds one file's OCR may take in a run; the rest waits
ENABLE_HINT = ("install Tesseract with its Swedish model (apt-get install tesseract-ocr "
               "tesseract-ocr-swe tesseract-ocr-eng), then run `konfarkiv ocr`")


@dataclass(frozen=True)
class Engine:
    """The OCR engine found on this machine."""

    version: str
    languages: str = LANGUAGES

    @property
    def label(self) -> str:
        return f"tesseract {self.version}"


def needs_ocr(text: str) -> bool:
    """Whether a page's extracted text is missing or too thin to be its content."""
    return sum(ch.isalpha() for ch in text) < MIN_LETTERS


def version_key(label: str | None) -> tuple[int, ...]:
    """"tesseract 5.3.0" -> (5, 3, 0), to tell a newer engine; () for none."""
    if not label:
        return ()
    digits = label.rsplit(" ", 1)[-1]
    out: list[int] = []
    for part in digits.split("."):
        num = "".join(ch for ch in part if ch.isdigit())
        if not num:
            break
        out.append(int(num))
    return tuple(out)


def find_engine(languages: str = LANGUAGES) -> tuple[Engine | None, str]:
    """The tesseract on PATH with every language of `languages`, or None and why not."""
    return _find_engine(shutil.which("tesseract"), languages)


@functools.lru_cache(maxsize=8)
def _find_engine(program: str | None, languages: str) -> tuple[Engine | None, str]:
    if program is None:
        return None, "Tesseract is not installed"
    import pytesseract

    pytesseract.pytesseract.tesseract_cmd = program
    try:
        version = str(pytesseract.get_tesseract_version())
        have = set(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractError, pytesseract.TesseractNotFoundError, OSError,
            RuntimeError) as exc:
        return None, f"Tesseract at {program} does not run ({exc})"
    missing = [lang for lang in languages.split("+") if lang not in have]
    if missing:
        return None, f"Tesseract has no model for {', '.join(missing)}"
    return Engine(version, languages), ""


@dataclass(frozen=True)
class PageResult:
    """One page's OCR: state, text (normalized), mean word confidence, reason if failed."""

    page: int  # 0-based
    state: OcrState
    text: str = ""
    confidence: float | None = None
    seconds: float = 0.0
    error: str | None = None


@dataclass(frozen=True)
class OcrRun:
    """A file's OCR in one child: the pages it reported, and why it stopped if early."""

    pages: tuple[PageResult, ...]
    engine: Engine | None
    seconds: float
    error: str | None = None
    peak_rss_kb: int = 0

    def count(self, state: OcrState) -> int:
        return sum(p.state == state for p in self.pages)


def ocr_pdf(path: Path, pages: Sequence[int], engine: Engine | None, *,
            page_time_limit: float = PAGE_TIME_LIMIT, time_limit: float = FILE_TIME_LIMIT,
            memory_budget: int = MEMORY_BUDGET,
            on_page: Callable[[PageResult], None] | None = None) -> OcrRun:
    """Check the given 0-based pages for ink and, with an engine, read them, in a child.

    Without an engine the non-blank pages come back waiting. Pages the child did not
    report (the file's time cap, a crash) come back waiting with the reason."""
    target = functools.partial(_ocr_in_child, list(pages), engine, page_time_limit)
    run = run_child(target, path, time_limit=time_limit, memory_budget=memory_budget,
                    on_page=(lambda _i, p: on_page(_page_result(p))) if on_page else None)
    got = {i: _page_result(p) for i, p in run.pages.items()}
    why = run.error
    if run.timed_out:
        why = (f"the file's OCR time cap ({time_limit:g} s) was reached after "
               f"{len(got)} of {len(pages)} pages")
    out = tuple(got.get(i) or PageResult(i, OcrState.WAITING, error=why or "not reached")
                for i in pages)
    return OcrRun(out, engine, run.seconds, why if len(got) < len(pages) else None,
                  run.rss)


def _page_result(payload: Any) -> PageResult:
    page, state, text, confidence, seconds, error = payload
    return PageResult(page, OcrState(state), text, confidence, seconds, error)


def _ocr_in_child(pages: list[int], engine: Engine | None, page_time_limit: float,
                  path: str, conn: Connection, budget: int) -> None:
    """In the extractor child: one message per page, as soon as it is read."""
    import pypdfium2

    from konfarkiv.ingest.pdftext import _rss_kb

    os.environ["OMP_THREAD_LIMIT"] = "1"  # one core per page: --workers sets the parallelism
    try:
        doc = pypdfium2.PdfDocument(path)
    except Exception as exc:  # noqa: BLE001 - reported to the parent as data
        conn.send(("fail", f"PDFium cannot open it: {exc}"[:300], True, 0, _rss_kb()))
        return
    conn.send(("count", len(doc)))
    for i in pages:
        started = time.monotonic()
        try:
            state, text, confidence, error = _read_page(doc, i, engine, page_time_limit)
        except MemoryError:
            state, text, confidence = OcrState.FAILED, "", None
            error = f"over the extractor's memory limit ({budget // (1024 * 1024)} MB)"
        except Exception as exc:  # noqa: BLE001 - a bad page must not lose the others
            state, text, confidence = OcrState.FAILED, "", None
            error = f"{type(exc).__name__}: {str(exc).strip()[:200]}"
        payload = (i, str(state), text, confidence, time.monotonic() - started, error)
        conn.send(("page", i, payload, error if state == OcrState.FAILED else None, _rss_kb()))
    conn.send(("done", 0, _rss_kb()))
    conn.close()


def _read_page(doc: Any, index: int, engine: Engine | None, page_time_limit: float
               ) -> tuple[OcrState, str, float | None, str | None]:
    with _released(doc[index]) as page:
        blank = is_blank(page.render(scale=BLANK_DPI / 72, grayscale=True).to_pil())
    if blank:
        return OcrState.BLANK, "", None, None
    if engine is None:
        return OcrState.WAITING, "", None, "Tesseract is not installed"
    with _released(doc[index]) as page:
        image = render_for_ocr(page)
    return read_image(image, engine, page_time_limit)


@contextmanager
def _released(page: Any) -> Iterator[Any]:
    """A PDFium page whose decoded images are handed back to the OS once it is drawn.

    PDFium decodes a page's images whole (a poster-sized JPEG 2000 scan: about 190 MB) and
    keeps them with the page; closed and trimmed, that memory is gone before the next
    render or the tesseract process starts, so the two peaks never add up."""
    try:
        yield page
    finally:
        page.close()
        _trim_heap()


def _trim_heap() -> None:
    """Give freed heap back to the OS (glibc's malloc_trim; nothing elsewhere)."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


def render_for_ocr(page: Any) -> Any:
    """A PDFium page as the grey image Tesseract reads: OCR_DPI, at most MAX_PIXELS."""
    width, height = page.get_size()
    scale = OCR_DPI / 72
    if width * height * scale * scale > MAX_PIXELS:
        scale = (MAX_PIXELS / max(width * height, 1.0)) ** 0.5
    return page.render(scale=scale, grayscale=True).to_pil()


def is_blank(image: Any) -> bool:
    """Almost every pixel the page's dominant tone (white paper, a plain slide colour)."""
    histogram = image.convert("L").histogram()
    total = sum(histogram)
    dominant = max(range(256), key=histogram.__getitem__)
    ink = sum(n for tone, n in enumerate(histogram) if abs(tone - dominant) > INK_DELTA)
    return total == 0 or ink < BLANK_SHARE * total


def read_image(image: Any, engine: Engine, page_time_limit: float
               ) -> tuple[OcrState, str, float | None, str | None]:
    """Tesseract over one image: its words as lines, and their mean confidence."""
    import pytesseract

    try:
        data = pytesseract.image_to_data(image, lang=engine.languages, timeout=page_time_limit,
                                         output_type=pytesseract.Output.DICT)
    except RuntimeError as exc:  # pytesseract's timeout: the tesseract process is killed
        if "timeout" in str(exc).lower():
            return OcrState.FAILED, "", None, f"OCR took over {page_time_limit:g} s"
        raise
    except pytesseract.TesseractError as exc:
        return OcrState.FAILED, "", None, f"Tesseract failed: {str(exc)[:200]}"
    text, confidence = words_and_confidence(data)
    return OcrState.DONE, text, confidence, None


def words_and_confidence(data: dict[str, list[Any]]) -> tuple[str, float | None]:
    """Tesseract's word table -> text (a line per line it saw) and mean word confidence."""
    lines: dict[tuple[int, int, int], list[str]] = {}
    confidences: list[float] = []
    for i, word in enumerate(data.get("text", [])):
        conf = float(data["conf"][i])
        if conf < 0 or not str(word).strip():
            continue
        key = (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
        lines.setdefault(key, []).append(str(word).strip())
        confidences.append(conf)
    text = normalize_text("\n".join(" ".join(words) for words in lines.values()))
    mean = round(sum(confidences) / len(confidences), 1) if confidences else None
    return text, mean
