"""One writer per archive: an exclusive lock that says who holds it.

The lock is an flock (filelock), so a killed holder's lock is released by the
kernel and the next run recovers it; a side file records pid and start time
for the message a second writer sees.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from konfarkiv.archive.catalog import now_iso


class ArchiveBusy(Exception):
    """Another konfarkiv process is writing to this archive."""


@dataclass
class WriterLock:
    path: Path
    wait: bool = False
    command: str = "ingest"

    def __post_init__(self) -> None:
        from filelock import FileLock  # imported when a lock is made: search starts faster

        self._lock = FileLock(str(self.path))
        self._info = self.path.with_suffix(".owner.json")

    def holder(self) -> str:
        try:
            info = json.loads(self._info.read_text())
            return f"{info.get('command', 'a writer')} (pid {info['pid']}, since {info['since']})"
        except (OSError, ValueError, KeyError):
            return "another konfarkiv process"

    def __enter__(self) -> WriterLock:
        from filelock import Timeout

        try:
            self._lock.acquire(timeout=-1 if self.wait else 0)
        except Timeout as exc:
            raise ArchiveBusy(
                f"the archive is being written by {self.holder()}; try again later or use --wait"
            ) from exc
        self._info.write_text(json.dumps({"pid": os.getpid(), "since": now_iso(),
                                          "command": self.command}))
        return self

    def __exit__(self, *exc: object) -> None:
        self._info.unlink(missing_ok=True)
        self._lock.release()
