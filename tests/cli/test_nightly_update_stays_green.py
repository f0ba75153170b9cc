"""The nightly run stays green, and the archivist's hand stays put (issue 21).

An archivist's week, over a real HTTP server on 127.0.0.1: three documentation pages
and a saved page are ingested, a PDF and a film are added by hand, a doubt is
settled with `edit`. Then cron runs `update -q` every night: silent with exit 0 while
nothing failed, one line when a page is gone (exit 3). Before, the hand-added
material was fetched again every night ("refused: a remote page may not lead to a
local file", exit 3) and every run printed every event's doubts again.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import Result
from support.cli import EXAMPLE, run, show
from support.media import film_page, media_file, webvtt
from support.pdfs import make_pdf
from support.server import TestServer

PAGE = """<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>{title} - SKR</title></head>
<body><header><nav><a href="/">Startsida</a></nav></header>
<main>
<p>Publicerad 12 mars 2019</p>
<h1>Dokumentation: {title}</h1>
<p>{intro}</p>
<h2>Program</h2>
{program}
<h2>Kontakt</h2>
<p>Frågor om dokumentationen besvaras av SKR:s kontaktcenter.</p>
</main></body></html>
"""

KLIMAT = "/dokumentation/klimatdagen.4242.html"
VATTEN = "/dokumentation/natverksmote-om-dagvatten.4243.html"
AVFALL = "/dokumentation/avfallsforum.4244.html"


def _session(time: str, title: str, speakers: str, links: list[tuple[str, str]]) -> str:
    anchors = "".join(f'<p><a href="{href}" target="_blank">{text}</a></p>'
                      for href, text in links)
    return f"<p><strong>{time} {title}</strong></p>\n<p>{speakers}</p>\n{anchors}"


def serve_pages(server: TestServer) -> dict[str, str]:
    server.add_file("/files/klimat.pdf", make_pdf(None, [
        "Klimatanpassning i kommunerna\nSkyfall och dagvatten.", "Värmeböljor"]))
    server.add_file("/files/program.pdf", make_pdf(None, ["Program för klimatdagen"]))
    server.add_file("/film/klimat.mp4", media_file("tiny.mp4").read_bytes(),
                    content_type="video/mp4")
    server.add_file("/film/klimat.vtt", webvtt([(0.5, 2.5, "Välkomna till klimatdagen.")]),
                    content_type="text/vtt")
    server.add_file("/film/klimat.html", film_page("Klimatdagen", "klimat.mp4", "klimat.vtt"))
    server.add_file("/files/dagvatten.pdf", make_pdf(None, ["Dagvatten och gröna tak"]))
    server.add_file("/files/avfall.pdf", make_pdf(None, ["Matavfall i flerbostadshus"]))
    pages = {
        KLIMAT: PAGE.format(title="Klimatdagen 2019", intro="En dag om klimatanpassning.",
                            program="\n".join([
            _session("09.30", "Klimatanpassning i praktiken",
                     "Anna Andersson, Sveriges Kommuner och Landsting",
                     [("/files/klimat.pdf", "Presentation om klimat (PDF, nytt fönster)"),
                      ("/film/klimat.html", "Se film, klimatdagen, SKL (nytt fönster)")]),
            _session("11.00", "Program och inbjudan", "Lars Berg, Länsstyrelsen i Skåne",
                     [("/files/program.pdf", "Program (PDF, nytt fönster)")])])),
        VATTEN: PAGE.format(title="Nätverksmöte om dagvatten",
                            intro="Ett möte om dagvatten i den täta staden.",
                            program=_session(
            "10.00", "Dagvatten i den täta staden", "Eva Hägglund och Andreas Hagnell",
            [("/files/dagvatten.pdf", "Presentation om dagvatten (PDF, nytt fönster)")])),
        AVFALL: PAGE.format(title="Avfallsforum", intro="Om matavfall och återvinning.",
                            program=_session(
            "13.00", "Matavfall i flerbostadshus", "Per Olsson, Avfall Sverige",
            [("/files/avfall.pdf", "Presentation om matavfall (PDF, nytt fönster)")])),
    }
    return {path: server.add_file(path, body) for path, body in pages.items()}


def _event_id(home: Path, title: str) -> int:
    events = json.loads(run(home, "events", "--json").stdout)
    return next(e["id"] for e in events if title in e["title"])


def _silent(result: Result) -> None:
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", ""), result.output


def test_a_week_of_nightly_updates_with_hand_added_material(
        server: TestServer, tmp_path: Path) -> None:
    home = tmp_path / "arkiv"
    urls = serve_pages(server)
    saved = tmp_path / "sparad"
    shutil.copytree(EXAMPLE.parent, saved)  # a saved page with its PDFs and films beside it
    first = run(home, "ingest", *urls.values(), str(saved / "index.html"))
    assert first.exit_code == 0, first.output
    assert "doubt:" in first.stdout  # told once, when new

    # By hand: a PDF into a page's event, a recording with captions into another.
    klimat, vatten = _event_id(home, "Klimatdagen"), _event_id(home, "dagvatten")
    extra = tmp_path / "extra-bilder.pdf"
    make_pdf(extra, ["Extra bilder om skyfall och värmeböljor"])
    added = run(home, "add", str(extra), "--event", str(klimat), "--session", "Extra bilder")
    assert added.exit_code == 0, added.output
    film = tmp_path / "inspelning.mp4"
    shutil.copy(media_file("tiny.mp4"), film)
    (tmp_path / "inspelning.sv.vtt").write_text(webvtt([(0.2, 2.0, "Här börjar mötet.")]))
    added = run(home, "add", str(film), "--event", str(vatten), "--session", "Inspelning")
    assert added.exit_code == 0, added.output

    # A doubt settled: the speakers without organisation get theirs.
    review = json.loads(run(home, "review", "--json").stdout)
    doubt = next(d for e in review if e["id"] == vatten for d in e["doubts"]
                 if d["kind"] == "no-organisation")
    edited = run(home, "edit", "session", str(doubt["session"]),
                 "--speaker", "Eva Hägglund, SKR", "--speaker", "Andreas Hagnell, SKR")
    assert edited.exit_code == 0, edited.output
    assert "-> Eva Hägglund (SKR); Andreas Hagnell (SKR)" in edited.stdout, edited.stdout
    assert "[{" not in edited.stdout and "'name'" not in edited.stdout
    review = json.loads(run(home, "review", "--json").stdout)
    assert not [d for e in review if e["id"] == vatten for d in e["doubts"]
                if d["kind"] == "no-organisation"]

    # Two quiet nights: nothing failed, nothing printed.
    server.clear_log()
    _silent(run(home, "update", "-q", "--delay", "0"))
    _silent(run(home, "update", "-q", "--delay", "0"))
    for m in ("extra-bilder.pdf", "inspelning.mp4"):
        material = next(x for e in (klimat, vatten) for x in show(home, str(e))["sessions"]
                        for x in x["materials"] if x["url"].endswith(m))
        assert material["status"] == "ok" and not material.get("error"), material
    nightly = json.loads(run(home, "update", "--json", "--delay", "0").stdout)
    kinds = {s["kind"]: s for s in nightly["sources"]}
    assert kinds["saved page"]["did"] == "unchanged"
    assert kinds["hand-added"]["did"] == "unchanged" and nightly["exit_status"] == 0
    assert not any(r.path.startswith("/sparad") for r in server.requests)

    # A changed PDF on the server: one line, and a new version.
    server.replace_file("/files/klimat.pdf", make_pdf(None, ["Nya bilder om skyfall"]))
    changed = run(home, "update", "--delay", "0")
    assert changed.exit_code == 0, changed.output
    assert changed.stdout.splitlines() == [f"new version of PDF {server.url('/files/klimat.pdf')}"]
    pdf = next(m for s in show(home, str(klimat))["sessions"] for m in s["materials"]
               if m["url"].endswith("/files/klimat.pdf"))
    assert len(pdf["versions"]) == 2

    # A page gone: exit 3 and one line on stderr, once; the next night is quiet again.
    server.remove(AVFALL)
    gone = run(home, "update", "-q", "--delay", "0")
    assert gone.exit_code == 3 and gone.stdout == "", gone.output
    assert len(gone.stderr.splitlines()) == 1 and urls[AVFALL] in gone.stderr, gone.stderr
    assert "404" in gone.stderr
    _silent(run(home, "update", "-q", "--delay", "0"))

    # The saved page's file is gone: the event is kept, a note, not a failure.
    (saved / "index.html").unlink()
    _silent(run(home, "update", "-q", "--delay", "0"))
    noted = run(home, "update", "--delay", "0")
    assert noted.exit_code == 0 and "note: saved page" in noted.stdout, noted.output
    status = json.loads(run(home, "status", "--json").stdout)
    assert status["last_run"]["exit_status"] == 0 and status["last_run"]["index_errors"] == 0
    assert len(status["runs"]) >= 8
