"""What `konfarkiv open material:ID[@PAGE|@SECONDS]` opens: the archived copy, at a place.

Desktop openers take a file or a web address, and drop or choke on `#page=N` and
`#t=SECONDS` (a file name with a fragment is no file). So a place inside an archived file
is opened through a small local page in the archive's cache that the browser opens: for
a PDF it goes on to the file at `#page=N` (browsers' PDF viewers honour it), for a film
it plays the file from the second with its captions. Stored files are named by hash,
without an extension, so the cache also gets a link <sha256>.<ext> to each.

Only two kinds of target ever reach the opener: files in the archive's cache, and http(s)
addresses. A page's file:, smb:, ssh: or data: link is refused (it was never fetched, and
an opener would run or show whatever it names).
"""

from __future__ import annotations

import base64
import html
import mimetypes
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlparse

from konfarkiv.archive.archive import Archive
from konfarkiv.archive.errors import ArchivistError
from konfarkiv.archive.model import PlayerFilm
from konfarkiv.archive.playback import check_place, embed_at, webvtt_text
from konfarkiv.archive.ref import HINT, Ref
from konfarkiv.archive.weburls import as_id
from konfarkiv.search.links import mmss, moment_link

_SUFFIXES = {"application/pdf": ".pdf", "video/mp4": ".mp4", "audio/mp4": ".m4a",
             "audio/mpeg": ".mp3", "video/webm": ".webm", "audio/ogg": ".ogg",
             "video/x-matroska": ".mkv", "video/quicktime": ".mov", "audio/wav": ".wav",
             "audio/x-wav": ".wav", "text/html": ".html"}


@dataclass(frozen=True)
class Target:
    """What the opener is given: a file in the archive's cache, or an http(s) address."""

    url: str
    path: Path | None = None

    def printable(self) -> str:
        """The file's path, or the web address."""
        return str(self.path) if self.path is not None else self.url


def locate(archive: Archive, text: str) -> Target:
    """The target of a reference (a plain number is an event); ArchivistError says why
    there is none."""
    ref = Ref.read(as_id(text))
    if ref is None:
        raise ArchivistError(f"{text.strip()!r} is not something to open",
                             HINT + "; the item's address on the archive's web page works too")
    kind, ident, at = str(ref.kind), ref.id, ref.at
    catalog = archive.catalog
    if kind != "material":
        session = catalog.session(ident) if kind == "session" else None
        row = catalog.event(int(session.event_id) if session else ident) if (
            kind == "event" or session) else None
        if row is None:
            raise ArchivistError(f"no {kind} {ident}", "`konfarkiv events` lists them")
        if not _is_web(row.url) and row.page_sha256:  # a saved page: its archived copy
            page = _cached(archive, row.page_sha256, ".html")
            return Target(page.as_uri(), page)
        return _web(row.url, f"{kind} {ident}")
    m = catalog.material(ident)
    if m is None:
        raise ArchivistError(f"no material {ident}", "`konfarkiv show EVENT` lists them")
    check_place(catalog, ident, at)
    blob = catalog.blob(m.sha256) if m.sha256 else None
    ctype = str((blob.content_type if blob else None) or m.content_type or "")
    ctype = ctype.split(";")[0].strip()
    if m.kind == "pdf":
        if not m.sha256 or ctype != "application/pdf":
            raise ArchivistError(f"material {ident} has no archived PDF ({m.status})",
                                 f"its address was {m.url}")
        pdf = _cached(archive, m.sha256, ".pdf")
        if at is None:
            return Target(pdf.as_uri(), pdf)
        return _local_page(archive, f"{m.sha256}-page{int(at)}", _pdf_page(
            str(m.label), pdf.name, int(at)))
    if m.kind == "film":
        film = catalog.player_film(ident)
        if film is not None:
            return _film(archive, film, int(at or 0), at is not None)
    url = m.url
    return _web(url, f"material {ident}")


def _film(archive: Archive, film: PlayerFilm, at: int, placed: bool) -> Target:
    """The archived file, else the media the host serves, else its player, else its page."""
    source = None
    if film.stored_sha256:
        suffix = (_SUFFIXES.get(str(film.stored_type or "").split(";")[0])
                  or _suffix_of(film.url) or ".mp4")
        media = _cached(archive, film.stored_sha256, suffix)
        if not placed:
            return Target(media.as_uri(), media)
        source = media.name
    elif film.playable.media_url:
        source = film.playable.media_url
    elif film.playable.embed_url:
        return _web(embed_at(film.playable.embed_url, at), f"material {film.material_id}")
    if source is None:
        page = film.webpage_url or film.url
        return _web(moment_link(page, at) if placed else page, f"material {film.material_id}")
    cues = archive.catalog.film_cues(film.film_id) if film.film_id is not None else []
    # The captions go inside the page: browsers treat every file: URL as an origin of its
    # own and refuse a <track> file beside the page (Chromium, Firefox), not a data: URL.
    track = data_url("text/vtt", webvtt_text(cues)) if cues else None
    return _local_page(archive, f"film-{film.material_id}-at{at}",
                       _film_page(film.label, source, at, track, film.caption_lang or "sv"))


def data_url(mimetype: str, text: str) -> str:
    """text as a data: URL (UTF-8, base64)."""
    return f"data:{mimetype};base64," + base64.b64encode(text.encode("utf-8")).decode("ascii")


def _pdf_page(label: str, pdf: str, page: int) -> str:
    target = html.escape(f"{pdf}#page={page}")
    return (f'<!doctype html><html lang="sv"><meta charset="utf-8">'
            f'<meta http-equiv="refresh" content="0; url={target}">'
            f"<title>{html.escape(label)}, sida {page}</title>"
            f'<p><a href="{target}">{html.escape(label)}, sida {page}</a></p></html>\n')


def _film_page(label: str, source: str, at: int, track: str | None, lang: str) -> str:
    src = html.escape(f"{source}#t={at}")
    captions = (f'<track kind="captions" src="{html.escape(track)}" '
                f'srclang="{html.escape(lang)}" '
                f'label="Textning" default>' if track else "")
    return (f'<!doctype html><html lang="sv"><meta charset="utf-8">'
            f"<title>{html.escape(label)} vid {mmss(at)}</title>"
            f"<h1>{html.escape(label)}</h1><p>Från {mmss(at)}</p>"
            f'<video controls autoplay src="{src}" style="max-width:100%">{captions}</video>'
            f"</html>\n")


def _suffix_of(url: str) -> str | None:
    suffix = PurePosixPath(urlparse(url).path).suffix.lower()
    return suffix if suffix and mimetypes.guess_type("x" + suffix)[0] else None


def _is_web(url: str) -> bool:
    return (urlparse(url).scheme.lower() if ":" in url else "") in ("http", "https")


def _web(url: str, what: str) -> Target:
    """An http(s) address; anything else a page linked is refused, never handed on."""
    if not _is_web(url):
        shown = url if len(url) <= 80 else url[:77] + "..."
        raise ArchivistError(
            f"{what} links to {shown!r}, which is not a web address; konfarkiv opens only "
            "http(s) addresses and archived copies",
            "`konfarkiv show` prints the record, with the address as the page gave it")
    return Target(url)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _local_page(archive: Archive, name: str, text: str) -> Target:
    page = archive.layout.root / "cache" / "open" / f"{name}.html"
    _write(page, text)
    return Target(page.as_uri(), page)


def _cached(archive: Archive, sha256: str, suffix: str) -> Path:
    """The stored file under a name with its extension, in the archive's cache."""
    stored = archive.store.path_for(sha256)
    if not stored.is_file():
        raise ArchivistError(f"the stored file {sha256[:12]}… is missing",
                             "`konfarkiv verify` checks every stored file")
    link = archive.layout.root / "cache" / "open" / f"{sha256}{suffix}"
    if not link.exists():
        link.parent.mkdir(parents=True, exist_ok=True)
        tmp = link.with_name(f".{link.name}.{os.getpid()}")
        try:
            tmp.symlink_to(stored)
        except OSError:  # no links here (some file systems): a copy does
            shutil.copyfile(stored, tmp)
        os.replace(tmp, link)
    return link


@contextmanager
def opener_output() -> Iterator[list[str]]:
    """Standard output and error (the file descriptors, which children inherit) into a
    temporary file while the desktop opener runs: xdg-open and the programs it tries print
    their own lines, which would precede konfarkiv's one line. The list gets those lines
    once the block ends."""
    lines: list[str] = []
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    with tempfile.TemporaryFile() as sink:
        saved = [os.dup(1), os.dup(2)]
        try:
            os.dup2(sink.fileno(), 1)
            os.dup2(sink.fileno(), 2)
            yield lines
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in saved:
                os.close(fd)
            sink.seek(0)
            text = sink.read(64 * 1024).decode("utf-8", errors="replace")
            lines.extend(line.strip() for line in text.splitlines() if line.strip())
