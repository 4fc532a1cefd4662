"""Burning a persona down: its deletion checklist, the owner's marks on it, and the scrub.

The owner keeps a persona apart so that it can go in one sweep. The checklist lists everything
tracker knows about one persona and nothing of any other; it is recomputed from the archive each
time, and the owner's marks are laid over it.

- `items`: the checklist's sections, items and plan (plain data, one dict view each);
- `owned`: a persona's rows, table by table, in SQL text (`OWNED`): what the scrub deletes and the checklist
  counts, read without the ORM (`purge status`), and the complaints the scrub keeps;
- `ownership`: which audit entries the scrub deletes, and how the images another persona also uses stay;
- `plan`: the checklist of one persona (`build_plan`);
- `local`: its local traces (original files, backups, archive, index, database rows);
- `letters`: the reply letters the TUI saved for its complaints (`replies-out/`), listed and scrubbed;
- `drafts`: what the TUI's forms kept unsaved for its complaints (`drafts/`), listed and scrubbed as the letters;
- `marks`: purge runs and the owner's marks (done, skipped, failed, open);
- `render`: the checklist as Markdown, CSV, HTML or JSON;
- `scrub`: once every item is settled, remove every row, file and byte of the persona;
- `vacuum`: the scrub's last stage on SQLite, the deleted rows' bytes out of the database file (checkpoint, VACUUM);
- `residue`: the byte search of the database files after a scrub (the name, the URLs);
- `kept_complaints`: complaints that also acted on another persona's post, kept for it with this one cut out;
- `unfinished`: a scrub interrupted after its rows went: what it left, and `--finish` (and what a Ctrl+C left).

May import: `tracker.platforms`, `tracker.posts.personas` and `tracker.posts.persona_names` (a persona
found by name, "did you mean" when it is typed wrong; the latter without the ORM), `tracker.posts.persona_renames`
(a persona's former names, for the burn-down picker), `tracker.db`,
`tracker.support`, `tracker.errors`, and `tracker.archive.store` / `tracker.archive.refs` (the scrub
writes the archive as any writer does: it first sweeps what killed writers left), and
`tracker.archive.restore_record` (a killed restore's record names the personas it brought back: the scrub takes
the persona's name out of it), and `tracker.archive.returned` (a finished restore's note of them: the checklist
of a persona that came back says so), and `tracker.archive.copies` (the copies of the database tracker wrote, which the
checklist lists and the scrub names).
"""
