"""Issue 26 item 3: a search has a cost: typed prefixes match a bounded number of words, the
infix fallback scans a bounded number of terms, and the whole search a bounded time. Past a
cap the user gets one line (English on the command line, Swedish on the web), never a thread
held for minutes."""

from __future__ import annotations

import random
import string
from pathlib import Path

import pytest
from support.cli import example_archive, run

from konfarkiv.search import cost
from konfarkiv.web.app import create_app


def page_of_words(path: Path, words: list[str]) -> Path:
    body = " ".join(words)
    path.write_text(
        '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Ordmöte</title>'
        "</head><body><main><h1>Dokumentation: Ordmöte</h1><p>Om ord.</p>"
        f"<p><strong>Inledning</strong></p><p>Anna Andersson, SKR</p><p>{body}</p>"
        "</main></body></html>", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def wordy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive whose one page holds 2,500 distinct words starting with "ko"."""
    root = tmp_path_factory.mktemp("wordy")
    rng = random.Random(26)
    words = sorted({"ko" + "".join(rng.choices(string.ascii_lowercase, k=8))
                    for _ in range(2_600)})[:2_500]
    home = root / "home"
    assert run(home, "ingest", str(page_of_words(root / "ord.html", words))).exit_code == 0
    return home


def test_a_prefix_matching_too_many_words_is_one_line(wordy: Path) -> None:
    result = run(wordy, "search", "ko* OR ma*")
    assert result.exit_code != 0
    assert "type more letters" in result.output and len(result.output.strip().splitlines()) <= 2


def test_the_web_says_it_in_swedish(wordy: Path) -> None:
    client = create_app(wordy).test_client()
    page = client.get("/search", query_string={"q": "ko*"})
    assert page.status_code == 400
    assert "skriv fler bokstäver" in page.get_data(as_text=True)
    api = client.get("/api/search", query_string={"q": "ko*"})
    assert api.status_code == 400 and "skriv fler bokstäver" in api.get_json()["error"]


def test_a_narrower_prefix_still_finds(wordy: Path) -> None:
    result = run(wordy, "search", "koa*")
    assert result.exit_code == 0, result.output


def test_the_infix_fallback_scans_at_most_its_budget(wordy: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Ten unknown 16-letter words: each one's *infix* fallback would scan every term."""
    from konfarkiv.archive.archive import Archive
    from konfarkiv.search.query import search

    monkeypatch.setattr(cost, "MAX_SCANNED_TERMS", 1_000)
    rng = random.Random(3)
    q = " ".join("".join(rng.choices("bcdfghjklmnpqrstvwxyz", k=16)) for _ in range(10))
    seen: list[cost.Budget] = []
    with Archive.open(wordy) as archive, cost.budget() as b:
        seen.append(b)
        search(archive.layout.index, archive.catalog, q)
    assert 0 < seen[0].scanned <= 1_000


def test_a_search_past_its_time_is_one_line(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    home = example_archive(tmp_path / "home")
    monkeypatch.setattr(cost, "QUERY_SECONDS", 0.0)
    result = run(home, "search", "dagvatten")
    assert result.exit_code != 0 and "took longer than" in result.output
    page = create_app(home).test_client().get("/search", query_string={"q": "dagvatten"})
    assert page.status_code == 400 and "tog för lång tid" in page.get_data(as_text=True)
