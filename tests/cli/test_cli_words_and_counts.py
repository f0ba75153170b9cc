"""The command line's words (QA item 14): one of a thing is singular, a verb agrees with
its count, edit quotes text the same way everywhere, an empty field and a page past the
end are errors (exit 1, one line on stderr), and `status` speaks words and sizes, not
the JSON's keys."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support.cli import example_archive, run


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return example_archive(tmp_path_factory.mktemp("words") / "home")


def test_one_of_a_thing_is_singular(home: Path, tmp_path: Path) -> None:
    assert "1 event; `konfarkiv show ID` shows one" in run(home, "events").stdout
    one = run(home, "search", "kind:event nätverksmöte")
    assert one.exit_code == 0
    assert one.stdout.startswith("1 result (session or event) matches 'kind:event")
    many = run(home, "search", "plattform").stdout
    assert re.match(r"\d+ results \(sessions and events\) match 'plattform'", many)
    quiet = run(home, "update")
    assert quiet.exit_code == 0
    assert "nothing changed: 1 source checked, 0 requests, 1 item not modified" in quiet.stdout
    bag = run(home, "export", "--bagit", str(tmp_path / "bag"), "--event", "1", "-q")
    assert re.search(r"bag .*: 1 event, \d+ files, [\d.]+ kB", bag.stdout), bag.stdout
    jsonl = run(home, "export", "--jsonl", str(tmp_path / "k.jsonl"), "-q")
    assert re.search(r"wrote \d+ JSONL records of 1 event to ", jsonl.stdout), jsonl.stdout


def test_edit_quotes_text_and_leaves_dates_and_speakers_bare(home: Path) -> None:
    out = run(home, "edit", "event", "1", "--date", "2019-03-14", "--title", "Nätverksmöte")
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    assert 'event 1: set title: "Nätverksmöte för miljöstrateger i kommunerna" -> ' \
           '"Nätverksmöte"' in lines
    assert "event 1: set date: (none) -> 2019-03-14" in lines
    out = run(home, "edit", "session", "3", "--speaker", "Anna Ek, Malmö stad")
    assert "session 3: set speakers: (none) -> Anna Ek (Malmö stad)" in out.stdout


def test_an_empty_field_and_a_page_past_the_end_are_errors(home: Path) -> None:
    for query in ("kind:", "miljömål speaker:", "typ:"):
        empty = run(home, "search", query)
        assert empty.exit_code == 1, (query, empty.output)
        assert "needs a value" in empty.stderr and empty.stdout == ""
    past = run(home, "search", "miljömål", "--page", "99")
    assert past.exit_code == 1 and past.stdout == ""
    assert re.fullmatch(r"Error: page 99 is past the end: \d+ results \(sessions and events\) "
                        r"match 'miljömål' on 1 page \(10 a page\); try --page 1\n", past.stderr), \
        past.stderr


def test_status_says_words_and_sizes(home: Path) -> None:
    text = run(home, "status").stdout
    counts = text.split("last run")[0]
    assert "_" not in counts and "bytes" not in counts, counts
    assert re.search(r"^archive: .*home$", counts, re.M), counts
    assert re.search(r"^size on disk: [\d.]+ (kB|MB)$", counts, re.M), counts
    assert re.search(r"^stored files: \d+, [\d.]+ kB$", counts, re.M), counts
    assert re.search(r"^documents: 3, 16 pages$", counts, re.M), counts
