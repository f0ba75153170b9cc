"""The identity of a page in the catalog: its cleaned URL and its page key.

It lives in archive because the catalog keys events on it (events.page_key) and
looks events up by it; the crawler and the runs use the same functions.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

#: A SiteVision page's numeric id: ".3712.html".
PAGE_ID_RE = re.compile(r"\.(\d+)\.html?$", re.I)
#: Host names that are one site, named (never guessed from a host's last labels): SKR was
#: SKL until 2019 and still answers on both, its shop too; loopback names are one machine.
HOST_ALIASES = {"skl.se": "skr.se", "webbutik.skl.se": "skr.se", "webbutik.skr.se": "skr.se",
                "localhost": "127.0.0.1", "[::1]": "127.0.0.1", "::1": "127.0.0.1"}
_DEFAULT_PORTS = {"http": 80, "https": 443}


#: user:password@ (or user@) in any URL inside a text.
_CREDENTIALS_RE = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@?#\"'<>]+@")


def hide_credentials(text: str) -> str:
    """text with the credentials of every URL in it removed ("https://u:p@host/" ->
    "https://host/"): they are needed to fetch, never to show (issue 26, minor list)."""
    return _CREDENTIALS_RE.sub(r"\1", text) if "@" in text else text


def clean_url(url: str) -> str:
    """The URL without its fragment and without `utm_*` query parameters (others kept)."""
    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.lower().startswith("utm_")]
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/",
                       urlencode(query), ""))


def site_host(url: str) -> str:
    """The host[:port] of url as one site: no "www.", named aliases made one, default port
    dropped."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    host = HOST_ALIASES.get(host, host)
    try:
        port = parts.port
    except ValueError:
        port = None
    return host if port in (None, _DEFAULT_PORTS.get(parts.scheme.lower())) else f"{host}:{port}"


def page_key(url: str) -> str:
    """One key per page whatever its host alias (skl.se, skr.se, webbutik.skl.se/skr/…).

    SiteVision pages end in ".<numeric id>.html" and that id is the page's identity on
    its site: the key is the site and the id ("skr.se/3712"), so a page of another site
    ending in ".3712.html" is another page (issue 26 item 7; catalogs from before keyed on
    the id alone: see legacy_page_key). Other URLs key on their normalised form (no
    "www.", no trailing slash).
    """
    cleaned = clean_url(url)
    parts = urlsplit(cleaned)
    m = PAGE_ID_RE.search(parts.path)
    if m:
        return f"{site_host(cleaned)}/{m.group(1)}"
    host = parts.netloc.removeprefix("www.")
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme, host, path, parts.query, ""))


def legacy_page_key(key: str) -> str | None:
    """The key an older catalog gave the page of `key` (the SiteVision id alone), or None
    for a key that was always the whole URL. Such a row is the page's only when its own
    URL keys to `key` today (Catalog checks)."""
    if "://" in key or "/" not in key:
        return None
    ident = key.rsplit("/", 1)[1]
    return ident if ident.isdigit() else None
