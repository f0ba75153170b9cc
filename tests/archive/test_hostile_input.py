"""Issue 16, hostile and careless input: each case reproduced against a real local server
or real files first, then fixed. Nothing archived is lost, nothing outside what the user
asked for is read or reached."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from click.testing import CliRunner
from support.media import film_page, webvtt
from support.nobody import nobody_command
from support.pdfs import make_pdf
from support.server import TestServer

from konfarkiv.archive.archive import Archive
from konfarkiv.cli import cli

OLD_TRIGGER = """CREATE TRIGGER q_material_changed AFTER UPDATE ON materials
WHEN OLD.status IS NOT NEW.status OR OLD.session_id IS NOT NEW.session_id
  OR OLD.label IS NOT NEW.label OR OLD.kind IS NOT NEW.kind
BEGIN
    INSERT OR IGNORE INTO index_queue VALUES (NEW.event_id, datetime('now'));
END"""


def twice_linked_page(label: str = "Presentation av SKL (PDF, nytt fönster)") -> str:
    """A real page shape: the programme PDF linked in two sessions and twice in one."""
    return f"""<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">
<title>Dokumentation: Dubbla länkar</title></head><body><main>
<h1>Dokumentation: Dubbla länkar</h1>
<p>Ett nätverksmöte om klimatanpassning.</p>
<h2>Klimatanpassning i planeringen</h2>
<p>Anna Andersson, Sveriges Kommuner och Regioner</p>
<p><a href="/program.pdf">{label}</a></p>
<h2>Dagvatten och skyfall</h2>
<p>Bo Berg, Naturvårdsverket</p>
<p><a href="/program.pdf">{label}</a></p>
<p><a href="/program.pdf">Programmet igen (PDF)</a></p>
</main></body></html>"""


def ingest(home: Path, url: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--home", str(home), "ingest", url])
    return result.exit_code, result.output


def test_a_page_linking_one_file_twice_is_archived(tmp_path: Path) -> None:
    with TestServer() as server:
        server.add_file("/program.pdf", make_pdf(None, ["Skyfallskartering i kommunen"]))
        url = server.add_file("/dubbla.html", twice_linked_page())
        code, out = ingest(tmp_path, url)
        assert code == 0, out
        assert server.count("/program.pdf", "GET") == 1  # one file, fetched once
        # A re-ingest that changes the link text updates the one material in place.
        server.replace_file("/dubbla.html", twice_linked_page("Programmet (PDF)"))
        code, out = ingest(tmp_path, url)
        assert code == 0, out
    with Archive.open(tmp_path) as archive:
        rows = archive.catalog.all("SELECT label, status FROM materials")
        assert [(r["label"], r["status"]) for r in rows] == [("Programmet", "ok")]
        assert archive.catalog.index_pending() == []


def test_a_catalog_with_the_old_queue_triggers_is_mended_on_open(tmp_path: Path) -> None:
    with Archive.open(tmp_path):
        pass
    db = sqlite3.connect(tmp_path / "catalog.sqlite")
    db.execute("DROP TRIGGER q_material_changed")
    db.execute(OLD_TRIGGER)
    db.commit()
    db.close()
    with TestServer() as server:
        server.add_file("/program.pdf", make_pdf(None, ["Skyfallskartering i kommunen"]))
        url = server.add_file("/dubbla.html", twice_linked_page())
        code, out = ingest(tmp_path, url)
        assert code == 0, out
        server.replace_file("/dubbla.html", twice_linked_page("Programmet (PDF)"))
        code, out = ingest(tmp_path, url)
        assert code == 0, out
    db = sqlite3.connect(tmp_path / "catalog.sqlite")
    sql = db.execute("SELECT sql FROM sqlite_master WHERE name='q_material_changed'").fetchone()
    assert "OR IGNORE" not in sql[0]


# ---- 2. export aimed at the catalog; verify on a lost catalog ------------------------------


def archived_home(home: Path) -> None:
    """An archive holding one event with a PDF (two stored files: the page and the PDF)."""
    with TestServer() as server:
        server.add_file("/program.pdf", make_pdf(None, ["Skyfallskartering i kommunen"]))
        code, out = ingest(home, server.add_file("/dubbla.html", twice_linked_page()))
        assert code == 0, out


def run(home: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--home", str(home), *args])
    return result.exit_code, result.output + (
        "" if result.exception is None or isinstance(result.exception, SystemExit)
        else f"\n{type(result.exception).__name__}: {result.exception}")


def test_export_into_the_archive_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    home = tmp_path / "home"
    archived_home(home)
    catalog = home / "catalog.sqlite"
    before = catalog.read_bytes()
    stored = next(p for p in (home / "files").rglob("*") if p.is_file())
    link = tmp_path / "innocent.jsonl"
    link.symlink_to(catalog)
    for option, target in [("--jsonl", catalog), ("--csv", catalog), ("--jsonl", link),
                           ("--csv", home / "new.csv"), ("--jsonl", stored),
                           ("--csv", home / "files" / "x.csv")]:
        code, out = run(home, "export", option, str(target))
        assert code == 1, (option, target, out)
        assert "inside the archive" in out and "Traceback" not in out, out
        assert catalog.read_bytes() == before
    assert not (home / "new.csv").exists() and not (home / "files" / "x.csv").exists()
    code, out = run(home, "search", "skyfallskartering")
    assert code == 0 and "Skyfallskartering" in out, out
    code, out = run(home, "export", "--bagit", str(home / "bag"))
    assert code == 1 and "inside the archive" in out, out
    code, out = run(home, "export", "--jsonl", str(tmp_path / "ok.jsonl"))
    assert code == 0, out


def test_verify_calls_a_lost_catalog_beside_stored_files_the_worst_damage(
        tmp_path: Path) -> None:
    home = tmp_path / "home"
    archived_home(home)
    catalog = home / "catalog.sqlite"
    for wal in home.glob("catalog.sqlite-*"):
        wal.unlink()
    catalog.write_bytes(b"")
    code, out = run(home, "verify")
    assert code == 3, out
    assert "catalog" in out and "empty" in out and "harmless" not in out, out
    assert catalog.stat().st_size == 0  # verify never turns the damage into a fresh catalog
    catalog.unlink()
    code, out = run(home, "verify")
    assert code == 3 and "missing" in out, out
    assert not catalog.exists()
    code, out = run(home, "status")
    assert code == 1 and "missing" in out and "Traceback" not in out, out


# ---- 4. a saved page leads only to regular files inside its own folder ---------------------


def test_a_saved_page_reads_only_regular_files_inside_its_folder(tmp_path: Path) -> None:
    from konfarkiv.ingest.fetch import DEFAULT_MAX_BYTES

    secret = tmp_path / "secret.txt"
    secret.write_text("hemligt lösenord 12345")
    site = tmp_path / "site"
    (site / "sub").mkdir(parents=True)
    (site / "ok.pdf").write_bytes(make_pdf(None, ["Skyfallskartering i kommunen"]))
    (site / "ut.pdf").symlink_to(secret)
    (site / "inne.pdf").symlink_to(site / "ok.pdf")  # a symlink staying inside is fine
    os.mkfifo(site / "ror.pdf")  # reading a FIFO would block the run for ever
    with open(site / "stor.pdf", "wb") as fh:  # sparse: costs no disk
        fh.truncate(DEFAULT_MAX_BYTES + 1)
    hostile = ["/etc/shadow", "/proc/self/environ", "../../../../../../etc/passwd",
               "/dev/zero", "ut.pdf", "ror.pdf", "stor.pdf", "sub/../../secret.txt", str(secret)]
    links = "".join(f'<p><a href="{h}">Bilaga {n} (PDF)</a></p>' for n, h in enumerate(hostile))
    (site / "index.html").write_text(f"""<!DOCTYPE html><html lang="sv"><head>
<meta charset="utf-8"><title>Dokumentation: Sparad sida</title></head><body><main>
<h1>Dokumentation: Sparad sida</h1><h2>Skyfall</h2><p>Anna Andersson, SKR</p>
<p><a href="ok.pdf">Presentation (PDF)</a></p><p><a href="inne.pdf">Samma (PDF)</a></p>
{links}</main></body></html>""", "utf-8")
    home = tmp_path / "home"
    code, out = run(home, "ingest", str(site / "index.html"))
    assert code == 3, out
    failures = [line for line in out.splitlines() if line.startswith("  ")]
    for h in hostile:
        name = Path(h).name
        assert sum(name in line for line in failures) >= 1, (h, out)
    assert "Traceback" not in out
    with Archive.open(home) as archive:
        ok = archive.catalog.all("SELECT url FROM materials WHERE status='ok'")
        assert sorted(Path(r["url"]).name for r in ok) == ["inne.pdf", "ok.pdf"]
        stored = [archive.store.read_bytes(sha) for sha in archive.store.iter_stored()]
    assert not any(b"12345" in b or b"root:" in b for b in stored)
    assert list((home / "tmp").iterdir()) == []


# ---- 3. yt-dlp goes around the address policy ----------------------------------------------


def film_links_page(links: list[tuple[str, str]]) -> str:
    items = "".join(f'<p><a href="{href}">{text}</a></p>' for href, text in links)
    return f"""<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">
<title>Dokumentation: Filmer</title></head><body><main>
<h1>Dokumentation: Filmer</h1><h2>Klimatdagen</h2><p>Anna Andersson, SKR</p>
{items}</main></body></html>"""


def test_ytdlp_is_held_to_the_address_policy(tmp_path: Path) -> None:
    """A film page redirecting (302 or meta refresh) to an internal address, or a link to the
    page's own host on another port, reaches nothing there: each is a one-line refusal."""
    with TestServer() as inside, TestServer() as site:
        inside.add_file("/intern.html", film_page("Hemlig intern sida", "v.mp4", "v.vtt"))
        inside.add_file("/v.vtt", webvtt([(0.0, 2.0, "Internt.")]))
        inside.add_file("/x.pdf", make_pdf(None, ["Internt dokument"]))
        internal = f"http://localhost:{inside.port}/intern.html"
        site.add_file("/film/flyttad.html", b"", status=302, headers={"Location": internal})
        site.add_file("/film/uppdatera.html", f"""<html><head><meta http-equiv="refresh"
content="0; url=http://127.0.0.1:{inside.port}/intern.html"><title>Vänta</title></head>
<body>Vänta…</body></html>""")
        site.add_file("/film/v.vtt", webvtt([(0.0, 2.0, "Välkomna.")]))
        site.add_file("/film/riktig.html", film_page("Riktig film", "v.mp4", "v.vtt"))
        url = site.add_file("/filmer.html", film_links_page([
            ("/film/flyttad.html", "Se film, flyttad (nytt fönster)"),
            ("/film/uppdatera.html", "Se film, uppdatera (nytt fönster)"),
            ("/film/riktig.html", "Se film, riktig (nytt fönster)"),
            (inside.url("/x.pdf"), "Annan port (PDF)"),
            (inside.url("/intern.html"), "Se film, annan port (nytt fönster)"),
        ]))
        code, out = run(tmp_path, "ingest", url)
        assert inside.requests == [], [r.path for r in inside.requests]
    assert code == 3, out
    assert out.split("failures (")[-1].count("refused") == 4, out  # the summary's list
    code, out = run(tmp_path, "search", "hemlig")
    assert "Hemlig" not in out, out
    with Archive.open(tmp_path) as archive:
        films = archive.catalog.all("SELECT title FROM films")
    assert [r["title"].split(" (")[0] for r in films] == ["Riktig film"]


# ---- 5. bad caption cues are dropped and counted; nothing stops the run ---------------------

BAD_VTT = f"""WEBVTT

00:00:01.000 --> 00:00:04.000
Välkomna till klimatdagen.

{"9" * 400}:00:00.000 --> {"9" * 400}:00:01.000
En timme med fyrahundra siffror.

99:99:99.999 --> 99:99:99.999
Minuter och sekunder över sextio.

00:01:00.000 --> 00:01:05.000
Vi pratar om dagvattenhantering.
"""


def test_bad_caption_cues_are_dropped_and_counted(tmp_path: Path) -> None:
    with TestServer() as site:
        site.add_file("/film/v.mp4", b"\x00" * 64, content_type="video/mp4")
        site.add_file("/film/trasig.vtt", BAD_VTT)
        site.add_file("/film/trasig.html", film_page("Trasiga undertexter", "v.mp4", "trasig.vtt"))
        site.add_file("/film/hel.vtt", webvtt([(0.0, 3.0, "Skyfall och översvämning.")]))
        site.add_file("/film/hel.html", film_page("Hela undertexter", "v.mp4", "hel.vtt"))
        url = site.add_file("/filmer.html", film_links_page([
            ("/film/trasig.html", "Se film, trasig (nytt fönster)"),
            ("/film/hel.html", "Se film, hel (nytt fönster)"),
        ]))
        code, out = run(tmp_path, "ingest", url)
        assert code == 3, out
        assert "2 bad caption cues dropped" in out and "Traceback" not in out, out
        code, out = run(tmp_path, "update", "--film-refresh-days", "0")
        assert code == 3 and "Traceback" not in out, out
    with Archive.open(tmp_path) as archive:
        films = {r["title"].split(" (")[0]: r for r in archive.catalog.all(
            "SELECT f.title, m.error, (SELECT count(*) FROM cues c WHERE c.film_id=f.id) AS n "
            "FROM films f JOIN materials m ON m.id=f.material_id")}
    assert films["Trasiga undertexter"]["n"] == 2
    assert "2 bad caption cues dropped" in films["Trasiga undertexter"]["error"]
    assert films["Hela undertexter"]["n"] == 1 and films["Hela undertexter"]["error"] is None
    code, out = run(tmp_path, "search", "dagvattenhantering")
    assert code == 0 and "01:00" in out, out


# ---- 6. damage to the catalog or the index; snapshots and restore ---------------------------

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "natverksmote" / "index.html"
READERS = [("status",), ("show", "1"), ("search", "miljömål")]
WRITERS = [("verify",), ("reindex",), ("ingest", str(EXAMPLE)), ("export", "--jsonl", "-"),
           ("edit", "event", "1", "--title", "Nytt namn")]  # and export: never partial


def damage(path: Path, offset: int, size: int = 8192) -> None:
    with open(path, "r+b") as fh:
        fh.seek(offset)
        fh.write(bytes((n * 151 + 7) % 256 for n in range(size)))


def test_garbage_in_the_catalog_is_one_line_never_a_traceback_or_success(
        tmp_path: Path) -> None:
    good = tmp_path / "good"
    code, out = run(good, "ingest", str(EXAMPLE))
    assert code == 0, out
    size = (good / "catalog.sqlite").stat().st_size
    for n, offset in enumerate(range(0, size - 8192, max(4096, (size // 6) // 4096 * 4096))):
        home = tmp_path / f"home{n}"
        shutil.copytree(good, home)
        damage(home / "catalog.sqlite", offset)
        for args in READERS + WRITERS:
            code, out = run(home, *args)
            assert "Traceback" not in out and not out.startswith("\n"), (offset, args, out)
            if args in WRITERS:  # checked before anything is written: never a success
                assert code == (3 if args == ("verify",) else 1), (offset, args, out)
                assert "damaged" in out and "konfarkiv restore" in out, (offset, args, out)
            elif code != 0:
                assert "damaged" in out or "malformed" in out, (offset, args, out)


def test_a_destroyed_catalog_is_restored_from_a_snapshot(tmp_path: Path) -> None:
    code, out = run(tmp_path, "ingest", str(EXAMPLE))
    assert code == 0, out
    code, out = run(tmp_path, "edit", "event", "1", "--title", "Miljöstrateger i nätverk")
    assert code == 0, out
    for _ in range(3):  # reindex changes no catalog row: it keeps no snapshot of its own
        code, out = run(tmp_path, "reindex")
        assert code == 0, out
    code, out = run(tmp_path, "edit", "event", "1", "--date", "2019-03-14")
    assert code == 0, out
    code, listing = run(tmp_path, "restore")
    names = [line.split()[0] for line in listing.splitlines()]
    assert len(names) == 3 and all(n.startswith("catalog-") for n in names), listing
    catalog = tmp_path / "catalog.sqlite"
    damage(catalog, 0, catalog.stat().st_size)  # every byte garbage
    code, out = run(tmp_path, "search", "miljömål")
    assert code == 1 and "damaged" in out and "konfarkiv restore" in out, out
    code, out = run(tmp_path, "restore", names[0])  # from before the date: the title edited
    assert code == 0 and "restored" in out, out
    aside = [p for p in (tmp_path / "backups").iterdir() if p.name.startswith("replaced-")]
    assert aside, "the destroyed catalog is kept aside, not deleted"
    code, out = run(tmp_path, "search", "miljömål")
    assert code == 0 and "Miljöstrateger i nätverk" in out, out
    code, out = run(tmp_path, "verify")
    assert code == 0, out


def test_garbage_in_the_index_is_rebuilt_by_search(tmp_path: Path) -> None:
    code, out = run(tmp_path, "ingest", str(EXAMPLE))
    assert code == 0, out
    for f in sorted((tmp_path / "index").iterdir()):
        if f.stat().st_size > 64:
            damage(f, f.stat().st_size // 3, min(8192, f.stat().st_size // 2))
    code, out = run(tmp_path, "search", "miljömål")
    assert code == 0 and "rebuilt" in out, out
    code, out = run(tmp_path, "search", "miljömål")
    assert code == 0 and "rebuilt" not in out and "miljömål" in out.lower(), out


def run_without_write_access(home: Path, *args: str) -> tuple[int, str]:
    """The CLI in a child that may not write the archive: as root (who may write anything)
    the child runs as nobody (setpriv), from a copy of what it imports when this checkout
    is out of nobody's reach (support/nobody.py); otherwise the archive is made read-only."""
    start = [sys.executable]
    env = None
    if os.geteuid() == 0:
        start, env = nobody_command(home.parent)
    else:
        for p in [home, *home.rglob("*")]:
            p.chmod(p.stat().st_mode & ~0o222)
    proc = subprocess.run([*start, "-c", "from konfarkiv.cli import main; main()",
                           "--home", str(home), *args], capture_output=True, text=True,
                          timeout=120, check=False, env=env, cwd=home.parent)
    return proc.returncode, proc.stdout + proc.stderr


def test_a_read_only_archive_gives_a_one_line_hint(tmp_path: Path) -> None:
    """Passes wherever the checkout lives: in a folder nobody may enter too (issue 21)."""
    shared = Path(tempfile.mkdtemp(dir="/tmp" if Path("/tmp").is_dir() else None))
    try:
        shared.chmod(0o755)
        home = shared / "home"
        page = shared / "sida" / EXAMPLE.name
        shutil.copytree(EXAMPLE.parent, page.parent)  # a page the child may read
        code, out = run(home, "ingest", str(page))
        assert code == 0, out
        for p in [home, *home.rglob("*"), *page.parent.rglob("*")]:
            p.chmod(p.stat().st_mode | 0o444 | (0o111 if p.is_dir() else 0))
        for args in [("status",), ("search", "miljömål"), ("ingest", str(page)),
                     ("verify",)]:
            code, out = run_without_write_access(home, *args)
            assert code == 1, (args, out)
            assert "Traceback" not in out and "read-only" in out and "hint:" in out, (args, out)
    finally:
        for p in [shared, *shared.rglob("*")]:
            p.chmod(p.stat().st_mode | 0o200)
        shutil.rmtree(shared)


# ---- 7. SIGTERM leaves no stale owner file and no half-downloads ----------------------------


def test_sigterm_leaves_no_owner_file_and_no_temporary_files(tmp_path: Path) -> None:
    with TestServer() as server:
        def hang(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(200)
            handler.send_header("Content-Type", "application/pdf")
            handler.end_headers()
            handler.wfile.write(b"%PDF-1.4\n" + b"x" * 100_000)
            handler.wfile.flush()
            server.stopping.wait(60)

        server.add_route("/hanger.pdf", hang)
        url = server.add_file("/sida.html", film_links_page([("/hanger.pdf", "Bilaga (PDF)")]))
        proc = subprocess.Popen(
            [sys.executable, "-c", "from konfarkiv.cli import main; main()", "--home",
             str(tmp_path), "ingest", url], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, start_new_session=True)
        deadline = time.monotonic() + 60
        while not list((tmp_path / "tmp").glob("incoming-*")):
            assert time.monotonic() < deadline and proc.poll() is None, "never downloaded"
            time.sleep(0.05)
        assert (tmp_path / "writer.owner.json").exists()
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143 and err.strip().splitlines()[-1] == "terminated", err
    assert not (tmp_path / "writer.owner.json").exists()
    assert list((tmp_path / "tmp").iterdir()) == []


def test_leftovers_in_tmp_are_cleaned_by_the_next_writer(tmp_path: Path) -> None:
    code, out = run(tmp_path, "ingest", str(EXAMPLE))
    assert code == 0, out
    (tmp_path / "tmp" / "incoming-killed").write_bytes(b"\0" * 1000)
    (tmp_path / "writer.owner.json").write_text('{"pid": 999999, "since": "x"}')
    code, out = run(tmp_path, "edit", "event", "1", "--title", "Ny titel")
    assert code == 0, out
    assert list((tmp_path / "tmp").iterdir()) == []
    assert not (tmp_path / "writer.owner.json").exists()


# ---- 8. control characters from pages never reach the terminal raw -------------------------

HOSTILE_TITLE = "Ond\u202eavsikt\x1b[2J\x07 och\u2066dold\u2069 text"
RAW = ["\u202e", "\x1b", "\x07", "\u2066", "\u2069", "\x00"]


def test_control_characters_from_pages_are_made_visible_in_text_and_escaped_in_json(
        tmp_path: Path) -> None:
    page = f"""<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">
<title>Dokumentation: {HOSTILE_TITLE}</title></head><body><main>
<h1>Dokumentation: {HOSTILE_TITLE}</h1>
<h2>Pass om {HOSTILE_TITLE}</h2><p>Anna\u202e Andersson, SKR</p>
<p><a href="/p.pdf">Bilaga \u202e{HOSTILE_TITLE} (PDF)</a></p></main></body></html>"""
    with TestServer() as server:
        server.add_file("/p.pdf", make_pdf(None, ["Dagvatten och skyfall"]))
        url = server.add_file("/ond.html", page)
        outputs = [run(tmp_path, "ingest", url)]
    outputs += [run(tmp_path, *args) for args in [
        ("search", "avsikt"), ("search", "dagvatten"), ("show", "1"), ("show", "session:1"),
        ("show", "material:1")]]
    for code, out in outputs:
        assert code == 0, out
        assert not any(c in out for c in RAW), repr(out)
        assert "avsikt" in out
    code, out = run(tmp_path, "search", "avsikt", "--json")
    assert code == 0 and not any(c in out for c in RAW), repr(out)
    assert "\\u202e" in out
    data = json.loads(out)
    assert "\u202e" in data["results"][0]["event"]["title"]  # the data itself is kept


# ---- 9. each extraction child has its own memory limit ---------------------------------------


def extract_in_fresh_process(path: Path, budget: int) -> tuple[dict[str, object], str]:
    """extract_pdf run as ingest runs it, from a fresh small process (pytest's own heap has
    room a forked child could use without mapping anything new)."""
    code = ("import json, sys; from pathlib import Path; "
            "from konfarkiv.ingest.pdftext import extract_pdf; "
            "x = extract_pdf(Path(sys.argv[1]), time_limit=60, memory_budget=int(sys.argv[2])); "
            "print(json.dumps({'outcome': x.outcome, 'pages': x.page_count, 'error': x.error}))")
    proc = subprocess.run([sys.executable, "-c", code, str(path), str(budget)],
                          capture_output=True, text=True, timeout=120, check=True)
    return json.loads(proc.stdout), proc.stderr


def test_a_pdf_over_the_extractors_memory_limit_fails_with_that_reason(tmp_path: Path) -> None:
    path = tmp_path / "lang.pdf"
    make_pdf(path, [f"Sida {n}: dagvatten och skyfall i kommunen " * 30 for n in range(150)])
    starved, err = extract_in_fresh_process(path, 1 << 20)
    assert starved["outcome"] in ("failed", "partial"), starved  # pages done are kept
    assert "memory limit (1 MB" in str(starved["error"])
    assert "Traceback" not in err, err  # the child says nothing itself
    fed, err = extract_in_fresh_process(path, 512 << 20)
    assert fed == {"outcome": "text", "pages": 150, "error": None}, fed


# ---- 1b. a file linked from two sessions belongs to both ------------------------------------


def two_sessions_page(second_links_it: bool = True) -> str:
    shared = '<p><a href="/gemensam.pdf">Gemensamma bilder (PDF)</a></p>'
    return f"""<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">
<title>Dokumentation: Två pass</title></head><body><main>
<h1>Dokumentation: Två pass</h1><p>Ett nätverksmöte om klimatanpassning.</p>
<h2>Klimatanpassning i planeringen</h2><p>Anna Andersson, Sveriges Kommuner och Regioner</p>
{shared}<p><a href="/egen.pdf">Annas bilder (PDF)</a></p>
<h2>Dagvatten och skyfall</h2><p>Bo Berg, Naturvårdsverket</p>
{shared if second_links_it else ""}</main></body></html>"""


def test_a_file_linked_from_two_sessions_belongs_to_both(tmp_path: Path) -> None:
    with TestServer() as server:
        server.add_file("/gemensam.pdf", make_pdf(None, ["Skyfallskartering i kommunen"]))
        server.add_file("/egen.pdf", make_pdf(None, ["Planering och klimat"]))
        url = server.add_file("/tva.html", two_sessions_page())
        code, out = ingest(tmp_path, url)
        assert code == 0, out
        with Archive.open(tmp_path) as archive:
            cat = archive.catalog
            first, second = [r["id"] for r in cat.all("SELECT id FROM sessions ORDER BY position")]
            shared = cat.one("SELECT * FROM materials WHERE url LIKE '%gemensam.pdf'")
            assert shared["session_id"] == first  # the first link; material_sessions holds all
            assert cat.material_sessions(shared["id"]) == [first, second]
            assert cat.sessions_by_material(shared["event_id"])[shared["id"]] == [first, second]
        code, out = run(tmp_path, "show", f"session:{second}", "--json")
        assert code == 0 and [m["label"] for m in json.loads(out)["materials"]] == [
            "Gemensamma bilder"], out
        code, out = run(tmp_path, "show", f"material:{shared['id']}", "--json")
        assert json.loads(out)["session_ids"] == [first, second], out
        code, out = run(tmp_path, "export", "--jsonl", "-")
        recs = [json.loads(line) for line in out.splitlines()]
        assert [r["session_ids"] for r in recs if r.get("label") == "Gemensamma bilder"] == [
            [first, second]]
        code, out = run(tmp_path, "export", "--csv", "-")
        rows = [r for r in out.splitlines() if "gemensam.pdf" in r]
        assert len(rows) == 2 and "Klimatanpassning" in rows[0] and "Dagvatten" in rows[1], out
        # The second session stops linking it: it belongs to the first only.
        server.replace_file("/tva.html", two_sessions_page(second_links_it=False))
        code, out = ingest(tmp_path, url)
        assert code == 0, out
    with Archive.open(tmp_path) as archive:
        assert archive.catalog.material_sessions(shared["id"]) == [first]


def test_search_finds_a_file_linked_from_two_sessions_under_both(tmp_path: Path) -> None:
    with TestServer() as server:
        server.add_file("/gemensam.pdf", make_pdf(None, ["Inledning", "Skyfallskartering i"
                                                                     " kommunen"]))
        server.add_file("/egen.pdf", make_pdf(None, ["Planering och klimat"]))
        code, out = ingest(tmp_path, server.add_file("/tva.html", two_sessions_page()))
        assert code == 0, out
    with Archive.open(tmp_path) as archive:
        cat = archive.catalog
        first, second = [r["id"] for r in cat.all("SELECT id FROM sessions ORDER BY position")]
        shared = cat.one("SELECT id FROM materials WHERE url LIKE '%gemensam.pdf'")["id"]
    code, out = run(tmp_path, "search", "skyfallskartering", "--json")
    assert code == 0, out
    results = json.loads(out)["results"]
    assert sorted(r["session"]["id"] for r in results) == [first, second], out
    for r in results:
        assert [(h["kind"], h["page"], h["id"]) for h in r["hits"]] == [
            ("slide", 2, f"material:{shared}@2")], r
    # Words of the other session's own file do not pull the shared file's session in.
    code, out = run(tmp_path, "search", "planering och klimat", "--json")
    assert [r["session"]["id"] for r in json.loads(out)["results"]] == [first], out


def test_an_old_catalog_gets_the_session_links_of_its_materials(tmp_path: Path) -> None:
    with TestServer() as server:
        server.add_file("/gemensam.pdf", make_pdf(None, ["Skyfallskartering i kommunen"]))
        server.add_file("/egen.pdf", make_pdf(None, ["Planering och klimat"]))
        code, out = ingest(tmp_path, server.add_file("/tva.html", two_sessions_page()))
        assert code == 0, out
    db = sqlite3.connect(tmp_path / "catalog.sqlite")
    for name in [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type='trigger' AND sql LIKE "
            "'%material_sessions%'")]:
        db.execute(f"DROP TRIGGER {name}")
    db.execute("DROP TABLE material_sessions")
    before = db.execute("SELECT id, session_id FROM materials WHERE session_id IS NOT NULL"
                        ).fetchall()
    db.commit()
    db.close()
    assert len(before) == 2  # the shared PDF and Annas bilder, both first in session 1
    with Archive.open(tmp_path) as archive:
        assert [(m, archive.catalog.material_sessions(m)) for m, _ in before] == [
            (m, [s]) for m, s in before]
