"""The one set of exit statuses every command uses."""

from enum import IntEnum


class ExitStatus(IntEnum):
    OK = 0  # all done
    ERROR = 1  # nothing could be done: a fatal error, message on stderr
    USAGE = 2  # click's usage errors
    PARTIAL = 3  # some items failed; the rest are archived
    INTERRUPTED = 130  # Ctrl-C
