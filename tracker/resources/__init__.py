"""Resources: the models, LoRAs and embeddings images name, and the owner's own model files.

Owns the record of who made each resource and on what licence (`catalog`), hashing local model
files the way generators name them (`file_hashes`), the scanned files and the file behind a hash
(`local_models`), and the opt-in CivitAI look-up, the only network code (`civitai`).

May import: `tracker.metadata`, `tracker.db`, `tracker.support`, `tracker.errors`.
"""
