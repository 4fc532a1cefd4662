"""Burning a persona down: its deletion checklist, the owner's marks on it, and the scrub.

Owns the checklist and its marks (`plan`), the checklist as Markdown, CSV, HTML and JSON
(`render`), and the scrub that removes every row, file and byte of a finished persona (`scrub`).

May import: `tracker.posts`, `tracker.matching.index`, `tracker.archive`, `tracker.db`,
`tracker.support`, `tracker.errors`.
"""
