"""A BagIt bag of events for handing the archive over (made with the bagit library).

Layout under data/ is for people, not for konfarkiv: one folder per event, one per
session inside it, files named after their labels in safe ASCII names (å → a,
spaces → -), older versions and page snapshots beside them. data/catalog.json
describes every event, session and material and lists every payload file with its
bag path and sha256, so the bag stands on its own. The manifest bagit writes is
checked against the store's sha256s: a damaged stored file stops the export.
"""

from __future__ import annotations

import json
import mimetypes
import re
import shutil
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlparse

import bagit

from konfarkiv import __version__
from konfarkiv.archive.archive import Archive
from konfarkiv.archive.catalog import now_iso
from konfarkiv.archive.errors import ArchivistError
from konfarkiv.curate.export import event_ids, records, refuse_target_inside

CATALOG_NAME = "catalog.json"
SOURCE_ORGANIZATION = "Sveriges Kommuner och Regioner (SKR)"
MAX_NAME = 60
Progress = Callable[[int, int], None]


@dataclass
class BagResult:
    path: str
    events: int
    files: int
    bytes: int

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def safe_name(text: str, fallback: str = "namnlos") -> str:
    """An ASCII name every file system and zip tool accepts: "Hållbar stad" -> hallbar-stad."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:MAX_NAME].rstrip("-") or fallback


class _Names:
    """Unique names per folder: a second "presentation.pdf" becomes "presentation-2.pdf"."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def unique(self, folder: str, stem: str, suffix: str = "") -> str:
        n = 1
        while True:
            name = f"{folder}/{stem}{'' if n == 1 else f'-{n}'}{suffix}".lstrip("/")
            if name.lower() not in self.taken:
                self.taken.add(name.lower())
                return name
            n += 1


def _suffix(url: str, content_type: str | None, kind: str) -> str:
    if kind == "pdf" or content_type == "application/pdf":
        return ".pdf"
    path_suffix = PurePosixPath(unquote(urlparse(url).path)).suffix.lower()
    if re.fullmatch(r"\.[a-z0-9]{1,5}", path_suffix) and path_suffix not in {".html", ".htm"}:
        return path_suffix
    guessed = mimetypes.guess_extension(content_type or "") if content_type else None
    return guessed or ".bin"


def _plan(archive: Archive, ids: Sequence[int], include_removed: bool
          ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The catalog records, and the files: bag path, sha256, size and what each one is."""
    names = _Names()
    files: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    event_dir = ""
    session_dirs: dict[int, str] = {}
    current: dict[str, Any] = {}

    def add_file(folder: str, stem: str, suffix: str, sha: str | None, role: str,
                 **where: Any) -> str | None:
        if not sha:
            return None
        blob = archive.catalog.blob(sha)
        path = "data/" + names.unique(folder, stem, suffix)
        files.append({"path": path, "sha256": sha, "size": blob.size if blob else None,
                      "role": role, **where})
        return path

    for rec in records(archive.catalog, archive.store, ids, include_removed):
        if rec["type"] == "event":
            stem = f"{rec['date'] or 'odaterat'}-{safe_name(rec['title'])}"
            event_dir = names.unique("", stem)
            session_dirs = {}
            current = {**rec, "sessions": [], "materials": [], "path": f"data/{event_dir}"}
            events.append(current)
            for v in rec["page_versions"]:
                stamp = re.sub(r"[^0-9T]", "", v["fetched_at"])[:15]
                v["path"] = add_file(f"{event_dir}/sidan", f"sidan-{stamp}", ".html",
                                     v["page_sha256"], "page", event_id=rec["id"])
        elif rec["type"] == "session":
            folder = names.unique(event_dir, f"{rec['position'] + 1:02d}-"
                                             f"{safe_name(rec['title'])}")
            session_dirs[rec["id"]] = folder
            current["sessions"].append({**rec, "materials": [], "path": f"data/{folder}"})
        else:
            folder = session_dirs.get(rec["session_id"], event_dir)
            stem = safe_name(rec["label"], f"material-{rec['id']}")
            where = {"event_id": rec["event_id"], "session_id": rec["session_id"],
                     "material_id": rec["id"]}
            f = rec.get("file")
            if f:
                f["bag_path"] = add_file(folder, stem, _suffix(rec["url"], f["content_type"],
                                                                rec["kind"]),
                                         f["sha256"], rec["kind"], **where)
            for v in rec.get("versions", []):
                if v["file"] and not (f and v["file"]["sha256"] == f["sha256"]):
                    stamp = re.sub(r"[^0-9]", "", v["fetched_at"])[:8]
                    v["file"]["bag_path"] = add_file(folder, f"{stem}.version-{stamp}", ".pdf",
                                                     v["file"]["sha256"], "older version",
                                                     **where)
                elif v["file"] and f:
                    v["file"]["bag_path"] = f["bag_path"]
            film = rec.get("film")
            if film:
                if film["metadata_file"] and not (f and f["sha256"] ==
                                                  film["metadata_file"]["sha256"]):
                    film["metadata_file"]["bag_path"] = add_file(
                        folder, stem, ".info.json", film["metadata_file"]["sha256"],
                        "film metadata", **where)
                elif film["metadata_file"] and f:
                    film["metadata_file"]["bag_path"] = f["bag_path"]
                if film["captions_file"]:
                    sha = film["captions_file"]["sha256"]
                    head = archive.store.path_for(sha).read_bytes()[:16] \
                        if archive.store.has(sha) else b""
                    ext = ".vtt" if head.lstrip(b"\xef\xbb\xbf").startswith(b"WEBVTT") else ".srt"
                    lang = f".{film['caption_lang']}" if film["caption_lang"] else ""
                    film["captions_file"]["bag_path"] = add_file(
                        folder, stem, f"{lang}{ext}", sha, "captions", **where)
            owner = next((s for s in current["sessions"] if s["id"] == rec["session_id"]),
                         current)
            owner["materials"].append(rec)
    return events, files


def _bag_info(events: list[dict[str, Any]], files: list[dict[str, Any]]) -> dict[str, Any]:
    dates = sorted(e["date"] for e in events if e["date"])
    fetched = sorted(e["fetched_at"] for e in events if e["fetched_at"])
    info: dict[str, Any] = {
        "Source-Organization": SOURCE_ORGANIZATION,
        "External-Description": f"konfarkiv export of {len(events)} conference events with "
                                f"their slides, films and captions: "
                                + "; ".join(e["title"] for e in events)[:900],
        "Bag-Software-Agent": f"konfarkiv {__version__} with bagit.py {bagit.VERSION}",
        "Bag-Count": "1 of 1",
        "Konfarkiv-Events": str(len(events)),
        "Konfarkiv-Catalog": f"data/{CATALOG_NAME}",
    }
    urls = [e["url"] for e in events if not str(e["url"]).startswith("manual:")]
    if urls:
        info["Source-URL"] = urls
    if dates:
        info["Event-Dates"] = f"{dates[0]} / {dates[-1]}"
    if fetched:
        info["Harvest-Dates"] = f"{fetched[0]} / {fetched[-1]}"
    return info


def export_bag(archive: Archive, target: Path, events: Sequence[str] = (), *,
               include_removed: bool = False, progress: Progress | None = None) -> BagResult:
    """Write a BagIt bag of the named events (all by default) to target (new or empty)."""
    refuse_target_inside(archive, target)
    target = target.expanduser().resolve()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ArchivistError(f"{target} exists and is not an empty folder",
                             "give a new folder name; a bag is never written over other files")
    ids = event_ids(archive.catalog, events)
    if not ids:
        raise ArchivistError("the archive has no events to export", "ingest or add some first")
    plan_events, files = _plan(archive, ids, include_removed)
    missing = [f for f in files if not archive.store.has(f["sha256"])]
    if missing:
        raise ArchivistError(f"{len(missing)} files are missing from the store, e.g. "
                             f"{missing[0]['sha256']} for {missing[0]['path']}",
                             "run `konfarkiv verify` and restore the store from a backup")
    target.mkdir(parents=True, exist_ok=True)
    try:
        for n, f in enumerate(files, 1):
            dest = target / f["path"].removeprefix("data/")
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(archive.store.path_for(f["sha256"]), dest)
            if progress:
                progress(n, len(files))
        catalog = {"format": "konfarkiv-bag-catalog/1", "konfarkiv": __version__,
                   "exported_at": now_iso(), "archive": str(archive.layout.root),
                   "files": files, "events": plan_events}
        (target / CATALOG_NAME).write_text(
            json.dumps(catalog, ensure_ascii=False, indent=2, default=str), "utf-8")
        bag = bagit.make_bag(str(target), _bag_info(plan_events, files),
                             checksums=["sha256", "sha512"])
    except (OSError, bagit.BagError) as exc:
        raise ArchivistError(f"{target}: cannot write the bag: {exc}",
                             "check free space and permissions, then export to a new folder"
                             ) from exc
    damaged = [f["path"] for f in files
               if bag.entries.get(f["path"], {}).get("sha256") != f["sha256"]]
    if damaged:
        raise ArchivistError(f"{len(damaged)} stored files do not match their sha256, e.g. "
                             f"{damaged[0]}; the bag at {target} is not a faithful copy",
                             "run `konfarkiv verify`, restore the files, export again")
    return BagResult(str(target), len(plan_events), len(files),
                     sum(int(f["size"] or 0) for f in files))
