"""The archivist's use cases: edit, remove, show, export, bag, verify, review, overview.

Each reads and changes the archive through konfarkiv.archive (its statements live in
archive/curation.py); this package imports archive and nothing else of konfarkiv.
"""
