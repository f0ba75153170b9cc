"""Documentation pages made for tests, served by TestServer."""

from __future__ import annotations


def event_page(title: str, links: list[tuple[str, str]], *, charset: str = "utf-8") -> str:
    """A documentation page: one session whose materials are `links` (href, text)."""
    items = "\n".join(f'<p><a href="{href}">{text}</a></p>' for href, text in links)
    return f"""<!DOCTYPE html>
<html lang="sv"><head><meta charset="{charset}"><title>{title} - SKR</title></head>
<body><main>
<h1>Dokumentation: {title}</h1>
<p>Ett nätverksmöte om hållbar utveckling i kommunerna.</p>
<p><strong>Klimatomställning i praktiken</strong></p>
<p>Anna Andersson, Sveriges Kommuner och Regioner</p>
{items}
<h2>Kontakt</h2>
</main></body></html>
"""
