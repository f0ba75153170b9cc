"""Read an "All dokumentation" listing page: its documentation pages and its pagination.

What counts as a listing entry: a link in the listing's content (`<main>`, else
`<body>`, with header, nav, footer and aside removed) whose target path has
something below a `/dokumentation/` folder ("…/dokumentation/alldokumentation/
dokumentationx.3712.html"), or whose link text contains "Dokumentation". Not
entries: the listing itself, its pagination links, fragment-only, mailto and
javascript links, and files (PDFs and the like).

What counts as pagination: on the listing's own host, whatever the path or query
(`…/dokumentation-2.html`, `…/page/2/`), a `rel="next"`/`"prev"` link, a link whose
text says next or previous page ("Nästa", "Nästa sida", "›", "»", "Föregående"), or a
page number or such a word inside an element whose class or aria-label says pagination
("pagination", "pager", "Sidnavigering"). A bare page number outside any pager counts
only on the listing's own path: "2" alone elsewhere may be a footnote or another list.
Staying on the site, waiting between requests and robots.txt are the crawler's job;
deduplication across host aliases is `unique_pages`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from konfarkiv.archive.keys import PAGE_ID_RE, clean_url, page_key

_PAGER_CLASS_RE = re.compile(r"pagination|pager|paging|sidnavigering|sv-pagination", re.I)
_STEP_TEXT_RE = re.compile(
    r"^(?:nästa(?: sida)?|föregående(?: sida)?|next(?: page)?|previous(?: page)?|prev|»|«|›"
    r"|‹|>|<|första(?: sidan)?|sista(?: sidan)?|visa fler|fler|äldre|nyare)$",
    re.I,
)
_NUMBER_TEXT_RE = re.compile(r"^(?:sida\s+)?\d{1,4}$", re.I)
_FILE_RE = re.compile(r"\.(?:pdf|docx?|pptx?|xlsx?|zip|mp4|jpe?g|png|gif)$", re.I)
_CHROME_TAGS = ["header", "nav", "footer", "aside", "script", "style", "noscript", "form"]


@dataclass(frozen=True)
class Listing:
    """Documentation pages linked from one listing page, and its pagination links."""

    pages: tuple[str, ...]
    next_pages: tuple[str, ...]


def unique_pages(urls: Iterable[str]) -> list[str]:
    """The URLs, each page once by `page_key`, in first-seen order."""
    seen: set[str] = set()
    out: list[str] = []
    for url in urls:
        key = page_key(url)
        if key not in seen:
            seen.add(key)
            out.append(url)
    return out


def _same_path(a: str, b: str) -> bool:
    pa, pb = urlsplit(a), urlsplit(b)
    return pa.path.rstrip("/") == pb.path.rstrip("/") or page_key(a) == page_key(b) and bool(
        PAGE_ID_RE.search(pa.path)
    )


def _in_pager(a: Tag) -> bool:
    for parent in a.parents:
        if not isinstance(parent, Tag):
            continue
        classes = " ".join(parent.get("class") or [])
        label = str(parent.get("aria-label") or "")
        if _PAGER_CLASS_RE.search(classes) or _PAGER_CLASS_RE.search(label):
            return True
    return False


def _same_host(a: str, b: str) -> bool:
    ha, hb = (urlsplit(u).hostname or "" for u in (a, b))
    return ha.removeprefix("www.") == hb.removeprefix("www.")


def _is_pagination(a: Tag, target: str, listing_url: str) -> bool:
    """A link to another page of this listing: any path of its host when the link says
    next/previous (its text, its rel or a pager around a number), its own path for a
    bare number."""
    if not _same_host(target, listing_url):
        return False
    rel = {r.lower() for r in (a.get("rel") or [])}
    text = " ".join(a.get_text(" ").split())
    text = text.strip(" »«›‹<>→←") or text  # "Nästa sida ›", "« Föregående"
    if rel & {"next", "prev", "previous"} or _STEP_TEXT_RE.match(text):
        return True
    if _NUMBER_TEXT_RE.match(text):
        return _in_pager(a) or _same_path(target, listing_url)
    return _in_pager(a) and _same_path(target, listing_url)


def _is_entry(a: Tag, target: str) -> bool:
    parts = urlsplit(target)
    if _FILE_RE.search(parts.path):
        return False
    path = parts.path.lower()
    below = path.split("/dokumentation/", 1)
    if len(below) == 2 and below[1].strip("/"):
        return True
    return "dokumentation" in a.get_text(" ").lower()


def parse_listing(html: str | bytes, url: str) -> Listing:
    """The documentation pages and pagination links of one listing page (cleaned URLs)."""
    soup = BeautifulSoup(html, "html.parser")
    root = soup.find("main") or soup.body or soup
    assert isinstance(root, Tag)
    for el in root.find_all(_CHROME_TAGS):
        if not _PAGER_CLASS_RE.search(" ".join(el.get("class") or []) + " "
                                      + str(el.get("aria-label") or "")):
            el.decompose()
    self_url = clean_url(url)
    pages: list[str] = []
    nexts: list[str] = []
    for a in root.find_all("a", href=True):
        href = str(a["href"]).strip()
        if not href or href.startswith(("#", "mailto:", "javascript:", "tel:")):
            continue
        target = clean_url(urljoin(url, href))
        if urlsplit(target).scheme not in {"http", "https", "file"}:
            continue
        if _is_pagination(a, target, url):
            if target != self_url and target not in nexts:
                nexts.append(target)
            continue
        if _same_path(target, url):
            continue
        if _is_entry(a, target) and target not in pages:
            pages.append(target)
    return Listing(pages=tuple(pages), next_pages=tuple(nexts))
