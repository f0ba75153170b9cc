"""Index build alone: documents per second, CPU, index size, terms and postings.

`konfarkiv reindex` over an archive whose catalog is filled (e.g. one that
`benchmarks/cold_search.py` left in its --work folder, or made here with --size),
run in a fresh process so neither run profits from the other's caches; with
``--compare OLD/src`` an older version's rebuild runs too, on a copy of the same
catalog, so before and after come from one run on one machine load. Figures: wall
seconds, CPU seconds (the process and its worker processes), documents per wall
second and per CPU second, the index folder's MB (segments and the lexicon files
beside them), and the segments' term and posting counts.

Usage: ``python benchmarks/index_build.py --home ARCHIVE [--compare OLD/src]``
or ``python benchmarks/index_build.py --size 10k --work /tmp/build``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402

SIZES = {"1k": corpus.Size("1k", events=5, pdfs=20, pages=10, films=1, cues=60),
         **corpus.SIZES}

#: Run in the child: rebuild, then count (its own figures, as JSON on the last line).
CHILD = """
import json, os, sys, time
from pathlib import Path
from konfarkiv.archive.archive import Archive
from konfarkiv.search.index import rebuild
from konfarkiv.search.index_files import open_dir
home = Path(sys.argv[1])
with Archive.open(home) as archive:
    before = os.times()
    started = time.perf_counter()
    docs = rebuild(archive.layout.index, archive.catalog)
    wall = time.perf_counter() - started
    after = os.times()
cpu = sum(getattr(after, k) - getattr(before, k)
          for k in ("user", "system", "children_user", "children_system"))
index = home / "index"
size = sum(p.stat().st_size for p in index.rglob("*") if p.is_file())
segments = sum(p.stat().st_size for p in index.glob("*.seg"))
ix = open_dir(index)
reader = ix.reader()
terms = postings = 0
for fieldname, text in reader.all_terms():
    terms += 1
    postings += reader.doc_frequency(fieldname, text)
print(json.dumps({"docs": docs, "wall": wall, "cpu": cpu, "mb": size / 1e6,
                  "segment_mb": segments / 1e6, "segments": len(ix._segments()),
                  "terms": terms, "postings": postings}))
"""


def build(home: Path, src: Path | None) -> dict[str, float]:
    env = None
    if src is not None:
        import os

        env = {**os.environ, "PYTHONPATH": str(src)}
    out = subprocess.run([sys.executable, "-c", CHILD, str(home)], capture_output=True,
                         text=True, env=env)
    if out.returncode:
        raise SystemExit(f"rebuild failed in {home}: {out.stderr.strip()[-500:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def catalog_copy(home: Path, to: Path) -> Path:
    """A second archive holding only a copy of home's catalog (the index is rebuilt)."""
    shutil.rmtree(to, ignore_errors=True)
    to.mkdir(parents=True)
    import sqlite3

    src = sqlite3.connect(home / "catalog.sqlite")
    dst = sqlite3.connect(to / "catalog.sqlite")
    src.backup(dst)  # a consistent copy, WAL included
    dst.close()
    src.close()
    return to


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, help="an archive with a filled catalog")
    parser.add_argument("--size", choices=sorted(SIZES), help="make the archive (in --work)")
    parser.add_argument("--work", type=Path, default=Path("benchmarks/out/build"))
    parser.add_argument("--compare", type=Path, default=None, metavar="SRC",
                        help="also rebuild with another version's src folder")
    args = parser.parse_args()
    home = args.home
    if home is None:
        if not args.size:
            parser.error("give --home or --size")
        home = args.work / f"build-{args.size}"
        if not (home / "catalog.sqlite").is_file():
            from konfarkiv.archive.archive import Archive

            with Archive.open(home) as archive:
                corpus.catalog_corpus(archive.catalog, SIZES[args.size])
    runs: list[tuple[str, dict[str, float]]] = []
    if args.compare:
        other = catalog_copy(home, home.with_name(home.name + "-compare"))
        runs.append((args.compare.parent.name or str(args.compare), build(other, args.compare)))
    runs.append(("this version", build(home, None)))
    print(f"index build of {home}")
    print(f"{'version':<14} {'docs':>7} {'wall s':>7} {'CPU s':>7} {'docs/s':>7} "
          f"{'docs/CPU s':>10} {'index MB':>9} {'segs MB':>8} {'segs':>4} {'terms':>8} "
          f"{'postings':>9}")
    for name, f in runs:
        print(f"{name[:14]:<14} {f['docs']:>7} {f['wall']:>7.1f} {f['cpu']:>7.1f} "
              f"{f['docs'] / f['wall']:>7.0f} {f['docs'] / f['cpu']:>10.0f} {f['mb']:>9.1f} "
              f"{f['segment_mb']:>8.1f} {f['segments']:>4} {f['terms']:>8} {f['postings']:>9}")


if __name__ == "__main__":
    main()
