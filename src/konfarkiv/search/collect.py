"""The ranking pass: one walk over the matching ranking documents that counts them,
counts their facets, and keeps the best k, scoring only what can enter the k.

Whoosh's TopCollector skips whole blocks that cannot reach the top k, but then
cannot count; its UnlimitedCollector (what ``groupedby`` forces) scores every
match. This collector steps through every match (a cheap move per posting) so
the total and the facets are exact, and asks the matcher's block quality (the
best score any document of the current block can have) once per block: a block
that cannot beat the k-th score is walked without scoring. Sorting by date reads
the ``date`` column instead of scoring at all.
"""

from __future__ import annotations

from collections import Counter
from heapq import heappush, heapreplace
from typing import Any

from whoosh.collectors import ScoredCollector

from konfarkiv.search.facets import TWIN_KEY, FacetKeys

SORTS = ("relevance", "newest", "oldest")


class RankCollector(ScoredCollector):
    """Best ``limit`` documents by score (or by date), the exact count of matches
    (events that are their own session counted once), and with ``facets`` the
    count of every facet key over all matches."""

    def __init__(self, limit: int, *, sort: str = "relevance", facets: bool = False) -> None:
        super().__init__(replace=0)
        self.limit = limit
        self.sort = sort
        self.want_facets = facets

    def prepare(self, top_searcher: Any, q: Any, context: Any) -> None:
        super().prepare(top_searcher, q, context)
        self.total = 0
        self.scored = 0
        self.keys: Counter[str] = Counter()
        self._facet = FacetKeys().categorizer(top_searcher)

    def set_subsearcher(self, subsearcher: Any, offset: int) -> None:
        super().set_subsearcher(subsearcher, offset)
        reader = subsearcher.reader()
        if self.want_facets:  # the column is read only when facets are counted
            self._facet.set_searcher(subsearcher, offset)
        # events that are their own session: a handful of documents, from their posting list
        self._twins = (frozenset(reader.postings("facet", TWIN_KEY).all_ids())
                       if reader.doc_frequency("facet", TWIN_KEY) else frozenset())
        self._dates = reader.column_reader("date") if self.sort != "relevance" else None

    def collect_matches(self) -> None:
        matcher = self.matcher
        items = self.items
        limit = self.limit
        keys_for = self._facet.keys_for
        count = self.keys.update
        facets = self.want_facets
        twins = self._twins
        by_score = self.sort == "relevance"
        quality = by_score and matcher.supports_block_quality()
        newest = self.sort == "newest"
        competitive = True
        new_block = True
        while matcher.is_active():
            docnum = matcher.id()
            if docnum not in twins:
                self.total += 1
                if facets:
                    count(keys_for(matcher, docnum))
            if by_score:
                if quality and new_block and len(items) >= limit:
                    competitive = matcher.block_quality() > self.minscore
                if competitive or not quality:
                    self._offer(matcher.score(), docnum)
            else:
                self._offer_dated(docnum, newest)
            new_block = matcher.next()

    def _offer(self, score: float, docnum: int) -> None:
        self.scored += 1
        items = self.items
        entry = (score, -(self.offset + docnum))
        if len(items) < self.limit:
            heappush(items, entry)
        elif entry > items[0]:
            heapreplace(items, entry)
            self.minscore = items[0][0]
        if len(items) >= self.limit:
            self.minscore = items[0][0]

    def _offer_dated(self, docnum: int, newest: bool) -> None:
        """Newest (or oldest) first; documents without a date last; ties in index order."""
        value = self._dates[docnum] if self._dates is not None else ""
        if isinstance(value, bytes):
            value = value.decode("utf-8")
        rank = _date_rank(value or "", newest)
        entry = (rank, -(self.offset + docnum))
        items = self.items
        if len(items) < self.limit:
            heappush(items, entry)
        elif entry > items[0]:
            heapreplace(items, entry)

    def collect(self, sub_docnum: int) -> Any:  # the walk above does the collecting
        raise NotImplementedError

    def best(self) -> list[tuple[float, int]]:
        """(score or date rank, global docnum), best first."""
        return [(key, -neg) for key, neg in sorted(self.items, reverse=True)]

    def results(self) -> Any:
        return self._results(self.best())


def _date_rank(date: str, newest: bool) -> tuple[int, str]:
    """Heap key of a date: larger is better. Dated before undated in both orders."""
    if not date:
        return (0, "")
    if newest:
        return (1, date)
    return (1, "".join(chr(0x10FFFF - ord(c)) for c in date))
