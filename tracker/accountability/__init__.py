"""Accountability: what made an image and which of the owner's rules it breaks.

Owns the owner's rules checked against metadata (`rules`), the risk ranking of image-input
techniques (`risk`), the report `inspect`, `log` and `show` print (`report`), and where the
provenance rules stand across the archive (`provenance`).

May import: `tracker.metadata`, `tracker.resources`, `tracker.posts.inputs`, `tracker.db`,
`tracker.support`, `tracker.errors`.
"""
