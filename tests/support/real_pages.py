"""An archive of the development corpus's real pages (../shared/pages), ingested from the
corpus's own server (serve.py) on 127.0.0.1, as `konfarkiv ingest` does for a reader."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from support.web import REPO, ingest

PAGES_ENV = "KONFARKIV_PAGES"


def corpus_folder() -> Path | None:
    """The corpus (serve.py, pages/): $KONFARKIV_PAGES, else ../shared/pages beside the repo."""
    folder = Path(os.environ.get(PAGES_ENV) or REPO.parent / "shared" / "pages")
    ok = (folder / "serve.py").is_file() and (folder / "pages").is_dir()
    return folder if ok else None


@contextmanager
def corpus_server(folder: Path) -> Iterator[str]:
    """serve.py on a free port of 127.0.0.1; its base URL."""
    proc = subprocess.Popen([sys.executable, str(folder / "serve.py"), "--port", "0",
                             "--host", "127.0.0.1"], stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline().strip() if proc.stdout else ""
        assert line.isdigit(), f"serve.py printed {line!r}"
        yield f"http://127.0.0.1:{line}"
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()


def real_pages_archive(root: Path) -> Path:
    """Every page of the corpus ingested into root/arkiv (a skip without the corpus)."""
    folder = corpus_folder()
    if folder is None:
        pytest.skip(f"no development corpus (set {PAGES_ENV} to ../shared/pages)")
    home = root / "arkiv"
    with corpus_server(folder) as base:
        urls = [f"{base}/pages/{p.name}" for p in sorted((folder / "pages").glob("*.html"))]
        done = ingest(home, *urls)
    assert done.returncode in (0, 3), done.stderr[-2000:]
    return home
