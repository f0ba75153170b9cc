"""One writer per archive: an exclusive lock that says who holds it.

The lock is an flock (filelock), so a killed holder's lock is released by the
kernel and the next run recovers it; a side file records pid and start time
for the message a second writer sees.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from konfarkiv.archive.catalog import now_iso


class ArchiveBusy(Exception):
    """Another konfarkiv process is writing to this archive."""


@dataclass(eq=False)
class WriterLock:
    path: Path
    wait: bool = False
    command: str = "ingest"
    scratch: Path | None = None  # temporary files only the holder writes (the store's tmp/)

    _held: ClassVar[list[WriterLock]] = []
    _held_lock: ClassVar[threading.Lock] = threading.Lock()

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
        try:
            self._info.write_text(json.dumps({"pid": os.getpid(), "since": now_iso(),
                                              "command": self.command}))
        except OSError:  # a full disk: no half-written owner file left behind, lock let go
            self._info.unlink(missing_ok=True)
            self._lock.release()
            raise
        with self._held_lock:
            self._held.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        with self._held_lock:
            if self in self._held:
                self._held.remove(self)
        self._info.unlink(missing_ok=True)
        self._lock.release()

    def clean_scratch(self) -> None:
        """Remove half-written temporary files: only the lock's holder writes them, so
        any found on taking the lock are a killed writer's, and on leaving, ours."""
        if self.scratch is not None:
            for p in self.scratch.glob("incoming-*"):
                p.unlink(missing_ok=True)

    @classmethod
    def abandon_all(cls) -> None:
        """The process is about to end at once (SIGTERM, Ctrl-C): leave no owner file and
        no temporary files behind; the kernel releases the flock itself. Quick, no waits."""
        for lock in list(cls._held):
            lock._info.unlink(missing_ok=True)
            lock.clean_scratch()
