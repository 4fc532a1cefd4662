"""tracker: a local, private archive of posted AI images, their metadata, complaints and deletions."""

__version__ = "0.1.0"
