"""Playing an archived film at a second: its captions as WebVTT, a platform player's start.

The catalog keeps every film's cues whatever format its captions came in (WebVTT, SRT,
a saved page's track); browsers read WebVTT only, so the player's <track> is written
from the cues. An embedded platform player takes the start second as its own parameter.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from konfarkiv.archive.catalog import Catalog
from konfarkiv.archive.errors import ArchivistError
from konfarkiv.archive.model import TimedCue, mmss


def vtt_time(seconds: float) -> str:
    ms = max(0, round(seconds * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def webvtt_text(cues: Iterable[TimedCue]) -> str:
    """A WebVTT file of the cues (a cue's text never ends it early: no blank lines, and
    its &, < and > are written as references, so `-->` or `<3` stay text, not tags)."""
    out = ["WEBVTT", ""]
    for i, c in enumerate(cues, 1):
        text = "\n".join(line for line in _escaped(c.text).splitlines() if line.strip()) or "…"
        if c.speaker:
            text = f"<v {_escaped(' '.join(c.speaker.split()))}>{text}"
        end = c.end if c.end > c.start else c.start + 1
        out += [str(i), f"{vtt_time(c.start)} --> {vtt_time(end)}", text, ""]
    return "\n".join(out)


def embed_at(embed_url: str, seconds: int) -> str:
    """A platform player's address that starts at `seconds`: Vimeo's `#t=Ns`, else the
    YouTube-style `start=N` query parameter (YouTube, Dailymotion and players like them)."""
    parts = urlsplit(embed_url)
    host = (parts.hostname or "").lower()
    if host.endswith("vimeo.com"):
        return urlunsplit(parts._replace(fragment=f"t={seconds}s"))
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k not in ("start", "cc_load_policy")]
    query += [("start", str(seconds)), ("cc_load_policy", "1")]  # captions on, as ours
    return urlunsplit(parts._replace(query=urlencode(query), fragment=""))


def origin(url: str) -> str | None:
    """scheme://host[:port] of an http(s) address (what a CSP source names), else None."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    return f"{parts.scheme}://{host}" + (f":{port}" if port else "")


def check_place(catalog: Catalog, material_id: int, at: float | None) -> None:
    """A page past a PDF's last, or a second past a film's end (or before 0): an
    ArchivistError with a hint. A film of unknown length takes any second."""
    if at is None:
        return
    m = catalog.material(material_id)
    if m is None:
        return
    if at < 0:
        raise ArchivistError(f"material {material_id}: {at:g} is negative",
                             "give a page from 1, or a second from 0")
    if m.kind == "pdf":
        pages = catalog.pdf_pages(material_id) or 0
        if not 1 <= at <= max(pages, 1):
            raise ArchivistError(f"material {material_id} has {pages} pages, not {at:g}",
                                 f"give a page from 1 to {pages}")
    elif m.kind == "film":
        film = catalog.film_of(material_id)
        duration = film.duration if film is not None else None
        if duration is not None and at > duration:
            raise ArchivistError(
                f"material {material_id} is a film of {mmss(duration)}, with no second "
                f"{at:g}", f"give a second from 0 to {int(duration)}")
