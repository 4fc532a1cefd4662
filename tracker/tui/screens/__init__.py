"""The TUI's screens, one module each: dashboard, intake (a new complaint), triage (one complaint), decision, reply,
post, find (open a complaint or post, match a file), purge, help; `guard` (yes/no and discard questions) and `base`
(what every screen shares)."""
