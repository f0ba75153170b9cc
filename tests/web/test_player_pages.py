"""The player page, its captions track and one id everywhere, over real HTTP (issue 19)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import requests
from support.player import CUE, WORDS, served_player_archive
from support.web import Served


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with served_player_archive(tmp_path_factory.mktemp("player")) as served:
        yield served


def get(site: Served, path: str, **params: str) -> requests.Response:
    return requests.get(site.url.rstrip("/") + path, params=params or None, timeout=30,
                        allow_redirects=False)


def _player_link(site: Served, word: str) -> str:
    page = get(site, "/search", q=word).text
    link = re.search(r'<a class="open" href="(/material:\d+@([1-9]\d*))\?q=[^"]*"',
                     page)  # the moment's hit (a whole film's plays from 0)
    assert link and int(link.group(2)) == int(CUE), page
    assert f'<span class="id">{link.group(1)[1:]}</span>' in page  # the hit shows its id
    return link.group(1)


def test_each_way_of_playing_keeps_media_and_frames_to_the_films_origin(site: Served) -> None:
    origins = {}
    for way in WORDS:
        page = get(site, _player_link(site, WORDS[way]))
        assert page.status_code == 200
        csp = dict(p.strip().split(" ", 1) for p in page.headers["Content-Security-Policy"]
                   .split(";"))
        origins[way] = csp
        assert csp["default-src"] == "'none'" and csp["script-src"] == "'self'"
    host = re.compile(r"^'self' http://127\.0\.0\.1:\d+$")
    assert host.match(origins["direct"]["media-src"]) and "frame-src" not in origins["direct"]
    assert origins["embedded"]["media-src"] == "'self'"
    assert re.match(r"^http://127\.0\.0\.1:\d+$", origins["embedded"]["frame-src"])
    for way in ("saved", "archived"):
        assert origins[way]["media-src"] == "'self'" and "frame-src" not in origins[way]


def test_captions_are_served_as_webvtt_from_the_catalog(site: Served) -> None:
    link = _player_link(site, WORDS["saved"])
    material = link.split("@")[0]
    vtt = get(site, f"{material}.vtt")
    assert vtt.status_code == 200 and vtt.headers["Content-Type"].startswith("text/vtt")
    assert vtt.text.startswith("WEBVTT\n")
    assert f"00:00:40.000 --> 00:00:43.000\nHär visar vi {WORDS['saved']} i parken." in vtt.text
    page = get(site, link, q=WORDS["saved"]).text
    assert f'<track kind="captions" src="{material}.vtt"' in page
    assert f"<mark>{WORDS['saved']}</mark>" in page


@pytest.mark.parametrize("place", ["@51", "@99999", "@99999999999999999999999"])
def test_a_second_past_the_end_is_a_swedish_404(site: Served, place: str) -> None:
    material = _player_link(site, WORDS["archived"]).split("@")[0]
    page = get(site, material + place)
    assert page.status_code == 404 and 'lang="sv"' in page.text
    assert "Traceback" not in page.text
    if place == "@51":
        assert "välj en sekund från 0 till 50" in page.text


def test_ids_read_the_same_on_the_web(site: Served) -> None:
    event = get(site, "/event:1")
    assert event.status_code == 200 and "event:1" in event.text
    assert re.search(r'id="session:(\d+)".*?<p class="id">session:\1</p>', event.text, re.S)
    assert re.search(r'<span class="id">material:\d+</span>', event.text)
    assert get(site, "/events/1").headers["Location"].endswith("/event:1")
    session = get(site, "/session:1")
    assert session.status_code == 302 and session.headers["Location"] == "/event:1#session:1"
    old = get(site, "/play/4", t="40")
    assert old.status_code == 301 and old.headers["Location"].endswith("/material:4@40")
    for path in ("/material:999999@1", "/event:999999", "/nothing:1", "/material:1.exe"):
        assert get(site, path).status_code == 404, path
