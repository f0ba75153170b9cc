"""Issue 2 end to end: a real server, real PDFs, a real film page; ingest, search, reindex."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from support.cli import run
from support.media import film_page, webvtt
from support.pdfs import make_pdf, truncated

from konfarkiv.cli import cli

PAGE = """<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>Dokumentation: Nätverksmöte för
miljöstrateger i kommunerna - SKR</title></head>
<body><header><nav><a href="/">Start</a></nav></header>
<main>
<h1>Dokumentation: Nätverksmöte för miljöstrateger i kommunerna</h1>
<p>En första träff för att undersöka intresset för ett nationellt nätverk för miljöstrateger.</p>
<p><a href="/files/inbjudan.pdf">Inbjudan och program (PDF, nytt fönster)</a></p>
<p><strong>Syfte med nätverksmötet och hur arbetar vi med miljömålen?</strong></p>
<p>Kerstin Blom Bokliden och Andreas Hagnell, Sveriges Kommuner och Landsting</p>
<p><a href="/files/skl.pdf">Presentation av SKL (PDF, nytt fönster)</a></p>
<p><a href="/files/saknas.pdf">Presentation som saknas (PDF, nytt fönster)</a></p>
<p><strong>Hållbar stadsutveckling – en plattform för miljöstrategiskt arbete</strong></p>
<p>Vad händer på området? Hur arbetar SKL och andra aktörer?</p>
<p>Eva Hägglund, SKL, Andreas Hagnell och Kerstin Blom Bokliden</p>
<p><a href="/files/felsida.pdf">Presentation om planering (PDF, nytt fönster)</a></p>
<p><a href="/files/trasig.pdf">Presentation om grönstruktur (PDF, nytt fönster)</a></p>
<p><a href="/film/stad.html">Se film, hållbar stadsutveckling, SKL (nytt fönster)</a></p>
<h2>Kontakt</h2>
<p>Hjälpte informationen på sidan dig?</p>
</main></body></html>
"""

SKL_PAGES = [
    "Nätverk för miljöstrateger\nVarför ett nationellt nätverk?",
    "Det lokala miljömålsarbetet\nUppföljning, styrning och budget.",
    "Hållbar stadsutveckling i kommunerna\nGrönstruktur och täta städer.",
]
CUES = [
    (1.0, 4.0, "Välkomna till det här passet."),
    (65.0, 70.0, "Nu pratar vi om översiktsplanen."),
    (252.0, 258.0, "Hållbar stadsutveckling är en plattform för miljöstrategiskt arbete."),
]


def serve_event(server, tiny_video: bytes, *, bad: bool) -> str:
    server.add_file("/files/inbjudan.pdf", make_pdf(None, ["Inbjudan och program",
                                                           "Program: välkomna kl 10.00"]))
    server.add_file("/files/skl.pdf", make_pdf(None, SKL_PAGES))
    ok_extra = make_pdf(None, ["Planering av städer"])
    if bad:
        server.add_file("/files/felsida.pdf", "<html><body>Sidan finns inte</body></html>",
                        content_type="text/html")
        server.add_file("/files/trasig.pdf", truncated(make_pdf(None, ["Grönstruktur"] * 3)))
    else:
        server.add_file("/files/felsida.pdf", ok_extra)
        server.add_file("/files/trasig.pdf", make_pdf(None, ["Grönstruktur i staden"]))
        server.add_file("/files/saknas.pdf", make_pdf(None, ["Nu finns den"]))
    server.add_file("/film/film.mp4", tiny_video, content_type="video/mp4")
    server.add_file("/film/stad.vtt", webvtt(CUES), content_type="text/vtt")
    server.add_file("/film/stad.html", film_page("Hållbar stadsutveckling", "film.mp4",
                                                 "stad.vtt"))
    return server.add_file("/dokumentation/natverksmote.3712.html", PAGE)



def test_ingest_and_search_finds_session_slide_and_moment(server, tiny_video, tmp_path):
    url = serve_event(server, tiny_video, bad=False)
    result = run(tmp_path, "ingest", url)
    assert result.exit_code == 0, result.output
    assert "failures" not in result.output

    status = json.loads(run(tmp_path, "status", "--json").stdout)
    assert status["events"] == 1
    assert status["sessions"] == 2
    assert status["documents"] == 5
    assert status["films"] == 1 and status["cues"] == 3
    assert status["failures"] == 0

    out = json.loads(run(tmp_path, "search", "hållbar stadsutveckling", "--json").stdout)
    assert out["query"] == "hållbar stadsutveckling"
    top = out["results"][0]
    assert top["session"]["title"] == "Hållbar stadsutveckling – en plattform för " \
                                      "miljöstrategiskt arbete"
    assert top["event"]["url"] == url
    assert {s["name"] for s in top["session"]["speakers"]} >= {"Eva Hägglund"}
    kinds = {h["kind"] for h in top["hits"]}
    assert "session" in kinds and "caption" in kinds
    moment = next(h for h in top["hits"] if h["kind"] == "caption")
    assert moment["start"] == 252.0
    assert moment["url"].endswith("/film/stad.html#t=252")
    assert "Hållbar stadsutveckling" in moment["snippet"]

    slides = json.loads(run(tmp_path, "search", "miljömålsarbetet", "--json").stdout)
    hit = next(h for r in slides["results"] for h in r["hits"] if h["kind"] == "slide")
    assert hit["page"] == 2
    assert hit["url"].endswith("/files/skl.pdf#page=2")

    text = run(tmp_path, "search", "översiktsplanen").output
    assert "01:05" in text and "#t=65" in text


def test_bad_pdfs_are_recorded_and_the_rest_is_archived(server, tiny_video, tmp_path):
    url = serve_event(server, tiny_video, bad=True)
    result = run(tmp_path, "ingest", "--json", url)
    assert result.exit_code == 3, result.output
    report = json.loads(result.stdout)
    reasons = {f["item"].rsplit("/", 1)[-1]: f["reason"] for f in report["failures"]}
    assert set(reasons) == {"saknas.pdf", "felsida.pdf", "trasig.pdf"}
    assert "404" in reasons["saknas.pdf"]
    assert "HTML page instead of a PDF" in reasons["felsida.pdf"]
    assert "not a readable PDF" in reasons["trasig.pdf"] or "partial" in reasons["trasig.pdf"]

    status = json.loads(run(tmp_path, "status", "--json").stdout)
    assert status["failures"] == 3
    assert status["documents"] == 2  # inbjudan and skl
    out = json.loads(run(tmp_path, "search", "grönstruktur", "--json").stdout)
    kinds = [h["kind"] for r in out["results"] for h in r["hits"]]
    assert "slide" in kinds  # from skl.pdf page 3, which did arrive

    # The next run, with the server mended, completes the work: exit 0.
    serve_event(server, tiny_video, bad=False)
    again = run(tmp_path, "ingest", url)
    assert again.exit_code == 0, again.output
    assert json.loads(run(tmp_path, "status", "--json").stdout)["failures"] == 0


def test_reindex_rebuilds_from_the_catalog_alone(server, tiny_video, tmp_path):
    url = serve_event(server, tiny_video, bad=False)
    assert run(tmp_path, "ingest", url).exit_code == 0
    before = json.loads(run(tmp_path, "search", "miljömålsarbetet", "--json").stdout)
    server.stop()  # no network from here on
    import shutil

    shutil.rmtree(tmp_path / "index")
    result = run(tmp_path, "reindex")
    assert result.exit_code == 0 and "reindexed" in result.output
    after = json.loads(run(tmp_path, "search", "miljömålsarbetet", "--json").stdout)
    assert after == before


def test_damaged_index_is_rebuilt_not_served_partially(server, tiny_video, tmp_path):
    url = serve_event(server, tiny_video, bad=False)
    assert run(tmp_path, "ingest", url).exit_code == 0
    segments = list((tmp_path / "index").glob("*.seg"))
    assert segments
    for seg in segments:
        seg.unlink()
    result = CliRunner().invoke(
        cli, ["--home", str(tmp_path), "search", "miljömålsarbetet", "--json"])
    assert result.exit_code == 0
    assert "rebuilt the search index" in result.stderr
    assert json.loads(result.stdout)["total"] >= 1


def test_dry_run_prints_the_parse_and_fetches_nothing_else(server, tiny_video, tmp_path):
    url = serve_event(server, tiny_video, bad=False)
    result = run(tmp_path, "ingest", "--dry-run", "--json", url)
    assert result.exit_code == 0, result.output
    page = json.loads(result.stdout)
    assert set(page) >= {"url", "title", "date", "materials", "sessions"}
    assert [m["label"] for m in page["materials"]] == ["Inbjudan och program"]
    assert page["materials"][0]["kind"] == "pdf"
    first = page["sessions"][0]
    assert first["title"] == "Syfte med nätverksmötet och hur arbetar vi med miljömålen?"
    assert [s["name"] for s in first["speakers"]] == ["Kerstin Blom Bokliden", "Andreas Hagnell"]
    assert {m["kind"] for m in page["sessions"][1]["materials"]} == {"pdf", "film"}
    assert server.count("/files/skl.pdf") == 0 and server.count("/film/stad.html") == 0
    assert not (tmp_path / "catalog.sqlite").exists()


def test_exit_statuses(server, tmp_path):
    missing = server.url("/finns-inte.html")
    result = CliRunner().invoke(cli, ["--home", str(tmp_path), "ingest",
                                                      missing])
    assert result.exit_code == 1
    assert "404" in result.output and missing in result.output
    assert run(tmp_path, "ingest").exit_code == 2  # usage: no SOURCE
    assert run(tmp_path, "search", "--limit", "0", "x").exit_code == 2
    bad = CliRunner().invoke(cli, ["--home", str(tmp_path), "search",
                                                   "foo:bar"])
    assert bad.exit_code == 1 and "unknown field 'foo:'" in bad.stderr
    home_is_file = tmp_path / "afile"
    home_is_file.write_text("x")
    assert run(home_is_file, "status").exit_code in (1, 2)


def test_every_command_has_an_example_in_its_help():
    runner = CliRunner()
    for name in cli.list_commands(click.Context(cli)):  # loaded or not yet
        text = runner.invoke(cli, [name, "--help"]).output
        assert "Example" in text, name


def test_search_does_not_import_ytdlp(server, tiny_video, tmp_path):
    url = serve_event(server, tiny_video, bad=False)
    assert run(tmp_path, "ingest", url).exit_code == 0
    code = (
        "import sys\n"
        "from konfarkiv.cli import cli\n"
        f"cli.main(['--home', {str(tmp_path)!r}, 'search', 'miljömålsarbetet'],"
        " standalone_mode=False)\n"
        "print('YTDLP' if 'yt_dlp' in sys.modules else 'CLEAN')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert "miljömålsarbetet" in out.lower()
    assert out.strip().endswith("CLEAN")


@pytest.mark.parametrize("home_env", [True, False])
def test_home_from_environment(server, tmp_path, monkeypatch, home_env):
    target = tmp_path / "envhome"
    args = ["--home", str(target)] if not home_env else []
    if home_env:
        monkeypatch.setenv("KONFARKIV_HOME", str(target))
    missing = CliRunner().invoke(cli, [*args, "status", "--json"])  # a read makes nothing
    assert missing.exit_code == 1 and f"no archive at {target}" in missing.stderr
    assert not target.exists()
    assert CliRunner().invoke(cli, [*args, "reindex"]).exit_code == 0  # a write makes it
    result = CliRunner().invoke(cli, [*args, "status", "--json"])
    assert json.loads(result.stdout)["home"] == str(target.resolve())
    assert (target / "catalog.sqlite").exists()


def test_bundled_example_offline(tmp_path):
    example = Path(__file__).resolve().parents[2] / "examples" / "natverksmote" / "index.html"
    result = run(tmp_path, "ingest", str(example))
    assert result.exit_code == 0, result.output
    out = run(tmp_path, "search", "hållbar stadsutveckling").output
    assert "Hållbar stadsutveckling – en plattform för miljöstrategiskt arbete" in out
    assert "page " in out and "#page=" in out
    assert "film moment" in out and "#t=" in out
