"""Synthetic SKR-like documentation for the benchmarks: text, PDFs, films and event pages.

Everything is deterministic for a seed. Text is Swedish-like: real common words
drawn by a Zipf law, domain compounds with linking letters and inflections
("miljömålsarbetet", "stadsutvecklingen"), and rarer made-up words built from
Swedish syllables (with å, ä and ö) so the vocabulary grows with the corpus as
real text does. PDFs are written directly (a small PDF writer below: Helvetica,
WinAnsi text, one Flate stream per page) so that 100k slides can be generated
in seconds; `catalog_corpus` fills a konfarkiv catalog through its own API
without any HTTP, for the 10k/100k search and indexing benchmarks.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

COMMON = """
kommun kommunen kommuner kommunerna region regionen regioner landsting stat staten
miljö klimat energi vatten trafik skola skolan vård omsorg hälsa bostad bostäder
arbete arbetet plan planen planering strategi mål målen uppföljning styrning budget
ekonomi utveckling hållbar hållbara hållbarhet social sociala ekologisk grön gröna
stad städer staden landsbygd invånare medborgare barn unga äldre elever lärare
politik politiker nämnd styrelse förvaltning chef medarbetare ledning samverkan
nätverk nätverket möte mötet konferens program presentation rapport resultat
analys data statistik indikator indikatorer kostnad kostnader investering
digital digitala tjänst tjänster service information kunskap erfarenhet exempel
fråga frågor svar arbeta utveckla skapa stödja följa leda bygga planera minska
öka förbättra genomföra besluta samarbeta förändring förändringar område områden
nationell nationella lokal lokala regional regionala gemensam gemensamma viktig
viktiga stor stora liten små ny nya god goda bättre bästa långsiktig tydlig
år året åren dag tid process processer modell metod metoder verktyg underlag
lag lagen krav ansvar uppdrag beslut avtal finansiering bidrag projekt projektet
grönstruktur dagvatten avfall återvinning kollektivtrafik cykel gång transporter
översiktsplan detaljplan bygglov markanvändning naturvård friluftsliv luft buller
integration arbetsmarknad företag näringsliv innovation forskning utbildning
demokrati dialog delaktighet jämställdhet tillgänglighet trygghet säkerhet
kris beredskap pandemi vaccination sjukvård primärvård psykiatri tandvård
""".split()
STOP = "och att det som en i på av för med till den är har om så men från vid eller".split()
HEADS = """miljö stad skola vård region kommun klimat energi trafik vatten bostad arbete
samhälle utveckling plan budget hälsa barn natur""".split()
TAILS = """mål arbete plan utveckling strategi styrelse förvaltning fråga nätverk politik
område insats program process ansvar frågor""".split()
LINKED = {"stad": "stads", "bostad": "bostads", "arbete": "arbets", "samhälle": "samhälls",
          "utveckling": "utvecklings", "hälsa": "hälso", "skola": "skol", "natur": "natur"}
ENDINGS = ("", "", "en", "et", "er", "erna", "s", "ens")
SYLLABLES = """ba be bo bå bä bö da de dö få fö gö ha hä hö ka kä kö la lä lö ma mä mö na nä
nö pa pä ra rä rö sa sä sö ta tä tö va vä vö sk st str sp kr gr tr fr pl bl kl sv
and ing ning het lig skap är ör ål äng örn ått ätt ost ust ark erk ärk ång ams""".split()
FIRST = "Anna Erik Maria Lars Karin Johan Eva Per Sara Anders Lena Magnus Åsa Örjan".split()
LAST = "Andersson Lindqvist Öberg Håkansson Nyström Ek Sjöberg Åberg Holm Wikström".split()
ORGS = ["SKR", "Region Östergötland", "Malmö stad", "Umeå kommun", "Länsstyrelsen Skåne",
        "Göteborgs stad", "Boverket", "Naturvårdsverket", "Region Västerbotten"]

#: Words the search benchmark queries; the generator guarantees they occur.
QUERY_WORDS = ("miljö", "hållbar", "kommunerna", "budget", "stadsutveckling", "översiktsplan")


def compound(rng: random.Random) -> str:
    """A domain compound with a linking letter and an inflection ending."""
    head, tail = rng.choice(HEADS), rng.choice(TAILS)
    return LINKED.get(head, head) + tail + rng.choice(ENDINGS)


def pseudo_word(rng: random.Random) -> str:
    """A rare made-up word from Swedish syllables (grows the vocabulary)."""
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


@dataclass
class TextGen:
    """Swedish-like sentences: Zipf-weighted common words, compounds, rare words."""

    seed: int = 1
    rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        rare = [pseudo_word(self.rng) for _ in range(40_000)]
        self.words = STOP + COMMON + rare
        self.weights = [1.0 / (rank + 1) ** 1.05 for rank in range(len(self.words))]
        self._pool = self.rng.choices(self.words, weights=self.weights, k=500_000)
        self._i = 0

    def word(self) -> str:
        self._i = (self._i + 7919) % len(self._pool)
        return self._pool[self._i] if self.rng.random() > 0.5 else self.rng.choice(self._pool)

    def sentence(self, n: int) -> str:
        out = []
        for _ in range(n):
            r = self.rng.random()
            out.append(compound(self.rng) if r < 0.07 else self.word())
        if self.rng.random() < 0.15:
            out.insert(self.rng.randrange(len(out) + 1), self.rng.choice(QUERY_WORDS))
        text = " ".join(out)
        return text[:1].upper() + text[1:] + "."

    def slide(self, words: int = 86) -> str:
        """A slide: a title line and bullet lines, about `words` words."""
        lines = [self.sentence(self.rng.randint(3, 7)).rstrip(".")]
        left = words - len(lines[0].split())
        while left > 0:
            n = min(left, self.rng.randint(6, 14))
            lines.append("• " + self.sentence(n))
            left -= n
        return "\n".join(lines)

    def title(self) -> str:
        return self.sentence(self.rng.randint(3, 6)).rstrip(".")

    def person(self) -> str:
        return f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}, {self.rng.choice(ORGS)}"


# ---- a small PDF writer ----------------------------------------------------------------


def _pdf_string(line: str) -> bytes:
    raw = line.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _wrap(text: str, width: int = 88) -> list[str]:
    lines: list[str] = []
    for para in text.splitlines():
        cur = ""
        for word in para.split():
            if cur and len(cur) + 1 + len(word) > width:
                lines.append(cur)
                cur = word
            else:
                cur = f"{cur} {word}" if cur else word
        lines.append(cur)
    return lines


def pdf_bytes(pages: list[str], *, image_bytes: int = 0, seed: int = 0) -> bytes:
    """A PDF with one text page per string; `image_bytes` of random (incompressible)
    grey image per page make a big file as a scanned or photo-heavy deck would be."""
    rng = random.Random(seed)
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    add(b"")  # 1: catalog, filled in below
    add(b"")  # 2: page tree
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
               b"/Encoding /WinAnsiEncoding >>")
    kids = []
    side = int(image_bytes**0.5) if image_bytes else 0
    for text in pages:
        ops = [b"BT /F1 11 Tf 14 TL 50 800 Td"]
        for line in _wrap(text)[:52]:
            ops.append(_pdf_string(line) + b" Tj T*")
        ops.append(b"ET")
        resources = f"/Font << /F1 {font} 0 R >>".encode()
        if side:
            data = rng.randbytes(side * side)
            img = add(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d "
                      b"/ColorSpace /DeviceGray /BitsPerComponent 8 /Length %d >>\nstream\n"
                      % (side, side, len(data)) + data + b"\nendstream")
            resources += f" /XObject << /Im1 {img} 0 R >>".encode()
            ops.insert(0, b"q 200 0 0 200 350 40 cm /Im1 Do Q")
        content = zlib.compress(b"\n".join(ops))
        stream = add(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content)
                     + content + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                        b"/Resources << " + resources + b" >> /Contents %d 0 R >>" % stream))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = (b"<< /Type /Pages /Count %d /Kids [" % len(kids)
                  + b" ".join(b"%d 0 R" % k for k in kids) + b"] >>")
    out = bytearray(b"%PDF-1.4\n%\xe5\xe4\xf6\xc5\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


# ---- films -------------------------------------------------------------------------------


def cues(gen: TextGen, n: int) -> list[tuple[float, float, str]]:
    """Caption cues of a film: one every four seconds or so."""
    out, t = [], 1.0
    for _ in range(n):
        d = gen.rng.uniform(2.5, 5.0)
        out.append((round(t, 3), round(t + d, 3), gen.sentence(gen.rng.randint(5, 12))))
        t += d + gen.rng.uniform(0.1, 1.0)
    return out


# ---- a whole site --------------------------------------------------------------------------


@dataclass(frozen=True)
class Size:
    """N events × M PDFs × K pages, plus films with captions."""

    name: str
    events: int
    pdfs: int  # per event
    pages: int  # per PDF
    films: int  # per event
    cues: int  # per film

    @property
    def slides(self) -> int:
        return self.events * self.pdfs * self.pages


SIZES = {
    "small": Size("small", events=4, pdfs=6, pages=10, films=1, cues=40),
    "10k": Size("10k", events=50, pdfs=20, pages=10, films=2, cues=120),
    "100k": Size("100k", events=250, pdfs=40, pages=10, films=4, cues=200),
    # Issue 11's caption scale: 5,000 films x 200 cues = 1M cues (and 10k one-page PDFs,
    # since every session that has a film has its slides too).
    "1m-cues": Size("1m-cues", events=250, pdfs=40, pages=1, films=20, cues=200),
}


@dataclass
class EventSpec:
    """One generated documentation page and its material."""

    slug: str
    title: str
    intro: str
    sessions: list[dict]  # title, description, speakers, pdfs [(name, label, pages)], films
    date: str


def events(size: Size, seed: int = 1) -> Iterator[EventSpec]:
    """The events of a corpus size, deterministically."""
    gen = TextGen(seed)
    for e in range(size.events):
        sessions = []
        per_session = 2
        n_sessions = max(1, (size.pdfs + per_session - 1) // per_session)
        pdf_no = film_no = 0
        for s in range(n_sessions):
            pdfs = []
            for _ in range(min(per_session, size.pdfs - pdf_no)):
                pages = [gen.slide() for _ in range(size.pages)]
                pdfs.append((f"e{e}-p{pdf_no}.pdf", f"Presentation {gen.title().lower()}", pages))
                pdf_no += 1
            films = []
            if film_no < size.films and s % max(1, n_sessions // max(1, size.films)) == 0:
                films.append((f"e{e}-f{film_no}", f"Se film, {gen.title().lower()}",
                              cues(gen, size.cues)))
                film_no += 1
            sessions.append({
                "title": gen.title(), "description": gen.sentence(18),
                "speakers": [gen.person() for _ in range(gen.rng.randint(1, 2))],
                "pdfs": pdfs, "films": films,
            })
        yield EventSpec(f"e{e}", f"Dokumentation: {gen.title()}", gen.sentence(25), sessions,
                        f"20{10 + e % 15:02d}-{1 + e % 12:02d}-{1 + e % 28:02d}")


def event_html(ev: EventSpec) -> str:
    """An SKR-like documentation page (the structure konfarkiv's parser reads)."""
    import html

    h = html.escape
    parts = [f"""<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">
<title>{h(ev.title)} - SKR</title></head><body><main>
<h1>{h(ev.title)}</h1><p class="ingress">{h(ev.intro)}</p>
<p>Datum: {ev.date}</p>"""]
    for s in ev.sessions:
        parts.append(f"<h2>{h(s['title'])}</h2><p>{h(s['description'])}</p>")
        parts.append(f"<p>{h(' och '.join(s['speakers']))}</p>")
        for name, label, _ in s["pdfs"]:
            parts.append(f'<p><a href="/files/{name}">{h(label)} (PDF, nytt fönster)</a></p>')
        for slug, label, _ in s["films"]:
            parts.append(f'<p><a href="/film/{slug}.html">{h(label)} (nytt fönster)</a></p>')
    parts.append("<h2>Kontakt</h2><p>Hjälpte informationen på sidan dig?</p></main></body></html>")
    return "\n".join(parts)


def write_site(size: Size, root: Path, video: bytes, seed: int = 1) -> list[str]:
    """Write the site's files under root; returns the event page paths (relative)."""
    from support.media import film_page, webvtt  # tests/support, put on sys.path by run.py

    (root / "files").mkdir(parents=True, exist_ok=True)
    (root / "film").mkdir(parents=True, exist_ok=True)
    (root / "film" / "film.mp4").write_bytes(video)
    pages = []
    for ev in events(size, seed):
        for s in ev.sessions:
            for i, (name, _, texts) in enumerate(s["pdfs"]):
                (root / "files" / name).write_bytes(pdf_bytes(texts, seed=i))
            for slug, label, cs in s["films"]:
                (root / "film" / f"{slug}.vtt").write_text(webvtt(cs), "utf-8")
                (root / "film" / f"{slug}.html").write_text(
                    film_page(label, "film.mp4", f"{slug}.vtt"), "utf-8")
        path = f"dokumentation/{ev.slug}.html"
        (root / "dokumentation").mkdir(exist_ok=True)
        (root / path).write_text(event_html(ev), "utf-8")
        pages.append(path)
    return pages


def catalog_corpus(catalog, size: Size, seed: int = 1) -> int:
    """Fill a konfarkiv catalog through its own API (no HTTP, no PDF); returns slides."""
    import hashlib

    from konfarkiv.archive.model import Material, Session, Speaker

    slides = 0
    for ev in events(size, seed):
        with catalog.transaction():
            sha = hashlib.sha256(ev.slug.encode()).hexdigest()
            catalog.record_blob(sha, 1, "text/html")
            url = f"http://127.0.0.1/dokumentation/{ev.slug}.html"
            eid = catalog.upsert_event(page_key=url, url=url, title=ev.title, date=ev.date,
                                       intro=ev.intro, page_sha256=sha)
            sessions, items = [], []
            for i, s in enumerate(ev.sessions):
                mats = [Material("pdf", label, f"http://127.0.0.1/files/{name}")
                        for name, label, _ in s["pdfs"]]
                mats += [Material("film", label, f"http://127.0.0.1/film/{slug}.html")
                         for slug, label, _ in s["films"]]
                speakers = tuple(Speaker(p.split(",")[0], p.split(", ", 1)[1])
                                 for p in s["speakers"])
                sessions.append(Session(s["title"], s["description"], speakers, tuple(mats)))
                items += [(i, m) for m in mats]
            sids = catalog.sync_sessions(eid, sessions)
            rows = catalog.sync_materials(eid, [(sids[i], m) for i, m in items])
            texts = {f"http://127.0.0.1/files/{n}": t
                     for s in ev.sessions for n, _, t in s["pdfs"]}
            films = {f"http://127.0.0.1/film/{slug}.html": (label, cs)
                     for s in ev.sessions for slug, label, cs in s["films"]}
            for row in rows:
                msha = hashlib.sha256(row.url.encode()).hexdigest()
                catalog.record_blob(msha, 1, "application/pdf")
                catalog.material_fetched(row.id, sha256=msha, size=1, content_type=None,
                                         etag=None, last_modified=None, status="ok")
                if row.url in texts:
                    pages = texts[row.url]
                    catalog.add_document(row.id, sha256=msha, outcome="text", pages=pages,
                                         tool="synthetic", seconds=0.0, warnings=0, error=None)
                    slides += len(pages)
                else:
                    label, cs = films[row.url]
                    catalog.save_film(row.id, title=label, description=None, duration=None,
                                      webpage_url=row.url, extractor="synthetic",
                                      tool="synthetic", info_sha256=None, captions_sha256=None,
                                      caption_lang="sv", cues=cs)
    return slides
