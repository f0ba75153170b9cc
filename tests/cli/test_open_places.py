"""`open` and `show` at a place (issue 19) and `open` never handing on a page's non-web link
(issue 26 item 11). The desktop opener is replaced by a script that records what it got."""

from __future__ import annotations

import base64
import html
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.cli import run
from support.player import CUE, WORDS, player_archive
from support.server import TestServer
from support.web import served_hostile_page

OPENER = '#!/bin/sh\nprintf "%s\\n" "$1" >> "{record}"\nexit {code}\n'


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    with TestServer() as films:
        yield player_archive(tmp_path_factory.mktemp("open"), films)


def _hit(home: Path, word: str) -> dict:
    out = json.loads(run(home, "search", word, "--json").stdout)
    return next(h for r in out["results"] for h in r["hits"] if h["kind"] == "caption")


def _opener(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int = 0) -> Path:
    """A recording xdg-open (what click.launch runs on Linux) first on PATH."""
    record = tmp_path / "opened.txt"
    opener = tmp_path / "bin" / "xdg-open"
    opener.parent.mkdir()
    opener.write_text(OPENER.format(record=record, code=code), "utf-8")
    opener.chmod(0o755)
    monkeypatch.setenv("PATH", f"{opener.parent}{os.pathsep}{os.environ['PATH']}")
    return record


def test_search_json_gives_film_hits_a_play_url_beside_the_url(home: Path) -> None:
    hit = _hit(home, WORDS["direct"])
    keys = list(hit)
    assert keys.index("play_url") == keys.index("url") + 1
    assert hit["play_url"] == f"http://127.0.0.1:8080/{hit['id']}"
    other = json.loads(run(home, "search", WORDS["direct"], "--json", "--web-url",
                           "https://arkiv.example.org/").stdout)
    assert other["results"][0]["hits"][0]["play_url"] == f"https://arkiv.example.org/{hit['id']}"


@pytest.mark.parametrize("way", ["archived", "saved", "direct"])
def test_open_plays_the_film_from_the_second(home: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch, way: str) -> None:
    record = _opener(tmp_path, monkeypatch)
    hit = _hit(home, WORDS[way])
    result = run(home, "open", hit["id"])
    assert result.exit_code == 0, result.output
    (opened,) = record.read_text("utf-8").splitlines()
    page = Path(opened)
    assert page.parent == home / "cache" / "open" and page.suffix == ".html"
    text = page.read_text("utf-8")
    assert f'#t={int(CUE)}"' in text and '<track kind="captions"' in text
    if way == "direct":  # no copy: the host's own file
        assert 'src="http://127.0.0.1:' in text and "/media/clip.wav#t=40" in text
    else:
        media = text.split('src="', 1)[1].split("#", 1)[0]
        assert (page.parent / media).read_bytes()[:4] == b"RIFF"
    assert run(home, "open", "--print", hit["id"]).stdout.strip() == opened


@pytest.mark.parametrize("way", ["archived", "saved", "direct"])
def test_the_opened_page_carries_its_captions_as_a_data_url(home: Path, way: str) -> None:
    """A file: page may not load a <track> file beside it (each file: URL is an origin of
    its own to Chromium and Firefox); a data: URL inside the page loads."""
    hit = _hit(home, WORDS[way])
    page = Path(run(home, "open", "--print", hit["id"]).stdout.strip())
    src = re.search(r'<track kind="captions" src="([^"]+)" srclang="sv"',
                    page.read_text("utf-8"))
    assert src, page.read_text("utf-8")
    head, _, data = html.unescape(src.group(1)).partition(",")
    assert head == "data:text/vtt;base64"
    vtt = base64.b64decode(data).decode("utf-8")
    assert vtt.startswith("WEBVTT") and f"Här visar vi {WORDS[way]} i parken." in vtt
    assert "00:00:40.000 -->" in vtt


def test_the_openers_own_lines_do_not_precede_ours(home: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capfd: pytest.CaptureFixture[str]) -> None:
    """xdg-open without a working browser prints lines of its own, then exits non-zero:
    konfarkiv says one line, with the opener's last line as its cause."""
    opener = tmp_path / "bin" / "xdg-open"
    opener.parent.mkdir()
    opener.write_text('#!/bin/sh\necho "xdg-open: 882: www-browser: not found" >&2\n'
                      'echo "chatter on stdout"\n'
                      'echo "xdg-open: no method available for opening it" >&2\nexit 3\n')
    opener.chmod(0o755)
    monkeypatch.setenv("PATH", f"{opener.parent}{os.pathsep}{os.environ['PATH']}")
    capfd.readouterr()
    result = run(home, "open", _hit(home, WORDS["archived"])["id"])
    leaked = capfd.readouterr()
    assert result.exit_code == 1
    assert "www-browser" not in leaked.err + leaked.out and "chatter" not in leaked.out
    (line,) = result.stderr.strip().splitlines()
    assert "no program opened" in line and "no method available" in line


def test_open_an_embedded_film_gives_its_player_at_the_second(home: Path) -> None:
    hit = _hit(home, WORDS["embedded"])
    printed = run(home, "open", "--print", hit["id"]).stdout.strip()
    assert printed.startswith("http://127.0.0.1:") and "/embed/abc123?start=40" in printed


def test_a_failing_opener_exits_non_zero_with_one_line(home: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    record = _opener(tmp_path, monkeypatch, code=3)
    result = run(home, "open", _hit(home, WORDS["archived"])["id"])
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "no program opened" in result.stderr and record.exists()


@pytest.mark.parametrize("place", ["@51", "@99999"])
def test_a_second_past_the_films_end_is_refused(home: Path, place: str) -> None:
    film = _hit(home, WORDS["archived"])["id"].split("@")[0]
    for command in (["open", "--print"], ["show"]):
        result = run(home, *command, film + place)
        assert result.exit_code == 1, (command, result.output)
        assert "0:50" in result.stderr or "00:50" in result.stderr
        assert "hint: give a second from 0 to 50" in result.stderr


def test_negative_places_are_refused(home: Path) -> None:
    film = _hit(home, WORDS["archived"])["id"].split("@")[0]
    for command in (["open", "--print"], ["show"]):
        assert run(home, *command, film + "@-5").exit_code == 1


@pytest.mark.parametrize("address", [
    "http://127.0.0.1:8080/{id}", "https://arkiv.kommun.se/{id}?q=regnb%C3%A4ddar",
    "http://127.0.0.1:8080/{material}%40{at}", "http://localhost:5000/play/{n}?t={at}"])
def test_a_pasted_web_address_works_in_show_and_open(home: Path, address: str) -> None:
    hit = _hit(home, WORDS["archived"])
    material, at = hit["id"].split("@")
    url = address.format(id=hit["id"], material=material, at=at, n=material.split(":")[1])
    assert run(home, "open", "--print", url).stdout == run(home, "open", "--print",
                                                           hit["id"]).stdout
    shown = run(home, "show", url, "--json")
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["id"] == int(material.split(":")[1])


@pytest.fixture(scope="module")
def hostile_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A page whose links name file:, smb:, ssh: and data: targets (refused at ingest)."""
    root = tmp_path_factory.mktemp("links")
    server, page = served_hostile_page(root / "hostile")
    extra = ('<p><a href="file:///etc/passwd">Presentation lösen (PDF, nytt fönster)</a></p>'
             '<p><a href="smb://server/delad/film.mp4">Se film, delad</a></p>'
             '<p><a href="ssh://server/x">Länk till servern</a></p>')
    path = "/dokumentation/hostile.html"
    body = (root / "hostile" / "hostile.html").read_text("utf-8").replace(
        "</main>", extra + "</main>")
    server.add_file(path, body)
    home = root / "arkiv"
    try:
        run(home, "ingest", page)
    finally:
        server.stop()
    return home


def test_open_never_hands_on_a_pages_non_web_link(hostile_home: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    record = _opener(tmp_path, monkeypatch)
    (event,) = json.loads(run(hostile_home, "events", "--json").stdout)
    record_ = json.loads(run(hostile_home, "show", str(event["id"]), "--json").stdout)
    materials = record_["materials"] + [m for s in record_["sessions"] for m in s["materials"]]
    odd = [m for m in materials if not m["url"].startswith(("http://", "https://"))]
    assert {m["url"].split(":")[0] for m in odd} >= {"file", "smb", "ssh", "data"}
    for m in odd:
        for args in (["open", "--print", f"material:{m['id']}"],
                     ["open", f"material:{m['id']}"], ["open", f"material:{m['id']}@1"]):
            result = run(hostile_home, *args)
            assert result.exit_code == 1, (args, result.output)
            assert "/etc/passwd" not in result.stdout
    assert not record.exists(), "the opener was never run"


def test_edit_takes_a_pasted_web_address(home: Path) -> None:
    hit = _hit(home, WORDS["direct"])
    out = json.loads(run(home, "search", WORDS["direct"], "--json").stdout)
    session = out["results"][0]["session"]["id"]
    url = f"http://127.0.0.1:8080/event:1#session:{session}"  # what a shared link looks like
    edited = run(home, "edit", "session", f"http://127.0.0.1:8080/session:{session}",
                 "--title", "Dagvatten i kassetter", "--by", "test")
    assert edited.exit_code == 0, edited.output
    assert json.loads(run(home, "show", f"session:{session}", "--json").stdout)[
        "fields"]["title"]["value"] == "Dagvatten i kassetter"
    assert run(home, "show", url, "--json").exit_code == 0 and hit["id"]
