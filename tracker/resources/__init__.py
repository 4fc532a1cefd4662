"""Resources: the models, LoRAs and embeddings images name, and the owner's own model files.

- `licences`: the non-commercial rule and its exceptions (plain logic, no database);
- `catalog`: finding a resource by name or hash, recording who made it and on what licence (`resource set`);
- `listing`: the resources with their uses and the scanned model files, as SQL text (`tracker resources`,
  `tracker models list`: no SQLAlchemy on a SQLite file at this revision);
- `file_hashes`: hashing local model files the way generators name them;
- `local_models`: scanning the files, and the file behind a hash (`tracker models scan`, reports);
- `registry_stamp`: one value that changes with the scanned files (kept reports are filed under it);
- `civitai`: the opt-in CivitAI look-up (`tracker resource lookup`): with `tracker check`
  (`tracker.checking`), one of the two commands that use the network, and only when run.

May import: `tracker.metadata`, `tracker.db`, `tracker.support`, `tracker.errors`.
"""
