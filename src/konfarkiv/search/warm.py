"""What a process keeps open between searches: the index's searcher and its lexicon.

Opening a searcher opens every segment's files and checks the index (tens of ms
at archive size); the lexicon is a file of 100k words. A long-lived process
(``serve``) keeps both, per thread (a Whoosh searcher reads its files with seek
and read, which threads must not share), and opens them again when the index
changes: a commit writes a new table of contents, and ``reindex`` swaps in a new
folder, so the newest TOC file's name, inode and mtime say which index is current.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from konfarkiv.search.vocabulary import WORDS_FILE, QueryLexicon

_local = threading.local()
_lexicons: dict[tuple[str, Any], QueryLexicon] = {}
_lexicon_lock = threading.Lock()


def index_stamp(index_dir: Path) -> tuple[Any, ...] | None:
    """Which index is in the folder now: its newest TOC and its segments' file names (a
    rebuild in the same clock tick may reuse the TOC's name and inode; segment names are
    random per write), or None: no index."""
    from konfarkiv.search.index_files import INDEX_NAME

    try:
        entries = list(os.scandir(index_dir))
    except OSError:
        return None
    tocs = [e for e in entries
            if e.name.startswith(f"_{INDEX_NAME}_") and e.name.endswith(".toc")]
    if not tocs:
        return None
    newest = max(tocs, key=lambda e: int(e.name.rsplit("_", 1)[1].split(".")[0]))
    st = newest.stat()
    segments = tuple(sorted(e.name for e in entries if e.name.startswith(f"{INDEX_NAME}_")))
    return (newest.name, st.st_ino, st.st_mtime_ns, st.st_size, segments)


@contextmanager
def warm_searcher(index_dir: Path) -> Iterator[Any]:
    """This thread's searcher of the index, opened (and checked) only when it changed."""
    from konfarkiv.search.index import IndexProblem, open_searcher

    cache: dict[str, tuple[Any, Any, Any]] = _local.__dict__.setdefault("searchers", {})
    key = str(index_dir)
    stamp = index_stamp(index_dir)
    held = cache.get(key)
    if held is None or held[0] != stamp or stamp is None:
        if held is not None:
            cache.pop(key)
            _close(held)
        ix, searcher = open_searcher(index_dir)  # IndexProblem: missing, damaged, outdated
        held = (stamp, ix, searcher)
        if stamp is not None:
            cache[key] = held
    try:
        yield held[2]
    except (OSError, IndexProblem):
        cache.pop(key, None)  # a file gone under it: open afresh next time
        _close(held)
        raise
    finally:
        if stamp is None:
            _close(held)


def index_problem(index_dir: Path) -> str | None:
    """None when the index opens and is complete, else what is wrong; the searcher it
    opened stays this thread's warm one, so the search that follows the check (a cold
    `konfarkiv search`) opens the index once, not twice."""
    from konfarkiv.search.index import IndexProblem

    try:
        with warm_searcher(index_dir):
            return None
    except IndexProblem as exc:
        return str(exc)


def _close(held: tuple[Any, Any, Any]) -> None:
    try:
        held[2].close()
        held[1].close()
    except Exception:  # noqa: BLE001 - closing what may already be gone
        pass


def forget(index_dir: Path | None = None) -> None:
    """Close this thread's cached searchers (all, or the one of index_dir)."""
    cache = _local.__dict__.get("searchers", {})
    for key in [k for k in cache if index_dir is None or k == str(index_dir)]:
        _close(cache.pop(key))


def query_lexicon(index_dir: Path) -> QueryLexicon:
    """The index's query lexicon, loaded once per process and index version."""
    path = Path(index_dir) / WORDS_FILE
    try:
        st = path.stat()
        stamp: Any = (st.st_ino, st.st_mtime_ns, st.st_size)
    except OSError:
        return QueryLexicon(index_dir)
    key = (str(index_dir), stamp)
    with _lexicon_lock:
        lexicon = _lexicons.get(key)
        if lexicon is None:
            for old in [k for k in _lexicons if k[0] == str(index_dir)]:
                del _lexicons[old]
            lexicon = _lexicons[key] = QueryLexicon(index_dir)
        return lexicon
