"""Scheduling `konfarkiv update` with the system's own tools: a systemd user timer or cron.

konfarkiv runs no daemon; these texts are printed for the archivist to install.
Both call the same konfarkiv executable that printed them, with the archive's home.
"""

from __future__ import annotations

import re
import shlex
import shutil
import sys
from pathlib import Path

UNIT = "konfarkiv-update"


def konfarkiv_command() -> list[str]:
    """The command that runs this konfarkiv: its script beside the interpreter, if any."""
    script = Path(sys.executable).parent / "konfarkiv"
    if script.is_file():
        return [str(script)]
    found = shutil.which("konfarkiv")
    return [found] if found else [sys.executable, "-m", "konfarkiv.cli"]


def _hhmm(at: str) -> tuple[int, int]:
    m = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", at.strip())
    if not m:
        raise ValueError(f"{at!r}: give the time as HH:MM, for example 03:15")
    return int(m.group(1)), int(m.group(2))


def update_command(home: Path, extra: list[str] | None = None) -> list[str]:
    return [*konfarkiv_command(), "--home", str(home), "update", *(extra or [])]


def _systemd_quote(arg: str) -> str:
    """systemd's ExecStart splits on spaces and knows double quotes; % must be doubled."""
    arg = arg.replace("%", "%%")
    if re.fullmatch(r"[\w@%+=:,./-]+", arg):
        return arg
    return '"' + arg.replace("\\", "\\\\").replace('"', '\\"') + '"'


def systemd_units(home: Path, at: str = "03:15") -> dict[str, str]:
    """A user service and its timer, by file name (for ~/.config/systemd/user/)."""
    hour, minute = _hhmm(at)
    exec_start = " ".join(_systemd_quote(a) for a in update_command(home))
    service = f"""[Unit]
Description=konfarkiv: re-ingest the sources of the archive in {home}
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
ExecStart={exec_start}
Nice=10
IOSchedulingClass=idle
# Exit 3 means some items failed and the rest were archived: not a failed unit.
SuccessExitStatus=3
"""
    timer = f"""[Unit]
Description=Nightly konfarkiv update of {home}

[Timer]
OnCalendar=*-*-* {hour:02d}:{minute:02d}:00
RandomizedDelaySec=15min
Persistent=true

[Install]
WantedBy=timers.target
"""
    return {f"{UNIT}.service": service, f"{UNIT}.timer": timer}


def cron_line(home: Path, at: str = "03:15") -> str:
    """One crontab line keeping the cron contract: `update -q` prints only failures (one
    `Error:` line each); tee appends them to update.log in the archive and hands them to
    cron, which mails them. A quiet night writes and mails nothing; `konfarkiv status`
    has every night's run record."""
    hour, minute = _hhmm(at)
    command = " ".join(shlex.quote(a) for a in update_command(home, ["-q"]))
    log = shlex.quote(str(home / "update.log"))
    return f"{minute} {hour} * * * {command} 2>&1 | tee -a {log}".replace("%", "\\%")


def schedule_text(home: Path, *, systemd: bool, at: str = "03:15") -> str:
    """What `konfarkiv schedule` prints: the units with their file names, or the cron line."""
    if not systemd:
        return cron_line(home, at)
    parts = []
    for name, text in systemd_units(home, at).items():
        parts.append(f"# ~/.config/systemd/user/{name}\n{text}")
    parts.append(f"# then: systemctl --user daemon-reload && "
                 f"systemctl --user enable --now {UNIT}.timer")
    return "\n".join(parts)
