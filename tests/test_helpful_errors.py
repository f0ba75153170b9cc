"""Issue 14, errors that help: one style, one line and a hint, usage errors for typing slips."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.cli import example_archive, run


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    return example_archive(tmp_path_factory.mktemp("arkiv"))


@pytest.mark.parametrize(("query", "why"), [
    ('"hållbar stad', "unbalanced quotes"), ("(miljö OR klimat", "1 '(' not closed"),
    ("miljö)", "a ')' with no '('"), ('"(" miljö (', "1 '(' not closed"),
])
def test_unbalanced_quotes_and_parentheses_are_usage_errors(home, query, why):
    result = run(home, "search", query)
    assert result.exit_code == 2 and why in result.stderr
    assert "Usage: " in result.stderr and "search [OPTIONS] QUERY" in result.stderr


def test_balanced_parentheses_inside_a_phrase_are_plain_text(home):
    assert run(home, "search", '"stadsutveckling (" hållbar').exit_code == 0


def test_errors_have_one_style(home, tmp_path):
    outputs = [run(home, "search", "foo:bar").stderr,
               run(tmp_path / "none", "events").stderr,
               run(home, "open", "material:999").stderr,
               run(home, "ingest", str(tmp_path / "saknas.html")).stderr]
    for err in outputs:
        assert err.startswith("Error: "), err
        assert "error:" not in err


def test_no_color_turns_off_bold(home):
    """On a terminal (a pty) matches are bold; NO_COLOR=1 keeps the text plain."""
    import pty

    def on_terminal(env: dict[str, str]) -> str:
        leader, follower = pty.openpty()
        proc = subprocess.Popen([sys.executable, "-m", "konfarkiv.cli", "--home", str(home),
                                 "search", "hållbar"], stdout=follower, stderr=follower,
                                env=env)
        os.close(follower)
        chunks = []
        while True:
            try:
                data = os.read(leader, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        proc.wait(timeout=120)
        os.close(leader)
        return b"".join(chunks).decode("utf-8", "replace")

    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    assert "\x1b[1m" in on_terminal(env)
    plain = on_terminal({**env, "NO_COLOR": "1"})
    assert "\x1b[" not in plain and "ållbar" in plain


def test_search_exports_csv_and_jsonl(home):
    full = json.loads(run(home, "search", "miljömål", "--json").stdout)
    hits = [h for r in full["results"] for h in r["hits"]]
    rows = list(csv.DictReader(io.StringIO(run(home, "search", "miljömål", "--csv").stdout)))
    assert [r["id"] for r in rows] == [h["id"] for h in hits] and len(rows) > 3
    assert list(rows[0])[:4] == ["rank", "id", "kind", "event"]
    assert rows[0]["rank"] == "1" and rows[-1]["rank"] == str(len(full["results"]))
    lines = run(home, "search", "miljömål", "--jsonl").stdout.splitlines()
    assert [json.loads(line)["snippet"] for line in lines] == [h["snippet"] for h in hits]
