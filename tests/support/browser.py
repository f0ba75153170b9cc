"""Headless Chromium from the operating system, driven by selenium.

Without Chromium the browser tests skip with a message; KONFARKIV_REQUIRE_BROWSER=1
(set by .ci/run) turns that skip into a failure, so CI cannot pass without them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from support.web import chromium_flags, find_browser

REQUIRE_ENV = "KONFARKIV_REQUIRE_BROWSER"


def start_chromium(profile: Path) -> Any:
    """A selenium Chrome driver on the system's chromium and chromedriver, or a skip."""
    found = find_browser()
    if found is None:
        why = ("no Chromium found (install chromium and chromium-driver, or set "
               "KONFARKIV_CHROMIUM and KONFARKIV_CHROMEDRIVER)")
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{why}; {REQUIRE_ENV}=1 requires the browser tests")
        pytest.skip(why)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, chromedriver = found
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in chromium_flags(profile):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=chromedriver))
    driver.set_page_load_timeout(60)
    return driver


def wait_for(driver: Any, script: str, *args: Any, timeout: float = 15) -> Any:
    """Poll a JavaScript expression (return …) until it is truthy; return its value."""
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.1).until(
        lambda d: d.execute_script(script, *args))


@contextmanager
def chromium(profile: Path) -> Iterator[Any]:
    """start_chromium, quit at the end (a module's driver fixture)."""
    browser = start_chromium(profile)
    try:
        yield browser
    finally:
        browser.quit()
