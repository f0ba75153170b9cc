"""Cold `konfarkiv search`: one fresh process per search, beside reference processes.

What a person waits for when typing `konfarkiv --home H search WORD` once: the
interpreter, the imports, opening the catalog and the index, the query and the
printed page. Each size's archive is made with the generator (benchmarks/corpus.py)
and indexed with the library's `rebuild` (kept in --work and reused when present).
The commands run interleaved (one of each, then again) so that a machine's changing
load falls on all of them alike; each figure is the median (and min) over --runs of
wall time and of CPU time (user + system of the child), CPU being the steadier one on
a busy machine. The references, in the same run:

- ``python -c pass``: the interpreter alone;
- ``import whoosh, click``: the engine and the CLI library a search cannot do without
  (whoosh.index, whoosh.searching, whoosh.query, click, sqlite3);
- ``whoosh search``: a bare Whoosh process opening this archive's index and ranking
  one word's documents (the engine's own cold floor, no konfarkiv code);
- ``sqlite3 query``: a process asking the catalog one indexed question.

konfarkiv's own modules run from their bytecode cache, as after any install (pip
compiles them; an editable install writes it on first use): the first run of each
command writes it even when PYTHONDONTWRITEBYTECODE is set, and is not counted.
``--modules`` also prints how many modules the cold search loads and which of the
heavy ones (requests, yt-dlp, pypdf, flask, ...) are among them.

Usage: ``python benchmarks/cold_search.py --size 1k 10k --work /tmp/cold``; with
``--compare OLD/src`` an older version's search runs beside it (same interpreter).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402

#: Archive sizes: 1k slides (5 events x 20 PDFs x 10 pages) and the 10k of corpus.SIZES.
SIZES = {"1k": corpus.Size("1k", events=5, pdfs=20, pages=10, films=1, cues=60),
         "10k": corpus.SIZES["10k"], "100k": corpus.SIZES["100k"]}
#: Modules a search has no use for: each one loaded is start-up paid for nothing.
HEAVY = ("requests", "urllib3", "yt_dlp", "pypdf", "flask", "werkzeug", "jinja2",
         "platformdirs", "filelock", "bagit", "PIL", "pypdfium2", "lxml", "bs4",
         "selectolax", "charset_normalizer", "email", "http.client", "ssl", "asyncio",
         "concurrent.futures", "zipfile", "bz2", "lzma", "importlib.resources")

WHOOSH_SEARCH = """
import sys
from whoosh.filedb.filestore import FileStorage
from whoosh.query import Term
ix = FileStorage(sys.argv[1], supports_mmap=False).open_index("konfarkiv")
with ix.searcher() as s:
    print(len(s.search(Term("ubody", sys.argv[2]), limit=10)))
"""
SQLITE_QUERY = """
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
like = "%" + sys.argv[2] + "%"
print(db.execute("SELECT count(*) FROM sessions WHERE title LIKE ?", (like,)).fetchone())
"""


def build(home: Path, size: corpus.Size) -> None:
    """Archive and index of this size in home (left for the next run)."""
    from konfarkiv.archive.archive import Archive
    from konfarkiv.search.index import rebuild

    if (home / "index").is_dir():
        return
    shutil.rmtree(home, ignore_errors=True)
    started = time.perf_counter()
    with Archive.open(home) as archive:
        corpus.catalog_corpus(archive.catalog, size)
        docs = rebuild(archive.layout.index, archive.catalog)
    print(f"built {home}: {docs} documents in {time.perf_counter() - started:.0f} s",
          flush=True)


def konfarkiv_exe() -> str:
    here = Path(sys.executable).parent / "konfarkiv"
    return str(here) if here.exists() else (shutil.which("konfarkiv") or "konfarkiv")


def catalog_copy(home: Path, to: Path) -> Path:
    """An archive holding a copy of home's catalog (its first search builds its index)."""
    import sqlite3

    if not (to / "catalog.sqlite").is_file():
        to.mkdir(parents=True, exist_ok=True)
        src, dst = sqlite3.connect(home / "catalog.sqlite"), sqlite3.connect(to / "catalog.sqlite")
        src.backup(dst)
        dst.close()
        src.close()
    return to


def commands(home: Path, word: str, compare: Path | None = None) -> dict[str, list[str]]:
    py = sys.executable
    other = {}
    if compare:  # another version's src folder, run by the same interpreter, on a copy of
        # the catalog (its index may be of another schema: the warm-up run builds it)
        tag = compare.parent.name[:13]
        copy = catalog_copy(home, home.with_name(f"{home.name}-{tag}"))
        other = {f"search, {tag}": [
            py, "-c", f"import sys; sys.path.insert(0, {str(compare)!r}); "
            "from konfarkiv.cli import main; main()", "--home", str(copy), "search", word]}
    return {
        "konfarkiv search": [konfarkiv_exe(), "--home", str(home), "search", word],
        **other,
        "python -c pass": [py, "-c", "pass"],
        "import whoosh, click": [py, "-c", "import whoosh.index, whoosh.searching, "
                                 "whoosh.query, click, sqlite3"],
        "whoosh search": [py, "-c", WHOOSH_SEARCH, str(home / "index"), word],
        "sqlite3 query": [py, "-c", SQLITE_QUERY, str(home / "catalog.sqlite"), word],
    }


def timed(cmd: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one run of cmd, which must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(home: Path, word: str, runs: int,
            compare: Path | None = None) -> dict[str, dict[str, float]]:
    cmds = commands(home, word, compare)
    env_writes_pyc = dict(os.environ)
    env_writes_pyc.pop("PYTHONDONTWRITEBYTECODE", None)
    for cmd in cmds.values():  # warm the page cache and write konfarkiv's bytecode (and
        # let an index made by another version be rebuilt)
        subprocess.run(cmd, check=True, capture_output=True, env=env_writes_pyc)
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in cmds}
    for _ in range(runs):
        for name, cmd in cmds.items():
            samples[name].append(timed(cmd))
    out = {}
    for name, values in samples.items():
        walls, cpus = [w for w, _ in values], [c for _, c in values]
        out[name] = {"wall_median": statistics.median(walls), "wall_min": min(walls),
                     "cpu_median": statistics.median(cpus), "cpu_min": min(cpus)}
    return out


def loaded_modules(home: Path, word: str) -> tuple[int, list[str]]:
    """How many modules a cold search loads, and which of HEAVY."""
    code = ("import sys; from konfarkiv.cli import main; "
            f"sys.argv = ['konfarkiv', '--home', {str(home)!r}, 'search', {word!r}]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('\\nMODULES', ' '.join(sorted(sys.modules)), file=sys.stderr)")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    names = res.stderr.rsplit("MODULES", 1)[-1].split()
    heavy = [h for h in HEAVY if h in names]
    return len(names), heavy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", nargs="+", choices=sorted(SIZES), default=["1k", "10k"])
    parser.add_argument("--work", type=Path, default=Path("benchmarks/out/cold"),
                        help="where the archives are made and kept (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--word", default="miljö", help="the query (default: %(default)s)")
    parser.add_argument("--compare", type=Path, default=None, metavar="SRC",
                        help="also time another version: its src folder (e.g. an older "
                             "checkout's, `git archive REV src | tar -x -C DIR`)")
    parser.add_argument("--modules", action="store_true",
                        help="also list the heavy modules a cold search loads")
    args = parser.parse_args()
    print(f"cold processes, median (min) of {args.runs} runs; load average "
          f"{os.getloadavg()[0]:.2f} at start", flush=True)
    for name in args.size:
        home = args.work / f"cold-{name}"
        build(home, SIZES[name])
        figures = measure(home, args.word, args.runs, args.compare)
        print(f"\n{name} ({home}), query {args.word!r}:")
        print(f"  {'process':<22} {'wall s':>14} {'CPU s':>14}")
        for label, f in figures.items():
            print(f"  {label:<22} {f['wall_median']:6.3f} ({f['wall_min']:.3f}) "
                  f"{f['cpu_median']:6.3f} ({f['cpu_min']:.3f})")
        if args.modules:
            count, heavy = loaded_modules(home, args.word)
            print(f"  modules loaded by the search: {count}; heavy ones among them: "
                  f"{', '.join(heavy) or 'none'}")
    print(f"\nload average {os.getloadavg()[0]:.2f} at end")


if __name__ == "__main__":
    main()
