"""What counts as a damaged index, as opposed to a bug or a bad query.

Reading files that hold garbage raises a known set of errors (Whoosh's own, I/O,
unpickling, decompression, bytes that are not UTF-8), or arbitrary ones from inside
Whoosh's decoding code. An error raised by konfarkiv's own code with any other type
is a programming error: repairing the index cannot help it, so it is not damage.
"""

from __future__ import annotations

import pickle
import struct
import zlib
from types import TracebackType


class IndexDamaged(Exception):
    """A file of the index holds what konfarkiv never writes there (found while reading)."""


#: What reading unreadable index files raises, wherever it is raised.
DAMAGE_ERRORS: tuple[type[BaseException], ...] = (
    IndexDamaged, OSError, EOFError, pickle.UnpicklingError, struct.error, zlib.error,
    UnicodeDecodeError)


def _whoosh_errors() -> tuple[type[BaseException], ...]:
    from whoosh.filedb.filestore import StorageError
    from whoosh.filedb.filetables import FileFormatError
    from whoosh.index import IndexError as WhooshIndexError

    return (StorageError, FileFormatError, WhooshIndexError)


def _raised_in_whoosh(tb: TracebackType | None) -> bool:
    """Whether the innermost frame of a traceback is Whoosh's code (decoding its data)."""
    last = None
    while tb is not None:
        last, tb = tb, tb.tb_next
    if last is None:
        return False
    module = str(last.tb_frame.f_globals.get("__name__", ""))
    return module == "whoosh" or module.startswith("whoosh.")


def is_damage(exc: BaseException) -> bool:
    """Whether exc says the index's files are damaged (not a bug, not a bad query)."""
    return isinstance(exc, DAMAGE_ERRORS + _whoosh_errors()) or _raised_in_whoosh(
        exc.__traceback__)
