"""Infix lookups (`*word*`) without walking Whoosh's term list one term at a time.

Whoosh answers `*word*` by reading every term of the field through its term-table reader,
decoding each and trying a regular expression: a few microseconds per term, per word,
per field, and again each time a query tree asks a wildcard for its size or its matcher.
On the 49 real pages that walk was four fifths of a question's search time (benchmarks/
web_latency.py --size real). A segment's terms never change, so each field's terms are
read once per segment into one newline-joined string, and an infix is found with
`str.find` (C speed); what a pattern matched is remembered per segment as well (the
search's scan budget is charged as for a scan all the same: search/cost.py).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

#: Fields' term lists kept (segment, field); a segment dropped by a merge ages out.
MAX_TERM_LISTS = 64
#: Infix answers kept (segment, field, word).
MAX_ANSWERS = 8_192


@dataclass(frozen=True)
class TermList:
    """One field's terms in one segment, in the index's (sorted) order."""

    joined: str  # "\n" + "\n".join(terms) + "\n"
    starts: tuple[int, ...]  # where each term starts in joined

    def __len__(self) -> int:
        return len(self.starts)

    def containing(self, part: str, visits: int) -> tuple[list[str], bool]:
        """The terms among the first `visits` that contain part; True when that was all."""
        complete = visits >= len(self.starts)
        end = len(self.joined) if complete else self.starts[visits]
        found: list[str] = []
        text, at = self.joined, 0
        while True:
            at = text.find(part, at, end)
            if at < 0:
                break
            first = text.rfind("\n", 0, at) + 1
            last = text.find("\n", at)
            found.append(text[first:last])
            at = last
        return found, complete


_lock = threading.Lock()
_lists: OrderedDict[tuple[str, str], TermList] = OrderedDict()
_answers: OrderedDict[tuple[str, str, str], tuple[int, tuple[bytes, ...]]] = OrderedDict()


def segment_key(ixreader: Any) -> str | None:
    """A leaf reader's segment id (unique per segment and never reused), else None."""
    segment = ixreader.segment() if ixreader.is_atomic() else None
    return None if segment is None else str(segment.segment_id())


def term_list(ixreader: Any, fieldname: str, key: str) -> TermList:
    with _lock:
        found = _lists.get((key, fieldname))
        if found is not None:
            _lists.move_to_end((key, fieldname))
            return found
    field = ixreader.schema[fieldname]
    terms = [field.from_bytes(b) for b in ixreader.lexicon(fieldname)]
    starts, at = [], 1
    for term in terms:
        starts.append(at)
        at += len(term) + 1
    made = TermList("\n" + "\n".join(terms) + "\n", tuple(starts))
    with _lock:
        _lists[(key, fieldname)] = made
        while len(_lists) > MAX_TERM_LISTS:
            _lists.popitem(last=False)
    return made


def remembered(key: str, fieldname: str, part: str) -> tuple[int, tuple[bytes, ...]] | None:
    """(terms scanned, what matched) for part, when a scan was made before."""
    with _lock:
        found = _answers.get((key, fieldname, part))
        if found is not None:
            _answers.move_to_end((key, fieldname, part))
        return found


def remember(key: str, fieldname: str, part: str,
             answer: tuple[int, tuple[bytes, ...]]) -> None:
    with _lock:
        _answers[(key, fieldname, part)] = answer
        while len(_answers) > MAX_ANSWERS:
            _answers.popitem(last=False)
