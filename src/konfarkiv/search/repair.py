"""A search that meets a damaged index rebuilds it from the catalog and searches again.

`sync.ensure_index` opens every segment before a search, but some of the index's files
(the vocabulary and lexicon beside the segments, a posting list deep inside one) are
read only while searching. Garbage there must not be a traceback: the README promises
that a damaged index is rebuilt, and the catalog holds everything needed to do so.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from konfarkiv.search.index import IndexProblem, rebuild
from konfarkiv.search.query import QueryError, SearchResponse, search_archive


def search_repairing(archive: Any, text: str, **options: Any) -> tuple[SearchResponse, str | None]:
    """search_archive; on damage found while searching, rebuild the index once and retry."""
    try:
        return search_archive(archive, text, **options)
    except (QueryError, IndexProblem, sqlite3.Error):
        raise  # a bad query, a busy rebuild, or the catalog: not the index's files
    except Exception as exc:  # noqa: BLE001 - any failure reading the index means damaged
        problem = f"{type(exc).__name__}: {exc}"[:200]
    from konfarkiv.archive.lock import ArchiveBusy, WriterLock

    try:
        with WriterLock(archive.layout.lock, command="search (reindex)"):
            docs = rebuild(archive.layout.index, archive.catalog)
    except ArchiveBusy as exc:
        raise IndexProblem(f"the search index is damaged ({problem}); not rebuilt now: "
                           f"{exc}") from exc
    resp, note = search_archive(archive, text, **options)
    rebuilt = (f"the search index was damaged ({problem}): rebuilt it from the catalog "
               f"({docs} documents)")
    return resp, f"{rebuilt}; {note}" if note else rebuilt
