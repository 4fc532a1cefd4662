"""The archive: one private copy of every image, and backups of the whole store.

- `store`: the content-addressed folder of files (one 0600 copy per sha256);
- `privacy`: an archive found open to other users (a `chmod -R`) walked and made private again, with the copies
  of the database tracker wrote, looked at cheaply;
- `copies`: the copies of the whole database tracker wrote beside it and in the data folder, by their names;
- `refs`: which archived files the database still names (for clearing interrupted writes);
- `backup`: `tracker backup`, the database and the archive in one private tar with a manifest;
- `verify`: reading a backup and checking it against its manifest before anything is written;
- `restore`: `tracker restore`, under a lock, keeping the old database (WAL included) and archive;
- `preview`: what `restore` without `--force` says before it refuses: what the current database holds that the
  backup lacks, and the personas the backup would bring back;
- `left_behind`: what only the database a restore replaces holds (posts, complaints), and the personas only the
  backup holds (one scrubbed since comes back), for the owner to hear;
- `restore_record`: what a restore killed part way tells `tracker status` (which database is in use, and the
  warnings it never got to say), written before its commit point and removed once it has said them.
- `replaced`: what only the databases finished restores replaced held, for `tracker status` to repeat while their
  kept `.old-*` copies are there (an unanswered complaint among it is never out of view);
- `returned`: the personas a finished restore brought back (one scrubbed since), for `tracker status` and their
  purge checklists to repeat until the owner scrubs them again or keeps them (`tracker persona keep`).

May import: `tracker.db`, `tracker.support`, `tracker.errors`.
"""
