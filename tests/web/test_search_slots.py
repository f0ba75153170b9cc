"""Issue 26 item 3 (web side): searches run on a few of the server's threads, so costly
searches in parallel never hold every thread; past the slots a search is told to come back
(a 503 in Swedish) and pages still answer."""

from __future__ import annotations

import threading
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


def test_searches_from_many_server_threads_run_on_the_few_search_threads(
        tmp_path: Path) -> None:
    """The library keeps an index searcher per thread: searches asked on any of the
    server's threads run on SEARCH_SLOTS threads of their own, which stay warm."""
    app = create_app(example_archive(tmp_path / "home"))
    answers: list[int] = []

    def ask() -> None:
        client = app.test_client()
        answers.extend(client.get("/search", query_string={"q": q}).status_code
                       for q in ("dagvatten", "miljö", "hållbar stadsutveckling"))

    askers = [threading.Thread(target=ask) for _ in range(4)]
    for t in askers:
        t.start()
    for t in askers:
        t.join()
    assert answers == [200] * 12
    searching = [t for t in threading.enumerate() if t.name.startswith("konfarkiv-search")]
    assert 1 <= len(searching) <= guard.SEARCH_SLOTS
