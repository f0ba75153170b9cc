"""What belongs to the archivist: material added by hand, and events read from saved pages.

A run never fetches these again. A hand-added file was given once, from a disk or a
mail, and has no address to ask; its archived copy is checked for fixity (re-hashed
against its name in the store) and nothing else. A saved page is re-read from its file
only when that file still exists and changed; a file that is gone or unchanged leaves
the event alone, with a note in the run's report, never a failure.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from urllib.parse import unquote, urlsplit

from konfarkiv.archive.archive import Archive
from konfarkiv.ingest.report import RunReport
from konfarkiv.ingest.result import JobResult

CHUNK = 1 << 20


def _stored_files(archive: Archive, row: sqlite3.Row) -> list[str]:
    """The sha256 of every file archived for a material: its own, and a film's captions
    and metadata."""
    shas = [row["sha256"]] if row["sha256"] else []
    film = archive.catalog.film_of(row["id"]) if row["kind"] == "film" else None
    if film is not None:
        shas += [s for s in (film.captions_sha256, film.info_sha256) if s]
    return shas


def fixity_problem(archive: Archive, row: sqlite3.Row) -> str | None:
    """None when every archived file of the material is there and hashes to its name."""
    for sha in _stored_files(archive, row):
        path = archive.store.path_for(sha)
        try:
            actual = archive.store.hash_file(sha)
        except FileNotFoundError:
            return f"its archived copy {path} is missing; restore it from a backup " \
                   "(`konfarkiv verify` lists every damaged file)"
        except OSError as exc:
            return f"its archived copy {path} cannot be read ({exc.strerror or exc})"
        if actual != sha:
            return f"its archived copy {path} has changed (it now hashes to {actual[:12]}…); " \
                   "restore it from a backup"
    return None


def check_hand_added(archive: Archive, report: RunReport) -> None:
    """Fixity of every material added by hand, grouped per event in the report."""
    event_id = None
    for row in archive.catalog.hand_added_materials():
        if row["event_id"] != event_id:
            event_id = row["event_id"]
            report.begin_source(f"event:{event_id}", "hand-added", title=row["event_title"])
        problem = fixity_problem(archive, row)
        if problem:
            report.add(JobResult(row["kind"], row["url"], "failed", "konfarkiv fixity", 0.0,
                                 f"added by hand: {problem}", True))
        else:
            if row["attempts"]:  # a fetch an older konfarkiv tried: its failure is void
                with archive.catalog.transaction():
                    archive.catalog.material_checked(row["id"])
            report.note(row["kind"], row["url"], "unchanged",
                        "added by hand: not fetched again; the archived copy is intact")
    report.begin_source(None)


def saved_page_path(url: str) -> Path | None:
    """The file of a saved-page source (a file: URL), else None."""
    if not url.startswith("file:"):
        return None
    return Path(unquote(urlsplit(url).path))


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def saved_page_left_alone(url: str, archived_sha256: str | None, report: RunReport) -> bool:
    """True when a saved page's event stays as archived: its file is gone, unreadable or
    unchanged (noted in the report); False when the file changed and is to be re-read."""
    path = saved_page_path(url)
    assert path is not None
    try:
        same = file_sha256(path) == archived_sha256
    except OSError as exc:
        why = "is gone" if isinstance(exc, FileNotFoundError) else \
            f"cannot be read ({exc.strerror or exc})"
        report.note("page", url, "skipped",
                    f"saved page: its file {path} {why}; the archived copy is kept")
        report.remark(f"saved page {path}: the file {why}; the event is kept as archived")
        return True
    if same:
        report.note("page", url, "unchanged", "saved page: its file is unchanged")
        return True
    return False
