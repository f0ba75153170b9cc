"""Running the command line as user nobody from any checkout (tests of read-only archives).

A checkout inside a folder other users cannot enter (a root user's home, a 0700
temporary folder) keeps konfarkiv's source and the virtual environment's packages out
of nobody's reach, so `python -c "import konfarkiv"` fails as nobody. The child then
runs from a copy of what it imports: konfarkiv's package and every installed
distribution it requires, put in a folder nobody can enter (hard links where the file
system allows, else copies). When no interpreter of this Python version can be run as
nobody at all, the caller skips with a message.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

NOBODY = "65534"
_CHECK = ("import sys; assert sys.version_info[:2] == ({}, {}), sys.version; "
          "import konfarkiv.cli").format(*sys.version_info[:2])


def _prefix() -> list[str]:
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: cannot run a command as nobody")
    return [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]


def _interpreters() -> list[str]:
    """This Python (as the venv names it, and as installed), then the system's same version."""
    version = "{}.{}".format(*sys.version_info[:2])
    found = [sys.executable, os.path.realpath(sys.executable),
             getattr(sys, "_base_executable", ""), shutil.which(f"python{version}") or "",
             f"/usr/bin/python{version}", f"/usr/local/bin/python{version}"]
    return list(dict.fromkeys(p for p in found if p))


def _runs(cmd: list[str], env: dict[str, str], cwd: Path) -> bool:
    try:
        proc = subprocess.run([*cmd, "-c", _CHECK], env=env, cwd=cwd, capture_output=True,
                              timeout=60, check=False)
    except OSError:
        return False
    return proc.returncode == 0


def _link_or_copy(src: str, dst: str) -> None:
    """A hard link when others may read the file (its mode is shared with the link),
    else a copy readable by all."""
    if os.stat(src).st_mode & stat.S_IROTH:
        try:
            os.link(src, dst)
            return
        except OSError:
            pass
    shutil.copy2(src, dst)
    os.chmod(dst, os.stat(dst).st_mode | 0o444)


def _required(name: str) -> list[metadata.Distribution]:
    """The installed distributions name requires, transitively (extras left out)."""
    seen: dict[str, metadata.Distribution] = {}
    todo = [name]
    while todo:
        wanted = todo.pop()
        try:
            dist = metadata.distribution(wanted)
        except metadata.PackageNotFoundError:
            continue  # a requirement for another platform or Python
        key = re.sub(r"[-_.]+", "-", dist.metadata["Name"]).lower()
        if key in seen:
            continue
        seen[key] = dist
        for req in dist.requires or []:
            if "extra ==" in req.replace("extra==", "extra =="):
                continue
            match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", req)
            if match:
                todo.append(match.group(1))
    return list(seen.values())


def _copy_importables(lib: Path) -> None:
    """konfarkiv's package and every file of the distributions it requires, into lib."""
    import konfarkiv

    shutil.copytree(Path(konfarkiv.__file__).parent, lib / "konfarkiv",
                    copy_function=_link_or_copy,
                    ignore=shutil.ignore_patterns("__pycache__"))
    for dist in _required("konfarkiv"):
        if dist.metadata["Name"].lower() == "konfarkiv":
            continue
        for rel in dist.files or []:
            if ".." in rel.parts or rel.suffix == ".pyc":
                continue  # scripts in bin/, caches
            src = Path(str(dist.locate_file(rel)))
            if src.is_file():
                dst = lib / Path(*rel.parts)
                dst.parent.mkdir(parents=True, exist_ok=True)
                if not dst.exists():
                    _link_or_copy(str(src), str(dst))


def nobody_command(workdir: Path) -> tuple[list[str], dict[str, str]]:
    """The start of a command line that runs Python as nobody with konfarkiv importable,
    and its environment; workdir is a folder nobody can enter (a copy goes there if
    needed). Skips the test when nobody can run this Python version at all."""
    prefix = _prefix()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    for python in _interpreters():
        if _runs([*prefix, python], env, workdir):
            return [*prefix, python], env
    lib = workdir / "lib"
    if not lib.is_dir():
        _copy_importables(lib)
        for p in [lib, *(d for d in lib.rglob("*") if d.is_dir())]:
            p.chmod(0o755)  # folders made here, whatever the umask
    env = {**env, "PYTHONPATH": str(lib), "PYTHONNOUSERSITE": "1"}
    for python in _interpreters():
        if _runs([*prefix, python], env, workdir):
            return [*prefix, python], env
    pytest.skip(f"no Python {sys.version_info[0]}.{sys.version_info[1]} that user nobody "
                "may run (this checkout and its interpreter are out of nobody's reach)")
