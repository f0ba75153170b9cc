"""Which links found on a page may be followed.

A remote page may only lead to http(s) URLs on public addresses (or to its own
origin: scheme, host and port, which the user chose; another port on the same
host is another service and needs a public address); a saved local page may also
lead to regular files inside its own folder (symlinks resolved), never to /etc,
/proc, devices, FIFOs or `../` outside it. Anything else (file:, ftp:, a private or
loopback address) is refused.
"""

from __future__ import annotations

import ipaddress
import socket
from functools import lru_cache
from pathlib import Path
from urllib.parse import ParseResult, unquote, urlparse


@lru_cache(maxsize=512)
def _public(host: str) -> bool | None:
    """True when every address of host is public; None when it does not resolve."""
    try:
        infos = socket.getaddrinfo(host, None)
    except (socket.gaierror, UnicodeError):
        return None
    for info in infos:
        ip = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not ip.is_global:
            return False
    return True


def _origin(parts: ParseResult) -> tuple[str, str, int | None]:
    try:
        port = parts.port
    except ValueError:
        port = -1
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), port or default


def refusal(link: str, page_url: str) -> str | None:
    """None when link may be followed from page_url, else why not."""
    link_parts = urlparse(link)
    page_parts = urlparse(page_url)
    if link_parts.scheme == "file":
        return _local_refusal(link_parts.path, page_parts.path) if page_parts.scheme == "file" \
            else "refused: a remote page may not lead to a local file"
    if link_parts.scheme not in {"http", "https"}:
        return f"refused: only http(s) links are followed, not {link_parts.scheme or 'this'}:"
    host = (link_parts.hostname or "").lower()
    if not host:
        return "refused: the link has no host"
    if page_parts.scheme in {"http", "https"} and _origin(link_parts) == _origin(page_parts):
        return None
    if _public(host) is False:
        return "refused: the link leads to a private or loopback address"
    return None


def _local_refusal(link_path: str, page_path: str) -> str | None:
    """A saved page may lead only to regular files inside its own folder."""
    folder = Path(unquote(page_path)).parent.resolve()
    try:
        target = Path(unquote(link_path)).resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return "refused: the link is a symlink loop"
    if folder not in target.parents:
        return "refused: a saved page may lead only to files inside its own folder"
    if target.exists() and not target.is_file():
        return "refused: a saved page may lead only to regular files"
    return None
