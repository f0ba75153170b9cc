"""Which documents a query matches, unscored, by set algebra over posting lists.

Counting (the kind facet's "results with a matching slide") needs every match but no
score. Whoosh's ``query.docs()`` answers by walking the query's matcher tree one
document at a time in Python, moving each union and intersection node per step; on a
10k-slide archive that walk was two thirds of a faceted search. Here each term's posting
list is read whole (Whoosh decodes a block of ids at once) into a set, and Or, And, AndNot
and Not become set union, intersection and difference in C. Queries that need positions
(phrases, spans) or ranges are left to Whoosh's own ``docs()`` on that segment, so
every query gets exactly the documents Whoosh would match (tests/search/test_docsets.py).
"""

from __future__ import annotations

import threading
from typing import Any

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import (
    And,
    AndMaybe,
    AndNot,
    DisjunctionMax,
    MultiTerm,
    Not,
    NullQuery,
    Or,
    Query,
    Require,
    Term,
)
from whoosh.query.wrappers import WrappingQuery

from konfarkiv.search.cost import check


def matching_docs(searcher: Any, query: Query) -> set[int]:
    """The (top searcher's) document numbers query matches, deleted documents left out."""
    out: set[int] = set()
    for sub, offset in searcher.leaf_searchers():
        local = _docs(sub, query)
        out.update(local if not offset else {offset + d for d in local})
    return out


def _docs(searcher: Any, q: Query) -> set[int]:
    """Local document numbers of one segment's searcher."""
    check()
    if q is NullQuery:
        return set()
    reader = searcher.reader()
    if type(q) is Term:
        return _postings(reader, q.fieldname, q.text)
    if isinstance(q, MultiTerm) and hasattr(q, "_btexts"):
        out: set[int] = set()
        if q.fieldname in reader.schema:
            for btext in q._btexts(reader):
                out |= _postings(reader, q.fieldname, btext)
        return out
    if isinstance(q, (Or, DisjunctionMax)) and not getattr(q, "minmatch", 0):
        nots = [s for s in q.subqueries if isinstance(s, Not)]
        if nots:  # Whoosh's union of an inverse: left to Whoosh
            return set(q.docs(searcher))
        out = set()
        for sub in q.subqueries:
            out |= _docs(searcher, sub)
        return out
    if type(q) is And:
        plain = [s for s in q.subqueries if not isinstance(s, Not)]
        nots = [s for s in q.subqueries if isinstance(s, Not)]
        if not plain:
            return set(q.docs(searcher))
        found = _docs(searcher, plain[0])
        for sub in plain[1:]:
            if not found:
                return found
            found &= _docs(searcher, sub)
        for sub in nots:
            if not found:
                return found
            found -= _docs(searcher, sub.query)
        return found
    if type(q) is Require:
        found = _docs(searcher, q.a)
        return found & _docs(searcher, q.b) if found else found
    if type(q) is AndMaybe:
        return _docs(searcher, q.a)
    if type(q) is AndNot:
        found = _docs(searcher, q.a)
        return found - _docs(searcher, q.b) if found else found
    if type(q) is Not:
        return _live(reader) - _docs(searcher, q.query)
    if isinstance(q, WrappingQuery):  # a constant score or a boost: the child's matches
        return _docs(searcher, q.child)
    return set(q.docs(searcher))  # phrases, spans, ranges, Every: Whoosh's own walk


def _postings(reader: Any, fieldname: str, text: Any) -> set[int]:
    if fieldname not in reader.schema or (fieldname, text) not in reader:
        return set()
    matcher = reader.postings(fieldname, text)
    deleted: frozenset[int] = frozenset()
    if isinstance(matcher, FilterMatcher) and matcher._exclude:  # deleted documents
        deleted, matcher = frozenset(matcher._ids), matcher.child
    if not isinstance(matcher, W3LeafMatcher):
        return set(matcher.all_ids()) - deleted
    return _block_ids(matcher) - deleted


def _block_ids(m: W3LeafMatcher) -> set[int]:
    """A posting list's ids a block at a time (Whoosh's all_ids yields them one by one
    through a Python generator: most of a large count's time). Uses the pinned
    whoosh-reloaded 2.7.5 codec's block fields; tests/search/test_docsets.py checks the
    answer against Whoosh's own walk."""
    out: set[int] = set()
    while m.is_active():
        if m._ids is None:
            m._read_ids()
        out.update(m._ids[m._i:m._blocklength])
        m._i = m._blocklength - 1
        m.next()
    return out


def _live(reader: Any) -> set[int]:
    return set(reader.all_doc_ids())


_tables: dict[tuple[tuple[str, int], ...], DocTable] = {}
_tables_lock = threading.Lock()


class DocTable:
    """Each document's group ("s:12", "e:3") and kind ("slide", "caption", …) by global
    document number, read from those fields' posting lists once per index version (a
    segment's documents never change), so counting matches by group and kind reads no
    stored fields."""

    def __init__(self, size: int) -> None:
        self.groups: list[str | None] = [None] * size
        self.kinds: list[str | None] = [None] * size

    def group(self, docnum: int) -> str | None:
        return self.groups[docnum] if 0 <= docnum < len(self.groups) else None

    def kind(self, docnum: int) -> str | None:
        return self.kinds[docnum] if 0 <= docnum < len(self.kinds) else None


def doc_table(searcher: Any) -> DocTable:
    """The group and kind of every document of the searcher's index (cached)."""
    leaves = searcher.leaf_searchers()
    key = tuple((_segment_id(sub.reader()), offset) for sub, offset in leaves)
    with _tables_lock:
        known = _tables.get(key)
    if known is not None:
        return known
    made = DocTable(searcher.reader().doc_count_all())
    for fieldname, column in (("group", made.groups), ("kind", made.kinds)):
        field = searcher.schema[fieldname]
        for sub, offset in leaves:
            reader = sub.reader()
            for btext in reader.lexicon(fieldname):
                value = field.from_bytes(btext)
                for d in reader.postings(fieldname, btext).all_ids():
                    column[offset + d] = value
    with _tables_lock:
        while len(_tables) >= 4:
            _tables.pop(next(iter(_tables)))
        _tables[key] = made
    return made


def _segment_id(reader: Any) -> str:
    segment = reader.segment() if reader.is_atomic() else None
    return "empty" if segment is None else str(segment.segment_id())
