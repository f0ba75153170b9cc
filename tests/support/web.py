"""Web test kit: archives to serve, a real `konfarkiv serve` process, a tiny real WAV film.

Archives are made with the real ingest (saved pages on disk, or served on 127.0.0.1) and
the real `add` for a film whose media file the archive holds.
"""

from __future__ import annotations

import html
import math
import os
import shutil
import signal
import subprocess
import sys
import wave
from dataclasses import dataclass
from pathlib import Path

from support.media import webvtt
from support.pdfs import make_pdf
from support.server import TestServer

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "natverksmote" / "index.html"

HOSTILE_TITLE = 'Möte <script>alert("titel")</script> & "citat" i \'staden\''
HOSTILE_SESSION = "<img src=x onerror=alert(1)> Dagvatten \"i\" 'staden'"
HOSTILE_SPEAKER = '<b onmouseover=alert(2)>Eva "Kvist"</b>, Kommun \'<script>x</script>\''
HOSTILE_SLIDE = "Skyfallsplanering <script>alert(3)</script> och dagvattendammar"

PARTIAL = 3  # ingest's exit status when some items failed: the hostile page's data: film
FILM_WORD = "regnbäddar"  # a word only the archived film's captions hold
FILM_CUE_START = 40.0  # past the first 30-second window of cues
FILM_SECONDS = 50


def write_wav(path: Path, seconds: int = FILM_SECONDS, rate: int = 8000) -> Path:
    """A real, quiet mono 8-bit WAV tone that browsers play natively (no ffmpeg needed)."""
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(1)
        w.setframerate(rate)
        w.writeframes(bytes(128 + int(20 * math.sin(2 * math.pi * 440 * i / rate))
                            for i in range(seconds * rate)))
    return path


def hostile_page(folder: Path) -> Path:
    """A saved page whose title, session, speaker and slide text try to inject HTML."""
    folder.mkdir(parents=True, exist_ok=True)
    make_pdf(folder / "dagvatten.pdf", ["Inledning", HOSTILE_SLIDE])
    e = html.escape
    page = folder / "hostile.html"
    page.write_text(f"""<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>{e(HOSTILE_TITLE)}</title></head>
<body><main>
<h1>{e(HOSTILE_TITLE)}</h1>
<p>Ett möte om vatten.</p>
<p><strong>{e(HOSTILE_SESSION)}</strong></p>
<p>{e(HOSTILE_SPEAKER)}</p>
<p><a href="dagvatten.pdf">Presentation om dagvatten (PDF, nytt fönster)</a></p>
<p><a href="javascript:alert(4)">Presentation om skyfall (PDF, nytt fönster)</a></p>
<p><a href="data:text/html,&lt;script&gt;alert(5)&lt;/script&gt;">Se film, regn</a></p>
</main></body></html>
""", encoding="utf-8")
    return page


def served_hostile_page(folder: Path) -> tuple[TestServer, str]:
    """The hostile page and its PDF on a started test server (http originals); its URL."""
    page = hostile_page(folder)
    server = TestServer().start()
    for f in page.parent.iterdir():
        server.add_file(f"/dokumentation/{f.name}", f.read_bytes())
    return server, server.url(f"/dokumentation/{page.name}")


def ingest(home: Path, *sources: str | Path) -> subprocess.CompletedProcess[str]:
    return konfarkiv(home, "ingest", *map(str, sources))


def konfarkiv(home: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """The real command line in a child process."""
    return subprocess.run([sys.executable, "-m", "konfarkiv.cli", "--home", str(home), *args],
                          capture_output=True, text=True, timeout=timeout, check=False)


def add_archived_film(home: Path, media: Path) -> None:
    """`konfarkiv add` a film whose media file the archive then holds, with Swedish captions
    beside it (film.sv.vtt), to the first session of the first event."""
    cues = [(1.0, 4.0, "Välkomna till passet om vatten."),
            (FILM_CUE_START, FILM_CUE_START + 3, f"Här visar vi {FILM_WORD} i parken.")]
    media.with_suffix(".sv.vtt").write_text(webvtt(cues), encoding="utf-8")
    done = konfarkiv(home, "add", str(media), "--event", "1", "--title",
                     "Filmen om regnbäddar")
    assert done.returncode == 0, done.stderr + done.stdout


def web_archive(root: Path) -> Path:
    """The archive both web test modules search: the bundled example, a hostile page (served
    over 127.0.0.1, its data: film the one failure) and a film whose media the archive holds."""
    home = root / "arkiv"
    server, hostile = served_hostile_page(root / "hostile")
    try:
        done = ingest(home, EXAMPLE, hostile)
    finally:
        server.stop()
    assert done.returncode == PARTIAL, done.stderr + done.stdout
    add_archived_film(home, write_wav(root / "regnbaddar.wav"))
    return home


@dataclass
class Served:
    """A running `konfarkiv serve` and the URL it printed on its first line."""

    proc: subprocess.Popen[str]
    url: str

    def __enter__(self) -> Served:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def stop(self) -> str:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.stderr.read() if self.proc.stderr else ""


def start_serve(home: Path, *args: str, env: dict[str, str] | None = None) -> Served:
    """`konfarkiv --home HOME serve --port 0 ARGS` in a child; waits for its URL line."""
    env = dict(os.environ, PYTHONUNBUFFERED="1", **(env or {}))
    proc = subprocess.Popen(
        [sys.executable, "-m", "konfarkiv.cli", "--home", str(home), "serve", "--port", "0",
         *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    first = proc.stdout.readline().strip()
    if not first.startswith("http://"):
        proc.kill()
        raise AssertionError(f"serve printed {first!r}; stderr: {proc.stderr.read()}")
    return Served(proc, first)


def find_browser() -> tuple[str, str] | None:
    """(chromium, chromedriver) from the OS, or None."""
    chromium = os.environ.get("KONFARKIV_CHROMIUM") or next(
        (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p),
        None)
    driver = os.environ.get("KONFARKIV_CHROMEDRIVER") or shutil.which("chromedriver")
    usable = all(p and os.access(p, os.X_OK) for p in (chromium, driver))
    return (chromium, driver) if usable else None  # type: ignore[return-value]


def chromium_flags(profile: Path) -> list[str]:
    """Headless, and quiet on a closed network: no background connections to fail."""
    return ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-dev-shm-usage", "--mute-audio",
            "--autoplay-policy=no-user-gesture-required", "--window-size=1100,1400",
            f"--user-data-dir={profile}"]


