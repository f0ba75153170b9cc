"""Text normalisation before storing and indexing extracted text."""

from __future__ import annotations

import re
import unicodedata

_DROP = {"Cc", "Co", "Cs", "Cn"}
_KEEP = {"\n", "\t"}
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANKS = re.compile(r"\n{3,}")


def normalize_text(text: str) -> str:
    """NFKC (so the "ﬁ" ligature matches "fi"), without control or private-use chars."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(
        ch for ch in text if ch in _KEEP or unicodedata.category(ch) not in _DROP
    )
    text = _SPACES.sub(" ", text)
    return _BLANKS.sub("\n\n", text).strip()
