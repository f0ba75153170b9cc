"""Issue 26 item 3 (web side): searches run on a few of the server's threads, so costly
searches in parallel never hold every thread; past the slots a search is told to come back
(a 503 in Swedish) and pages still answer."""

from __future__ import annotations

from pathlib import Path

from support.cli import example_archive

from konfarkiv.web import guard
from konfarkiv.web.app import create_app


def test_searches_past_their_slots_are_a_503_and_pages_answer(tmp_path: Path) -> None:
    client = create_app(example_archive(tmp_path / "home")).test_client()
    held = [guard._SEARCHES.acquire(timeout=1) for _ in range(guard.SEARCH_SLOTS)]
    try:
        assert all(held)
        busy = client.get("/search", query_string={"q": "dagvatten"})
        assert busy.status_code == 503 and "försök igen" in busy.get_data(as_text=True)
        assert client.get("/").status_code == 200
    finally:
        for _ in held:
            guard._SEARCHES.release()
    assert client.get("/search", query_string={"q": "dagvatten"}).status_code == 200
