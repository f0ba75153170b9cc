"""Issue 24: during an ingest an OCR child runs alone among the extractor children
(ingest/gate.py), and a waiting OCR child is let in before new pypdf children."""

from __future__ import annotations

import threading

from konfarkiv.ingest.gate import ExtractorGate


def test_ocr_waits_for_running_extractions_and_goes_before_new_ones() -> None:
    gate = ExtractorGate()
    order: list[str] = []
    pypdf_running = threading.Event()
    release_pypdf = threading.Event()

    def pypdf(name: str, hold: threading.Event | None = None) -> None:
        with gate.shared():
            order.append(f"{name} in")
            if hold is not None:
                pypdf_running.set()
                hold.wait(10)
            order.append(f"{name} out")

    def ocr() -> None:
        with gate.exclusive():
            order.append("ocr in")
            order.append("ocr out")

    first = threading.Thread(target=pypdf, args=("pdf1", release_pypdf))
    first.start()
    assert pypdf_running.wait(10)
    reader = threading.Thread(target=ocr)
    reader.start()
    while not gate._waiting:  # the OCR child is queued behind pdf1
        threading.Event().wait(0.01)
    second = threading.Thread(target=pypdf, args=("pdf2",))
    second.start()
    second.join(0.2)
    assert second.is_alive(), "a new pypdf child must not pass a waiting OCR child"
    assert order == ["pdf1 in"]
    release_pypdf.set()
    for t in (first, reader, second):
        t.join(10)
    assert order == ["pdf1 in", "pdf1 out", "ocr in", "ocr out", "pdf2 in", "pdf2 out"]
