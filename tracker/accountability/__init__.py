"""Accountability: what made an image and which of the owner's rules it breaks.

- `risk`: how risky each image-input technique is (`data/risk.toml`, the owner's ranking);
- `rules`: the owner's rules checked against an image's metadata (findings);
- `report`: the accountability report `inspect`, `log` and `show` print;
- `provenance`: where the provenance rules stand across the archive (`tracker status`).

May import: `tracker.metadata`, `tracker.resources.licences`, `tracker.db`, `tracker.support`, `tracker.errors`.
"""
