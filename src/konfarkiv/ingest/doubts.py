"""What the parser is unsure of on one page, for an archivist to look at ("say when unsure").

The parser never guesses silently: a page whose program it could not find, whose
headings mostly looked like site furniture, or whose speakers came without an
organisation gets a doubt with its reason. `ingest` prints them, the catalog keeps
them (table `doubts`), `konfarkiv review` lists them with the command that fixes each.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from konfarkiv.archive.model import ParsedPage

# Enough dropped section headings that the page's layout was likely misread.
MANY_SECTIONS = 3


@dataclass(frozen=True)
class Doubt:
    kind: str  # no-sessions | sections | no-organisation | no-date | one-talk | pattern
    reason: str
    session: int | None = None  # index into page.sessions when it is about one session

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "reason": self.reason, "session": self.session}


def page_doubts(page: ParsedPage, *, sections: list[str], one_talk: bool,
                guesses: Sequence[tuple[int, str]] = ()) -> list[Doubt]:
    """The doubts about one parse; `sections` are the headings read as page sections,
    `guesses` the lines of a session read by the page's pattern rather than their own
    words (session index, what was read so)."""
    out: list[Doubt] = []
    for i, note in guesses:
        out.append(Doubt("pattern", f"session '{page.sessions[i].title}': {note}", i))
    files = [m for _, m in page.all_materials() if m.kind in {"pdf", "film"}]
    if not page.sessions and files:
        out.append(Doubt("no-sessions", f"no session found, though the page links {len(files)} "
                                        f"PDF/film file(s): the program may be unreadable"))
    if len(sections) >= MANY_SECTIONS:
        shown = ", ".join(f"'{s}'" for s in sections[:4])
        out.append(Doubt("sections", f"{len(sections)} headings read as page sections, not "
                                     f"sessions ({shown}): check that no talk was left out"))
    if one_talk:
        out.append(Doubt("one-talk", "no program found: the page is read as one talk titled "
                                     "by its heading", 0))
    for i, s in enumerate(page.sessions):
        bare = [p.name for p in s.speakers if p.organisation is None]
        if len(bare) >= 2 and len(bare) * 2 >= len(s.speakers):
            out.append(Doubt("no-organisation", f"session '{s.title}': {len(bare)} speaker(s) "
                                                f"without organisation ({', '.join(bare[:4])})",
                             i))
    if page.date is None and page.sessions:
        out.append(Doubt("no-date", "no event date found on the page"))
    return out
