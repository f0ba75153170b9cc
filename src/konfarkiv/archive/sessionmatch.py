"""Which stored session a retitled session on a re-ingested page is (issue 21).

Sessions are matched by title first (catalog.sync_sessions). A page that retitles a talk
("Samtal i grupp" -> "Samtal i grupp om dagvatten") would otherwise make a new session and
withdraw the old one with the archivist's corrections, and break saved links to it. This
module pairs what the title match left over, conservatively: two different talks are
never merged, so a pair needs positive evidence and no contradiction.

- the same material: the two share a linked file's address, and that address belongs to
  no other left-over session on either side;
- else a similar title (one extends or shortens the other, or they differ by a typo) where
  the similarity is unambiguous: the sessions similar to each other form a group with as
  many stored as parsed sessions, paired in program order.

A contradiction vetoes a pair: speakers on both sides with no name in common, or another
date; for the title rule also another time slot.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

# Titles this alike are the same title with a typo fixed ("stadsutvecklnig"); "Klimat-
# anpassning i Malmö" / "… i Lund" (0.81) stay two talks.
TYPO_RATIO = 0.85


@dataclass(frozen=True)
class Side:
    """A session as the page gives it (for a stored one: as the page gave it last)."""

    key: int  # the stored session's id, or the parsed session's index on the page
    title: str
    time: str | None = None
    date: str | None = None
    urls: frozenset[str] = frozenset()
    speakers: frozenset[str] = frozenset()  # names, casefolded and spaced once


@dataclass(frozen=True)
class Pair:
    parsed: int  # index on the page
    stored: int  # session id
    why: str


def speaker_key(name: str) -> str:
    return " ".join(name.casefold().split())


def _words(title: str) -> list[str]:
    return re.findall(r"\w+", title.casefold())


def similar_titles(a: str, b: str) -> bool:
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return False
    short, long = sorted((wa, wb), key=len)
    if long[:len(short)] == short or long[len(long) - len(short):] == short:
        return True
    return SequenceMatcher(None, " ".join(wa), " ".join(wb)).ratio() >= TYPO_RATIO


def _contradicts(s: Side, p: Side, *, slot: bool) -> bool:
    if s.speakers and p.speakers and not s.speakers & p.speakers:
        return True
    if s.date and p.date and s.date != p.date:
        return True
    return slot and bool(s.time and p.time and s.time != p.time)


def _by_material(stored: Sequence[Side], parsed: Sequence[Side]) -> list[Pair]:
    out = []
    for p in parsed:
        sharing = [s for s in stored if s.urls & p.urls]
        if len(sharing) != 1:
            continue
        s = sharing[0]
        if [q for q in parsed if q.urls & s.urls] != [p] or _contradicts(s, p, slot=False):
            continue
        url = sorted(s.urls & p.urls)[0]
        out.append(Pair(p.key, s.key, f"it links the same material, {url}"))
    return out


def _by_title(stored: Sequence[Side], parsed: Sequence[Side]) -> list[Pair]:
    """Groups of mutually similar sessions with as many on each side, paired in order."""
    edges = {(s.key, p.key) for s in stored for p in parsed
             if similar_titles(s.title, p.title) and not _contradicts(s, p, slot=True)}
    out: list[Pair] = []
    seen_s: set[int] = set()
    for start in stored:
        if start.key in seen_s:
            continue
        group_s: set[int] = {start.key}
        group_p: set[int] = set()
        grew = True
        while grew:
            more_p = {p for (s, p) in edges if s in group_s} - group_p
            more_s = {s for (s, p) in edges if p in group_p | more_p} - group_s
            grew = bool(more_p or more_s)
            group_p |= more_p
            group_s |= more_s
        seen_s |= group_s
        ss = [s for s in stored if s.key in group_s]
        ps = [p for p in parsed if p.key in group_p]
        if not ps or len(ss) != len(ps) or any((s.key, p.key) not in edges
                                               for s, p in zip(ss, ps, strict=True)):
            continue  # nothing similar, or ambiguous: a new session is the safe answer
        for s, p in zip(ss, ps, strict=True):
            why = (f"the same time slot, {p.time}, and a similar title" if s.time and s.time ==
                   p.time else "a similar title at the same place in the program")
            out.append(Pair(p.key, s.key, why))
    return out


def carry_over(stored: Sequence[Side], parsed: Sequence[Side]) -> list[Pair]:
    """Pairs of a left-over stored session (program order) and a left-over parsed one."""
    pairs = _by_material(stored, parsed)
    taken_s = {x.stored for x in pairs}
    taken_p = {x.parsed for x in pairs}
    pairs += _by_title([s for s in stored if s.key not in taken_s],
                       [p for p in parsed if p.key not in taken_p])
    return sorted(pairs, key=lambda x: x.parsed)
