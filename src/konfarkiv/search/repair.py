"""A search that meets a damaged index rebuilds it from the catalog and searches again.

`sync.ensure_index` opens every segment before a search, but some of the index's files
(the vocabulary and lexicon beside the segments, a posting list deep inside one) are
read only while searching. Garbage there must not be a traceback: the README promises
that a damaged index is rebuilt, and the catalog holds everything needed to do so.

Only damage is repaired: an error of the kinds that unreadable files raise (Whoosh's
own errors, I/O, unpickling, decompression, bytes that are not UTF-8), or any error
raised inside Whoosh while it reads the index's data. A programming error in
konfarkiv's own code (a TypeError while building results) is not damage: it surfaces
as itself, without taking the writer lock or rebuilding anything.
"""

from __future__ import annotations

from typing import Any

from konfarkiv.search.damage import is_damage
from konfarkiv.search.index import IndexProblem, rebuild
from konfarkiv.search.query import SearchResponse, search_archive


def search_repairing(archive: Any, text: str, **options: Any) -> tuple[SearchResponse, str | None]:
    """search_archive; on damage found while searching, rebuild the index once and retry."""
    try:
        return search_archive(archive, text, **options)
    except Exception as exc:
        if isinstance(exc, IndexProblem) or not is_damage(exc):
            raise  # a bad query, the catalog, a busy rebuild, a bug: not the index's files
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
