"""A ComfyUI workflow read without its `prompt` chunk: subgraphs and group nodes are opened.

The workflows are built here in the shape ComfyUI's frontend saves them: a subgraph is an entry
of `definitions.subgraphs` (its own `nodes` and `links`, node -10 standing for its inputs and -20
for its outputs) used by nodes whose `type` is its id; a legacy group node is an entry of
`extra.groupNodes` (inner nodes by position, links `[from, slot, to, slot, ...]`) used by nodes
of type `workflow>NAME`.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from tracker.metadata.comfyui import parse
from tracker.metadata.fields import Fields
from tracker.metadata.info import GenerationInfo

SAMPLER_SG = "5d7c1a52-8f0e-4c1b-9a55-2b1f0c3d4e01"
OUTER_SG = "a0c1b2d3-0000-4000-8000-000000000001"
LORA_SG = "a0c1b2d3-0000-4000-8000-000000000002"


def read_workflow(workflow: dict[str, Any]) -> GenerationInfo:
    info = parse(Fields(png={"workflow": json.dumps(workflow)}))
    assert info is not None
    return info


def node(
    node_id: int,
    type_: str,
    widgets: list[Any] | None = None,
    inputs: tuple[tuple[str, int | None], ...] = (),
    outputs: tuple[str, ...] = (),
    widget_inputs: tuple[tuple[str, int | None], ...] = (),
) -> dict[str, Any]:
    """A UI node; `widget_inputs` are widget sockets (promoted or converted widgets)."""
    sockets = [{"name": name, "type": "*", "link": link} for name, link in inputs]
    sockets += [{"name": name, "type": "INT", "widget": {"name": name}, "link": link} for name, link in widget_inputs]
    return {
        "id": node_id,
        "type": type_,
        "mode": 0,
        "inputs": sockets,
        "outputs": [{"name": kind, "type": kind, "links": []} for kind in outputs],
        "widgets_values": widgets if widgets is not None else [],
    }


def link(link_id: int, origin: int, slot: int, target: int, target_slot: int, kind: str = "*") -> dict[str, Any]:
    return {
        "id": link_id,
        "origin_id": origin,
        "origin_slot": slot,
        "target_id": target,
        "target_slot": target_slot,
        "type": kind,
    }


def subgraph(
    sg_id: str, name: str, inputs: list[str], outputs: list[str], nodes: list[Any], links: list[Any]
) -> dict[str, Any]:
    return {
        "id": sg_id,
        "version": 1,
        "name": name,
        "inputNode": {"id": -10, "bounding": [0, 0, 120, 60]},
        "outputNode": {"id": -20, "bounding": [900, 0, 120, 60]},
        "inputs": [{"id": f"in-{i}", "name": n, "type": "*", "linkIds": []} for i, n in enumerate(inputs)],
        "outputs": [{"id": f"out-{i}", "name": n, "type": n, "linkIds": []} for i, n in enumerate(outputs)],
        "nodes": nodes,
        "links": links,
    }


def around(middle: list[dict[str, Any]], links: list[list[Any]]) -> dict[str, Any]:
    """A checkpoint, two prompts, an empty latent, a decoder (latent by link 7) and a saver, plus `middle`."""
    return {
        "nodes": [
            node(4, "CheckpointLoaderSimple", ["dreamshaper_8.safetensors"], outputs=("MODEL", "CLIP", "VAE")),
            node(5, "EmptyLatentImage", [512, 768, 1], outputs=("LATENT",)),
            node(6, "CLIPTextEncode", ["portrait of a knight"], (("clip", 2),), ("CONDITIONING",)),
            node(7, "CLIPTextEncode", ["blurry"], (("clip", 3),), ("CONDITIONING",)),
            node(8, "VAEDecode", [], (("samples", 7), ("vae", 8)), ("IMAGE",)),
            node(9, "SaveImage", ["ComfyUI"], (("images", 9),)),
            *middle,
        ],
        "links": [
            [2, 4, 1, 6, 0, "CLIP"],
            [3, 4, 1, 7, 0, "CLIP"],
            [8, 4, 2, 8, 1, "VAE"],
            [9, 8, 0, 9, 0, "IMAGE"],
            *links,
        ],
        "definitions": {"subgraphs": []},
        "version": 0.4,
    }


def sampler_in_subgraph() -> dict[str, Any]:
    """A KSampler inside a subgraph; its seed promoted to the instance, which shows 987654321."""
    instance = node(
        10,
        SAMPLER_SG,
        [987654321],
        (("model", 1), ("positive", 4), ("negative", 5), ("latent_image", 6)),
        ("LATENT",),
        widget_inputs=(("seed", None),),
    )
    workflow = around(
        [instance],
        [
            [1, 4, 0, 10, 0, "MODEL"],
            [4, 6, 0, 10, 1, "CONDITIONING"],
            [5, 7, 0, 10, 2, "CONDITIONING"],
            [6, 5, 0, 10, 3, "LATENT"],
            [7, 10, 0, 8, 0, "LATENT"],
        ],
    )
    sampler = node(
        3,
        "KSampler",
        [1, "randomize", 30, 5.0, "dpmpp_2m", "karras", 1],
        (("model", 101), ("positive", 102), ("negative", 103), ("latent_image", 104)),
        ("LATENT",),
        widget_inputs=(("seed", 105),),
    )
    inner_links = [link(100 + i, -10, i - 1, 3, i - 1) for i in range(1, 6)] + [link(106, 3, 0, -20, 0, "LATENT")]
    workflow["definitions"]["subgraphs"].append(
        subgraph(
            SAMPLER_SG,
            "Sampler",
            ["model", "positive", "negative", "latent_image", "seed"],
            ["LATENT"],
            [sampler],
            inner_links,
        )
    )
    return workflow


def plain_sampler(model_link: int) -> dict[str, Any]:
    return node(
        3,
        "KSampler",
        [7, "fixed", 25, 6.5, "euler", "normal", 1],
        (("model", model_link), ("positive", 4), ("negative", 5), ("latent_image", 6)),
        ("LATENT",),
    )


def test_a_sampler_inside_a_subgraph_is_read_with_the_instance_s_values() -> None:
    info = read_workflow(sampler_in_subgraph())
    assert (info.seed, info.steps, info.cfg, info.sampler, info.scheduler) == (987654321, 30, 5.0, "dpmpp_2m", "karras")
    assert (info.prompt, info.negative_prompt) == ("portrait of a knight", "blurry")
    assert (info.width, info.height) == (512, 768)
    assert info.model is not None and info.model.name == "dreamshaper_8.safetensors"
    assert info.samplers is not None and [s["node"] for s in info.samplers] == ["10:3"]  # ComfyUI's own id
    assert not any("not understood" in w for w in info.warnings)


@pytest.mark.parametrize("inner_defined_inside", [False, True])
def test_a_lora_loader_inside_a_nested_subgraph_is_read(inner_defined_inside: bool) -> None:
    """Checkpoint -> outer subgraph -> inner subgraph -> LoraLoaderModelOnly -> back out -> sampler
    (the inner subgraph defined at the workflow's root, or in the outer one's own `definitions`)."""
    outer = node(10, OUTER_SG, [], (("model", 1),), ("MODEL",))
    workflow = around(
        [outer, plain_sampler(11)],
        [
            [1, 4, 0, 10, 0, "MODEL"],
            [11, 10, 0, 3, 0, "MODEL"],
            [4, 6, 0, 3, 1, "CONDITIONING"],
            [5, 7, 0, 3, 2, "CONDITIONING"],
            [6, 5, 0, 3, 3, "LATENT"],
            [7, 3, 0, 8, 0, "LATENT"],
        ],
    )
    inner = node(20, LORA_SG, [], (("model", 201),), ("MODEL",))
    lora = node(30, "LoraLoaderModelOnly", ["styles/inkwash.safetensors", 0.65], (("model", 301),), ("MODEL",))
    workflow["definitions"]["subgraphs"] += [
        subgraph(
            OUTER_SG, "Style", ["model"], ["MODEL"], [inner], [link(201, -10, 0, 20, 0), link(202, 20, 0, -20, 0)]
        ),
        subgraph(LORA_SG, "LoRA", ["model"], ["MODEL"], [lora], [link(301, -10, 0, 30, 0), link(302, 30, 0, -20, 0)]),
    ]
    if inner_defined_inside:
        outer_definition, inner_definition = workflow["definitions"]["subgraphs"]
        outer_definition["definitions"] = {"subgraphs": [inner_definition]}
        workflow["definitions"]["subgraphs"] = [outer_definition]
    info = read_workflow(workflow)
    assert {ref.name: ref.weight for ref in info.loras} == {"inkwash": 0.65}
    assert info.model is not None and info.model.name == "dreamshaper_8.safetensors"
    assert info.seed == 7


def test_a_group_node_holding_the_checkpoint_loader_and_sampler_is_read() -> None:
    """Group inputs: the sampler's open sockets; outputs: the checkpoint's CLIP and VAE, the latent."""
    group = node(
        12,
        "workflow>Generate",
        ["juggernaut.safetensors", 555, "randomize", 28, 6.0, "euler", "normal", 1],
        (("positive", 4), ("negative", 5), ("latent_image", 6)),
        ("CLIP", "VAE", "LATENT"),
    )
    workflow = around(
        [group],
        [
            [4, 6, 0, 12, 0, "CONDITIONING"],
            [5, 7, 0, 12, 1, "CONDITIONING"],
            [6, 5, 0, 12, 2, "LATENT"],
            [7, 12, 2, 8, 0, "LATENT"],
        ],
    )
    workflow["nodes"] = [n for n in workflow["nodes"] if n["id"] != 4]  # the checkpoint is in the group
    workflow["links"] = [[2, 12, 0, 6, 0, "CLIP"], [3, 12, 0, 7, 0, "CLIP"], [8, 12, 1, 8, 1, "VAE"]] + [
        entry for entry in workflow["links"] if entry[1] != 4
    ]
    checkpoint = node(0, "CheckpointLoaderSimple", ["default.safetensors"], (), ("MODEL", "CLIP", "VAE"))
    sampler = node(
        1,
        "KSampler",
        [0, "fixed", 20, 8, "dpmpp_2m", "karras", 1],
        (("model", None), ("positive", None), ("negative", None), ("latent_image", None)),
        ("LATENT",),
    )
    workflow["extra"] = {
        "groupNodes": {
            "Generate": {
                "nodes": [{**checkpoint, "index": 0}, {**sampler, "index": 1}],
                "links": [[0, 0, 1, 0, 4, "MODEL"]],
                "external": [[1, 0, "LATENT"]],
                "config": {},
            }
        }
    }
    info = read_workflow(workflow)
    assert info.model is not None and info.model.name == "juggernaut.safetensors"  # the instance's value
    assert (info.seed, info.steps, info.cfg, info.sampler, info.scheduler) == (555, 28, 6.0, "euler", "normal")
    assert (info.prompt, info.negative_prompt) == ("portrait of a knight", "blurry")
    assert info.samplers is not None and [s["node"] for s in info.samplers] == ["12:1"]


def test_a_subgraph_holding_itself_is_left_folded_with_a_warning() -> None:
    workflow = sampler_in_subgraph()
    definition = workflow["definitions"]["subgraphs"][0]
    definition["nodes"].append(node(40, SAMPLER_SG, [], (), ("LATENT",)))  # itself, inside itself
    info = read_workflow(workflow)
    assert info.seed == 987654321  # the outer copy is read; the inner one is not opened again
    assert any("'Sampler' contains itself" in w for w in info.warnings)


def test_subgraphs_holding_each_other_are_not_opened_forever() -> None:
    first, second = "a0c1b2d3-0000-4000-8000-0000000000aa", "a0c1b2d3-0000-4000-8000-0000000000bb"
    workflow = around([node(10, first)], [])
    workflow["definitions"]["subgraphs"] += [
        subgraph(first, "Ping", [], [], [node(1, second)], []),
        subgraph(second, "Pong", [], [], [node(1, first)], []),
    ]
    info = read_workflow(workflow)
    assert any("'Ping' contains itself (node 10:1:1)" in w for w in info.warnings)


def test_an_instance_of_an_undefined_subgraph_or_group_node_is_named_in_a_warning() -> None:
    workflow = sampler_in_subgraph()
    workflow["definitions"] = {"subgraphs": []}
    workflow["nodes"].append(node(11, "workflow>Missing", []))
    info = read_workflow(workflow)
    assert info.seed is None and info.model is None  # nothing to read the sampler from
    assert any(f"node 10 is a subgraph ({SAMPLER_SG!r}) the workflow does not define" in w for w in info.warnings)
    assert any("node 11 is a group node ('workflow>Missing') the workflow does not define" in w for w in info.warnings)


def test_deep_nesting_and_huge_expansions_are_bounded() -> None:
    """12 nested levels stop at 8; 40 uses of 40 uses of ... would be 40**4 nodes: stopped at the node limit."""
    ids = [f"a0c1b2d3-0000-4000-8000-{level:012d}" for level in range(13)]
    deep = around([node(10, ids[0])], [])
    deep["definitions"]["subgraphs"] = [
        subgraph(ids[level], f"L{level}", [], [], [node(1, ids[level + 1]), node(2, "Note", ["x"])], [])
        for level in range(12)
    ]
    assert any("nested more than 8 deep" in w for w in read_workflow(deep).warnings)
    wide = around([node(10, ids[0])], [])
    wide["definitions"]["subgraphs"] = [
        subgraph(ids[level], f"W{level}", [], [], [node(i, ids[level + 1]) for i in range(40)], [])
        for level in range(4)
    ] + [subgraph(ids[4], "W4", [], [], [node(1, "Note", ["x"])], [])]
    started = time.perf_counter()
    info = read_workflow(wide)
    assert time.perf_counter() - started < 2
    assert any("subgraphs expand to over 5000 nodes" in w for w in info.warnings)


def test_an_instance_with_thousands_of_inputs_is_read_quickly() -> None:
    """Inputs are matched to the definition's by name, else in order: linearly, not each against each."""
    count = 4_500  # the connectors stay under the node limit
    workflow = sampler_in_subgraph()
    instance = workflow["nodes"][-1]
    instance["inputs"] = instance["inputs"][:4] + [{"name": f"x{i}", "type": "INT", "link": None} for i in range(count)]
    definition = workflow["definitions"]["subgraphs"][0]
    definition["inputs"] = definition["inputs"][:4] + [{"name": f"y{i}", "type": "INT"} for i in range(count)]
    started = time.perf_counter()
    info = read_workflow(workflow)
    assert time.perf_counter() - started < 1  # each against each took 2 s
    assert info.steps == 30 and info.model is not None  # the first four still matched by name
