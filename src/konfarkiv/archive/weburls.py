"""One id everywhere: the web's address of an item reads as the id the command line prints.

`material:12@3` (page 3 of a PDF) is `/material:12@3` on the web, `material:7@65` (a film
at 1:05) is `/material:7@65`, `event:4` is `/event:4`. A web address pasted into `show`,
`open` or `edit` is read back to the id, including the forms the browser shows after a
click (`/material:12.pdf#page=3`, a player's `?t=65`) and the older `/events/4` and
`/play/7?t=65`.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

DEFAULT_WEB = "http://127.0.0.1:8080"  # where `konfarkiv serve` listens unless told otherwise
_N = r"(\d{1,18})"  # longer numbers name nothing in a catalog (SQLite ids are 64-bit)
_ID = re.compile(rf"^/(event|session|material):{_N}(?:@{_N})?(?:\.pdf|\.vtt)?/?$")
_OLD = re.compile(rf"^/(events|play)/{_N}/?$")
_PLACE = re.compile(rf"^(?:page|t)={_N}s?$")


def web_path(item_id: str) -> str:
    """The web page of an id (`material:7@65` -> `/material:7@65`)."""
    return "/" + item_id


def play_url(item_id: str, base: str = DEFAULT_WEB) -> str:
    """The player page of a film moment's id on the web at base."""
    return base.rstrip("/") + web_path(item_id)


def id_from_web_url(text: str) -> str | None:
    """The id a pasted web address of the archive names, or None when it is no such address.

    Only the path's form counts (any host: the archive may be served anywhere), so an
    event page's own address on its publisher's site is never mistaken for one."""
    text = text.strip()
    if not text.lower().startswith(("http://", "https://")):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    path = unquote(parts.path)
    place = _PLACE.match(parts.fragment)
    at = place.group(1) if place else None
    t = parse_qs(parts.query).get("t", [None])[0]
    if at is None and t and t.isdigit() and len(t) <= 18:
        at = t
    m = _ID.match(path)
    if m:
        kind, ident, in_path = m.groups()
        at = in_path if in_path is not None else at
        return f"{kind}:{ident}" + (f"@{int(at)}" if at is not None and kind == "material"
                                    else "")
    m = _OLD.match(path)
    if m:
        if m.group(1) == "events":
            return f"event:{m.group(2)}"
        return f"material:{m.group(2)}" + (f"@{int(at)}" if at is not None else "")
    return None


def as_id(text: str) -> str:
    """text itself, or the id when text is a web address of the archive."""
    return id_from_web_url(text) or text



def with_play_urls(data: dict[str, Any], base: str = DEFAULT_WEB) -> dict[str, Any]:
    """A search's JSON with a "play_url" beside each film hit's "url": konfarkiv's own
    player page for that film and second (at base, where `konfarkiv serve` answers)."""
    for result in data.get("results", []):
        result["hits"] = [_with_play_url(hit, base) for hit in result.get("hits", [])]
    return data


def _with_play_url(hit: dict[str, Any], base: str) -> dict[str, Any]:
    item = str(hit.get("id") or "")
    if hit.get("kind") not in ("caption", "film") or not item.startswith("material:"):
        return hit
    out: dict[str, Any] = {}
    for key, value in hit.items():
        out[key] = value
        if key == "url":
            out["play_url"] = play_url(item, base)
    out.setdefault("play_url", play_url(item, base))
    return out
