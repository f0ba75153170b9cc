"""Content-addressed file store: every file kept once, under its sha256.

Files are written to a temporary name in the archive's tmp/ folder, flushed
and fsynced, then renamed into place, so no file is ever half-written under
its final name, whatever kills the process.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

CHUNK = 1 << 20


class SizeCapExceeded(Exception):
    """A stream was longer than the cap; nothing was stored."""


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    path: Path


class FileStore:
    def __init__(self, files_dir: Path, tmp_dir: Path) -> None:
        self.files_dir = files_dir
        self.tmp_dir = tmp_dir

    def path_for(self, sha256: str) -> Path:
        return self.files_dir / sha256[:2] / sha256[2:4] / sha256

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def put_bytes(self, data: bytes) -> StoredFile:
        return self.put_chunks([data])

    def put_file(self, source: Path) -> StoredFile:
        with open(source, "rb") as fh:
            return self.put_chunks(iter(lambda: fh.read(CHUNK), b""))

    def put_chunks(self, chunks: Iterable[bytes], *, max_bytes: int | None = None) -> StoredFile:
        """Stream chunks into the store; raise SizeCapExceeded past max_bytes."""
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(dir=self.tmp_dir, prefix="incoming-")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in chunks:
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise SizeCapExceeded(f"larger than the size cap of {max_bytes} bytes")
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            final = self.path_for(sha)
            if final.is_file():
                tmp.unlink()
            else:
                final.parent.mkdir(parents=True, exist_ok=True)
                os.replace(tmp, final)
                os.chmod(final, 0o444)
            return StoredFile(sha, size, final)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def read_bytes(self, sha256: str) -> bytes:
        return self.path_for(sha256).read_bytes()

    def hash_file(self, sha256: str) -> str:
        """Re-hash a stored file by streaming it (fixity)."""
        digest = hashlib.sha256()
        with open(self.path_for(sha256), "rb") as fh:
            for chunk in iter(lambda: fh.read(CHUNK), b""):
                digest.update(chunk)
        return digest.hexdigest()

    def iter_stored(self) -> Iterator[str]:
        for p in self.files_dir.glob("??/??/*"):
            if p.is_file():
                yield p.name

    def clean_tmp(self) -> int:
        """Remove leftovers of killed writers; they never had a final name."""
        n = 0
        for p in self.tmp_dir.glob("incoming-*"):
            p.unlink(missing_ok=True)
            n += 1
        return n
