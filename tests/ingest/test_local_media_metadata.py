"""Local media read in pure Python: durations, titles and chapters with no ffprobe installed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.media import media_file
from support.pdfs import make_pdf

from konfarkiv.cli import cli
from konfarkiv.ingest.media import probe_duration, probe_media

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "natverksmote"
CHAPTERS = [(0.0, 1.5, "Inledning"), (1.5, 3.0, "Frågestund om skyfall")]


def run(home: Path, *args: str):
    return CliRunner().invoke(cli, ["--home", str(home), *args])


@pytest.mark.parametrize(("name", "fmt", "tool"), [
    ("tiny.mp4", "mp4", "mutagen"), ("tiny.m4a", "mp4", "mutagen"),
    ("tiny.mp3", "mp3", "mutagen"), ("tiny.ogg", "oggopus", "mutagen"),
    ("tiny.webm", "webm", "enzyme"),
])
def test_durations_of_every_fixture(name, fmt, tool):
    info = probe_media(media_file(name))
    assert info is not None and info.format_name == fmt and info.tool.startswith(tool + " ")
    assert info.duration == pytest.approx(3.0, abs=0.2)
    assert info.title is None and info.chapters == ()
    assert probe_duration(media_file(name)) == info.duration


@pytest.mark.parametrize("name", ["chapters.mp4", "chapters.webm"])
def test_title_and_chapters(name):
    info = probe_media(media_file(name))
    assert info is not None and info.title == "Klimatanpassning i praktiken"
    assert [(c.start, c.title) for c in info.chapters] == [(s, t) for s, _, t in CHAPTERS]
    assert [c.end for c in info.chapters] == pytest.approx([e for _, e, _ in CHAPTERS], abs=0.2)
    json.dumps(info.probe)  # what is kept beside the film must be JSON


def test_what_is_not_a_recording(tmp_path):
    pdf = tmp_path / "bilder.pdf"
    make_pdf(pdf, ["Bild"])
    text = tmp_path / "anteckningar.txt"
    text.write_text("Inte en film.", "utf-8")
    half = tmp_path / "halv.mp4"
    half.write_bytes(media_file("tiny.mp4").read_bytes()[:200])
    broken_mkv = tmp_path / "trasig.webm"
    broken_mkv.write_bytes(media_file("tiny.webm").read_bytes()[:60])
    for path in (pdf, text, half, broken_mkv, tmp_path / "saknas.mp4", tmp_path):
        assert probe_media(path) is None, path
        assert probe_duration(path) is None


def test_add_webm_with_chapters_needs_no_ffprobe(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))  # no ffprobe, no ffmpeg
    video = tmp_path / "inspelning.webm"
    shutil.copyfile(media_file("chapters.webm"), video)
    result = run(tmp_path / "arkiv", "add", str(video), "--new-event", "Klimatdagen", "--json")
    assert result.exit_code == 0, result.output
    added = json.loads(result.stdout)
    assert added["label"] == "Klimatanpassning i praktiken" and added["detail"]["chapters"] == 2
    film = json.loads(run(tmp_path / "arkiv", "show", f"material:{added['material_id']}",
                          "--json").stdout)["film"]
    assert film["duration"] == pytest.approx(3.0, abs=0.1)
    assert film["tool"].startswith("enzyme ")


def test_example_films_last_as_long_as_their_captions(tmp_path):
    """Issue 14: `show` said 0:05 for a film whose captions run to 18:55. The captions
    were right (the filmed session is 20 minutes); the shared stand-in video was not."""
    result = run(tmp_path, "ingest", str(EXAMPLE / "index.html"))
    assert result.exit_code == 0, result.output
    event = json.loads(run(tmp_path, "show", "1", "--json").stdout)
    films = [m for s in event["sessions"] for m in s["materials"] if m["kind"] == "film"]
    assert len(films) == 6
    for m in films:
        film = json.loads(run(tmp_path, "show", f"material:{m['id']}", "--json").stdout)["film"]
        vtt = EXAMPLE / "film" / Path(film["webpage_url"]).with_suffix(".vtt").name
        last = vtt.read_text("utf-8").strip().split("\n\n")[-1].splitlines()[1]
        end = sum(float(x) * 60 ** i for i, x in enumerate(reversed(
            last.split(" --> ")[1].split(":"))))
        assert end <= film["duration"] < end + 60, (film["webpage_url"], film["duration"])
