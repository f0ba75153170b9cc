"""Dates typed by archivists: ISO only, so sorting and the year filter keep working."""

from __future__ import annotations

import re
from datetime import date

from konfarkiv.archive.errors import ArchivistError

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def check_date(value: str) -> str:
    """2019-03-14, 2019-03 or 2019; anything else is an ArchivistError with the format."""
    value = value.strip()
    ok = bool(_DATE.match(value))
    if ok and len(value) == 10:
        try:
            date.fromisoformat(value)
        except ValueError:
            ok = False
    if not ok:
        raise ArchivistError(f"{value!r} is not a date", "write it as YYYY-MM-DD, e.g. 2019-03-14")
    return value
