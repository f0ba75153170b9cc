"""Commands that fill the archive from pages and files: ingest, reindex, ocr."""

from __future__ import annotations

import click

from konfarkiv.cli_common import (
    QUIET,
    QUIET_RUN,
    VERBOSE,
    WORKERS,
    RunView,
    dump,
    end_run,
    say,
    with_archive,
)
from konfarkiv.exitcodes import ExitStatus


@click.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--dry-run", is_flag=True, help="Fetch and parse the pages only; keep nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@WORKERS
@click.option("--pdf-time-limit", type=click.FloatRange(1, 3600), default=60, show_default=True,
              help="Seconds one PDF's text extraction may take.")
@click.option("--ocr/--no-ocr", default=True, show_default=True,
              help="OCR pages without a text layer (when Tesseract is installed); "
              "with --no-ocr they wait for `konfarkiv ocr`.")
@click.option("--wait", is_flag=True, help="Wait for another writer instead of exiting.")
@click.option("--follow", is_flag=True,
              help="SOURCES are listings: crawl them and ingest every page they link to.")
@QUIET_RUN
@VERBOSE
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
            dump([{"listing": d.listing, "listing_pages": d.listing_pages, "pages": d.pages,
                   "skipped": [{"url": u, "reason": r} for u, r in d.skipped],
                   "error": d.error} for d in found])
        else:
            say(discovered_text(found))
        for d in found:
            if d.error:
                say(f"Error: {d.error}", err=True)
        ctx.exit(int(ExitStatus.PARTIAL if any(d.error for d in found) else ExitStatus.OK))
    if follow:
        from konfarkiv.ingest.update import UpdateOptions, follow_listings

        view = RunView("ingest", quiet=quiet or as_json, verbose=verbose)
        report = with_archive(ctx, lambda a: follow_listings(
            a, sources, UpdateOptions(workers=workers, pdf_time_limit=pdf_time_limit),
            on_item=view.item), command="ingest --follow", wait=wait,
            indexing=view.steps("indexing", "events"), run=True)
        end_run(ctx, view, report, as_json=as_json, quiet=quiet)
    if dry_run:
        pages, results, doubts = parse_only(sources)
        out = [{**p.to_json(), "doubts": [d.to_json() for d in ds]}
               for p, ds in zip(pages, doubts, strict=True)]
        if as_json:
            dump(out[0] if len(pages) == 1 and len(sources) == 1 else out)
        elif pages:
            say(parsed_pages_text(pages, doubts))
        for r in results:
            if r.failed:
                say(f"Error: {r.line()}", err=True)
        if not pages:
            ctx.exit(int(ExitStatus.ERROR))
        ctx.exit(int(ExitStatus.PARTIAL if any(r.failed for r in results) else ExitStatus.OK))

    view = RunView("ingest", quiet=quiet or as_json, verbose=verbose)
    report = with_archive(ctx, lambda a: run_ingest(
        a, sources, workers=workers, pdf_time_limit=pdf_time_limit, on_item=view.item,
        on_ocr=view.ocr, ocr=ocr),
        command="ingest", wait=wait, indexing=view.steps("indexing", "events"), run=True)
    if report.exit_status() == ExitStatus.ERROR and not (as_json or quiet):
        report.remark("nothing could be ingested")
    end_run(ctx, view, report, as_json=as_json, quiet=quiet)


@click.command()
@click.option("--ocr", "redo_ocr", is_flag=True,
              help="First OCR again every page that has no text layer (a new model).")
@WORKERS
@QUIET
@VERBOSE
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

    view = RunView("reindex", quiet=quiet, verbose=verbose)
    if redo_ocr:
        from konfarkiv.ingest.ocr_later import run_ocr
        from konfarkiv.render import ocr_run_text

        done = with_archive(ctx, lambda a: run_ocr(a, again=True, workers=workers,
                                                    on_ocr=view.ocr), command="reindex --ocr")
        say(ocr_run_text(done), err=True)
    indexing = view.steps("indexing", "events")
    reread, docs = with_archive(
        ctx, lambda a: (reread_captions(a), rebuild(a.layout.index, a.catalog, indexing)),
        command="reindex")
    view.close()
    for problem in reread.problems:
        say(f"warning: {problem}", err=True)
    if reread.films:
        say(f"re-read the captions of {reread.films} film{'s' if reread.films != 1 else ''}")
    say(f"reindexed {docs} documents")


@click.command()
@click.option("--again", is_flag=True, help="Also read again the pages OCR'd before.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@WORKERS
@click.option("--page-time-limit", type=click.FloatRange(1, 3600), default=60,
              show_default=True, help="Seconds Tesseract may take for one page.")
@click.option("--file-time-limit", type=click.FloatRange(1, 86400), default=600,
              show_default=True, help="Seconds one file's OCR may take; the rest waits.")
@click.option("--wait", is_flag=True, help="Wait for another writer instead of exiting.")
@QUIET
@VERBOSE
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

    view = RunView("ocr", quiet=quiet or as_json, verbose=verbose)
    report = with_archive(ctx, lambda a: run_ocr(
        a, again=again, workers=workers, page_time_limit=page_time_limit,
        time_limit=file_time_limit, on_ocr=view.ocr), command="ocr", wait=wait,
        indexing=view.steps("indexing", "events"))
    view.close()
    dump(report.to_json()) if as_json else say(ocr_run_text(report))
    ctx.exit(int(ExitStatus.PARTIAL if report.failures else ExitStatus.OK))
