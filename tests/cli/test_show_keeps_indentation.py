"""`show` keeps its indentation when a value runs over several lines (a description with a
line break on the page, or one corrected by hand): every line stays under its field."""

from __future__ import annotations

from pathlib import Path

from support.cli import example_archive, run

FIRST = "Vad händer på området? Hur arbetar SKL och andra aktörer?"
SECOND = "Hur kan vi integrera de miljöstrategiska frågorna?"


def test_multi_line_description_stays_under_its_field(tmp_path: Path) -> None:
    home = example_archive(tmp_path / "home")
    text = run(home, "show", "session:4").stdout.splitlines()
    first = next(i for i, line in enumerate(text) if line.startswith("  description: "))
    assert text[first] == f"  description: {FIRST}"
    assert text[first + 1] == f"               {SECOND}  [parsed]"

    edited = run(home, "edit", "session", "4", "--description", "Första raden.\nAndra raden.")
    assert edited.exit_code == 0, edited.output
    text = run(home, "show", "session:4").stdout.splitlines()
    first = next(i for i, line in enumerate(text) if line.startswith("  description: "))
    assert text[first] == "  description: Första raden."
    assert text[first + 1].startswith("               Andra raden.  [hand-made by ")
    assert text[first + 2] == f"    the page says: {FIRST}"
    assert text[first + 3] == f"                   {SECOND}"
    assert all(line.startswith(" ") or line.startswith(("event", "session")) for line in text)
