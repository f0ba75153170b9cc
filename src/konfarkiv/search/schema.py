"""The Whoosh schema, in one function.

Ranking documents (kind "unit"): one per session holding all its words (title,
speakers, text, slides, captions) and one per event (title, introduction, date,
its own material); results are ranked over these. Evidence documents: one per
event, session, PDF page (slide), film and window of caption cues, each with
its event and session, searched only for the sessions shown.
Little is stored: snippets are made from the catalog's text, not the index.
"""

from __future__ import annotations

from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema

from konfarkiv.search.analysis import folded_analyzer, name_analyzer, text_analyzer

# Bump when the schema or the analysis changes: the index is then rebuilt from the catalog.
SCHEMA_VERSION = "5"  # 5: a file linked from several sessions is in each

KINDS = ("event", "session", "slide", "film", "caption")
#: The kind of the ranking documents: one per session, one per event (the "u" fields).
UNIT = "unit"


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
        # Ranking documents: a session's (or an event's) words together, in fields of
        # their own so their lengths do not skew the slides' BM25 statistics.
        utitle=TEXT(analyzer=text, field_boost=3.0, stored=True),  # an event's title is named
        ubody=TEXT(analyzer=text, phrase=True),
        ufolded=TEXT(analyzer=folded_analyzer()),
        uspeaker=TEXT(analyzer=name_analyzer()),
        uorg=TEXT(analyzer=name_analyzer()),
        uevent=TEXT(analyzer=text),
    )
