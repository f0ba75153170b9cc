"""The planners' page in Swedish: facet links and chips, sorting, events by year and
organiser, and Swedish numbers, plurals and local times.

Facet names and sort orders are the library's (search.facets); the page's URL speaks
Swedish (`?q=…&år=2019&arrangör=SKR&sortera=nyast`), and this module translates.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from konfarkiv import render

#: URL parameter (Swedish) -> the library's facet name, in the order shown.
FILTERS = {"år": "year", "typ": "kind", "arrangör": "organiser", "evenemang": "event",
           "talare": "speaker"}
FACET_TITLES = {"year": "År", "kind": "Typ", "organiser": "Arrangör", "event": "Evenemang",
                "speaker": "Talare"}
KIND_VALUES = {"session": "Programpunkter", "event": "Evenemang", "slide": "Bilder",
               "film": "Filmer"}
SORTS = {"relevans": "relevance", "nyast": "newest", "äldst": "oldest"}
SORT_LABELS = {"relevans": "Relevans", "nyast": "Nyast först", "äldst": "Äldst först"}
STOCKHOLM = ZoneInfo("Europe/Stockholm")
MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
          "september", "oktober", "november", "december")
FACET_SHOWN = 8  # values per facet shown at once; the rest fold away


@dataclass(frozen=True)
class Link:
    label: str
    href: str
    count: int | None = None
    current: bool = False


@dataclass(frozen=True)
class Facet:
    title: str
    links: list[Link]


@dataclass(frozen=True)
class SearchState:
    """What the reader asked: query, page, order (Swedish word) and facet filters."""

    q: str
    page: int
    sort: str  # relevans | nyast | äldst
    filters: dict[str, str]  # Swedish parameter -> value

    def href(self, **change: Any) -> str:
        """This search's address with some parts changed (None removes a filter)."""
        filters = dict(self.filters)
        for name, value in change.get("filters", {}).items():
            if value is None:
                filters.pop(name, None)
            else:
                filters[name] = value
        sort = change.get("sort", self.sort)
        params: list[tuple[str, str]] = [("q", self.q)]
        params += [(k, filters[k]) for k in FILTERS if k in filters]
        if sort != "relevans":
            params.append(("sortera", sort))
        page = change.get("page", 1 if "filters" in change or "sort" in change else self.page)
        if page != 1:
            params.append(("page", str(page)))
        return "/search?" + urlencode(params)

    def adding(self, param: str) -> Callable[[str], str]:
        """value -> ``href(filters={param: value})``: this search's address with the filter
        added (page 1), the rest of the address encoded once for all of a facet's values."""
        names = list(FILTERS)
        kept = [k for k in names if k in self.filters and k != param]
        before = [("q", self.q)] + [(k, self.filters[k]) for k in kept
                                    if names.index(k) < names.index(param)]
        after = [(k, self.filters[k]) for k in kept if names.index(k) > names.index(param)]
        if self.sort != "relevans":
            after.append(("sortera", self.sort))
        head = "/search?" + urlencode(before) + "&"
        tail = "&" + urlencode(after) if after else ""
        return lambda value: head + urlencode([(param, value)]) + tail

    def library_filters(self) -> dict[str, str]:
        return {FILTERS[k]: v for k, v in self.filters.items()}


def facets(state: SearchState, found: dict[str, list[Any]]) -> list[Facet]:
    """Each facet's values as links that add the filter (counts over every match)."""
    out = []
    for param, name in FILTERS.items():
        values = found.get(name) or []
        if param in state.filters or not values:
            continue
        href = state.adding(param)
        links = [Link(value_label(name, v.label), href(v.value), v.count) for v in values]
        out.append(Facet(FACET_TITLES[name], links))
    return out


def chips(state: SearchState, found: dict[str, list[Any]]) -> list[Link]:
    """The filters in force, each a link that removes it."""
    out = []
    for param, value in state.filters.items():
        name = FILTERS[param]
        label = next((v.label for v in found.get(name) or [] if v.value == value), value)
        out.append(Link(f"{FACET_TITLES[name]}: {value_label(name, label)}",
                        state.href(filters={param: None})))
    return out


def sort_links(state: SearchState) -> list[Link]:
    return [Link(label, state.href(sort=word), current=word == state.sort)
            for word, label in SORT_LABELS.items()]


def value_label(name: str, label: str) -> str:
    return KIND_VALUES.get(label, label) if name == "kind" else label


def plural(n: int, one: str, many: str) -> str:
    """'1 träff', '2 träffar', '1 234 träffar' (Swedish: a space groups thousands)."""
    return f"{number(n)} {one if n == 1 else many}"


LANGUAGES_SV = {"sv": "svenska", "en": "engelska", "fi": "finska", "nb": "norska",
                "no": "norska", "nn": "nynorska", "da": "danska", "de": "tyska",
                "fr": "franska", "es": "spanska", "ar": "arabiska", "se": "nordsamiska"}


def language_sv(code: str) -> str:
    """A caption language as a Swedish word ('sv-SE' -> 'svenska'); an unknown code as is."""
    return LANGUAGES_SV.get(code.split("-")[0].split("_")[0].lower(), code)


def number(n: int | float | None) -> str:
    """Swedish digits: '1 234', '170,2' (a non-breaking space groups, a comma decimals)."""
    if n is None:
        return "–"
    if isinstance(n, float) and not n.is_integer():
        return f"{n:,.1f}".replace(",", "\u00a0").replace(".", ",")
    return f"{int(n):,}".replace(",", "\u00a0")


def human_bytes(n: int | None) -> str:
    """'170,2 kB', '3,4 MB', '512 B' (the one formatting, in Swedish)."""
    return render.human_bytes(n, swedish=True)


def local_time(value: str | None) -> str:
    """An ISO time (UTC in the catalog) as Stockholm's local time: '6 december 2026 kl. 10.06'."""
    if not value:
        return "aldrig"
    try:
        when = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if when.tzinfo is None:
        return f"{when.day} {MONTHS[when.month - 1]} {when.year}"
    local = when.astimezone(STOCKHOLM)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year} kl. {local:%H.%M}"


def event_date(value: str | None) -> str:
    """An event's ISO date as Swedish text ('14 mars 2019'), or 'datum okänt'."""
    if not value:
        return "datum okänt"
    try:
        day = datetime.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class YearGroup:
    year: str  # "2019", or "Datum okänt"
    events: list[dict[str, Any]]


def by_year(events: list[dict[str, Any]]) -> list[YearGroup]:
    """Events (newest first) grouped by the year they were held."""
    def year(e: dict[str, Any]) -> str:
        return str(e["date"])[:4] if e.get("date") else "Datum okänt"
    return [YearGroup(y, list(group)) for y, group in groupby(events, key=year)]


def organisers(events: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """Each organiser with its number of events, the most first."""
    counts: dict[str, int] = {}
    for e in events:
        if e.get("organiser"):
            counts[e["organiser"]] = counts.get(e["organiser"], 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].lower()))


_FIELD_PREFIX = re.compile(r"(?<![\w\"])[^\W\d]\w*:(?=\S)", re.UNICODE)


def any_field(q: str) -> str | None:
    """The query's words without their field names (`talare:ek år:2019` -> `ek 2019`),
    for a no-results page: the same words in any field; None when there are none."""
    plain = " ".join(_FIELD_PREFIX.sub("", q).split())
    return plain if plain and plain != " ".join(q.split()) else None
