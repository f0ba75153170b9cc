"""What `konfarkiv update` follows, and running it: update, sources, schedule."""

from __future__ import annotations

import click

from konfarkiv.cli_common import (
    JSON,
    QUIET_RUN,
    VERBOSE,
    WAIT,
    WORKERS,
    Fatal,
    RunView,
    dump,
    end_run,
    say,
    with_archive,
)


@click.command()
@click.option("--retry-failed", is_flag=True,
              help="Retry every failed item now, permanent failures too.")
@click.option("--film-refresh-days", type=click.FloatRange(0), default=7, show_default=True,
              help="Re-read a film's metadata and captions when older than this.")
@WORKERS
@click.option("--per-host", type=click.IntRange(1, 8), default=2, show_default=True,
              help="Requests in flight to one host at once.")
@click.option("--delay", type=click.FloatRange(0, 60), default=0.1, show_default=True,
              help="Seconds a host rests after a download from it (304s need none).")
@click.option("--pdf-time-limit", type=click.FloatRange(1, 3600), default=60, show_default=True,
              help="Seconds one PDF's text extraction may take.")
@QUIET_RUN
@VERBOSE
@JSON
@WAIT
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
    view = RunView("update", quiet=quiet or (as_json and not verbose), verbose=verbose)
    report = with_archive(ctx, lambda a: run_update(a, opts, on_item=view.item),
                          command="update", wait=wait, indexing=view.steps("indexing", "events"),
                          busy_hint="`konfarkiv update --wait` waits for it to finish", run=True)
    if not report.outcomes and not quiet:
        say("no sources yet; add one with `konfarkiv sources add URL`", err=True)
    end_run(ctx, view, report, as_json=as_json, quiet=quiet, changes_only=True)


@click.group()
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
@WAIT
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
        info = with_archive(ctx, lambda a: add_source(a, url, follow_listing=follow),
                            command="sources add", wait=wait)
    except SourceError as exc:
        raise Fatal(str(exc), "give an http(s) URL or the path of a saved page") from exc
    say(source_added_text(info))


@sources.command("list")
@JSON
@click.pass_context
def sources_list(ctx: click.Context, as_json: bool) -> None:
    """Every source, its state, last check and failures; pages found on a listing indented.

    \b
    Example:
      konfarkiv sources list --json
    """
    from konfarkiv.ingest.sources import list_sources
    from konfarkiv.render import sources_text

    rows = with_archive(ctx, list_sources)
    dump(rows) if as_json else say(sources_text(rows))


@sources.command("remove")
@click.argument("url")
@WAIT
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
        n = with_archive(ctx, lambda a: remove_source(a, url), command="sources remove",
                         wait=wait)
    except SourceError as exc:
        raise Fatal(str(exc), "see `konfarkiv sources list`") from exc
    say(sources_removed_text(n))


@click.command()
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
        say(schedule_text(ctx.obj["home"], systemd=kind == "systemd", at=at))
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--at") from exc
