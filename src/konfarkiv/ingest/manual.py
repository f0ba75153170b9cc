"""Adding material by hand: a PDF, a video or audio file, a saved film page, a film URL.

Not everything is on a documentation page: slides arrive by e-mail, a film sits on
a disk. Added material goes through the same jobs as ingested material (PDF text
in a child process, yt-dlp for film URLs), gets origin='manual' so a re-ingest of
the page never withdraws it, and its event is re-indexed at once.

The slow part (extraction, probing) runs before the catalog transaction, so a
file that cannot be read leaves the catalog exactly as it was.
"""

from __future__ import annotations

import json
import mimetypes
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from konfarkiv.archive.archive import Archive
from konfarkiv.archive.catalog import Catalog
from konfarkiv.archive.dates import check_date
from konfarkiv.archive.errors import ArchivistError
from konfarkiv.archive.journal import log_edit
from konfarkiv.archive.model import MaterialRef
from konfarkiv.archive.records import MaterialKind, MaterialStatus
from konfarkiv.archive.ref import ItemKind, Ref
from konfarkiv.archive.refs import find_event, who
from konfarkiv.archive.speakers import current_speakers, parse_speaker, set_speakers
from konfarkiv.archive.store import StoredFile
from konfarkiv.ingest import film_job, pdf_job
from konfarkiv.ingest.captions import (
    CAPTION_READER,
    CaptionError,
    Cue,
    caption_type,
    read_captions,
)
from konfarkiv.ingest.context import JobContext
from konfarkiv.ingest.fetch import Fetcher
from konfarkiv.ingest.media import (
    READABLE,
    MediaInfo,
    caption_lang,
    chapters_text,
    probe_media,
    sidecar_captions,
)
from konfarkiv.ingest.ocr import ENABLE_HINT

MEDIA_TYPES = {".mp4": "video/mp4", ".m4a": "audio/mp4", ".mp3": "audio/mpeg",
               ".webm": "video/webm", ".mkv": "video/x-matroska", ".mov": "video/quicktime",
               ".wav": "audio/wav", ".ogg": "audio/ogg", ".opus": "audio/ogg"}


@dataclass(frozen=True)
class AddRequest:
    """What the archivist asked for (the `konfarkiv add` options)."""

    source: str
    event: str | None = None
    new_event: str | None = None
    session: str | None = None
    speakers: tuple[str, ...] = ()
    title: str | None = None
    date: str | None = None
    captions: Path | None = None
    by: str | None = None


@dataclass
class AddResult:
    event_id: int
    event_title: str
    event_created: bool
    session_id: int | None
    session_title: str | None
    session_created: bool
    material_id: int
    kind: str
    label: str
    url: str
    status: str  # added | updated | unchanged
    sha256: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    indexed_docs: int = 0  # filled in by konfarkiv.app
    index_error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Prepared:
    """The work done before any catalog write."""

    kind: str  # pdf | film
    url: str
    label: str
    pdf: pdf_job.PdfWork | None = None
    film: film_job.FilmWork | None = None
    media: MediaInfo | None = None
    media_file: StoredFile | None = None
    media_type: str | None = None
    info_file: StoredFile | None = None
    captions_file: StoredFile | None = None
    captions_type: str = "text/vtt"
    cues: tuple[Cue, ...] = ()
    lang: str | None = None
    caption_problem: str | None = None  # bad cues dropped, kept with the film as its error
    warnings: list[str] = field(default_factory=list)


def _local_path(source: str) -> Path | None:
    if source.startswith("file://"):
        return Path(unquote(urlparse(source).path))
    if source.startswith(("http://", "https://")):
        return None
    return Path(source).expanduser()


def _draft(url: str, kind: str) -> MaterialRef:
    """A material not yet in the catalog, for the job that reads the file first."""
    return MaterialRef(id=0, event_id=0, session_id=None, position=0, kind=MaterialKind(kind),
                       label="", url=url, status=MaterialStatus.PENDING)


def _prepare(archive: Archive, req: AddRequest) -> _Prepared:
    ctx = JobContext(archive.store, Fetcher(archive.store), workers=1)
    path = _local_path(req.source)
    if path is None:  # a film URL: yt-dlp, as for films linked from a page
        if req.captions is not None:
            raise ArchivistError("--captions is for local video and audio files",
                                 "a film URL's captions come from its host")
        w = film_job.work(_draft(req.source, "film"), ctx)
        if w.film is None:
            raise ArchivistError(f"{req.source}: {w.result.error}",
                                 "check the URL in a browser; konfarkiv reads films with yt-dlp")
        label = req.title or w.film.title or req.source
        return _Prepared("film", req.source, label, film=w,
                         warnings=[w.result.error] if w.result.error else [])
    if not path.is_file():
        raise ArchivistError(f"{path}: no such file", "give the path of a PDF, video or audio "
                             "file, or an http(s) URL of a film")
    path = path.resolve()
    url = path.as_uri()
    try:
        with open(path, "rb") as fh:
            head = fh.read(1024)
    except OSError as exc:
        raise ArchivistError(f"{path}: cannot read it: {exc.strerror or exc}") from exc
    if pdf_job.looks_like_pdf(head):
        if req.captions is not None:
            raise ArchivistError("--captions is for video and audio files, not PDFs")
        pw = pdf_job.work(_draft(url, "pdf"), ctx)
        if pw.result.failed:
            raise ArchivistError(f"{path}: {pw.result.error}",
                                 "open it in a PDF reader; a damaged file cannot be added")
        warnings = _ocr_warnings(path.name, pw)
        if pw.extraction and pw.extraction.outcome == "partial":
            warnings.append(f"{path.name}: only part of the text: {pw.extraction.error}")
        return _Prepared("pdf", url, req.title or path.stem, pdf=pw, warnings=warnings)
    if path.suffix.lower() in {".html", ".htm"}:  # a saved film page with <video>/<track>
        w = film_job.work(_draft(url, "film"), ctx)
        if w.film is None:
            raise ArchivistError(f"{path}: {w.result.error}",
                                 "a saved film page needs a <video> or <audio> element")
        return _Prepared("film", url, req.title or w.film.title or path.stem, film=w,
                         warnings=[w.result.error] if w.result.error else [])
    media = probe_media(path)
    if media is None:
        raise ArchivistError(f"{path}: not a PDF, video or audio file",
                             f"konfarkiv adds PDFs, film URLs and recordings ({READABLE})")
    return _prepare_media(archive, req, path, url, media)


def _ocr_warnings(name: str, w: pdf_job.PdfWork) -> list[str]:
    """What an added PDF without a text layer got: OCR'd pages, or pages still waiting."""
    d = w.result.detail
    read, waiting = d.get("ocr_read", 0), d.get("ocr_waiting", 0)
    out = [f"{name}: no text layer on {read} page(s); read by OCR"] if read else []
    if waiting:
        out.append(f"{name}: {waiting} page(s) without a text layer wait for OCR; {ENABLE_HINT}")
    if d.get("ocr_failed"):
        out.append(f"{name}: OCR failed on {d['ocr_failed']} page(s) (`konfarkiv show` says why)")
    if not out and w.extraction and w.extraction.outcome == "no_text":
        out.append(f"{name}: no text layer and nothing on its pages to read; stored")
    return out


def _prepare_media(archive: Archive, req: AddRequest, path: Path, url: str,
                   media: MediaInfo) -> _Prepared:
    prep = _Prepared("film", url, req.title or media.title or path.stem, media=media,
                     media_type=MEDIA_TYPES.get(path.suffix.lower())
                     or mimetypes.guess_type(path.name)[0] or "application/octet-stream")
    captions = req.captions or sidecar_captions(path)
    if captions is not None:
        try:
            data = Path(captions).read_bytes()
            read = read_captions(data, Path(captions).suffix.lower())
            prep.cues = tuple(read.cues)
        except (OSError, CaptionError) as exc:
            if req.captions is not None:
                raise ArchivistError(f"{captions}: cannot read the captions: {exc}",
                                     "give a WebVTT (.vtt) or SRT (.srt) file") from exc
            prep.warnings.append(f"{captions}: captions skipped: {exc}")
        else:
            prep.captions_file = archive.store.put_bytes(data)  # as given: reindex re-reads it
            prep.captions_type = caption_type(data)
            prep.lang = caption_lang(Path(captions), path)
            if read.problem():  # as ingest does: the film is kept with its good cues
                prep.caption_problem = f"captions {captions}: {read.problem()}"
                prep.warnings.append(prep.caption_problem)
    prep.media_file = archive.store.put_file(path)
    info = {"source": url, "captions": Path(captions).resolve().as_uri() if captions else None,
            "media": media.probe}
    prep.info_file = archive.store.put_bytes(
        json.dumps(info, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    return prep


def _create_event(catalog: Catalog, title: str, date: str | None, by: str) -> int:
    key = f"manual:{uuid.uuid4()}"
    event_id = catalog.add_manual_event(key, title, date, {"origin": "manual", "by": by})
    log_edit(catalog, "event", event_id, "add", None, None, {"title": title, "date": date}, by)
    return event_id


def _find_or_create_session(catalog: Catalog, event_id: int, title: str,
                            by: str) -> tuple[int, str, bool]:
    text = " ".join(title.split())
    ref = Ref.read(text, default=None)
    if ref is not None and ref.kind is ItemKind.SESSION:
        row = catalog.session_of_event(ref.id, event_id)
        if row is None:
            raise ArchivistError(f"{text} is not a session of event {event_id}",
                                 f"`konfarkiv show event:{event_id}` lists its sessions")
        return int(row.id), row.title, False
    # Python's casefold, not SQLite's lower(): that one leaves Å, Ä and Ö alone.
    for row in catalog.event_sessions(event_id):
        if " ".join(row.title.split()).casefold() == text.casefold():
            return int(row.id), row.title, False
    sid = catalog.add_manual_session(event_id, text, {"origin": "manual", "by": by})
    log_edit(catalog, "session", sid, "add", None, None, {"title": text}, by)
    return sid, text, True


def _upsert_material(catalog: Catalog, event_id: int, session_id: int | None,
                     prep: _Prepared) -> tuple[MaterialRef, bool]:
    row = catalog.material_by_url(event_id, prep.url)
    if row is None:
        catalog.add_manual_material(event_id, session_id, prep.kind, prep.label, prep.url)
        created = True
    else:
        catalog.adopt_material(row.id, session_id, prep.label)
        created = False
    row = catalog.material_by_url(event_id, prep.url)
    assert row is not None
    return row, created


def _record(catalog: Catalog, ref: MaterialRef, prep: _Prepared) -> bool:
    """Write the prepared work; False when the same file was already there."""
    if prep.pdf is not None:
        stored = prep.pdf.fetched.stored if prep.pdf.fetched else None
        if stored and stored.sha256 == ref.sha256 and ref.status in {"ok", "no_text"}:
            return False
        pdf_job.record(catalog, ref, prep.pdf)
    elif prep.film is not None:
        film_job.record(catalog, ref, prep.film)
        return True
    else:
        assert prep.media is not None and prep.media_file is not None
        media, f = prep.media, prep.media_file
        catalog.record_blob(f.sha256, f.size, prep.media_type)
        for extra, ctype in ((prep.info_file, "application/json"),
                             (prep.captions_file, prep.captions_type)):
            if extra is not None:
                catalog.record_blob(extra.sha256, extra.size, ctype)
        catalog.material_fetched(ref.id, sha256=f.sha256, size=f.size,
                                 content_type=prep.media_type, etag=None, last_modified=None,
                                 status="ok", kind="film")
        catalog.save_film(
            ref.id, title=media.title or prep.label, description=chapters_text(media.chapters),
            duration=media.duration, webpage_url=prep.url, extractor="konfarkiv-local",
            tool=media.tool, info_sha256=prep.info_file.sha256 if prep.info_file else None,
            captions_sha256=prep.captions_file.sha256 if prep.captions_file else None,
            caption_lang=prep.lang, cues=prep.cues,
            caption_reader=CAPTION_READER if prep.captions_file else None)
        catalog.material_note_error(ref.id, prep.caption_problem)
    return True


def _detail(prep: _Prepared) -> dict[str, Any]:
    if prep.pdf is not None:
        return dict(prep.pdf.result.detail)
    if prep.film is not None:
        return dict(prep.film.result.detail)
    assert prep.media is not None
    return {"duration": prep.media.duration, "chapters": len(prep.media.chapters),
            "cues": len(prep.cues), "caption_lang": prep.lang,
            "bytes": prep.media_file.size if prep.media_file else None}


def add_material(archive: Archive, req: AddRequest) -> AddResult:
    """Add one file or film URL to an event (and session); re-index the event."""
    if bool(req.event) == bool(req.new_event):
        raise ArchivistError("name the event with --event, or create one with --new-event",
                             "--event takes an event id or page URL (one of the two)")
    if req.date and not req.new_event:
        raise ArchivistError("--date is the date of a new event (with --new-event)",
                             "correct an event's date with `konfarkiv edit event ID --date`")
    if req.date:
        check_date(req.date)
    by = who(req.by)
    speakers = [parse_speaker(s) for s in req.speakers]
    if speakers and not req.session:
        raise ArchivistError("--speaker needs --session: speakers belong to a session")
    cat = archive.catalog
    event_ref = find_event(cat, req.event) if req.event else None
    prep = _prepare(archive, req)
    with cat.transaction():
        if event_ref is None:
            assert req.new_event
            event_id = _create_event(cat, " ".join(req.new_event.split()), req.date, by)
        else:
            event_id = event_ref.id
        session_id = session_title = None
        session_created = False
        if req.session:
            session_id, session_title, session_created = _find_or_create_session(
                cat, event_id, req.session, by)
            if speakers:
                have = current_speakers(cat, session_id)
                names = {(s["name"] or "").casefold() for s in have}
                set_speakers(cat, session_id, have + [
                    s for s in speakers if (s["name"] or "").casefold() not in names], by)
        ref, created = _upsert_material(cat, event_id, session_id, prep)
        changed = _record(cat, ref, prep)
        row = cat.material(ref.id)
        log_edit(cat, "material", ref.id, "add", None, None,
                 {"source": req.source, "session_id": session_id, "label": prep.label}, by)
        event = cat.event(event_id)
        assert row is not None and event is not None  # written in this transaction
        event_title = event.title
    result = AddResult(
        event_id=event_id, event_title=event_title, event_created=event_ref is None,
        session_id=session_id, session_title=session_title, session_created=session_created,
        material_id=ref.id, kind=row.kind, label=row.label, url=row.url,
        status="added" if created else "updated" if changed else "unchanged",
        sha256=row.sha256, detail=_detail(prep), warnings=prep.warnings)
    return result
