"""What one search may cost: caps on prefix and infix expansion, and a per-query budget.

Whoosh expands `ko*` into every indexed term starting with "ko", and the accent-folded
fallback's infix `*word*` into every term of the field that contains the word: a scan of
the whole term list, per word and field, in each of the search's passes. On a large archive
ten unknown words, or a few two-letter prefixes, held a server thread for minutes (issue 26
item 3). Here each search gets a budget (contextvar, so threads do not share one):

* a typed prefix may match at most MAX_PREFIX_TERMS terms per field, else QueryTooCostly
  (code "prefix_too_broad"): the user types more letters;
* infix scans (a fallback for recall, never asked for) share MAX_SCANNED_TERMS term visits;
  once spent, further infix expansions match nothing rather than scan;
* the whole search has QUERY_SECONDS; past it, the next check raises QueryTooCostly
  (code "query_too_slow").
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar

from whoosh.query import Prefix, Wildcard

from konfarkiv.search import termlist
from konfarkiv.search.syntax import QueryError

MAX_PREFIX_TERMS = 2_000
MAX_SCANNED_TERMS = 400_000
QUERY_SECONDS = 5.0
CHECK_EVERY = 4_096  # term visits between two looks at the clock


class QueryTooCostly(QueryError):
    """The search would cost more than a search may; the code names which cap (each face
    says it in its language: render.QUERY_ERRORS, web.query_messages)."""


@dataclass
class Budget:
    deadline: float
    scans_left: int = field(default_factory=lambda: MAX_SCANNED_TERMS)
    scanned: int = 0  # infix term visits so far (what the cap bounds)
    #: Infix answers this search has paid for, by (segment, field, word): a search asks
    #: the same wildcard in several passes (counting, ranking, evidence) and pays once,
    #: and gets the same answer each time, even one the cap cut short.
    answers: dict[tuple[str, str, str], tuple[bytes, ...]] = field(default_factory=dict)

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise QueryTooCostly("query_too_slow", seconds=f"{QUERY_SECONDS:g}")


_BUDGET: ContextVar[Budget | None] = ContextVar("konfarkiv_search_budget", default=None)


@contextmanager
def budget(seconds: float | None = None) -> Iterator[Budget]:
    """One search's budget; nested calls (a search inside a search) share the outer one."""
    outer = _BUDGET.get()
    if outer is not None:
        yield outer
        return
    token = _BUDGET.set(Budget(time.monotonic() + (QUERY_SECONDS if seconds is None
                                                    else seconds)))
    try:
        yield _BUDGET.get()  # type: ignore[misc]
    finally:
        _BUDGET.reset(token)


F = TypeVar("F", bound=Callable[..., Any])


def within_budget(fn: F) -> F:
    """Run fn under a search budget (the outer one when already inside a search)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with budget():
            return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def check() -> None:
    """Raise QueryTooCostly when the current search is past its time."""
    current = _BUDGET.get()
    if current is not None:
        current.check()


def checked(items: Iterator[Any], every: int = CHECK_EVERY) -> Iterator[Any]:
    """items, looking at the current search's clock every `every` items."""
    for n, item in enumerate(items, 1):
        if n % every == 0:
            check()
        yield item


class CappedPrefix(Prefix):
    """A typed prefix: at most MAX_PREFIX_TERMS terms, else the user is asked for more."""

    def _btexts(self, ixreader: Any) -> Iterator[bytes]:
        for n, btext in enumerate(checked(super()._btexts(ixreader)), 1):
            if n > MAX_PREFIX_TERMS:
                raise QueryTooCostly("prefix_too_broad", prefix=self.text,
                                     most=MAX_PREFIX_TERMS)
            yield btext


class CappedWildcard(Wildcard):
    """An infix fallback (`*word*`): its term visits come out of the search's scan budget;
    when that is spent it matches nothing more instead of scanning on. A plain `*word*`
    is looked up in the segment's cached term list (termlist.py); other patterns walk the
    term list as Whoosh does."""

    def _btexts(self, ixreader: Any) -> Iterator[bytes]:
        part = self.text[1:-1]
        plain = (len(self.text) > 2 and self.text[0] == self.text[-1] == "*"
                 and not any(c in part for c in "*?[]"))
        if plain and not ixreader.is_atomic() and hasattr(ixreader, "leaf_readers"):
            found: set[bytes] = set()
            for leaf, _offset in ixreader.leaf_readers():
                found.update(self._btexts(leaf))
            yield from sorted(found)
            return
        key = termlist.segment_key(ixreader) if plain else None
        if key is not None:
            yield from self._cached(ixreader, key, part)
            return
        yield from self._walked(ixreader)

    def _cached(self, ixreader: Any, key: str, part: str) -> tuple[bytes, ...]:
        """The budget is charged a whole scan even when the answer is remembered from an
        earlier search, so a search finds the same whether or not another warmed the
        cache; within one search each scan is paid once."""
        check()
        current = _BUDGET.get()
        if current is not None and (key, self.fieldname, part) in current.answers:
            return current.answers[(key, self.fieldname, part)]
        btexts = self._answer(ixreader, key, part, current)
        if current is not None:
            current.answers[(key, self.fieldname, part)] = btexts
        return btexts

    def _answer(self, ixreader: Any, key: str, part: str,
                current: Budget | None) -> tuple[bytes, ...]:
        known = termlist.remembered(key, self.fieldname, part)
        if known is not None:
            size, btexts = known
            if current is None or current.scans_left >= size:
                _charge(current, size)
                return btexts
        terms = termlist.term_list(ixreader, self.fieldname, key)
        visits = len(terms) if current is None else max(0, min(len(terms), current.scans_left))
        _charge(current, visits)
        words, complete = terms.containing(part, visits)
        field = ixreader.schema[self.fieldname]
        btexts = tuple(field.to_bytes(w) for w in words)
        if complete:
            termlist.remember(key, self.fieldname, part, (len(terms), btexts))
        return btexts

    def _walked(self, ixreader: Any) -> Iterator[bytes]:
        current = _BUDGET.get()
        field = ixreader.schema[self.fieldname]
        exp = re.compile(self._get_pattern())
        prefix = self._find_prefix(self.text)
        candidates = (ixreader.expand_prefix(self.fieldname, prefix) if prefix
                      else ixreader.lexicon(self.fieldname))
        for btext in checked(candidates):
            if current is not None:
                if current.scans_left <= 0:
                    return
                current.scans_left -= 1
                current.scanned += 1
            if exp.match(field.from_bytes(btext)):
                yield btext


def _charge(current: Budget | None, visits: int) -> None:
    if current is not None:
        current.scans_left -= visits
        current.scanned += visits
