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
from support.cli import EXAMPLE, example_archive, run


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
               run(home, "ingest", "-q", str(tmp_path / "saknas.html")).stderr]
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


@pytest.mark.parametrize(("source", "says", "hint"), [
    ("htp://example.com/sida.html", "not an http(s) address",
     "did you mean http://example.com/sida.html?"),
    ("skr.se/dokumentation.html", "no such file, and no http(s):// in front",
     "write https://skr.se/dokumentation.html"),
    ("EXAMPLE_DIR", "a folder, not a page", "index.html"),
    ("EXAMPLE_PDF", "a PDF, not a documentation page", "konfarkiv add"),
    ("https://example.org/bilder.pdf", "a PDF, not a documentation page", "--event ID"),
])
def test_a_source_that_is_no_page_gets_a_hint_and_leaves_nothing(tmp_path, source, says, hint):
    source = source.replace("EXAMPLE_DIR", str(EXAMPLE.parent)).replace(
        "EXAMPLE_PDF", str(EXAMPLE.parent / "presentation-av-skl.pdf"))
    result = run(tmp_path, "ingest", source)
    assert result.exit_code == 1
    (line,) = [x for x in result.stderr.splitlines() if x.startswith("Error: page")]
    assert line == f"Error: page {source}: {says} (hint: {line.split('(hint: ')[1]}"
    assert hint in line
    assert "no sources yet" in run(tmp_path, "sources", "list").output


def test_a_first_ingest_that_fails_keeps_no_source(server, tmp_path):
    missing = server.url("/borta.html")  # 404
    good = server.add_file("/bra.html", "<html><body><main><h1>Dokumentation: Bra</h1>"
                           "<p><strong>Ett pass</strong></p></main></body></html>")
    result = run(tmp_path, "ingest", missing, good)
    assert result.exit_code == 3
    assert f"FAILED  404  {missing}  (HTTP 404" in result.stderr  # a line per item, piped
    assert f"Error: page {missing}: HTTP 404" in result.stderr  # and the reason at the end
    listed = json.loads(run(tmp_path, "sources", "list", "--json").stdout)
    assert [s["url"] for s in listed] == [good]
    update = run(tmp_path, "update", "-q")
    assert update.exit_code == 0 and server.count("/borta.html") == 1  # never retried


def test_home_after_the_command_is_accepted(home, tmp_path):
    from click.testing import CliRunner

    from konfarkiv.cli import cli

    late = CliRunner().invoke(cli, ["search", "miljömål", "--home", str(home), "--json"])
    assert late.exit_code == 0 and json.loads(late.stdout)["total"] > 0
    eq = CliRunner().invoke(cli, ["events", f"--home={home}"])
    assert eq.exit_code == 0 and "Nätverksmöte" in eq.stdout
    # after `--` it is the query's text, not an option
    literal = CliRunner().invoke(cli, ["--home", str(home), "search", "--", "--home"])
    assert literal.exit_code in (0, 1) and "no archive" not in literal.stderr


def test_a_page_past_the_last_says_so(home):
    total = json.loads(run(home, "search", "miljömål", "--json").stdout)["total"]
    past = run(home, "search", "miljömål", "--page", "99")
    assert past.exit_code == 1 and past.stdout == ""  # an error: nothing on that page
    assert past.stderr.strip() == (f"Error: page 99 is past the end: {total} results (sessions "
                                   f"and events) match 'miljömål' on 1 page (10 a page); "
                                   f"try --page 1")
