"""Job: a film's metadata and captions (yt-dlp, or our reader for saved pages)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, replace

from konfarkiv.archive.catalog import Catalog
from konfarkiv.archive.model import MaterialRef
from konfarkiv.archive.store import StoredFile
from konfarkiv.ingest.captions import CAPTION_READER, caption_type
from konfarkiv.ingest.context import JobContext
from konfarkiv.ingest.films import FilmError, FilmInfo
from konfarkiv.ingest.result import JobResult


@dataclass(frozen=True)
class FilmWork:
    result: JobResult
    film: FilmInfo | None = None
    info_file: StoredFile | None = None
    captions_file: StoredFile | None = None
    media_file: StoredFile | None = None  # a saved page's film file, kept


def work(m: MaterialRef, ctx: JobContext) -> FilmWork:
    started = time.monotonic()
    try:
        film = ctx.films.extract(m.url)
    except FilmError as exc:
        return FilmWork(JobResult("film", m.url, "failed", "yt-dlp", time.monotonic() - started,
                                  exc.reason, exc.permanent))
    info_file = ctx.store.put_bytes(
        json.dumps(film.info, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8"))
    captions_file = (ctx.store.put_bytes(film.caption_bytes)  # as fetched: reindex re-reads it
                     if film.caption_bytes else None)
    media_file = None
    if film.media_file is not None:
        try:
            media_file = ctx.store.put_file(film.media_file)
        except OSError as exc:
            return FilmWork(JobResult("film", m.url, "failed", film.tool,
                                      time.monotonic() - started,
                                      f"{film.media_file.name}: {exc.strerror or exc}", False))
    detail = {"cues": len(film.captions), "duration": film.duration,
              "caption_lang": film.caption_lang}
    return FilmWork(JobResult("film", m.url, "failed" if film.caption_error else "succeeded",
                              film.tool, time.monotonic() - started,
                              film.caption_error, False, detail),
                    film, info_file, captions_file, media_file)


def unchanged(catalog: Catalog, m: MaterialRef, w: FilmWork) -> bool:
    """Metadata and captions as stored (the info JSON carries extraction times, so its
    checksum cannot tell). Cues an older caption reader made are not re-read here but by
    `reindex`, from the archived file: captions are re-read when their file changed."""
    film = w.film
    if film is None or w.result.failed:
        return False
    old = catalog.film_of(m.id)
    caps = w.captions_file.sha256 if w.captions_file else None
    media = w.media_file.sha256 if w.media_file else None
    return old is not None and (
        old.title, old.description, old.duration, old.captions_sha256,
        old.media_url, old.embed_url, old.media_sha256) == (
        film.title, film.description, film.duration, caps, film.playable.media_url,
        film.playable.embed_url, media)


def record(catalog: Catalog, m: MaterialRef, w: FilmWork) -> None:
    """Store the film even when its captions failed; the failure is recorded too. A film
    read as stored is not rewritten: only when it was read is noted."""
    film = w.film
    if unchanged(catalog, m, w):
        catalog.film_checked(m.id)
        return
    if film is None:
        catalog.material_failed(m.id, w.result.error or "failed", permanent=w.result.permanent)
        return
    captions_type = caption_type(film.caption_bytes or b"")
    for f, ctype in ((w.info_file, "application/json"), (w.captions_file, captions_type),
                     (w.media_file, _media_type(film))):
        if f is not None:
            catalog.record_blob(f.sha256, f.size, ctype)
    catalog.material_fetched(
        m.id, sha256=w.info_file.sha256 if w.info_file else None,
        size=w.info_file.size if w.info_file else None, content_type="application/json",
        etag=None, last_modified=None, status="ok", kind="film")
    catalog.save_film(
        m.id, title=film.title, description=film.description, duration=film.duration,
        webpage_url=film.webpage_url, extractor=film.extractor, tool=film.tool,
        info_sha256=w.info_file.sha256 if w.info_file else None,
        captions_sha256=w.captions_file.sha256 if w.captions_file else None,
        caption_lang=film.caption_lang, cues=film.captions, caption_reader=CAPTION_READER,
        playable=replace(film.playable, media_sha256=w.media_file.sha256)
        if w.media_file else film.playable)
    if w.result.failed:
        catalog.material_note_error(m.id, w.result.error)


def _media_type(film: FilmInfo) -> str:
    """A saved film file's type from its name (browsers need it to play the file)."""
    import mimetypes

    name = film.media_file.name if film.media_file else ""
    return mimetypes.guess_type(name)[0] or "application/octet-stream"
