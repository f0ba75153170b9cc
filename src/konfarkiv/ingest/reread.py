"""Archived caption files read again by the current caption reader, without fetching.

The caption file of every film is kept as fetched; the cues in the catalog are
what a reader made of it. When the reader improves (CAPTION_READER goes up),
`reindex` calls this first, so old films get the new reading (rolling captions
cleaned, word times, voices) from their own archived file. A file whose checksum
no longer matches, or that the reader cannot read, keeps its old cues and is named.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from konfarkiv.archive.archive import Archive
from konfarkiv.ingest.captions import CAPTION_READER, CaptionError, read_captions


@dataclass(frozen=True)
class Reread:
    films: int = 0  # films whose cues were made anew
    problems: tuple[str, ...] = field(default_factory=tuple)  # one line per film kept as it was


def reread_captions(archive: Archive) -> Reread:
    """Re-read the archived caption files an older reader read (under the writer lock)."""
    catalog, store = archive.catalog, archive.store
    done, problems = 0, []
    for stored in catalog.films_read_before(CAPTION_READER):
        try:
            data = store.read_bytes(stored.sha256)
        except OSError as exc:
            problems.append(f"captions of {stored.url}: archived file unreadable "
                            f"({exc.strerror or exc}); cues kept")
            continue
        if hashlib.sha256(data).hexdigest() != stored.sha256:
            problems.append(f"captions of {stored.url}: archived file damaged (checksum "
                            "differs); cues kept, run `konfarkiv verify`")
            continue
        try:
            read = read_captions(data)
        except CaptionError as exc:
            problems.append(f"captions of {stored.url}: {exc}; cues kept")
            continue
        with catalog.transaction():
            catalog.replace_cues(stored.film_id, read.cues, CAPTION_READER)
        done += 1
    return Reread(done, tuple(problems))
