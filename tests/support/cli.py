"""The command line as the tests drive it: click's runner on a given archive home."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from konfarkiv.cli import cli


def run(home: Path, *args: str, input: str | None = None) -> Result:
    """`konfarkiv --home HOME ARGS…` in this process; a traceback fails the test."""
    return CliRunner().invoke(cli, ["--home", str(home), *args], input=input,
                              catch_exceptions=False)


def show(home: Path, ref: str) -> dict[str, Any]:
    """`konfarkiv show REF --json`, which must succeed."""
    result = run(home, "show", ref, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def hits(home: Path, query: str) -> list[dict[str, Any]]:
    """Every hit of `search QUERY --json`, each with its session's title."""
    out = json.loads(run(home, "search", query, "--json").stdout)
    return [{**h, "session": r["session"]["title"]} for r in out["results"] for h in r["hits"]]


EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "natverksmote" / "index.html"


def example_archive(home: Path) -> Path:
    """home with the bundled example ingested (offline)."""
    result = run(home, "ingest", str(EXAMPLE))
    assert result.exit_code == 0, result.output
    return home


def saved_example_archive(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the bundled example (a saved page the test may change, with its PDFs and
    films beside it) ingested into an archive: (the copy's index.html, the archive home)."""
    import shutil

    page = tmp_path / "page" / "index.html"
    shutil.copytree(EXAMPLE.parent, page.parent)
    home = tmp_path / "home"
    result = run(home, "ingest", str(page))
    assert result.exit_code == 0, result.output
    return page, home
