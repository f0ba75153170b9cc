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
from konfarkiv.search.termlist import segment_key


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
        # the rarest part read whole; the others only looked up for its documents
        plain.sort(key=lambda sub: _size(reader, sub))
        found = _docs(searcher, plain[0])
        for sub in plain[1:]:
            found = _within(searcher, sub, found)
        for sub in nots:
            found -= _within(searcher, sub.query, found)
        return found
    if type(q) is Require:
        return _within(searcher, q.b, _docs(searcher, q.a))
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


#: A posting list this many times longer than the documents asked about is searched for
#: each of them (skip_to: whole blocks skipped by their last id), not read whole.
SEEK_RATIO = 8


def _within(searcher: Any, q: Query, candidates: set[int]) -> set[int]:
    """candidates ∩ the documents q matches, reading no more than it must: a common word
    asked about a rare word's documents looks those few up instead of reading all of its
    posting list."""
    if not candidates:
        return set()
    check()
    reader = searcher.reader()
    if type(q) is Term:
        return _term_within(reader, q.fieldname, q.text, candidates)
    if isinstance(q, MultiTerm) and hasattr(q, "_btexts"):
        out: set[int] = set()
        if q.fieldname in reader.schema:
            for btext in q._btexts(reader):
                out |= _term_within(reader, q.fieldname, btext, candidates - out)
        return out
    if isinstance(q, (Or, DisjunctionMax)) and not getattr(q, "minmatch", 0) and not any(
            isinstance(sub, Not) for sub in q.subqueries):
        out = set()
        for sub in q.subqueries:
            rest = candidates - out
            if not rest:
                break
            out |= _within(searcher, sub, rest)
        return out
    if type(q) is And and any(not isinstance(sub, Not) for sub in q.subqueries):
        found = candidates
        for sub in q.subqueries:
            if isinstance(sub, Not):
                found = found - _within(searcher, sub.query, found)
            else:
                found = _within(searcher, sub, found)
        return found
    if type(q) is Require:
        return _within(searcher, q.b, _within(searcher, q.a, candidates))
    if type(q) is AndMaybe:
        return _within(searcher, q.a, candidates)
    if type(q) is AndNot:
        found = _within(searcher, q.a, candidates)
        return found - _within(searcher, q.b, found)
    if type(q) is Not:
        return candidates - _within(searcher, q.query, candidates)
    if isinstance(q, WrappingQuery):
        return _within(searcher, q.child, candidates)
    return candidates & _docs(searcher, q)


def _term_within(reader: Any, fieldname: str, text: Any, candidates: set[int]) -> set[int]:
    if not candidates or fieldname not in reader.schema or (fieldname, text) not in reader:
        return set()
    if len(candidates) * SEEK_RATIO >= reader.doc_frequency(fieldname, text):
        return candidates & _postings(reader, fieldname, text)
    matcher = reader.postings(fieldname, text)  # deleted documents filtered out
    out: set[int] = set()
    for docnum in sorted(candidates):
        if not matcher.is_active():
            break
        if matcher.id() < docnum:
            matcher.skip_to(docnum)
            if not matcher.is_active():
                break
        if matcher.id() == docnum:
            out.add(docnum)
    return out


def _size(reader: Any, q: Query) -> int:
    """How many documents q may match, from term statistics: only orders the work, and
    never expands a wildcard (that would charge the search's scan budget: cost.py)."""
    if q is NullQuery:
        return 0
    if type(q) is Term:
        if q.fieldname not in reader.schema or (q.fieldname, q.text) not in reader:
            return 0
        return int(reader.doc_frequency(q.fieldname, q.text))
    if isinstance(q, (Or, DisjunctionMax)):
        return sum(_size(reader, sub) for sub in q.subqueries)
    if type(q) is And:
        return min((_size(reader, sub) for sub in q.subqueries if not isinstance(sub, Not)),
                   default=reader.doc_count_all())
    if type(q) in (Require, AndMaybe, AndNot):
        return _size(reader, q.a)
    if isinstance(q, WrappingQuery):
        return _size(reader, q.child)
    return int(reader.doc_count_all())


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
    key = tuple((segment_key(sub.reader()) or "empty", offset) for sub, offset in leaves)
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
                for d in _postings(reader, fieldname, btext):
                    column[offset + d] = value
    with _tables_lock:
        while len(_tables) >= 4:
            _tables.pop(next(iter(_tables)))
        _tables[key] = made
    return made

