"""A caption cue as the catalog keeps it: plain text, its speaker, when each word starts."""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class CaptionCue:
    start: float
    end: float
    text: str  # plain text: no tags, references decoded, each line of speech once
    speaker: str | None = None  # the WebVTT voice (<v Name>) where the file names one
    #: When each word of ``text`` (split on whitespace) is spoken, where the file says
    #: (inline timestamps of automatic captions); empty otherwise.
    word_starts: tuple[float, ...] = ()


@dataclass(frozen=True)
class StoredCaptions:
    """A film's archived caption file (what `reindex` re-reads)."""

    film_id: int
    sha256: str
    url: str  # the film's address, to name it in a message


def as_cue(cue: CaptionCue | tuple[float, float, str]) -> CaptionCue:
    """Older callers hand (start, end, text) tuples."""
    return cue if isinstance(cue, CaptionCue) else CaptionCue(*cue)


def encode_word_starts(starts: tuple[float, ...]) -> str | None:
    """The JSON the catalog stores (milliseconds are the files' own precision)."""
    return json.dumps([round(s, 3) for s in starts]) if starts else None


def decode_word_starts(stored: str | None) -> tuple[float, ...]:
    """The stored word times; a damaged value reads as none (the cue start is used)."""
    if not stored:
        return ()
    try:
        value = json.loads(stored)
    except ValueError:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, int | float) for v in value):
        return ()
    return tuple(float(v) for v in value)
