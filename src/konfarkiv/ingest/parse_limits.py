"""Page parsing within a size, time and memory limit (issue 26 item 9).

BeautifulSoup and the page rules are fast on real documentation pages (tens of kB, well
under a second), but a 50 MB page took 197 s and 1.85 GB, and one 200,000-letter word sent a
rule's regular expression into minutes, with the writer lock held. So a page over
PAGE_MAX_BYTES is not parsed, and every parse runs in a forked child (the same one-shot
child as PDF text: pdftext.run_child) with PARSE_SECONDS and PARSE_MEMORY; past either the
page is one failed item naming the cause, and the run goes on.
"""

from __future__ import annotations

import functools
from multiprocessing.connection import Connection
from pathlib import Path

from konfarkiv.archive.model import ParsedPage
from konfarkiv.ingest.doubts import Doubt
from konfarkiv.ingest.pdftext import _rss_kb, run_child

PAGE_MAX_BYTES = 10 * 1024 * 1024  # real documentation pages are 20-300 kB
PARSE_SECONDS = 60.0
PARSE_MEMORY = 1024 * 1024 * 1024  # bytes of address space beyond the forked parent


class ParseLimit(Exception):
    """The page was not parsed: over its size, time or memory limit, or the parser failed
    (the message says which); `permanent` when retrying the same bytes cannot help."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.permanent = permanent


def _parse_in_child(path: str, conn: Connection, budget: int, *, url: str) -> None:
    from konfarkiv.ingest.page import read_page

    html = Path(path).read_bytes()
    try:
        page, doubts = read_page(html, url)
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - a parser bug is this page's failure
        conn.send(("fail", f"could not parse the page ({type(exc).__name__}: {exc})"[:300],
                   False, 0, _rss_kb()))
        return
    conn.send(("page", 0, (page, doubts), None, _rss_kb()))
    conn.send(("done", 0, _rss_kb()))


def parse_page_file(path: Path, url: str, *, time_limit: float | None = None,
                    memory_budget: int | None = None) -> tuple[ParsedPage, list[Doubt]]:
    """read_page of the stored page at path, in a child within the limits; ParseLimit
    (or the parser's own failure, as ParseLimit too) when it cannot be had."""
    size = path.stat().st_size
    if size > PAGE_MAX_BYTES:
        raise ParseLimit(f"the page is {size} bytes, over the {PAGE_MAX_BYTES} bytes a "
                         "documentation page may have", permanent=True)
    from konfarkiv.ingest import page as _page  # noqa: F401 - imported once, forked warm

    time_limit = PARSE_SECONDS if time_limit is None else time_limit
    memory_budget = PARSE_MEMORY if memory_budget is None else memory_budget
    run = run_child(functools.partial(_parse_in_child, url=url), path,
                    time_limit=time_limit, memory_budget=memory_budget)
    if run.timed_out:
        raise ParseLimit(f"parsing the page took longer than {time_limit:g} s")
    if run.error or not run.finished or 0 not in run.pages:
        reason = (run.error or "the parser stopped").replace("extractor", "page parser")
        raise ParseLimit(reason)
    page, doubts = run.pages[0]
    return page, list(doubts)
