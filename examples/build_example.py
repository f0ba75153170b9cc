"""Build the offline example's material: the PDFs and films that examples/natverksmote/ links to.

The real page's PDFs and films are not ours to ship, so the example carries stand-ins with
plausible Swedish text. The outputs are committed, so the example works without running this;
run it again (needs fpdf2 and ffmpeg) only to change them. The output is reproducible: fixed
dates and bit-exact ffmpeg flags, so a rebuild without edits leaves git clean.

    python examples/build_example.py [OUTDIR]
"""

from __future__ import annotations

import html
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF

OUT = Path(__file__).resolve().parent / "natverksmote"
EVENT = "Nätverksmöte för miljöstrateger i kommunerna"
FIXED_DATE = datetime(2019, 11, 12, 9, 0, tzinfo=UTC)

# A page is (heading, body); body paragraphs are separated by blank lines, "• " marks bullets.
Page = tuple[str, str]

INBJUDAN: list[Page] = [
    (
        f"Inbjudan: {EVENT}",
        """Sveriges Kommuner och Landsting (SKL) bjuder in kommunernas miljöstrateger till ett \
första nätverksmöte. Syftet är att undersöka intresset för ett nationellt nätverk för \
miljöstrateger, att presentera innehållet i en handbok för stöd i det lokala \
miljömålsarbetet och att samla in frågor för fortsatt samverkan.

Datum: tisdag den 12 november 2019, klockan 09.30–16.00
Plats: Sveriges Kommuner och Landsting, Hornsgatan 20, Stockholm

Målgrupp: Miljöstrateger, miljösamordnare och andra som arbetar miljöstrategiskt i \
kommunerna, gärna tillsammans med en kollega från samhällsbyggnad eller planering.

Mötet är kostnadsfritt. Lunch och kaffe ingår. Antalet platser är begränsat till 60 \
deltagare, högst två per kommun. Anmälan görs senast den 25 oktober via SKL:s webbplats.

Frågor om innehållet besvaras av Kerstin Blom Bokliden och Andreas Hagnell, avdelningen \
för tillväxt och samhällsbyggnad, SKL.

Välkommen!""",
    ),
    (
        "Program",
        """09.30 Kaffe och registrering

10.00 Syfte med nätverksmötet och hur arbetar vi med miljömålen?
Kerstin Blom Bokliden och Andreas Hagnell, Sveriges Kommuner och Landsting

10.45 Handbok för stöd i det lokala miljömålsarbetet
Vilka stöd och goda idéer finns på olika nyckelområden?
Linda Ternström, Hållbar utveckling Väst, Johanna Severinsson, Länsstyrelsen Västra \
Götaland och Magnus Eriksson, RUS (Länsstyrelsernas samverkan i miljömålsarbetet)

11.45 Samtal i grupp
Vilka av de utpekade områdena är viktigast att samarbeta kring? Vad är angeläget att \
utveckla vidare? Vilka goda exempel finns som kompletterar bilden?

12.30 Lunch

13.30 Hållbar stadsutveckling – en plattform för miljöstrategiskt arbete
Eva Hägglund, SKL, Andreas Hagnell och Kerstin Blom Bokliden

14.30 Kaffe

14.50 Redovisning från gruppsamtalen

15.20 Sammanfattning av diskussion kring hållbar stadsutveckling och miljöstrategiskt \
arbete. Hur går vi vidare med nätverksbyggandet för miljöstrateger?

16.00 Mötet avslutas""",
    ),
]

SKL: list[Page] = [
    (
        "Syfte med nätverksmötet och hur arbetar vi med miljömålen?",
        """Kerstin Blom Bokliden och Andreas Hagnell
Sveriges Kommuner och Landsting

Nätverksmöte för miljöstrateger i kommunerna, 12 november 2019""",
    ),
    (
        "Varför ett nätverk för miljöstrateger?",
        """• Många kommuner har en eller två miljöstrateger – ofta ensamma i sin roll
• Behov av erfarenhetsutbyte kring det lokala miljömålsarbetet
• Gemensamma frågor: uppföljning, styrning, budget och förankring i nämnderna
• SKL vill veta vilka frågor nätverket ska driva och hur vi kan stödja""",
    ),
    (
        "De nationella miljömålen",
        """• Generationsmålet och 16 miljökvalitetsmål, med etappmål
• Kommunerna äger inte målen men påverkar nästan alla: planering, avfall, vatten, \
energi, trafik, upphandling
• Fördjupad utvärdering 2019: flera mål nås inte med dagens styrmedel
• Kommunerna efterfrågar tydligare koppling mellan nationella mål och lokala åtgärder""",
    ),
    (
        "SKL:s syn på det lokala miljömålsarbetet",
        """• Miljömålsarbetet ska vara en del av kommunens ordinarie styrning, inte ett \
sidospår
• Miljöstrategiskt arbete behöver mandat från kommunledningen
• Lokala mål ska vara få, mätbara och kopplade till budgetprocessen
• Agenda 2030 och miljömålen kan hanteras i samma struktur för uppföljning""",
    ),
    (
        "Hållbar stadsutveckling som plattform",
        """• Den fysiska planeringen avgör mycket av kommunens miljöpåverkan
• Hållbar stadsutveckling förenar klimat, grönstruktur, vatten och social hållbarhet
• Miljöstrategen behövs tidigt i planprocessen – översiktsplan och detaljplaner
• SKL arbetar med Boverket och Rådet för hållbara städer""",
    ),
    (
        "Frågor till dagens samtal",
        """• Vilka nyckelområden är viktigast att samarbeta kring?
• Vilket stöd behöver ni från SKL, länsstyrelserna och myndigheterna?
• Hur ofta och i vilken form ska nätverket träffas?

Tack! kerstin.blombokliden@skl.se, andreas.hagnell@skl.se""",
    ),
]

HANDBOK: list[Page] = [
    (
        "Handbok för stöd i det lokala miljömålsarbetet",
        """Presentation vid nätverksmötet för miljöstrateger i kommunerna

Linda Ternström, Hållbar utveckling Väst
Johanna Severinsson, Länsstyrelsen Västra Götaland
Magnus Eriksson, RUS (Länsstyrelsernas samverkan i miljömålsarbetet)""",
    ),
    (
        "Om handboken",
        """Handboken har tagits fram av Hållbar utveckling Väst och Länsstyrelsen Västra \
Götaland, med stöd av RUS, för att ge kommunerna ett samlat stöd i miljömålsarbetet.

Den bygger på intervjuer med miljöstrateger i 30 kommuner och på en enkät om hur \
kommunerna organiserar sitt miljöstrategiska arbete. Handboken beskriver nyckelområden, \
ger exempel på arbetssätt och hänvisar till verktyg och vägledningar.""",
    ),
    (
        "Nyckelområden i det lokala miljömålsarbetet",
        """• Politisk förankring och tydligt uppdrag
• Lokala miljömål kopplade till de nationella miljökvalitetsmålen
• Integrering i budget, verksamhetsplaner och uppföljning
• Samverkan mellan förvaltningar och kommunala bolag
• Dialog med näringsliv, föreningar och medborgare
• Hållbar stadsutveckling och fysisk planering
• Kommunikation av resultat""",
    ),
    (
        "Styrning och uppföljning",
        """Miljömålsarbetet blir verkningsfullt när målen finns i kommunens ordinarie \
styrsystem. Kommuner som redovisar miljömålen i årsredovisningen och följer upp dem i \
nämndernas internkontroll når längre än kommuner med fristående miljöprogram.

Handboken föreslår ett fåtal indikatorer per mål och en årlig uppföljning som samordnas \
med länsstyrelsens regionala uppföljning. Data finns bland annat i Kolada och i RUS \
miljömålsportal.""",
    ),
    (
        "Hållbar stadsutveckling",
        """Den fysiska planeringen är ett av kommunens starkaste verktyg för miljömålen. \
Hållbar stadsutveckling handlar om att bygga tätt och grönt, att planera för kollektivtrafik, \
gång och cykel, att skydda jordbruksmark och att klimatanpassa bebyggelsen.

Miljöstrategen bör delta redan när översiktsplanen tas fram, så att miljömålen blir \
planeringsunderlag och inte en efterhandskontroll. Exempel i handboken: grönytefaktor i \
detaljplaner, dagvattenstrategier och mobilitetsplaner för nya stadsdelar.""",
    ),
    (
        "Länsstyrelsens roll",
        """Länsstyrelsen Västra Götaland samordnar det regionala miljömålsarbetet och \
erbjuder kommunerna stöd genom åtgärdsprogram, kunskapsunderlag och nätverksträffar.

Länsstyrelsen följer årligen upp miljömålen i länet och bjuder in kommunerna att bidra \
med lokala åtgärder. I åtgärdsprogrammet för miljömålen finns åtgärder som kommunerna \
kan ansluta sig till, till exempel inom klimat, giftfri miljö och ett rikt växt- och djurliv.""",
    ),
    (
        "RUS – Länsstyrelsernas samverkan i miljömålsarbetet",
        """RUS (Regional utveckling och samverkan i miljömålssystemet) är länsstyrelsernas \
gemensamma organisation för miljömålsarbetet. RUS samordnar den regionala uppföljningen, \
driver miljömålsportalen och tar fram vägledning om regionala åtgärdsprogram.

Genom RUS kan goda exempel från en kommun spridas till hela landet, och kommunernas \
behov kan föras vidare till Naturvårdsverket och Miljömålsrådet.""",
    ),
    (
        "Fortsatt arbete",
        """• Handboken publiceras digitalt och uppdateras årligen
• Kommunernas synpunkter från dagens gruppsamtal tas in i nästa version
• Ett nationellt nätverk för miljöstrateger kan bli en kanal för att sprida handboken
• Kontakt: Linda Ternström, Hållbar utveckling Väst""",
    ),
]


@dataclass
class Film:
    slug: str
    title: str
    speakers: str
    cue_lines: str  # one cue a line: "mm:ss mm:ss text"

    @property
    def cues(self) -> list[tuple[str, str, str]]:
        """(start mm:ss, end mm:ss, text) per cue."""
        return [
            (start, end, text)
            for start, end, text in (line.split(" ", 2) for line in self.cue_lines.splitlines())
        ]


FILMS: list[Film] = [
    Film(
        "inledning",
        "Inledning – syfte med nätverksmötet och hur arbetar vi med miljömålen?",
        "Kerstin Blom Bokliden och Andreas Hagnell, SKL",
        """\
00:02 00:09 Välkomna allihop till det här första nätverksmötet för miljöstrateger.
00:10 00:18 Jag heter Kerstin Blom Bokliden och arbetar på Sveriges Kommuner och Landsting.
01:05 01:14 Syftet i dag är att undersöka om det finns intresse för ett nationellt nätverk.
02:40 02:51 Många av er är ensamma i er roll som miljöstrateg i kommunen.
05:12 05:24 De nationella miljömålen påverkar nästan allt som kommunerna gör.
07:30 07:42 Miljömålsarbetet måste bli en del av den ordinarie styrningen och budgeten.
09:55 10:06 Andreas Hagnell berättar nu hur SKL ser på det lokala miljömålsarbetet.
13:20 13:31 Vi vill också höra vilka frågor nätverket ska driva framöver.
""",
    ),
    Film(
        "lansstyrelsen-och-rus",
        "Länsstyrelsen och RUS – handbok för stöd i det lokala miljömålsarbetet",
        "Linda Ternström, Johanna Severinsson och Magnus Eriksson",
        """\
00:03 00:12 Vi ska presentera handboken för stöd i det lokala miljömålsarbetet.
01:20 01:31 Handboken bygger på intervjuer med miljöstrateger i trettio kommuner.
03:45 03:57 Det första nyckelområdet är politisk förankring och ett tydligt uppdrag.
06:10 06:22 Länsstyrelsen Västra Götaland samordnar det regionala miljömålsarbetet.
08:34 08:46 I åtgärdsprogrammet finns åtgärder som kommunerna kan ansluta sig till.
11:02 11:15 RUS är länsstyrelsernas samverkan i miljömålsarbetet och driver miljömålsportalen.
14:40 14:52 Genom RUS kan goda exempel från en kommun spridas till hela landet.
17:25 17:36 Era synpunkter i dag tar vi med oss till nästa version av handboken.
""",
    ),
    Film(
        "samtal-i-grupp",
        "Samtal i grupp",
        "Sveriges Kommuner och Landsting",
        """\
00:01 00:10 Nu delar vi in oss i grupper om sex till åtta personer.
00:11 00:22 Vilka av de utpekade områdena är viktigast att samarbeta kring?
01:30 01:41 Vad är angeläget att utveckla vidare, och vilka goda exempel saknas?
04:05 04:16 I vår kommun har vi kopplat miljömålen till budgetprocessen.
07:48 07:59 Uppföljningen är svårast, vi saknar indikatorer för flera av målen.
10:20 10:31 Skriv ner de tre viktigaste frågorna på lapparna framför er.
""",
    ),
    Film(
        "hallbar-stadsutveckling",
        "Hållbar stadsutveckling – en plattform för miljöstrategiskt arbete",
        "Eva Hägglund, SKL, Andreas Hagnell och Kerstin Blom Bokliden",
        """\
00:04 00:13 Jag heter Eva Hägglund och arbetar med samhällsbyggnad på SKL.
00:14 00:25 Vad händer på området, och hur arbetar SKL och andra aktörer?
01:50 02:02 Den fysiska planeringen avgör mycket av kommunens miljöpåverkan.
04:12 04:24 Jag menar att hållbar stadsutveckling kan bli en plattform för miljöstrategiskt arbete.
06:35 06:47 Vi behöver bygga tätt och grönt och planera för gång, cykel och kollektivtrafik.
09:18 09:30 Miljöstrategen behöver vara med redan när översiktsplanen tas fram.
12:02 12:14 Hur kan vi integrera de miljöstrategiska frågorna i planprocessen?
15:40 15:51 SKL samarbetar med Boverket och Rådet för hållbara städer.
18:55 19:08 Stadsutveckling är där klimat, vatten och social hållbarhet möts.
""",
    ),
    Film(
        "redovisning-fran-gruppsamtalen",
        "Redovisning från gruppsamtalen",
        "Deltagare vid nätverksmötet",
        """\
00:02 00:12 Grupp ett tyckte att uppföljning och indikatorer är viktigast.
01:35 01:47 Vi vill ha ett nätverk som träffas två gånger per år och har en digital yta.
03:50 04:02 Flera grupper lyfte behovet av politisk förankring av miljömålen.
06:15 06:27 Hållbar stadsutveckling nämndes i nästan alla grupper som ett viktigt område.
08:40 08:51 Ett gott exempel är grönytefaktorn som används i detaljplanerna.
11:05 11:16 Vi efterfrågar stöd från SKL i kontakten med de nationella myndigheterna.
""",
    ),
    Film(
        "sammanfattning-av-diskussioner",
        "Sammanfattning av diskussion kring hållbar stadsutveckling och miljöstrategiskt arbete",
        "Sveriges Kommuner och Landsting",
        """\
00:03 00:13 Vi försöker nu sammanfatta dagens diskussioner.
01:10 01:22 Hur går vi vidare med nätverksbyggandet för miljöstrateger?
03:05 03:16 Det finns ett tydligt intresse för ett nationellt nätverk.
05:30 05:42 Nästa träff kan handla om miljöstrategiskt arbete i planprocessen.
07:48 07:59 Hur kan vi stärka nätverksbyggande generellt, även regionalt?
09:20 09:31 Tack alla för i dag, dokumentationen kommer att finnas på webbplatsen.
""",
    ),
]


# -- PDFs ------------------------------------------------------------------------------------
def _pdf(title: str, *, landscape: bool) -> FPDF:
    pdf = FPDF(orientation="L" if landscape else "P", format="A4")
    pdf.core_fonts_encoding = "windows-1252"  # å ä ö and – in the built-in Helvetica
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_title(title)
    pdf.set_author("Sveriges Kommuner och Landsting")
    pdf.set_creator("konfarkiv examples/build_example.py")
    pdf.set_auto_page_break(auto=True, margin=18)
    return pdf


def write_pdf(path: Path, title: str, pages: list[Page], *, slides: bool = False) -> None:
    """Slides get landscape pages, big headings and a footer, so they look like exports."""
    pdf = _pdf(title, landscape=slides)
    for number, (heading, body) in enumerate(pages, 1):
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 26 if slides else 17)
        pdf.set_text_color(0, 70, 120)
        pdf.multi_cell(0, 12 if slides else 9, heading)
        pdf.ln(4)
        pdf.set_font("Helvetica", size=17 if slides else 11)
        pdf.set_text_color(20, 20, 20)
        for paragraph in body.split("\n\n"):
            pdf.multi_cell(0, 9 if slides else 6, paragraph)
            pdf.ln(3)
        pdf.set_auto_page_break(auto=False)  # the footer sits inside the bottom margin
        pdf.set_y(-14)
        pdf.set_font("Helvetica", size=8)
        pdf.set_text_color(110, 110, 110)
        pdf.cell(0, 6, f"{EVENT} – {number}", align="R")
        pdf.set_auto_page_break(auto=True, margin=18)
    path.write_bytes(bytes(pdf.output()))


# -- films -----------------------------------------------------------------------------------
def _seconds(mmss: str) -> int:
    minutes, seconds = mmss.split(":")
    return int(minutes) * 60 + int(seconds)


def vtt(cues: list[tuple[str, str, str]]) -> str:
    lines = ["WEBVTT", "Kind: captions", "Language: sv", ""]
    for n, (start, end, text) in enumerate(cues, 1):
        lines += [str(n), f"00:{start}.000 --> 00:{end}.000", text, ""]
    return "\n".join(lines)


def film_seconds(film: Film) -> int:
    """The filmed session's length: its last caption's end, rounded up to a whole minute."""
    return (_seconds(film.cues[-1][1]) // 60 + 1) * 60


def film_html(film: Film) -> str:
    """A film page like a player host's: one <video>, one Swedish captions <track>."""
    t = html.escape(film.title)
    return f"""<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<title>{t} – film</title>
</head>
<body>
<p><a href="../index.html">{html.escape(EVENT)}</a></p>
<h1>{t}</h1>
<p>{html.escape(film.speakers)}</p>
<video controls width="640" preload="metadata">
  <source src="{film.slug}.mp4" type="video/mp4">
  <track kind="captions" src="{film.slug}.vtt" srclang="sv" label="Svenska" default>
</video>
</body>
</html>
"""


def make_video(path: Path, seconds: int) -> None:
    """A stand-in as long as the filmed session: a test card, one frame a minute, no sound.

    Its length is the session's, so a caption at 18:55 lies inside it (about 2 kB each);
    bit-exact so rebuilds don't churn.
    """
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        sys.exit("ffmpeg is needed to build the example videos (apt-get install -y ffmpeg)")
    cmd = [
        ffmpeg, "-hide_banner", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", f"testsrc=size=64x48:rate=1/60:duration={seconds}",
        "-c:v", "libx264", "-preset", "veryslow", "-crf", "40", "-pix_fmt", "yuv420p",
        "-threads", "1", "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact",
        "-movflags", "+faststart", str(path),
    ]  # fmt: skip
    subprocess.run(cmd, check=True, timeout=120)


def build(out: Path = OUT) -> list[Path]:
    """Write every file of the example's material under `out`; returns them."""
    films_dir = out / "film"
    films_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, title, pages, slides in [
        ("inbjudan-och-program.pdf", f"Inbjudan och program – {EVENT}", INBJUDAN, False),
        ("presentation-av-skl.pdf", "Presentation av SKL", SKL, True),
        (
            "handbok-miljomalsarbetet.pdf",
            "Presentation, handbok för stöd i det lokala miljömålsarbetet",
            HANDBOK,
            True,
        ),
    ]:
        write_pdf(out / name, title, pages, slides=slides)
        written.append(out / name)
    for film in FILMS:
        make_video(films_dir / f"{film.slug}.mp4", film_seconds(film))
        written.append(films_dir / f"{film.slug}.mp4")
        for suffix, text in ((".html", film_html(film)), (".vtt", vtt(film.cues))):
            path = films_dir / f"{film.slug}{suffix}"
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    for p in build(target):
        print(f"{p.stat().st_size:>8}  {p}")
