"""Films for the player tests: a WAV served with byte ranges (so browsers can seek), a film
page playing it, and a local stand-in for a platform that allows only its own embedded
player (YouTube-style `/embed/ID?start=N`); everything on 127.0.0.1."""

from __future__ import annotations

import html
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from support.media import film_page, webvtt
from support.server import Handler, TestServer
from support.web import Served, start_serve, write_wav

EMBED_ID = "abc123"


def ranged(body: bytes, content_type: str) -> Handler:
    """A route serving body with byte ranges, as film hosts do (players seek with them)."""
    def handle(h: BaseHTTPRequestHandler) -> None:
        start, end = 0, len(body) - 1
        wanted = h.headers.get("Range", "")
        if wanted.startswith("bytes="):
            first, _, last = wanted[6:].split(",")[0].partition("-")
            start = int(first) if first else max(0, len(body) - int(last or 0))
            end = int(last) if first and last else len(body) - 1
            h.send_response(206)
            h.send_header("Content-Range", f"bytes {start}-{end}/{len(body)}")
        else:
            h.send_response(200)
        h.send_header("Content-Type", content_type)
        h.send_header("Accept-Ranges", "bytes")
        h.send_header("Content-Length", str(end - start + 1))
        h.end_headers()
        if h.command != "HEAD":
            h.wfile.write(body[start:end + 1])
    return handle


def standin_player(title: str, media: str, track: str) -> str:
    """The stand-in platform's embedded player: it plays from its `start` parameter, with
    its own captions on, as YouTube's embed does with start= and cc_load_policy=1."""
    t = html.escape(title)
    return f"""<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>{t}</title></head>
<body style="margin:0">
<video controls style="width:100%" src="{html.escape(media)}" type="audio/wav">
  <track kind="captions" src="{html.escape(track)}" srclang="sv" label="Svenska" default>
</video>
<script>
var v = document.querySelector("video");
var start = Number(new URLSearchParams(location.search).get("start") || 0);
v.addEventListener("loadedmetadata", function () {{ v.currentTime = start; }});
</script>
</body></html>
"""


def embedding_page(title: str, player: str) -> str:
    """A film page with no media of its own, only the platform's player (and its card)."""
    t = html.escape(title)
    return f"""<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>{t}</title>
<meta name="twitter:card" content="player">
<meta name="twitter:player" content="{html.escape(player)}">
<meta name="twitter:player:width" content="640"><meta name="twitter:player:height" content="360">
</head><body><h1>{t}</h1>
<iframe src="{html.escape(player)}" width="640" height="360" title="{t}"></iframe>
</body></html>
"""


def serve_films(server: TestServer, folder: Path,
                films: dict[str, list[tuple[float, float, str]]]) -> dict[str, str]:
    """Each named film on the server: "direct" as a page with its media file, "embedded" as
    a page that only embeds the stand-in player. Returns the film pages' URLs."""
    wav = write_wav(folder / "clip.wav").read_bytes()
    server.add_route("/media/clip.wav", ranged(wav, "audio/wav"))
    urls = {}
    for name, cues in films.items():
        server.add_file(f"/film/{name}.vtt", webvtt(cues), content_type="text/vtt")
        if name.startswith("embedded"):
            server.add_file(f"/embed/{EMBED_ID}", standin_player(
                f"Spelaren {name}", server.url("/media/clip.wav"), server.url(f"/film/{name}.vtt")),
                content_type="text/html; charset=utf-8")
            page = embedding_page(f"Filmen {name}", server.url(f"/embed/{EMBED_ID}"))
        else:
            page = film_page(f"Filmen {name}", server.url("/media/clip.wav"),
                             server.url(f"/film/{name}.vtt"))
            page = page.replace('type="video/mp4"', 'type="audio/wav"')
        urls[name] = server.add_file(f"/film/{name}.html", page)
    return urls


#: One caption word per way of playing: each found only in its film's captions, at CUE s.
CUE = 40.0
WORDS = {"direct": "dagvattenkassetter", "embedded": "takträdgårdar",
         "saved": "skyfallsskydd", "archived": "regnbäddar"}


def _cues(word: str) -> list[tuple[float, float, str]]:
    return [(1.0, 4.0, "Välkomna till filmen."), (20.0, 24.0, "Vi börjar med bakgrunden."),
            (CUE, CUE + 3, f"Här visar vi {word} i parken.")]


def documentation_page(title: str, films: dict[str, str]) -> str:
    """A documentation page with one session per film, each linking its film page."""
    sessions = "".join(
        f'<h2 class="subheading">Passet om {html.escape(WORDS[name][:6])} ({name})</h2>\n'
        f'<p class="normal">Eva Ek, Malmö stad</p>\n'
        f'<p class="normal"><a href="{html.escape(url)}">Se film, {name} (nytt fönster)</a></p>\n'
        for name, url in films.items())
    return f"""<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>{html.escape(title)}</title></head>
<body><main><h1 class="heading">Dokumentation: {html.escape(title)}</h1>
<p class="ingress">Ett seminarium om vatten i staden.</p>
{sessions}</main></body></html>
"""


def saved_site(folder: Path) -> Path:
    """A saved documentation page on disk whose film page plays a file beside it."""
    (folder / "film").mkdir(parents=True)
    write_wav(folder / "film" / "sparad.wav")
    (folder / "film" / "sparad.vtt").write_text(webvtt(_cues(WORDS["saved"])), "utf-8")
    (folder / "film" / "sparad.html").write_text(
        film_page("Filmen sparad", "sparad.wav", "sparad.vtt").replace(
            'type="video/mp4"', 'type="audio/wav"'), "utf-8")
    page = folder / "index.html"
    page.write_text(documentation_page("Sparat seminarium", {"saved": "film/sparad.html"}),
                    "utf-8")
    return page


def player_archive(root: Path, server: TestServer) -> Path:
    """An archive with a film for each way of playing: over http with its media file
    (direct), embedding only a platform's player (embedded), from a saved page (saved),
    and one whose file the archive holds, added by hand (archived)."""
    from support.web import add_archived_film, ingest

    films = serve_films(server, root, {n: _cues(WORDS[n]) for n in ("direct", "embedded")})
    page = server.add_file("/dok/seminarium.html",
                           documentation_page("Vattenseminariet", films))
    home = root / "arkiv"
    done = ingest(home, page, saved_site(root / "sparad"))
    assert done.returncode == 0, done.stderr + done.stdout
    add_archived_film(home, write_wav(root / "regnbaddar.wav"))
    return home


@contextmanager
def served_player_archive(root: Path) -> Iterator[Served]:
    """`konfarkiv serve` on a player_archive, with the films' host up (media and players
    come from it) until the end."""
    films = TestServer().start()
    served = None
    try:
        served = start_serve(player_archive(root, films))
        yield served
    finally:
        if served is not None:
            served.stop()
        films.stop()
