"""Fixity audit: check the catalog itself, re-hash every stored file, and check the
catalog has a file for every row.

The catalog comes first (SQLite's integrity_check): it is what says what the files
are, so its damage is the worst there is and is reported before anything else.

A content-addressed store makes the check exact: a file's name is its sha256, so
any difference is damage. Files are streamed (FileStore.hash_file) so archives of
any size are checked in constant memory. Every problem names the file and the
catalog rows that use it, since that is what an archivist restores from backup.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from konfarkiv.archive.archive import Archive
from konfarkiv.archive.blobrefs import blob_references
from konfarkiv.archive.curation import blob_sizes
from konfarkiv.archive.health import integrity_problem

Progress = Callable[[int, int, int], None]  # files done, files in all, bytes done


@dataclass(frozen=True)
class Problem:
    sha256: str
    problem: str  # missing | changed | unreadable
    path: str
    detail: str
    uses: list[str]

    def line(self) -> str:
        used = "; ".join(self.uses) if self.uses else "no catalog row"
        return f"{self.problem}: {self.path} ({self.detail}) used by: {used}"


@dataclass
class VerifyReport:
    files_checked: int = 0
    bytes_checked: int = 0
    problems: list[Problem] = field(default_factory=list)
    unreferenced: list[str] = field(default_factory=list)  # stored, used by no row (harmless)
    catalog_problem: str | None = None  # the catalog itself is damaged

    @property
    def intact(self) -> bool:
        return not self.problems and self.catalog_problem is None

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "intact": self.intact}


def verify(archive: Archive, progress: Progress | None = None) -> VerifyReport:
    """Check the catalog, then re-hash every file the catalog knows or the store holds;
    report what is wrong."""
    cat, store = archive.catalog, archive.store
    report = VerifyReport()
    report.catalog_problem = integrity_problem(archive.layout.catalog)
    if report.catalog_problem:
        return report  # its rows cannot be trusted to name the files
    try:
        uses = blob_references(cat)
        sizes = blob_sizes(cat)
    except sqlite3.DatabaseError as exc:
        report.catalog_problem = str(exc)
        return report
    on_disk = set(store.iter_stored())
    wanted = sorted(set(uses) | set(sizes) | on_disk)
    for n, sha in enumerate(wanted, 1):
        path = store.path_for(sha)
        rows = uses.get(sha, [])
        if sha not in on_disk and not path.is_file():
            report.problems.append(Problem(sha, "missing", str(path),
                                           "the file is not in the store", rows))
        else:
            try:
                actual = store.hash_file(sha)
                size = path.stat().st_size
            except OSError as exc:
                report.problems.append(Problem(sha, "unreadable", str(path),
                                               exc.strerror or str(exc), rows))
            else:
                report.bytes_checked += size
                if actual != sha:
                    expected = sizes.get(sha)
                    detail = f"its content now hashes to {actual}"
                    if expected is not None and expected != size:
                        detail += f"; {size} bytes instead of {expected}"
                    report.problems.append(Problem(sha, "changed", str(path), detail, rows))
                elif not rows:
                    report.unreferenced.append(sha)
            report.files_checked += 1
        if progress:
            progress(n, len(wanted), report.bytes_checked)
    return report
