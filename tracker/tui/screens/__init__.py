"""The TUI's screens, one module each: `dashboard`, `intake` (a new complaint), `triage` (one complaint;
`complaint_history`: its history), `decision`, `reply` (`reply_file`: where Ctrl+S saves it), `post`, `find` (open a
complaint or post, match a file), `purge`, `help`; `guard` (yes/no and discard questions, and the drafts a form keeps
of its unsaved input), `intake_kept` (the new-complaint form's draft), `intake_deadline` (its deadline, said back as
read), `intake_read` (its Read: a message read into its fields) and `base` (what every screen shares)."""
