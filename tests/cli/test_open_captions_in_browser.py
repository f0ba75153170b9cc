"""`konfarkiv open material:N@S` in a real Chromium: the local page it writes plays from the
second with its captions loaded (QA item 4: a <track> file beside a file: page was refused,
as each file: URL is an origin of its own; only a browser shows whether cues load)."""

from __future__ import annotations

import json
from pathlib import Path

from support.browser import chromium, wait_for
from support.cli import example_archive, run


def test_the_opened_film_page_loads_its_captions_in_chromium(tmp_path: Path) -> None:
    home = example_archive(tmp_path / "arkiv")
    out = json.loads(run(home, "search", "hållbar stadsutveckling", "--json").stdout)
    moment = next(h for r in out["results"] for h in r["hits"] if h["kind"] == "caption")
    second = int(moment["id"].split("@")[1])
    page = Path(run(home, "open", "--print", moment["id"]).stdout.strip())
    with chromium(tmp_path / "profile") as driver:
        driver.get(page.as_uri())
        track = "document.querySelector('track')"
        state = wait_for(driver, f"return {track}.readyState >= 2 && {track}.readyState")
        assert state == 2, "the captions failed to load (readyState 3)"
        cues = driver.execute_script(
            "return Array.from(document.querySelector('video').textTracks[0].cues || [])"
            ".map(c => [c.startTime, c.text])")
        assert cues and any(abs(start - second) < 1 for start, _ in cues), cues
        now = wait_for(driver, "var v = document.querySelector('video');"
                               "return v.readyState >= 1 && v.currentTime")
        assert second <= now <= second + 2, now
