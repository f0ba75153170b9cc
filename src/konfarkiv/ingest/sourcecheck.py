"""A source given to `ingest` looked at before anything is fetched.

A mistyped scheme, a missing one, a PDF or a recording (which `add` takes), or a folder
would otherwise end as a bare fetch or parse error; here each gets one line saying what
is wrong and a hint saying what to type instead. Nothing is fetched and no source is kept.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

SCHEMES = ("http", "https", "file")
PAGE_SUFFIXES = {".html", ".htm", ".xhtml", ".pdf"}
RECORDING_SUFFIXES = {".mp4", ".m4a", ".m4v", ".mov", ".webm", ".mkv", ".mp3", ".ogg",
                      ".opus", ".oga", ".flac", ".wav", ".aac", ".wma", ".wmv", ".avi"}
# "skr.se/…", "www.example.org": a host name typed without its scheme.
_HOSTLIKE = re.compile(r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?::\d+)?(?:/|$)",
                       re.IGNORECASE)


@dataclass(frozen=True)
class SourceProblem:
    """What is wrong (the report names the source) and what to type instead."""

    message: str
    hint: str

    def line(self) -> str:
        return f"{self.message} (hint: {self.hint})"


def source_problem(source: str) -> SourceProblem | None:
    """What is wrong with source as a documentation page to ingest, or None."""
    text = source.strip()
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if "://" in text and scheme not in SCHEMES or re.match(r"^https?:/?[^/]", text, re.I):
        return _bad_scheme(text, scheme)
    if scheme in ("http", "https"):
        if not parts.hostname:
            return SourceProblem("the address names no host",
                                 "write the whole address, e.g. https://skr.se/…")
        return _not_a_page(Path(unquote(parts.path)), text)
    path = Path(unquote(parts.path) if scheme == "file" else text).expanduser()
    if not path.exists():
        if scheme != "file" and _HOSTLIKE.match(text) and not (
                "/" not in text and path.suffix.lower() in PAGE_SUFFIXES):
            return SourceProblem("no such file, and no http(s):// in front",
                                 f"for the web page, write https://{text}")
        return SourceProblem("no such file",
                             "give a page's https:// address or a saved .html file")
    if path.is_dir():
        index = next((p for p in (path / "index.html", path / "index.htm") if p.is_file()),
                     None)
        return SourceProblem("a folder, not a page",
                             f"give the saved page inside it: {index}" if index
                             else "give a saved page (.html) inside it")
    try:
        with open(path, "rb") as fh:
            head = fh.read(5)
    except OSError as exc:
        return SourceProblem(f"cannot read it: {exc.strerror or exc}",
                             "check the file's permissions")
    if head.startswith(b"%PDF"):
        return _pdf(text)
    return _not_a_page(path, text)


def _bad_scheme(text: str, scheme: str) -> SourceProblem:
    rest = re.sub(r"^[^:]*:/*", "", text)
    guess = difflib.get_close_matches(scheme or "http", ("https", "http"), n=1, cutoff=0.4)
    fixed = f"{guess[0] if guess else 'https'}://{rest}"
    return SourceProblem("not an http(s) address", f"did you mean {fixed}?")


def _not_a_page(path: Path, text: str) -> SourceProblem | None:
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return _pdf(text)
    if suffix in RECORDING_SUFFIXES:
        return SourceProblem("a recording, not a documentation page",
                             f"add it to an event with `konfarkiv add {text} --event ID`")
    return None


def _pdf(text: str) -> SourceProblem:
    return SourceProblem("a PDF, not a documentation page",
                         f"add it to an event with `konfarkiv add {text} --event ID` "
                         "(`konfarkiv events` lists the ids)")
