"""The Textual TUI (`tracker tui`, `tracker demo`): dashboard, complaint intake, triage, decision, reply.

Screens hold no business rules: they call `tracker.complaints`, `tracker.triage` and
`tracker.replies`, and show every text from the database through `text.plain` (never as markup).
"""
