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


def converted(name: str, kind: str, link_id: int | None = None) -> dict[str, Any]:
    """A widget converted to an input socket, as the frontend saved it before every widget had a socket."""
    return {"name": name, "type": kind, "widget": {"name": name}, "link": link_id}


def group_with_hidden_inputs() -> dict[str, Any]:
    """A group node whose KSampler seed is fed from a primitive inside it and whose prompt text is a converted
    widget left open; its LoRA loader, image loader and the sampler's hidden denoise widget keep their values.

    The instance's `widgets_values` are laid out as the frontend builds the group's widgets: each inner node's
    own widgets in node order, leaving out those converted to inputs (a seed fed from inside has no widget and no
    control value), then the converted widgets nothing inside feeds (here the prompt text). The inner nodes'
    own values are stale: the frontend writes the instance's values into them when it runs the group."""
    checkpoint = node(0, "CheckpointLoaderSimple", ["stale.safetensors"], (), ("MODEL", "CLIP", "VAE"))
    lora = node(1, "LoraLoader", ["stale_lora.safetensors", 1, 1], (("model", None), ("clip", None)), ("MODEL", "CLIP"))
    primitive = node(2, "PrimitiveNode", [0, "fixed"], (), ("INT",))
    prompt = node(3, "CLIPTextEncode", ["stale prompt"], (("clip", None),), ("CONDITIONING",))
    prompt["inputs"].append(converted("text", "STRING"))
    image = node(4, "LoadImage", ["stale.png", "image"], (), ("IMAGE", "MASK"))
    encode = node(5, "VAEEncode", [], (("pixels", None), ("vae", None)), ("LATENT",))
    sampler = node(
        6,
        "KSampler",
        [1, "randomize", 20, 8, "euler", "normal", 1],
        (("model", None), ("positive", None), ("negative", None), ("latent_image", None)),
        ("LATENT",),
    )
    sampler["inputs"].append(converted("seed", "INT"))
    inner = [checkpoint, lora, primitive, prompt, image, encode, sampler]
    values = ["dreamshaper_8.safetensors", "inkwash.safetensors", 0.65, 0.65, 123456, "fixed", "knight.png", "image"]
    values += [30, 5.5, "dpmpp_2m", "karras", 0.6, "portrait of a knight"]
    instance = node(12, "workflow>Generate", values, (("negative", 5),), ("VAE", "CLIP", "MASK", "LATENT"))
    instance["inputs"].append(converted("text", "STRING"))
    return {
        "nodes": [
            instance,
            node(7, "CLIPTextEncode", ["blurry"], (("clip", 2),), ("CONDITIONING",)),
            node(8, "VAEDecode", [], (("samples", 7), ("vae", 8)), ("IMAGE",)),
            node(9, "SaveImage", ["ComfyUI"], (("images", 9),)),
        ],
        "links": [
            [2, 12, 1, 7, 0, "CLIP"],
            [5, 7, 0, 12, 0, "CONDITIONING"],
            [7, 12, 3, 8, 0, "LATENT"],
            [8, 12, 0, 8, 1, "VAE"],
            [9, 8, 0, 9, 0, "IMAGE"],
        ],
        "extra": {
            "groupNodes": {
                "Generate": {
                    "nodes": [{**n, "index": i} for i, n in enumerate(inner)],
                    "links": [
                        [0, 0, 1, 0, 0, "MODEL"],
                        [0, 1, 1, 1, 0, "CLIP"],
                        [2, 0, 6, 4, 2, "INT"],
                        [1, 1, 3, 0, 1, "CLIP"],
                        [4, 0, 5, 0, 4, "IMAGE"],
                        [0, 2, 5, 1, 0, "VAE"],
                        [1, 0, 6, 0, 1, "MODEL"],
                        [3, 0, 6, 1, 3, "CONDITIONING"],
                        [5, 0, 6, 3, 5, "LATENT"],
                    ],
                    "external": [[0, 2, "VAE"], [1, 1, "CLIP"], [6, 0, "LATENT"]],
                    "config": {"6": {"input": {"denoise": {"visible": False}}}},
                }
            }
        },
        "version": 0.4,
    }


def test_a_group_nodes_converted_and_hidden_inputs_are_read_from_the_instance() -> None:
    info = read_workflow(group_with_hidden_inputs())
    assert info.model is not None and info.model.name == "dreamshaper_8.safetensors"
    assert {ref.name: ref.weight for ref in info.loras} == {"inkwash": 0.65}
    assert (info.seed, info.steps, info.cfg, info.sampler, info.scheduler) == (123456, 30, 5.5, "dpmpp_2m", "karras")
    assert (info.prompt, info.negative_prompt) == ("portrait of a knight", "blurry")
    assert [(t.kind, t.weight) for t in info.techniques] == [("img2img", 0.6)]
    assert [t.details.get("images") for t in info.techniques] == [["knight.png"]]


def test_a_group_nodes_converted_widget_fed_from_outside_takes_the_outer_value() -> None:
    """The converted prompt text linked on the instance: the outer node's text wins over the stored value."""
    workflow = group_with_hidden_inputs()
    workflow["nodes"][0]["inputs"][1]["link"] = 10
    workflow["nodes"].append(node(11, "PrimitiveNode", ["a castle on a hill"], (), ("STRING",)))
    workflow["links"].append([10, 11, 0, 12, 1, "STRING"])
    info = read_workflow(workflow)
    assert (info.prompt, info.seed, info.steps) == ("a castle on a hill", 123456, 30)


def test_a_converted_widget_of_a_node_type_no_table_names_keeps_the_others_in_place() -> None:
    """Where an unknown node's converted widget sat among its values is unknown: its own values are kept, and
    the places it takes on the instance are counted, so the prompt text after it is still read."""
    workflow = group_with_hidden_inputs()
    custom = node(7, "MyStyler", ["stale a", "stale b"], (), ("STRING",))
    custom["inputs"].append(converted("b", "STRING"))
    workflow["extra"]["groupNodes"]["Generate"]["nodes"].append({**custom, "index": 7})
    instance = workflow["nodes"][0]
    values = instance["widgets_values"]
    instance["widgets_values"] = [*values[:-1], "styler a", values[-1], "styler b"]
    instance["inputs"].append(converted("b", "STRING"))
    info = read_workflow(workflow)
    assert (info.prompt, info.seed, info.steps, info.scheduler) == ("portrait of a knight", 123456, 30, "karras")


def test_a_hidden_plain_input_of_a_group_node_is_not_one_of_its_inputs() -> None:
    """An inner input the group's config hides (`visible: false`) is no input of the instance: the instance's
    inputs after it are still matched to the right inner sockets."""
    workflow = group_with_hidden_inputs()
    group = workflow["extra"]["groupNodes"]["Generate"]
    group["nodes"][5]["inputs"].insert(0, {"name": "mask", "type": "MASK", "link": None})  # an extra open input
    group["links"] = [[a, b, c, d + (1 if c == 5 else 0), *rest] for a, b, c, d, *rest in group["links"]]
    group["config"]["5"] = {"input": {"mask": {"visible": False}}}
    workflow["nodes"][0]["inputs"][0]["name"] = "CONDITIONING"  # not matched by name: taken in order
    info = read_workflow(workflow)
    assert info.negative_prompt == "blurry"


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
    started = time.thread_time()
    info = read_workflow(wide)
    assert time.thread_time() - started < 2
    assert any("subgraphs expand to over 5000 nodes" in w for w in info.warnings)


def test_an_instance_with_thousands_of_inputs_is_read_quickly() -> None:
    """Inputs are matched to the definition's by name, else in order: linearly, not each against each."""
    count = 4_500  # the connectors stay under the node limit
    workflow = sampler_in_subgraph()
    instance = workflow["nodes"][-1]
    instance["inputs"] = instance["inputs"][:4] + [{"name": f"x{i}", "type": "INT", "link": None} for i in range(count)]
    definition = workflow["definitions"]["subgraphs"][0]
    definition["inputs"] = definition["inputs"][:4] + [{"name": f"y{i}", "type": "INT"} for i in range(count)]
    # This thread's CPU time: neither a loaded machine's waits nor threads other tests left running (a process's
    # CPU time counts every thread's: late in a whole test run it was over 2 s here) are the reader's. Linear: ~0.03 s.
    started = time.thread_time()
    info = read_workflow(workflow)
    spent = time.thread_time() - started
    assert spent < 1  # each against each took 2 s
    assert info.steps == 30 and info.model is not None  # the first four still matched by name


def two_pass_group(seeds_converted_inside: bool, title: str | None = None) -> dict[str, Any]:
    """A group node holding a base KSampler, a latent upscale and a second KSampler (a hires pass), fed from
    outside by a checkpoint, two prompts and an empty latent; two PrimitiveInt nodes outside hold the seeds.

    The two samplers' inputs and widgets clash, so the frontend names the second one's after its type, as its
    GroupNodeConfig.getInputConfig does: "KSampler steps", "KSampler model", "KSampler seed" (a third would be
    "KSampler 2 seed"). With `seeds_converted_inside` both seeds were converted to inputs inside the group (the
    group's last two inputs, "seed" and "KSampler seed"); without, the instance's own "KSampler seed" widget
    was converted to an input on the instance. A second sampler given a `title` is named by it ("Hires seed")."""
    base = node(
        0,
        "KSampler",
        [1, "randomize", 20, 7.0, "euler", "normal", 1.0],
        (("model", None), ("positive", None), ("negative", None), ("latent_image", None)),
        ("LATENT",),
    )
    upscale = node(1, "LatentUpscaleBy", ["nearest-exact", 1.5], (("samples", None),), ("LATENT",))
    hires = node(
        2,
        "KSampler",
        [2, "randomize", 20, 7.0, "euler", "normal", 1.0],
        (("model", None), ("positive", None), ("negative", None), ("latent_image", None)),
        ("LATENT",),
    )
    if title is not None:
        hires["title"] = title
    prefix = title or "KSampler"
    head = [20, 7.0, "euler", "normal", 1.0]
    if seeds_converted_inside:
        base["inputs"].append(converted("seed", "INT"))
        hires["inputs"].append(converted("seed", "INT"))
        values = [*head, "nearest-exact", 1.5, 12, 5.0, "dpmpp_2m", "karras", 0.45, 1, "randomize", 2, "randomize"]
    else:
        values = [1, "randomize", *head, "nearest-exact", 1.5, 2, "randomize", 12, 5.0, "dpmpp_2m", "karras", 0.45]
    instance = node(
        12,
        "workflow>Two passes",
        values,
        (
            ("model", 1),
            ("positive", 4),
            ("negative", 5),
            ("latent_image", 6),
            (f"{prefix} model", 11),
            (f"{prefix} positive", 12),
            (f"{prefix} negative", 13),
        ),
        ("LATENT",),
    )
    if seeds_converted_inside:
        instance["inputs"] += [converted("seed", "INT", 14), converted(f"{prefix} seed", "INT", 15)]
    else:
        instance["inputs"].append(converted(f"{prefix} seed", "INT", 15))
    workflow = around(
        [instance, node(20, "PrimitiveInt", [111], (), ("INT",)), node(21, "PrimitiveInt", [222], (), ("INT",))],
        [
            [1, 4, 0, 12, 0, "MODEL"],
            [4, 6, 0, 12, 1, "CONDITIONING"],
            [5, 7, 0, 12, 2, "CONDITIONING"],
            [6, 5, 0, 12, 3, "LATENT"],
            [11, 4, 0, 12, 4, "MODEL"],
            [12, 6, 0, 12, 5, "CONDITIONING"],
            [13, 7, 0, 12, 6, "CONDITIONING"],
            [7, 12, 0, 8, 0, "LATENT"],
            [15, 21, 0, 12, len(instance["inputs"]) - 1, "INT"],
        ],
    )
    if seeds_converted_inside:
        workflow["links"].append([14, 20, 0, 12, 7, "INT"])
    workflow["extra"] = {
        "groupNodes": {
            "Two passes": {
                "nodes": [{**n, "index": i} for i, n in enumerate([base, upscale, hires])],
                "links": [[0, 0, 1, 0, 0, "LATENT"], [1, 0, 2, 3, 1, "LATENT"]],
                "external": [[2, 0, "LATENT"]],
                "config": {},
            }
        }
    }
    return workflow


@pytest.mark.parametrize(("seeds_converted_inside", "title"), [(True, None), (False, None), (True, "Hires")])
def test_a_group_node_whose_inner_inputs_clash_takes_each_outer_link_to_its_own_node(
    seeds_converted_inside: bool, title: str | None
) -> None:
    """The second sampler's seed, linked on the instance as "KSampler seed", is the seed of the image (it was
    dropped, and the stale value stored on the instance was read as the seed)."""
    info = read_workflow(two_pass_group(seeds_converted_inside, title))
    assert (info.seed, info.steps, info.cfg, info.sampler, info.scheduler) == (222, 12, 5.0, "dpmpp_2m", "karras")
    assert info.samplers is not None and [s["node"] for s in info.samplers][-1] == "12:2"
    assert (info.prompt, info.negative_prompt) == ("portrait of a knight", "blurry")
    assert info.model is not None and info.model.name == "dreamshaper_8.safetensors"


def test_a_third_clashing_input_of_a_group_node_is_counted() -> None:
    """A third sampler's seed is "KSampler 2 seed" (the frontend counts the names it already gave)."""
    workflow = two_pass_group(True)
    group = workflow["extra"]["groupNodes"]["Two passes"]
    third = {**group["nodes"][2], "index": 3, "inputs": [dict(s, link=None) for s in group["nodes"][2]["inputs"]]}
    group["nodes"].append(third)
    group["links"] += [[2, 0, 3, 3, 2, "LATENT"]]
    group["external"] = [[3, 0, "LATENT"]]
    instance = workflow["nodes"][-3]
    values = instance["widgets_values"]
    instance["widgets_values"] = [*values[:12], 9, 4.0, "lcm", "sgm_uniform", 0.3, *values[12:], 3, "fixed"]
    sockets = instance["inputs"]
    instance["inputs"] = [
        *sockets[:7],
        *[{"name": f"KSampler 2 {n}", "type": "*", "link": 30 + i} for i, n in enumerate(("model", "positive"))],
        {"name": "KSampler 2 negative", "type": "*", "link": 32},
        *sockets[7:],
        converted("KSampler 2 seed", "INT", 33),
    ]
    workflow["nodes"].append(node(22, "PrimitiveInt", [333], (), ("INT",)))
    workflow["links"] = [entry for entry in workflow["links"] if entry[0] not in (14, 15)] + [
        [30, 4, 0, 12, 7, "MODEL"],
        [31, 6, 0, 12, 8, "CONDITIONING"],
        [32, 7, 0, 12, 9, "CONDITIONING"],
        [14, 20, 0, 12, 10, "INT"],
        [15, 21, 0, 12, 11, "INT"],
        [33, 22, 0, 12, 12, "INT"],
    ]
    info = read_workflow(workflow)
    assert (info.seed, info.steps, info.sampler, info.scheduler) == (333, 9, "lcm", "sgm_uniform")
    assert info.samplers is not None and [s["node"] for s in info.samplers][-1] == "12:3"
