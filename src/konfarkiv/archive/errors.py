"""The one exception the archivists' tools raise: a message and a hint for the CLI."""

from __future__ import annotations


class ArchivistError(Exception):
    """An add/edit/remove/show/verify/export request that cannot be carried out.

    The CLI shows `message` and `hint` and exits 1; the catalog is left unchanged.
    """

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
