"""The publishing body of a documentation page: who organised (published) the event.

Read from what the page says about itself, most explicit first: the Open Graph site
name, a schema.org publisher or organizer, the site name a page title ends with
("Demokratidagen 2022 - SKR", "… | Länsstyrelsen"); else the host it came from.
"""

from __future__ import annotations

import json
import re

from bs4 import BeautifulSoup, SoupStrainer

from konfarkiv.archive.organiser import host_organiser

#: Longest name taken from a title's end; a longer tail is part of the title itself.
MAX_NAME_WORDS = 5
MAX_NAME_CHARS = 48
_TITLE_SEPARATORS = (" | ", " — ", " – ", " - ")
_HEAD = SoupStrainer(["meta", "title", "script"])


def organiser_of(html: bytes | str, url: str | None) -> str | None:
    """The page's publishing body, or the host-derived name, or None."""
    soup = BeautifulSoup(html[:200_000], "html.parser", parse_only=_HEAD)
    for key in ("og:site_name", "application-name", "publisher", "dcterms.publisher",
                "dc.publisher"):
        tag = soup.find("meta", attrs={"property": key}) or soup.find(
            "meta", attrs={"name": re.compile(f"^{re.escape(key)}$", re.I)})
        name = _clean(tag.get("content") if tag else None)
        if name:
            return name
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        name = _ld_name(script.string or "")
        if name:
            return name
    title = soup.find("title")
    name = _title_tail(title.get_text(" ", strip=True) if title else "")
    return name or host_organiser(url)


def _clean(text: object) -> str | None:
    if not isinstance(text, str):
        return None
    name = " ".join(text.split())
    return name if 0 < len(name) <= MAX_NAME_CHARS * 2 else None


def _ld_name(raw: str) -> str | None:
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    items = data if isinstance(data, list) else [data]
    for item in items:
        if not isinstance(item, dict):
            continue
        for key in ("organizer", "publisher"):
            who = item.get(key)
            who = who[0] if isinstance(who, list) and who else who
            if isinstance(who, dict):
                name = _clean(who.get("name"))
                if name:
                    return name
    return None


def _title_tail(title: str) -> str | None:
    """The site name a page title ends with, if it looks like one (a few words)."""
    cut = max((title.rfind(sep) + len(sep), sep) for sep in _TITLE_SEPARATORS)[0]
    tail = title[cut:].strip(" .") if cut >= 3 else ""  # rfind gave -1: no separator
    if tail and len(tail) <= MAX_NAME_CHARS and len(tail.split()) <= MAX_NAME_WORDS \
            and not tail[:1].isdigit():
        return tail
    return None
