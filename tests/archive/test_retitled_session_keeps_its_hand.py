"""A page that retitles a session keeps the session: its id (saved links) and the archivist's
corrections stay put (issue 21), with a doubt saying it was carried over; two different talks
are never merged."""

from __future__ import annotations

import json
from pathlib import Path

from support.cli import run, saved_example_archive, show

from konfarkiv.archive.catalog import Catalog
from konfarkiv.archive.model import Material, Session, Speaker


def _retitle(page: Path, old: str, new: str) -> None:
    html = page.read_text(encoding="utf-8")
    assert html.count(f">{old}<") == 1
    page.write_text(html.replace(f">{old}<", f">{new}<"), encoding="utf-8")


def _session(home: Path, title: str) -> dict:
    event = show(home, "1")
    found = [s for s in event["sessions"]
             if s["status"] == "ok" and s["fields"]["title"]["value"] == title]
    assert len(found) == 1, [s["fields"]["title"]["value"] for s in event["sessions"]]
    return found[0]


def _speakers(session: dict) -> list[str]:
    return [s["name"] for s in session["fields"]["speakers"]["value"]]


def test_retitled_session_keeps_id_and_hand_corrections(tmp_path: Path) -> None:
    page, home = saved_example_archive(tmp_path)
    group = _session(home, "Samtal i grupp")
    sid = group["id"]
    edited = run(home, "edit", "session", str(sid), "--speaker", "Anna Ek, Malmö stad")
    assert edited.exit_code == 0, edited.output

    _retitle(page, "Samtal i grupp", "Samtal i grupp om dagvattenfrågor")
    updated = run(home, "update")
    assert updated.exit_code == 0, updated.output
    now = _session(home, "Samtal i grupp om dagvattenfrågor")
    assert now["id"] == sid  # a saved link to session:N still opens it
    assert _speakers(now) == ["Anna Ek"]
    assert "carried over" in updated.output  # the run says so once

    _retitle(page, "Samtal i grupp om dagvattenfrågor",
             "Samtal i grupp om dagvatten")
    assert run(home, "update", "-q").exit_code == 0
    again = _session(home, "Samtal i grupp om dagvatten")
    assert again["id"] == sid
    assert _speakers(again) == ["Anna Ek"]

    doubts = json.loads(run(home, "review", "--json").stdout)
    reasons = [d["reason"] for e in doubts for d in e["doubts"] if d["session"] == sid]
    assert any("carried over" in r and "Samtal i grupp om dagvatten" in r for r in reasons), \
        reasons


def _sync(cat: Catalog, event: int, page: list[Session]) -> list[int]:
    with cat.transaction():
        return cat.sync_sessions(event, page)


def _event(cat: Catalog) -> int:
    with cat.transaction():
        return cat.upsert_event(page_key="1", url="http://x/1.html", title="Dag", date=None,
                                intro="", page_sha256=None)


def _status(cat: Catalog, sid: int) -> str:
    return str(cat.value("SELECT status FROM sessions WHERE id=?", (sid,)))


def test_a_different_talk_in_its_place_is_a_new_session(tmp_path: Path) -> None:
    cat = Catalog(tmp_path / "catalog.sqlite")
    event = _event(cat)
    first = _sync(cat, event, [
        Session("Inledning", speakers=(Speaker("Eva Hägglund", "SKL"),)),
        Session("Klimatanpassning i Malmö", speakers=(Speaker("Anna Ek", "Malmö stad"),)),
    ])
    # Same place, a similar title, but other speakers: another talk.
    second = _sync(cat, event, [
        Session("Inledning", speakers=(Speaker("Eva Hägglund", "SKL"),)),
        Session("Klimatanpassning i Malmö stad", speakers=(Speaker("Per Holm", "Lund"),)),
    ])
    assert second[0] == first[0] and second[1] != first[1]
    assert _status(cat, first[1]) == "withdrawn"
    # A talk with a wholly other title at the same place: a new session too.
    third = _sync(cat, event, [
        Session("Inledning", speakers=(Speaker("Eva Hägglund", "SKL"),)),
        Session("Avfallsplanen 2030"),
    ])
    assert third[1] not in first + second
    cat.close()


def test_retitles_are_matched_by_material_slot_or_one_similar_title(tmp_path: Path) -> None:
    cat = Catalog(tmp_path / "catalog.sqlite")
    event = _event(cat)
    film = Material("film", "Se film", "http://x/film/a.html")
    first = _sync(cat, event, [
        Session("Samtal i grupp", "Förmiddag"),
        Session("Inledning", materials=(film,)),
        Session("Samtal i grupp", "Eftermiddag"),
        Session("Fika", time="10.00–10.30"),
    ])
    with cat.transaction():  # what ingest stores beside the sessions
        cat.sync_materials(event, [(first[1], film)])
    second = _sync(cat, event, [
        Session("Ny punkt först"),
        Session("Samtal i grupp", "Förmiddag"),
        Session("Välkommen och inledning", materials=(film,)),  # same film: same talk
        Session("Samtal i grupp om avfall", "Eftermiddag"),  # its one similar title
        Session("Fika och mingel", time="10.00–10.30"),  # same time slot
    ])
    assert second[1:] == first
    assert second[0] not in first
    assert all(_status(cat, sid) == "ok" for sid in second)
    cat.close()


def test_a_corrected_session_gone_from_the_page_is_a_doubt(tmp_path: Path) -> None:
    page, home = saved_example_archive(tmp_path)
    sid = _session(home, "Samtal i grupp")["id"]
    assert run(home, "edit", "session", str(sid), "--speaker", "Anna Ek, Malmö stad").exit_code == 0
    html = page.read_text(encoding="utf-8")
    film = '<p class="normal"><a href="film/samtal-i-grupp.html"'
    assert html.count(film) == 1
    html = html.replace(">Samtal i grupp<", ">Avfallsplanen 2030<").replace(film, "<p>" + film)
    html = "\n".join(line for line in html.splitlines() if "samtal-i-grupp.html" not in line)
    page.write_text(html, encoding="utf-8")
    updated = run(home, "update")
    assert updated.exit_code == 0, updated.output
    assert _session(home, "Avfallsplanen 2030")["id"] != sid  # another talk: not merged
    doubts = json.loads(run(home, "review", "--json").stdout)
    reasons = [d["reason"] for e in doubts for d in e["doubts"] if d["session"] == sid]
    assert any("no longer on the page" in r and "speakers" in r for r in reasons), reasons
