"""Parse a small page written in a test, and read its sessions back as plain lists."""

from __future__ import annotations

from typing import Any

from konfarkiv.ingest.page import parse_page

URL = "https://example.se/evenemang/dag.html"


def parse_body(body: str, h1: str = "Temadag om vatten", url: str = URL) -> dict[str, Any]:
    """The parse (as JSON) of a page whose <main> holds `h1` and then `body`."""
    html = f"<html><body><main><h1>{h1}</h1>{body}</main></body></html>"
    return parse_page(html, url).to_json()


def titles(p: dict[str, Any]) -> list[str]:
    return [s["title"] for s in p["sessions"]]


def names(p: dict[str, Any]) -> list[str]:
    return [sp["name"] for s in p["sessions"] for sp in s["speakers"]]


def people(p: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(sp["name"], sp["organisation"]) for s in p["sessions"] for sp in s["speakers"]]
