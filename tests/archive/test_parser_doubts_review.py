"""Issue 12, "say when unsure": the parser's doubts, from ingest to `konfarkiv review`.

Two real pages on the test server: a documentation page whose program the parser
cannot find (two PDFs, no program) and a one-talk page whose speakers come without
organisation. `ingest` prints the doubts, `--dry-run --json` returns them, the catalog
keeps them, `review` lists each with the command that fixes it, and running that
command settles it.
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path

from support.cli import run
from support.pdfs import make_pdf
from support.server import TestServer

NO_PROGRAM = """<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>x</title></head>
<body><main><h1>Dokumentation: Nätverksträff 2019</h1>
<p>Tack till alla som var med på nätverksträffen den 3 april.</p>
<p><a href="/files/a.pdf">Bilder från förmiddagen (PDF, nytt fönster)</a></p>
<p><a href="/files/b.pdf">Bilder från eftermiddagen (PDF, nytt fönster)</a></p>
</main></body></html>"""

ONE_TALK = """<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>y</title></head>
<body><main><h1>12. Tillit i styrningen</h1>
<p>Hur bygger vi tillit mellan politik och förvaltning?</p>
<h3>Medverkande:</h3><p>Anna Ek<br>Per Holm</p></main></body></html>"""



def serve(server: TestServer) -> tuple[str, str]:
    server.add_file("/files/a.pdf", make_pdf(None, ["Förmiddagen"]))
    server.add_file("/files/b.pdf", make_pdf(None, ["Eftermiddagen"]))
    return (server.add_file("/dok/natverkstraff.html", NO_PROGRAM),
            server.add_file("/program/12.html", ONE_TALK))


def test_dry_run_json_carries_the_doubts(server: TestServer, tmp_path: Path) -> None:
    no_program, one_talk = serve(server)
    got = json.loads(run(tmp_path, "ingest", "--dry-run", "--json", no_program).stdout)
    assert got["sessions"] == []
    assert [d["kind"] for d in got["doubts"]] == ["no-sessions"]
    assert "2 PDF/film" in got["doubts"][0]["reason"]
    talk = json.loads(run(tmp_path, "ingest", "--dry-run", "--json", one_talk).stdout)
    assert [s["title"] for s in talk["sessions"]] == ["12. Tillit i styrningen"]
    assert {d["kind"] for d in talk["doubts"]} == {"no-organisation", "no-date"}


def test_review_lists_each_doubt_with_its_fix_and_an_edit_settles_it(
        server: TestServer, tmp_path: Path) -> None:
    no_program, one_talk = serve(server)
    assert "no archive at" in run(tmp_path, "review").output  # a read creates none
    assert run(tmp_path, "reindex").exit_code == 0
    assert run(tmp_path, "review").output.startswith("nothing to review")  # no catalog rows
    ingested = run(tmp_path, "ingest", no_program, one_talk)
    assert ingested.exit_code == 0, ingested.output
    assert "doubt: no session found, though the page links 2 PDF/film" in ingested.output
    assert "doubt: session '12. Tillit i styrningen': 2 speaker(s) without organisation" \
        in ingested.output

    events = json.loads(run(tmp_path, "review", "--json").stdout)
    assert [e["url"] for e in events] == [no_program, one_talk]
    first, talk = events
    assert [d["kind"] for d in first["doubts"]] == ["no-sessions"]
    assert first["doubts"][0]["fix"].startswith(f"konfarkiv add FILE --event {first['id']} ")
    fix = next(d["fix"] for d in talk["doubts"] if d["kind"] == "no-organisation")
    assert "--speaker 'Anna Ek, ORGANISATION' --speaker 'Per Holm, ORGANISATION'" in fix
    text = run(tmp_path, "review").output
    assert f"event {talk['id']}: 12. Tillit i styrningen" in text and f"fix: {fix}" in text

    # The archivist runs the command with the organisations filled in.
    args = shlex.split(fix.replace("ORGANISATION", "SKR"))[1:]
    assert run(tmp_path, *args).exit_code == 0
    left = json.loads(run(tmp_path, "review", "--json").stdout)
    kinds = {e["id"]: [d["kind"] for d in e["doubts"]] for e in left}
    assert "no-organisation" not in kinds[talk["id"]]
    assert kinds[first["id"]] == ["no-sessions"]
    # Re-ingesting the unchanged pages brings no settled doubt back.
    run(tmp_path, "ingest", no_program, one_talk)
    again = json.loads(run(tmp_path, "review", "--json").stdout)
    assert {e["id"]: [d["kind"] for d in e["doubts"]] for e in again} == kinds
