"""Matching: which stored images a given image shows, whole or in part.

- `hashing`: how images become hash bits (the only module that knows the hash libraries);
- `similarity`: the numpy search over stored hashes (no database);
- `index`: the saved index file of one database, handed its rows (never opens a session);
- `stored`: reading the database's hashes for the index, re-hashing rows of an old version;
- `search`: the use case behind `tracker match` (and complaint triage).

May import: `tracker.metadata`, `tracker.posts.inputs`, `tracker.db`, `tracker.support`, `tracker.errors`.
"""
