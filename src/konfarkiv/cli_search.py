"""Commands that find and open: search, open, serve."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from konfarkiv.archive.archive import Archive
from konfarkiv.archive.home import ArchiveLayout
from konfarkiv.cli_common import (
    Fatal,
    dump,
    say,
    with_archive,
)
from konfarkiv.render import use_color


@click.command()
@click.argument("query")
@click.option("--limit", type=click.IntRange(1, 500), default=10, show_default=True,
              help="Sessions per page of results.")
@click.option("--page", type=click.IntRange(1), default=1, show_default=True,
              help="Which page of results: sessions (N-1)×limit+1 onwards.")
@click.option("--all-versions", is_flag=True, help="Also search older versions of files.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.option("--csv", "rows", flag_value="csv", help="Print one CSV row per hit (export).")
@click.option("--web-url", metavar="URL", envvar="KONFARKIV_WEB_URL",
              default="http://127.0.0.1:8080", show_default=True,
              help="Where `konfarkiv serve` answers: --json gives each film hit a "
                   "\"play_url\" on its player page there.")
@click.option("--jsonl", "rows", flag_value="jsonl", help="Print one JSON line per hit (export).")
@click.pass_context
def search(ctx: click.Context, query: str, limit: int, page: int, all_versions: bool,
           as_json: bool, web_url: str, rows: str | None) -> None:
    """Search the archive; results are grouped by session, best first.

    Every word typed counts: a session matches when all its words occur
    somewhere in it (title, speakers, text, slides, film captions together).
    Common words (och, i, för, med, ...) are dropped, as in the index. When
    no session holds all the words, the sessions holding some are shown and
    the words found nowhere named. An event's own words (title, introduction, date)
    are searched too: a query naming an event shows that event first. A name
    typed plainly finds sessions where the person speaks or is named.

    Words are matched in all their forms and inside compounds: "miljömål"
    finds "miljömålen" and "miljömålsarbetet"; "stadsutveckling" also finds
    "utveckling av staden" (ranked lower). Words typed without å, ä, ö
    ("miljomal") find the accented ones, ranked below exact spellings. When
    a query finds little, a spelling suggestion is shown ("did you mean");
    when it finds nothing, the suggestion's results are shown.

    \b
    Query language:
      a b               both words (AND is implied; AND/OCH may be written)
      a OR b            either word (also ELLER)
      NOT a, -a         without the word (also INTE)
      ( … )             grouping
      "a b c"           the exact phrase
      miljöstrat*       words beginning so
      speaker:NAME      sessions with this speaker (talare:"Eva Hägglund")
      org:NAME          speakers' organisation (org:skl, org:"VA SYD")
      event:WORDS       events whose title has these words (evenemang:)
      year:2019         events of a year, or years (år:2018-2020)
      kind:KIND         session, slide, film (film and its captions),
                        caption (film moments) or event (typ:)
    An unknown field (foo:) is an error, not an empty result. Text output
    shows at most 3 hits per session; --json lists all with "hit_count".

    \b
    Examples:
      konfarkiv search "hållbar stadsutveckling"
      konfarkiv search miljömål --limit 5 --json
      konfarkiv search 'kind:slide "lokala miljömål" year:2019'
      konfarkiv search 'speaker:hagnell (budget OR uppföljning) -nätverk'
      konfarkiv search 'org:skl stadsutv*'
      konfarkiv search miljömål --limit 100 --csv > traffar.csv

    With --json each hit's snippet is plain text and "highlights" lists the
    matched words as [start, end] character offsets into it; "suggestion"
    holds the did-you-mean query and "results_for" the query shown instead.
    """
    from konfarkiv.render import HITS_SHOWN, query_error_text, search_results
    from konfarkiv.search import (
        Found,
        IndexProblem,
        QueryError,
        SearchRequest,
        UnbalancedQuery,
    )
    from konfarkiv.search import search as find

    try:  # text shows HITS_SHOWN hits a session: only theirs need a snippet
        # a query that cannot be searched is said first, archive or not
        request = SearchRequest.of(query, limit=limit, page=page, all_versions=all_versions,
                                   snippets=None if as_json or rows else HITS_SHOWN)

        def searched(a: Archive) -> Found:
            a.require_content()
            return find(a, request)

        found = with_archive(ctx, searched)
        resp, note = found.response, found.note
    except UnbalancedQuery as exc:
        raise click.UsageError(query_error_text(exc), ctx) from exc
    except QueryError as exc:
        raise Fatal(query_error_text(exc),
                    'see `konfarkiv search --help` for the query language') from exc
    except IndexProblem as exc:  # damaged while a writer runs: it cannot be rebuilt now
        raise Fatal(str(exc), "search again when the writer is done, or run "
                    "`konfarkiv reindex`") from exc
    if note:
        say(note, err=True)
    if not resp.results and resp.total:  # --page past the last page: nothing to print
        from konfarkiv.render import past_the_end

        raise Fatal(past_the_end(resp))
    if rows:
        from konfarkiv.render import hit_rows_text

        click.echo(hit_rows_text(resp, rows), nl=False)
    elif as_json:
        from konfarkiv.archive.weburls import with_play_urls

        dump(with_play_urls(resp.to_json(), web_url))
    else:
        click.echo(search_results(resp, color=use_color(sys.stdout)))


@click.command("open")
@click.argument("ref", metavar="WHAT")
@click.option("--print", "print_only", is_flag=True,
              help="Print the path (or URL) instead of opening it.")
@click.pass_context
def open_(ctx: click.Context, ref: str, print_only: bool) -> None:
    """Open an archived PDF at a page, or a film at a second, in the desktop's browser.

    WHAT is an id that `search` shows (--json: each hit's "id"), or its address on the
    archive's web page: material:ID, material:ID@PAGE for a PDF page, material:ID@SECONDS
    for a moment in a film, session:ID or event:ID (their page). The archived copy is
    opened (a place in it through a small page in the archive's cache), else the
    original on the web; links to anything but http(s) addresses are never opened.

    \b
    Examples:
      konfarkiv open material:12@3         # the PDF at page 3
      konfarkiv open material:7@65         # the film at 1:05
      konfarkiv open http://127.0.0.1:8080/material:7@65
      konfarkiv open --print material:12   # just print what would be opened
    """
    from konfarkiv.opening import locate, opener_output

    target = with_archive(ctx, lambda a: locate(a, ref))
    if print_only:
        say(target.printable())
        return
    with opener_output() as said:  # the opener's own lines: only its last, in ours
        try:
            code = click.launch(str(target.path) if target.path else target.url, wait=True)
        except OSError as exc:
            code = exc.errno or 1
    if code != 0:
        last = f"; it said: {said[-1][:200]}" if said else ""
        raise Fatal(f"no program opened {target.printable()} (the opener exited with {code}"
                    f"{last}; --print prints it instead)")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback makes the archive readable "
              "by others.")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True,
              help="Port to listen on; 0 picks a free one.")
@click.option("--open", "open_browser", is_flag=True, help="Open the search page in a browser.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, open_browser: bool) -> None:
    """Serve a read-only search page for the archive, until Ctrl-C.

    Search with thumbnails of the matching slides (opening the archived PDF at
    that page), film moments, events with their materials and provenance,
    the archive's status, and JSON under /api/ (/api/search gives exactly what
    `search --json` prints). It never writes to the archive and takes no lock:
    it keeps answering while ingest or update runs, and shows what they commit.

    \b
    Examples:
      konfarkiv serve                       # http://127.0.0.1:8080/
      konfarkiv serve --port 0 --open       # a free port, opened in the browser
      konfarkiv serve --host 0.0.0.0        # readable by everyone on the network
    """
    from konfarkiv.web.server import is_loopback
    from konfarkiv.web.server import serve as run_server

    home: Path = ctx.obj["home"]

    def ready(url: str) -> None:
        if not is_loopback(host):
            say(f"warning: listening on {host}: anyone who can reach this machine "
                "can read the archive", err=True)
        if not ArchiveLayout(home).catalog.is_file():
            say(f"note: {home} holds no archive yet; the page says how to fill it", err=True)
        say(url)  # last: whoever waits for the URL has the warnings too
        sys.stdout.flush()
        if open_browser:
            import webbrowser

            webbrowser.open(url)

    try:
        run_server(home, host, port, ready=ready)
    except OSError as exc:
        raise Fatal(f"cannot listen on {host}:{port}: {exc.strerror or exc}",
                    "choose another --port (0 picks a free one)") from exc
