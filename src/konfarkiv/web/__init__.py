"""`konfarkiv serve`: a read-only web front on the archive, over the same library functions
as the command line (search, show, status); it never writes the catalog or the index."""
