"""A cold `konfarkiv search` (one fresh process) loads what a search needs and no more, and
opens the index once (issue 23: start-up is most of what a one-off search costs)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from support.catalog_fill import fill

from konfarkiv.archive.archive import Archive
from konfarkiv.search import SearchRequest, search, warm
from konfarkiv.search import index as index_mod
from konfarkiv.search.sync import drain_index_queue

#: Modules only other commands use: the fetchers and extractors, the web page, the
#: archivist's commands, the user-data-dir lookup (--home is given), Whoosh's unused
#: pure-Python stemmers (the C ones of PyStemmer serve the same Snowball algorithms).
NOT_FOR_SEARCH = ("requests", "yt_dlp", "pypdf", "flask", "werkzeug", "jinja2", "bagit",
                  "platformdirs", "filelock", "konfarkiv.ingest.", "konfarkiv.curate.",
                  "konfarkiv.web", "konfarkiv.cli_archivist", "konfarkiv.cli_ingest",
                  "konfarkiv.cli_sources", "snowballstemmer.swedish_stemmer",
                  "snowballstemmer.english_stemmer")


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("cold") / "home"
    with Archive.open(home) as archive:
        fill(archive, events=2, pages=2)
        drain_index_queue(archive)
    return home


def test_a_cold_search_loads_no_other_commands_modules(home: Path):
    code = ("import sys\n"
            "from konfarkiv.cli import cli\n"
            f"cli.main(['--home', {str(home)!r}, 'search', 'stadsutveckling'],"
            " standalone_mode=False)\n"
            "print('MODULES', *sorted(sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    printed, _, modules = out.partition("MODULES")
    assert "Miljömålsarbete" in printed  # it did search
    loaded = modules.split()
    assert "konfarkiv.search.query" in loaded and "whoosh.searching" in loaded
    unneeded = [m for m in loaded for n in NOT_FOR_SEARCH  # "x.": x's modules, not x
                if m.startswith(n) if n.endswith(".") or m == n or m.startswith(n + ".")]
    assert unneeded == []


def test_a_search_after_the_index_check_opens_the_index_once(home: Path, monkeypatch):
    opened: list[Path] = []
    original = index_mod.open_searcher

    def counting(path: Path):  # the real opening, counted
        opened.append(path)
        return original(path)

    monkeypatch.setattr(index_mod, "open_searcher", counting)
    warm.forget()  # as a fresh process: nothing held open
    with Archive.open(home) as archive:
        found = search(archive, SearchRequest.of("stadsutveckling"))
        assert found.response.results
        assert len(opened) == 1
        search(archive, SearchRequest.of("kommun"))  # the index unchanged: still open
        assert len(opened) == 1
    warm.forget()
