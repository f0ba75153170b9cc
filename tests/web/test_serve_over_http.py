"""`konfarkiv serve` over HTTP: a real server process on 127.0.0.1, real archives.

Pages, JSON, files by catalog row, escaping of hostile page text, traversal, bad
parameters, read-only behaviour and answering while an ingest writes.
"""

from __future__ import annotations

import hashlib
import html
import http.client
import json
import os
import re
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import pytest
import requests
from support.web import (
    EXAMPLE,
    FILM_CUE_START,
    FILM_WORD,
    HOSTILE_SESSION,
    HOSTILE_SLIDE,
    HOSTILE_TITLE,
    PARTIAL,
    Served,
    hostile_page,
    ingest,
    konfarkiv,
    served_hostile_page,
    start_serve,
    web_archive,
)

from konfarkiv.archive.lock import WriterLock
from konfarkiv.web.thumbs import RENDERERS

QUERY = "hållbar stadsutveckling"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled example, a hostile page and a film whose media the archive holds."""
    return web_archive(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="module")
def site(home: Path) -> Iterator[Served]:
    served = start_serve(home)
    try:
        yield served
    finally:
        served.stop()


def get(site: Served, path: str, **params: str) -> requests.Response:
    return requests.get(site.url.rstrip("/") + path, params=params or None, timeout=30)


def raw_get(site: Served, path: str) -> tuple[int, bytes]:
    """GET with the path sent byte for byte (no client normalises ../ or %2e%2e away)."""
    parts = urlsplit(site.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.putrequest("GET", path, skip_accept_encoding=True)
        conn.endheaders()
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def test_serve_prints_its_url_first_and_the_home_page_shows_the_archive(site: Served) -> None:
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", site.url)
    page = get(site, "/")
    assert page.status_code == 200
    assert 'lang="sv"' in page.text and 'name="q"' in page.text
    assert "Nätverksmöte för miljöstrateger" in page.text
    assert re.search(r"\d+ evenemang", page.text)


def test_search_page_groups_sessions_with_snippets_thumbnails_and_archived_pdfs(
        site: Served) -> None:
    page = get(site, "/search", q=QUERY)
    assert page.status_code == 200
    api = get(site, "/api/search", q=QUERY).json()
    first = api["results"][0]
    assert first["session"]["title"] in page.text
    assert "<mark>" in page.text
    thumbs = re.findall(r'<a class="thumb" href="(/material:(\d+)@(\d+))"><img src="'
                        r'(/thumb/\d+/\3)"', page.text)
    assert thumbs, "a slide hit shows a thumbnail linking the archived PDF at its page"
    item_link, material, page_no, thumb = thumbs[0]
    at_page = requests.get(site.url.rstrip("/") + item_link, allow_redirects=False, timeout=30)
    assert at_page.status_code == 302
    assert at_page.headers["Location"] == f"/material:{material}.pdf#page={page_no}"
    pdf = get(site, f"/material:{material}.pdf")
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    image = get(site, thumb)
    assert image.status_code == 200 and image.headers["Content-Type"] == "image/jpeg"
    assert image.content[:2] == b"\xff\xd8"
    hostile = get(site, "/search", q="skyfallsplanering").text  # a page ingested over http
    original = re.search(r'<a class="open" href="/material:\d+@2">.*?<a class="original" '
                         r'href="(http://127\.0\.0\.1:\d+/dokumentation/dagvatten\.pdf#page=2)"',
                         hostile, re.S)
    assert original, "the original URL stands beside the archived copy"


def test_api_search_is_exactly_what_search_json_prints(site: Served, home: Path) -> None:
    for q in (QUERY, "miljömål", "kind:slide stad*"):
        cli = konfarkiv(home, "search", q, "--json", "--web-url", site.url)
        assert cli.returncode == 0, cli.stderr
        api = get(site, "/api/search", q=q)
        assert api.status_code == 200 and api.headers["Content-Type"] == "application/json"
        assert api.text == cli.stdout
    paged = konfarkiv(home, "search", "miljö*", "--json", "--limit", "2", "--page", "2",
                      "--web-url", site.url)
    assert get(site, "/api/search", q="miljö*", limit="2", page="2").text == paged.stdout


def test_film_moment_opens_the_archived_media_at_its_second(site: Served) -> None:
    page = get(site, "/search", q=FILM_WORD)
    links = [link for link in re.findall(r'href="(/material:(\d+)@(\d+)\?q=[^"]+)"', page.text)
             if link[2] != "0"]  # the whole film's hit plays from 0; the moment's from its cue
    assert links and int(links[0][2]) == int(FILM_CUE_START)
    player = get(site, html.unescape(links[0][0]))
    assert player.status_code == 200
    assert f'src="/media/{links[0][1]}#t={int(FILM_CUE_START)}"' in player.text
    part = requests.get(site.url.rstrip("/") + f"/media/{links[0][1]}",
                        headers={"Range": "bytes=0-11"}, timeout=30)
    assert part.status_code == 206 and part.content[:4] == b"RIFF"  # players can seek


def test_event_page_and_json_list_materials_with_status_and_provenance(site: Served) -> None:
    events = get(site, "/api/events").json()
    example = next(e for e in events if "miljöstrateger" in e["title"])
    assert example["pdfs"] >= 1 and example["sessions"] >= 1
    record = get(site, f"/api/events/{example['id']}").json()
    assert record["id"] == example["id"] and record["sessions"]
    assert "path" not in json.dumps(record), "no server file path is shown"
    page = get(site, f"/event:{example['id']}")
    assert page.status_code == 200
    pdfs = [m for s in record["sessions"] for m in s["materials"] if m["kind"] == "pdf"]
    pdfs += [m for m in record["materials"] if m["kind"] == "pdf"]
    for m in pdfs:
        assert m["file"]["sha256"] in page.text
    assert 'class="status"' in page.text and ">ok<" in page.text
    assert record["provenance"]["page"]["sha256"] in page.text


def test_status_page_shows_counts_sources_and_runs(site: Served) -> None:
    page = get(site, "/status")
    assert page.status_code == 200
    assert "Evenemang" in page.text and "Källor" in page.text
    status = get(site, "/api/status").json()
    assert status["counts"]["events"] == 2 and "home" not in status["counts"]


def test_hostile_page_text_comes_out_escaped(site: Served) -> None:
    pages = [get(site, "/search", q="dagvattendammar"), get(site, "/search", q="skyfallsplanering")]
    event_id = next(e["id"] for e in get(site, "/api/events").json() if "citat" in e["title"])
    pages += [get(site, f"/event:{event_id}"), get(site, "/"), get(site, "/events")]
    for page in pages:
        assert page.status_code == 200
        body = page.text
        for raw in ("<script>alert", "<img src=x", "<b onmouseover", "<script>x"):
            assert raw not in body, f"{raw!r} reached {page.url} unescaped"
        assert page.headers["Content-Security-Policy"].startswith("default-src 'none'")
    for page in pages[2:]:
        assert not re.search(r'href="\s*(javascript|data|file):', page.text, re.I), page.url
    assert "data:text/html" in pages[2].text  # a failed material's address, shown as text
    assert "misslyckades" in pages[2].text and "only http(s) links are followed" in pages[2].text
    assert "&lt;script&gt;alert(&#34;titel&#34;)&lt;/script&gt;" in pages[2].text
    assert "&lt;img src=x onerror=alert(1)&gt;" in pages[0].text
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in pages[0].text  # slide text, in a snippet
    hits = get(site, "/api/search", q="dagvattendammar").json()["results"]
    assert hits[0]["session"]["title"] == HOSTILE_SESSION.strip()
    assert hits[0]["event"]["title"] == HOSTILE_TITLE
    assert HOSTILE_SLIDE.split()[1] in hits[0]["hits"][0]["snippet"]


@pytest.mark.parametrize("path", [
    "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd",
    "/static/../../../../etc/passwd", "/static/..%2f..%2f..%2fetc/passwd",
    "/static/%2e%2e/app.py", "/static/%2e%2e%2f%2e%2e%2fcli.py", "/pdf/..%2f..%2fcatalog.sqlite",
    "/pdf/1/../../catalog.sqlite", "/files/ab/cd/x", "/catalog.sqlite", "/thumb/1/..%2f1",
    "/media/%2e%2e", "/static/style.css%00.py", "//etc/passwd", "/static//etc/passwd",
])
def test_traversal_requests_get_404(site: Served, path: str) -> None:
    status, body = raw_get(site, path)
    assert status == 404, (path, status)
    assert b"root:" not in body and b"SQLite format" not in body and b"import" not in body


def test_bad_parameters_give_400_and_unknown_ids_404_never_a_traceback(site: Served) -> None:
    cases = {
        ("/search", ()): 200, ("/search", (("q", " "),)): 200,
        ("/search", (("q", "x"), ("page", "abc"))): 400,
        ("/search", (("q", "x"), ("page", "0"))): 400,
        ("/search", (("q", "x"), ("page", "-1"))): 400,
        ("/search", (("q", "x" * 1001),)): 400, ("/search", (("q", "foo:bar"),)): 400,
        ("/search", (("q", '"open quote'),)): 200,
        ("/api/search", (("q", "x"), ("limit", "100000"))): 400,
        ("/api/search", (("q", "bogus:x"),)): 400, ("/play/1", (("t", "x"),)): None,
        ("/events/999999", ()): 404, ("/api/events/999999", ()): 404, ("/pdf/999999", ()): 404,
        ("/thumb/999999/1", ()): 404, ("/thumb/1/999", ()): 404, ("/media/1", ()): 404,
        ("/play/999999", ()): 404, ("/events/abc", ()): 404, ("/nowhere", ()): 404,
    }
    for (path, params), want in cases.items():
        page = get(site, path, **dict(params))
        if want is not None:
            assert page.status_code == want, (path, params, page.status_code)
        assert page.status_code < 500, (path, params)
        assert "Traceback" not in page.text and 'File "' not in page.text
        if path.startswith("/api/"):
            assert "error" in page.json()
        elif page.status_code >= 400:
            assert 'lang="sv"' in page.text
    assert requests.post(site.url + "search", data={"q": "x"}, timeout=30).status_code == 405


def test_thumbnails_are_cached_on_disk_by_file_hash_and_page(site: Served, home: Path) -> None:
    doc = get(site, "/api/search", q="kind:slide miljömål").json()["results"][0]
    assert doc
    page = get(site, "/search", q="kind:slide miljömål")
    thumb = re.search(r'src="(/thumb/\d+/(\d+))"', page.text)
    assert thumb
    first = get(site, thumb.group(1))
    cached = list((home / "cache" / "thumbs").rglob(f"*-p{thumb.group(2)}-*.jpg"))
    assert cached and any(c.read_bytes() == first.content for c in cached)
    sha = cached[0].name.split("-")[0]
    assert (home / "files" / sha[:2] / sha[2:4] / sha).is_file()
    assert get(site, thumb.group(1)).content == first.content


def _fingerprint(home: Path) -> dict[str, str]:
    out = {}
    for p in sorted(home.rglob("*")):
        if p.is_file() and "cache" not in p.relative_to(home).parts:
            out[str(p.relative_to(home))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def test_get_changes_nothing_and_takes_no_lock(site: Served, home: Path) -> None:
    before = _fingerprint(home)
    with WriterLock(home / "writer.lock", command="test"):  # free: serve holds no lock
        for path in ("/", "/search?q=milj%C3%B6", "/status", "/events", "/api/events",
                     "/api/search?q=stad", "/search?q=nyfiken"):
            assert get(site, path).status_code == 200
    assert _fingerprint(home) == before


def test_empty_archive_says_how_to_ingest_and_creates_nothing(tmp_path: Path) -> None:
    home = tmp_path / "inget"
    served = start_serve(home)
    try:
        for path in ("/", "/search?q=x", "/status", "/events"):
            page = get(served, path)
            assert page.status_code == 200 and "ingest" in page.text, path
        assert get(served, "/api/events").json() == []
        assert get(served, "/events/1").status_code == 404
    finally:
        err = served.stop()
    assert not home.exists(), "serve never creates an archive"
    assert "holds no archive yet" in err


def test_binding_beyond_loopback_warns(tmp_path: Path) -> None:
    served = start_serve(tmp_path, "--host", "0.0.0.0")
    assert served.url.startswith("http://0.0.0.0:")
    assert "readable by others" not in served.url
    err = served.stop()
    assert "warning: listening on 0.0.0.0: anyone who can reach this machine" in err


def test_keeps_answering_while_ingest_writes_and_shows_it_once_committed(
        tmp_path: Path) -> None:
    home = tmp_path / "arkiv"
    assert ingest(home, hostile_page(tmp_path / "first")).returncode == PARTIAL
    served = start_serve(home)
    statuses: list[int] = []
    stop = threading.Event()

    def hammer() -> None:
        while not stop.is_set():
            for path in ("/search?q=dagvatten", "/", "/api/events", "/status"):
                statuses.append(get(served, path).status_code)

    worker = threading.Thread(target=hammer)
    try:
        assert "Nätverksmöte" not in get(served, "/search", q=QUERY).text
        worker.start()
        done = ingest(home, EXAMPLE)
        assert done.returncode == 0, done.stderr
        stop.set()
        worker.join(timeout=60)
        page = get(served, "/search", q=QUERY)
        assert "Nätverksmöte för miljöstrateger" in page.text
        assert len(get(served, "/api/events").json()) == 2
    finally:
        stop.set()
        served.stop()
    assert statuses and set(statuses) == {200}, sorted(set(statuses))


def test_query_links_are_urlencoded(site: Served) -> None:
    page = get(site, "/search", q="miljömål")
    for href in re.findall(r'href="(/search\?[^"]+)"', page.text):
        assert " " not in href and '"' not in href
    assert f"q={quote('miljömål')}" in page.text or "q=milj%C3%B6m%C3%A5l" in page.text


def test_open_hands_the_url_to_the_desktop_browser(tmp_path: Path) -> None:
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\necho "$1" > {opened}\n')
    browser.chmod(0o755)
    served = start_serve(tmp_path / "arkiv", "--open", env={"BROWSER": f"{browser} %s"})
    try:
        for _ in range(100):
            if opened.is_file() and opened.read_text().strip():
                break
            threading.Event().wait(0.1)
        assert opened.read_text().strip() == served.url
    finally:
        served.stop()


def test_a_port_in_use_is_one_line_and_exit_1(site: Served, tmp_path: Path) -> None:
    port = urlsplit(site.url).port
    done = konfarkiv(tmp_path, "serve", "--port", str(port), timeout=60)
    assert done.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr


def test_keeps_answering_while_reindex_swaps_the_index(site: Served, home: Path) -> None:
    statuses: list[int] = []
    stop = threading.Event()

    def hammer() -> None:
        while not stop.is_set():
            statuses.append(get(site, "/search", q=QUERY).status_code)

    worker = threading.Thread(target=hammer)
    worker.start()
    try:
        for _ in range(3):
            done = konfarkiv(home, "reindex")
            assert done.returncode == 0, done.stderr
    finally:
        stop.set()
        worker.join(timeout=60)
    assert len(statuses) > 3 and set(statuses) == {200}, sorted(set(statuses))


def test_a_search_in_the_moment_of_an_index_swap_waits_for_the_new_index(
        tmp_path: Path) -> None:
    home = tmp_path / "arkiv"
    assert ingest(home, hostile_page(tmp_path / "page")).returncode == PARTIAL
    served = start_serve(home)
    index, old = home / "index", home / "index.old"
    got: list[requests.Response] = []
    try:
        index.rename(old)  # reindex's state between its two renames
        worker = threading.Thread(target=lambda: got.append(get(served, "/search",
                                                                q="dagvatten")))
        worker.start()
        threading.Event().wait(0.1)
        old.rename(index)
        worker.join(timeout=30)
        assert got[0].status_code == 200 and "Dagvatten" in got[0].text
        index.rename(old)  # an index that stays away is a 503 page, not a traceback
        gone = get(served, "/search", q="dagvatten")
        assert gone.status_code == 503 and "konfarkiv reindex" in gone.text
    finally:
        if old.exists():
            old.rename(index)
        served.stop()


def test_session_hits_lead_to_the_session_on_its_event_page(site: Served) -> None:
    api = get(site, "/api/search", q=QUERY).json()
    first = api["results"][0]
    assert any(h["kind"] == "session" for h in first["hits"])
    target = f'/event:{first["event"]["id"]}#session:{first["session"]["id"]}'
    assert f'<a class="open" href="{target}">' in get(site, "/search", q=QUERY).text
    event = get(site, target.split("#")[0]).text
    assert f'id="session:{first["session"]["id"]}"' in event


def _search_links(page: str) -> list[str]:
    """The queries that a page's /search links ask."""
    return [parse_qs(urlsplit(html.unescape(h)).query)["q"][0]
            for h in re.findall(r'href="(/search\?[^"]+)"', page)]


def test_did_you_mean_and_filters_are_links(site: Served) -> None:
    api = get(site, "/api/search", q="stadsutvekling").json()
    better = api["suggestion"] or api["results_for"]
    assert better, api
    assert better in _search_links(get(site, "/search", q="stadsutvekling").text)
    page = get(site, "/search", q=QUERY).text
    facet = re.findall(r'<a href="(/search\?[^"]+)">([^<]+)</a> <span class="count">(\d+)</span>',
                       page)
    kinds = {label: (html.unescape(href), int(n)) for href, label, n in facet
             if "typ=" in href}
    assert "Bilder" in kinds and "Filmer" in kinds, facet
    href, count = kinds["Bilder"]
    narrowed = get(site, href.split("?")[0], **{k: v[0] for k, v in
                                                parse_qs(urlsplit(href).query).items()})
    assert narrowed.status_code == 200 and 'class="hit hit-slide"' in narrowed.text
    assert re.search(rf"<h1>{count} träff(ar)? för", narrowed.text), "a count leads to as many"
    chip = re.search(r'<a class="chip" href="([^"]+)"', narrowed.text)
    assert chip and html.unescape(chip.group(1)) == "/search?" + urlencode({"q": QUERY})


def test_status_shows_sources_with_failures_and_the_last_update_run(tmp_path: Path) -> None:
    home = tmp_path / "arkiv"
    server, page = served_hostile_page(tmp_path / "page")
    try:
        assert ingest(home, page).returncode == PARTIAL
        gone = server.url("/dokumentation/borttagen.html")
        assert konfarkiv(home, "sources", "add", gone).returncode == 0
        update = konfarkiv(home, "update", "--delay", "0")
        assert update.returncode == PARTIAL, update.stderr + update.stdout
    finally:
        server.stop()
    served = start_serve(home)
    try:
        status = get(served, "/api/status").json()
        text = get(served, "/status").text
    finally:
        served.stop()
    assert status["runs"][0]["command"] == "update" and status["runs"][0]["finished_at"]
    failed = next(s for s in status["sources"] if s["url"] == gone)
    assert failed["status"] == "failed" and "404" in failed["error"]
    assert html.escape(failed["error"]) in text and "Uppdatering" in text
    assert any("data:" in f["url"] for f in status["failures"])
    assert "only http(s) links are followed" in text



def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        out += [int(c) for c in (task / "children").read_text().split()]
    return out


def test_a_renderer_that_dies_costs_one_thumbnail_never_the_server(
        site: Served, home: Path) -> None:
    versions = [v for e in get(site, "/api/events").json()
                for s in get(site, f"/api/events/{e['id']}").json()["sessions"]
                for m in s["materials"] for v in m.get("versions", []) if v["pages"] > 2]
    v = versions[0]
    doc, sha, pages = v["document_id"], v["file"]["sha256"], v["pages"]
    assert get(site, f"/thumb/{doc}/1").status_code == 200
    renderers = [c for c in _children(site.proc.pid)
                 if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]
    assert 1 <= len(renderers) <= RENDERERS, "thumbnails are rendered in a few child processes"
    for child in renderers:
        os.kill(child, signal.SIGKILL)
    cached = {p.name for p in (home / "cache" / "thumbs").rglob(f"{sha}-*")}
    page = next(p for p in range(2, pages + 1) if not any(f"-p{p}-" in c for c in cached))
    assert get(site, f"/thumb/{doc}/{page}").status_code == 200  # a new child renders it
    assert get(site, "/").status_code == 200


def test_a_damaged_catalog_is_a_503_page_not_a_traceback(tmp_path: Path) -> None:
    home = tmp_path / "arkiv"
    home.mkdir()
    (home / "catalog.sqlite").write_bytes(b"not a database, " * 512)
    served = start_serve(home)
    try:
        for path in ("/", "/search?q=x", "/events/1", "/api/events"):
            page = get(served, path)
            assert page.status_code == 503, path
            assert "Traceback" not in page.text and "Katalogen kan inte läsas" in page.text
    finally:
        served.stop()
    assert (home / "catalog.sqlite").read_bytes() == b"not a database, " * 512


def test_a_page_past_a_pdfs_last_is_a_swedish_404(site: Served) -> None:
    hits = [h for r in get(site, "/api/search", q="kind:slide miljömål").json()["results"]
            for h in r["hits"] if h["kind"] == "slide"]
    material = hits[0]["id"].split("@")[0]
    for place in ("@9999", "@0"):
        page = get(site, f"/{material}{place}")
        assert page.status_code == 404 and "välj en sida från 1 till" in page.text, place


def test_no_results_offers_the_same_words_in_any_field_and_recent_events(site: Served) -> None:
    page = get(site, "/search", q="talare:stadsutveckling")
    assert page.status_code == 200 and "Inga träffar" in page.text, page.text[-500:]
    offered = re.search(r'samma ord i alla fält: <a href="([^"]+)"', page.text)
    assert offered, page.text[-1500:]
    wider = get(site, html.unescape(offered.group(1)).split("?")[0],
                **{k: v[0] for k, v in parse_qs(urlsplit(html.unescape(offered.group(1)))
                                                .query).items()})
    assert "Inga träffar" not in wider.text and re.search(r"\d+ träff", wider.text)
    assert "Senaste evenemang" in page.text and 'href="/event:' in page.text


@pytest.mark.parametrize("q", ["miljömål", QUERY])
def test_the_kind_facet_leads_to_its_count_and_is_kind_in_the_query(site: Served,
                                                                  q: str) -> None:
    """The page's "Typ" link (typ=film), its count, /api/search?typ=film and kind:film
    in the query: one set of results, hits of that kind only (issue 20, qa item 2)."""
    page = get(site, "/search", q=q).text
    links = re.findall(r'<a href="([^"]*typ=(\w+)[^"]*)">[^<]*</a> <span class="count">'
                       r'(\d+)</span>', page)
    assert {kind for _, kind, _ in links} >= {"slide", "film"}
    for href, kind, count in links:
        narrowed = get(site, html.unescape(href)).text
        assert re.search(rf"<h1>{count} träff(ar)? för", narrowed), (kind, count)
        api = get(site, "/api/search", q=q, typ=kind, limit="50").json()
        typed = get(site, "/api/search", q=f"kind:{kind} ({q})", limit="50").json()
        assert api["total"] == typed["total"] == int(count), kind
        assert api["results"] == typed["results"]
        wanted = {"film": {"film", "caption"}}.get(kind, {kind})
        assert {h["kind"] for r in api["results"] for h in r["hits"]} <= wanted
