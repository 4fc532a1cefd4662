"""tracker: a local, private archive of posted AI images, their metadata, complaints and deletions.

One core that knows nothing of terminals, two thin front ends over it, a package per feature; imports point one
way, front ends -> features -> reading and storage -> support (`tests/test_architecture.py` holds them to it):

- front ends: `cli` (the `tracker` command, one module per command group) and `tui` (the Textual dashboard);
- features: `posts` (logging, correcting and importing posts, personas), `complaints` (intake, triage, decisions,
  replies), `purge` (burning a persona down), `checking` (`tracker check`: is a post still online),
  `accountability` (the owner's rules and the report), `resources` (models, LoRAs, licences, CivitAI),
  `matching` (which posts a picture shows: hashes, search, pixel checks);
- reading and storage: `metadata` (an image file's generation metadata, one module per generator), `platforms`
  (post URLs and platform facts), `archive` (the private copy of every image, backups, restores), `db` (the
  schema, opening a database, migrations, the audit trail);
- support: `support` (paths and settings, dates, private files, safe text), `errors` (the one error hierarchy the
  CLI turns into one line and an exit code);
- `demo` (the throwaway archive of `tracker demo`) and `__main__` (`python -m tracker`).
"""

__version__ = "0.1.0"
