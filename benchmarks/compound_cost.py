"""What compound splitting costs: index size and time, with and without.

Builds a synthetic Swedish corpus (words drawn from the base lexicon by
frequency, plus domain compounds and their inflections), indexes it with
``text_analyzer(split=True)`` and ``split=False``, and prints sizes, times,
analysis speed, lexicon load times and a random sample of splits to check by
eye. Usage: ``python benchmarks/compound_cost.py [--docs 5000] [--seed 1]``.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from whoosh import index
from whoosh.fields import ID, TEXT, Schema

from konfarkiv.search import compounds
from konfarkiv.search.analysis import folded_analyzer, text_analyzer

HEADS = "miljö stad skola vård region kommun klimat energi trafik vatten bostad arbete".split()
TAILS = "mål arbete plan utveckling strategi styrelse förvaltning fråga nätverk politik".split()
ENDINGS = ("", "en", "et", "er", "erna", "s")


def corpus(n_docs: int, seed: int) -> list[str]:
    """Documents of 40-160 words: frequency-weighted lexicon words + compounds."""
    rng = random.Random(seed)
    base = compounds.Lexicon.base()
    words = [w for w in compounds._load_base() if len(w) > 2]
    weights = [10 ** base.zipf(w) for w in words]
    pool = rng.choices(words, weights=weights, k=200_000)
    docs = []
    for _ in range(n_docs):
        n = rng.randint(40, 160)
        doc = [rng.choice(pool) for _ in range(n)]
        for _ in range(n // 15):
            head, tail = rng.choice(HEADS), rng.choice(TAILS)
            link = "s" if head in ("stad", "bostad", "arbete") else ""
            head = head[:-1] if head == "arbete" else head
            doc.insert(rng.randrange(len(doc)), head + link + tail + rng.choice(ENDINGS))
        docs.append(" ".join(doc))
    return docs


def build(docs: list[str], split: bool, folded: bool) -> tuple[float, int]:
    """Index ``docs``; return (seconds, bytes on disk)."""
    fields = {"id": ID(stored=True), "body": TEXT(analyzer=text_analyzer(split=split))}
    if folded:
        fields["folded"] = TEXT(analyzer=folded_analyzer(split=split))
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        writer = index.create_in(tmp, Schema(**fields)).writer()
        for i, text in enumerate(docs):
            extra = {"folded": text} if folded else {}
            writer.add_document(id=str(i), body=text, **extra)
        writer.commit()
        seconds = time.perf_counter() - start
        size = sum(p.stat().st_size for p in Path(tmp).iterdir())
    return seconds, size


def tokens_per_second(docs: list[str], split: bool) -> tuple[int, float]:
    analyzer = text_analyzer(split=split)
    start = time.perf_counter()
    count = sum(1 for text in docs for _ in analyzer(text, mode="index"))
    return count, count / (time.perf_counter() - start)


def cold(code: str) -> float:
    """Wall time of a fresh interpreter running ``code``."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    docs = corpus(args.docs, args.seed)
    n_words = sum(len(d.split()) for d in docs)
    print(f"corpus: {len(docs)} docs, {n_words} words")

    start = time.perf_counter()
    compounds._load_base.cache_clear()
    lex = compounds.Lexicon.base()
    print(f"base lexicon: {len(lex)} words, load {1000 * (time.perf_counter() - start):.1f} ms")
    start = time.perf_counter()
    lex.folded()
    print(f"folded view of it: {1000 * (time.perf_counter() - start):.1f} ms (first folded query)")

    for split in (False, True):
        toks, rate = tokens_per_second(docs, split)
        print(f"analysis split={split}: {toks} tokens, {rate:,.0f} tokens/s (warm caches)")
    for folded in (False, True):
        for split in (False, True):
            compounds.set_default_lexicon(None)
            seconds, size = build(docs, split, folded)
            label = "body+folded" if folded else "body"
            print(f"index {label:11} split={split!s:5}: {seconds:6.2f} s  {size / 1e6:6.2f} MB")

    cmd = "from konfarkiv.search.analysis import expand_compound as e; e('stadsutveckling')"
    print(f"cold process, import + first expansion: {cold(cmd):.3f} s")
    print(f"cold process, bare interpreter:          {cold('pass'):.3f} s")

    rng = random.Random(args.seed)
    split_words = sorted(
        {w for d in docs for w in d.split() if lex.split(w)},
    )
    print(f"\n{len(split_words)} distinct words split; 25 at random:")
    for word in rng.sample(split_words, min(25, len(split_words))):
        segs = lex.segments(word) or ()
        shown = "|".join(s + (f"({link})" if link else "") for s, _, link in segs)
        print(f"  {word:28} {shown:34} -> {', '.join(lex.split(word))}")


if __name__ == "__main__":
    main()
