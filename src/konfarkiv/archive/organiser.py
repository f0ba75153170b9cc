"""The organiser of an event when the page does not say it: derived from the page's host.

The publishing body is read from the page at ingest (ingest/organiser.py); events
archived before that, or added by hand, fall back on the host the page came from,
without "www." (so "www.skr.se" gives "skr.se"): still a facet a reader recognises.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def host_organiser(url: str | None) -> str | None:
    """'https://www.skr.se/x' -> 'skr.se'; None for a URL without a host."""
    try:
        host = (urlsplit(url or "").hostname or "").strip(".").lower()
    except ValueError:
        return None
    if not host or host.replace(".", "").isdigit() or host == "localhost":
        return None
    return host[4:] if host.startswith("www.") else host
