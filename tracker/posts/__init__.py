"""Posts: logging what was published, looking it up, changing it, importing it in bulk.

Owns platforms and URL spellings (`platforms`), logging one post (`log`), editing one (`edit`),
the input images behind a post's techniques (`inputs`), bulk import and its sidecars
(`importing`, `sidecars`), and the one dict view of a post (`views`).

May import: `tracker.metadata`, `tracker.accountability`, `tracker.matching.hashing`,
`tracker.archive`, `tracker.db`, `tracker.support`, `tracker.errors`.
"""
