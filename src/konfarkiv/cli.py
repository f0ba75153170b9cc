"""The konfarkiv command line: parse options, call one library function, print."""

from __future__ import annotations

import errno
import os
import signal
import sqlite3
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from konfarkiv import __version__, interrupts
from konfarkiv.app import ReportsIndexing, recorded_run, write
from konfarkiv.archive.archive import Archive
from konfarkiv.archive.catalog import CatalogError
from konfarkiv.archive.health import CatalogDamaged
from konfarkiv.archive.home import ArchiveLayout, archive_exists, resolve_home
from konfarkiv.archive.lock import ArchiveBusy, WriterLock
from konfarkiv.exitcodes import ExitStatus
from konfarkiv.ingest import DEFAULT_WORKERS
from konfarkiv.render import json_text, use_color, visible


class Fatal(click.ClickException):
    """A library error shown as one line, with a hint, exiting 1."""

    exit_code = int(ExitStatus.ERROR)

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(visible(message) + (f"\nhint: {visible(hint)}" if hint else ""))


T = TypeVar("T")

DISK_HINT = ("free some space and run the command again; what was being written is not "
             "kept half-written")
RESTORE_HINT = ("`konfarkiv restore` lists the catalog's snapshots and brings one back; "
                "the stored files are kept")


NO_ARCHIVE_HINT = ("`konfarkiv ingest PAGE` makes one (try examples/natverksmote/index.html); "
                   "or point --home / KONFARKIV_HOME at an existing archive")


def _open(ctx: click.Context, *, create: bool = True) -> Archive:
    home: Path = ctx.obj["home"]
    if not create and not archive_exists(home):  # a read never leaves an archive behind
        raise Fatal(f"no archive at {home}", NO_ARCHIVE_HINT)
    try:
        return Archive.open(home)
    except CatalogDamaged as exc:
        raise Fatal(str(exc), RESTORE_HINT) from exc
    except CatalogError as exc:
        raise Fatal(str(exc),
                    "check that --home / KONFARKIV_HOME points at a konfarkiv archive") from exc
    except OSError as exc:
        raise Fatal(f"{home}: cannot create the archive: {exc.strerror or exc}",
                    "choose a writable folder with --home") from exc


def catalog_trouble(exc: sqlite3.Error, home: Path | None) -> Fatal:
    """An SQLite error met anywhere in a command, as one line and a hint that fits it."""
    catalog = ArchiveLayout(home).catalog if home else "the catalog"
    text = str(exc)
    if "readonly" in text or "read-only" in text:
        return Fatal(f"{catalog} is read-only: {text}",
                     "make the archive folder and its catalog writable (chmod -R u+w), "
                     "or give --home a writable copy")
    if "unable to open" in text:
        return Fatal(f"{catalog}: cannot open the catalog ({text})",
                     "check that the archive folder exists and that you may read and write "
                     "it")
    if "locked" in text or "busy" in text:
        return Fatal(f"{catalog} is busy ({text})", "try again when the other writer is done")
    if isinstance(exc, sqlite3.OperationalError):
        return Fatal(f"{catalog}: {text}", "check free disk space and permissions")
    return Fatal(f"the catalog {catalog} is damaged ({text})", RESTORE_HINT)


def home_first(args: list[str]) -> list[str]:
    """`konfarkiv search x --home DIR` means `konfarkiv --home DIR search x`: --home is
    the group's option, so it is moved before the command (not past a `--`)."""
    head: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest += args[i:]
            break
        if arg == "--home" and i + 1 < len(args):
            head += args[i:i + 2]
            i += 2
            continue
        (head if arg.startswith("--home=") else rest).append(arg)
        i += 1
    return head + rest


class _Commands(click.Group):
    """The command group: damage or trouble in the catalog met in any command (a read
    that reaches a damaged page, a read-only file) is one line with a hint, never a
    traceback; a command never reports success over it."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, home_first(args))

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CatalogDamaged as exc:
            raise Fatal(str(exc), RESTORE_HINT) from exc
        except sqlite3.Error as exc:
            raise catalog_trouble(exc, (ctx.obj or {}).get("home")) from exc
        except OSError as exc:  # a full disk, a vanished folder: one line naming the file
            if exc.filename is None:  # standard output itself (`export … -` to /dev/full):
                _quiet_stdout()        # no second failure when Python flushes it at exit
            raise Fatal(f"{exc.filename or 'standard output'}: {exc.strerror or exc}", DISK_HINT
                        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
                        else None) from exc


def _quiet_stdout() -> None:
    """Point standard output at /dev/null once writing to it has failed."""
    try:
        sys.stdout.flush()
    except OSError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _say(text: str, **kwargs: Any) -> None:
    """Echo text that may carry a page's words: control characters made visible."""
    click.echo(visible(text), **kwargs)


def _with_archive(ctx: click.Context, fn: Callable[[Archive], T], *,
                  command: str | None = None, wait: bool = False,
                  busy_hint: str | None = None, create: bool | None = None,
                  indexing: Callable[[int, int], None] | None = None,
                  run: bool = False) -> T:
    """Open the archive, call one library function, close it: the frame of every command.

    With command (a writing command) it runs through konfarkiv.app.write: writer lock,
    fn, the index queue drained, unlock; with run (ingest, update) it also keeps the
    run's record, finished after indexing (konfarkiv.app.recorded_run). ArchivistError,
    ArchiveBusy and a missing or damaged catalog become one line with a hint, exit 1.
    Without command (a read) it never creates an archive, unless create says so.
    """
    from konfarkiv.archive.errors import ArchivistError

    archive = _open(ctx, create=command is not None if create is None else create)
    try:
        if command is None:
            return fn(archive)
        if run:  # ingest and update: fn returns their report, which records the run
            result = recorded_run(archive, command, fn,  # type: ignore[type-var]
                                  wait=wait, indexing=indexing)
        else:
            result = write(archive, command, fn, wait=wait, indexing=indexing)
        if isinstance(result, ReportsIndexing) and result.index_error and not run:
            _say(f"warning: {result.index_error}", err=True)
        return result
    except ArchivistError as exc:
        raise Fatal(exc.message, exc.hint) from exc
    except ArchiveBusy as exc:
        raise Fatal(str(exc), busy_hint) from exc
    finally:
        archive.close()


def _dump(data: Any) -> None:
    click.echo(json_text(data))


_QUIET = click.option("-q", "--quiet", is_flag=True,
                      help="No progress; only errors (and the summary) are printed.")
_QUIET_RUN = click.option("-q", "--quiet", is_flag=True,
                          help="Print nothing unless something failed (then one `Error:` "
                          "line per failure on stderr): for cron.")
_VERBOSE = click.option("-v", "--verbose", is_flag=True,
                        help="A line per item on stderr, also on a terminal, the unchanged and "
                        "skipped ones too.")
_WORKERS = click.option("--workers", type=click.IntRange(1, 16), default=DEFAULT_WORKERS,
                        show_default=True, help="Materials fetched and extracted at once.")


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--home", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Archive folder (default: $KONFARKIV_HOME, else the user data dir).")
@click.version_option(__version__, prog_name="konfarkiv")
@click.pass_context
def cli(ctx: click.Context, home: Path | None) -> None:
    """konfarkiv: a searchable, durable archive of conference documentation.

    \b
    Example:
      konfarkiv --home ./arkiv ingest examples/natverksmote/index.html
      konfarkiv --home ./arkiv search "hållbar stadsutveckling"
    """
    ctx.ensure_object(dict)
    ctx.obj["home"] = resolve_home(home)


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--dry-run", is_flag=True, help="Fetch and parse the pages only; keep nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@_WORKERS
@click.option("--pdf-time-limit", type=click.FloatRange(1, 3600), default=60, show_default=True,
              help="Seconds one PDF's text extraction may take.")
@click.option("--ocr/--no-ocr", default=True, show_default=True,
              help="OCR pages without a text layer (when Tesseract is installed); "
              "with --no-ocr they wait for `konfarkiv ocr`.")
@click.option("--wait", is_flag=True, help="Wait for another writer instead of exiting.")
@click.option("--follow", is_flag=True,
              help="SOURCES are listings: crawl them and ingest every page they link to.")
@_QUIET_RUN
@_VERBOSE
@click.pass_context
def ingest(ctx: click.Context, sources: tuple[str, ...], dry_run: bool, as_json: bool,
           workers: int, pdf_time_limit: float, ocr: bool, wait: bool, follow: bool,
           quiet: bool, verbose: bool) -> None:
    """Ingest documentation pages: the page, its PDFs and films, then index them.

    SOURCES are http(s) URLs or paths of saved pages.

    \b
    Examples:
      konfarkiv ingest https://skr.se/…/dokumentationnatverksmoteformiljostrategerikommunerna.3712.html
      konfarkiv ingest examples/natverksmote/index.html
      konfarkiv ingest --dry-run --json saved-page.html
      konfarkiv ingest --follow https://skr.se/…/dokumentation/alldokumentation.html

    Every SOURCE becomes a source that `konfarkiv update` follows.

    Exit status: 0 all done, 1 nothing could be done, 3 some items failed.
    """
    from konfarkiv.ingest.run import ingest as run_ingest
    from konfarkiv.ingest.run import parse_only
    from konfarkiv.render import discovered_text, parsed_pages_text

    if follow and dry_run:
        from konfarkiv.ingest.update import discover_only

        found = discover_only(sources)
        if as_json:
            _dump([{"listing": d.listing, "listing_pages": d.listing_pages, "pages": d.pages,
                    "skipped": [{"url": u, "reason": r} for u, r in d.skipped],
                    "error": d.error} for d in found])
        else:
            _say(discovered_text(found))
        for d in found:
            if d.error:
                _say(f"Error: {d.error}", err=True)
        ctx.exit(int(ExitStatus.PARTIAL if any(d.error for d in found) else ExitStatus.OK))
    if follow:
        from konfarkiv.ingest.update import UpdateOptions, follow_listings

        view = _RunView("ingest", quiet=quiet or as_json, verbose=verbose)
        report = _with_archive(ctx, lambda a: follow_listings(
            a, sources, UpdateOptions(workers=workers, pdf_time_limit=pdf_time_limit),
            on_item=view.item), command="ingest --follow", wait=wait,
            indexing=view.steps("indexing", "events"), run=True)
        _end_run(ctx, view, report, as_json=as_json, quiet=quiet)
    if dry_run:
        pages, results, doubts = parse_only(sources)
        out = [{**p.to_json(), "doubts": [d.to_json() for d in ds]}
               for p, ds in zip(pages, doubts, strict=True)]
        if as_json:
            _dump(out[0] if len(pages) == 1 and len(sources) == 1 else out)
        elif pages:
            _say(parsed_pages_text(pages, doubts))
        for r in results:
            if r.failed:
                _say(f"Error: {r.line()}", err=True)
        if not pages:
            ctx.exit(int(ExitStatus.ERROR))
        ctx.exit(int(ExitStatus.PARTIAL if any(r.failed for r in results) else ExitStatus.OK))

    view = _RunView("ingest", quiet=quiet or as_json, verbose=verbose)
    report = _with_archive(ctx, lambda a: run_ingest(
        a, sources, workers=workers, pdf_time_limit=pdf_time_limit, on_item=view.item,
        on_ocr=view.ocr, ocr=ocr),
        command="ingest", wait=wait, indexing=view.steps("indexing", "events"), run=True)
    if report.exit_status() == ExitStatus.ERROR and not (as_json or quiet):
        report.remark("nothing could be ingested")
    _end_run(ctx, view, report, as_json=as_json, quiet=quiet)


def _end_run(ctx: click.Context, view: _RunView, report: Any, *, as_json: bool,
             quiet: bool, changes_only: bool = False) -> None:
    """The end of ingest and update, as cron wants it: each failure (an item, a page
    gone, the indexing) one `Error:` line on stderr; then the summary (update: a line
    per change), or JSON, on stdout, unless -q; exit 0 when nothing failed, else 3
    (1: nothing could be done)."""
    from konfarkiv.render import run_summary, update_lines

    view.close(report.problem_lines())
    if as_json:
        _dump(report.to_json())
    elif not quiet:
        _say(update_lines(report) if changes_only else run_summary(report))
    ctx.exit(int(report.exit_status()))


class _RunView:
    """A long run's progress on stderr. On a terminal a bar (items done and failed, bytes,
    ETA; then the indexing); piped a line per item done (unchanged and skipped ones only
    with -v, which also gives lines on a terminal); with -q none. At the end every
    failure with its reason, in every mode."""

    def __init__(self, label: str, *, quiet: bool = False, verbose: bool = False) -> None:
        self.label, self.quiet, self.verbose = label, quiet and not verbose, verbose
        self.lines = verbose or not sys.stderr.isatty()
        self.bar: Any = None
        self.done = self.failed = self.nbytes = 0
        self.failures: list[str] = []
        self.ocr_done = self.ocr_total = 0
        self.lock = threading.Lock()

    def _start(self, label: str, length: int) -> Any:
        if self.bar is None:
            self.bar = click.progressbar(length=max(length, 1), label=label, file=sys.stderr,
                                         show_eta=True, show_pos=True,
                                         item_show_func=lambda text: text)
            self.bar.__enter__()
        return self.bar

    def _finish(self) -> None:
        if self.bar is not None:
            self.bar.render_finish()
            self.bar = None

    def item(self, o: dict[str, Any]) -> None:
        from konfarkiv.render import bar_status, item_line, short_name

        self.done += 1
        self.nbytes += int((o.get("detail") or {}).get("bytes") or 0)
        if o["outcome"] == "failed":
            self.failed += 1
            self.failures.append(f"{o['kind'].rstrip('s')} {o['item']}: {o['reason']}")
        if self.quiet:
            return
        if self.lines:
            if self.verbose or o["outcome"] not in ("unchanged", "skipped"):
                _say(item_line(o), err=True)
            return
        bar = self._start(self.label, o.get("planned") or 0)
        bar.length = max(o.get("planned") or 0, self.done)
        bar.update(1, bar_status(self.failed, self.nbytes, short_name(o["item"], o["kind"])))

    def ocr(self, item: str, done: int, total: int) -> None:
        """A file's OCR as it goes (worker threads): pages read of pages to read, apart
        from the item count; a line when a file starts and ends, or on the bar."""
        from konfarkiv.render import short_name

        with self.lock:
            self.ocr_done += 1 if done else 0
            self.ocr_total += total if done == 0 else 0
            if self.quiet:
                return
            name = short_name(item, "pdfs")
            if self.lines:
                if done == 0:
                    _say(f"ocr  {total} pages without a text layer  {name}", err=True)
                elif done == total:
                    _say(f"ocr  done {done} pages  {name}", err=True)
                return
            bar = self._start(self.label, 1)
            bar.update(0, f"OCR {self.ocr_done}/{self.ocr_total} pages  {name}"[:60])

    def steps(self, label: str, unit: str) -> Callable[[int, int], None]:
        """A (done, total) callback for a stage with a known length: indexing, copying."""
        said: set[int] = set()

        def step(done: int, total: int) -> None:
            if self.quiet or total == 0:
                return
            if self.lines:
                if total not in said:  # once, at the first step
                    said.add(total)
                    click.echo(f"{label} {total} {unit}", err=True)
                return
            if done == 0 or (self.bar is not None and self.bar.label != label):
                self._finish()
            bar = self._start(label, total)
            bar.update(done - bar.pos)
        return step

    def close(self, problems: list[str] | None = None) -> None:
        """End the bar; then every failure with its reason, one `Error:` line each
        (problems: the run's own list, else the failed items seen)."""
        self._finish()
        for line in self.failures if problems is None else problems:
            _say(f"Error: {line}", err=True)


@cli.command()
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

        found = _with_archive(ctx, searched)
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
        _say(note, err=True)
    if not resp.results and resp.total:  # --page past the last page: nothing to print
        from konfarkiv.render import past_the_end

        raise Fatal(past_the_end(resp))
    if rows:
        from konfarkiv.render import hit_rows_text

        click.echo(hit_rows_text(resp, rows), nl=False)
    elif as_json:
        from konfarkiv.archive.weburls import with_play_urls

        _dump(with_play_urls(resp.to_json(), web_url))
    else:
        click.echo(search_results(resp, color=use_color(sys.stdout)))


@cli.command()
@click.option("--ocr", "redo_ocr", is_flag=True,
              help="First OCR again every page that has no text layer (a new model).")
@_WORKERS
@_QUIET
@_VERBOSE
@click.pass_context
def reindex(ctx: click.Context, redo_ocr: bool, workers: int, quiet: bool,
            verbose: bool) -> None:
    """Rebuild the search index from the catalog alone (no network).

    Films whose captions an older caption reader read are read again first, from
    their archived caption files.

    \b
    Examples:
      konfarkiv reindex
      konfarkiv reindex --ocr
    """
    from konfarkiv.ingest.reread import reread_captions
    from konfarkiv.search.index import rebuild

    view = _RunView("reindex", quiet=quiet, verbose=verbose)
    if redo_ocr:
        from konfarkiv.ingest.ocr_later import run_ocr
        from konfarkiv.render import ocr_run_text

        done = _with_archive(ctx, lambda a: run_ocr(a, again=True, workers=workers,
                                                     on_ocr=view.ocr), command="reindex --ocr")
        _say(ocr_run_text(done), err=True)
    indexing = view.steps("indexing", "events")
    reread, docs = _with_archive(
        ctx, lambda a: (reread_captions(a), rebuild(a.layout.index, a.catalog, indexing)),
        command="reindex")
    view.close()
    for problem in reread.problems:
        _say(f"warning: {problem}", err=True)
    if reread.films:
        _say(f"re-read the captions of {reread.films} film{'s' if reread.films != 1 else ''}")
    _say(f"reindexed {docs} documents")


@cli.command()
@click.option("--again", is_flag=True, help="Also read again the pages OCR'd before.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@_WORKERS
@click.option("--page-time-limit", type=click.FloatRange(1, 3600), default=60,
              show_default=True, help="Seconds Tesseract may take for one page.")
@click.option("--file-time-limit", type=click.FloatRange(1, 86400), default=600,
              show_default=True, help="Seconds one file's OCR may take; the rest waits.")
@click.option("--wait", is_flag=True, help="Wait for another writer instead of exiting.")
@_QUIET
@_VERBOSE
@click.pass_context
def ocr(ctx: click.Context, again: bool, as_json: bool, workers: int, page_time_limit: float,
        file_time_limit: float, wait: bool, quiet: bool, verbose: bool) -> None:
    """OCR the archived PDF pages that have no text layer and still wait (no network).

    Pages wait when Tesseract was not installed at ingest, or a file's time cap came
    first; pages read by an older Tesseract are read again by a newer one.

    \b
    Examples:
      konfarkiv ocr
      konfarkiv ocr --workers 2 --again

    Exit status: 0 all read, 3 some pages failed (each named with its reason).
    """
    from konfarkiv.ingest.ocr_later import run_ocr
    from konfarkiv.render import ocr_run_text

    view = _RunView("ocr", quiet=quiet or as_json, verbose=verbose)
    report = _with_archive(ctx, lambda a: run_ocr(
        a, again=again, workers=workers, page_time_limit=page_time_limit,
        time_limit=file_time_limit, on_ocr=view.ocr), command="ocr", wait=wait,
        indexing=view.steps("indexing", "events"))
    view.close()
    _dump(report.to_json()) if as_json else _say(ocr_run_text(report))
    ctx.exit(int(ExitStatus.PARTIAL if report.failures else ExitStatus.OK))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.pass_context
def status(ctx: click.Context, as_json: bool) -> None:
    """Counts of events, sessions, documents, pages, films, cues and failures, and the
    record of the last runs of ingest and update (the last one in full).

    A run's record is written after its indexing: requests, not modified, new,
    changed, new versions, withdrawn, gone, failed, indexed documents, index
    errors, duration and exit status. --json gives "last_run" and "runs" (the last 20).

    \b
    Example:
      konfarkiv status --json
    """
    from konfarkiv.curate.overview import status_report
    from konfarkiv.render import status_text

    info = _with_archive(ctx, status_report)
    _dump(info) if as_json else _say(status_text(info))


@cli.command()
@click.option("--json", "fmt", flag_value="json", help="Print JSON instead of text.")
@click.option("--csv", "fmt", flag_value="csv", help="Print CSV (for spreadsheets).")
@click.pass_context
def events(ctx: click.Context, fmt: str | None) -> None:
    """The archived events, newest first: id, date, title, sessions, PDFs, films, failures.

    \b
    Examples:
      konfarkiv events
      konfarkiv events --csv > evenemang.csv
      konfarkiv show 3            # one event with its sessions and materials
    """
    from konfarkiv.curate.overview import event_list
    from konfarkiv.render import EVENT_COLUMNS, events_text, table_csv

    rows = _with_archive(ctx, lambda a: event_list(a.catalog))
    if fmt == "json":
        _dump(rows)
    else:
        click.echo(table_csv(rows, EVENT_COLUMNS) if fmt == "csv" else events_text(rows),
                   nl=fmt != "csv")


@cli.command("open")
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

    target = _with_archive(ctx, lambda a: locate(a, ref))
    if print_only:
        _say(target.printable())
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


# ---- archivists' tools: add, show, edit, remove, verify, export ----------------------------


_WAIT = click.option("--wait", is_flag=True, help="Wait for another writer instead of exiting.")
_JSON = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
_BY = click.option("--by", metavar="NAME", help="Who makes the change (default: your login name).")


@cli.command()
@click.argument("source", metavar="FILE_OR_URL")
@click.option("--event", metavar="EVENT", help="The event it belongs to: its id or page URL.")
@click.option("--new-event", metavar="TITLE", help="Create a new event with this title.")
@click.option("--session", metavar="TITLE",
              help="Its session, by title (created if the event has none such) or session:ID.")
@click.option("--speaker", "speakers", multiple=True, metavar='"NAME, ORGANISATION"',
              help="A speaker of the session (repeatable).")
@click.option("--title", help="The material's title (default: embedded title or file name).")
@click.option("--date", help="Date of the new event, YYYY-MM-DD (with --new-event).")
@click.option("--captions", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="WebVTT or SRT captions of a video or audio file "
                   "(default: film.sv.vtt, film.vtt or film.srt beside it).")
@_BY
@_JSON
@_WAIT
@click.pass_context
def add(ctx: click.Context, source: str, event: str | None, new_event: str | None,
        session: str | None, speakers: tuple[str, ...], title: str | None, date: str | None,
        captions: Path | None, by: str | None, as_json: bool, wait: bool) -> None:
    """Add a PDF, a video or audio file, or a film URL by hand; searchable at once.

    Material added by hand is never withdrawn by a re-ingest of the event's page.

    \b
    Examples:
      konfarkiv add slides.pdf --event 12 --session "Hållbar stadsutveckling"
      konfarkiv add film.mp4 --event https://skr.se/…/dokumentation.3712.html \\
          --session "Dagvatten" --speaker "Anna Ek, Malmö stad"
      konfarkiv add https://www.youtube.com/watch?v=… --new-event "Miljödagen" --date 2024-05-02

    Exit status: 0 added, 1 nothing added, 3 added with problems (e.g. unreadable captions).
    """
    from konfarkiv.ingest.manual import AddRequest, add_material
    from konfarkiv.render import added_text

    req = AddRequest(source=source, event=event, new_event=new_event, session=session,
                     speakers=speakers, title=title, date=date, captions=captions, by=by)
    result = _with_archive(ctx, lambda a: add_material(a, req), command="add", wait=wait)
    if as_json:
        _dump(result.to_json())
    else:
        _say(added_text(result))
    for warning in result.warnings:
        _say(f"warning: {warning}", err=True)
    ctx.exit(int(ExitStatus.PARTIAL if result.warnings else ExitStatus.OK))


@cli.command()
@click.argument("ref", metavar="WHAT")
@_JSON
@click.pass_context
def show(ctx: click.Context, ref: str, as_json: bool) -> None:
    """Everything known about an event, session or material, with provenance.

    WHAT is an event id (`konfarkiv events` lists them) or page URL, session:ID or
    material:ID (the ids `search` shows; material:ID@PAGE is that material). Each value
    says whether it was parsed from the page or made by hand; each file its source,
    fetch time, sha256, size and versions.

    \b
    Examples:
      konfarkiv show 12
      konfarkiv show session:48 --json
      konfarkiv show material:31
      konfarkiv show https://skr.se/…/dokumentation.3712.html
    """
    from konfarkiv.curate.show import show as show_record
    from konfarkiv.render import show_text

    record = _with_archive(ctx, lambda a: show_record(a, ref))
    _dump(record) if as_json else _say(show_text(record))


@cli.command()
@_JSON
@click.pass_context
def review(ctx: click.Context, as_json: bool) -> None:
    """The events an archivist should look at: what the parser was unsure of, and the fix.

    Each doubt (no session found on a page with PDFs, many headings read as page
    sections, speakers without organisation, no date, ...) comes with the command that
    fixes it; an edit of the event or session settles it.

    \b
    Example:
      konfarkiv review --json
    """
    from konfarkiv.curate.review import review as open_doubts
    from konfarkiv.render import review_text

    events = _with_archive(ctx, lambda a: open_doubts(a.catalog))
    _dump(events) if as_json else _say(review_text(events))


@cli.group()
def edit() -> None:
    """Correct an event or a session by hand; corrections survive every re-ingest.

    \b
    Examples:
      konfarkiv edit event 12 --title "Nätverksmöte för miljöstrateger" --date 2019-03-14
      konfarkiv edit session 48 --speaker "Eva Hägglund, SKR" --speaker "Anna Ek, Malmö stad"
      konfarkiv edit session 48 --reset speakers
    """


def _edit_result(result: Any, as_json: bool) -> None:
    from konfarkiv.render import edited_text

    _dump(result.to_json()) if as_json else _say(edited_text(result))


@edit.command("event")
@click.argument("event")
@click.option("--title", help="The event's title.")
@click.option("--date", help="The event's date, YYYY-MM-DD.")
@click.option("--intro", help="The event's introduction text.")
@click.option("--reset", multiple=True, type=click.Choice(["title", "date", "intro"]),
              help="Drop a hand-made value; the page's value is used again (repeatable).")
@_BY
@_JSON
@_WAIT
@click.pass_context
def edit_event(ctx: click.Context, event: str, title: str | None, date: str | None,
               intro: str | None, reset: tuple[str, ...], by: str | None, as_json: bool,
               wait: bool) -> None:
    """Correct an event's title, date or introduction (EVENT: id or page URL).

    \b
    Example:
      konfarkiv edit event 12 --date 2019-03-14 --by "Karin, arkivet"
    """
    from konfarkiv.curate.edit import EditRequest
    from konfarkiv.curate.edit import edit as run_edit

    values = {k: v for k, v in (("title", title), ("date", date), ("intro", intro))
              if v is not None}
    req = EditRequest("event", event, values, reset, by)
    _edit_result(_with_archive(ctx, lambda a: run_edit(a, req), command="edit", wait=wait), as_json)


@edit.command("session")
@click.argument("session")
@click.option("--title", help="The session's title.")
@click.option("--description", help="The session's description.")
@click.option("--time", "time_", metavar="TIME", help='When it was held, e.g. "09.00–09.45".')
@click.option("--speaker", "speakers", multiple=True, metavar='"NAME, ORGANISATION"',
              help="The session's speakers, in order (repeatable; replaces the list).")
@click.option("--no-speakers", is_flag=True, help="The session has no speakers.")
@click.option("--reset", multiple=True,
              type=click.Choice(["title", "description", "time", "speakers"]),
              help="Drop a hand-made value; the page's value is used again (repeatable).")
@_BY
@_JSON
@_WAIT
@click.pass_context
def edit_session(ctx: click.Context, session: str, title: str | None, description: str | None,
                 time_: str | None, speakers: tuple[str, ...], no_speakers: bool,
                 reset: tuple[str, ...], by: str | None, as_json: bool, wait: bool) -> None:
    """Correct a session's title, description, time or speakers (SESSION: id or session:ID).

    \b
    Example:
      konfarkiv edit session 48 --speaker "Kerstin Blom Bokliden, SKR"
    """
    from konfarkiv.curate.edit import EditRequest
    from konfarkiv.curate.edit import edit as run_edit

    if speakers and no_speakers:
        raise click.UsageError("--speaker and --no-speakers cannot go together")
    values: dict[str, Any] = {k: v for k, v in (("title", title), ("description", description),
                                                 ("time", time_)) if v is not None}
    if speakers or no_speakers:
        values["speakers"] = list(speakers)
    req = EditRequest("session", session, values, reset, by)
    _edit_result(_with_archive(ctx, lambda a: run_edit(a, req), command="edit", wait=wait), as_json)


@cli.command()
@click.argument("ref", metavar="WHAT")
@click.option("--reason", help="Why it is withdrawn (kept in the tombstone).")
@click.option("--purge", is_flag=True,
              help="Delete the rows and every stored file no other row uses, for real.")
@click.option("--yes", is_flag=True, help="Purge without asking.")
@click.option("--undo", is_flag=True, help="Put a removed item back into search.")
@_BY
@_JSON
@_WAIT
@click.pass_context
def remove(ctx: click.Context, ref: str, reason: str | None, purge: bool, yes: bool,
           undo: bool, by: str | None, as_json: bool, wait: bool) -> None:
    """Withdraw a material, session or event from search, keeping its files and rows.

    WHAT is material:ID, session:ID, or an event id or page URL. A tombstone records
    who, why and when; re-ingest keeps it withdrawn; --undo puts it back. --purge
    deletes it for real and asks first unless --yes.

    \b
    Examples:
      konfarkiv remove material:31 --reason "the speaker asked us to"
      konfarkiv remove session:48 --undo
      konfarkiv remove 12 --purge --yes --reason "test data"
    """
    from konfarkiv.curate.remove import PurgePlan, RemoveRequest
    from konfarkiv.curate.remove import remove as run_remove
    from konfarkiv.render import removed_text

    def confirm(plan: PurgePlan) -> bool:
        return yes or click.confirm(plan.describe() + ". Continue?", default=False, err=True)

    req = RemoveRequest(ref, reason, by, purge, undo)
    result = _with_archive(ctx, lambda a: run_remove(a, req, confirm), command="remove", wait=wait)
    if result.action == "kept":
        raise Fatal("nothing was purged", "add --yes to purge without being asked")
    if as_json:
        _dump(result.to_json())
        return
    _say(removed_text(result))


@cli.command()
@_JSON
@click.pass_context
def verify(ctx: click.Context, as_json: bool) -> None:
    """Fixity audit: check the catalog, re-hash every stored file, report what is wrong.

    The catalog is checked first (SQLite's integrity check); a missing, empty or
    damaged catalog is the worst damage and says how to restore it. Files are
    streamed, so any size of archive is checked in constant memory.

    \b
    Example:
      konfarkiv verify --json

    Exit status: 0 intact, 3 the catalog is damaged or some files are missing or
    changed (each is named with the catalog rows that use it).
    """
    from konfarkiv.curate.verify import verify as run_verify
    from konfarkiv.render import verify_progress_line, verify_text

    def show_progress(done: int, total: int, nbytes: int) -> None:
        click.echo(verify_progress_line(done, total, nbytes), err=True, nl=done == total)

    progress = show_progress if sys.stderr.isatty() and not as_json else None
    try:
        report = _with_archive(ctx, lambda a: run_verify(a, progress))
    except Fatal as exc:
        if not isinstance(exc.__cause__, CatalogDamaged):
            raise
        _say(f"Error: the archive is not intact: {exc.__cause__}", err=True)
        _say(f"hint: {RESTORE_HINT}", err=True)
        ctx.exit(int(ExitStatus.PARTIAL))
    if as_json:
        _dump(report.to_json())
    else:
        _say(verify_text(report, ArchiveLayout(ctx.obj["home"]).catalog))
    if report.catalog_problem:
        _say("Error: the archive is not intact: its catalog is damaged", err=True)
        _say(f"hint: {RESTORE_HINT}", err=True)
    elif not report.intact:
        _say("Error: the archive is not intact; restore the files named above from a "
                   "backup", err=True)
    ctx.exit(int(ExitStatus.OK if report.intact else ExitStatus.PARTIAL))


@cli.command()
@click.option("--bagit", "bag_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write a BagIt bag to this new folder.")
@click.option("--jsonl", metavar="FILE|-", help="Write the catalog as JSON Lines.")
@click.option("--csv", "csv_target", metavar="FILE|-", help="Write the catalog as CSV.")
@click.option("--event", "events", multiple=True, metavar="EVENT",
              help="Only this event (id or page URL; repeatable).")
@click.option("--include-removed", is_flag=True,
              help="Put material withdrawn with `remove` in the bag too.")
@_QUIET
@_VERBOSE
@click.pass_context
def export(ctx: click.Context, bag_dir: Path | None, jsonl: str | None, csv_target: str | None,
           events: tuple[str, ...], include_removed: bool, quiet: bool, verbose: bool) -> None:
    """Export the archive: a BagIt bag for handing over, or the catalog as JSONL or CSV.

    \b
    Examples:
      konfarkiv export --bagit overlamning-2024 --event 12
      konfarkiv export --jsonl katalog.jsonl
      konfarkiv export --csv - > katalog.csv
    """
    from konfarkiv.render import bag_text, exported_text

    chosen = [x for x in (bag_dir, jsonl, csv_target) if x is not None]
    if len(chosen) != 1:
        raise click.UsageError("give exactly one of --bagit DIR, --jsonl FILE, --csv FILE")
    if bag_dir is not None:
        from konfarkiv.curate.bag import export_bag

        view = _RunView("export", quiet=quiet, verbose=verbose)
        bag = _with_archive(ctx, lambda a: export_bag(
            a, bag_dir, events, include_removed=include_removed,
            progress=view.steps("copying", "files")))
        view.close()
        _say(bag_text(bag))
        return
    from konfarkiv.curate.export import export_catalog

    fmt, target = ("jsonl", jsonl) if jsonl is not None else ("csv", csv_target)
    result = _with_archive(ctx, lambda a: export_catalog(a, fmt, str(target), events))
    if target != "-":
        _say(exported_text(result, fmt, str(target)))


@cli.command()
@click.argument("snapshot", required=False)
@_WAIT
@click.pass_context
def restore(ctx: click.Context, snapshot: str | None, wait: bool) -> None:
    """List the catalog's snapshots, or bring one back (SNAPSHOT: a name, or latest).

    Every writing command snapshots the catalog first (the last 3 are kept in
    backups/ in the archive; one that changed nothing, such as a quiet nightly
    update, drops its own); the list names the command each preceded. Restoring
    moves the current catalog aside into
    backups/ (nothing is deleted); the search index is rebuilt at the next search.
    Stored files are never touched.

    \b
    Examples:
      konfarkiv restore
      konfarkiv restore latest
      konfarkiv restore catalog-20261130T190501.123456Z.sqlite
    """
    from konfarkiv.archive.backup import restore as run_restore
    from konfarkiv.archive.backup import snapshots
    from konfarkiv.archive.errors import ArchivistError
    from konfarkiv.archive.home import ArchiveLayout
    from konfarkiv.render import restored_text, snapshots_text

    layout = ArchiveLayout(ctx.obj["home"])
    if snapshot is None:
        _say(snapshots_text(snapshots(layout), layout.backups))
        return
    try:
        with WriterLock(layout.lock, wait=wait, command="restore"):
            done = run_restore(layout, None if snapshot == "latest" else snapshot)
    except ArchivistError as exc:
        raise Fatal(exc.message, exc.hint) from exc
    except ArchiveBusy as exc:
        raise Fatal(str(exc)) from exc
    _say(restored_text(done))


# ---- sources, update, schedule --------------------------------------------------------------


@cli.command()
@click.option("--retry-failed", is_flag=True,
              help="Retry every failed item now, permanent failures too.")
@click.option("--film-refresh-days", type=click.FloatRange(0), default=7, show_default=True,
              help="Re-read a film's metadata and captions when older than this.")
@_WORKERS
@click.option("--per-host", type=click.IntRange(1, 8), default=2, show_default=True,
              help="Requests in flight to one host at once.")
@click.option("--delay", type=click.FloatRange(0, 60), default=0.1, show_default=True,
              help="Seconds a host rests after a download from it (304s need none).")
@click.option("--pdf-time-limit", type=click.FloatRange(1, 3600), default=60, show_default=True,
              help="Seconds one PDF's text extraction may take.")
@_QUIET_RUN
@_VERBOSE
@_JSON
@_WAIT
@click.pass_context
def update(ctx: click.Context, retry_failed: bool, film_refresh_days: float, workers: int,
           per_host: int, delay: float, pdf_time_limit: float, quiet: bool, verbose: bool,
           as_json: bool, wait: bool) -> None:
    """Re-ingest every source; only what changed is fetched, extracted and indexed.

    Pages and files are asked for with If-None-Match / If-Modified-Since; a changed
    PDF becomes a new version, a link gone from its page is marked withdrawn, a page
    that answers 404/410 is marked gone. Failed items are retried when due (backoff).

    Material added by hand is never fetched again: its archived copy is checked
    (fixity). An event from a saved page is re-read only when its file changed; a
    file that is gone leaves the event as archived, with a note (not a failure).

    \b
    Examples:
      konfarkiv update
      konfarkiv update -v --retry-failed
      konfarkiv --home ~/arkiv update --json --wait     # per source what was done
      15 3 * * *  konfarkiv --home ~/arkiv update -q    # a crontab line

    \b
    The cron contract:
      exit 0   nothing failed
      exit 3   something failed: an item, a page gone (404/410) since the last
               run, or the indexing; the rest is archived
      exit 1   nothing could be done: no archive, another writer holds it
               (without --wait), a damaged catalog
      -q       prints nothing unless something failed, then one `Error:` line
               per failure on stderr (so cron mails only then)
      doubts   about a parsed page are printed once, when new; `konfarkiv
               review` lists every open one
    Every run leaves a record (`konfarkiv status`).
    """
    from konfarkiv.ingest.update import UpdateOptions
    from konfarkiv.ingest.update import update as run_update

    opts = UpdateOptions(retry_failed=retry_failed, film_refresh_days=film_refresh_days,
                         workers=workers, per_host=per_host, delay=delay,
                         pdf_time_limit=pdf_time_limit)
    view = _RunView("update", quiet=quiet or (as_json and not verbose), verbose=verbose)
    report = _with_archive(ctx, lambda a: run_update(a, opts, on_item=view.item),
                           command="update", wait=wait, indexing=view.steps("indexing", "events"),
                           busy_hint="`konfarkiv update --wait` waits for it to finish", run=True)
    if not report.outcomes and not quiet:
        _say("no sources yet; add one with `konfarkiv sources add URL`", err=True)
    _end_run(ctx, view, report, as_json=as_json, quiet=quiet, changes_only=True)


@cli.group()
def sources() -> None:
    """The pages and listings that `konfarkiv update` follows.

    \b
    Examples:
      konfarkiv sources add https://skr.se/…/dokumentationx.3712.html
      konfarkiv sources add --follow https://skr.se/…/alldokumentation.html
      konfarkiv sources list --json
    """


@sources.command("add")
@click.argument("url")
@click.option("--follow", is_flag=True,
              help="URL is a listing: crawl it and follow every page it links to.")
@_WAIT
@click.pass_context
def sources_add(ctx: click.Context, url: str, follow: bool, wait: bool) -> None:
    """Follow URL from now on; the next `konfarkiv update` fetches it.

    Like every writing command it takes the archive's writer lock and snapshots the
    catalog first (`konfarkiv restore` brings the snapshot back).

    \b
    Example:
      konfarkiv sources add --follow https://skr.se/…/alldokumentation.html
    """
    from konfarkiv.ingest.sources import SourceError, add_source
    from konfarkiv.render import source_added_text

    try:
        info = _with_archive(ctx, lambda a: add_source(a, url, follow_listing=follow),
                             command="sources add", wait=wait)
    except SourceError as exc:
        raise Fatal(str(exc), "give an http(s) URL or the path of a saved page") from exc
    _say(source_added_text(info))


@sources.command("list")
@_JSON
@click.pass_context
def sources_list(ctx: click.Context, as_json: bool) -> None:
    """Every source, its state, last check and failures; pages found on a listing indented.

    \b
    Example:
      konfarkiv sources list --json
    """
    from konfarkiv.ingest.sources import list_sources
    from konfarkiv.render import sources_text

    rows = _with_archive(ctx, list_sources)
    _dump(rows) if as_json else _say(sources_text(rows))


@sources.command("remove")
@click.argument("url")
@_WAIT
@click.pass_context
def sources_remove(ctx: click.Context, url: str, wait: bool) -> None:
    """Stop following URL (and pages found only through it); nothing archived is deleted.

    \b
    Example:
      konfarkiv sources remove https://skr.se/…/alldokumentation.html
    """
    from konfarkiv.ingest.sources import SourceError, remove_source
    from konfarkiv.render import sources_removed_text

    try:
        n = _with_archive(ctx, lambda a: remove_source(a, url), command="sources remove",
                          wait=wait)
    except SourceError as exc:
        raise Fatal(str(exc), "see `konfarkiv sources list`") from exc
    _say(sources_removed_text(n))


@cli.command()
@click.option("--systemd", "kind", flag_value="systemd", help="Print a user service and timer.")
@click.option("--cron", "kind", flag_value="cron", help="Print a crontab line.")
@click.option("--at", default="03:15", show_default=True, help="Time of day to run, HH:MM.")
@click.pass_context
def schedule(ctx: click.Context, kind: str | None, at: str) -> None:
    """Print what runs `konfarkiv update` nightly for this archive (nothing is installed).

    \b
    Examples:
      konfarkiv --home ~/arkiv schedule --systemd
      (crontab -l 2>/dev/null; konfarkiv --home ~/arkiv schedule --cron --at 02:30) | crontab -

    The last example appends the line and keeps the rest of your crontab (a bare
    `| crontab -` would replace all of it); run it once, check with `crontab -l`.
    The cron line runs `update -q`: a quiet night writes nothing; each failure is one
    `Error:` line, appended to update.log in the archive and mailed by cron.
    """
    from konfarkiv.ingest.schedule import schedule_text

    if kind is None:
        raise click.UsageError("choose --systemd or --cron")
    try:
        _say(schedule_text(ctx.obj["home"], systemd=kind == "systemd", at=at))
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--at") from exc


@cli.command()
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
            _say(f"warning: listening on {host}: anyone who can reach this machine "
                 "can read the archive", err=True)
        if not ArchiveLayout(home).catalog.is_file():
            _say(f"note: {home} holds no archive yet; the page says how to fill it", err=True)
        _say(url)  # last: whoever waits for the URL has the warnings too
        sys.stdout.flush()
        if open_browser:
            import webbrowser

            webbrowser.open(url)

    try:
        run_server(home, host, port, ready=ready)
    except OSError as exc:
        raise Fatal(f"cannot listen on {host}:{port}: {exc.strerror or exc}",
                    "choose another --port (0 picks a free one)") from exc


def main() -> None:
    """Entry point: click's errors keep their codes; Ctrl-C exits 130, SIGTERM 143."""
    interrupts.install(cleanup=WriterLock.abandon_all)
    try:
        code = cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        _say("Aborted!", err=True)
        sys.exit(int(ExitStatus.ERROR))
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:  # raised by code that installed its own handler
        interrupts.stop_now(signal.SIGINT)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
