"""Issue 20 in a real browser, on an archive of the real pages of ../shared/pages: results
a reader understands, facets whose counts hold, sorting, browsing by year and organiser,
the partial-match note, Swedish error pages, no sideways scroll on a phone, and an
axe-core audit of every page type at desktop and phone width."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import requests
from support.browser import chromium, wait_for
from support.real_pages import real_pages_archive
from support.web import Served, start_serve

SCREENSHOT_ENV = "KONFARKIV_SCREENSHOT_DIR"
PHONE, DESKTOP = (390, 844), (1100, 1400)
SERIOUS = ("serious", "critical")


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as browser:
        yield browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, driver: Any) -> Iterator[Served]:
    served = start_serve(real_pages_archive(tmp_path_factory.mktemp("real-pages")))
    try:
        yield served
    finally:
        served.stop()


def _go(driver: Any, site: Served, path: str) -> None:
    driver.get(site.url.rstrip("/") + path)
    wait_for(driver, "return document.readyState === 'complete'")


def _search_path(q: str, **params: str) -> str:
    return "/search?" + urlencode({"q": q, **params})


def _total(driver: Any) -> int:
    from selenium.webdriver.common.by import By

    head = driver.find_element(By.TAG_NAME, "h1").text
    m = re.match(r"([\d\s\u00a0]+) träff(ar)? för", head)
    assert m, head
    return int(re.sub(r"\D", "", m.group(1)))


def test_an_event_result_is_headed_by_the_event_and_its_date(driver: Any, site: Served) -> None:
    from selenium.webdriver.common.by import By

    _go(driver, site, _search_path("miljömålsdagarna"))
    events = driver.find_elements(By.CSS_SELECTOR, ".result-event")
    sessions = driver.find_elements(By.CSS_SELECTOR, ".result-session")
    assert events or sessions
    for r in events:
        title = r.find_element(By.CSS_SELECTOR, "h2 a.event").text
        assert "miljömålsdagarna" in title.lower() or title
        meta = r.find_element(By.CSS_SELECTOR, ".meta").text
        assert re.search(r"\d{4}|datum okänt", meta), meta
        assert "Evenemangets material" not in r.text
    for r in sessions:
        meta = r.find_element(By.CSS_SELECTOR, ".meta").text
        assert r.find_element(By.CSS_SELECTOR, ".meta a.event").text in meta
        assert re.search(r"\d{4}|datum okänt", meta), meta
    assert "programpunkter matchar" not in driver.page_source


def test_each_facet_count_is_the_number_of_results_it_leads_to(driver: Any,
                                                             site: Served) -> None:
    from selenium.webdriver.common.by import By

    _go(driver, site, _search_path("kommun"))
    total = _total(driver)
    links = driver.find_elements(By.CSS_SELECTOR, ".facet > ul > li")
    assert links, "facets with counts"
    checked = 0
    for i in range(min(6, len(links))):
        li = driver.find_elements(By.CSS_SELECTOR, ".facet > ul > li")[i]
        a = li.find_element(By.TAG_NAME, "a")
        count = int(re.sub(r"\D", "", li.find_element(By.CSS_SELECTOR, ".count").text))
        assert count <= total
        href = a.get_attribute("href")
        driver.get(href)
        assert _total(driver) == count, href
        chip = driver.find_element(By.CSS_SELECTOR, ".chips a.chip")
        chip.click()  # the chip removes the filter: the whole result set again
        wait_for(driver, "return document.readyState === 'complete'")
        assert _total(driver) == total
        checked += 1
    assert checked >= 3


def test_sorting_by_date_both_ways(driver: Any, site: Served) -> None:
    from selenium.webdriver.common.by import By

    def dates() -> list[str]:
        return [m.get_attribute("data-date") or "" for m in
                driver.find_elements(By.CSS_SELECTOR, ".result")]

    _go(driver, site, _search_path("kommun", sortera="nyast"))
    newest = [d[:4] for d in dates() if d]  # a year alone sorts within its year
    assert newest and newest == sorted(newest, reverse=True), newest
    _go(driver, site, _search_path("kommun", sortera="äldst"))
    oldest = [d[:4] for d in dates() if d]
    assert oldest and oldest == sorted(oldest), oldest
    current = driver.find_element(By.CSS_SELECTOR, ".sorting [aria-current]").text
    assert current == "Äldst först"


def test_events_by_year_and_by_organiser(driver: Any, site: Served) -> None:
    from selenium.webdriver.common.by import By

    _go(driver, site, "/events")
    years = [h.text for h in driver.find_elements(By.CSS_SELECTOR, "section h2")]
    assert len(years) >= 3 and all(re.match(r"(\d{4}|Datum okänt) \(", y) for y in years)
    listed = driver.find_elements(By.CSS_SELECTOR, "section .events > li")
    for li in listed:
        meta = li.find_element(By.CSS_SELECTOR, ".meta").text
        assert re.search(r"\d{4}|datum okänt", meta), meta
    counts = sum(int(re.search(r"\((\d+) evenemang", y).group(1)) for y in years)
    assert counts == len(listed)
    organiser = driver.find_element(By.CSS_SELECTOR, ".events .meta a")
    name = organiser.get_attribute("textContent")
    organiser.click()
    wait_for(driver, "return location.search.includes('arr')")
    assert driver.find_element(By.TAG_NAME, "h1").text == f"Evenemang från {name}"
    shown = driver.find_elements(By.CSS_SELECTOR, "section .events > li")
    assert 0 < len(shown) < len(listed)
    assert all(name in li.text for li in shown)


def test_a_partial_match_says_which_words_were_not_found(driver: Any, site: Served) -> None:
    from selenium.webdriver.common.by import By

    _go(driver, site, _search_path("suicidprevention zyxqvvarg"))
    note = driver.find_element(By.CSS_SELECTOR, ".notice.partial").text
    assert "Ingen programpunkt innehåller alla orden" in note and "zyxqvvarg" in note


@pytest.mark.parametrize(("path", "code", "words"), [
    ("/finns-inte", 404, "Det finns ingen sida"), ("/search?q=och", 400, "vanliga ord"),
    ("/search?q=kind%3Abogus", 400, "Typen"), ("/material:999999@1", 404, "Det finns inget"),
])
def test_error_pages_speak_swedish(site: Served, path: str, code: int, words: str) -> None:
    page = requests.get(site.url.rstrip("/") + path, timeout=30)
    assert page.status_code == code and words in page.text, page.text[-800:]
    assert not re.search(r"\b(the|not found|requested URL)\b", page.text, re.I)
    post = requests.post(site.url + "search", data={"q": "x"}, timeout=30)
    assert post.status_code == 405 and "kan bara läsas" in post.text


def _page_types(driver: Any, site: Served) -> dict[str, str]:
    """One address of every page type of the archive's web."""
    from selenium.webdriver.common.by import By

    _go(driver, site, "/events")
    event = driver.find_element(By.CSS_SELECTOR, ".events a").get_attribute("href")
    organiser = driver.find_element(By.CSS_SELECTOR, ".events .meta a").get_attribute("href")
    base = site.url.rstrip("/")
    return {"start": "/", "results": _search_path("hållbar utveckling"),
            "filtered": _search_path("kommun", typ="session"),
            "no-results": _search_path("zyxqvvarg"), "events": "/events",
            "organiser": organiser.removeprefix(base), "event": event.removeprefix(base),
            "status": "/status", "not-found": "/finns-inte"}


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_page_type_passes_axe_and_fits_the_screen(driver: Any, site: Served,
                                                       size: tuple[int, int],
                                                       tmp_path: Path) -> None:
    from axe_selenium_python import Axe

    pages = _page_types(driver, site)
    driver.set_window_size(*size)
    failures = []
    try:
        for name, path in pages.items():
            _go(driver, site, path)
            axe = Axe(driver)
            axe.inject()
            found = axe.run()
            bad = [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
                   for v in found["violations"] if v["impact"] in SERIOUS]
            if bad:
                failures.append(f"{name} {path}: {bad}")
            if size == PHONE:
                wide = driver.execute_script(
                    "return document.documentElement.scrollWidth - window.innerWidth")
                if wide > 0:
                    failures.append(f"{name} {path}: {wide} px wider than the phone")
            if name == "results":
                driver.execute_script("window.scrollTo(0, 0)")
                shot = tmp_path / f"results-{size[0]}.png"
                driver.save_screenshot(str(shot))
                if os.environ.get(SCREENSHOT_ENV):
                    label = "phone" if size == PHONE else "desktop"
                    shutil.copy(shot, Path(os.environ[SCREENSHOT_ENV]) /
                                f"results-{label}.png")
    finally:
        driver.set_window_size(*DESKTOP)
    assert not failures, "\n".join(failures)
