"""Where an archive lives on disk, and the layout inside it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

HOME_ENV = "KONFARKIV_HOME"


def resolve_home(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--home, else $KONFARKIV_HOME, else the platform's user data dir."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env).expanduser().resolve()
    import platformdirs  # only here: a command given --home never loads it

    return Path(platformdirs.user_data_dir("konfarkiv", appauthor=False))


def archive_exists(home: Path) -> bool:
    """Whether home holds an archive (a catalog, or stored files whose catalog is lost)."""
    layout = ArchiveLayout(home)
    return layout.catalog.exists() or layout.files.is_dir()


#: The catalog's file name in an archive's folder (spelled here only).
CATALOG_FILE = "catalog.sqlite"


@dataclass(frozen=True)
class ArchiveLayout:
    """The folders and files of one archive (created on first use)."""

    root: Path

    @property
    def catalog(self) -> Path:
        return self.root / CATALOG_FILE

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

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    def holds(self, path: Path) -> bool:
        """Whether writing to path would write into this archive (symlinks and hard links
        followed): an export aimed there would destroy the catalog or a stored file."""
        target = Path(path).expanduser().resolve()
        root = self.root.resolve()
        if target == root or root in target.parents:
            return True
        try:
            return any(target.exists() and p.exists() and os.path.samefile(target, p)
                       for p in (self.catalog, *self.root.glob(f"{CATALOG_FILE}-*")))
        except OSError:
            return False

    def create(self) -> ArchiveLayout:
        for d in (self.root, self.files, self.tmp):
            d.mkdir(parents=True, exist_ok=True)
        return self
