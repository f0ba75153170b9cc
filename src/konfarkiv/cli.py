"""The konfarkiv command line: the command group, its global options and the entry point.

The commands live by theme in the cli_* modules beside it (cli_common: what they share);
each parses options, calls one library function and prints."""

from __future__ import annotations

import errno
import os
import signal
import sqlite3
import sys
from pathlib import Path
from typing import Any

import click

from konfarkiv import __version__, interrupts
from konfarkiv.archive.health import CatalogDamaged
from konfarkiv.archive.home import ArchiveLayout, resolve_home
from konfarkiv.archive.lock import WriterLock
from konfarkiv.cli_common import RESTORE_HINT, Fatal, say
from konfarkiv.exitcodes import ExitStatus

DISK_HINT = ("free some space and run the command again; what was being written is not "
             "kept half-written")


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


#: Each command and the module (cli_<theme>.py) that defines it: a command's module is
#: imported only when that command runs (or help lists them all), so `konfarkiv search`
#: never loads what ingest, update or the archivist's commands import.
COMMANDS: dict[str, tuple[str, str]] = {
    "ingest": ("cli_ingest", "ingest"), "reindex": ("cli_ingest", "reindex"),
    "ocr": ("cli_ingest", "ocr"),
    "search": ("cli_search", "search"), "open": ("cli_search", "open_"),
    "serve": ("cli_search", "serve"),
    "add": ("cli_archivist", "add"), "show": ("cli_archivist", "show"),
    "events": ("cli_archivist", "events"), "status": ("cli_archivist", "status"),
    "review": ("cli_archivist", "review"), "edit": ("cli_archivist", "edit"),
    "remove": ("cli_archivist", "remove"), "verify": ("cli_archivist", "verify"),
    "export": ("cli_archivist", "export"), "restore": ("cli_archivist", "restore"),
    "update": ("cli_sources", "update"), "sources": ("cli_sources", "sources"),
    "schedule": ("cli_sources", "schedule"),
}


class _Commands(click.Group):
    """The command group: damage or trouble in the catalog met in any command (a read
    that reaches a damaged page, a read-only file) is one line with a hint, never a
    traceback; a command never reports success over it. Commands load on first use."""

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            import importlib

            module, attr = COMMANDS[cmd_name]
            command = getattr(importlib.import_module(f"konfarkiv.{module}"), attr)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(COMMANDS))

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


def main() -> None:
    """Entry point: click's errors keep their codes; Ctrl-C exits 130, SIGTERM 143."""
    interrupts.install(cleanup=WriterLock.abandon_all)
    try:
        code = cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        say("Aborted!", err=True)
        sys.exit(int(ExitStatus.ERROR))
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:  # raised by code that installed its own handler
        interrupts.stop_now(signal.SIGINT)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
