"""The archive: one private copy of every image, and backups of the whole store.

- `store`: the content-addressed folder of files (one 0600 copy per sha256);
- `refs`: which archived files the database still names (for clearing interrupted writes);
- `backup`: `tracker backup` / `tracker restore`, the database and the archive in one private tar.

May import: `tracker.db`, `tracker.support`, `tracker.errors`.
"""
