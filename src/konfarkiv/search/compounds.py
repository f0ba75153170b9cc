"""Swedish compound splitting against a lexicon of known parts.

Swedish writes compounds as one word ("miljömålsarbetet"), so a search for
"miljömål" or "arbete" misses them unless the index also holds the parts.
This module is pure Python (no Whoosh) so the search command can load it
fast; the Whoosh filter that uses it lives in :mod:`konfarkiv.search.analysis`.

The method: enumerate every segmentation of a word into lexicon words,
optionally joined by a linking letter (-s-, -e-, -a-, -u-, -o-) and allowing
a head to drop its final -a/-e ("skol|gård" from "skola"); score each by the
mean log-frequency (Zipf) of its parts (Koehn & Knight 2003) and split only
when that beats the whole word's own frequency, so frequent simplex words
such as "kommun" stay whole while rare compounds split.
"""

from __future__ import annotations

import functools
import math
import sys
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path

__all__ = [
    "LINKS",
    "MIN_PART",
    "MIN_WORD",
    "Lexicon",
    "default_lexicon",
    "fold",
    "set_default_lexicon",
]

#: Shortest surface piece a word may be cut into. Three letters keeps real
#: parts such as "mål", "väg", "del", "lag", "hus" while two-letter cuts
#: ("ut", "av", "år") are mostly particles or inflection; risky 3-letter
#: cuts are held back by a scoring penalty instead of a higher minimum.
MIN_PART = 3
#: Shortest word worth trying to split (two minimal parts).
MIN_WORD = 2 * MIN_PART
#: Linking letters Swedish puts between parts ("" = none).
LINKS: tuple[str, ...] = ("", "s", "e", "a", "u", "o")
#: Most parts a word may be cut into; deeper cuts are nearly always wrong.
MAX_PARTS = 4
#: Longest word tried at all, as for query words (syntax.MAX_WORD_CHARS): no Swedish
#: compound is longer, and the search for cuts grows with the square of the length (a page
#: of one 200,000-letter word took minutes to index with the writer lock held; issue 26).
MAX_SPLIT_CHARS = 60

#: Inflection and derivation endings that happen to be (rare) words in a
#: frequency list; as a final part they would turn "staterna" into
#: stat+erna or "hållbarhet" into hållbar+het.
BLOCKED_TAILS: frozenset[str] = frozenset(
    """
    arna arnas erna ernas orna ornas ena ens ets ans are aren ares arens
    ande andes andet ende endes endet het heten hetens heter heterna hets
    lig liga ligt ligen ligare ligast ning ningen ningar ningarna nings
    else elsen elser elserna skap skapet skapen skaper skaps dom domen
    domar domarna doms isk iska iskt ism ismen ist isten ister isterna
    era erar erat erade erad erades eras ering eringen eringar itet iteten
    tion tionen tioner ion ionen ioner ell ella ellt ant anten anter ent
    enten enter bar bara bart barhet sam samma samt samhet aktig aktiga
    inna innan innor essa essan essor ska ske skt ing ingen ingar ingarna
    inge rna rnas
    """.split()
)

#: Prefixes and verb particles: as a head they build lexicalised words whose
#: meaning is not the sum of the parts ("för|ändring", "åter|vinning",
#: "under|lag"), so they are never cut off.
BLOCKED_HEADS: frozenset[str] = frozenset(
    """
    för till upp genom efter fram bort ner ned över under mot med vid från
    bak åter emot ihop igen kring sam miss van ans sär all ant tele anti
    före pro
    """.split()
)

#: Function words: never a part, at either end.
BLOCKED_PARTS: frozenset[str] = frozenset(
    """
    och att det som den dem des dess var har hade kan ska skulle vill
    man men eller från hos när där här hur vad vem vars sig sin sitt sina
    oss ert era dig mig din ditt dina min mitt mina han hon ni jag icke
    inte ett the and ingen inget inga inge nog dock ock alls änd ens
    """.split()
)

#: Penalty (in Zipf units) per 3-letter part: short words are frequent and
#: match by chance ("kom|mun"), so they must earn their place.
SHORT_PART_PENALTY = 0.6
#: Penalty per linking letter other than none or -s-: -e-/-a-/-u-/-o- are
#: real but rarer, and each one lets more chance segmentations through.
RARE_LINK_PENALTY = 0.4
#: Penalty per part beyond two: a finer cut is only taken when clearly
#: better ("region|fullmäktige", not region|full|mäktige); the parts of
#: a part are still indexed, by splitting it in turn.
EXTRA_PART_PENALTY = 0.5
#: Penalty for a head that dropped its -a/-e with no linking letter after
#: it ("skol|gård" is right, "tjän|sten" is not): such cuts need support.
TRUNC_PENALTY = 0.3
#: A word the base list knows splits only when its parts beat it by this
#: much: a frequent whole word is likely lexicalised ("fullmäktige").
SPLIT_MARGIN = 0.1
#: Lexicalised words whose parts mislead ("full|mäktige" is a council,
#: not "full"); the scoring alone leaves them on the fence.
NEVER_SPLIT: frozenset[str] = frozenset(
    "fullmäktige fullmäktiges ordförande ordföranden ordförandes".split()
)
#: Endings whose removal gives the word's base form: a word whose base is a
#: known word that does not split ("tjänst|en", "kommun|erna", "låg|orna")
#: is an inflected simplex word and is not split either.
INFLECTIONS: tuple[str, ...] = (
    "arnas",
    "ernas",
    "ornas",
    "arna",
    "erna",
    "orna",
    "ens",
    "ets",
    "en",
    "et",
    "er",
    "ar",
    "or",
    "na",
    "n",
    "t",
    "s",
)
#: Zipf given to words that only the archive knows (not in the base list):
#: low, so a corpus word wins only where the dictionary has nothing.
ARCHIVE_ZIPF = 2.0

_DATA = Path(__file__).with_name("data") / "sv_lexicon.txt"
_ALPHA = frozenset("abcdefghijklmnopqrstuvwxyzåäöéü")
_VOWELS = frozenset("aeiouyåäöéü")
#: Consonant clusters a Swedish word can begin with; a part that begins
#: with any other cluster is a cut inside a word ("fråga|nde", "låg|o|rna").
_ONSETS = frozenset(
    """
    bl br dr dj fl fr gl gn gr hj hl kl kn kr kv lj mj nj pl pr ps sc sch sj
    sk skj skr skv sl sm sn sp spl spr st stj str sv tj tr tv vr ch th ph
    """.split()
)
#: A 3-letter part must be at least this common (Zipf): "mål", "hus", "väg"
#: are; chance cuts ("lin|dra", "est|etik", "kon|texten") mostly are not.
SHORT_PART_MIN_ZIPF = 4.0
#: A word with a 3-letter part must be at least this long: short words
#: ("ståhej", "chilton") are more often simplex than compound.
SHORT_PART_MIN_WORD = 8
#: Small penalty for -s-: "svår|slagen" and "svår|s|lagen" both parse, and
#: the reading without a link letter is the safer one.
S_LINK_PENALTY = 0.15


_FOLD_TABLE = str.maketrans("åäöéüàèáÅÄÖÉÜ", "aaoeuaeaAAOEU")


def fold(word: str) -> str:
    """Strip diacritics (å→a, ä→a, ö→o, é→e) for the accent-less fallback.

    A translation table handles the usual letters fast; anything else
    goes through NFD with the combining marks dropped.
    """
    word = word.translate(_FOLD_TABLE)
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# One segment: (surface text in the word, lexicon form, linking letter after).
_Seg = tuple[str, str, str]


class Lexicon:
    """Known Swedish words with Zipf frequencies, and the splitter over them.

    Instances are cheap to query and cache their splits; they are never
    pickled into a Whoosh schema (the filters look them up at run time).
    """

    def __init__(self, zipf: Mapping[str, float], archive: Mapping[str, float] | None = None):
        self._zipf: dict[str, float] = dict(zipf)
        #: Words that came from the archive rather than the base list.
        self.archive: dict[str, float] = dict(archive or {})
        for word, z in self.archive.items():
            if z > self._zipf.get(word, 0.0):
                self._zipf[word] = z
        self._folded: Lexicon | None = None
        self.split = functools.lru_cache(maxsize=262144)(self._split)

    # -- construction -------------------------------------------------------

    @classmethod
    def base(cls) -> Lexicon:
        """The shipped Swedish word list (see data/README.md), loaded once."""
        return cls(_load_base())

    @classmethod
    def empty(cls) -> Lexicon:
        """A lexicon with no words (tests, corpus-only experiments)."""
        return cls({})

    @classmethod
    def from_words(cls, words: Iterable[str], *, base: bool = True, min_count: int = 2) -> Lexicon:
        """Build from the archive's own words, merged with the base list.

        ``words`` is every running word (repeats count); words seen fewer than
        ``min_count`` times are left out, as one-off words are often typos.
        """
        counts: dict[str, int] = {}
        for raw in words:
            word = raw.lower()
            counts[word] = counts.get(word, 0) + 1
        return cls.from_counts(counts, base=base, min_count=min_count)

    @classmethod
    def from_counts(
        cls, counts: Mapping[str, int], *, base: bool = True, min_count: int = 2
    ) -> Lexicon:
        """As :meth:`from_words`, from word counts (lowercase words) already made."""
        archive = {
            w: min(ARCHIVE_ZIPF + 0.25 * math.log10(n), ARCHIVE_ZIPF + 0.75)
            for w, n in counts.items()
            if n >= min_count and len(w) >= MIN_PART and _ALPHA.issuperset(w)
        }
        return cls(_load_base() if base else {}, archive)

    @classmethod
    def load(cls, path: str | Path, *, base: bool = True) -> Lexicon:
        """Load archive words saved by :meth:`save`, merged with the base list."""
        archive: dict[str, float] = {}
        text = Path(path).read_text(encoding="utf-8")
        for line in text.splitlines():
            z, _, words = line.partition("\t")
            if words:
                archive.update(dict.fromkeys(words.split(" "), int(z) / 10))
        return cls(_load_base() if base else {}, archive)

    def save(self, path: str | Path) -> None:
        """Write the archive's own words compactly, for a fast :meth:`load`."""
        _write_groups(Path(path), self.archive)

    # -- queries ------------------------------------------------------------

    def __contains__(self, word: object) -> bool:
        return word in self._zipf

    def __len__(self) -> int:
        return len(self._zipf)

    def table(self) -> Mapping[str, float]:
        """Every word with its Zipf (base and archive merged); do not modify."""
        return self._zipf

    def zipf(self, word: str) -> float:
        """Zipf frequency of ``word`` (0.0 when unknown)."""
        return self._zipf.get(word, 0.0)

    def folded(self) -> Lexicon:
        """The same lexicon with diacritics stripped, for accent-less queries."""
        if self._folded is None:
            # ASCII words fold to themselves: copy those wholesale, fold the rest.
            table = dict(self._zipf)
            for word, z in self._zipf.items():
                if not word.isascii():
                    key = fold(word)
                    if z > table.get(key, 0.0):
                        table[key] = z
            self._folded = Lexicon(table)
        return self._folded

    def segments(self, word: str) -> tuple[_Seg, ...] | None:
        """Best segmentation of ``word`` as (surface, lexicon form, link) triples.

        None when the word should stay whole. Cached via :meth:`split`'s data.
        """
        return self._best(word)

    def _split(self, word: str) -> tuple[str, ...]:
        """Parts to index beside ``word``, longest first: the leaves, any
        lexicon word spanning several leaves ("miljömål" in
        "miljö|mål|s|arbetet"), and the parts of each leaf split in turn."""
        segs = self._best(word)
        if not segs:
            return ()
        parts: list[str] = []
        for i in range(len(segs)):
            for j in range(i + 1, len(segs) + 1):
                if j - i == len(segs):
                    continue  # the whole word itself
                if j - i == 1:
                    parts.append(segs[i][1])
                    parts.extend(self.split(segs[i][1]))
                    continue
                span = "".join(s[0] + s[2] for s in segs[i : j - 1]) + segs[j - 1][0]
                if span in self._zipf and span not in BLOCKED_TAILS:
                    parts.append(span)
        unique = dict.fromkeys(parts)
        return tuple(sorted(unique, key=len, reverse=True))

    # -- the splitter --------------------------------------------------------

    def _best(self, word: str) -> tuple[_Seg, ...] | None:
        if (len(word) < MIN_WORD or len(word) > MAX_SPLIT_CHARS or not _ALPHA.issuperset(word)
                or word in NEVER_SPLIT):
            return None
        memo: dict[tuple[int, int], list[tuple[_Seg, ...]]] = {}
        best: tuple[float, tuple[_Seg, ...]] | None = None
        for segs in self._segmentations(word, 0, MAX_PARTS, memo):
            if len(segs) < 2:
                continue
            if len(word) < SHORT_PART_MIN_WORD and any(len(x[0]) == MIN_PART for x in segs):
                continue
            score = self._score(segs)
            if best is None or score > best[0]:
                best = (score, segs)
        if best is None:
            return None
        whole = self.zipf(word)
        if whole and best[0] <= whole + SPLIT_MARGIN:
            return None
        if self._inflected_simplex(word):
            return None
        return best[1]

    def _inflected_simplex(self, word: str) -> bool:
        """True if ``word`` is an inflected form of a known unsplittable word."""
        for ending in INFLECTIONS:
            base = word[: -len(ending)]
            if (
                word.endswith(ending)
                and len(base) >= MIN_PART
                and base in self._zipf
                and self._best(base) is None
            ):
                return True
        return False

    def _score(self, segs: tuple[_Seg, ...]) -> float:
        total = 0.0
        for surface, form, link in segs:
            total += self._zipf[form]
            if len(surface) == MIN_PART:
                total -= SHORT_PART_PENALTY
            if link == "s":
                total -= S_LINK_PENALTY
            elif link:
                total -= RARE_LINK_PENALTY
            if form != surface and not link:
                total -= TRUNC_PENALTY
        return total / len(segs) - EXTRA_PART_PENALTY * (len(segs) - 2)

    def _segmentations(
        self, word: str, start: int, budget: int, memo: dict[tuple[int, int], list]
    ) -> list[tuple[_Seg, ...]]:
        """All ways to cut word[start:] into at most ``budget`` lexicon parts."""
        key = (start, budget)
        if key in memo:
            return memo[key]
        out: list[tuple[_Seg, ...]] = []
        tail = word[start:]
        form = self._tail_form(tail)
        if form is not None:
            out.append(((tail, form, ""),))
        if budget > 1:
            for end in range(start + MIN_PART, len(word) - MIN_PART + 1):
                piece = word[start:end]
                if piece in BLOCKED_HEADS or piece in BLOCKED_PARTS:
                    continue
                if not _plausible(piece):
                    continue
                forms = self._head_forms(piece)
                if not forms:
                    continue
                for link in LINKS:
                    nxt = end + len(link)
                    if len(word) - nxt < MIN_PART or not word.startswith(link, end):
                        continue
                    if link == "e" and word.startswith("r", nxt):
                        continue  # -er- is a suffix ("plan|e|ring"), not a link
                    rests = self._segmentations(word, nxt, budget - 1, memo)
                    if not rests:
                        continue
                    for form in forms:
                        if len(piece) == MIN_PART and form != piece and link not in "uo":
                            continue  # 3-letter cut heads only as gat|u|, kyrk|o|-style
                        head = (piece, form, link)
                        out.extend((head, *rest) for rest in rests)
        memo[key] = out
        return out

    def _tail_form(self, tail: str) -> str | None:
        """Lexicon form of a final piece: itself, or for an inflected form the
        list lacks ("effektiviseringen") its base word of 4+ letters."""
        if tail in BLOCKED_TAILS or tail in BLOCKED_PARTS or not _plausible(tail):
            return None
        if tail in self._zipf:
            if len(tail) == MIN_PART and self._zipf[tail] < SHORT_PART_MIN_ZIPF:
                return None
            return tail
        for ending in INFLECTIONS:
            base = tail[: -len(ending)]
            if (
                tail.endswith(ending)
                and len(base) > MIN_PART
                and base in self._zipf
                and base not in BLOCKED_TAILS
            ):
                return base
        return None

    def _head_forms(self, piece: str) -> list[str]:
        """Lexicon forms a non-final piece can stand for: itself, or itself
        plus the -a/-e it dropped in composition ("skol" for "skola")."""
        forms = [piece] if piece in self._zipf else []
        if len(piece) == MIN_PART and forms and self._zipf[piece] < SHORT_PART_MIN_ZIPF:
            forms = []
        for ending in ("a", "e"):
            full = piece + ending
            if full in self._zipf and full not in BLOCKED_PARTS:
                forms.append(full)
        return forms


def _plausible(piece: str) -> bool:
    """A part must have a vowel and begin as a Swedish word can."""
    if _VOWELS.isdisjoint(piece):
        return False
    if piece[0] in _VOWELS or piece[1] in _VOWELS:
        return True
    onset = piece[:2] if piece[2] in _VOWELS else piece[:3]
    return onset in _ONSETS


# -- the shipped base list -----------------------------------------------------


@functools.cache
def _load_base() -> dict[str, float]:
    """Read data/sv_lexicon.txt: lines of "<zipf*10>\\t<word> <word> ..."."""
    table: dict[str, float] = {}
    try:
        text = _DATA.read_text(encoding="utf-8")
    except FileNotFoundError:
        return table
    for line in text.splitlines():
        z, _, words = line.partition("\t")
        if words and not z.startswith("#"):
            table.update(dict.fromkeys(words.split(" "), int(z) / 10))
    return table


def _write_groups(path: Path, zipf: Mapping[str, float]) -> None:
    """Write words grouped by Zipf*10, one group a line: compact and fast to load."""
    groups: dict[int, list[str]] = {}
    for word, z in zipf.items():
        groups.setdefault(round(z * 10), []).append(word)
    lines = [f"{z}\t{' '.join(sorted(ws))}" for z, ws in sorted(groups.items(), reverse=True)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


_default: Lexicon | None = None


def default_lexicon() -> Lexicon:
    """The lexicon the analysis filters use when none was given explicitly."""
    global _default
    if _default is None:
        _default = Lexicon.base()
    return _default


def set_default_lexicon(lexicon: Lexicon | None) -> None:
    """Make ``lexicon`` (e.g. base + archive words) the one filters use; None resets."""
    global _default
    _default = lexicon


def build_base(out: Path, min_zipf: float = 2.0, english_margin: float = 1.0) -> int:
    """Regenerate data/sv_lexicon.txt from wordfreq's Swedish list.

    Needs the optional ``wordfreq`` package (maintainers only, not at run
    time). Keeps alphabetic words of at least MIN_PART letters with Zipf >=
    ``min_zipf``, and drops words far more frequent in English than in
    Swedish (the Swedish list holds "the", "and", "team"...).
    """
    from wordfreq import get_frequency_dict, zipf_frequency

    table: dict[str, float] = {}
    for word, freq in get_frequency_dict("sv", "large").items():
        if len(word) < MIN_PART or not _ALPHA.issuperset(word):
            continue
        z = math.log10(freq) + 9
        if z < min_zipf:
            continue
        if zipf_frequency(word, "en", "large") - z >= english_margin:
            continue
        table[word] = z
    _write_groups(out, table)
    return len(table)


if __name__ == "__main__":  # pragma: no cover - maintainer tool
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else _DATA
    print(f"{build_base(target)} words -> {target}")
