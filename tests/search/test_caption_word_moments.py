"""A caption hit opens the film where its word is spoken, and reads each line once (issue 27)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.captions import LINES, add_rolling_film
from support.cli import hits


@pytest.fixture()
def rolling_film(tiny_video: bytes, tmp_path: Path) -> Path:
    add_rolling_film(tmp_path, tiny_video, "--session", "Inledning")
    return tmp_path


@pytest.mark.parametrize(("query", "spoken"), [("dagvattenhantering", 5.12),
                                               ("regnbäddar", 11.25), ("skyfall", 7.7)])
def test_a_word_hit_starts_within_half_a_second_of_the_word(rolling_film: Path, query: str,
                                                            spoken: float) -> None:
    (moment,) = [h for h in hits(rolling_film, query) if h["kind"] == "caption"]
    assert abs(moment["start"] - spoken) <= 0.5, moment
    assert moment["url"].endswith(f"#t={int(moment['start'])}")


def test_the_snippet_reads_each_line_once(rolling_film: Path) -> None:
    (moment,) = [h for h in hits(rolling_film, "dagvattenhantering") if h["kind"] == "caption"]
    snippet = moment["snippet"]
    for line in LINES[:2]:
        assert snippet.count(line) <= 1, snippet
    assert snippet.count("dagvattenhantering") == 1, snippet
