"""Fetching and reading documentation pages, their PDFs and films into the archive."""

#: Materials fetched and extracted at once, the same for every command (ingest, update):
#: downloads wait on the network (at most 2 per host), extraction runs in child processes.
DEFAULT_WORKERS = 4
