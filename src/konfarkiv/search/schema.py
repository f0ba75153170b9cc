"""The Whoosh schema, in one function.

Ranking documents (kind "unit"): one per session holding all its words (title,
speakers, text, slides, captions) and one per event (title, introduction, date,
its own material); results are ranked over these. Evidence documents: one per
event, session, PDF page (slide), film and window of caption cues, each with
its event and session, searched only for the sessions shown.
Little is stored: snippets are made from the catalog's text, not the index.
"""

from __future__ import annotations

from whoosh.columns import VarBytesColumn
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from konfarkiv.search.analysis import folded_analyzer, name_analyzer, text_analyzer

# Bump when the schema or the analysis changes: the index is then rebuilt from the catalog.
SCHEMA_VERSION = "7"  # 7: page and start stored only (never searched, no terms)

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
        # Where a hit opens (PDF page, film second): read from the stored fields of the
        # hits shown, never searched, so no terms (a NUMERIC made 8 a slide and up to 16 a
        # caption window: a fifth of the index's terms at 10k slides, issue 23).
        page=STORED(),
        start=STORED(),
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
        # Facets and sorting of the ranking documents, read per match from columns (one
        # read a document): "y:2019,e:12,o:SKR,k:session,k:slide,p:Anna Berg" (facets.py).
        facet=KEYWORD(commas=True, lowercase=False, scorable=False,
                      sortable=VarBytesColumn()),
        date=ID(sortable=True),  # the event's date as the page gives it, for newest/oldest
        twin=STORED(),  # an event that is its one session (same title): that session's group
    )
