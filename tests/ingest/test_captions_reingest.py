"""Captions fetched with a film: archived as fetched, re-read only when they change (issue 27)."""

from __future__ import annotations

import json
from pathlib import Path

from support.cli import run
from support.media import film_page
from support.pages import event_page
from support.server import TestServer

from konfarkiv.archive.archive import Archive

SRT = """1
00:00:02,000 --> 00:00:05,000
Välkomna till mötet om översvämningsrisker.

2
00:00:06,000 --> 00:00:09,000
Skyfallet i Malmö förändrade allt för oss.
"""


def _cues(home: Path) -> list[str]:
    with Archive.open(home) as archive:
        return [r[0] for r in archive.catalog.all("SELECT text FROM cues ORDER BY position")]


def _update(home: Path) -> dict:
    result = run(home, "update", "--json", "--delay", "0", "--film-refresh-days", "0")
    return json.loads(result.stdout)["tally"]["films"]


def test_windows_1252_srt_from_a_film_page_is_archived_as_fetched_and_reread_on_change(
        server: TestServer, tiny_video: bytes, tmp_path: Path) -> None:
    server.add_file("/film/film.mp4", tiny_video, content_type="video/mp4")
    server.add_file("/film/mote.srt", SRT.encode("cp1252"), content_type="text/plain")
    server.add_file("/film/mote.html", film_page("Mötet", "film.mp4", "mote.srt"))
    url = server.add_file("/sida.html", event_page("Översvämningar", [
        ("/film/mote.html", "Se film, mötet (nytt fönster)")]))
    result = run(tmp_path, "ingest", url)
    assert result.exit_code == 0, result.output
    assert _cues(tmp_path) == ["Välkomna till mötet om översvämningsrisker.",
                               "Skyfallet i Malmö förändrade allt för oss."]
    with Archive.open(tmp_path) as archive:
        (sha,) = [r[0] for r in archive.catalog.all("SELECT captions_sha256 FROM films")]
        assert archive.store.read_bytes(sha) == SRT.encode("cp1252")
        with archive.catalog.transaction():  # a mark: cues the next run must leave alone
            archive.catalog.replace_cues(1, [(2.0, 5.0, "markering")], 2)

    assert _update(tmp_path)["unchanged"] == 1
    assert _cues(tmp_path) == ["markering"]  # the same file: not re-read

    server.replace_file("/film/mote.srt", SRT.replace("allt", "mycket").encode("cp1252"))
    assert _update(tmp_path)["changed"] == 1
    assert _cues(tmp_path)[1] == "Skyfallet i Malmö förändrade mycket för oss."
