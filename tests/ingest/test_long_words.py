"""Issue 26 item 8: a very long word is indexed whole, never cut into compound parts (the
search for cuts grows with the square of the length, with the writer lock held). Queries
already stop splitting at 60 characters; indexing now does too."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from support.cli import run

from konfarkiv.search.compounds import MAX_SPLIT_CHARS, default_lexicon

GUARD = 120  # seconds: only so that a regression fails instead of hanging the suite


def test_a_compound_over_the_cap_is_not_split() -> None:
    lexicon = default_lexicon()
    assert lexicon.split("miljömålsarbete")  # a real compound is still split
    long_word = "miljömålsarbete" * (MAX_SPLIT_CHARS // 15 + 1)
    assert lexicon.split(long_word) == ()


def konfarkiv(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run([sys.executable, "-m", "konfarkiv.cli", "--home", str(home),
                               *args], capture_output=True, text=True, timeout=GUARD)
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(f"konfarkiv {args[0]} with a long word ran past {GUARD} s") from exc


def test_a_page_of_one_200000_letter_word_is_ingested_and_searchable(tmp_path: Path) -> None:
    word = ("miljömålsarbete" * 13_334)[:200_000]
    page = tmp_path / "ord.html"
    page.write_text(
        '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Ordmöte</title>'
        "</head><body><main><h1>Dokumentation: Ordmöte om dagvatten</h1>"
        f"<p>{word}</p><p><strong>Inledning</strong></p><p>Anna Andersson, SKR</p>"
        "</main></body></html>", encoding="utf-8")
    home = tmp_path / "home"
    done = konfarkiv(home, "ingest", str(page))
    assert done.returncode == 0, done.stderr
    assert "Ordmöte" in run(home, "search", "dagvatten").output
    title = ("stadsutvecklingsplanering" * 4_000)[:100_000]  # argv takes 128 kB a string
    added = konfarkiv(home, "add", "--new-event", "--title", title, str(page))
    assert "Traceback" not in added.stderr
