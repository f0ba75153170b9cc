"""Ctrl-C (SIGINT) and SIGTERM end a run at once: a line on stderr, exit 130 or 143.

A Python signal handler runs only when the main thread gets back to the interpreter,
which can take long when it sits in C code (SQLite waiting out a busy lock, a blocking
read). So the C-level handler's wake-up byte (signal.set_wakeup_fd) is read by a small
watcher thread, which ends the process from there whatever the main thread is doing.
Ending at once is safe: every catalog write is its own transaction, every stored file
is renamed into place only when complete, extractor children die with this process
(PDEATHSIG) and the kernel releases the writer lock.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

STOPPING = {signal.SIGINT: "interrupted", signal.SIGTERM: "terminated"}
_lock = threading.Lock()


def stop_now(signum: int, cleanup: Callable[[], None] | None = None) -> None:
    """Say why on stderr, run cleanup (which must be quick), exit 128 + signum."""
    with _lock:  # the watcher and the main thread may both get here: one says it
        if cleanup is not None:
            try:
                cleanup()
            except Exception:  # noqa: BLE001, S110 - exiting anyway; say why below
                pass
        try:
            sys.stdout.flush()
        except (OSError, ValueError):
            pass
        try:
            os.write(2, f"{STOPPING.get(signal.Signals(signum), 'stopped')}\n".encode())
        except OSError:
            pass
        os._exit(128 + signum)


def install(cleanup: Callable[[], None] | None = None) -> None:
    """From now on SIGINT and SIGTERM stop this process at once (call from the main thread)."""
    read_fd, write_fd = os.pipe()
    os.set_blocking(write_fd, False)
    signal.set_wakeup_fd(write_fd, warn_on_full_buffer=False)

    def on_signal(signum: int, _frame: object) -> None:
        stop_now(signum, cleanup)  # the main thread got here first

    for signum in STOPPING:
        signal.signal(signum, on_signal)

    def watch() -> None:
        while True:
            data = os.read(read_fd, 1)
            if not data:
                return
            if data[0] in STOPPING:
                stop_now(data[0], cleanup)

    threading.Thread(target=watch, name="konfarkiv-signals", daemon=True).start()


@contextmanager
def deferred_in_children() -> Iterator[None]:
    """Block SIGINT/SIGTERM in this thread while it forks a child.

    A terminal's Ctrl-C reaches the whole process group; a child forked with them
    blocked can ignore them before unblocking, so it never prints a KeyboardInterrupt
    traceback of its own (the parent ends it). The parent's other threads still get them.
    """
    mask = {signal.SIGINT, signal.SIGTERM}
    old = signal.pthread_sigmask(signal.SIG_BLOCK, mask)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def ignore_in_child() -> None:
    """First thing in a forked child: leave SIGINT/SIGTERM to the parent, then unblock."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
