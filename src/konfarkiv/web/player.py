"""The player page of a film at a second, beside its transcript.

What plays, in order: the archived copy (downloaded, added by hand, or a saved page's
film file), else the media file the film's host serves (recorded at ingest), else the
platform's own embedded player with its start parameter. The page's CSP admits media
and frames from that one origin only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from konfarkiv.archive.model import PlayerFilm, TimedCue
from konfarkiv.archive.playback import embed_at, origin
from konfarkiv.search.links import mmss, moment_link

_WORD = re.compile(r"\w+", re.UNICODE)
_FIELD = re.compile(r"\b\w+:(\"[^\"]*\"|\S+)")
_OPERATORS = {"and", "or", "not", "och", "eller", "inte"}
_TEMPLATE_SECOND = 987654321  # the player script puts a cue's second in its place


@dataclass(frozen=True)
class CueView:
    start: int
    end: float
    at: str
    text: Markup
    now: bool
    speaker: str | None = None  # shown where the voice changes


@dataclass(frozen=True)
class PlayerView:
    film: PlayerFilm
    t: int
    at: str
    src: str | None  # the <video> source (our /media/ID, or the host's file)
    src_type: str | None
    embed: str | None  # the platform player's address at the second
    embed_template: str | None
    moment: str | None  # the original page at the moment, when nothing plays here
    source_origin: str | None  # the other origin media or frames come from
    cues: list[CueView]
    lang: str

    @property
    def csp_sources(self) -> dict[str, str]:
        """Extra CSP sources: the film's own origin for media or frames."""
        if not self.source_origin:
            return {}
        return {"frame-src" if self.embed else "media-src": self.source_origin}


def query_words(q: str) -> list[str]:
    """The words of a query to mark in the transcript (not field names or operators)."""
    words = _WORD.findall(_FIELD.sub(" ", q.lower()))
    return [w for w in words if len(w) >= 3 and w not in _OPERATORS][:20]


def marked(text: str, words: list[str]) -> Markup:
    """The cue text with words that begin like a query word (Swedish endings vary) marked."""
    if not words:
        return escape(text)
    stems = [w[:max(4, len(w) - 2)] for w in words]
    out, pos = [], 0
    for m in _WORD.finditer(text):
        if any(m.group(0).lower().startswith(s) for s in stems):
            out += [escape(text[pos:m.start()]), Markup("<mark>%s</mark>") % m.group(0)]
            pos = m.end()
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def player_view(film: PlayerFilm, cues: list[TimedCue], t: int, q: str) -> PlayerView:
    words = query_words(q)
    playing = max((i for i, c in enumerate(cues) if c.start <= t + 0.5), default=-1)
    views = [CueView(int(c.start), c.end, mmss(c.start), marked(c.text, words), i == playing,
                     c.speaker if c.speaker and (i == 0 or cues[i - 1].speaker != c.speaker)
                     else None)
             for i, c in enumerate(cues)]
    src = src_type = embed = template = moment = other = None
    play = film.playable
    if film.stored_sha256:
        src, src_type = f"/media/{film.material_id}", film.stored_type
    elif play.media_url and origin(play.media_url):
        src, src_type, other = play.media_url, play.media_type, origin(play.media_url)
    elif play.embed_url and origin(play.embed_url):
        embed, other = embed_at(play.embed_url, t), origin(play.embed_url)
        template = embed_at(play.embed_url, _TEMPLATE_SECOND)
    else:
        page = film.webpage_url or film.url
        moment = moment_link(page, t) if origin(page) else None
    return PlayerView(film, t, mmss(t), src, src_type, embed, template, moment, other, views,
                      film.caption_lang or "sv")
