"""Issue 14, finding one's way: events, ids in every output, open, no archive made by a read."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import time
from pathlib import Path

import pytest
from support.cli import example_archive, run
from support.media import media_file


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    """The bundled example ingested once, and a local film with chapters added by hand."""
    home = example_archive(tmp_path_factory.mktemp("arkiv"))
    video = home.parent / "skyfall.mp4"
    video.write_bytes(media_file("chapters.mp4").read_bytes())
    (home.parent / "skyfall.sv.vtt").write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.500\nRegnbäddar fördröjer dagvattnet.\n", "utf-8")
    added = run(home, "add", str(video), "--event", "1", "--session", "Skyfall", "--json")
    assert added.exit_code == 0, added.output
    return home


def test_events_as_text_json_and_csv(home):
    text = run(home, "events")
    assert text.exit_code == 0
    header, line = text.output.splitlines()[:2]
    assert header.split()[:6] == ["id", "date", "sessions", "PDFs", "films", "failed"]
    assert line.split()[:6] == ["1", "–", "7", "3", "7", "0"]
    assert line.endswith("Nätverksmöte för miljöstrateger i kommunerna")

    (event,) = json.loads(run(home, "events", "--json").stdout)
    assert {k: event[k] for k in ("id", "sessions", "pdfs", "films", "failures")} == {
        "id": 1, "sessions": 7, "pdfs": 3, "films": 7, "failures": 0}
    rows = list(csv.DictReader(io.StringIO(run(home, "events", "--csv").stdout)))
    assert rows == [{k: str(v) if v is not None else "" for k, v in event.items()
                     if k in rows[0]}]
    assert list(rows[0]) == ["id", "date", "title", "sessions", "pdfs", "films", "failures", "url"]


def test_search_hits_carry_the_ids_open_takes(home):
    out = json.loads(run(home, "search", "hållbar stadsutveckling", "--json").stdout)
    hits = [h for r in out["results"] for h in r["hits"]]
    by_kind = {h["kind"]: h for h in hits}
    assert by_kind["session"]["id"].startswith("session:")
    slide = next(h for h in hits if h["kind"] == "slide")
    assert slide["id"].endswith(f"@{slide['page']}") and slide["id"].startswith("material:")
    moment = next(h for h in hits if h["kind"] == "caption")
    assert moment["id"].endswith(f"@{int(moment['start'])}")

    text = run(home, "search", "hållbar stadsutveckling").output
    assert f"[{slide['id']}]" in text and f"[{moment['id']}]" in text
    assert f"[session:{out['results'][0]['session']['id']}]" in text
    shown = run(home, "show", slide["id"])  # show takes the same id
    assert shown.exit_code == 0 and "pdf" in shown.output.lower()


def test_open_print_gives_the_archived_copy_with_its_extension(home):
    hits = [h for r in json.loads(run(home, "search", "miljömål", "--json").stdout)["results"]
            for h in r["hits"]]
    slide = next(h for h in hits if h["kind"] == "slide")
    material, page = slide["id"].split("@")

    whole = run(home, "open", "--print", material)
    assert whole.exit_code == 0, whole.output
    path = Path(whole.stdout.strip())
    assert path.suffix == ".pdf" and path.parent == home / "cache" / "open"
    assert path.read_bytes().startswith(b"%PDF")  # the stored file, under a name with .pdf
    record = json.loads(run(home, "show", material, "--json").stdout)
    assert path.stem == record["file"]["sha256"]

    at_page = Path(run(home, "open", "--print", slide["id"]).stdout.strip())
    assert at_page.parent == path.parent and at_page.suffix == ".html"  # openers drop #page=
    assert f'url={path.name}#page={page}"' in at_page.read_text("utf-8")


def test_open_a_local_film_at_a_moment_and_a_film_page(home):
    out = json.loads(run(home, "search", "regnbäddar", "--json").stdout)
    moment = next(h for r in out["results"] for h in r["hits"] if h["kind"] == "caption")
    assert moment["id"].endswith("@1")
    page = Path(run(home, "open", "--print", moment["id"]).stdout.strip())
    played = re.search(r'<video controls autoplay src="([^"#]+\.mp4)#t=1"', page.read_text())
    assert played, "a small local page plays the archived film from the second"
    linked = page.parent / played.group(1)
    assert linked.read_bytes() == media_file("chapters.mp4").read_bytes()

    out = json.loads(run(home, "search", "plattform miljöstrategiskt", "--json").stdout)
    page_moment = next(h for r in out["results"] for h in r["hits"] if h["kind"] == "caption")
    opened = Path(run(home, "open", "--print", page_moment["id"]).stdout.strip())
    # a saved page's film file is kept in the archive, and plays from there with captions
    assert f'#t={page_moment["id"].split("@")[1]}"' in opened.read_text("utf-8")
    assert '<track kind="captions"' in opened.read_text("utf-8")


@pytest.mark.parametrize(("ref", "why"), [
    ("material:999", "no material 999"), ("slides.pdf", "not something to open"),
    ("session:1@3", "only a material"), ("material:1@99", "pages, not 99"),
])
def test_open_explains_what_it_cannot_open(home, ref, why):
    result = run(home, "open", "--print", ref)
    assert result.exit_code == 1 and why in result.stderr and "hint:" in result.stderr


def test_open_launches_the_desktop_opener(home, tmp_path, monkeypatch):
    """xdg-open is what click.launch runs on Linux: a stand-in records what it was given."""
    record = tmp_path / "opened.txt"
    opener = tmp_path / "bin" / "xdg-open"
    opener.parent.mkdir()
    opener.write_text(f'#!/bin/sh\necho "$1" > {record}\n', "utf-8")
    opener.chmod(0o755)
    monkeypatch.setenv("PATH", f"{opener.parent}{os.pathsep}{os.environ['PATH']}")
    result = run(home, "open", "material:1@2")
    assert result.exit_code == 0, result.output
    deadline = time.monotonic() + 30  # the opener runs on its own, as on a desktop
    while not (record.exists() and record.read_text("utf-8").strip()):
        assert time.monotonic() < deadline, "the opener was never run"
        time.sleep(0.05)
    page = Path(record.read_text("utf-8").strip())
    assert page.suffix == ".html" and ".pdf#page=2" in page.read_text("utf-8")


@pytest.mark.parametrize("command", [["search", "x"], ["status"], ["events"], ["show", "1"],
                                     ["open", "material:1"], ["sources", "list"],
                                     ["verify"], ["review"]])
def test_reading_commands_never_create_an_archive(tmp_path, command):
    home = tmp_path / "nothing-here"
    result = run(home, *command)
    assert result.exit_code == 1, result.output
    assert f"no archive at {home}" in result.stderr and "konfarkiv ingest" in result.stderr
    assert not home.exists()


def test_search_on_an_empty_archive_says_how_to_fill_it(tmp_path):
    assert run(tmp_path, "reindex").exit_code == 0  # an archive, with nothing in it
    result = run(tmp_path, "search", "miljö")
    assert result.exit_code == 1
    assert "is empty" in result.stderr and "konfarkiv ingest" in result.stderr


def test_cron_example_in_help_keeps_the_rest_of_the_crontab(tmp_path):
    """The help's example, run as written by bash, with crontab kept in a file."""
    import subprocess
    import sys

    helptext = run(tmp_path, "schedule", "--help").output
    (example,) = [line.strip() for line in helptext.splitlines() if "| crontab -" in line
                  and line.strip().startswith("(")]
    table = tmp_path / "crontab.txt"
    table.write_text("0 1 * * * backup-my-photos\n", "utf-8")
    script = (
        f'crontab() {{ if [ "$1" = -l ]; then cat {table}; else cat > {table}.new && '
        f'mv {table}.new {table}; fi; }}\n'
        f'konfarkiv() {{ {sys.executable} -m konfarkiv.cli "$@"; }}\n'
        f'HOME={tmp_path}\n{example}\n')
    subprocess.run(["bash", "-c", script], check=True, timeout=60)
    lines = table.read_text("utf-8").splitlines()
    assert lines[0] == "0 1 * * * backup-my-photos"
    assert len(lines) == 2 and lines[1].startswith("30 2 * * * ") and " update" in lines[1]


def test_shell_completion_as_the_readme_says(tmp_path):
    """The README's `eval "$(_KONFARKIV_COMPLETE=bash_source konfarkiv)"`, then a TAB."""
    import subprocess
    import sys

    entry = [str(Path(sys.executable).with_name("konfarkiv"))]  # the installed command
    script = subprocess.run(entry, env={**os.environ, "_KONFARKIV_COMPLETE": "bash_source"},
                            capture_output=True, text=True, timeout=60).stdout
    assert "complete -o nosort -F _konfarkiv_completion konfarkiv" in script
    words = subprocess.run(entry, env={**os.environ, "_KONFARKIV_COMPLETE": "bash_complete",
                                       "COMP_WORDS": "konfarkiv ev", "COMP_CWORD": "1"},
                           capture_output=True, text=True, timeout=60).stdout
    assert words.split() == ["plain,events"]


def test_show_text_names_items_as_show_open_and_edit_take_them(home):
    text = run(home, "show", "1").stdout
    assert "session:1 (ok, from the page)" in text
    assert "material:1 (pdf, ok, from the page): Inbjudan och program" in text
    for ident in ("session:1", "material:1"):
        assert run(home, "show", ident).exit_code == 0
    assert run(home, "open", "--print", "material:1").exit_code == 0


def test_show_refuses_a_page_past_the_last(home):
    hits = [h for r in json.loads(run(home, "search", "miljömål", "--json").stdout)["results"]
            for h in r["hits"] if h["kind"] == "slide"]
    material = hits[0]["id"].split("@")[0]
    result = run(home, "show", f"{material}@9999")
    assert result.exit_code == 1 and "hint: give a page from 1 to" in result.stderr
