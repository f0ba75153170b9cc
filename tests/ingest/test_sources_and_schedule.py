"""Issue 5: the sources `update` follows, and the schedule that runs it."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from support.cli import run
from support.pdfs import make_pdf

from konfarkiv.cli import cli

PAGE = """<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Möte - SKR</title>
</head><body><main><h1>Dokumentation: Möte om vatten</h1>
<p>Ett möte om dricksvatten.</p>
<p><strong>Vatten i kommunerna</strong></p><p>Anna Andersson, SKR</p>
<p><a href="/files/vatten.pdf">Presentation (PDF, nytt fönster)</a></p>
</main></body></html>"""



def listed(home: Path) -> list[dict]:
    return json.loads(run(home, "sources", "list", "--json").stdout)


def test_add_list_remove(server, tmp_path):
    page = server.url("/dokumentation/mote.5001.html")
    listing = server.url("/dokumentation/alldokumentation.html?utm_source=x")
    added = run(tmp_path, "sources", "add", page)
    assert added.exit_code == 0 and "added: page" in added.output
    assert "already followed" in run(tmp_path, "sources", "add", page).output
    assert run(tmp_path, "sources", "add", "--follow", listing).exit_code == 0
    rows = listed(tmp_path)
    assert [(r["kind"], r["url"], r["status"]) for r in rows] == [
        ("page", page, "new"),
        ("listing", server.url("/dokumentation/alldokumentation.html"), "new"),
    ]
    text = run(tmp_path, "sources", "list").output
    assert "listing" in text and "0 pages found" in text

    gone = run(tmp_path, "sources", "remove", page)
    assert gone.exit_code == 0 and "removed 1 source" in gone.output
    assert [r["kind"] for r in listed(tmp_path)] == ["listing"]
    missing = CliRunner().invoke(cli, ["--home", str(tmp_path), "sources", "remove", page])
    assert missing.exit_code == 1 and "not a source" in missing.stderr
    assert "hint: see `konfarkiv sources list`" in missing.stderr


def test_ingest_adds_its_page_as_a_source_and_remove_keeps_the_archive(server, tmp_path):
    server.add_file("/files/vatten.pdf", make_pdf(None, ["Dricksvatten och ledningsnät"]))
    url = server.add_file("/dokumentation/mote.5001.html", PAGE)
    assert run(tmp_path, "ingest", url).exit_code == 0
    (row,) = listed(tmp_path)
    assert row["url"] == url and row["status"] == "ok" and row["last_checked"]
    assert "Möte om vatten" in row["event"]["title"]

    # Same page by another host name: one source, removed by either name.
    alias = url.replace("127.0.0.1", "localhost")
    assert run(tmp_path, "sources", "remove", alias).exit_code == 0
    assert listed(tmp_path) == []
    assert "ledningsnät" in run(tmp_path, "search", "ledningsnät").output.lower()
    status = json.loads(run(tmp_path, "status", "--json").stdout)
    assert status["events"] == 1 and status["documents"] == 1


def test_sources_add_refuses_what_is_not_a_url(tmp_path):
    result = CliRunner().invoke(cli, ["--home", str(tmp_path), "sources", "add",
                                      "ftp://example.org/x"])
    assert result.exit_code == 1 and "hint:" in result.stderr


def test_failing_source_shows_reason_attempts_and_next_try(server, tmp_path):
    url = server.url("/dokumentation/saknas.5002.html")
    run(tmp_path, "sources", "add", url)
    result = run(tmp_path, "update", "--json", "--delay", "0")
    assert result.exit_code == 1  # the only page failed: nothing could be done
    (row,) = listed(tmp_path)
    assert row["status"] == "failed" and "404" in row["error"]
    assert row["attempts"] == 1 and row["permanent"] and row["next_try"] is None
    server.clear_log()
    again = json.loads(run(tmp_path, "update", "--json", "--delay", "0").stdout)
    assert again["tally"]["pages"]["skipped"] == 1 and server.count(
        "/dokumentation/saknas.5002.html") == 0
    retried = run(tmp_path, "update", "--retry-failed", "--delay", "0")
    assert retried.exit_code == 1 and server.count("/dokumentation/saknas.5002.html") == 1


def test_schedule_prints_units_and_a_cron_line_calling_update_with_the_home(tmp_path):
    home = tmp_path / "mitt arkiv"
    systemd = run(home, "schedule", "--systemd")
    assert systemd.exit_code == 0
    text = systemd.output
    assert "konfarkiv-update.service" in text and "konfarkiv-update.timer" in text
    exec_line = next(line for line in text.splitlines() if line.startswith("ExecStart="))
    assert f'--home "{home}" update' in exec_line
    assert "OnCalendar=*-*-* 03:15:00" in text and "Persistent=true" in text
    cron = run(home, "schedule", "--cron", "--at", "2:05").output.strip()
    assert cron.startswith("5 2 * * * ") and f"--home '{home}' update" in cron
    assert run(home, "schedule").exit_code == 2
    assert run(home, "schedule", "--cron", "--at", "25:00").exit_code == 2
    assert not home.exists()  # printing a schedule creates nothing


def test_every_new_command_has_an_example():
    runner = CliRunner()
    for args in (["update"], ["schedule"], ["sources"], ["sources", "add"],
                 ["sources", "list"], ["sources", "remove"]):
        assert "Example" in runner.invoke(cli, [*args, "--help"]).output, args
