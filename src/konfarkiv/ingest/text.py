"""Small text helpers shared by the page rules, the name grammar and the date rules."""

from __future__ import annotations

CLOCK = r"(?:[01]?\d|2[0-3])[.:][0-5]\d"
WEEKDAYS = r"(?:måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag)(?:en)?"


def squash(text: str) -> str:
    """Collapse whitespace (NBSP and line breaks included) so rules see one line."""
    return " ".join(text.replace("\xa0", " ").split())


def word_count(text: str) -> int:
    return len(text.split())
