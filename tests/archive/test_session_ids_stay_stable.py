"""Re-parsing a page keeps session ids stable, also when a title stands twice."""

from __future__ import annotations

from konfarkiv.archive.catalog import Catalog
from konfarkiv.archive.model import Session, Speaker


def sessions_of(cat: Catalog, event_id: int) -> list[tuple[int, str, str, list[str]]]:
    out = []
    for r in cat.all("SELECT * FROM sessions WHERE event_id=? AND status='ok' ORDER BY position",
                     (event_id,)):
        names = [s["name"] for s in cat.all(
            "SELECT name FROM speakers WHERE session_id=? ORDER BY position", (r["id"],))]
        out.append((r["id"], r["title"], r["description"], names))
    return out


def test_repeated_titles_stay_two_sessions_with_stable_ids(tmp_path):
    cat = Catalog(tmp_path / "catalog.sqlite")
    page = [
        Session("Samtal i grupp", "Förmiddagens fråga", (Speaker("Anna Ek"),)),
        Session("Hållbar stadsutveckling", "", (Speaker("Eva Hägglund", "SKL"),)),
        Session("Samtal i grupp", "Eftermiddagens fråga", (Speaker("Per Holm"),)),
    ]
    with cat.transaction():
        event = cat.upsert_event(page_key="1", url="http://x/1.html", title="Dag",
                                 date=None, intro="", page_sha256=None)
        first = cat.sync_sessions(event, page)
    assert len(set(first)) == 3
    stored = sessions_of(cat, event)
    assert [s[2] for s in stored] == ["Förmiddagens fråga", "", "Eftermiddagens fråga"]
    assert [s[3] for s in stored] == [["Anna Ek"], ["Eva Hägglund"], ["Per Holm"]]

    with cat.transaction():
        again = cat.sync_sessions(event, page)
    assert again == first
    assert sessions_of(cat, event) == stored

    with cat.transaction():  # the second group talk is gone from the page
        cat.sync_sessions(event, page[:2])
    withdrawn = cat.all("SELECT id FROM sessions WHERE status='withdrawn'")
    assert [r["id"] for r in withdrawn] == [first[2]]
    cat.close()


def test_an_unchanged_reparse_queues_no_reindex(tmp_path):
    cat = Catalog(tmp_path / "catalog.sqlite")
    page = [Session("Hållbar stadsutveckling", "Vad händer?",
                    (Speaker("Eva Hägglund", "SKL"), Speaker("Andreas Hagnell")))]
    with cat.transaction():
        event = cat.upsert_event(page_key="1", url="http://x/1.html", title="Dag",
                                 date=None, intro="", page_sha256=None)
        cat.sync_sessions(event, page)
    cat.index_done()
    with cat.transaction():
        cat.upsert_event(page_key="1", url="http://x/1.html", title="Dag", date=None,
                         intro="", page_sha256=None)
        cat.sync_sessions(event, page)
    assert cat.index_pending() == []
    with cat.transaction():  # a corrected organisation on the page is a change
        cat.sync_sessions(event, [Session("Hållbar stadsutveckling", "Vad händer?",
                                          (Speaker("Eva Hägglund", "SKR"),
                                           Speaker("Andreas Hagnell")))])
    assert cat.index_pending() == [event]
    cat.close()
