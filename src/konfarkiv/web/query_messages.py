"""The library's query error codes (search.syntax.QueryError) in Swedish, for the web page."""

from __future__ import annotations

import re
from typing import Any

_WORDLIKE = re.compile(r"\w")
_FIELDS = "talare:, org:, evenemang:, år:, typ:"

MESSAGES: dict[str, str] = {
    "empty": "Skriv ett eller flera sökord.",
    "too_long": "Frågan är för lång ({chars} tecken, högst {most}). Sök på några av orden.",
    "too_many_words": "Frågan har för många ord ({words}, högst {most}). Sök på några av dem.",
    "no_words": "Frågan innehåller inga ord att söka efter.",
    "only_excludes": "Frågan utesluter bara ord (INTE …). Lägg till ord att söka efter.",
    "unknown_field": "Fältet ”{field}:” finns inte. Använd något av: " + _FIELDS,
    "needs_value": "”{field}:” behöver ett värde, till exempel {field}:{example}",
    "too_deep": "Frågan har för många parenteser i varandra (högst {most}). "
                "Sök på orden utan dem.",
    "unbalanced_quotes": "Ett citattecken saknar sin avslutning.",
    "unopened_parenthesis": "En slutparentes saknar sin början.",
    "unclosed_parentheses": "En parentes saknar sin avslutning.",
    "prefix_too_short": "”{prefix}*” är för kort för en sökning på ordbörjan: "
                        "skriv minst {least} bokstäver.",
    "unknown_kind": "Typen ”{kind}” finns inte. Använd typ:session, typ:bild eller typ:film.",
    "not_a_year": "”{value}” är inget årtal. Skriv till exempel år:2019 eller år:2018-2020.",
    "not_a_year_range": "”{value}” är inget intervall av år.",
    "only_common_words": "Frågan har bara vanliga ord ({quoted}) som inte söks på. "
                         "Lägg till ett ord som säger vad du letar efter.",
    "unknown_filter": "Filtret ”{name}” finns inte.",
    "unknown_sort": "Sorteringen ”{sort}” finns inte. Välj relevans, nyast eller äldst.",
    "prefix_too_broad": "”{prefix}*” passar för många ord i arkivet (fler än {most}): "
                        "skriv fler bokstäver före *.",
    "query_too_slow": "Sökningen tog för lång tid (mer än {seconds} sekunder). Använd färre "
                      "ord, eller hela ord i stället för ord med *.",
}


def query_error_sv(exc: Any) -> str:
    """A QueryError as one Swedish sentence."""
    params = dict(exc.params)
    code = exc.code
    if code == "only_common_words" and not any(
            _WORDLIKE.search(str(w)) for w in params.get("words") or []):
        code = "no_words"  # "?" or "–" alone: no word at all, common or not
    if isinstance(params.get("words"), list):
        params["quoted"] = ", ".join(f"”{w}”" for w in params["words"])
    template = MESSAGES.get(code)
    return template.format(**params) if template else "Frågan kan inte tolkas."
