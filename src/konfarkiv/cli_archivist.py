"""The archivists' commands: add, show, events, status, review, edit, remove, verify,
export, restore."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from konfarkiv.archive.health import CatalogDamaged
from konfarkiv.archive.home import ArchiveLayout
from konfarkiv.archive.lock import ArchiveBusy, WriterLock
from konfarkiv.cli_common import (
    BY,
    JSON,
    QUIET,
    RESTORE_HINT,
    VERBOSE,
    WAIT,
    Fatal,
    RunView,
    dump,
    say,
    with_archive,
)
from konfarkiv.exitcodes import ExitStatus


@click.command()
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
@BY
@JSON
@WAIT
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
    result = with_archive(ctx, lambda a: add_material(a, req), command="add", wait=wait)
    if as_json:
        dump(result.to_json())
    else:
        say(added_text(result))
    for warning in result.warnings:
        say(f"warning: {warning}", err=True)
    ctx.exit(int(ExitStatus.PARTIAL if result.warnings else ExitStatus.OK))


@click.command()
@click.argument("ref", metavar="WHAT")
@JSON
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

    record = with_archive(ctx, lambda a: show_record(a, ref))
    dump(record) if as_json else say(show_text(record))


@click.command()
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

    rows = with_archive(ctx, lambda a: event_list(a.catalog))
    if fmt == "json":
        dump(rows)
    else:
        click.echo(table_csv(rows, EVENT_COLUMNS) if fmt == "csv" else events_text(rows),
                   nl=fmt != "csv")


@click.command()
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

    info = with_archive(ctx, status_report)
    dump(info) if as_json else say(status_text(info))


@click.command()
@JSON
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

    events = with_archive(ctx, lambda a: open_doubts(a.catalog))
    dump(events) if as_json else say(review_text(events))


@click.group()
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

    dump(result.to_json()) if as_json else say(edited_text(result))


@edit.command("event")
@click.argument("event")
@click.option("--title", help="The event's title.")
@click.option("--date", help="The event's date, YYYY-MM-DD.")
@click.option("--intro", help="The event's introduction text.")
@click.option("--reset", multiple=True, type=click.Choice(["title", "date", "intro"]),
              help="Drop a hand-made value; the page's value is used again (repeatable).")
@BY
@JSON
@WAIT
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
    _edit_result(with_archive(ctx, lambda a: run_edit(a, req), command="edit", wait=wait), as_json)


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
@BY
@JSON
@WAIT
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
    _edit_result(with_archive(ctx, lambda a: run_edit(a, req), command="edit", wait=wait), as_json)


@click.command()
@click.argument("ref", metavar="WHAT")
@click.option("--reason", help="Why it is withdrawn (kept in the tombstone).")
@click.option("--purge", is_flag=True,
              help="Delete the rows and every stored file no other row uses, for real.")
@click.option("--yes", is_flag=True, help="Purge without asking.")
@click.option("--undo", is_flag=True, help="Put a removed item back into search.")
@BY
@JSON
@WAIT
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
    result = with_archive(ctx, lambda a: run_remove(a, req, confirm), command="remove", wait=wait)
    if result.action == "kept":
        raise Fatal("nothing was purged", "add --yes to purge without being asked")
    if as_json:
        dump(result.to_json())
        return
    say(removed_text(result))


@click.command()
@JSON
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
        report = with_archive(ctx, lambda a: run_verify(a, progress))
    except Fatal as exc:
        if not isinstance(exc.__cause__, CatalogDamaged):
            raise
        say(f"Error: the archive is not intact: {exc.__cause__}", err=True)
        say(f"hint: {RESTORE_HINT}", err=True)
        ctx.exit(int(ExitStatus.PARTIAL))
    if as_json:
        dump(report.to_json())
    else:
        say(verify_text(report, ArchiveLayout(ctx.obj["home"]).catalog))
    if report.catalog_problem:
        say("Error: the archive is not intact: its catalog is damaged", err=True)
        say(f"hint: {RESTORE_HINT}", err=True)
    elif not report.intact:
        say("Error: the archive is not intact; restore the files named above from a "
                   "backup", err=True)
    ctx.exit(int(ExitStatus.OK if report.intact else ExitStatus.PARTIAL))


@click.command()
@click.option("--bagit", "bag_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write a BagIt bag to this new folder.")
@click.option("--jsonl", metavar="FILE|-", help="Write the catalog as JSON Lines.")
@click.option("--csv", "csv_target", metavar="FILE|-", help="Write the catalog as CSV.")
@click.option("--event", "events", multiple=True, metavar="EVENT",
              help="Only this event (id or page URL; repeatable).")
@click.option("--include-removed", is_flag=True,
              help="Put material withdrawn with `remove` in the bag too.")
@QUIET
@VERBOSE
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

        view = RunView("export", quiet=quiet, verbose=verbose)
        bag = with_archive(ctx, lambda a: export_bag(
            a, bag_dir, events, include_removed=include_removed,
            progress=view.steps("copying", "files")))
        view.close()
        say(bag_text(bag))
        return
    from konfarkiv.curate.export import export_catalog

    fmt, target = ("jsonl", jsonl) if jsonl is not None else ("csv", csv_target)
    result = with_archive(ctx, lambda a: export_catalog(a, fmt, str(target), events))
    if target != "-":
        say(exported_text(result, fmt, str(target)))


@click.command()
@click.argument("snapshot", required=False)
@WAIT
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
        say(snapshots_text(snapshots(layout), layout.backups))
        return
    try:
        with WriterLock(layout.lock, wait=wait, command="restore"):
            done = run_restore(layout, None if snapshot == "latest" else snapshot)
    except ArchivistError as exc:
        raise Fatal(exc.message, exc.hint) from exc
    except ArchiveBusy as exc:
        raise Fatal(str(exc)) from exc
    say(restored_text(done))
