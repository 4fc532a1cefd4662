"""Widgets the TUI's screens share: `facts` (a post's generation facts as text), `preview` (a picture in the
terminal), `table` (the data table and the widths of its columns)."""
