"""Why something failed, in Swedish, for the web's readers.

The catalog keeps a failure as the tool's own short English reason (what the CLI prints,
for archivists). The web shows a Swedish wording of its kind; the tool's words stay
visible only inside the archivist's "Ursprung" disclosure, marked as its own message.
"""

from __future__ import annotations

import re

#: (pattern on the English reason, Swedish wording), first match wins.
_KINDS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, re.I), sv) for p, sv in (
    (r"no video found|no media|unsupported url", "ingen film hittades på sidan"),
    (r"refused: only http\(s\) links", "länken är ingen webbadress, så den hämtades inte"),
    (r"refused: .*(private|loopback)", "länken leder till en intern adress och hämtades inte"),
    (r"refused: .*(local file|inside its own folder|regular files|symlink)",
     "länken leder till en fil utanför sidan och hämtades inte"),
    (r"refused: .*no host", "länken saknar webbplats och hämtades inte"),
    (r"refused", "länken hämtades inte av säkerhetsskäl"),
    (r"\bHTTP 40[14]\b|\bHTTP 410\b", "filen finns inte längre hos källan"),
    (r"\bHTTP 403\b|\bHTTP 451\b|private|sign in|login", "källan ger inte tillgång till filen"),
    (r"\bHTTP 429\b|Retry-After", "källan bad oss vänta; ett nytt försök görs senare"),
    (r"\bHTTP 5\d\d\b", "källans server svarade med ett fel"),
    (r"\bHTTP \d{3}\b", "källan svarade med ett fel"),
    (r"timed out|no answer within|timeout", "källan svarade inte i tid"),
    (r"host name not found", "webbplatsen finns inte (okänt värdnamn)"),
    (r"connection refused|connection failed|connection broke",
     "anslutningen till källan misslyckades"),
    (r"too many redirects", "källan skickade vidare för många gånger"),
    (r"size cap|larger than", "filen är större än arkivet tar emot"),
    (r"instead of a PDF|not a PDF", "länken ledde inte till någon PDF"),
    (r"encrypted|password", "PDF-filen är krypterad och kan inte läsas"),
    (r"not a valid url", "länken är ingen giltig webbadress"),
    (r"no such file", "filen finns inte"),
))
GENERIC = "hämtningen misslyckades"


def failure_sv(reason: str | None) -> str:
    """The Swedish wording of a failure's kind ("" when there is no reason)."""
    if not reason:
        return ""
    for pattern, swedish in _KINDS:
        if pattern.search(reason):
            return swedish
    return GENERIC
