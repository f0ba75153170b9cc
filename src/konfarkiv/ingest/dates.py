"""Dates on a page: the event's day, or only its year, never a page stamp.

Pure functions over plain text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from konfarkiv.ingest.text import CLOCK, WEEKDAYS, squash, word_count

_MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "mars": 3, "mar": 3, "april": 4,
    "apr": 4, "maj": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augusti": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}
# English month names (international booking sites): "Monday December 6, 2021".
_EN_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
# A day, or the first day of a range ("25-26 april", "06- 07 maj", "5 och 6 maj").
_DAY = r"(?<![\d.:])(?P<d>[0-3]?\d)(?:\s*(?:[-–—]|och|till)\s*(?P<d2>[0-3]?\d))?"
_YEAR = r"(?P<y>(?:19|20)\d\d)(?!\d)"
_DATE_RE = re.compile(
    _DAY + r"\s*(?:e\s+)?(?P<m>" + _MONTH_ALT + r")\.?\s+" + _YEAR
    + r"|(?<!\d)(?P<iy>(?:19|20)\d\d)-(?P<im>[01]\d)-(?P<id>[0-3]\d)(?!\d)"
    + r"|\b(?P<em>" + "|".join(_EN_MONTHS) + r")\s+(?P<ed>[0-3]?\d),?\s+(?P<ey>(?:19|20)\d\d)\b",
    re.I,
)
# A day and month without a year: "den 25-26 mars", "Onsdagen den 6 juli".
_PARTIAL_RE = re.compile(
    _DAY + r"\s*(?:e\s+)?(?P<m>" + _MONTH_ALT + r")\b(?!\.?\s+(?:19|20)\d\d)", re.I)
_ISO_STAMP_RE = re.compile(rf"^\d{{4}}-\d\d-\d\d(?:\s*[-–,]?\s*(?:kl\.?\s*)?{CLOCK})?$")
_PUBLISHED_RE = re.compile(r"^\s*publicerad\b", re.I)
_UPDATED_RE = re.compile(r"^\s*(?:senast\s+)?(?:uppdaterad|ändrad)\b", re.I)
_DATE_FILLER_RE = re.compile(
    rf"\b(?:obs|evenemanget|är|avslutat|till|och|klockan|klocka|kl|datum|tid|när|"
    rf"{WEEKDAYS}|publicerad|uppdaterad|ändrad|senast|den)\b|{CLOCK}|[-–—:,.!]",
    re.I,
)
_YEAR_RE = re.compile(r"(?<![\d-])((?:19|20)\d\d)(?![\d-])")
# "Agenda 2030", "Vision 2040": a year that names a goal, not when the meeting was.
_GOAL_YEAR_RE = re.compile(r"\b(?:agenda|vision|strategi\w*|mål|plan\w*|program)\s+(?:19|20)\d\d",
                           re.I)
# Words saying a sentence is about the event's own day(s).
_EVENT_CUE_RE = re.compile(
    rf"\b(?:{WEEKDAYS}|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|\w*(?:konferens|seminari|webbinari|möte|träff)\w*|\w*dagen|\w*dagarna|\w*dagar|dag"
    r"|hölls|ägde rum|äger rum|arrangera\w*|genomför\w*|anordna\w*)\b",
    re.I,
)
# A title naming several meetings is a series page: only its year is the event's.
_SERIES_RE = re.compile(
    r"\b\w*(?:konferenser|seminarier|sändningar|träffar|möten|webbinarier|dialoger)\b", re.I)


def _iso(y: int, mo: int, d: int) -> str | None:
    try:
        return date(y, mo, d).isoformat()
    except ValueError:
        return None


def _first_day(m: re.Match[str]) -> int:
    """A range's first day ("25-26 april"); "Dag 1 – 14 april" is no range but day 14."""
    d, d2 = int(m.group("d")), m.group("d2")
    return d if d2 is None or 1 <= int(d2) - d <= 6 else int(d2)


def find_dates(text: str) -> list[str]:
    """Every full day-month-year date in the text, as ISO (a range gives its first day)."""
    out = []
    for m in _DATE_RE.finditer(text):
        if m.group("iy"):
            iso = _iso(int(m.group("iy")), int(m.group("im")), int(m.group("id")))
        elif m.group("em"):
            iso = _iso(int(m.group("ey")), _EN_MONTHS[m.group("em").lower()], int(m.group("ed")))
        else:
            iso = _iso(int(m.group("y")), _MONTHS[m.group("m").lower()], _first_day(m))
        if iso:
            out.append(iso)
    return out


def find_years(text: str) -> list[str]:
    """Four-digit years in the text, except those naming a goal ("Agenda 2030")."""
    return _YEAR_RE.findall(_GOAL_YEAR_RE.sub(" ", text))


@dataclass(frozen=True)
class DateLine:
    kind: str  # "event", "published" or "updated"
    date: str


def date_line(text: str) -> DateLine | None:
    """A line that only states a date: the event's, or the page's publication.

    "OBS! Evenemanget är avslutat!28 april 2022 kl. 09.00-16.00" and "4 april 2022
    till 5 april 2022 kl. 13.00-12.00" give the event's (first) day; "Publicerad: 3
    november 2016" and "Uppdaterad 5 november 2018" are about the page, not the event,
    and so is a bare "2022-06-30 - 10:30": event pages write their day in words, news
    and press systems stamp theirs in ISO form.
    """
    text = squash(text)
    dates = find_dates(text)
    if not dates or word_count(text) > 16:
        return None
    residue = _DATE_FILLER_RE.sub(" ", _DATE_RE.sub(" ", text))
    if residue.strip():
        return None
    if _PUBLISHED_RE.match(text) or _ISO_STAMP_RE.match(text):
        return DateLine("published", dates[0])
    if _UPDATED_RE.match(text):
        return DateLine("updated", dates[0])
    return DateLine("event", dates[0])


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9])|\n", text) if s.strip()]


def event_date(title: str, intro: list[str], stamp: str | None = None) -> str | None:
    """The event's date when no line states it alone: as precise as the page says it.

    A full date in the title; for a series page ("Regionala konferenser 2016") the
    title's year only; else the first intro sentence that speaks of the meeting
    ("hölls den 25-26 april", "Onsdagen den 6 juli", "Konferensen ägde rum i Växjö
    27–28 april 2016"), its year taken from the sentence, the title or the page's
    own stamp; else the title's year.
    """
    in_title = find_dates(title)
    if in_title:
        return in_title[0]
    title_years = find_years(title)
    if _SERIES_RE.search(title):
        return title_years[0] if title_years else None
    year = title_years[0] if title_years else (stamp[:4] if stamp else None)
    for para in intro:
        for sentence in _sentences(para):
            if not _EVENT_CUE_RE.search(sentence):
                continue
            full = find_dates(sentence)
            if full:
                return full[0]
            m = _PARTIAL_RE.search(sentence)
            if m and year:
                iso = _iso(int(year), _MONTHS[m.group("m").lower()], _first_day(m))
                if iso:
                    return iso
    return title_years[0] if title_years else None


_WHEN_WHERE_CLOCK_RE = re.compile(CLOCK)


def when_where(text: str) -> str | None:
    """"Monday December 6, 2021 12:00 - 12:30 Lilla scenen": a short line giving the
    meeting's day, hour and room, never a title; its date, else None."""
    text = squash(text)
    dates = find_dates(text)
    if not dates or word_count(text) > 12 or not _WHEN_WHERE_CLOCK_RE.search(text):
        return None
    first = _DATE_RE.search(text)
    return dates[0] if first is not None and first.start() <= 12 else None
