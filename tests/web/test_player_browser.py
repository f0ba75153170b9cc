"""Issue 19 in a real browser: every film hit plays on konfarkiv's player page from its
second, with the archived captions as a text track, whichever way the film can be played:
its host's media file (a page over http), a saved page's film, a file the archive holds,
or a platform's own embedded player (a local stand-in). Nothing leaves 127.0.0.1."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.browser import chromium, wait_for
from support.player import CUE, WORDS, served_player_archive
from support.web import Served

SCREENSHOT_ENV = "KONFARKIV_SCREENSHOT_DIR"


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as browser:
        yield browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, driver: Any) -> Iterator[Served]:
    with served_player_archive(tmp_path_factory.mktemp("player")) as served:
        yield served


def _open_film_hit(driver: Any, site: Served, word: str) -> None:
    """Search the caption word as a planner would and click the film moment's link."""
    from selenium.webdriver.common.by import By

    driver.get(site.url)
    box = driver.find_element(By.ID, "q-big")
    box.send_keys(word)
    box.submit()
    wait_for(driver, "return location.pathname === '/search'")
    driver.find_element(By.CSS_SELECTOR, ".hit-caption a.open").click()
    wait_for(driver, "return location.pathname.startsWith('/material:')")
    assert driver.current_url.split("?")[0].endswith(f"@{int(CUE)}")


def _playing_near_cue(driver: Any, video: Any) -> None:
    wait_for(driver, "return arguments[0].readyState >= 1", video)
    start = wait_for(driver, "var t = arguments[0].currentTime; return t > 0 && t", video)
    assert CUE - 2 <= start <= CUE + 2, start
    tracks = wait_for(driver, """
        var tt = arguments[0].textTracks;
        if (!tt.length) return null;
        if (tt[0].mode === 'disabled') tt[0].mode = 'hidden';
        return tt[0].cues && tt[0].cues.length ? [tt[0].kind, tt[0].cues.length] : null;""",
                      video)
    assert tracks[0] == "captions" and tracks[1] >= 2, tracks


@pytest.mark.parametrize("way", ["direct", "saved", "archived"])
def test_film_hit_plays_at_the_cue_with_captions(driver: Any, site: Served, way: str) -> None:
    from selenium.webdriver.common.by import By

    _open_film_hit(driver, site, WORDS[way])
    video = driver.find_element(By.CSS_SELECTOR, "video#player")
    _playing_near_cue(driver, video)
    now = driver.find_element(By.CSS_SELECTOR, ".transcript li.now")
    assert WORDS[way] in now.text and now.find_element(By.TAG_NAME, "mark").text == WORDS[way]


def test_embedded_platform_player_starts_at_the_cue(driver: Any, site: Served) -> None:
    from selenium.webdriver.common.by import By

    _open_film_hit(driver, site, WORDS["embedded"])
    frame = driver.find_element(By.CSS_SELECTOR, "iframe#embed")
    assert "start=40" in frame.get_attribute("src")
    driver.switch_to.frame(frame)
    try:
        _playing_near_cue(driver, driver.find_element(By.TAG_NAME, "video"))
    finally:
        driver.switch_to.default_content()


def test_transcript_lines_seek_and_follow_the_film(driver: Any, site: Served,
                                                  tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    _open_film_hit(driver, site, WORDS["saved"])
    video = driver.find_element(By.CSS_SELECTOR, "video#player")
    wait_for(driver, "return arguments[0].readyState >= 1", video)
    line = driver.find_element(By.CSS_SELECTOR, ".transcript li[data-start='20']")
    line.find_element(By.TAG_NAME, "a").click()
    wait_for(driver, "return Math.abs(arguments[0].currentTime - 20) < 2", video)
    wait_for(driver, "return arguments[0].classList.contains('now')", line)
    assert driver.current_url.split("?")[0].endswith("@20")  # the address follows the line
    shot = tmp_path / "player.png"
    driver.save_screenshot(str(shot))
    if os.environ.get(SCREENSHOT_ENV):
        shutil.copy(shot, Path(os.environ[SCREENSHOT_ENV]) / "player.png")


def test_without_script_a_transcript_link_lands_at_its_second(driver: Any,
                                                              site: Served) -> None:
    from selenium.webdriver.common.by import By

    _open_film_hit(driver, site, WORDS["direct"])
    href = driver.find_element(By.CSS_SELECTOR, ".transcript li[data-start='20'] a"
                               ).get_attribute("href")
    driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        driver.get(href)
        video = driver.find_element(By.CSS_SELECTOR, "video#player")
        assert video.get_attribute("src").endswith("#t=20")
        line = driver.find_element(By.CSS_SELECTOR, ".transcript li[data-start='20']")
        assert "now" in line.get_attribute("class")
    finally:
        driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})


@pytest.mark.parametrize("size", [(1100, 1400), (390, 844)], ids=["desktop", "phone"])
def test_the_player_page_passes_axe_and_fits_a_phone(driver: Any, site: Served,
                                                    size: tuple[int, int]) -> None:
    from axe_selenium_python import Axe

    failures = []
    driver.set_window_size(*size)
    try:
        for way in WORDS:
            _open_film_hit(driver, site, WORDS[way])
            axe = Axe(driver)
            axe.inject()
            bad = [v["id"] for v in axe.run()["violations"]
                   if v["impact"] in ("serious", "critical")]
            wide = driver.execute_script(
                "return document.documentElement.scrollWidth - window.innerWidth")
            if bad or wide > 0:
                failures.append(f"{way}: {bad}, {wide} px too wide")
    finally:
        driver.set_window_size(1100, 1400)
    assert not failures, failures
