"""InvokeAI, all three generations of its metadata.

This package owns reading what InvokeAI wrote into an image into a `GenerationInfo`; its one
entry point is `parse` (called by `tracker.metadata.reader`). One module per format, oldest
first, then the dispatch:

- `dream`: 1.x (lstein/stable-diffusion) PNG `Dream` command lines, split into prompt and
  switches (`parse_dream`), and the `[...]` negative prompt (`split_negative`).
- `sd_metadata`: 1.15–2.x `sd-metadata` JSON, with the `Dream` line filling what it lacks
  (also the record of an image that has only a `Dream` line); img2img strength and the init
  image are an image input.
- `core_metadata`: 3.x and later `invokeai_metadata` (`CoreMetadataInvocation`): settings,
  models, LoRAs and image inputs (generation mode, adapter lists, 4.x control layers, 5.x
  canvas, 6.x reference images).
- `graph`: `invokeai_graph` / `invokeai_workflow`, read when the metadata is missing (the
  graph's own metadata node, else its denoise, noise, prompt and loader nodes).
- `record`: `parse`, choosing which of the above to read from the keys present.

May import: `tracker.metadata.fields`, `tracker.metadata.info` and `tracker.metadata.jsonsafe`
(and the standard library). Inside the package each module imports only those listed before it
above (`dream` and `core_metadata` need none of them), so there are no cycles; this file only
re-exports.
"""

from tracker.metadata.invokeai.dream import DreamCommand, parse_dream, split_negative
from tracker.metadata.invokeai.record import parse

__all__ = ["DreamCommand", "parse", "parse_dream", "split_negative"]
