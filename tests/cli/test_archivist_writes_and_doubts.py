"""Writes by hand behave like every writing command; doubts are told once (issue 21)."""

from __future__ import annotations

import json
from pathlib import Path

from support.cli import EXAMPLE, example_archive, run, show
from support.media import media_file

from konfarkiv.archive.archive import Archive
from konfarkiv.archive.lock import WriterLock


def _snapshots(home: Path) -> list[str]:
    return sorted(p.name for p in (home / "backups").glob("catalog-*.sqlite"))


def test_sources_add_and_remove_take_the_lock_and_a_snapshot(tmp_path: Path) -> None:
    home = example_archive(tmp_path / "arkiv")
    page = "https://skr.se/dokumentation/klimatdagen.4242.html"
    archive = Archive.open(home)
    try:
        with WriterLock(archive.layout.lock, command="update"):
            busy = run(home, "sources", "add", page)
            assert busy.exit_code == 1 and "being written by update" in busy.output, busy.output
    finally:
        archive.close()
    assert page not in run(home, "sources", "list").output
    before = _snapshots(home)
    added = run(home, "sources", "add", page)
    assert added.exit_code == 0 and "added: page" in added.output, added.output
    assert len(set(_snapshots(home)) - set(before)) == 1  # the catalog before the write
    before = _snapshots(home)
    assert run(home, "sources", "remove", page).exit_code == 0
    assert len(set(_snapshots(home)) - set(before)) == 1


def test_add_says_which_caption_cues_it_dropped(tmp_path: Path) -> None:
    video = tmp_path / "film.mp4"
    video.write_bytes(media_file("tiny.mp4").read_bytes())
    (tmp_path / "film.sv.vtt").write_text(
        "WEBVTT\n\n00:00:00.500 --> 00:00:02.000\nGod morgon.\n\n"
        "00:00:75.000 --> 00:00:77.000\nEn omöjlig tid.\n\n"
        "00:99:01.000 --> 00:99:02.000\nÄnnu en.\n", "utf-8")
    home = tmp_path / "arkiv"
    result = run(home, "add", str(video), "--new-event", "Miljödagen")
    assert result.exit_code == 3, result.output
    assert "2 bad caption cues dropped" in result.stderr, result.stderr
    material = show(home, "material:1")
    assert material["film"]["cues"] == 1 and "2 bad caption cues dropped" in material["error"]


def test_a_doubt_is_printed_once_and_review_keeps_it(tmp_path: Path) -> None:
    home = tmp_path / "arkiv"
    first = run(home, "ingest", str(EXAMPLE))
    assert first.exit_code == 0 and "doubt:" in first.stdout, first.output
    again = run(home, "ingest", str(EXAMPLE))
    assert again.exit_code == 0 and "doubt:" not in again.stdout, again.output
    review = json.loads(run(home, "review", "--json").stdout)
    assert review and review[0]["doubts"], "review still lists every open doubt"
