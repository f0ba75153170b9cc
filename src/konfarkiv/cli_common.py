"""What every command shares: the archive frame, output, common options, the run view."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from konfarkiv.app import ReportsIndexing, recorded_run, write
from konfarkiv.archive.archive import Archive
from konfarkiv.archive.catalog import CatalogError
from konfarkiv.archive.health import CatalogDamaged
from konfarkiv.archive.home import archive_exists
from konfarkiv.archive.lock import ArchiveBusy
from konfarkiv.exitcodes import ExitStatus
from konfarkiv.ingest import DEFAULT_WORKERS
from konfarkiv.render import json_text, visible


class Fatal(click.ClickException):
    """A library error shown as one line, with a hint, exiting 1."""

    exit_code = int(ExitStatus.ERROR)

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(visible(message) + (f"\nhint: {visible(hint)}" if hint else ""))


T = TypeVar("T")

RESTORE_HINT = ("`konfarkiv restore` lists the catalog's snapshots and brings one back; "
                "the stored files are kept")


NO_ARCHIVE_HINT = ("`konfarkiv ingest PAGE` makes one (try examples/natverksmote/index.html); "
                   "or point --home / KONFARKIV_HOME at an existing archive")


def open_archive(ctx: click.Context, *, create: bool = True) -> Archive:
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


def say(text: str, **kwargs: Any) -> None:
    """Echo text that may carry a page's words: control characters made visible."""
    click.echo(visible(text), **kwargs)


def with_archive(ctx: click.Context, fn: Callable[[Archive], T], *,
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

    archive = open_archive(ctx, create=command is not None if create is None else create)
    try:
        if command is None:
            return fn(archive)
        if run:  # ingest and update: fn returns their report, which records the run
            result = recorded_run(archive, command, fn,  # type: ignore[type-var]
                                  wait=wait, indexing=indexing)
        else:
            result = write(archive, command, fn, wait=wait, indexing=indexing)
        if isinstance(result, ReportsIndexing) and result.index_error and not run:
            say(f"warning: {result.index_error}", err=True)
        return result
    except ArchivistError as exc:
        raise Fatal(exc.message, exc.hint) from exc
    except ArchiveBusy as exc:
        raise Fatal(str(exc), busy_hint) from exc
    finally:
        archive.close()


def dump(data: Any) -> None:
    click.echo(json_text(data))


QUIET = click.option("-q", "--quiet", is_flag=True,
                      help="No progress; only errors (and the summary) are printed.")
QUIET_RUN = click.option("-q", "--quiet", is_flag=True,
                          help="Print nothing unless something failed (then one `Error:` "
                          "line per failure on stderr): for cron.")
VERBOSE = click.option("-v", "--verbose", is_flag=True,
                        help="A line per item on stderr, also on a terminal, the unchanged and "
                        "skipped ones too.")
WORKERS = click.option("--workers", type=click.IntRange(1, 16), default=DEFAULT_WORKERS,
                        show_default=True, help="Materials fetched and extracted at once.")
WAIT = click.option("--wait", is_flag=True, help="Wait for another writer instead of exiting.")
JSON = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
BY = click.option("--by", metavar="NAME", help="Who makes the change (default: your login name).")


def end_run(ctx: click.Context, view: RunView, report: Any, *, as_json: bool,
             quiet: bool, changes_only: bool = False) -> None:
    """The end of ingest and update, as cron wants it: each failure (an item, a page
    gone, the indexing) one `Error:` line on stderr; then the summary (update: a line
    per change), or JSON, on stdout, unless -q; exit 0 when nothing failed, else 3
    (1: nothing could be done)."""
    from konfarkiv.render import run_summary, update_lines

    view.close(report.problem_lines())
    if as_json:
        dump(report.to_json())
    elif not quiet:
        say(update_lines(report) if changes_only else run_summary(report))
    ctx.exit(int(report.exit_status()))


class RunView:
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
                say(item_line(o), err=True)
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
                    say(f"ocr  {total} pages without a text layer  {name}", err=True)
                elif done == total:
                    say(f"ocr  done {done} pages  {name}", err=True)
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
            say(f"Error: {line}", err=True)
