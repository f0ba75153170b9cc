"""`konfarkiv serve` in a real browser: headless Chromium from the OS, via selenium.

Type a query and submit, see the session, a slide thumbnail that is an image, follow it to
the archived PDF at its page, start a film moment's player at its cue, read an event's
materials with status, and find hostile page text shown as text.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from support.browser import chromium, wait_for
from support.web import (
    FILM_CUE_START,
    FILM_WORD,
    HOSTILE_SESSION,
    HOSTILE_TITLE,
    Served,
    start_serve,
    web_archive,
)

SCREENSHOT_ENV = "KONFARKIV_SCREENSHOT_DIR"  # where the results page screenshot goes too


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as browser:
        yield browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, driver: Any) -> Iterator[Served]:
    home = web_archive(tmp_path_factory.mktemp("web-browser"))
    served = start_serve(home)
    try:
        yield served
    finally:
        served.stop()


def _search(driver: Any, site: Served, query: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get(site.url)
    box = driver.find_element(By.ID, "q-big")
    box.clear()
    box.send_keys(query)
    box.submit()
    wait_for(driver, "return document.readyState === 'complete' && "
                     "location.pathname === '/search'")


def test_typed_query_shows_session_and_thumbnail_that_opens_the_pdf_at_its_page(
        driver: Any, site: Served, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    _search(driver, site, "hållbar stadsutveckling")
    sessions = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".result h2.session")]
    assert any("Hållbar stadsutveckling" in s for s in sessions), sessions
    img = driver.find_element(By.CSS_SELECTOR, ".hit-slide a.thumb img")
    driver.execute_script("arguments[0].scrollIntoView()", img)
    width = wait_for(driver, "return arguments[0].complete && arguments[0].naturalWidth",
                     img)
    assert width > 0
    driver.execute_script("window.scrollTo(0, 0)")
    shot = tmp_path / "search-results.png"
    driver.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
    if os.environ.get(SCREENSHOT_ENV):
        shutil.copy(shot, Path(os.environ[SCREENSHOT_ENV]) / "search-results.png")

    link = img.find_element(By.XPATH, "..")
    href = link.get_attribute("href")
    material, page = href.removeprefix(site.url).split("@")  # the address reads as the id
    link.click()
    wait_for(driver, "return location.pathname.endsWith('.pdf')")
    assert driver.current_url == f"{site.url}{material}.pdf#page={page}"
    pdf = requests.get(driver.current_url.split("#")[0], timeout=30)
    assert pdf.headers["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"


def test_film_moment_player_starts_within_two_seconds_of_the_cue(
        driver: Any, site: Served) -> None:
    from selenium.webdriver.common.by import By

    _search(driver, site, FILM_WORD)
    moment = driver.find_element(By.CSS_SELECTOR, ".hit-caption a.open")
    moment.click()
    wait_for(driver, "return location.pathname.startsWith('/material:')")
    video = driver.find_element(By.TAG_NAME, "video")
    wait_for(driver, "return arguments[0].readyState >= 1", video)
    start = driver.execute_script("return arguments[0].currentTime", video)
    assert FILM_CUE_START <= start <= FILM_CUE_START + 2, start
    driver.execute_script("arguments[0].play()", video)
    wait_for(driver, "return !arguments[0].paused && arguments[0].currentTime > arguments[1]",
             video, start)
    now = driver.execute_script("return arguments[0].currentTime", video)
    assert FILM_CUE_START <= now <= FILM_CUE_START + 2, now


def test_event_page_lists_materials_with_status(driver: Any, site: Served) -> None:
    from selenium.webdriver.common.by import By

    _search(driver, site, "hållbar stadsutveckling")
    driver.find_element(By.CSS_SELECTOR, ".result a.event").click()
    wait_for(driver, "return location.pathname.startsWith('/event:')")
    materials = driver.find_elements(By.CSS_SELECTOR, "li.material")
    assert materials
    assert not any(m.find_element(By.CSS_SELECTOR, ".status").is_displayed()
                   for m in materials), "status and hashes wait behind Ursprung"
    first = materials[0].find_element(By.CSS_SELECTOR, "details.provenance")
    first.find_element(By.TAG_NAME, "summary").click()
    assert first.find_element(By.CSS_SELECTOR, ".status").text == "ok"
    assert driver.find_elements(By.CSS_SELECTOR, "li.material a[href$='.pdf']")


def test_hostile_text_is_shown_as_text_and_runs_nothing(driver: Any, site: Served) -> None:
    from selenium.webdriver.common.by import By

    _search(driver, site, "dagvattendammar")
    first = driver.find_element(By.CSS_SELECTOR, ".result")
    assert first.find_element(By.CSS_SELECTOR, "h2.session").text == HOSTILE_SESSION.strip()
    assert first.find_element(By.CSS_SELECTOR, "a.event").text == HOSTILE_TITLE
    assert not driver.find_elements(By.CSS_SELECTOR, "main script, main img[onerror], main b")
    first.find_element(By.CSS_SELECTOR, "a.event").click()
    wait_for(driver, "return location.pathname.startsWith('/event:')")
    assert driver.find_element(By.TAG_NAME, "h1").text == HOSTILE_TITLE
    assert not driver.find_elements(By.CSS_SELECTOR, "main script, main img[onerror], main b")
    assert driver.title.startswith(HOSTILE_TITLE)


def test_results_fit_a_phone_screen(driver: Any, site: Served) -> None:
    size = driver.get_window_size()
    driver.set_window_size(390, 844)
    try:
        _search(driver, site, "hållbar stadsutveckling")
        overflow = driver.execute_script(
            "return document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the page is {overflow} px wider than a phone"
    finally:
        driver.set_window_size(size["width"], size["height"])
