"""A single-seminar page (one talk per page, its heading both the event's and the talk's
title) is one result, the talk with its speakers, not the event and then the talk again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support.archives import ingested_archive
from support.searching import find
from support.server import TestServer


def seminar_page(title: str, people: str, about: str) -> str:
    """A conference site's page for one seminar, in the WordPress shape such sites use."""
    return f"""<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">
<title>{title} – Konferensen 2018</title></head><body>
<header><nav><a href="/">Start</a> <a href="/program/">Program</a></nav></header>
<main><article class="session">
<h1 class="entry-title">{title}</h1>
<p class="session-time">Onsdag 24 oktober 2018, 10.30–11.15, Sal B</p>
<div class="entry-content"><p>{about}</p>
<p><strong>Medverkande:</strong> {people}</p></div>
</article></main>
<footer><p>Konferensen arrangeras av kommunerna i samverkan.</p></footer>
</body></html>"""


PAGES = {
    "/program/dagvatten/": seminar_page(
        "Dagvatten som resurs i den täta staden",
        "Karin Ek, Malmö stad och Olof Lind, Sweco",
        "Skyfall och dagvatten kan hanteras öppet i gatumiljön."),
    "/program/cykelstad/": seminar_page(
        "Cykelstaden växer fram",
        "Sara Berg, Lunds kommun",
        "Erfarenheter av att bygga ut cykelnätet i en växande stad."),
}


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("one-talk") / "home"
    with TestServer() as server:
        urls = [server.add_file(path, html) for path, html in PAGES.items()]
        home = ingested_archive(root, urls)
    yield home


@pytest.mark.parametrize("query", ["dagvatten som resurs", "Dagvatten som resurs i den täta staden",
                                   "dagvatten Karin Ek", "skyfall gatumiljön"])
def test_a_one_talk_page_is_one_result_the_talk(home: Path, query: str) -> None:
    resp = find(home, query)
    titles = [(r.session.get("title"), r.event["title"]) for r in resp.results]
    first = resp.results[0]
    assert first.session.get("title") == "Dagvatten som resurs i den täta staden", titles
    assert [s for s in first.session.get("speakers", [])], first.session
    same_event = [r for r in resp.results if r.event["id"] == first.event["id"]]
    assert len(same_event) == 1, titles
    assert resp.total == len(resp.results), (resp.total, titles)
