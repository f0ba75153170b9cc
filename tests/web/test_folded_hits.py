"""A session matching on many slides (issue 20, the web's share of search latency): the page
shows the first hits with their snippets and folds the rest away as links to their pages,
without snippets; the JSON beside the page keeps every hit's snippet."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support.pdfs import make_pdf
from support.web import ingest

from konfarkiv.web.app import HITS_SHOWN, create_app

WORD = "regnbäddsplanering"
SLIDES = 7  # more than HITS_SHOWN, every one holding WORD


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("folded")
    folder = root / "sida"
    folder.mkdir()
    make_pdf(folder / "regn.pdf", [f"Bild {n}: {WORD} i kvarteret nummer {n}."
                                   for n in range(1, SLIDES + 1)])
    (folder / "mote.html").write_text("""<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>Vattendagen</title></head>
<body><main><h1>Vattendagen</h1><p>Ett möte om regn.</p>
<p><strong>Regn i staden</strong></p><p>Eva Kvist, Kommunen</p>
<p><a href="regn.pdf">Presentation om regn (PDF, nytt fönster)</a></p>
</main></body></html>
""", encoding="utf-8")
    home = root / "arkiv"
    done = ingest(home, folder / "mote.html")
    assert done.returncode == 0, done.stderr + done.stdout
    return home


def test_first_hits_have_snippets_and_the_folded_rest_link_their_pages(home: Path) -> None:
    client = create_app(home).test_client()
    page = client.get("/search", query_string={"q": WORD}).get_data(as_text=True)
    shown, folded = page.split('<details class="more">', 1)
    shown = shown[shown.index('<ol class="results"'):]
    assert len(re.findall(r'<li class="hit hit-slide">', shown)) == HITS_SHOWN
    assert len(re.findall(r'<p class="snippet">[^<]*<mark>', shown)) == HITS_SHOWN
    folded = folded[:folded.index("</details>")]
    assert f"{SLIDES - HITS_SHOWN} träffar till här" in folded
    pages = re.findall(r'<a class="open" href="/material:\d+@(\d+)">Presentation om regn, '
                       r'sida (\d+)</a>', folded)
    assert [int(p) for p, _ in pages] == list(range(HITS_SHOWN + 1, SLIDES + 1))
    assert all(a == b for a, b in pages)
    assert len(re.findall(r'<img src="/thumb/\d+/\d+"', folded)) == SLIDES - HITS_SHOWN
    assert 'class="snippet"' not in folded  # made only for the hits shown at once

    api = client.get("/api/search", query_string={"q": WORD}).get_json()
    hits = api["results"][0]["hits"]
    assert len(hits) == SLIDES and all(WORD in h["snippet"] for h in hits)
