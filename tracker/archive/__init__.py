"""The archive: one private copy of every image, and backups of the whole store.

Owns the content-addressed folder of files (`store`), which files the database still names
(`refs`), and `tracker backup` / `tracker restore` (`backup`).

May import: `tracker.db`, `tracker.support`, `tracker.errors`.
"""
