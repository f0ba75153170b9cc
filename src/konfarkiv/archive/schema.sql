-- konfarkiv catalog: the one source of truth. The Whoosh index is derived from it.
PRAGMA foreign_keys = ON;

CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

-- Every stored file, by content.
CREATE TABLE IF NOT EXISTS blobs (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    content_type TEXT,
    stored_at TEXT NOT NULL
);

-- What the user asked us to follow: documentation pages and listings.
CREATE TABLE IF NOT EXISTS sources (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    follow INTEGER NOT NULL DEFAULT 0,
    added_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'new',      -- new | ok | failed | gone
    error TEXT,
    permanent INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_try TEXT,
    last_checked TEXT,
    via INTEGER REFERENCES sources(id) ON DELETE CASCADE  -- the listing a page was found on
);

CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    page_key TEXT NOT NULL UNIQUE,            -- same page whatever the host alias
    url TEXT NOT NULL,
    title TEXT NOT NULL,
    date TEXT,
    intro TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'ok',        -- ok | gone | removed
    error TEXT,
    page_sha256 TEXT REFERENCES blobs(sha256),
    etag TEXT,
    last_modified TEXT,
    fetched_at TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT,
    manual TEXT                               -- JSON: fields corrected by hand
);

CREATE TABLE IF NOT EXISTS event_versions (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    page_sha256 TEXT NOT NULL REFERENCES blobs(sha256),
    fetched_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS sessions (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    time TEXT,
    grp TEXT,
    code TEXT,                                -- "A", "1a", "1.1" as printed before the title
    date TEXT,                                -- a session's own date, where the page gives one
    status TEXT NOT NULL DEFAULT 'ok',        -- ok | withdrawn | removed
    last_seen TEXT,
    manual TEXT
);
CREATE INDEX IF NOT EXISTS sessions_event ON sessions(event_id);

CREATE TABLE IF NOT EXISTS speakers (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    organisation TEXT,
    role TEXT,
    party TEXT                                -- "S", "M": a politician's party, not an organisation
);
CREATE INDEX IF NOT EXISTS speakers_session ON speakers(session_id);

CREATE TABLE IF NOT EXISTS materials (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    session_id INTEGER REFERENCES sessions(id) ON DELETE SET NULL,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,                       -- pdf | film | link
    label TEXT NOT NULL,
    url TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',   -- pending | ok | no_text | failed | withdrawn | removed
    error TEXT,
    permanent INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_try TEXT,
    fetched_at TEXT,
    etag TEXT,
    last_modified TEXT,
    sha256 TEXT REFERENCES blobs(sha256),
    size INTEGER,
    content_type TEXT,
    last_seen TEXT,
    origin TEXT NOT NULL DEFAULT 'page',      -- page | manual
    UNIQUE (event_id, url)
);
CREATE INDEX IF NOT EXISTS materials_session ON materials(session_id);

-- Every session a material is linked from, in page order (a PDF linked in two sessions
-- belongs to both). The first is materials.session_id, which the triggers below keep
-- here for every writer; Catalog.sync_materials adds the page's further links.
CREATE TABLE IF NOT EXISTS material_sessions (
    material_id INTEGER NOT NULL REFERENCES materials(id) ON DELETE CASCADE,
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (material_id, session_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS material_sessions_session ON material_sessions(session_id);

CREATE TRIGGER IF NOT EXISTS ms_material_new AFTER INSERT ON materials
WHEN NEW.session_id IS NOT NULL
BEGIN
    INSERT INTO material_sessions SELECT NEW.id, NEW.session_id, 0
    WHERE NOT EXISTS (SELECT 1 FROM material_sessions
                      WHERE material_id = NEW.id AND session_id = NEW.session_id);
END;
CREATE TRIGGER IF NOT EXISTS ms_material_moved AFTER UPDATE OF session_id ON materials
WHEN OLD.session_id IS NOT NEW.session_id
BEGIN
    DELETE FROM material_sessions WHERE material_id = NEW.id AND session_id = OLD.session_id;
    INSERT INTO material_sessions SELECT NEW.id, NEW.session_id, 0
    WHERE NEW.session_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM material_sessions
                      WHERE material_id = NEW.id AND session_id = NEW.session_id);
END;

-- One stored version of a PDF and the record of its extraction.
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    material_id INTEGER NOT NULL REFERENCES materials(id) ON DELETE CASCADE,
    sha256 TEXT NOT NULL REFERENCES blobs(sha256),
    fetched_at TEXT NOT NULL,
    current INTEGER NOT NULL DEFAULT 1,
    outcome TEXT NOT NULL,                    -- text | no_text | partial
    pages INTEGER NOT NULL DEFAULT 0,
    chars INTEGER NOT NULL DEFAULT 0,
    tool TEXT,
    seconds REAL,
    warnings INTEGER NOT NULL DEFAULT 0,
    error TEXT
);
CREATE INDEX IF NOT EXISTS documents_material ON documents(material_id);

CREATE TABLE IF NOT EXISTS page_texts (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    page INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (document_id, page)
);

CREATE TABLE IF NOT EXISTS films (
    id INTEGER PRIMARY KEY,
    material_id INTEGER NOT NULL UNIQUE REFERENCES materials(id) ON DELETE CASCADE,
    title TEXT,
    description TEXT,
    duration REAL,
    webpage_url TEXT,
    extractor TEXT,
    tool TEXT,
    info_sha256 TEXT REFERENCES blobs(sha256),
    captions_sha256 TEXT REFERENCES blobs(sha256),
    caption_lang TEXT,
    fetched_at TEXT
);

CREATE TABLE IF NOT EXISTS cues (
    film_id INTEGER NOT NULL REFERENCES films(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    start REAL NOT NULL,
    end REAL NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (film_id, position)
);

-- One row per run of ingest/update, for the record. Written at its start and finished
-- after indexing; Catalog._add_missing_columns adds its figures: duration, exit_status,
-- requests, not_modified, new_items, changed, new_versions, withdrawn, gone, failed,
-- indexed_docs, index_errors (archive/runs.py).
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    command TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    pid INTEGER,
    summary TEXT
);

-- Withdrawals made by hand (konfarkiv remove): who, why, when. A purge keeps its
-- tombstone too, with a description of what was deleted, since the rows are gone.
CREATE TABLE IF NOT EXISTS tombstones (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,                       -- event | session | material
    ref INTEGER NOT NULL,                     -- the row's id
    label TEXT NOT NULL,                      -- what it was: title or URL
    previous_status TEXT,                     -- restored by remove --undo
    by TEXT NOT NULL,
    reason TEXT,
    at TEXT NOT NULL,
    purged INTEGER NOT NULL DEFAULT 0,
    undone_at TEXT,
    undone_by TEXT
);
CREATE INDEX IF NOT EXISTS tombstones_ref ON tombstones(kind, ref);

-- What the parser was unsure of on an event's page (its latest parse), for `konfarkiv review`.
-- A doubt counts as settled once an edit of its event or session is newer than it.
CREATE TABLE IF NOT EXISTS doubts (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    session_id INTEGER REFERENCES sessions(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,                       -- no-sessions | sections | no-organisation | ...
    reason TEXT NOT NULL,
    noted_at TEXT NOT NULL
    -- reported_at TEXT (added by Catalog._add_missing_columns): when a run first printed it
);
CREATE INDEX IF NOT EXISTS doubts_event ON doubts(event_id);

-- Every hand-made change (konfarkiv add/edit), for the record: who changed what, when.
CREATE TABLE IF NOT EXISTS edits (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,                       -- event | session | material
    ref INTEGER NOT NULL,
    action TEXT NOT NULL,                     -- add | set | reset
    field TEXT,
    old TEXT,                                 -- JSON
    new TEXT,                                 -- JSON
    by TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS edits_ref ON edits(kind, ref);

-- Events whose catalog rows changed since the search index last took them in.
-- Filled by the triggers below in the same transaction as the change, emptied
-- after the index commits: a run killed between the two leaves the event queued,
-- and the next writer (or search, when no writer runs) indexes it. The triggers skip an
-- event already queued with NOT EXISTS, not INSERT OR IGNORE: an outer upsert's conflict
-- policy overrides a trigger's OR IGNORE and would fail the write.
CREATE TABLE IF NOT EXISTS index_queue (
    event_id INTEGER PRIMARY KEY,
    queued_at TEXT NOT NULL
);

CREATE TRIGGER IF NOT EXISTS q_event_new AFTER INSERT ON events BEGIN
    INSERT INTO index_queue SELECT NEW.id, datetime('now')
    WHERE NOT EXISTS (SELECT 1 FROM index_queue WHERE event_id = NEW.id);
END;
CREATE TRIGGER IF NOT EXISTS q_event_changed AFTER UPDATE ON events
WHEN OLD.title IS NOT NEW.title OR OLD.date IS NOT NEW.date OR OLD.status IS NOT NEW.status
BEGIN
    INSERT INTO index_queue SELECT NEW.id, datetime('now')
    WHERE NOT EXISTS (SELECT 1 FROM index_queue WHERE event_id = NEW.id);
END;
CREATE TRIGGER IF NOT EXISTS q_event_gone AFTER DELETE ON events BEGIN
    INSERT INTO index_queue SELECT OLD.id, datetime('now')
    WHERE NOT EXISTS (SELECT 1 FROM index_queue WHERE event_id = OLD.id);
END;

CREATE TRIGGER IF NOT EXISTS q_session_new AFTER INSERT ON sessions BEGIN
    INSERT INTO index_queue SELECT NEW.event_id, datetime('now')
    WHERE NOT EXISTS (SELECT 1 FROM index_queue WHERE event_id = NEW.event_id);
END;
CREATE TRIGGER IF NOT EXISTS q_session_changed AFTER UPDATE ON sessions
WHEN OLD.title IS NOT NEW.title OR OLD.description IS NOT NEW.description
  OR OLD.grp IS NOT NEW.grp OR OLD.status IS NOT NEW.status OR OLD.time IS NOT NEW.time
BEGIN
    INSERT INTO index_queue SELECT NEW.event_id, datetime('now')
    WHERE NOT EXISTS (SELECT 1 FROM index_queue WHERE event_id = NEW.event_id);
END;
CREATE TRIGGER IF NOT EXISTS q_session_gone AFTER DELETE ON sessions BEGIN
    INSERT INTO index_queue SELECT OLD.event_id, datetime('now')
    WHERE NOT EXISTS (SELECT 1 FROM index_queue WHERE event_id = OLD.event_id);
END;

CREATE TRIGGER IF NOT EXISTS q_speaker_new AFTER INSERT ON speakers BEGIN
    INSERT INTO index_queue SELECT event_id, datetime('now') FROM sessions WHERE id = NEW.session_id
    AND event_id NOT IN (SELECT event_id FROM index_queue);
END;
CREATE TRIGGER IF NOT EXISTS q_speaker_gone AFTER DELETE ON speakers BEGIN
    INSERT INTO index_queue SELECT event_id, datetime('now') FROM sessions WHERE id = OLD.session_id
    AND event_id NOT IN (SELECT event_id FROM index_queue);
END;

CREATE TRIGGER IF NOT EXISTS q_material_changed AFTER UPDATE ON materials
WHEN OLD.status IS NOT NEW.status OR OLD.session_id IS NOT NEW.session_id
  OR OLD.label IS NOT NEW.label OR OLD.kind IS NOT NEW.kind
BEGIN
    INSERT INTO index_queue SELECT NEW.event_id, datetime('now')
    WHERE NOT EXISTS (SELECT 1 FROM index_queue WHERE event_id = NEW.event_id);
END;
CREATE TRIGGER IF NOT EXISTS q_material_gone AFTER DELETE ON materials BEGIN
    INSERT INTO index_queue SELECT OLD.event_id, datetime('now')
    WHERE NOT EXISTS (SELECT 1 FROM index_queue WHERE event_id = OLD.event_id);
END;

CREATE TRIGGER IF NOT EXISTS q_document_new AFTER INSERT ON documents BEGIN
    INSERT INTO index_queue SELECT event_id, datetime('now') FROM materials WHERE id = NEW.material_id
    AND event_id NOT IN (SELECT event_id FROM index_queue);
END;
CREATE TRIGGER IF NOT EXISTS q_document_changed AFTER UPDATE ON documents
WHEN OLD.current IS NOT NEW.current
BEGIN
    INSERT INTO index_queue SELECT event_id, datetime('now') FROM materials WHERE id = NEW.material_id
    AND event_id NOT IN (SELECT event_id FROM index_queue);
END;

-- OCR read a page later (konfarkiv ocr): its new text must reach the index.
CREATE TRIGGER IF NOT EXISTS q_page_text_changed AFTER UPDATE OF text ON page_texts
WHEN OLD.text IS NOT NEW.text
BEGIN
    INSERT INTO index_queue SELECT m.event_id, datetime('now') FROM documents d
    JOIN materials m ON m.id = d.material_id WHERE d.id = NEW.document_id
    AND m.event_id NOT IN (SELECT event_id FROM index_queue);
END;

CREATE TRIGGER IF NOT EXISTS q_film_new AFTER INSERT ON films BEGIN
    INSERT INTO index_queue SELECT event_id, datetime('now') FROM materials WHERE id = NEW.material_id
    AND event_id NOT IN (SELECT event_id FROM index_queue);
END;
CREATE TRIGGER IF NOT EXISTS q_film_changed AFTER UPDATE ON films
WHEN OLD.title IS NOT NEW.title OR OLD.description IS NOT NEW.description
  OR OLD.captions_sha256 IS NOT NEW.captions_sha256
BEGIN
    INSERT INTO index_queue SELECT event_id, datetime('now') FROM materials WHERE id = NEW.material_id
    AND event_id NOT IN (SELECT event_id FROM index_queue);
END;

CREATE TRIGGER IF NOT EXISTS q_material_link_new AFTER INSERT ON material_sessions BEGIN
    INSERT INTO index_queue SELECT event_id, datetime('now') FROM materials WHERE id = NEW.material_id
    AND event_id NOT IN (SELECT event_id FROM index_queue);
END;
CREATE TRIGGER IF NOT EXISTS q_material_link_gone AFTER DELETE ON material_sessions BEGIN
    INSERT INTO index_queue SELECT event_id, datetime('now') FROM materials WHERE id = OLD.material_id
    AND event_id NOT IN (SELECT event_id FROM index_queue);
END;
