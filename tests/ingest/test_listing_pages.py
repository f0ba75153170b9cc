"""The "All dokumentation" listing: entries, pagination, host aliases and utm_ links."""

from __future__ import annotations

from pathlib import Path

from konfarkiv.archive.keys import clean_url, page_key
from konfarkiv.ingest.listing import Listing, parse_listing, unique_pages

PAGES = Path(__file__).resolve().parents[1] / "pages"
BASE = "https://skr.se/skr/tjanster/kurserochkonferenser/dokumentation/alldokumentation.html"
DOC = "https://skr.se/skr/tjanster/kurserochkonferenser/dokumentation/alldokumentation/"


def _crawl(start: str) -> tuple[list[str], list[str]]:
    """Follow pagination over the two fixture pages like the crawler would, offline."""
    files = {BASE: "listing-1.html", BASE + "?page=2": "listing-2.html"}
    todo, seen, found = [start], [], []
    while todo:
        url = todo.pop(0)
        if url in seen:
            continue
        seen.append(url)
        listing = parse_listing((PAGES / files[url]).read_bytes(), url)
        found.extend(listing.pages)
        todo.extend(u for u in listing.next_pages if u not in seen)
    return seen, found


def test_first_listing_page() -> None:
    listing = parse_listing((PAGES / "listing-1.html").read_text(encoding="utf-8"), BASE)
    assert isinstance(listing, Listing)
    assert listing.pages == (
        DOC + "dokumentationnatverksmoteformiljostrategerikommunerna.3712.html",
        "https://skl.se/tjanster/kurserochkonferenser/dokumentation/alldokumentation/"
        "dokumentationkulturkonferens2016.9101.html",
        "https://webbutik.skl.se/skr/tjanster/kurserochkonferenser/dokumentation/"
        "alldokumentation/ekonomidagen2017.4411.html",
    )
    assert listing.next_pages == (BASE + "?page=2",)


def test_second_listing_page_links_back_and_to_calendar_documentation() -> None:
    listing = parse_listing((PAGES / "listing-2.html").read_bytes(), BASE + "?page=2")
    assert listing.pages == (
        DOC + "dokumentationkulturkonferens2016.9101.html",
        DOC + "demokratidagen.5520.html?lang=sv",
        "https://skr.se/skr/tjanster/kurserochkonferenser/kalender/kommunalekonomi2022.7788.html",
    )
    assert listing.next_pages == (BASE,)


def test_two_pages_with_alias_and_utm_give_each_page_once() -> None:
    seen, found = _crawl(BASE)
    assert seen == [BASE, BASE + "?page=2"]
    assert len(found) == 6  # Kulturkonferens twice, as skl.se and skr.se
    pages = unique_pages(found)
    assert [page_key(u) for u in pages] == [f"skr.se/{n}" for n in (3712, 9101, 4411, 5520, 7788)]
    assert all("utm_" not in u and "#" not in u for u in pages)


def test_clean_url_drops_fragment_and_utm_only() -> None:
    url = "https://SKR.se/a/b.3712.html?utm_source=x&page=2&UTM_Medium=y&q=%C3%A5#top"
    assert clean_url(url) == "https://skr.se/a/b.3712.html?page=2&q=%C3%A5"
    assert clean_url("https://skr.se/a.html") == "https://skr.se/a.html"


def test_page_key_numeric_id_across_aliases() -> None:
    keys = {
        page_key("https://skl.se/tjanster/x/dokumentationnatverksmoteformiljostrategerikommunerna"
                 ".3712.html"),
        page_key("https://skr.se/skr/tjanster/x/dokumentationnatverksmoteformiljostrategerikommunerna"
                 ".3712.html?utm_source=a"),
        page_key("https://webbutik.skl.se/skr/tjanster/x/y.3712.html#s"),
    }
    assert keys == {"skr.se/3712"}  # the site and its id (issue 26: not the id alone)


def test_page_key_without_id_is_normalised_url() -> None:
    assert page_key("https://www.example.org/doc/?utm_source=x#a") == "https://example.org/doc"
    assert page_key("file:///tmp/saved/index.html") == "file:///tmp/saved/index.html"
    assert unique_pages(["https://example.org/a/", "https://www.example.org/a"]) == [
        "https://example.org/a/"
    ]
