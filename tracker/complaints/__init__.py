"""Complaints: logging one, triaging it, deciding it, answering it, never losing track of it.

Owns the complaint records (`records`), the candidates a complaint is about (`triage`), and the
reply drafts and their templates (`replies`).

May import: `tracker.posts`, `tracker.matching`, `tracker.accountability`, `tracker.metadata`,
`tracker.archive`, `tracker.db`, `tracker.support`, `tracker.errors`.
"""
