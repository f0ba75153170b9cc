"""What `konfarkiv open material:ID[@PAGE|@SECONDS]` opens: the archived copy, at a place.

Stored files are named by their hash and have no extension, so no viewer knows what
they are. The archive's cache gets a link named <sha256>.<ext> to the stored file
(a copy where links are not allowed); the viewer is given that, with `#page=N` or
`#t=SECONDS`. A film whose video was never downloaded (a player page read by
yt-dlp) opens its page at the moment instead. Sessions and events open their page.
"""

from __future__ import annotations

import mimetypes
import os
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlparse

from konfarkiv.archive.archive import Archive
from konfarkiv.archive.errors import ArchivistError
from konfarkiv.archive.ref import HINT, ItemKind, Ref
from konfarkiv.search.links import moment_link, page_link

_SUFFIXES = {"application/pdf": ".pdf", "video/mp4": ".mp4", "audio/mp4": ".m4a",
             "audio/mpeg": ".mp3", "video/webm": ".webm", "audio/ogg": ".ogg",
             "video/x-matroska": ".mkv", "video/quicktime": ".mov"}


@dataclass(frozen=True)
class Target:
    """Where to go: a local file (path, plus url with the place) or a web address."""

    url: str
    path: Path | None = None

    def printable(self) -> str:
        """The path when the place is the whole file, else the URL that has the place."""
        if self.path is not None and "#" not in self.url:
            return str(self.path)
        return self.url


def locate(archive: Archive, text: str) -> Target:
    """The target of a reference (a plain number is an event); ArchivistError says why
    there is none."""
    ref = Ref.read(text)
    if ref is None:
        raise ArchivistError(f"{text.strip()!r} is not something to open", HINT)
    kind, ident, at = ref.kind, ref.id, ref.at
    catalog = archive.catalog
    if kind is not ItemKind.MATERIAL:
        row = catalog.event(ident) if kind is ItemKind.EVENT else catalog.session_with_page(ident)
        if row is None:
            raise ArchivistError(f"no {kind} {ident}", "`konfarkiv events` lists them")
        return _page(row["url"])
    m = catalog.material(ident)
    if m is None:
        raise ArchivistError(f"no material {ident}", "`konfarkiv show EVENT` lists them")
    blob = catalog.blob(m["sha256"]) if m["sha256"] else None
    ctype = str((blob["content_type"] if blob else None) or m["content_type"] or "")
    ctype = ctype.split(";")[0].strip()
    if m["kind"] == "pdf":
        if not m["sha256"] or ctype != "application/pdf":
            raise ArchivistError(f"material {ident} has no archived PDF ({m['status']})",
                                 f"its address was {m['url']}")
        doc = next((d for d in catalog.document_versions(ident)
                    if d["sha256"] == m["sha256"]), None)
        pages = doc["pages"] if doc else 0
        if at is not None and not 1 <= at <= max(pages, 1):
            raise ArchivistError(f"material {ident} has {pages} pages, not {at}",
                                 f"give a page from 1 to {pages}")
        return _local(archive, m["sha256"], ".pdf",
                      f"page={at}" if at is not None else None)
    if m["kind"] == "film":
        if m["sha256"] and ctype.startswith(("video/", "audio/")):
            suffix = _SUFFIXES.get(ctype) or _suffix_of(m["url"]) or ".mp4"
            return _local(archive, m["sha256"], suffix, f"t={at}" if at is not None else None)
        film = catalog.film_of(ident)
        url = (film["webpage_url"] if film else None) or m["url"]
        return _page(moment_link(url, at) if at is not None else url)
    return _page(page_link(m["url"], int(at)) if at is not None else m["url"])


def _suffix_of(url: str) -> str | None:
    suffix = PurePosixPath(urlparse(url).path).suffix.lower()
    return suffix if suffix and mimetypes.guess_type("x" + suffix)[0] else None


def _page(url: str) -> Target:
    """A web address, or a saved page on disk (file: URL) as its path."""
    if url.startswith("file:"):
        return Target(url, Path(urlparse(url).path))
    return Target(url)


def _local(archive: Archive, sha256: str, suffix: str, fragment: str | None) -> Target:
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
    url = link.as_uri() + (f"#{fragment}" if fragment else "")
    return Target(url, link)
