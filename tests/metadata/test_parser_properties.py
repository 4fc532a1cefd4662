"""Property tests (hypothesis) over the infotext and ComfyUI graph parsers.

Whatever text or graph they are given, the parsers return a record (never raise, never hang) whose
stored form is JSON; given a well-formed infotext or graph, they return what it says.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.metadata import comfyui
from tracker.metadata.a1111 import parse_infotext
from tracker.metadata.fields import Fields
from tracker.metadata.info import GenerationInfo

FAST = settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.too_slow])


def stored_form_is_json(info: GenerationInfo) -> None:
    json.dumps(info.to_dict(), allow_nan=True)


# ---------------------------------------------------------------------------- infotext

ANY_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)) | st.sampled_from(list("\n,:\"'{}[]<>()\x1b\x00\r")),
    max_size=400,
)
WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=10)
PROMPT_PIECE = WORD | st.sampled_from(["(masterpiece:1.2)", "[sky]", "BREAK", "1girl", "\\(x\\)"])
NAME = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_-", min_size=1, max_size=16)


@FAST
@given(ANY_TEXT)
def test_any_text_gives_a_record(text: str) -> None:
    info = parse_infotext(text, "png:parameters")
    assert info.generator
    stored_form_is_json(info)


@FAST
@given(
    st.lists(ANY_TEXT.filter(lambda t: "\n" not in t), max_size=6),
    st.dictionaries(
        st.sampled_from(["Steps", "Seed", "Size", "CFG scale", "Model", "Model hash", "Lora hashes", "Hashes", "X"]),
        ANY_TEXT.filter(lambda t: "\n" not in t),
        max_size=8,
    ),
)
def test_hostile_settings_lines_give_a_record(prompt_lines: list[str], values: dict[str, str]) -> None:
    settings_line = ", ".join(f"{key}: {value}" for key, value in values.items())
    text = "\n".join([*prompt_lines, "Negative prompt: x", settings_line])
    info = parse_infotext(text, "png:parameters")
    stored_form_is_json(info)


@FAST
@given(
    prompt=st.lists(PROMPT_PIECE, min_size=1, max_size=12).map(", ".join),
    loras=st.lists(st.tuples(NAME, st.sampled_from(["0.6", "1", "0.85"])), max_size=3, unique_by=lambda x: x[0]),
    negative=st.lists(WORD, min_size=1, max_size=6).map(", ".join),
    steps=st.integers(1, 150),
    seed=st.integers(0, 2**32 - 1),
    cfg=st.sampled_from([1.5, 4.0, 7.0, 12.5]),
    size=st.tuples(st.integers(64, 4096), st.integers(64, 4096)),
    model=NAME,
    model_hash=st.text(alphabet="0123456789abcdef", min_size=10, max_size=10),
)
def test_a_well_formed_infotext_reads_back(
    prompt: str,
    loras: list[tuple[str, str]],
    negative: str,
    steps: int,
    seed: int,
    cfg: float,
    size: tuple[int, int],
    model: str,
    model_hash: str,
) -> None:
    full_prompt = prompt + "".join(f" <lora:{name}:{weight}>" for name, weight in loras)
    text = (
        f"{full_prompt}\nNegative prompt: {negative}\n"
        f"Steps: {steps}, Sampler: DPM++ 2M, CFG scale: {cfg}, Seed: {seed}, Size: {size[0]}x{size[1]}, "
        f"Model hash: {model_hash}, Model: {model}, Version: v1.10.1"
    )
    info = parse_infotext(text, "png:parameters")
    assert info.prompt == full_prompt
    assert info.negative_prompt == negative
    assert (info.steps, info.seed, info.cfg, info.width, info.height) == (steps, seed, cfg, *size)
    assert info.sampler == "DPM++ 2M"
    assert info.model is not None and info.model.name == model and info.model.hash == model_hash
    assert {lora.name for lora in info.loras} == {name for name, _ in loras}
    for lora in info.loras:
        assert lora.weight == float(dict(loras)[lora.name])
    stored_form_is_json(info)


# ---------------------------------------------------------------------------- ComfyUI graphs

CLASSES = [
    "KSampler",
    "KSamplerAdvanced",
    "CheckpointLoaderSimple",
    "CLIPTextEncode",
    "LoraLoader",
    "SaveImage",
    "VAEDecode",
    "EmptyLatentImage",
    "ControlNetApplyAdvanced",
    "ControlNetLoader",
    "LoadImage",
    "IPAdapterApply",
    "Reroute",
    "SomeCustomNode",
]
INPUT_NAMES = [
    "model",
    "clip",
    "positive",
    "negative",
    "latent_image",
    "samples",
    "images",
    "vae",
    "image",
    "control_net",
    "conditioning",
    "text",
    "ckpt_name",
    "lora_name",
    "seed",
    "steps",
    "cfg",
    "strength_model",
]
LITERAL = st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.floats(allow_nan=True) | ANY_TEXT


def _link(ids: list[str]) -> st.SearchStrategy[Any]:
    """A link to a node of the graph, to one that is missing, or a malformed one."""
    return st.one_of(
        st.tuples(st.sampled_from(ids), st.integers(0, 3)).map(list),
        st.tuples(st.sampled_from(["999", "-1", "", "x"]), st.integers(-1, 9)).map(list),
        st.lists(LITERAL, max_size=3),
    )


@st.composite
def api_graphs(draw: st.DrawFn) -> dict[str, Any]:
    """A random API-format graph: links anywhere (cycles and self-links included), odd values."""
    ids = [str(n) for n in range(1, draw(st.integers(1, 14)) + 1)]
    graph: dict[str, Any] = {}
    for node_id in ids:
        inputs = draw(st.dictionaries(st.sampled_from(INPUT_NAMES), LITERAL | _link(ids), max_size=7))
        node: Any = {"class_type": draw(st.sampled_from(CLASSES) | ANY_TEXT), "inputs": inputs}
        if draw(st.integers(0, 20)) == 0:
            node = draw(LITERAL)  # a node that is not even an object
        graph[node_id] = node
    return graph


def _parse_graph(graph: Any, key: str = "prompt") -> GenerationInfo | None:
    info = comfyui.parse(Fields(png={key: json.dumps(graph, allow_nan=True)}))
    if info is not None:
        stored_form_is_json(info)
    return info


@FAST
@given(api_graphs())
def test_any_api_graph_gives_a_record(graph: dict[str, Any]) -> None:
    info = _parse_graph(graph)
    if info is None:
        return
    named = {str(v) for node in graph.values() if isinstance(node, dict) for v in node.get("inputs", {}).values()}
    for lora in info.loras:  # nothing is invented: every LoRA is one the graph names
        assert lora.name is None or any(lora.name in value for value in named)
    if info.model is not None and info.model.name is not None:
        assert any(info.model.name in value for value in named)


@FAST
@given(
    st.recursive(
        LITERAL,
        lambda inner: (
            st.lists(inner, max_size=5)
            | st.dictionaries(st.sampled_from(["nodes", "links", "id"]) | ANY_TEXT, inner, max_size=5)
        ),
        max_leaves=40,
    )
)
def test_any_json_in_the_workflow_chunk_gives_a_record_or_nothing(value: Any) -> None:
    _parse_graph(value, key="workflow")
    _parse_graph(value, key="prompt")


@FAST
@given(
    ckpt=NAME,
    lora_names=st.lists(NAME, min_size=0, max_size=3, unique=True),
    positive=st.lists(WORD, min_size=1, max_size=8).map(" ".join),
    negative=st.lists(WORD, min_size=1, max_size=5).map(" ".join),
    seed=st.integers(0, 2**48),
    steps=st.integers(1, 100),
    cycle=st.booleans(),
)
def test_a_well_formed_graph_reads_back(
    ckpt: str, lora_names: list[str], positive: str, negative: str, seed: int, steps: int, cycle: bool
) -> None:
    """Checkpoint -> LoRA chain -> prompts -> KSampler -> decode -> save, optionally with a stray cycle."""
    graph: dict[str, Any] = {
        "1": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": f"{ckpt}.safetensors"}},
    }
    model, clip = ["1", 0], ["1", 1]
    for n, name in enumerate(lora_names, start=10):
        graph[str(n)] = {
            "class_type": "LoraLoader",
            "inputs": {"model": model, "clip": clip, "lora_name": f"{name}.safetensors", "strength_model": 0.8},
        }
        model, clip = [str(n), 0], [str(n), 1]
    graph.update(
        {
            "2": {"class_type": "CLIPTextEncode", "inputs": {"text": positive, "clip": clip}},
            "3": {"class_type": "CLIPTextEncode", "inputs": {"text": negative, "clip": clip}},
            "4": {"class_type": "EmptyLatentImage", "inputs": {"width": 832, "height": 1216, "batch_size": 1}},
            "5": {
                "class_type": "KSampler",
                "inputs": {
                    "model": model,
                    "positive": ["2", 0],
                    "negative": ["3", 0],
                    "latent_image": ["4", 0],
                    "seed": seed,
                    "steps": steps,
                    "cfg": 6.5,
                    "sampler_name": "euler",
                    "scheduler": "normal",
                    "denoise": 1.0,
                },
            },
            "6": {"class_type": "VAEDecode", "inputs": {"samples": ["5", 0], "vae": ["1", 2]}},
            "7": {"class_type": "SaveImage", "inputs": {"images": ["6", 0], "filename_prefix": "x"}},
        }
    )
    if cycle:  # two custom nodes feeding each other, unconnected to the output
        graph["90"] = {"class_type": "SomeCustomNode", "inputs": {"a": ["91", 0]}}
        graph["91"] = {"class_type": "SomeCustomNode", "inputs": {"a": ["90", 0]}}
    info = _parse_graph(graph)
    assert info is not None and info.generator == "comfyui"
    assert info.model is not None and info.model.name == f"{ckpt}.safetensors"
    assert info.prompt == positive and info.negative_prompt == negative
    assert (info.seed, info.steps, info.cfg) == (seed, steps, 6.5)
    assert sorted(lora.name or "" for lora in info.loras) == sorted(lora_names)  # the extension dropped
    assert all(lora.weight == 0.8 for lora in info.loras)
