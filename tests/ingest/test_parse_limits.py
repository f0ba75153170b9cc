"""Issue 26 item 9: a page is parsed within a size, time and memory limit; past one it is a
failed item naming the page and the cause, and the run goes on with the next page."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.cli import EXAMPLE, run

from konfarkiv.ingest import parse_limits


def big_page(path: Path, rows: int) -> Path:
    cells = "".join(f"<tr><td>Rad {i}</td><td>Anna Andersson {i}, SKR</td></tr>"
                    for i in range(rows))
    path.write_text(
        '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Stort</title>'
        "</head><body><main><h1>Dokumentation: Stort möte</h1>"
        f"<table>{cells}</table></main></body></html>", encoding="utf-8")
    return path


def test_a_page_over_the_size_cap_is_refused_and_the_run_goes_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = big_page(tmp_path / "stor.html", 20_000)  # about 1.2 MB
    monkeypatch.setattr(parse_limits, "PAGE_MAX_BYTES", 1024 * 1024)
    result = run(tmp_path / "home", "ingest", str(page), str(EXAMPLE))
    assert result.exit_code == 3, result.output  # partial: the example is archived
    line = next(ln for ln in result.output.splitlines() if "stor.html" in ln and "FAILED" in ln)
    assert "bytes" in line and "Traceback" not in result.output


def test_a_page_slower_than_the_time_limit_is_one_failed_item(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = big_page(tmp_path / "lang.html", 60_000)  # seconds of parsing, not a fraction
    monkeypatch.setattr(parse_limits, "PARSE_SECONDS", 0.2)
    result = run(tmp_path / "home", "ingest", str(page), str(EXAMPLE))
    assert result.exit_code == 3, result.output
    line = next(ln for ln in result.output.splitlines() if "lang.html" in ln and "FAILED" in ln)
    assert "longer than 0.2 s" in line


def test_the_real_limits_are_far_above_real_pages() -> None:
    assert parse_limits.PAGE_MAX_BYTES >= 5 * 1024 * 1024
    assert parse_limits.PAGE_MAX_BYTES < 200 * 1024 * 1024  # the download cap: was the only one
