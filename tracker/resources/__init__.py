"""Resources: the models, LoRAs and embeddings images name, and the owner's own model files.

- `licences`: the non-commercial rule and its exceptions (plain logic, no database);
- `catalog`: who made each resource and on what licence (`tracker resources`, `resource set`);
- `file_hashes`: hashing local model files the way generators name them;
- `local_models`: the scanned files, and the file behind a hash (`tracker models`);
- `registry_stamp`: one value that changes with the scanned files (kept reports are filed under it);
- `civitai`: the opt-in CivitAI look-up (`tracker resource lookup`): with `tracker check`
  (`tracker.checking`), one of the two commands that use the network, and only when run.

May import: `tracker.metadata`, `tracker.db`, `tracker.support`, `tracker.errors`.
"""
