"""Deep links that open a PDF at a page or a film at a moment."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlparse, urlunparse

from konfarkiv.archive.model import mmss

__all__ = ["mmss", "moment_link", "page_link"]


def page_link(url: str, page: int) -> str:
    """`…pdf#page=N`, the open-parameters form browsers' PDF viewers follow."""
    return f"{url.split('#', 1)[0]}#page={page}"


def moment_link(url: str, seconds: float) -> str:
    """A link to a moment: the host's own form where it has one, else `#t=SECONDS`."""
    s = int(seconds)
    parts = urlparse(url.split("#", 1)[0])
    host = (parts.hostname or "").lower()
    if host.endswith("youtube.com") or host == "youtu.be":
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "t"]
        query.append(("t", f"{s}s"))
        return urlunparse(parts._replace(query=urlencode(query)))
    if host.endswith("vimeo.com"):
        return urlunparse(parts._replace(fragment=f"t={s}s"))
    return urlunparse(parts._replace(fragment=f"t={s}"))
