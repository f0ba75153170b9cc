"""Parser accuracy on the development corpus of real pages, event dates included.

    python benchmarks/page_parse.py [--pages DIR] [--details]

Parses every `pages/NNN-*.html` of the corpus in-process (no server: the parse is a
pure function of the HTML and its URL) and compares it with `expected/NNN-*.json`
using the corpus's own `score.py` rules (sessions by title, speakers by name, materials
by kind and path), then checks the event date, which score.py does not: the share of
pages that state a date whose parsed date equals the expected one (as precise as the
page states it: "2016" for a year alone). Figures are printed beside issue 12's targets.
It also times the parse: milliseconds per page (the median of --repeat runs of each
page; then the median and the slowest over pages), beside a reference measured in the
same run, BeautifulSoup's html.parser reading the same bytes (the floor any parse here
pays), against issue 22's target of <= 50 ms median per page.
The folder comes from --pages or KONFARKIV_PAGES (default ../shared/pages).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import time
from pathlib import Path

from bs4 import BeautifulSoup

from konfarkiv.ingest.page import read_page

TARGETS = {"sessions": 0.90, "speakers": 0.85, "materials": 0.97, "dates": 0.90}
TARGET_MS = 50.0


def _ms(fn: object, repeat: int) -> float:
    """The median wall time of `repeat` calls, in milliseconds."""
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        runs.append((time.perf_counter() - t0) * 1000)
    return statistics.median(runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", default=os.environ.get("KONFARKIV_PAGES", "../shared/pages"))
    ap.add_argument("--details", action="store_true", help="misses, extras and wrong dates")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per page (median kept)")
    a = ap.parse_args()
    root = Path(a.pages)
    spec = importlib.util.spec_from_file_location("corpus_score", root / "score.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"no score.py in {root}")
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    totals = {k: [0, 0, 0] for k in ("sessions", "speakers", "materials")}
    dated = right = doubted = 0
    parse_ms: list[float] = []
    soup_ms: list[float] = []
    for f in sorted((root / "expected").glob("*.json")):
        exp = json.loads(f.read_text(encoding="utf-8"))
        html = (root / "pages" / f"{f.stem}.html").read_bytes()
        parsed, doubts = read_page(html, "http://127.0.0.1" + exp["url"])
        page_url = "http://127.0.0.1" + exp["url"]
        parse_ms.append(_ms(lambda h=html, u=page_url: read_page(h, u), a.repeat))
        soup_ms.append(_ms(lambda h=html: BeautifulSoup(h, "html.parser"), a.repeat))
        got = parsed.to_json()
        doubted += bool(doubts)
        for kind, (tp, found, expected, missed, extra) in score.compare(exp, got).items():
            totals[kind] = [x + y for x, y in zip(totals[kind], (tp, found, expected), strict=True)]
            if a.details and (missed or extra):
                print(f"{f.stem} {kind}: missed {missed} extra {extra}")
        if exp.get("date") is not None:
            dated += 1
            right += got["date"] == exp["date"]
            if a.details and got["date"] != exp["date"]:
                print(f"{f.stem} date: {got['date']} (expected {exp['date']})")
    print(f"{'':10} {'P':>5} {'R':>5} {'F1':>5}   target F1")
    for kind, (tp, found, expected) in totals.items():
        p, r, f1 = score.prf(tp, found, expected)
        print(f"{kind:10} {p:5.2f} {r:5.2f} {f1:5.2f}   >= {TARGETS[kind]:.2f}")
    share = right / dated if dated else 1.0
    print(f"{'dates':10} {right}/{dated} right = {share:.2f}   >= {TARGETS['dates']:.2f}")
    print(f"pages with doubts: {doubted}")
    print(f"parse ms/page: median {statistics.median(parse_ms):.1f}, slowest {max(parse_ms):.1f}"
          f"   target median <= {TARGET_MS:.0f}")
    print(f"reference (html.parser alone) ms/page: median {statistics.median(soup_ms):.1f}, "
          f"slowest {max(soup_ms):.1f}")


if __name__ == "__main__":
    main()
