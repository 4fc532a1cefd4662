"""The TUI's screens, one module each: dashboard, intake, triage, decision and reply, purge, help."""
