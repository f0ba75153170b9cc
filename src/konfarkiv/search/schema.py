"""The Whoosh schema, in one function.

One document per session, per PDF page (slide), per film and per window of
caption cues; each carries its event and session so results group by session.
Little is stored: snippets are made from the catalog's text, not the index.
"""

from __future__ import annotations

from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema

from konfarkiv.search.analysis import folded_analyzer, name_analyzer, text_analyzer

# Bump when the schema or the analysis changes: the index is then rebuilt from the catalog.
SCHEMA_VERSION = "3"  # 3: a document per event (title, introduction, date)

KINDS = ("event", "session", "slide", "film", "caption")


def build_schema() -> Schema:
    text = text_analyzer()
    return Schema(
        id=ID(unique=True, stored=True),
        kind=ID(stored=True),
        event_id=ID(stored=True),
        group=ID(stored=True),  # "s:<session id>" or "e:<event id>" for event-level material
        ref=STORED(),  # catalog row id the snippet text comes from
        title=TEXT(analyzer=text, field_boost=3.0),
        body=TEXT(analyzer=text, phrase=True),
        folded=TEXT(analyzer=folded_analyzer()),
        speaker=TEXT(analyzer=name_analyzer()),
        org=TEXT(analyzer=name_analyzer()),
        event=TEXT(analyzer=text),
        year=ID,
        page=NUMERIC(stored=True),
        start=NUMERIC(numtype=float, stored=True),
        cue=STORED(),  # first cue of a caption window
        current=ID,  # "1" for the newest version of a file, "0" for older ones
    )
