"""OCR tests need Tesseract with its Swedish and English models from the OS.

Without them the tests skip with a message; KONFARKIV_REQUIRE_OCR=1 (set by .ci/run)
turns that skip into a failure, so CI cannot pass without reading a page.
"""

from __future__ import annotations

import os

import pytest

REQUIRE_ENV = "KONFARKIV_REQUIRE_OCR"


def require_tesseract() -> None:
    """Skip (or, with KONFARKIV_REQUIRE_OCR=1, fail) unless Tesseract can read swe+eng."""
    from konfarkiv.ingest.ocr import ENABLE_HINT, find_engine

    engine, why = find_engine()
    if engine is None:
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{why}; {REQUIRE_ENV}=1 requires the OCR tests")
        pytest.skip(f"{why}: OCR tests skipped ({ENABLE_HINT.split(', then')[0]})")
