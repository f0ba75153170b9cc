"""Where an archive lives on disk, and the layout inside it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

HOME_ENV = "KONFARKIV_HOME"


def resolve_home(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--home, else $KONFARKIV_HOME, else the platform's user data dir."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env).expanduser().resolve()
    return Path(platformdirs.user_data_dir("konfarkiv", appauthor=False))


@dataclass(frozen=True)
class ArchiveLayout:
    """The folders and files of one archive (created on first use)."""

    root: Path

    @property
    def catalog(self) -> Path:
        return self.root / "catalog.sqlite"

    @property
    def files(self) -> Path:
        return self.root / "files"

    @property
    def tmp(self) -> Path:
        return self.root / "tmp"

    @property
    def index(self) -> Path:
        return self.root / "index"

    @property
    def lock(self) -> Path:
        return self.root / "writer.lock"

    def create(self) -> ArchiveLayout:
        for d in (self.root, self.files, self.tmp):
            d.mkdir(parents=True, exist_ok=True)
        return self
