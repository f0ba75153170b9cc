"""The identity of a page in the catalog: its cleaned URL and its page key.

It lives in archive because the catalog keys events on it (events.page_key) and
looks events up by it; the crawler and the runs use the same functions.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

#: A SiteVision page's numeric id: ".3712.html".
PAGE_ID_RE = re.compile(r"\.(\d+)\.html?$", re.I)


def clean_url(url: str) -> str:
    """The URL without its fragment and without `utm_*` query parameters (others kept)."""
    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.lower().startswith("utm_")]
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/",
                       urlencode(query), ""))


def page_key(url: str) -> str:
    """One key per page whatever its host alias (skl.se, skr.se, webbutik.skl.se/skr/…).

    SiteVision pages end in ".<numeric id>.html" and that id is the page's identity;
    other URLs key on their normalised form (no "www.", no trailing slash).
    """
    cleaned = clean_url(url)
    parts = urlsplit(cleaned)
    m = PAGE_ID_RE.search(parts.path)
    if m:
        return m.group(1)
    host = parts.netloc.removeprefix("www.")
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme, host, path, parts.query, ""))
