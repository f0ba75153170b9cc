"""`sources add` refuses what `ingest` refuses (a PDF, a folder, a mistyped or hostless
address) with one line naming the cause, so no nightly `update` fails on it forever; and
an `update` whose one bad page sits among unchanged saved pages is partial (exit 3), not
"nothing could be done" (exit 1)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support.cli import EXAMPLE, run
from support.pdfs import make_pdf


@pytest.mark.parametrize(("given", "cause"), [
    ("slides.pdf", "a PDF, not a documentation page"),
    ("folder", "a folder, not a page"),
    ("https://", "the address names no host"),
    ("htp://skr.se/a.html", "did you mean http://skr.se/a.html"),
    ("https:/skr.se/a.html", "did you mean https://skr.se/a.html"),
])
def test_sources_add_names_why_it_is_not_a_page(tmp_path: Path, given: str, cause: str) -> None:
    (tmp_path / "slides.pdf").write_bytes(make_pdf(None, ["Dagvatten i planeringen"]))
    (tmp_path / "folder").mkdir()
    target = str(tmp_path / given) if given in ("slides.pdf", "folder") else given
    home = tmp_path / "arkiv"
    added = run(home, "sources", "add", target)
    assert added.exit_code == 1, added.output
    first = added.stderr.splitlines()[0]
    assert first.startswith(f"Error: {target}: ") and cause in first, added.stderr
    assert "Traceback" not in added.output
    listed = run(home, "sources", "list")
    assert target not in listed.output


def test_one_bad_source_among_unchanged_saved_pages_is_partial(tmp_path: Path) -> None:
    saved = tmp_path / "natverksmote"
    shutil.copytree(EXAMPLE.parent, saved)
    home = tmp_path / "arkiv"
    assert run(home, "ingest", str(saved / "index.html")).exit_code == 0
    later = tmp_path / "later.html"
    later.write_text("<html><body><h1>Kommer snart</h1></body></html>", "utf-8")
    assert run(home, "sources", "add", str(later)).exit_code == 0
    later.write_bytes(make_pdf(None, ["Ersatt av en PDF"]))  # the saved file is no page any more

    nightly = run(home, "update", "-q")
    assert nightly.exit_code == 3, nightly.output  # the example page was checked: partial
    assert nightly.stdout == ""
    assert [line for line in nightly.stderr.splitlines() if line.startswith("Error:")] == [
        line for line in nightly.stderr.splitlines()] and str(later) in nightly.stderr
