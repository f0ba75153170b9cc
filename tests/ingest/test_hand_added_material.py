"""Issue 6: material added by hand is searchable at once and outlives re-ingest of its page."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from support.cli import hits, run, show
from support.dagvatten import DAGVATTEN, ingested, reingest
from support.media import film_page, media_file, webvtt
from support.pdfs import make_pdf

CUES = [
    (1.0, 4.0, "Välkomna till eftermiddagens pass."),
    (65.0, 70.0, "Regnbäddar och gröna tak fördröjer dagvattnet."),
    (130.0, 134.0, "Tack för i dag."),
]
SRT = """1
00:00:02,000 --> 00:00:05,000
Vi börjar med skyfallskartorna.

2
00:00:42,500 --> 00:00:47,000
Översvämningsytor i parkerna.
"""


def test_local_video_with_swedish_vtt_is_found_at_the_right_second(server, tiny_video,
                                                                     tmp_path):
    url = ingested(server, tmp_path)
    films = tmp_path / "disk"
    films.mkdir()
    video = films / "Dagvatten eftermiddag.mp4"
    video.write_bytes(tiny_video)
    (films / "Dagvatten eftermiddag.sv.vtt").write_text(webvtt(CUES), "utf-8")

    result = run(tmp_path, "add", str(video), "--event", url, "--session", DAGVATTEN.upper(),
                 "--json")
    assert result.exit_code == 0, result.output
    added = json.loads(result.stdout)
    assert added["status"] == "added" and added["kind"] == "film"
    assert added["session_title"] == DAGVATTEN and not added["session_created"]
    assert added["detail"]["cues"] == 3 and added["detail"]["caption_lang"] == "sv"
    assert 2.5 < added["detail"]["duration"] < 3.5

    def moment() -> dict:
        (hit,) = [h for h in hits(tmp_path, "regnbäddar") if h["kind"] == "caption"]
        return hit

    hit = moment()
    assert hit["session"] == DAGVATTEN
    assert hit["start"] == 65.0
    assert hit["url"] == video.resolve().as_uri() + "#t=65"
    assert "Regnbäddar" in hit["snippet"]

    reingest(tmp_path, url)  # the page knows nothing of the film; it must stay
    assert moment()["url"].endswith("#t=65")
    record = show(tmp_path, f"material:{added['material_id']}")
    assert record["origin"] == "manual" and record["status"] == "ok"
    assert record["file"]["size"] == len(tiny_video) and record["file"]["present"]
    assert record["film"]["captions_file"]["content_type"] == "text/vtt"
    assert record["edits"][0]["action"] == "add"


def test_pdf_into_a_new_session_with_speakers_survives_reingest(server, tmp_path):
    url = ingested(server, tmp_path)
    pdf = tmp_path / "frågestund.pdf"
    make_pdf(pdf, ["Frågor från publiken", "Lokala åtgärdsprogram för vattenvård"])
    result = run(tmp_path, "add", str(pdf), "--event", "1", "--session", "Frågestund",
                 "--speaker", "Anna Ek, Malmö stad", "--speaker", "Per Holm",
                 "--title", "Frågestundens bilder", "--by", "Karin")
    assert result.exit_code == 0, result.output
    assert "added: material" in result.output and "pages 2" in result.output
    (hit,) = [h for h in hits(tmp_path, "åtgärdsprogram") if h["kind"] == "slide"]
    assert hit["session"] == "Frågestund" and hit["page"] == 2
    assert hit["url"] == pdf.resolve().as_uri() + "#page=2"
    assert hit["title"] == "Frågestundens bilder"

    reingest(tmp_path, url)
    sessions = show(tmp_path, url)["sessions"]
    mine = next(s for s in sessions if s["fields"]["title"]["value"] == "Frågestund")
    assert mine["status"] == "ok" and mine["origin"] == "manual"
    assert mine["fields"]["speakers"]["source"] == "added by hand"
    assert [(s["name"], s["organisation"]) for s in mine["fields"]["speakers"]["value"]] == [
        ("Anna Ek", "Malmö stad"), ("Per Holm", None)]
    assert [h["kind"] for h in hits(tmp_path, "åtgärdsprogram")] == ["slide"]

    again = run(tmp_path, "add", str(pdf), "--event", "1", "--session", "Frågestund",
                "--json")
    assert again.exit_code == 0 and json.loads(again.stdout)["status"] == "unchanged"
    versions = show(tmp_path, f"material:{json.loads(again.stdout)['material_id']}")["versions"]
    assert len(versions) == 1 and versions[0]["current"]


def test_video_title_chapters_and_explicit_srt(tmp_path):
    video = tmp_path / "inspelning.mp4"  # tests/media/chapters.mp4: a title and two chapters
    shutil.copyfile(media_file("chapters.mp4"), video)
    captions = tmp_path / "undertexter.srt"
    captions.write_text(SRT, "utf-8")

    result = run(tmp_path, "add", str(video), "--new-event", "Klimatdagen", "--date",
                 "2021-10-05", "--session", "Skyfall", "--captions", str(captions), "--json")
    assert result.exit_code == 0, result.output
    added = json.loads(result.stdout)
    assert added["event_created"] and added["session_created"]
    assert added["label"] == "Klimatanpassning i praktiken"  # the embedded title
    assert added["detail"]["chapters"] == 2 and added["detail"]["cues"] == 2

    record = show(tmp_path, f"session:{added['session_id']}")
    film = record["materials"][0]["film"]
    assert film["title"] == "Klimatanpassning i praktiken" and film["cues"] == 2
    event = show(tmp_path, str(added["event_id"]))
    assert event["fields"]["date"] == {"value": "2021-10-05", "source": "added by hand"}
    assert event["page_key"].startswith("manual:")

    (moment,) = [h for h in hits(tmp_path, "översvämningsytor") if h["kind"] == "caption"]
    assert moment["start"] == 42.5 and moment["url"].endswith("inspelning.mp4#t=42")
    assert any(h["kind"] == "film" for h in hits(tmp_path, "frågestund"))  # a chapter title


def test_film_url_is_read_by_the_film_extractor(server, tiny_video, tmp_path):
    server.add_file("/film/film.mp4", tiny_video, content_type="video/mp4")
    server.add_file("/film/ytor.vtt", webvtt(CUES), content_type="text/vtt")
    page = server.add_file("/film/ytor.html", film_page("Gröna ytor", "film.mp4", "ytor.vtt"))
    result = run(tmp_path, "add", page, "--new-event", "Filmarkivet", "--session", "Film",
                 "--json")
    assert result.exit_code == 0, result.output
    added = json.loads(result.stdout)
    assert added["kind"] == "film" and added["url"] == page and added["detail"]["cues"] == 3
    (hit,) = [h for h in hits(tmp_path, "regnbäddar") if h["kind"] == "caption"]
    assert hit["url"] == page + "#t=65"


def test_add_failures_and_exit_codes(server, tmp_path):
    ingested(server, tmp_path)
    text = tmp_path / "anteckningar.txt"
    text.write_text("Inte en film.", "utf-8")
    pdf = tmp_path / "bilder.pdf"
    make_pdf(pdf, ["Bild"])

    def fails(*args: str) -> str:
        result = run(tmp_path, "add", *args)
        assert result.exit_code == 1, (args, result.output)
        assert "hint:" in result.stderr or "Error" in result.stderr
        return result.stderr

    assert "not a PDF, video or audio file" in fails(str(text), "--event", "1")
    assert "no such file" in fails(str(tmp_path / "saknas.pdf"), "--event", "1")
    assert "--event" in fails(str(pdf))
    assert "--event" in fails(str(pdf), "--event", "1", "--new-event", "X")
    assert "no event" in fails(str(pdf), "--event", "https://example.org/okand.html")
    assert "not a date" in fails(str(pdf), "--new-event", "X", "--date", "igår")
    assert "--date" in fails(str(pdf), "--event", "1", "--date", "2020-01-01")
    assert "needs --session" in fails(str(pdf), "--event", "1", "--speaker", "A, B")
    assert "is for video" in fails(str(pdf), "--event", "1", "--captions", str(text))
    assert run(tmp_path, "add", str(pdf), "--event", "1", "--captions",
               str(tmp_path / "saknas.vtt")).exit_code == 2  # click checks the path
    assert run(tmp_path, "add").exit_code == 2
    assert "Example" in run(tmp_path, "add", "--help").output
    assert show(tmp_path, "1")["sessions"][0]["materials"][0]["origin"] == "page"
    assert len(show(tmp_path, "1")["sessions"]) == 2  # failures left nothing behind


def test_unreadable_sidecar_captions_add_the_film_and_exit_3(tiny_video, tmp_path):
    video = tmp_path / "film.mp4"
    video.write_bytes(tiny_video)
    (tmp_path / "film.vtt").write_text("detta är inga undertexter", "utf-8")
    result = run(tmp_path, "add", str(video), "--new-event", "Mötet")
    assert result.exit_code == 3, result.output
    assert "added: material" in result.stdout and "captions skipped" in result.stderr
    assert show(tmp_path, "material:1")["film"]["cues"] == 0


def test_added_pdf_without_session_is_event_material(tmp_path):
    pdf = Path(tmp_path / "program.pdf")
    make_pdf(pdf, ["Program för dagen: vattenråd"])
    result = run(tmp_path, "add", str(pdf), "--new-event", "Vattenrådet")
    assert result.exit_code == 0, result.output
    assert [m["label"] for m in show(tmp_path, "1")["materials"]] == ["program"]
    # the event "Vattenrådet" itself is a hit too (issue 11), beside its program
    assert [h["kind"] for h in hits(tmp_path, "vattenråd")] == ["event", "slide"]
