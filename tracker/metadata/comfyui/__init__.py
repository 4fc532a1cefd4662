"""ComfyUI graphs: which models, prompts, settings and input images made the saved image.

ComfyUI writes no "generation parameters"; it writes the graph that ran. This package owns
everything about reading that graph into a `GenerationInfo`; its one entry point is `parse`
(called by `tracker.metadata.reader`). The modules, from data to answers:

- `nodes`: what node types mean (savers, loaders, samplers, encoders, technique nodes, widget
  names): pure data tables.
- `widgets`: the widget names of common nodes, in the order a UI workflow stores their values.
- `constants`: values utility nodes compute from constants (math, text joins, conversions;
  seeds and counters that change every run), and the UI widget names of those helpers.
- `graph`: the graph model (`Graph`, `Node`, `Ref`) and resolving a value through links.
- `groupnodes`: a legacy group node's definition read as the frontend builds it (the names it gives
  inner inputs that clash, the layout of an instance's widget values).
- `subgraphs`: a UI workflow's subgraphs and group nodes expanded into their inner nodes (bounded
  in depth and size; a subgraph holding itself or one never defined is left folded, with a warning).
- `workflow`: the editor's UI workflow converted into the API graph ComfyUI would queue.
- `locate`: where a file keeps its graphs (PNG chunks, EXIF tags, JPEG comment) and parsing
  their JSON within limits.
- `roles`: what one node is (output, sampler, loader, encoder, ...).
- `walk`: following a role or a latent chain upstream through pass-through nodes.
- `flow`: following every loaded image downstream to the samplers and outputs it reaches (image
  inputs no node table names, reported by kind or as "unknown"; pasted into or edited into the
  saved output: "composite" / "edit").
- `final`: choosing the sampler that made the saved image.
- `loras`: LoRAs named by any node's inputs (stacks, list-taking and custom loaders).
- `sampling`, `resources`, `techniques`: settings/prompts/size, models/LoRAs/other files, and
  uses of outside images.
- `record`: `parse`, turning the resolved graph into the `GenerationInfo` record.

Imports: the standard library, and of this project only `tracker.metadata.a1111` (a saver node's
A1111-style text), `tracker.metadata.fields` and `tracker.metadata.info`. Inside the package each
module imports only those listed before it above (`locate`, `widgets` and `constants` need none of them),
so there are no cycles; this file only re-exports (`MAX_GRAPH_BYTES` is a copy for reading: the
limit in force is `locate.MAX_GRAPH_BYTES`).
"""

from tracker.metadata.comfyui.locate import MAX_GRAPH_BYTES
from tracker.metadata.comfyui.record import parse

__all__ = ["MAX_GRAPH_BYTES", "parse"]
