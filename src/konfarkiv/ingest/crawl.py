"""Crawling an "All dokumentation" listing: its pagination, then the pages it links to.

Parsing a listing page is listing.py's job; here are the crawler's: stay on the
listing's own site (host aliases of one site count as the site), follow each
pagination link once, ask robots.txt (urllib.robotparser) before every page,
and go through the polite fetcher so requests are spaced per host.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

import requests

from konfarkiv import USER_AGENT
from konfarkiv.archive.keys import clean_url, page_key, site_host
from konfarkiv.ingest.fetch import Fetcher, FetchError, read_capped
from konfarkiv.ingest.listing import parse_listing, unique_pages
from konfarkiv.ingest.policy import refusal
from konfarkiv.ingest.politeness import host_of

MAX_LISTING_PAGES = 500
MAX_ENTRIES_PER_LISTING = 1000  # a real listing page shows 10-100 documentation pages
ROBOTS_MAX_BYTES = 512 * 1024  # Google reads 500 KiB of a robots.txt; real ones are a few kB
MAX_CRAWL_DELAY = 10.0  # seconds; a longer Crawl-delay would hold the writer lock for hours


def site_of(url: str) -> str:
    """The origin a URL is on (scheme, host, port), with the named host aliases of one site
    made one (archive.keys.HOST_ALIASES); never guessed from a host's last labels."""
    return f"{urlsplit(url).scheme.lower()}://{site_host(url)}"


def same_site(url: str, listing_url: str) -> bool:
    return site_of(url) == site_of(listing_url)


def crawl_refusal(url: str, listing_url: str) -> str | None:
    """None when the crawl of listing_url may fetch url (a pagination link or a page it
    lists), else why not: it must be on the listing's site, and pass the address policy
    that every link passes (no private or loopback address), unless it is the very server
    the user chose (the listing's own host, or an alias of it on a private address)."""
    if not same_site(url, listing_url):
        return "on another site than the listing"
    why = refusal(url, listing_url)
    if why and refusal(listing_url, "https://public.invalid/") is None:
        return why  # a public listing may not lead to a private address
    return None


class Robots:
    """robots.txt per host, read once per run through the fetcher's session."""

    def __init__(self, fetcher: Fetcher, agent: str = USER_AGENT) -> None:
        self.fetcher = fetcher
        self.agent = agent
        self._parsers: dict[str, RobotFileParser | str] = {}

    def _load(self, url: str) -> RobotFileParser | str:
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        if key in self._parsers:
            return self._parsers[key]
        robots_url = key + "/robots.txt"
        parser = RobotFileParser(robots_url)
        gate = getattr(self.fetcher, "gate", None)
        try:
            if gate is not None:
                with gate.slot(host_of(robots_url)) as ticket:
                    ticket.downloaded = True
                    status, text = self._read(robots_url)
            else:
                status, text = self._read(robots_url)
        except requests.RequestException as exc:
            result: RobotFileParser | str = (
                f"robots.txt could not be read ({type(exc).__name__}); not crawling this host")
        except FetchError as exc:
            result = f"robots.txt is {exc.reason}; not crawling this host"
        else:
            # The conventions of RobotFileParser.read(): 401/403 forbid all, other 4xx allow.
            if status in (401, 403):
                parser.disallow_all = True  # type: ignore[attr-defined]
            elif 400 <= status < 500:
                parser.allow_all = True  # type: ignore[attr-defined]
            elif status >= 500:
                self._parsers[key] = result = (
                    f"robots.txt answered HTTP {status}; not crawling this host")
                return result
            else:
                parser.parse(text.splitlines())
            parser.modified()
            result = parser
            delay = parser.crawl_delay(self.agent)
            if delay and float(delay) > MAX_CRAWL_DELAY:
                result = (f"robots.txt asks for a Crawl-delay of {float(delay):g} s, more than "
                          f"the {MAX_CRAWL_DELAY:g} s a run waits; not crawling this host")
            elif gate is not None and delay:
                gate.set_delay(host_of(url), float(delay))
        self._parsers[key] = result
        return result

    def _read(self, robots_url: str) -> tuple[int, str]:
        """robots.txt's status and text, read in chunks up to ROBOTS_MAX_BYTES."""
        resp = self.fetcher.session.get(robots_url, timeout=self.fetcher.timeout, stream=True)
        with resp:
            if resp.status_code >= 400:
                return resp.status_code, ""
            data = bytearray()
            for chunk in read_capped(resp, robots_url, ROBOTS_MAX_BYTES, self.fetcher.deadline):
                data += chunk
            return resp.status_code, bytes(data).decode("utf-8", errors="replace")

    def refusal(self, url: str) -> str | None:
        """None when robots.txt lets us fetch url, else why not."""
        if urlsplit(url).scheme not in {"http", "https"}:
            return None
        parser = self._load(url)
        if isinstance(parser, str):
            return parser
        return None if parser.can_fetch(self.agent, url) else "disallowed by robots.txt"


_FIRST_PAGE_RE = re.compile(r"^(?:page|sida|p|pg|sv\.[\w.]*page)$", re.I)


def listing_key(url: str) -> str:
    """A listing page's identity: "?page=1" is the listing itself (pagers link back so)."""
    parts = urlsplit(clean_url(url))
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not (_FIRST_PAGE_RE.match(k) and v in {"1", "0", ""})]
    # A listing's own address in another letter case is the same listing (a loop otherwise).
    return urlunsplit(parts._replace(path=parts.path.lower(), query=urlencode(query)))


@dataclass
class Discovery:
    """What a crawl of one listing found."""

    listing: str
    pages: list[str] = field(default_factory=list)
    listing_pages: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (url, why)
    error: str | None = None
    permanent: bool = False


def discover(listing_url: str, fetcher: Fetcher, robots: Robots | None = None, *,
             known: Iterable[str] = (), max_pages: int = MAX_LISTING_PAGES) -> Discovery:
    """Documentation pages linked from a listing and its pagination, each page once.

    `known` page URLs (already followed) are not returned again. A failure of the
    first listing page is the crawl's error; later pages' failures are skipped items.
    """
    robots = robots or Robots(fetcher)
    start = clean_url(listing_url)
    found = Discovery(start)
    seen_keys = {page_key(u) for u in known}
    todo, visited = [start], set[str]()
    seen_pages: set[str] = set()
    candidates: list[str] = []
    while todo and len(visited) < max_pages:
        url = todo.pop(0)
        if listing_key(url) in visited:
            continue
        visited.add(listing_key(url))
        why = robots.refusal(url)
        if why:
            if url == start:
                found.error, found.permanent = f"{url}: {why}", why.startswith("disallowed")
                return found
            found.skipped.append((url, why))
            continue
        try:
            html = fetcher.get_text(url)
        except FetchError as exc:
            if url == start:
                found.error, found.permanent = str(exc), exc.permanent
                return found
            found.skipped.append((url, exc.reason))
            continue
        found.listing_pages.append(url)
        listing = parse_listing(html, url)
        entries = listing.pages
        if len(entries) > MAX_ENTRIES_PER_LISTING:
            found.skipped.append((url, f"lists {len(entries)} pages, more than the "
                                  f"{MAX_ENTRIES_PER_LISTING} a listing page may; the first "
                                  f"{MAX_ENTRIES_PER_LISTING} are followed"))
            entries = entries[:MAX_ENTRIES_PER_LISTING]
        new = {page_key(p) for p in entries} - seen_pages
        if url != start and not new:
            continue  # nothing new: a loop (the listing under another address) or the end
        seen_pages |= new
        for nxt in listing.next_pages:
            if listing_key(nxt) in visited or nxt in todo:
                continue
            why = crawl_refusal(nxt, start)
            if why:
                found.skipped.append((nxt, why))
            else:
                todo.append(nxt)
        for page in entries:
            why = crawl_refusal(page, start)
            if why:
                found.skipped.append((page, why))
            else:
                candidates.append(page)
    if todo and len(visited) >= max_pages:
        found.skipped.append((todo[0], f"not fetched: the crawl stops at {max_pages} listing "
                              f"pages ({len(todo)} more pagination links were left)"))
    for page in unique_pages(candidates):
        if page_key(page) in seen_keys or listing_key(page) in visited:
            continue  # already followed, or a page of the listing itself
        why = robots.refusal(page)
        if why:
            found.skipped.append((page, why))
        else:
            found.pages.append(page)
    return found
