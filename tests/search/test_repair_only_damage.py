"""A search repairs the index only when its files are damaged; a bug surfaces as itself.

Before, search/repair.py caught every exception: a TypeError while building results
took the writer lock and rebuilt the whole index, then raised the same error.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.cli import example_archive, run

from konfarkiv.archive.archive import Archive
from konfarkiv.archive.lock import WriterLock
from konfarkiv.search import query
from konfarkiv.search.damage import is_damage
from konfarkiv.search.repair import search_repairing


def _index_files(home: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (home / "index").iterdir()}


def test_a_programming_error_while_building_results_is_raised_without_a_rebuild(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = example_archive(tmp_path / "arkiv")
    assert run(home, "search", "miljömål").exit_code == 0  # the index is whole and current
    before = _index_files(home)

    def broken(*args: object, **kwargs: object) -> None:
        raise TypeError("a bug in result building")

    monkeypatch.setattr(query, "session_results", broken)
    archive = Archive.open(home)
    try:
        # Another writer holds the lock: a repair would have to wait for it and say so.
        with WriterLock(archive.layout.lock, command="update"), \
                pytest.raises(TypeError, match="a bug in result building"):
            search_repairing(archive, "miljömål")
        with pytest.raises(TypeError, match="a bug in result building"):
            search_repairing(archive, "miljömål")
    finally:
        archive.close()
    assert _index_files(home) == before, "the index was rebuilt for a programming error"


def test_damage_found_while_searching_is_still_rebuilt(tmp_path: Path) -> None:
    home = example_archive(tmp_path / "arkiv")
    assert run(home, "search", "miljömål").exit_code == 0
    words = [p for p in (home / "index").iterdir() if p.suffix == ".txt" or "words" in p.name]
    assert words, sorted(p.name for p in (home / "index").iterdir())
    for p in words:
        p.write_text("miljö\tnot-a-number\nmål\t\xff\n", encoding="utf-8")
    archive = Archive.open(home)
    try:
        resp, note = search_repairing(archive, "miljömålen")
    finally:
        archive.close()
    assert note and "rebuilt" in note, note
    assert resp.total > 0


def test_what_counts_as_damage() -> None:
    def raised(exc: Exception) -> Exception:
        try:
            raise exc
        except Exception as caught:  # noqa: BLE001 - the traceback is the point
            return caught

    assert is_damage(raised(OSError(5, "Input/output error")))
    assert is_damage(raised(EOFError()))
    assert is_damage(raised(UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte")))
    assert not is_damage(raised(TypeError("unsupported operand")))
    assert not is_damage(raised(KeyError("title")))
