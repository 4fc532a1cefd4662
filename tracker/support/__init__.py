"""Support: the small helpers every other package leans on.

Owns where things are (shipped files, settings from the command line and the environment), dates
the user types and the forms they are shown in, private files written atomically, text made safe
for a terminal, the hand-editable TOML files, and the test-only stop points.

May import: the standard library, `tracker.errors`, and small third-party helpers (platformdirs,
SQLAlchemy's URL parser). Nothing else of tracker's.
"""
