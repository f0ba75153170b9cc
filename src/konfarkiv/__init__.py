"""konfarkiv: a searchable, durable archive of conference documentation."""

__version__ = "0.1.0"
USER_AGENT = f"konfarkiv/{__version__} (+archive of conference documentation)"
