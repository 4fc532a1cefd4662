"""Matching: which stored images a given image shows, whole or in part.

Owns how images become hash bits (`hashing`), the numpy search over those hashes (`similarity`),
the saved index file of one database (`index`: handed rows, never opens a session), and the use
case behind `tracker match` (`search`).

May import: `tracker.metadata`, `tracker.posts`, `tracker.db`, `tracker.support`, `tracker.errors`.
"""
