"""The QA pass's web findings (items 3, 6, 7, 11 and the web part of 14), over HTTP against
a real `konfarkiv serve` on an archive of the bundled example (films from a saved page, so
their originals are file: addresses), a hostile page whose data: film failed, a film the
archive holds, and one PDF and one film removed."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
import requests
from support.web import Served, konfarkiv, start_serve, web_archive

from konfarkiv.web.failures import GENERIC, failure_sv

REMOVED_PDF, REMOVED_FILM = 2, 5  # "Presentation av SKL" and "Se film, Länsstyrelsen och RUS"
FAILED_FILM = 11  # the hostile page's data: film


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    home = web_archive(tmp_path_factory.mktemp("qa-web"))
    for material in (REMOVED_PDF, REMOVED_FILM):
        done = konfarkiv(home, "remove", f"material:{material}", "--reason", "test")
        assert done.returncode == 0, done.stderr
    with start_serve(home) as served:
        yield served


def get(site: Served, path: str, **params: str) -> requests.Response:
    return requests.get(site.url.rstrip("/") + path, params=params or None, timeout=30)


def _text(page: str) -> str:
    """The page's visible words: tags out, the <details> disclosures' bodies out too."""
    shown = re.sub(r"<details.*?</details>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", shown))


def _material(page: str, material: int) -> str:
    """The event page's <li> of one material."""
    m = re.search(rf'<li class="material[^"]*">(?:(?!<li class="material).)*?'
                  rf'material:{material}</span>.*?</li>', page, re.S)
    assert m, f"material:{material} is not on the page"
    return m.group(0)


def test_every_film_hit_leads_to_the_player_at_its_second(site: Served) -> None:
    """Whole films from a saved page (file: originals) get a link too: the player at 0."""
    q = "hållbar stadsutveckling"
    api = get(site, "/api/search", q=q).json()
    films = [h for r in api["results"] for h in r["hits"] if h["kind"] in ("film", "caption")]
    assert {h["kind"] for h in films} == {"film", "caption"}
    page = get(site, "/search", q=q).text
    for h in films:
        second = h["id"].split("@")[1] if "@" in h["id"] else "0"
        material = h["id"].split("@")[0]
        player = f"/{material}@{second}?q="
        assert f'<a class="open" href="{player}' in page, (h["id"], player)
        assert h["play_url"].startswith(site.url), h["play_url"]
        played = requests.get(h["play_url"], timeout=30)
        assert played.status_code == 200 and 'id="player"' in played.text, h["play_url"]
        assert f"{material}@{second}</span>" in played.text


def test_failure_reasons_are_swedish_and_the_tools_words_stay_in_ursprung(
        site: Served) -> None:
    event = get(site, "/event:2").text
    item = _material(event, FAILED_FILM)
    assert "länken är ingen webbadress" in _text(item)
    assert "refused" not in _text(item) and "only http(s)" not in _text(event)
    assert re.search(r"<details class=\"provenance\">.*Verktygets eget meddelande: "
                     r"<span lang=\"en\">refused: only http\(s\) links", item, re.S)
    status = get(site, "/status").text
    assert "länken är ingen webbadress" in status
    assert "Verktygets eget meddelande" in status


def test_the_qa_reason_has_a_swedish_kind() -> None:
    assert failure_sv("no video found on the page (yt-dlp: unsupported URL)") == (
        "ingen film hittades på sidan")
    assert failure_sv("HTTP 404") == "filen finns inte längre hos källan"
    assert failure_sv("connection timed out after 10 s") == "källan svarade inte i tid"
    assert failure_sv("something nobody foresaw") == GENERIC
    assert failure_sv(None) == ""


def test_removed_material_is_shown_as_removed_and_not_linked(site: Served) -> None:
    event = get(site, "/event:1").text
    for material in (REMOVED_PDF, REMOVED_FILM):
        item = _material(event, material)
        assert "Borttagen ur arkivet" in item
        assert f'href="/material:{material}' not in item and 'href="/pdf/' not in item
        assert "Spela filmen" not in item and "Arkivets kopia" not in item
    assert 'href="/material:3@0">Spela filmen' in event  # a film kept still plays


def test_an_empty_search_is_the_start_page_with_a_friendly_line(site: Served) -> None:
    for params in ({"q": ""}, {"q": "   "}, {}):
        page = get(site, "/search", **params)
        assert page.status_code == 200, params
        assert "Skriv något att söka efter" in page.text
        assert 'id="q-big"' in page.text and "parametern" not in page.text


def test_a_query_of_only_a_question_mark_is_no_word_not_a_common_word(site: Served) -> None:
    page = get(site, "/search", q="?")
    assert "vanliga ord" not in page.text
    assert "inga ord att söka efter" in page.text


def test_counts_agree_with_their_nouns(site: Served) -> None:
    status = _text(get(site, "/status").text)
    assert "1 misslyckad;" in status and "1 misslyckade" not in status
    assert not re.search(r"\b1 (förfrågningar|nya versioner|sidor)\b", status)
    event = get(site, "/event:1").text
    assert not re.search(r"\b1 (sidor|textremsor|versioner)\b", _text(event))


def test_caption_language_is_a_word(site: Served) -> None:
    event = get(site, "/event:1").text
    assert "på svenska" in event and "(sv)" not in event


def test_an_unplayable_films_player_has_no_stray_line(site: Served) -> None:
    page = get(site, f"/material:{FAILED_FILM}@0").text
    assert "Arkivet kan inte spela den här filmen själv." in page
    assert not re.search(r'<p class="prov">\s*·', page)
    assert "Originalsidan" not in page  # its original is no web address


def test_the_favicon_is_served_under_the_pages_csp(site: Served) -> None:
    icon = get(site, "/favicon.ico")
    assert icon.status_code == 200 and icon.headers["Content-Type"].startswith("image/")
    assert icon.content.lstrip().startswith(b"<svg")
    page = get(site, "/")
    assert 'rel="icon"' in page.text
    assert "img-src 'self'" in page.headers["Content-Security-Policy"]
