"""The SQLite catalog: events, sessions, speakers, materials, texts, films, cues.

It is the one source of truth; the search index is rebuilt from it. Writes
happen in short explicit transactions (BEGIN IMMEDIATE) so that a killed
process leaves the catalog at the last committed state, and WAL mode lets
`search` read while an ingest writes.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from konfarkiv.archive import records as rec
from konfarkiv.archive.cues import CaptionCue, StoredCaptions, as_cue, encode_word_starts
from konfarkiv.archive.health import CatalogDamaged
from konfarkiv.archive.keys import legacy_page_key, page_key
from konfarkiv.archive.model import Material, Playable, PlayerFilm, Session, TimedCue
from konfarkiv.archive.runs import FIGURES, RunRecord
from konfarkiv.archive.sessionmatch import Side, carry_over, speaker_key

SCHEMA_VERSION = "1"
#: The doubt a session retitled on its page gets when it keeps its id (sync_sessions); the
#: parser's doubts are replaced on each parse, this one stays until an edit settles it.
CARRIED_OVER = "carried-over"
#: The doubt a session with hand corrections gets when it leaves its page (withdrawn).
CORRECTED_GONE = "corrected-gone"
#: Doubts the catalog notes itself (not the parser's; set_doubts leaves them alone).
_CATALOG_DOUBTS = (CARRIED_OVER, CORRECTED_GONE)
#: Ids per query when reading many rows at once (well under SQLite's variable limit).
BATCH = 500
R = TypeVar("R")


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


RETRY_FIRST = timedelta(hours=1)  # then doubled per attempt
RETRY_LONGEST = timedelta(days=7)
RETRY_MAX_ATTEMPTS = 8  # transient failures in a row before we give up


def retry_plan(attempts: int, permanent: bool,
               reason: str | None) -> tuple[bool, str | None, str | None]:
    """(permanent, next try, reason) after the attempts-th failure in a row.

    Transient failures are retried with doubling waits; after RETRY_MAX_ATTEMPTS
    they count as permanent, so nothing is retried forever."""
    if permanent:
        return True, None, reason
    if attempts >= RETRY_MAX_ATTEMPTS:
        return True, None, f"{reason} (gave up after {attempts} attempts)"
    wait = min(RETRY_FIRST * (2 ** max(0, attempts - 1)), RETRY_LONGEST)
    when = (datetime.now(UTC) + wait).replace(microsecond=0).isoformat()
    return False, when, reason


# A doubt (alias d) is settled by an edit of its event or session made since it was noted.
# A doubt is settled by an edit of its event or session made after it was noted. "After" is
# by the edits' own order (doubts.after_edit, the last edit's id when the doubt was noted):
# timestamps have whole seconds, so an edit and a re-ingest in one second were ambiguous.
# Doubts from catalogs made before that column compare times, as they did.
_SETTLED = ("EXISTS (SELECT 1 FROM edits x WHERE (CASE WHEN d.after_edit IS NULL THEN "
            "x.at >= d.noted_at ELSE x.id > d.after_edit END) AND ((x.kind='event' AND "
            "x.ref=d.event_id) OR (x.kind='session' AND x.ref=d.session_id)))")
_LAST_EDIT = "(SELECT COALESCE(MAX(id), 0) FROM edits)"


class CatalogError(Exception):
    """The catalog cannot be opened or is not a konfarkiv catalog."""


def new_id(cur: sqlite3.Cursor) -> int:
    """The id of the row an INSERT just made."""
    if cur.lastrowid is None:
        raise CatalogError("an insert made no row")
    return cur.lastrowid


class Catalog:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.db = sqlite3.connect(path, isolation_level=None, timeout=30)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self._init_schema()
        except sqlite3.OperationalError:
            raise  # read-only, locked, unreadable: the command line words these
        except sqlite3.DatabaseError as exc:
            raise CatalogDamaged(f"the catalog {path} is damaged ({exc})") from exc

    @classmethod
    def read_only(cls, path: Path) -> Catalog:
        """A connection that cannot write (for `serve`): no schema set-up, no lock taken.

        WAL lets it read the last committed state while a writer works."""
        if not path.is_file():
            raise CatalogError(f"{path}: no catalog here")
        catalog = cls.__new__(cls)
        catalog.path = path
        try:
            catalog.db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                                         isolation_level=None, timeout=30,
                                         check_same_thread=False)
            catalog.db.row_factory = sqlite3.Row
            catalog.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        except sqlite3.DatabaseError as exc:
            raise CatalogError(f"{path}: cannot open the catalog: {exc}") from exc
        return catalog

    def _init_schema(self) -> None:
        sql = (Path(__file__).parent / "schema.sql").read_text("utf-8")  # package data
        self._drop_old_queue_triggers()
        had_links = self.db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND "
                                    "name='material_sessions'").fetchone() is not None
        self.db.executescript(sql)
        if not had_links:  # a catalog made before material_sessions: each first link
            self.db.execute("INSERT OR IGNORE INTO material_sessions(material_id, session_id) "
                            "SELECT id, session_id FROM materials WHERE session_id IS NOT NULL")
        row = self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        if row is None:
            self.db.execute(
                "INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?)",
                (SCHEMA_VERSION,),
            )
        elif row[0] != SCHEMA_VERSION:
            raise CatalogError(f"{self.path}: catalog schema {row[0]}, expected {SCHEMA_VERSION}")
        self._add_missing_columns()

    def _drop_old_queue_triggers(self) -> None:
        """Catalogs made before the fix hold queue triggers with INSERT OR IGNORE, which an
        upsert's conflict policy overrides (a page linking one file twice failed to store);
        drop them so schema.sql creates the current ones."""
        old = [r[0] for r in self.db.execute(
            "SELECT name FROM sqlite_master WHERE type='trigger' AND name LIKE 'q\\_%' "
            "ESCAPE '\\' AND sql LIKE '%OR IGNORE INTO index_queue%'")]
        for name in old:
            self.db.execute(f'DROP TRIGGER IF EXISTS "{name}"')

    def _add_missing_columns(self) -> None:
        """Columns added since a catalog was made (schema.sql only adds, never changes)."""
        added = {("sources", "via"): "INTEGER REFERENCES sources(id) ON DELETE CASCADE",
                 ("runs", "duration"): "REAL", ("runs", "exit_status"): "INTEGER",
                 **{("runs", name): "INTEGER" for name in FIGURES},
                 ("doubts", "reported_at"): "TEXT",
                 ("doubts", "after_edit"): "INTEGER",
                 # a page's text source and OCR (archive/pagetext.py)
                 ("page_texts", "source"): "TEXT NOT NULL DEFAULT 'pdf'",
                 ("page_texts", "ocr"): "TEXT",
                 ("page_texts", "ocr_engine"): "TEXT",
                 ("page_texts", "ocr_languages"): "TEXT",
                 ("page_texts", "ocr_confidence"): "REAL",
                 ("page_texts", "ocr_error"): "TEXT",
                 ("page_texts", "ocr_at"): "TEXT",
                 ("cues", "speaker"): "TEXT",  # the WebVTT voice, where named
                 ("cues", "word_starts"): "TEXT",  # JSON seconds, one per word of text
                 ("films", "caption_reader"): "INTEGER",  # see ingest/captions.py
                 # the publishing body (og:site_name, publisher, title suffix or host)
                 ("events", "organiser"): "TEXT",
                 # what a browser plays when the archive holds no copy (issue 19)
                 ("films", "media_url"): "TEXT", ("films", "media_type"): "TEXT",
                 ("films", "embed_url"): "TEXT",
                 ("films", "media_sha256"): "TEXT REFERENCES blobs(sha256)"}
        for (table, column), decl in added.items():
            have = {r[1] for r in self.db.execute(f"PRAGMA table_info({table})")}
            if column not in have:
                self.db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {decl}")
                if (table, column) == ("events", "organiser"):
                    self._derive_organisers()
        self.db.execute("CREATE INDEX IF NOT EXISTS page_texts_ocr ON page_texts(ocr) "
                        "WHERE ocr IS NOT NULL")

    def _derive_organisers(self) -> None:
        """Events archived before the organiser column: the host their page came from
        (the next ingest of the page reads the publishing body from the page)."""
        from konfarkiv.archive.organiser import host_organiser

        rows = self.db.execute("SELECT id, url FROM events WHERE organiser IS NULL").fetchall()
        self.db.executemany("UPDATE events SET organiser=? WHERE id=?",
                            [(host_organiser(r[1]), r[0]) for r in rows])

    def set_organiser(self, event_id: int, organiser: str | None) -> None:
        """The publishing body the page names (a hand correction in manual wins); a
        change queues the event for the index, where the organiser is a facet."""
        cur = self.db.execute(
            "UPDATE events SET organiser=? WHERE id=? AND organiser IS NOT ? AND "
            "coalesce(json_extract(manual, '$.organiser'), '') = ''",
            (organiser, event_id, organiser))
        if cur.rowcount:
            self.db.execute("INSERT INTO index_queue SELECT ?, datetime('now') WHERE NOT EXISTS "
                            "(SELECT 1 FROM index_queue WHERE event_id = ?)",
                            (event_id, event_id))

    def close(self) -> None:
        self.db.close()

    def index_pending(self) -> list[int]:
        """Events changed since the index last took them in (see index_queue in schema.sql)."""
        return [r[0] for r in self.db.execute("SELECT event_id FROM index_queue ORDER BY 1")]

    def index_done(self, event_ids: Sequence[int] | None = None) -> None:
        """After an index commit: these events (or all, with None) are in the index."""
        with self.transaction():
            if event_ids is None:
                self.db.execute("DELETE FROM index_queue")
            else:
                self.db.executemany("DELETE FROM index_queue WHERE event_id=?",
                                    [(i,) for i in event_ids])

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write: committed on success, rolled back on any error."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    def one(self, sql: str, args: Sequence[Any] = ()) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self.db.execute(sql, args).fetchone()
        return row

    def all(self, sql: str, args: Sequence[Any] = ()) -> list[sqlite3.Row]:
        return self.db.execute(sql, args).fetchall()

    def value(self, sql: str, args: Sequence[Any] = ()) -> Any:
        """The first column of the first row of a query that always has one."""
        row = self.db.execute(sql, args).fetchone()
        if row is None:
            raise CatalogError(f"the catalog holds no row for: {sql}")
        return row[0]

    def _record(self, cls: type[R], sql: str, args: Sequence[Any] = ()) -> R | None:
        """The first row of a query as a record, or None."""
        return next(iter(rec.records_of(cls, self.db.execute(sql, args))), None)

    def _records(self, cls: type[R], sql: str, args: Sequence[Any] = ()) -> list[R]:
        return list(rec.records_of(cls, self.db.execute(sql, args)))

    # ---- files -------------------------------------------------------------

    def record_blob(self, sha256: str, size: int, content_type: str | None) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO blobs(sha256, size, content_type, stored_at) VALUES (?,?,?,?)",
            (sha256, size, content_type, now_iso()),
        )

    # ---- sources -----------------------------------------------------------

    def add_source(self, url: str, follow: bool = False, via: int | None = None) -> int:
        """A source to follow; `via` is the listing source a page was found on.

        Naming a found page yourself makes it your own source (via cleared)."""
        self.db.execute(
            "INSERT INTO sources(url, follow, added_at, via) VALUES (?,?,?,?) "
            "ON CONFLICT(url) DO UPDATE SET follow = max(follow, excluded.follow), "
            "via = CASE WHEN excluded.via IS NULL THEN NULL ELSE via END",
            (url, int(follow), now_iso(), via),
        )
        return int(self.value("SELECT id FROM sources WHERE url=?", (url,)))

    def sources(self) -> list[sqlite3.Row]:
        """Every source, listings first, each followed by the pages found on it."""
        return self.all(
            "SELECT s.*, (SELECT count(*) FROM sources c WHERE c.via=s.id) AS found "
            "FROM sources s ORDER BY coalesce(s.via, s.id), s.via IS NOT NULL, s.id")

    def remove_source(self, url: str) -> int:
        """Stop following url (and the pages found only through it); nothing archived goes.

        Returns how many sources were removed."""
        row = self.one("SELECT id FROM sources WHERE url=?", (url,))
        if row is None:
            return 0
        n = int(self.value("SELECT count(*) FROM sources WHERE via=?", (row["id"],)))
        self.db.execute("DELETE FROM sources WHERE via=?", (row["id"],))
        self.db.execute("DELETE FROM sources WHERE id=?", (row["id"],))
        return n + 1

    def source_result(self, url: str, status: str, error: str | None = None,
                      permanent: bool = False) -> None:
        """Record a source's outcome; a failure also gets its next try (backoff)."""
        row = self.one("SELECT attempts FROM sources WHERE url=?", (url,))
        attempts = (int(row["attempts"]) + 1 if row else 1) if status == "failed" else 0
        permanent, next_try, error = retry_plan(attempts, permanent, error) if (
            status == "failed") else (permanent, None, error)
        self.db.execute(
            "UPDATE sources SET status=?, error=?, permanent=?, last_checked=?, attempts=?, "
            "next_try=? WHERE url=?",
            (status, error, int(permanent), now_iso(), attempts, next_try, url),
        )

    # ---- events, sessions, speakers, materials ------------------------------

    def upsert_event(self, *, page_key: str, url: str, title: str, date: str | None,
                     intro: str, page_sha256: str | None, etag: str | None = None,
                     last_modified: str | None = None) -> int:
        """Insert or refresh an event; hand-made corrections (manual) are kept."""
        now = now_iso()
        row = self.event_by_key(page_key)
        if row is None:
            cur = self.db.execute(
                "INSERT INTO events(page_key, url, title, date, intro, page_sha256, etag, "
                "last_modified, fetched_at, first_seen, last_seen) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (page_key, url, title, date, intro, page_sha256, etag, last_modified,
                 now, now, now),
            )
            event_id = new_id(cur)
        else:
            event_id = int(row.id)
            manual = json.loads(row.manual or "{}")
            self.db.execute(
                "UPDATE events SET page_key=?, url=?, title=?, date=?, intro=?, page_sha256=?, "
                "etag=?, last_modified=?, fetched_at=?, last_seen=?, error=NULL, "
                "status=CASE WHEN status='removed' THEN status ELSE 'ok' END WHERE id=?",
                (page_key, url, manual.get("title", title), manual.get("date", date),
                 manual.get("intro", intro),
                 page_sha256, etag, last_modified, now, now, event_id),
            )
            if manual:  # what the page says now, beside the hand-made values (for `show`)
                manual["parsed"] = {"title": title, "date": date, "intro": intro}
                self.db.execute("UPDATE events SET manual=? WHERE id=?",
                                (json.dumps(manual, ensure_ascii=False), event_id))
        if page_sha256 and (row is None or row.page_sha256 != page_sha256):
            self.db.execute(
                "INSERT INTO event_versions(event_id, page_sha256, fetched_at) VALUES (?,?,?)",
                (event_id, page_sha256, now),
            )
        return event_id

    def sync_sessions(self, event_id: int, sessions: Sequence[Session]) -> list[int]:
        """Match parsed sessions to stored ones by title; keep ids stable.

        A session the title match leaves over keeps its id and hand-made values when a
        stored one corresponds to it (sessionmatch: the same material, or one similar
        title); a doubt says it was carried over. Sessions no longer on the page are
        marked withdrawn, never deleted.
        """
        now = now_iso()
        existing = self.all(
            "SELECT id, title, time, date, status, manual FROM sessions WHERE event_id=? "
            "ORDER BY position", (event_id,))
        # A title can stand twice on one page ("Samtal i grupp"): each stored session
        # is matched at most once, in page order.
        by_parsed_title: dict[str, list[sqlite3.Row]] = {}
        for r in existing:
            manual = json.loads(r["manual"] or "{}")
            by_parsed_title.setdefault(manual.get("parsed_title", r["title"]), []).append(r)
        matched: list[sqlite3.Row | None] = []
        for s in sessions:
            candidates = by_parsed_title.get(s.title)
            matched.append(candidates.pop(0) if candidates else None)
        carried = self._carry_over(existing, sessions, matched)
        ids: list[int] = []
        for pos, s in enumerate(sessions):
            row = matched[pos]
            if row is None:
                cur = self.db.execute(
                    "INSERT INTO sessions(event_id, position, title, description, time, grp, "
                    "code, date, last_seen) VALUES (?,?,?,?,?,?,?,?,?)",
                    (event_id, pos, s.title, s.description, s.time, s.group, s.code, s.date,
                     now),
                )
                sid = new_id(cur)
            else:
                sid = int(row["id"])
                manual = json.loads(row["manual"] or "{}")
                self.db.execute(
                    "UPDATE sessions SET position=?, title=?, description=?, time=?, grp=?, "
                    "code=?, date=?, "
                    "status=CASE WHEN status='removed' THEN status ELSE 'ok' END, last_seen=? "
                    "WHERE id=?",
                    (pos, manual.get("title", s.title), manual.get("description", s.description),
                     manual.get("time", s.time), s.group, s.code, manual.get("date", s.date),
                     now, sid),
                )
                if "parsed_title" in manual:  # the key the next re-ingest matches by
                    manual["parsed_title"] = s.title
                if manual:  # what the page says now, beside the hand-made values (for `show`)
                    manual["parsed"] = {
                        "title": s.title, "description": s.description, "time": s.time,
                        "speakers": [{"name": sp.name, "organisation": sp.organisation,
                                      "role": sp.role} for sp in s.speakers]}
                    self.db.execute("UPDATE sessions SET manual=? WHERE id=?",
                                    (json.dumps(manual, ensure_ascii=False), sid))
                if pos in carried:
                    self._note_carried(event_id, sid, row, s.title, carried[pos], manual, now)
                if "speakers" in manual:
                    ids.append(sid)
                    continue
            parsed = [(sp.name, sp.organisation, sp.role, sp.party) for sp in s.speakers]
            stored = [tuple(r) for r in self.db.execute(
                "SELECT name, organisation, role, party FROM speakers WHERE session_id=? "
                "ORDER BY position", (sid,))]
            if parsed != stored:  # rewritten only when changed: a rewrite queues a re-index
                self.db.execute("DELETE FROM speakers WHERE session_id=?", (sid,))
                self.db.executemany(
                    "INSERT INTO speakers(session_id, position, name, organisation, role, "
                    "party) VALUES (?,?,?,?,?,?)",
                    [(sid, i, *sp) for i, sp in enumerate(parsed)],
                )
            ids.append(sid)
        keep = set(ids)
        for r in existing:
            # Sessions added by hand (konfarkiv add) are on no page: never withdrawn.
            manual = json.loads(r["manual"] or "{}")
            if r["id"] not in keep and manual.get("origin") != "manual":
                cur = self.db.execute(
                    "UPDATE sessions SET status='withdrawn' WHERE id=? AND status='ok'", (r["id"],)
                )
                hand = [f for f in ("title", "description", "time", "speakers") if f in manual]
                if cur.rowcount and hand:  # the archivist's work is never dropped unsaid
                    self.db.execute(
                        "INSERT INTO doubts(event_id, session_id, kind, reason, noted_at, "
                        f"after_edit) VALUES (?,?,?,?,?,{_LAST_EDIT})",
                        (event_id, r["id"], CORRECTED_GONE,
                         f"session:{r['id']} '{r['title']}', with hand corrections "
                         f"({', '.join(hand)}), is no longer on the page: withdrawn; if a "
                         f"new session is the same talk, correct it with `konfarkiv edit`",
                         now))
        return ids

    def _carry_over(self, existing: Sequence[sqlite3.Row], sessions: Sequence[Session],
                    matched: list[sqlite3.Row | None]) -> dict[int, str]:
        """Pair the sessions the title match left over (sessionmatch); fills `matched`,
        returns page index -> why. Withdrawn and hand-added sessions are not candidates."""
        taken = {int(r["id"]) for r in matched if r is not None}
        rows = {int(r["id"]): r for r in existing if int(r["id"]) not in taken
                and r["status"] in ("ok", "removed")
                and json.loads(r["manual"] or "{}").get("origin") != "manual"}
        left = [i for i, r in enumerate(matched) if r is None]
        if not rows or not left:
            return {}
        stored = [self._as_side(r) for r in rows.values()]
        parsed = [Side(i, s.title, s.time, s.date, frozenset(m.url for m in s.materials),
                       frozenset(speaker_key(sp.name) for sp in s.speakers))
                  for i in left for s in (sessions[i],)]
        out: dict[int, str] = {}
        for pair in carry_over(stored, parsed):
            matched[pair.parsed] = rows[pair.stored]
            out[pair.parsed] = pair.why
        return out

    def _as_side(self, row: sqlite3.Row) -> Side:
        """A stored session as the page gave it last (not as corrected by hand)."""
        manual = json.loads(row["manual"] or "{}")
        parsed = manual.get("parsed", {})
        sid = int(row["id"])
        if "speakers" in manual:
            names = [sp["name"] for sp in parsed.get("speakers", [])]
        else:
            names = [r["name"] for r in self.all(
                "SELECT name FROM speakers WHERE session_id=?", (sid,))]
        urls = {r["url"] for r in self.all(
            "SELECT url FROM materials WHERE session_id=? AND origin='page' UNION "
            "SELECT m.url FROM material_sessions ms JOIN materials m ON m.id=ms.material_id "
            "WHERE ms.session_id=? AND m.origin='page'", (sid, sid))}
        return Side(sid, manual.get("parsed_title", row["title"]),
                    parsed.get("time", row["time"]) if "time" in manual else row["time"],
                    row["date"] if "date" not in manual else None,
                    frozenset(urls), frozenset(speaker_key(n) for n in names))

    def _note_carried(self, event_id: int, sid: int, row: sqlite3.Row, title: str, why: str,
                      manual: dict[str, Any], now: str) -> None:
        """A doubt for `review` (and printed once by the run): the archivist checks that
        the retitled session is the same talk. set_doubts leaves these alone."""
        was = json.loads(row["manual"] or "{}").get("parsed_title", row["title"])
        hand = [f for f in ("title", "description", "time", "speakers") if f in manual]
        kept = f", with its hand corrections ({', '.join(hand)})" if hand else ""
        reason = (f"session:{sid} '{was}' is now titled '{title}' on the page: carried over "
                  f"as the same session ({why}){kept}")
        self.db.execute("INSERT INTO doubts(event_id, session_id, kind, reason, noted_at, "
                        f"after_edit) VALUES (?,?,?,?,?,{_LAST_EDIT})",
                        (event_id, sid, CARRIED_OVER, reason, now))

    def sync_materials(self, event_id: int,
                       items: Sequence[tuple[int | None, Material]]) -> list[rec.Material]:
        """Upsert the page's links; links gone from the page become withdrawn.

        A file linked twice on a page is one material: the first link decides its session
        (materials.session_id); every session that links it is in material_sessions."""
        now = now_iso()
        seen: list[int] = []
        first: dict[str, tuple[int | None, Material]] = {}
        linked: dict[str, list[int]] = {}
        for session_id, m in items:
            first.setdefault(m.url, (session_id, m))
            if session_id is not None and session_id not in linked.setdefault(m.url, []):
                linked[m.url].append(session_id)
        for pos, (session_id, m) in enumerate(first.values()):
            self.db.execute(
                "INSERT INTO materials(event_id, session_id, position, kind, label, url, "
                "last_seen) "
                "VALUES (?,?,?,?,?,?,?) ON CONFLICT(event_id, url) DO UPDATE SET "
                "session_id=excluded.session_id, position=excluded.position, "
                "label=excluded.label, last_seen=excluded.last_seen, "
                # 'link' is the parser not knowing; what the target turned out to be stays.
                "kind=CASE WHEN excluded.kind='link' THEN materials.kind ELSE excluded.kind END, "
                "status=CASE WHEN materials.status='withdrawn' THEN 'pending' "
                "ELSE materials.status END",
                (event_id, session_id, pos, m.kind, m.label, m.url, now),
            )
            seen.append(int(self.value("SELECT id FROM materials WHERE event_id=? AND url=?",
                                        (event_id, m.url))))
            self._link_sessions(seen[-1], linked.get(m.url, []))
        marks = ",".join("?" * len(seen)) or "NULL"
        self.db.execute(
            f"UPDATE materials SET status='withdrawn' WHERE event_id=? AND origin='page' "
            f"AND status NOT IN ('withdrawn','removed') AND id NOT IN ({marks})",
            (event_id, *seen),
        )
        return [row for i in seen if (row := self.material(i)) is not None]

    def _link_sessions(self, material_id: int, session_ids: Sequence[int]) -> None:
        """The material's session links are exactly session_ids, in this order."""
        marks = ",".join("?" * len(session_ids)) or "NULL"
        self.db.execute(f"DELETE FROM material_sessions WHERE material_id=? "
                        f"AND session_id NOT IN ({marks})", (material_id, *session_ids))
        for pos, session_id in enumerate(session_ids):
            self.db.execute(
                "INSERT INTO material_sessions(material_id, session_id, position) VALUES (?,?,?) "
                "ON CONFLICT(material_id, session_id) DO UPDATE SET position=excluded.position "
                "WHERE position IS NOT excluded.position", (material_id, session_id, pos))

    def material_sessions(self, material_id: int) -> list[int]:
        """Every session the material is linked from, in page order; the first is its
        session_id (an event-level first link leaves session_id empty)."""
        return [r[0] for r in self.db.execute(
            "SELECT session_id FROM material_sessions WHERE material_id=? "
            "ORDER BY position, session_id", (material_id,))]

    def sessions_by_material(self, event_id: int) -> dict[int, list[int]]:
        """material id -> its sessions in page order, for every material of the event."""
        out: dict[int, list[int]] = {}
        for r in self.db.execute(
                "SELECT l.material_id, l.session_id FROM material_sessions l "
                "JOIN materials m ON m.id = l.material_id WHERE m.event_id=? "
                "ORDER BY l.material_id, l.position, l.session_id", (event_id,)):
            out.setdefault(r[0], []).append(r[1])
        return out

    def material_failed(self, material_id: int, reason: str, *, permanent: bool,
                        next_try: str | None = None) -> None:
        """Record a failure and when to try again (backoff).

        A material with a good earlier version keeps its status, so that version stays
        searchable; the failure shows in error and attempts."""
        row = self.one("SELECT attempts FROM materials WHERE id=?", (material_id,))
        attempts = int(row["attempts"]) + 1 if row else 1
        permanent, planned, why = retry_plan(attempts, permanent, reason)
        self.db.execute(
            "UPDATE materials SET error=?, permanent=?, attempts=?, next_try=?, fetched_at=?, "
            "status=CASE WHEN sha256 IS NOT NULL AND status IN ('ok','no_text') THEN status "
            "ELSE 'failed' END WHERE id=?",
            (why, int(permanent), attempts, next_try or planned, now_iso(), material_id),
        )

    def material_checked(self, material_id: int) -> None:
        """A re-check found the stored version still current: clear any failure."""
        self.db.execute(
            "UPDATE materials SET error=NULL, permanent=0, attempts=0, next_try=NULL, "
            "status=CASE WHEN status IN ('ok','no_text') THEN status "
            "WHEN EXISTS (SELECT 1 FROM documents d WHERE d.material_id=materials.id "
            "AND d.current=1 AND d.outcome='no_text') THEN 'no_text' ELSE 'ok' END "
            "WHERE id=? AND sha256 IS NOT NULL",
            (material_id,),
        )

    def material_fetched(self, material_id: int, *, sha256: str | None, size: int | None,
                         content_type: str | None, etag: str | None,
                         last_modified: str | None, status: str, kind: str | None = None) -> None:
        self.db.execute(
            "UPDATE materials SET status=?, error=NULL, permanent=0, attempts=0, next_try=NULL, "
            "fetched_at=?, sha256=?, size=?, content_type=?, etag=?, last_modified=?, "
            "kind=coalesce(?, kind) WHERE id=?",
            (status, now_iso(), sha256, size, content_type, etag, last_modified, kind, material_id),
        )

    def add_document(self, material_id: int, *, sha256: str, outcome: str,
                     pages: Sequence[str], tool: str, seconds: float, warnings: int,
                     error: str | None) -> int:
        """A new current version of a PDF and its page texts; older versions stay."""
        self.db.execute("UPDATE documents SET current=0 WHERE material_id=?", (material_id,))
        cur = self.db.execute(
            "INSERT INTO documents(material_id, sha256, fetched_at, current, outcome, pages, "
            "chars, "
            "tool, seconds, warnings, error) VALUES (?,?,?,1,?,?,?,?,?,?,?)",
            (material_id, sha256, now_iso(), outcome, len(pages), sum(map(len, pages)), tool,
             seconds, warnings, error),
        )
        doc_id = new_id(cur)
        self.db.executemany(
            "INSERT INTO page_texts(document_id, page, text) VALUES (?,?,?)",
            [(doc_id, i + 1, t) for i, t in enumerate(pages)],
        )
        return doc_id

    def save_film(self, material_id: int, *, title: str | None, description: str | None,
                  duration: float | None, webpage_url: str | None, extractor: str | None,
                  tool: str, info_sha256: str | None, captions_sha256: str | None,
                  caption_lang: str | None,
                  cues: Sequence[CaptionCue | tuple[float, float, str]],
                  caption_reader: int | None = None,
                  playable: Playable | None = None) -> int:
        now = now_iso()
        play = playable or Playable()
        self.db.execute(
            "INSERT INTO films(material_id, title, description, duration, webpage_url, extractor, "
            "tool, info_sha256, captions_sha256, caption_lang, fetched_at, media_url, media_type, "
            "embed_url, media_sha256) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(material_id) DO UPDATE SET "
            "title=excluded.title, description=excluded.description, duration=excluded.duration, "
            "webpage_url=excluded.webpage_url, extractor=excluded.extractor, tool=excluded.tool, "
            "info_sha256=excluded.info_sha256, captions_sha256=excluded.captions_sha256, "
            "caption_lang=excluded.caption_lang, fetched_at=excluded.fetched_at, "
            "media_url=excluded.media_url, media_type=excluded.media_type, "
            "embed_url=excluded.embed_url, media_sha256=excluded.media_sha256",
            (material_id, title, description, duration, webpage_url, extractor, tool,
             info_sha256, captions_sha256, caption_lang, now, play.media_url, play.media_type,
             play.embed_url, play.media_sha256),
        )
        film_id = int(self.value("SELECT id FROM films WHERE material_id=?", (material_id,)))
        self.replace_cues(film_id, cues, caption_reader)
        return film_id

    def replace_cues(self, film_id: int, cues: Sequence[CaptionCue | tuple[float, float, str]],
                     caption_reader: int | None) -> None:
        """A film's cues, all at once, and which caption reader made them."""
        self.db.execute("UPDATE films SET caption_reader=? WHERE id=?", (caption_reader, film_id))
        self.db.execute("DELETE FROM cues WHERE film_id=?", (film_id,))
        self.db.executemany(
            "INSERT INTO cues(film_id, position, start, end, text, speaker, word_starts) "
            "VALUES (?,?,?,?,?,?,?)",
            [(film_id, i, c.start, c.end, c.text, c.speaker, encode_word_starts(c.word_starts))
             for i, c in enumerate(map(as_cue, cues))],
        )

    def films_read_before(self, caption_reader: int) -> list[StoredCaptions]:
        """Films whose archived caption file an older caption reader made the cues of."""
        return [StoredCaptions(r["id"], r["captions_sha256"], r["url"]) for r in self.all(
            "SELECT f.id, f.captions_sha256, m.url FROM films f JOIN materials m "
            "ON m.id=f.material_id WHERE f.captions_sha256 IS NOT NULL "
            "AND (f.caption_reader IS NULL OR f.caption_reader<?) ORDER BY f.id",
            (caption_reader,))]

    def material_note_error(self, material_id: int, error: str | None) -> None:
        """A partial success (some pages, captions that failed): kept, with the reason."""
        self.db.execute("UPDATE materials SET error=? WHERE id=?", (error, material_id))

    def film_checked(self, material_id: int) -> None:
        """A film re-read as stored: only the time it was read changes."""
        self.db.execute("UPDATE films SET fetched_at=? WHERE material_id=?",
                        (now_iso(), material_id))

    # ---- reading rows ---------------------------------------------------------

    def event(self, event_id: int) -> rec.Event | None:
        return self._record(rec.Event, "SELECT * FROM events WHERE id=?", (event_id,))

    def event_titles(self, event_ids: Sequence[int]) -> dict[int, str]:
        """Event id -> title, for the given ids (one query)."""
        ids = list(dict.fromkeys(event_ids))[:1000]
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        return {r[0]: r[1] for r in self.db.execute(
            f"SELECT id, title FROM events WHERE id IN ({marks})", ids)}

    def event_by_key(self, key: str) -> rec.Event | None:
        """The event of a page, by its page key (archive.keys.page_key); in a catalog from
        before keys named the site, the row keyed on the id alone whose URL is this page's
        (upsert_event then re-keys it)."""
        row = self._record(rec.Event, "SELECT * FROM events WHERE page_key=?", (key,))
        legacy = legacy_page_key(key) if row is None else None
        if legacy is not None:
            old = self._record(rec.Event, "SELECT * FROM events WHERE page_key=?", (legacy,))
            if old is not None and page_key(old.url) == key:
                return old
        return row

    def event_by_address(self, key: str) -> rec.Event | None:
        """The event whose page is at this address, or has this page key."""
        return self._record(rec.Event, "SELECT * FROM events WHERE url=? OR page_key=?",
                            (key, key))

    def event_ids(self) -> list[int]:
        return [r["id"] for r in self.all("SELECT id FROM events ORDER BY id")]

    def material(self, material_id: int) -> rec.Material | None:
        return self._record(rec.Material, "SELECT * FROM materials WHERE id=?", (material_id,))

    def material_by_url(self, event_id: int, url: str) -> rec.Material | None:
        return self._record(rec.Material, "SELECT * FROM materials WHERE event_id=? AND url=?",
                            (event_id, url))

    def live_materials(self, event_id: int) -> list[rec.Material]:
        """The event's materials still linked and not removed, in page order."""
        return self._records(rec.Material, "SELECT * FROM materials WHERE event_id=? "
                             "AND status NOT IN ('withdrawn','removed') ORDER BY position",
                             (event_id,))

    def withdrawn_materials(self, event_id: int) -> list[rec.Material]:
        return self._records(rec.Material, "SELECT * FROM materials WHERE event_id=? "
                             "AND status='withdrawn'", (event_id,))

    def session_count(self, event_id: int) -> int:
        """Sessions the event's page still has."""
        return int(self.value("SELECT count(*) FROM sessions WHERE event_id=? AND status='ok'",
                            (event_id,)))

    def event_sessions(self, event_id: int) -> list[rec.Session]:
        """The event's sessions not removed, those still on the page first, in page order."""
        return self._records(rec.Session, "SELECT * FROM sessions WHERE event_id=? AND "
                             "status != 'removed' ORDER BY status='ok' DESC, position",
                             (event_id,))

    def sessions_of_event(self, event_id: int) -> list[rec.Session]:
        """Every session of the event, also withdrawn and removed ones, in page order."""
        return self._records(rec.Session, "SELECT * FROM sessions WHERE event_id=? "
                             "ORDER BY position, id", (event_id,))

    def session_materials(self, session_id: int) -> list[rec.Material]:
        """Every material linked from the session, in page order."""
        return self._records(
            rec.Material, "SELECT m.* FROM materials m JOIN material_sessions l ON "
            "l.material_id = m.id WHERE l.session_id=? ORDER BY m.position", (session_id,))

    def event_materials(self, event_id: int) -> list[rec.Material]:
        """Every material of the event, whatever its state, in page order."""
        return self._records(rec.Material, "SELECT * FROM materials WHERE event_id=? "
                             "ORDER BY position, id", (event_id,))

    def event_level_materials(self, event_id: int) -> list[rec.Material]:
        """The event's materials linked outside any session, in page order."""
        return self._records(rec.Material, "SELECT * FROM materials WHERE event_id=? AND "
                             "session_id IS NULL ORDER BY position", (event_id,))

    def cue_count(self, film_id: int) -> int:
        return int(self.db.execute("SELECT count(*) FROM cues WHERE film_id=?",
                                   (film_id,)).fetchone()[0])

    def session_of_event(self, session_id: int, event_id: int) -> rec.Session | None:
        return self._record(rec.Session, "SELECT * FROM sessions WHERE id=? AND event_id=?",
                            (session_id, event_id))

    def blob(self, sha256: str) -> rec.Blob | None:
        """A stored file's record: size, content type, when stored."""
        return self._record(rec.Blob, "SELECT * FROM blobs WHERE sha256=?", (sha256,))

    def film_of(self, material_id: int) -> rec.Film | None:
        return self._record(rec.Film, "SELECT * FROM films WHERE material_id=?", (material_id,))

    def doubt_reasons(self, event_id: int) -> list[str]:
        return [r["reason"] for r in self.all(
            "SELECT reason FROM doubts WHERE event_id=? ORDER BY id", (event_id,))]

    # ---- events and changes made by hand ----------------------------------------

    def event_gone(self, event_id: int, error: str) -> None:
        """Its page answers 404/410: marked, everything archived kept."""
        self.db.execute("UPDATE events SET status='gone', error=? WHERE id=? "
                        "AND status NOT IN ('removed')", (error, event_id))

    def event_seen(self, event_id: int, *, etag: str | None,
                   last_modified: str | None) -> None:
        """Its page was fetched again unchanged (or answered 304)."""
        self.db.execute(
            "UPDATE events SET last_seen=?, etag=coalesce(?, etag), "
            "last_modified=coalesce(?, last_modified), error=NULL, "
            "status=CASE WHEN status='gone' THEN 'ok' ELSE status END WHERE id=?",
            (now_iso(), etag, last_modified, event_id))

    def add_manual_event(self, key: str, title: str, date: str | None,
                         manual: dict[str, Any]) -> int:
        """An event no page describes (`konfarkiv add --new-event`)."""
        now = now_iso()
        cur = self.db.execute(
            "INSERT INTO events(page_key, url, title, date, intro, fetched_at, first_seen, "
            "last_seen, manual) VALUES (?,?,?,?,?,?,?,?,?)",
            (key, key, title, date, "", None, now, now, json.dumps(manual, ensure_ascii=False)))
        return new_id(cur)

    def add_manual_session(self, event_id: int, title: str, manual: dict[str, Any]) -> int:
        """A session added by hand, after the event's last one."""
        pos = self.value("SELECT coalesce(max(position), -1) + 1 FROM sessions WHERE event_id=?",
                       (event_id,))
        cur = self.db.execute(
            "INSERT INTO sessions(event_id, position, title, last_seen, manual) "
            "VALUES (?,?,?,?,?)", (event_id, pos, title, now_iso(), json.dumps(manual)))
        return new_id(cur)

    def add_manual_material(self, event_id: int, session_id: int | None, kind: str,
                            label: str, url: str) -> None:
        """A material added by hand (origin manual: a re-ingest never withdraws it)."""
        pos = self.value("SELECT coalesce(max(position), -1) + 1 FROM materials WHERE event_id=?",
                       (event_id,))
        self.db.execute(
            "INSERT INTO materials(event_id, session_id, position, kind, label, url, last_seen, "
            "origin) VALUES (?,?,?,?,?,?,?, 'manual')",
            (event_id, session_id, pos, kind, label, url, now_iso()))

    def hand_added_materials(self) -> list[sqlite3.Row]:
        """Every material added by hand and not removed, with its event, in event order."""
        return self.all("SELECT m.*, e.url AS event_url, e.title AS event_title "
                        "FROM materials m JOIN events e ON e.id=m.event_id "
                        "WHERE m.origin='manual' AND m.status NOT IN ('removed') "
                        "ORDER BY m.event_id, m.position")

    def adopt_material(self, material_id: int, session_id: int | None, label: str) -> None:
        """A material added again by hand becomes manual, and is back if it was gone."""
        self.db.execute(
            "UPDATE materials SET session_id=?, label=?, origin='manual', "
            "status=CASE WHEN status IN ('removed','withdrawn') THEN 'pending' ELSE status END "
            "WHERE id=?", (session_id, label, material_id))

    # ---- sources and runs -------------------------------------------------------

    def source(self, source_id: int) -> sqlite3.Row | None:
        return self.one("SELECT * FROM sources WHERE id=?", (source_id,))

    def source_by_url(self, url: str) -> sqlite3.Row | None:
        return self.one("SELECT * FROM sources WHERE url=?", (url,))

    def source_rows(self, *, follow: bool) -> list[sqlite3.Row]:
        """Listing sources (follow) or page sources, oldest first."""
        return self.all("SELECT * FROM sources WHERE follow=? ORDER BY id", (int(follow),))

    def source_urls(self) -> list[str]:
        return [r["url"] for r in self.all("SELECT url FROM sources ORDER BY id")]

    def sources_found_via(self, listing_id: int) -> list[sqlite3.Row]:
        """The pages a listing source led to, in the order found."""
        return self.all("SELECT * FROM sources WHERE via=? ORDER BY id", (listing_id,))

    def run_started(self, command: str, pid: int) -> int:
        """A run record (ingest, update); returns its id. Finished by run_finished."""
        cur = self.db.execute("INSERT INTO runs(command, started_at, pid) VALUES (?,?,?)",
                              (command, now_iso(), pid))
        assert cur.lastrowid is not None
        return cur.lastrowid

    def run_finished(self, run_id: int, *, figures: dict[str, int], duration: float,
                     exit_status: int, summary: dict[str, Any]) -> None:
        """The run's figures (runs.FIGURES), once its changes are indexed."""
        names = [n for n in FIGURES if n in figures]
        sets = "".join(f", {n}=?" for n in names)
        self.db.execute(
            f"UPDATE runs SET finished_at=?, duration=?, exit_status=?, summary=?{sets} "
            "WHERE id=?",
            (now_iso(), round(duration, 3), exit_status, json.dumps(summary, ensure_ascii=False),
             *(int(figures[n]) for n in names), run_id))

    def recent_runs(self, n: int = 20) -> list[RunRecord]:
        """The latest n runs, newest first (unfinished ones too: running or interrupted)."""
        out = []
        for r in self.all("SELECT * FROM runs ORDER BY id DESC LIMIT ?", (n,)):
            summary = json.loads(r["summary"]) if r["summary"] else {}
            keys = r.keys()
            figures = {k: int(r[k]) for k in FIGURES if k in keys and r[k] is not None}
            out.append(RunRecord(
                id=int(r["id"]), command=r["command"], started_at=r["started_at"],
                finished_at=r["finished_at"], pid=r["pid"],
                duration=r["duration"] if "duration" in keys else None,
                exit_status=r["exit_status"] if "exit_status" in keys else
                summary.get("exit_status"),
                figures=figures, index_error=summary.get("index_error"),
                tally=summary.get("tally") or {}))
        return out

    # ---- reading for the search index and its snippets ------------------------

    def session(self, session_id: int) -> rec.Session | None:
        return self._record(rec.Session, "SELECT * FROM sessions WHERE id=?", (session_id,))

    def session_speakers(self, session_id: int) -> list[rec.Speaker]:
        return self._records(rec.Speaker, "SELECT * FROM speakers WHERE session_id=? "
                             "ORDER BY position", (session_id,))

    def live_sessions(self, event_id: int) -> list[rec.Session]:
        """The event's sessions on its page and not removed, in page order."""
        return self._records(rec.Session, "SELECT * FROM sessions WHERE event_id=? AND "
                             "status='ok' ORDER BY position", (event_id,))

    def searchable_materials(self, event_id: int) -> list[rec.Material]:
        """Materials with content to search: fetched, not withdrawn or removed, and not
        in a session removed by hand (it takes its material with it)."""
        return self._records(
            rec.Material,
            "SELECT * FROM materials WHERE event_id=? AND status IN ('ok','no_text') "
            "AND (session_id IS NULL OR session_id NOT IN "
            "(SELECT id FROM sessions WHERE status='removed')) ORDER BY position", (event_id,))

    def document_versions(self, material_id: int) -> list[rec.Document]:
        """Every version of a PDF, oldest first (`current` marks the newest)."""
        return self._records(rec.Document, "SELECT * FROM documents WHERE material_id=? "
                             "ORDER BY id", (material_id,))

    def page_texts(self, document_id: int) -> list[rec.PdfPage]:
        return [rec.PdfPage(page, text) for page, text in self.db.execute(
            "SELECT page, text FROM page_texts WHERE document_id=? ORDER BY page",
            (document_id,))]

    def slide(self, document_id: int, page: int) -> rec.Slide | None:
        """One PDF page's text (and its source, pdf or ocr) with its material's label, URL."""
        return self._record(
            rec.Slide,
            "SELECT m.id AS material_id, m.label, m.url, p.text, p.source FROM documents d "
            "JOIN materials m ON m.id=d.material_id JOIN page_texts p ON p.document_id=d.id "
            "WHERE d.id=? AND p.page=?", (document_id, page))

    def film(self, film_id: int) -> rec.LabelledFilm | None:
        """A film with its material's label and URL."""
        return self._record(rec.LabelledFilm, "SELECT f.*, m.label, m.url FROM films f "
                            "JOIN materials m ON m.id=f.material_id WHERE f.id=?", (film_id,))

    def cues(self, film_id: int, first: int = 0, limit: int = -1) -> list[rec.Cue]:
        """A film's cues (position, start, text, speaker, word_starts) in order, from
        position `first` (word_starts: decode with archive.cues.decode_word_starts)."""
        return [rec.Cue(*row) for row in self.db.execute(
            "SELECT position, start, text, speaker, word_starts FROM cues WHERE film_id=? "
            "AND position>=? ORDER BY position LIMIT ?", (film_id, first, limit))]

    # ---- reading many at once (a page of search results: a fixed number of queries) ----

    def _by_ids(self, cls: type[R], sql: str, ids: Sequence[int]) -> list[R]:
        """Records for ids (sql holds one `{marks}`), in chunks SQLite's limits allow."""
        unique = list(dict.fromkeys(ids))
        out: list[R] = []
        for i in range(0, len(unique), BATCH):
            part = unique[i:i + BATCH]
            out += self._records(cls, sql.format(marks=",".join("?" * len(part))), part)
        return out

    def events_by_id(self, ids: Sequence[int]) -> dict[int, rec.Event]:
        return {e.id: e for e in self._by_ids(
            rec.Event, "SELECT * FROM events WHERE id IN ({marks})", ids)}

    def sessions_by_id(self, ids: Sequence[int]) -> dict[int, rec.SessionPage]:
        """Sessions with their event's id and page address."""
        return {s.id: s for s in self._by_ids(
            rec.SessionPage, "SELECT s.id, s.event_id, s.title, s.description, s.time, e.url "
            "FROM sessions s JOIN events e ON e.id=s.event_id WHERE s.id IN ({marks})", ids)}

    def speakers_by_session(self, ids: Sequence[int]) -> dict[int, list[rec.Speaker]]:
        out: dict[int, list[rec.Speaker]] = {i: [] for i in ids}
        for sp in self._by_ids(rec.Speaker, "SELECT * FROM speakers WHERE session_id IN "
                               "({marks}) ORDER BY session_id, position", ids):
            out[sp.session_id].append(sp)
        return out

    def films_by_id(self, ids: Sequence[int]) -> dict[int, rec.LabelledFilm]:
        return {f.id: f for f in self._by_ids(
            rec.LabelledFilm, "SELECT f.*, m.label, m.url FROM films f JOIN materials m "
            "ON m.id=f.material_id WHERE f.id IN ({marks})", ids)}

    def _at_pairs(self, sql: str, pairs: Sequence[tuple[int, int]],
                  extra: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """Rows of sql, whose CTE w(a, b) holds the pairs (sql has one `{values}`)."""
        unique = list(dict.fromkeys(pairs))
        rows: list[sqlite3.Row] = []
        for i in range(0, len(unique), BATCH // 2):
            part = unique[i:i + BATCH // 2]
            rows += self.db.execute(sql.format(values=",".join("(?,?)" for _ in part)),
                                    [*(x for pair in part for x in pair), *extra]).fetchall()
        return rows

    def slides_at(self, places: Sequence[tuple[int, int]]) -> dict[tuple[int, int], rec.Slide]:
        """(document id, page) -> that page's text with its material's label and URL."""
        return {(r[0], r[1]): rec.Slide(*r[2:]) for r in self._at_pairs(
            "WITH w(doc, page) AS (VALUES {values}) "
            "SELECT w.doc, w.page, m.id AS material_id, m.label, m.url, p.text, p.source "
            "FROM w JOIN documents d ON d.id=w.doc JOIN materials m ON m.id=d.material_id "
            "JOIN page_texts p ON p.document_id=d.id AND p.page=w.page", places)}

    def cues_from(self, starts: Sequence[tuple[int, int]],
                  count: int) -> dict[tuple[int, int], list[rec.Cue]]:
        """(film id, first position) -> up to count cues from there, in order."""
        out: dict[tuple[int, int], list[rec.Cue]] = {s: [] for s in starts}
        for r in self._at_pairs(
                "WITH w(film, first) AS (VALUES {values}) "
                "SELECT w.film, w.first, c.position, c.start, c.text, c.speaker, c.word_starts "
                "FROM w JOIN cues c ON c.film_id=w.film AND c.position >= w.first "
                "AND c.position < w.first + ? ORDER BY w.film, w.first, c.position",
                starts, (count,)):
            out[(r[0], r[1])].append(rec.Cue(*r[2:]))
        return out

    def has_events(self) -> bool:
        """Whether anything has been archived (the web shows its empty page if not)."""
        return self.one("SELECT 1 FROM events LIMIT 1") is not None

    def served_document(self, document_id: int) -> sqlite3.Row | None:
        """A PDF version's hash, page count and label, unless its material was removed."""
        return self.one("SELECT d.sha256, d.pages, m.label FROM documents d JOIN materials m "
                        "ON m.id=d.material_id WHERE d.id=? AND m.status!='removed'",
                        (document_id,))

    def served_film(self, material_id: int) -> sqlite3.Row | None:
        """A film material with its stored file's type and its event, unless removed."""
        return self.one(
            "SELECT m.id, m.label, m.url, m.sha256, b.content_type, e.id AS event_id, "
            "e.title AS event FROM materials m JOIN blobs b ON b.sha256=m.sha256 "
            "JOIN events e ON e.id=m.event_id WHERE m.id=? AND m.kind='film' "
            "AND m.status!='removed'", (material_id,))

    def player_film(self, material_id: int) -> PlayerFilm | None:
        """What the player page needs of a film material, unless it was removed."""
        r = self.one(
            "SELECT m.id, m.label, m.url, m.event_id, e.title AS event, f.id AS film_id, "
            "f.duration, f.webpage_url, f.media_url, f.media_type, f.embed_url, f.caption_lang, "
            "CASE WHEN b.content_type LIKE 'video/%' OR b.content_type LIKE 'audio/%' "
            "THEN m.sha256 ELSE f.media_sha256 END AS stored_sha256, "
            "CASE WHEN b.content_type LIKE 'video/%' OR b.content_type LIKE 'audio/%' "
            "THEN b.content_type ELSE mb.content_type END AS stored_type "
            "FROM materials m JOIN events e ON e.id=m.event_id "
            "LEFT JOIN films f ON f.material_id=m.id LEFT JOIN blobs b ON b.sha256=m.sha256 "
            "LEFT JOIN blobs mb ON mb.sha256=f.media_sha256 "
            "WHERE m.id=? AND m.kind='film' AND m.status!='removed'", (material_id,))
        if r is None:
            return None
        return PlayerFilm(
            material_id=int(r["id"]), label=str(r["label"]), url=str(r["url"]),
            event_id=int(r["event_id"]), event=str(r["event"]),
            film_id=int(r["film_id"]) if r["film_id"] is not None else None,
            duration=r["duration"], webpage_url=r["webpage_url"],
            stored_sha256=r["stored_sha256"], stored_type=r["stored_type"],
            playable=Playable(r["media_url"], r["media_type"], r["embed_url"]),
            caption_lang=r["caption_lang"])

    def film_cues(self, film_id: int) -> list[TimedCue]:
        """A film's cues with their end times, in order (the player's WebVTT track)."""
        return [TimedCue(float(r[0]), float(r[1]), str(r[2]), r[3]) for r in self.all(
            "SELECT start, end, text, speaker FROM cues WHERE film_id=? ORDER BY position",
            (film_id,))]

    def pdf_pages(self, material_id: int) -> int | None:
        """Pages of a material's current archived PDF (None: no archived PDF)."""
        r = self.one("SELECT d.pages FROM documents d JOIN materials m ON m.id=d.material_id "
                     "WHERE d.material_id=? AND d.sha256=m.sha256 ORDER BY d.id DESC LIMIT 1",
                     (material_id,))
        return int(r[0]) if r is not None else None

    def current_document(self, material_id: int) -> int | None:
        """The id of a material's current PDF version (what the web serves), if any."""
        r = self.one("SELECT d.id FROM documents d JOIN materials m ON m.id=d.material_id "
                     "WHERE d.material_id=? AND d.current=1 AND m.status!='removed' "
                     "ORDER BY d.id DESC LIMIT 1", (material_id,))
        return int(r[0]) if r is not None else None

    def document_material(self, document_id: int) -> int | None:
        """The material a PDF version belongs to."""
        r = self.one("SELECT material_id FROM documents WHERE id=?", (document_id,))
        return int(r[0]) if r is not None else None

    def current_documents(self, material_ids: Sequence[int]) -> dict[int, int]:
        """Material id -> its current PDF version's id, for those of the given materials that
        have one (one query: the web's thumbnails for a page of hits)."""
        ids = list(dict.fromkeys(material_ids))
        out: dict[int, int] = {}
        for start in range(0, len(ids), 900):  # SQLite's bound-parameter limit
            chunk = ids[start:start + 900]
            marks = ",".join("?" * len(chunk))
            out.update((r[0], r[1]) for r in self.db.execute(
                f"SELECT material_id, MAX(id) FROM documents WHERE current=1 "
                f"AND material_id IN ({marks}) GROUP BY material_id", chunk))
        return out

    def session_with_page(self, session_id: int) -> rec.SessionPage | None:
        """A session's title and description, and its event's page URL."""
        return self._record(rec.SessionPage, "SELECT s.id, s.title, s.description, e.url "
                            "FROM sessions s JOIN events e ON e.id=s.event_id WHERE s.id=?",
                            (session_id,))

    def pages_per_event(self) -> dict[int, int]:
        """PDF pages stored per event (all versions): how much indexing each costs."""
        return {r[0]: r[1] for r in self.all(
            "SELECT m.event_id, COUNT(*) FROM page_texts p JOIN documents d "
            "ON d.id=p.document_id JOIN materials m ON m.id=d.material_id GROUP BY m.event_id")}

    def cues_per_event(self) -> dict[int, int]:
        return {r[0]: r[1] for r in self.all(
            "SELECT m.event_id, COUNT(*) FROM cues c JOIN films f ON f.id=c.film_id "
            "JOIN materials m ON m.id=f.material_id GROUP BY m.event_id")}

    # ---- reporting ----------------------------------------------------------

    def set_doubts(self, event_id: int,
                   doubts: Sequence[tuple[str, str, int | None]]) -> None:
        """The parser's doubts (kind, reason, session id) about an event's latest parse.

        A doubt already noted keeps its time, so an edit made since still settles it.
        """
        old = {(r["kind"], r["reason"], r["session_id"]): r["id"] for r in self.all(
            "SELECT id, kind, reason, session_id FROM doubts WHERE event_id=? "
            "AND kind NOT IN (?,?)", (event_id, *_CATALOG_DOUBTS))}
        keep = {old[d] for d in doubts if d in old}
        for doubt_id in old.values():
            if doubt_id not in keep:
                self.db.execute("DELETE FROM doubts WHERE id=?", (doubt_id,))
        now = now_iso()
        for kind, reason, session_id in doubts:
            if (kind, reason, session_id) not in old:
                self.db.execute(
                    "INSERT INTO doubts(event_id, session_id, kind, reason, noted_at, "
                    f"after_edit) VALUES (?,?,?,?,?,{_LAST_EDIT})",
                    (event_id, session_id, kind, reason, now))

    def new_doubts(self, event_id: int) -> list[str]:
        """The event's open doubts no run has reported yet, now marked reported: a run
        prints a doubt once; `konfarkiv review` lists every open one."""
        rows = self.all(
            "SELECT d.id, d.reason FROM doubts d WHERE d.event_id=? AND d.reported_at IS NULL "
            f"AND NOT {_SETTLED} ORDER BY d.id", (event_id,))
        if rows:
            with self.transaction():
                self.db.executemany("UPDATE doubts SET reported_at=? WHERE id=?",
                                    [(now_iso(), r["id"]) for r in rows])
        return [r["reason"] for r in rows]

    def open_doubts(self) -> list[sqlite3.Row]:
        """Doubts not settled by a later edit of their event or session, on kept events."""
        return self.all(
            "SELECT d.*, e.title AS event_title, e.url AS event_url, e.date AS event_date "
            "FROM doubts d JOIN events e ON e.id = d.event_id "
            f"WHERE e.status != 'removed' AND NOT {_SETTLED} ORDER BY d.event_id, d.id")

    def counts(self) -> dict[str, int]:
        def n(sql: str) -> int:
            return int(self.value(sql))

        return {
            "events": n("SELECT count(*) FROM events"),
            "sessions": n("SELECT count(*) FROM sessions WHERE status='ok'"),
            "documents": n("SELECT count(*) FROM documents WHERE current=1"),
            "pages": n("SELECT count(*) FROM page_texts p JOIN documents d "
                       "ON d.id=p.document_id WHERE d.current=1"),
            "films": n("SELECT count(*) FROM films"),
            "cues": n("SELECT count(*) FROM cues"),
            "failures": n("SELECT count(*) FROM materials WHERE status='failed'")
            + n("SELECT count(*) FROM sources WHERE status='failed'"),
            "files": n("SELECT count(*) FROM blobs"),
            "stored_bytes": n("SELECT coalesce(sum(size), 0) FROM blobs"),
        }
