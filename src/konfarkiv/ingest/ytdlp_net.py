"""yt-dlp's network requests held to our address policy.

yt-dlp follows redirects and <meta http-equiv="refresh"> on its own and fetches
whatever URLs an extractor finds, so checking only the film link lets a film page
lead it to localhost or a private address. Here every request it makes, and every
redirect it would follow, passes `policy.refusal` against the film page, through a
request handler of our own (a subclass of its requests handler), the only one its
request director gets.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin

import yt_dlp
from yt_dlp.networking._requests import RequestsRH
from yt_dlp.networking.exceptions import TransportError

Check = Callable[[str], str | None]  # a URL -> why it is refused, or None


class PolicyRefused(TransportError):
    """A request or redirect the address policy refuses: a network error to yt-dlp, so its
    extractors report it like a failed connection (nothing is fetched)."""


def policed_youtube_dl(check: Check, params: dict[str, Any]) -> yt_dlp.YoutubeDL:
    """A YoutubeDL whose every request and redirect must pass check first."""

    class PolicedRH(RequestsRH):
        def _send(self, request: Any) -> Any:
            why = check(request.url)
            if why:
                raise PolicyRefused(f"{request.url} {why}")
            return super()._send(request)

        def _create_instance(self, cookiejar: Any, legacy_ssl_support: Any = None) -> Any:
            session = super()._create_instance(cookiejar, legacy_ssl_support)
            session.hooks["response"].append(_check_redirect)
            return session

    def _check_redirect(resp: Any, *args: Any, **kwargs: Any) -> None:
        if resp.is_redirect:
            target = urljoin(resp.url, resp.headers.get("Location", ""))
            why = check(target)
            if why:
                resp.close()
                raise PolicyRefused(f"redirect to {target} {why}")

    class PolicedYoutubeDL(yt_dlp.YoutubeDL):
        @functools.cached_property
        def _request_director(self) -> Any:
            return self.build_request_director([PolicedRH])

    return PolicedYoutubeDL(params)
