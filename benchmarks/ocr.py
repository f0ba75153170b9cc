"""OCR of pages without a text layer (issue 24): word recall, seconds per page, peak memory.

1. Swedish slides of typical presentation size (16:9, a 40 pt title and 24 pt bullets) are
   laid out from known text, turned into pictures at 150 dpi and saved as an image-only PDF
   (tests/support/pdfs.py). konfarkiv's OCR path (ocr_pdf: PDFium render, blank check,
   pytesseract, in an extractor child) reads them; the words it gives are compared with the
   known words (recall, over lower-cased words with their å, ä, ö). Beside it, in the same
   run: Tesseract's own command line on the same render. Target: recall >= 0.95.
2. With $KONFARKIV_PDF_CORPUS (or a folder given): the six real scanned or image-only files
   of the evaluation corpus. Words found per file by the text layer (pypdf, what ingest had
   before), by pdftotext where installed, by konfarkiv's OCR and by tesseract's CLI on the
   same render.

Peak memory is the OCR's: the extractor child and its tesseract, summed, sampled every
20 ms from /proc.

    python benchmarks/ocr.py [--slides 12] [corpus folder]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "tests")]

from corpus_memory import process_tree  # noqa: E402
from support.pdfs import picture_slides_pdf  # noqa: E402

from konfarkiv.ingest.ocr import find_engine, ocr_pdf, render_for_ocr  # noqa: E402

TARGET_RECALL = 0.95
SCANNED = ("docling-ocr_test-image-only.pdf", "opf-balloon_jp2k.pdf", "pdfminer-jbig2-scan.pdf",
           "sf-imagemagick-CCITTFax.pdf", "opf-veraPDFHiResWrongObjectID.pdf",
           "docling-invisible_text_layer.pdf")

#: Slides as municipal presentations have them: a title, then bullets.
SLIDES = [
    ["Klimatanpassning i kommunen", "Risk för översvämning vid skyfall",
     "Kartläggning av lågpunkter i tätorten", "Åtgärder i den fysiska planeringen",
     "Samverkan med räddningstjänsten"],
    ["Dagvattenstrategi 2030", "Öppna dagvattenlösningar i nya områden",
     "Gröna tak och regnbäddar på gårdar", "Rening före utsläpp till sjöar",
     "Uppföljning varje år i nämnden"],
    ["Lokala miljömål", "Minskade utsläpp från transporter med hälften",
     "Fossilfri fordonsflotta för kommunens bilar", "Ökad andel ekologisk mat i skolan",
     "Skydd av värdefull natur och våtmarker"],
    ["Hållbar stadsutveckling", "Täta och gröna stadsdelar nära kollektivtrafik",
     "Trygga gång- och cykelstråk", "Blandade bostäder för alla åldrar",
     "Medborgardialog tidigt i processen"],
    ["Energieffektivisering", "Solceller på förskolor och äldreboenden",
     "Energiuppföljning månad för månad", "Utbildning för fastighetsskötare",
     "Återbetalningstid under åtta år"],
    ["Cirkulär ekonomi", "Återbruk av möbler i förvaltningarna",
     "Matsvinnet i skolköken ska halveras", "Krav på återvunnet material vid upphandling",
     "Samarbete med föreningar och företag"],
    ["Biologisk mångfald", "Ängsmark i stället för gräsmatta",
     "Pollinatörer behöver blommor hela säsongen", "Död ved lämnas kvar i parkerna",
     "Inventering av groddjur i dammarna"],
    ["Nästa steg", "Remiss till nämnderna i höst", "Beslut i kommunfullmäktige i december",
     "Handlingsplan med ansvar och budget", "Frågor? Kontakta miljöstrategen"],
]

WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]


def recall(expected: list[str], found: list[str]) -> float:
    """Share of the expected words (as a multiset) found among the OCR's words."""
    pool: dict[str, int] = {}
    for w in found:
        pool[w] = pool.get(w, 0) + 1
    hit = 0
    for w in expected:
        if pool.get(w, 0) > 0:
            pool[w] -= 1
            hit += 1
    return hit / len(expected) if expected else 1.0


class TreePeak:
    """Peak summed RSS of this process's descendants (the extractor child and its
    tesseract; this process holds the benchmark's own slides), sampled every 20 ms."""

    def __init__(self) -> None:
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            me = os.getpid()
            self.peak_kb = max(self.peak_kb, sum(_rss(p) for p in process_tree(me) if p != me))
            time.sleep(0.02)

    def __enter__(self) -> TreePeak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def tesseract_cli(pdf: Path, index: int, languages: str) -> tuple[str, float]:
    """`tesseract IMAGE - -l swe+eng` on the same render konfarkiv reads."""
    import pypdfium2

    with tempfile.TemporaryDirectory() as tmp:
        image = Path(tmp) / "page.png"
        render_for_ocr(pypdfium2.PdfDocument(str(pdf))[index]).save(image)
        started = time.perf_counter()
        out = subprocess.run(["tesseract", str(image), "-", "-l", languages],
                             capture_output=True, text=True, timeout=300,
                             env={**os.environ, "OMP_THREAD_LIMIT": "1"})
        return out.stdout, time.perf_counter() - started


def slides_benchmark(count: int) -> None:
    engine, why = find_engine()
    if engine is None:
        sys.exit(f"no OCR engine: {why}")
    deck = [SLIDES[i % len(SLIDES)] for i in range(count)]
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "bildspel.pdf"
        pdf.write_bytes(picture_slides_pdf(deck, dpi=150))
        with TreePeak() as peak:
            run = ocr_pdf(pdf, list(range(count)), engine)
        expected = [w for slide in deck for w in words(" ".join(slide))]
        found = [w for p in run.pages for w in words(p.text)]
        seconds = [p.seconds for p in run.pages]
        cli_found: list[str] = []
        cli_seconds = []
        for i in range(count):
            text, secs = tesseract_cli(pdf, i, engine.languages)
            cli_found += words(text)
            cli_seconds.append(secs)
    print(f"{count} Swedish slides, 16:9 at 150 dpi, image-only PDF; {engine.label} "
          f"[{engine.languages}], render at the OCR path's resolution")
    print(f"  konfarkiv OCR path : word recall {recall(expected, found):.3f} "
          f"(target >= {TARGET_RECALL}), {len(expected)} words; per page median "
          f"{statistics.median(seconds):.2f} s, max {max(seconds):.2f} s; "
          f"file {run.seconds:.1f} s")
    print(f"  tesseract CLI      : word recall {recall(expected, cli_found):.3f} on the same "
          f"renders; per page median {statistics.median(cli_seconds):.2f} s")
    print(f"  peak memory        : {peak.peak_kb / 1024:.0f} MB, the extractor child and its "
          f"tesseract together; the child's own peak {run.peak_rss_kb / 1024:.0f} MB")
    missed = sorted(set(expected) - set(found))
    if missed:
        print(f"  words missed       : {', '.join(missed[:20])}")


def corpus_benchmark(folder: Path) -> None:
    from pypdf import PdfReader

    engine, _ = find_engine()
    assert engine is not None
    pdftotext = shutil.which("pdftotext")
    print(f"\nthe six real scanned / image-only files ({folder}); words found per file")
    print(f"  {'file':<36} {'text layer':>10} {'pdftotext':>10} {'konfarkiv':>10} "
          f"{'tesseract':>10}  OCR state")
    for name in SCANNED:
        path = folder / name
        try:
            layer = len(words(" ".join(p.extract_text() or "" for p in PdfReader(path).pages)))
        except Exception:  # noqa: BLE001 - a damaged file's layer counts as none
            layer = 0
        if pdftotext:
            out = subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True)
            ptt = str(len(words(out.stdout)))
        else:
            ptt = "none/not installed"
        run = ocr_pdf(path, [0], engine)
        page = run.pages[0]
        cli_text, _ = tesseract_cli(path, 0, engine.languages)
        print(f"  {name:<36} {layer:>10} {ptt:>10} {len(words(page.text)):>10} "
              f"{len(words(cli_text)):>10}  {page.state}"
              + (f" ({page.error})" if page.error else "")
              + (" - has a text layer: ingest never OCRs it" if layer >= 4 else ""))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", default=os.environ.get("KONFARKIV_PDF_CORPUS"))
    ap.add_argument("--slides", type=int, default=len(SLIDES))
    args = ap.parse_args()
    slides_benchmark(args.slides)
    if args.folder:
        corpus_benchmark(Path(args.folder))
    else:
        print("\n(no corpus folder: set KONFARKIV_PDF_CORPUS for the real scanned files)")


if __name__ == "__main__":
    main()
