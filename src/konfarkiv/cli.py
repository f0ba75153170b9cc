"""The konfarkiv command line: parse options, call one library function, print."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from konfarkiv import __version__
from konfarkiv.archive.archive import Archive, archive_status
from konfarkiv.archive.catalog import CatalogError
from konfarkiv.archive.home import resolve_home
from konfarkiv.archive.lock import ArchiveBusy
from konfarkiv.exitcodes import ExitStatus


class Fatal(click.ClickException):
    """A library error shown as one line, with a hint, exiting 1."""

    exit_code = int(ExitStatus.ERROR)

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message + (f"\nhint: {hint}" if hint else ""))


def _open(ctx: click.Context) -> Archive:
    home: Path = ctx.obj["home"]
    try:
        return Archive.open(home)
    except CatalogError as exc:
        raise Fatal(str(exc),
                    "check that --home / KONFARKIV_HOME points at a konfarkiv archive") from exc
    except OSError as exc:
        raise Fatal(f"{home}: cannot create the archive: {exc.strerror or exc}",
                    "choose a writable folder with --home") from exc


def _dump(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
@click.option("--workers", type=click.IntRange(1, 16), default=2, show_default=True,
              help="Materials fetched and extracted at once.")
@click.option("--pdf-time-limit", type=click.FloatRange(1, 3600), default=60, show_default=True,
              help="Seconds one PDF's text extraction may take.")
@click.option("--wait", is_flag=True, help="Wait for another writer instead of exiting.")
@click.pass_context
def ingest(ctx: click.Context, sources: tuple[str, ...], dry_run: bool, as_json: bool,
           workers: int, pdf_time_limit: float, wait: bool) -> None:
    """Ingest documentation pages: the page, its PDFs and films, then index them.

    SOURCES are http(s) URLs or paths of saved pages.

    \b
    Examples:
      konfarkiv ingest https://skr.se/…/dokumentationnatverksmoteformiljostrategerikommunerna.3712.html
      konfarkiv ingest examples/natverksmote/index.html
      konfarkiv ingest --dry-run --json saved-page.html

    Exit status: 0 all done, 1 nothing could be done, 3 some items failed.
    """
    from konfarkiv.ingest.run import ingest as run_ingest
    from konfarkiv.ingest.run import parse_only
    from konfarkiv.render import run_summary

    if dry_run:
        pages, results = parse_only(sources)
        if as_json:
            _dump(pages[0].to_json() if len(pages) == 1 and len(sources) == 1
                  else [p.to_json() for p in pages])
        else:
            for p in pages:
                click.echo(f"{p.title}: {len(p.sessions)} sessions, "
                           f"{len(p.all_materials())} materials")
        for r in results:
            if r.failed:
                click.echo(f"error: {r.line()}", err=True)
        if not pages:
            ctx.exit(int(ExitStatus.ERROR))
        ctx.exit(int(ExitStatus.PARTIAL if any(r.failed for r in results) else ExitStatus.OK))

    progress = _progress_printer() if sys.stderr.isatty() and not as_json else None
    archive = _open(ctx)
    try:
        with archive.writer_lock(wait=wait, command="ingest"):
            report = run_ingest(archive, sources, workers=workers,
                                pdf_time_limit=pdf_time_limit, progress=progress)
    except ArchiveBusy as exc:
        raise Fatal(str(exc)) from exc
    finally:
        archive.close()
    if as_json:
        _dump(report.to_json())
    else:
        click.echo(run_summary(report))
    status = report.exit_status()
    if status == ExitStatus.ERROR and not as_json:
        click.echo("error: nothing could be ingested", err=True)
    ctx.exit(int(status))


def _progress_printer():
    def show(item: str, done: int, total: int) -> None:
        click.echo(f"\r[{done}/{total}] {item[-70:]:<70}", err=True, nl=done == total)

    return show


@cli.command()
@click.argument("query")
@click.option("--limit", type=click.IntRange(1, 500), default=10, show_default=True,
              help="Sessions per page of results.")
@click.option("--page", type=click.IntRange(1), default=1, show_default=True)
@click.option("--all-versions", is_flag=True, help="Also search older versions of files.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.pass_context
def search(ctx: click.Context, query: str, limit: int, page: int, all_versions: bool,
           as_json: bool) -> None:
    """Search the archive; results are grouped by session, best first.

    \b
    Examples:
      konfarkiv search "hållbar stadsutveckling"
      konfarkiv search miljömål --limit 5 --json
    """
    from konfarkiv.render import search_results
    from konfarkiv.search.query import QueryError, search_archive

    archive = _open(ctx)
    try:
        resp, note = search_archive(archive, query, limit=limit, page=page,
                                    all_versions=all_versions)
    except QueryError as exc:
        raise Fatal(str(exc), 'see `konfarkiv search --help` for the query language') from exc
    finally:
        archive.close()
    if note:
        click.echo(note, err=True)
    if as_json:
        _dump(resp.to_json())
    else:
        click.echo(search_results(resp, color=sys.stdout.isatty()))


@cli.command()
@click.pass_context
def reindex(ctx: click.Context) -> None:
    """Rebuild the search index from the catalog alone (no network).

    \b
    Example:
      konfarkiv reindex
    """
    from konfarkiv.search.index import rebuild

    archive = _open(ctx)
    try:
        with archive.writer_lock(command="reindex"):
            docs = rebuild(archive.layout.index, archive.catalog)
    except ArchiveBusy as exc:
        raise Fatal(str(exc)) from exc
    finally:
        archive.close()
    click.echo(f"reindexed {docs} documents")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.pass_context
def status(ctx: click.Context, as_json: bool) -> None:
    """Counts of events, sessions, documents, pages, films, cues and failures.

    \b
    Example:
      konfarkiv status --json
    """
    from konfarkiv.render import status_text

    archive = _open(ctx)
    try:
        info = archive_status(archive)
    finally:
        archive.close()
    _dump(info) if as_json else click.echo(status_text(info))


def main() -> None:
    """Entry point: click's errors keep their codes; Ctrl-C exits 130."""
    try:
        code = cli.main(standalone_mode=False)
    except click.exceptions.Abort as exc:
        if isinstance(exc.__cause__, KeyboardInterrupt):
            click.echo("interrupted", err=True)
            sys.exit(int(ExitStatus.INTERRUPTED))
        click.echo("Aborted!", err=True)
        sys.exit(int(ExitStatus.ERROR))
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(int(ExitStatus.INTERRUPTED))
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
