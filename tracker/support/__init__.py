"""Support: the small helpers every other package leans on.

- `paths`: where the shipped files are; `settings`: where the database, archive and data folder
  are (command line and environment);
- `dates`: dates the user types, and the forms stored times are shown in;
- `files`: private folders and files written whole or not at all;
- `textsafe`: text made safe for a terminal; `shell`: command lines to paste, quoted (odd names too);
  `kinsoku`: where a Japanese line may break; `words`: counted nouns ("1 post", "2 posts");
  `userinput`: optional text, and text that is text (valid UTF-8, no terminal controls); `user_files`: files
  and text the user names, checked before they are read (regular files only, size limits, names that are not
  UTF-8);
- `tomlfile`: the hand-editable TOML files; `testhooks`: stop points for the crash tests;
- `ctrl_c`: a Ctrl+C held back while a commit and the count of what it saved happen together;
- `memory`: allocator tuning for the short `tracker match` process;
- `deadline_http`: one HTTP request under one deadline (name look-up, connect, TLS, redirects and
  body together), for the two network features.

May import: `tracker.errors` (and the standard library, platformdirs, SQLAlchemy's URL parser).
"""
