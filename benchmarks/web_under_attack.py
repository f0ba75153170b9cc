"""How long `/` takes while `konfarkiv serve` is attacked (issue 26 items 1-3), on loopback.

Each attack is bounded in count and time. While it runs, `/` is asked every half second
(timeout 60 s) and its latencies are printed: median and worst. A quiet baseline first.

  attack 1: 150 idle sockets plus 520 slow-loris sockets dripping a header byte a second
  attack 2: 8 parallel thumbnail requests, again and again, of PDFs PDFium draws for long
  attack 3: 8 parallel searches, again and again, of 10 random 16-letter words, and of six
            ORed two-letter prefixes (`ko* OR ma* …`), on an archive of many distinct words

    python benchmarks/web_under_attack.py [--seconds 20] [--words 120000]
    PYTHONPATH=/path/to/other/src python benchmarks/web_under_attack.py   # another version

Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from support.pdfs import tiling_bomb  # noqa: E402


def build(root: Path, words: int) -> Path:
    """An archive: one page linking 8 tiling bombs, and pages of `words` distinct words."""
    rng = random.Random(26)
    folder = root / "sidor"
    folder.mkdir(parents=True)
    for i in range(8):
        tiling_bomb(folder / f"bomb{i}.pdf", 2_000_000 + i)
    links = "".join(f'<p><a href="bomb{i}.pdf">Presentation {i} (PDF)</a></p>' for i in range(8))
    pages = [page(folder / "bomber.html", "Bomber", links)]
    per_page = 10_000
    for n in range(max(1, words // per_page)):
        text = " ".join("".join(rng.choices(string.ascii_lowercase, k=rng.randint(6, 12)))
                        for _ in range(per_page))
        pages.append(page(folder / f"ord{n}.html", f"Ord {n}", f"<p>{text}</p>"))
    home = root / "home"
    done = subprocess.run([sys.executable, "-m", "konfarkiv.cli", "--home", str(home),
                           "ingest", *map(str, pages)], capture_output=True, text=True)
    if done.returncode not in (0, 3):
        raise SystemExit(done.stderr)
    return home


def page(path: Path, title: str, body: str) -> Path:
    path.write_text(
        '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">'
        f"<title>{title}</title></head><body><main><h1>Dokumentation: {title}</h1>"
        f"<p>Om vatten.</p><p><strong>Inledning</strong></p><p>Anna Andersson, SKR</p>"
        f"{body}</main></body></html>", encoding="utf-8")
    return path


def probe(url: str, stop: threading.Event, out: list[float]) -> None:
    while not stop.is_set():
        started = time.monotonic()
        try:
            requests.get(url, timeout=60)
            out.append(time.monotonic() - started)
        except requests.RequestException:
            out.append(60.0)
        stop.wait(0.5)


def during(url: str, seconds: float, attack: Callable[[threading.Event], None]) -> list[float]:
    stop = threading.Event()
    latencies: list[float] = []
    attacker = threading.Thread(target=attack, args=(stop,), daemon=True)
    attacker.start()
    time.sleep(1.0)  # the attack under way first
    prober = threading.Thread(target=probe, args=(url, stop, latencies), daemon=True)
    prober.start()
    time.sleep(seconds)
    stop.set()
    prober.join(70)
    attacker.join(70)
    return latencies


def slow_clients(url: str) -> Callable[[threading.Event], None]:
    parts = urlsplit(url)

    def attack(stop: threading.Event) -> None:
        socks = []
        for i in range(670):
            try:
                s = socket.create_connection((parts.hostname, parts.port), timeout=2)
                if i >= 150:
                    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
                socks.append(s)
            except OSError:
                pass
        while not stop.is_set():
            for s in socks[150:]:
                try:
                    s.send(b"X")
                except OSError:
                    pass
            stop.wait(1.0)
        for s in socks:
            s.close()

    return attack


def parallel(url: str, paths: Callable[[int], str]) -> Callable[[threading.Event], None]:
    def worker(n: int, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                requests.get(url + paths(n), timeout=120)
            except requests.RequestException:
                pass

    def attack(stop: threading.Event) -> None:
        workers = [threading.Thread(target=worker, args=(n, stop), daemon=True)
                   for n in range(8)]
        for w in workers:
            w.start()
        for w in workers:
            w.join(130)

    return attack


def costly_query(n: int) -> str:
    rng = random.Random()
    if n % 2:
        return "search?q=" + "+OR+".join(f"{p}*" for p in ("ko", "ma", "st", "pa", "re", "de"))
    return "search?q=" + "+".join("".join(rng.choices("bcdfghjklmnpqrstvwxz", k=16))
                                  for _ in range(10))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--words", type=int, default=120_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.monotonic()
        home = build(Path(tmp), args.words)
        source = os.environ.get("PYTHONPATH") or "this tree"
        print(f"archive: {args.words} random words + 8 tiling-bomb PDFs, built in "
              f"{time.monotonic() - t0:.0f} s (konfarkiv from {source})")
        proc = subprocess.Popen([sys.executable, "-m", "konfarkiv.cli", "--home", str(home),
                                 "serve", "--port", "0"], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True)
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        try:
            attacks = {
                "quiet": lambda stop: stop.wait(),
                "1 slow clients": slow_clients(url),
                "2 hostile thumbnails": parallel(url, lambda n: f"thumb/{n + 1}/1"),
                "3 costly queries": parallel(url, costly_query),
            }
            print(f"{'attack':24} {'probes':>6} {'median s':>9} {'worst s':>8}")
            for name, attack in attacks.items():
                got = during(url, args.seconds, attack)
                print(f"{name:24} {len(got):6d} {statistics.median(got):9.3f} "
                      f"{max(got):8.3f}", flush=True)
                time.sleep(12)  # let cut-off connections and running requests finish
        finally:
            proc.terminate()
            proc.wait(10)


if __name__ == "__main__":
    main()
