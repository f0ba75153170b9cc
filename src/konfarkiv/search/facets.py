"""Facets of a search: year, event, organiser, kind and speaker, with counts.

Each ranking document carries its facet values as keys in one field, ``facet``
("y:2019,e:12,o:SKR,k:session,k:slide,p:Anna Berg"), indexed (a filter is one
term) and kept in a column (counting reads one value per matching document).
The keys are counted by Whoosh's faceting (a ``sorting.FacetType`` and its
``Categorizer``) inside the one ranking pass over the matches (collect.py), so
facets cost no second search and no scoring.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from whoosh import sorting
from whoosh.query import ConstantScoreQuery, Or, Query, Term

from konfarkiv.search.syntax import QueryError

#: Facet names (the library's; each face names them in its own language) -> key prefix.
PREFIX = {"year": "y", "event": "e", "organiser": "o", "kind": "k", "speaker": "p"}
NAME_OF = {v: k for k, v in PREFIX.items()}
#: The ranking documents of events (their own material), as one term.
EVENT_KEY = "k:event"
#: Marks an event that is its own one session: counted once, as the session.
TWIN_KEY = "x:twin"
#: Kinds of material a result holds (an event result is "event").
KINDS = ("session", "event", "slide", "film")
#: Most values listed per facet (the most frequent first; counts are over all matches).
MAX_VALUES = 30


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet: ``value`` is what a filter takes, ``label`` what to show
    (an event's title for its id), ``count`` the results it leads to."""

    value: str
    label: str
    count: int


def _clean(value: str) -> str:
    return " ".join(value.replace(",", " ").split())


def facet_keys(*, year: str, event_id: str, organiser: str | None, kinds: Iterable[str],
               speakers: Sequence[str], twin: bool) -> str:
    """The facet field of one ranking document."""
    keys = [f"y:{year}" if year else "", f"e:{event_id}",
            f"o:{_clean(organiser)}" if organiser and _clean(organiser) else ""]
    keys += [f"k:{k}" for k in dict.fromkeys(kinds)]
    keys += [f"p:{_clean(name)}" for name in dict.fromkeys(speakers) if _clean(name)]
    if twin:
        keys.append(TWIN_KEY)
    return ",".join(k for k in keys if k)


def filter_query(filters: Mapping[str, str | Sequence[str]] | None) -> Query | None:
    """The ranking documents a set of facet filters keeps (values of one facet: any)."""
    if not filters:
        return None
    parts: list[Query] = []
    for name, values in filters.items():
        if name not in PREFIX:
            raise QueryError("unknown_filter", name=name)
        chosen = [values] if isinstance(values, str) else list(values)
        terms = [Term("facet", f"{PREFIX[name]}:{_clean(v)}") for v in chosen if _clean(v)]
        if terms:
            parts.append(ConstantScoreQuery(Or(terms) if len(terms) > 1 else terms[0], 0.0))
    if not parts:
        return None
    from whoosh.query import And

    return parts[0] if len(parts) == 1 else And(parts)


class _KeysCategorizer(sorting.Categorizer):
    """A document's facet keys, read from the ``facet`` column (one read a match)."""

    allow_overlap = True

    def __init__(self, fieldname: str) -> None:
        self.fieldname = fieldname
        self._column: Any = None

    def set_searcher(self, segment_searcher: Any, docoffset: int) -> None:
        self._column = segment_searcher.reader().column_reader(self.fieldname)

    def keys_for(self, matcher: Any, segment_docnum: int) -> list[str]:
        value = self._column[segment_docnum]
        if isinstance(value, bytes):
            value = value.decode("utf-8")
        return value.split(",") if value else []

    def key_for(self, matcher: Any, segment_docnum: int) -> str:
        keys = self.keys_for(matcher, segment_docnum)
        return keys[0] if keys else ""


class FacetKeys(sorting.FacetType):
    """Whoosh facet over the ``facet`` column's keys (a document is in each key's group)."""

    def __init__(self, fieldname: str = "facet") -> None:
        self.fieldname = fieldname
        self.allow_overlap = True

    def categorizer(self, global_searcher: Any) -> _KeysCategorizer:
        return _KeysCategorizer(self.fieldname)


def facet_values(counts: Mapping[str, int],
                 labels: Mapping[str, str] | None = None) -> dict[str, list[FacetValue]]:
    """Counted keys -> facet name -> values, most frequent first (years: newest first)."""
    out: dict[str, list[FacetValue]] = {name: [] for name in PREFIX}
    for key, count in counts.items():
        prefix, _, value = key.partition(":")
        name = NAME_OF.get(prefix)
        if name is None or not value:
            continue
        label = (labels or {}).get(key, value)
        out[name].append(FacetValue(value, label, count))
    for name, values in out.items():
        if name == "year":
            values.sort(key=lambda v: v.value, reverse=True)
        else:
            values.sort(key=lambda v: (-v.count, v.label.casefold()))
        del values[MAX_VALUES:]
    return out
