"""Build the relevance fixture corpus: four SKR-style events with slides, films and captions.

Realistic Swedish conference text written for the relevance set (benchmarks/relevance.py):
compounds in one form in the text and another in the queries, words without their accents,
captions-only and slides-only facts, speakers and organisations; session and event titles
made mostly of common words ("Vem ska ta hand om de äldre?", "Ett steg i rätt riktning"),
an event known by its introduction's words (Almedalsveckan, Visby), and a person who speaks
in one session and is named in another's text. The outputs are committed;
run this again (needs fpdf2) only to change them:

    python tests/relevance/build_corpus.py
"""

from __future__ import annotations

import html
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))

from support.pdfs import make_pdf  # noqa: E402

OUT = ROOT / "corpus"
VIDEO = ROOT.parent / "media" / "tiny.mp4"


@dataclass
class Session:
    title: str
    intro: str
    speakers: str  # " | " between speakers that get a paragraph each
    pdf: tuple[str, str, list[str]] | None = None  # (file, label, pages)
    film: tuple[str, str, list[tuple[int, str]]] | None = None  # (slug, label, cues)


@dataclass
class Event:
    slug: str
    title: str
    date_line: str
    ingress: str
    sessions: list[Session] = field(default_factory=list)


KLIMAT = Event(
    "klimatanpassning",
    "Klimatanpassning i kommunerna",
    "14 apr 2021 klocka 09.00 - 15.30",
    "En konferens om hur kommuner och regioner rustar bebyggelse, vatten och vård för ett "
    "förändrat klimat.",
    [
        Session(
            "Klimatanpassning av befintlig bebyggelse",
            "Hur kartlägger kommunen riskerna för översvämning och skred i befintliga "
            "bostadsområden?",
            "Maria Lindqvist, Länsstyrelsen Skåne",
            pdf=(
                "klimatanpassning-bebyggelse.pdf",
                "Presentation, klimatanpassning av befintlig bebyggelse",
                [
                    "Klimatanpassning av befintlig bebyggelse\nMaria Lindqvist, Länsstyrelsen "
                    "Skåne\nKlimatanpassning i kommunerna, 14 april 2021",
                    "Skyfallskartering\nSkyfallskarteringen visar var vattnet samlas vid ett "
                    "hundraårsregn.\nLågpunkter i gatunätet och källare i äldre bostadsområden "
                    "pekas ut.",
                    "Riskanalys för översvämning\nÖversvämningsrisker längs Höje å och i "
                    "kustzonen.\nKommunerna ska redovisa risken i översiktsplanen enligt plan- "
                    "och bygglagen.",
                    "Skredrisk och erosion\nStabilitetsutredningar behövs där lerjord möter "
                    "vattendrag.\nStatens geotekniska institut ger vägledning.",
                ],
            ),
        ),
        Session(
            "Dagvattenhantering och grönblå infrastruktur",
            "Exempel på öppna lösningar för regnvatten i tät stad.",
            "Per Åström, VA SYD",
            film=(
                "dagvatten",
                "Se film, dagvattenhantering och grönblå infrastruktur",
                [
                    (4, "Välkomna, jag heter Per Åström och arbetar på VA SYD."),
                    (75, "Vi har byggt dagvattendammar som också blir parker för stadsdelen."),
                    (190, "Gröna tak fördröjer regnet och sänker temperaturen på sommaren."),
                    (320, "Regnbäddar längs gatorna tar hand om vattnet från trafikytorna."),
                    (455, "Det viktigaste är att planera ytor för vattnet tidigt i detaljplanen."),
                ],
            ),
        ),
        Session(
            "Värmeböljor och äldres hälsa",
            "Vad kan äldreomsorgen göra när temperaturen stiger?",
            "Åsa Öberg, Folkhälsomyndigheten",
            pdf=(
                "varmeboljor.pdf",
                "Presentation, värmeböljor och äldres hälsa",
                [
                    "Värmeböljor och äldres hälsa\nÅsa Öberg, Folkhälsomyndigheten",
                    "Varför är värmen farlig?\nÄldre och sjuka har svårare att reglera "
                    "kroppstemperaturen.\nDödligheten ökar redan efter några dagar över 26 "
                    "grader.",
                    "Handlingsplan för värmebölja\nHemtjänsten ringer upp ensamboende brukare."
                    "\nSvala rum på särskilda boenden och extra vätska till alla.",
                    "Uppföljning\nKommunens krisledning följer SMHI:s varningar och "
                    "utvärderar insatserna varje höst.",
                ],
            ),
        ),
        Session(
            "Panelsamtal: vem bär kostnaden för klimatanpassningen?",
            "Ansvar och finansiering när skadorna ökar.",
            "Johan Berg, Sveriges Kommuner och Regioner | Karin Sjöström, Länsförsäkringar",
            film=(
                "panelsamtal",
                "Se film, panelsamtal om kostnaderna",
                [
                    (10, "Vi börjar med frågan om vem som ska betala när källare översvämmas."),
                    (140, "Försäkringsbolagen ser att skadekostnaderna har fördubblats på tio år."),
                    (300, "Vattentjänstlagen säger inte tydligt vem som ansvarar för skyfall."),
                    (480, "Staten borde ta ett större ansvar för finansieringen av skyddsvallar."),
                ],
            ),
        ),
    ],
)

DIGITAL = Event(
    "digitaliseringsdagen",
    "Digitaliseringsdagen för socialtjänsten",
    "9 nov 2022 klocka 10.00 - 16.00",
    "Erfarenheter av välfärdsteknik, automatisering och informationssäkerhet i socialtjänsten.",
    [
        Session(
            "Välfärdsteknik i hemtjänsten",
            "Hur Västerås stad införde digital tillsyn och trygghetslarm för alla brukare.",
            "Erik Nyström, Västerås stad",
            pdf=(
                "valfardsteknik.pdf",
                "Presentation, välfärdsteknik i hemtjänsten",
                [
                    "Välfärdsteknik i hemtjänsten\nErik Nyström, digitaliseringsstrateg, "
                    "Västerås stad",
                    "Digital tillsyn nattetid\nKameratillsyn ersätter fysiska besök när "
                    "brukaren vill det.\nFärre väckningar och bättre sömn.",
                    "Läkemedelsrobotar\nRobotar påminner om medicinering och larmar "
                    "hemtjänsten vid missad dos.",
                    "Införandet steg för steg\nBehovsanalys, upphandling, utbildning av "
                    "personalen och uppföljning med brukarna.",
                ],
            ),
        ),
        Session(
            "Informationssäkerhet och dataskyddsförordningen",
            "Krav på socialtjänstens system när uppgifter lagras i molnet.",
            "Lena Holm, Inera",
            pdf=(
                "informationssakerhet.pdf",
                "Presentation, informationssäkerhet och dataskydd",
                [
                    "Informationssäkerhet och dataskyddsförordningen\nLena Holm, Inera",
                    "Informationsklassning\nAlla uppgifter om enskilda klassas som känsliga."
                    "\nKlassningen styr vilka molntjänster som får användas.",
                    "Personuppgiftsbiträdesavtal\nAvtalet reglerar hur leverantören får "
                    "behandla personuppgifter.\nGranska underbiträden utanför EU noga.",
                ],
            ),
        ),
        Session(
            "Automatiserad ärendehantering inom försörjningsstöd",
            "Erfarenheter från Trelleborgs kommun.",
            "Anders Kjellberg, Trelleborgs kommun",
            film=(
                "automatisering",
                "Se film, automatiserad ärendehantering",
                [
                    (
                        6,
                        "Trelleborg var först med att automatisera ansökningar om "
                        "ekonomiskt bistånd.",
                    ),
                    (95, "Roboten hämtar uppgifter från Försäkringskassan och Arbetsförmedlingen."),
                    (230, "Handläggningstiden sjönk från flera dagar till några minuter."),
                    (
                        410,
                        "Socialsekreterarna får mer tid för samtal och stöd till självförsörjning.",
                    ),
                ],
            ),
        ),
        Session(
            "Digitala tvillingar för samhällsplanering",
            "En tredimensionell modell av kommunen som stöd för planerare och invånare.",
            "Sara Lind, Lantmäteriet",
            pdf=(
                "digitala-tvillingar.pdf",
                "Presentation, digitala tvillingar",
                [
                    "Digitala tvillingar för samhällsplanering\nSara Lind, Lantmäteriet",
                    "Vad är en digital tvilling?\nEn uppdaterad modell av byggnader, gator "
                    "och ledningar.\nEtt stöd för utveckling av staden och för dialog med "
                    "invånarna.",
                    "Öppna geodata\nLantmäteriet tillhandahåller grunddata om fastigheter "
                    "och byggnader utan kostnad.",
                ],
            ),
        ),
    ],
)

ALMEDALEN = Event(
    "almedalen",
    "Almedalen 2021",
    "29 jun 2021 klocka 09.00 - 17.00",
    "SKR:s seminarier under Almedalsveckan i Visby om välfärdens kompetensförsörjning, "
    "äldreomsorgen och förtroendet för demokratin.",
    [
        Session(
            "Vem ska ta hand om de äldre?",
            "Äldreomsorgen behöver tiotusentals nya medarbetare de kommande tio åren.",
            "Karin Ekholm, Sveriges Kommuner och Regioner",
            pdf=(
                "aldreomsorgens-personal.pdf",
                "Presentation, vem ska ta hand om de äldre",
                [
                    "Vem ska ta hand om de äldre?\nKarin Ekholm, Sveriges Kommuner och "
                    "Regioner\nAlmedalen, 29 juni 2021",
                    "Rekryteringsbehovet\nUndersköterskor och sjuksköterskor går i pension "
                    "samtidigt som antalet personer över 80 år ökar.",
                    "Heltid som norm\nFler heltidstjänster och schemaläggning som gör "
                    "yrket attraktivt.",
                ],
            ),
        ),
        Session(
            "Det är inte så lätt att vara politiker",
            "Om hot, hat och trakasserier mot förtroendevalda i kommuner och regioner. "
            "Samtalet leds av Jonas Wiklund.",
            "Lina Dahl, Region Gävleborg",
        ),
        Session(
            "Kan vi lita på det vi läser?",
            "Källkritik och desinformation i kommunernas kommunikation med invånarna.",
            "Jonas Wiklund, Myndigheten för psykologiskt försvar",
        ),
        Session(
            "Att vara en del av något större",
            "Föreningslivet och civilsamhället som kraft i små kommuner.",
            "Petra Lund, Riksidrottsförbundet",
        ),
        Session(
            "Hur får vi fler att vilja jobba i välfärden?",
            "Kompetensförsörjningen i skola, vård och omsorg: lön, arbetsmiljö och "
            "karriärvägar.",
            "Karin Ekholm, Sveriges Kommuner och Regioner | Omar Said, Kommunal",
        ),
    ],
)

RIKTNING = Event(
    "ett-steg-i-ratt-riktning",
    "Ett steg i rätt riktning",
    "12 okt 2020 klocka 09.30 - 15.00",
    "Regional konferens i Umeå om klimatomställning och miljömålen i Västerbottens län.",
    [
        Session(
            "Vad gör vi med det som blir över?",
            "Återbruk, matsvinn och avfallsplaner i länets kommuner.",
            "Oskar Lindahl, Umeå kommun",
        ),
        Session(
            "Från ord till handling",
            "Hur kommunernas klimatlöften blir åtgärder i budget och verksamhetsplan.",
            "Sara Nyman, Länsstyrelsen Västerbotten",
        ),
        Session(
            "Om vi inte gör något nu",
            "Klimatforskaren om utsläppsbudgeten och vad den betyder för kommunerna.",
            "Erik Fors, Umeå universitet",
        ),
    ],
)

EVENTS = [KLIMAT, DIGITAL, ALMEDALEN, RIKTNING]


def page_html(event: Event) -> str:
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="sv"><head><meta charset="utf-8">',
        f"<title>Dokumentation: {e(event.title)} - SKR</title></head>",
        "<body><main>",
        f"<h1>Dokumentation: {e(event.title)}</h1>",
        f"<p>{e(event.date_line)}</p>",
        f"<p>{e(event.ingress)}</p>",
    ]
    for s in event.sessions:
        parts += [f"<h2>{e(s.title)}</h2>", f"<p>{e(s.intro)}</p>"]
        parts += [f"<p>{e(who)}</p>" for who in s.speakers.split(" | ")]
        if s.pdf:
            parts.append(f'<p><a href="{s.pdf[0]}">{e(s.pdf[1])} (PDF, nytt fönster)</a></p>')
        if s.film:
            parts.append(
                f'<p><a href="film/{s.film[0]}.html">{e(s.film[1])} (nytt fönster)</a></p>'
            )
    parts += ["</main></body></html>", ""]
    return "\n".join(parts)


def _ts(seconds: int) -> str:
    return f"00:{seconds // 60:02d}:{seconds % 60:02d}.000"


def film_files(event: Event, session: Session) -> dict[str, str]:
    slug, label, cues = session.film or ("", "", [])
    lines = ["WEBVTT", "Kind: captions", "Language: sv", ""]
    for n, (start, text) in enumerate(cues, 1):
        lines += [str(n), f"{_ts(start)} --> {_ts(start + 8)}", text, ""]
    t = html.escape(session.title)
    page = f"""<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>{t} – film</title></head>
<body>
<p><a href="../index.html">{html.escape(event.title)}</a></p>
<h1>{t}</h1>
<p>{html.escape(session.speakers.replace(" | ", ", "))}</p>
<video controls width="640" preload="metadata" data-duration="{cues[-1][0] + 60}">
  <source src="video.mp4" type="video/mp4">
  <track kind="captions" src="{slug}.vtt" srclang="sv" label="Svenska" default>
</video>
</body></html>
"""
    return {f"{slug}.html": page, f"{slug}.vtt": "\n".join(lines)}


def build(out: Path = OUT) -> list[Path]:
    written: list[Path] = []
    for event in EVENTS:
        folder = out / event.slug
        folder.mkdir(parents=True, exist_ok=True)
        if any(s.film for s in event.sessions):
            (folder / "film").mkdir(exist_ok=True)
        (folder / "index.html").write_text(page_html(event), encoding="utf-8")
        written.append(folder / "index.html")
        for s in event.sessions:
            if s.pdf:
                make_pdf(folder / s.pdf[0], s.pdf[2], title=s.pdf[1])
                written.append(folder / s.pdf[0])
            if s.film:
                for name, text in film_files(event, s).items():
                    (folder / "film" / name).write_text(text, encoding="utf-8")
                    written.append(folder / "film" / name)
        if any(s.film for s in event.sessions):
            shutil.copyfile(VIDEO, folder / "film" / "video.mp4")
            written.append(folder / "film" / "video.mp4")
    return written


if __name__ == "__main__":
    for p in build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT):
        print(f"{p.stat().st_size:>8}  {p}")
