"""The Textual TUI (`tracker tui`, `tracker demo`): dashboard, complaint intake, triage, decision, reply, purge.

Screens hold no business rules and no SQL: they call feature functions (`tracker.complaints`,
`tracker.posts.lookup`, `tracker.purge`) in workers, each with its own session, and show every
text from the database through `text.plain` (never as markup). The app is built from what it is
given (`app.Backend`); its one stylesheet is `app.tcss`; the help is built from the screens'
bindings (`screens.help`).
"""
