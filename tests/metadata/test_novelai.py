"""Tests for `tracker.metadata.novelai`: NovelAI envelopes as NovelAI writes them, bad input, the real corpus.

The hand-built mappings mirror real files (LlmKira/novelai-python samples, enslo/sd-metadata V4.5
samples, the documented request keys); the conformance test reads the shared corpus in place and
compares with the `expected` record a correct reader returns.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.metadata.info import HASH_NOVELAI, GenerationInfo, TechniqueRef
from tracker.metadata.novelai import MAX_COMMENT_BYTES, is_novelai, parse_novelai

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"


def envelope(comment: dict[str, Any] | str | None, **extra: str) -> dict[str, str]:
    """A PNG-text-style envelope: Comment as JSON text, other fields as given."""
    fields = {"Title": "AI generated image", "Software": "NovelAI", **extra}
    if comment is not None:
        fields["Comment"] = comment if isinstance(comment, str) else json.dumps(comment)
    return fields


def inputs(info: GenerationInfo) -> list[tuple[str, str | None, str | None, float | None]]:
    return sorted(((t.kind, t.module, t.model, t.weight) for t in info.techniques), key=lambda x: json.dumps(x))


V1_IMG2IMG = {
    "prompt": "masterpiece, best quality,  silvery white",
    "steps": 28,
    "height": 128,
    "width": 128,
    "scale": 10.0,
    "uncond_scale": 1.0,
    "seed": 4091185279,
    "n_samples": 1,
    "sampler": "k_euler_ancestral",
    "controlnet_strength": 1.0,
    "controlnet_model": None,
    "lora_unet_weights": None,
    "lora_clip_weights": None,
    "strength": 0.7,
    "noise": 0.0,
    "extra_noise_seed": 4091185279,
    "legacy": False,
    "uc": "nsfw, worst quality, low quality",
    "request_type": "Img2ImgRequest",
}

V3_TXT2IMG = {
    "prompt": " silvery white, best quality, amazing quality",
    "steps": 28,
    "height": 832,
    "width": 1216,
    "scale": 5.0,
    "seed": 1148692016,
    "noise_schedule": "native",
    "reference_information_extracted": 0.87,
    "reference_strength": 1.0,
    "sampler": "k_euler",
    "controlnet_strength": 1.0,
    "controlnet_model": None,
    "lora_unet_weights": None,
    "lora_clip_weights": None,
    "uc": "nsfw, lowres, {bad}",
    "request_type": "PromptGenerateRequest",
    "signed_hash": "GmLfTg==",
}


def v45(**overrides: Any) -> dict[str, Any]:
    """A V4.5 Comment with three positioned characters, like enslo/sd-metadata `novelai-full-3char`."""
    chars = [
        ("girl, hatsune miku", 0.5, 0.3),
        ("girl, kagamine rin", 0.7, 0.7),
        ("boy, kagamine len", 0.3, 0.7),
    ]
    comment: dict[str, Any] = {
        "prompt": "2girls, 1boy, dancing\nwhite background",
        "steps": 28,
        "height": 1024,
        "width": 1024,
        "scale": 5.0,
        "seed": 447042893,
        "noise_schedule": "karras",
        "reference_information_extracted_multiple": [],
        "reference_strength_multiple": [],
        "v4_prompt": {
            "caption": {
                "base_caption": "2girls, 1boy, dancing\nwhite background",
                "char_captions": [{"char_caption": c, "centers": [{"x": x, "y": y}]} for c, x, y in chars],
            },
            "use_coords": True,
            "use_order": True,
        },
        "v4_negative_prompt": {
            "caption": {
                "base_caption": "nsfw, lowres, artistic error",
                "char_captions": [
                    {"char_caption": "bad hands" if i == 0 else "", "centers": [{"x": x, "y": y}]}
                    for i, (_, x, y) in enumerate(chars)
                ],
            },
            "legacy_uc": False,
        },
        "director_reference_strengths": None,
        "director_reference_descriptions": None,
        "director_reference_information_extracted": None,
        "director_reference_secondary_strengths": None,
        "sampler": "k_euler_ancestral",
        "controlnet_strength": 1.0,
        "controlnet_model": None,
        "lora_unet_weights": None,
        "lora_clip_weights": None,
        "version": 1,
        "uc": "nsfw, lowres, artistic error",
        "request_type": "PromptGenerateRequest",
    }
    comment.update(overrides)
    return comment


# --- detection ----------------------------------------------------------------------------------


def test_is_novelai_by_software() -> None:
    assert is_novelai({"Software": "NovelAI", "Comment": "{}"})


def test_is_novelai_without_software_needs_novelai_keys_and_source_or_title() -> None:
    comment = json.dumps(V3_TXT2IMG)
    assert is_novelai({"Comment": comment, "Source": "Stable Diffusion XL C1E1DE52"})
    assert is_novelai({"Comment": comment, "Title": "NovelAI generated image"})
    assert not is_novelai({"Comment": comment})
    assert not is_novelai({"Comment": comment, "Source": "my webcam"})
    assert not is_novelai({"Comment": '{"foo": 1}', "Title": "AI generated image"})
    assert not is_novelai({"parameters": "a cat\nSteps: 20, Sampler: Euler a, CFG scale: 7"})


def test_is_novelai_tolerates_garbage() -> None:
    assert not is_novelai({"Comment": "{not json", "Source": "Stable Diffusion 1D44365E"})
    assert not is_novelai({"Comment": "[1, 2]", "Title": "AI generated image"})
    assert not is_novelai({})


# --- normalized fields --------------------------------------------------------------------------


def test_v1_img2img() -> None:
    info = parse_novelai(
        envelope(V1_IMG2IMG, Source="Stable Diffusion F64BA557", Description=str(V1_IMG2IMG["prompt"])),
        "png:text",
    )
    assert info.generator == "novelai"
    assert info.source == "png:text"
    assert info.prompt == "masterpiece, best quality,  silvery white"
    assert info.negative_prompt == "nsfw, worst quality, low quality"
    assert (info.seed, info.steps, info.cfg, info.sampler) == (4091185279, 28, 10.0, "k_euler_ancestral")
    assert (info.width, info.height) == (128, 128)
    assert info.model is not None
    assert (info.model.kind, info.model.name, info.model.hash, info.model.hash_kind) == (
        "checkpoint",
        "Stable Diffusion",
        "f64ba557",
        HASH_NOVELAI,
    )
    assert info.generator_version == "NAI Diffusion V1 (furry)"
    assert inputs(info) == [("img2img", None, None, 0.7)]
    assert info.techniques[0].details["noise"] == 0.0
    assert info.warnings == []


def test_v1_strength_without_request_type_is_not_img2img() -> None:
    """d3x-at/sd-parsers novelai1: `strength` 0.4 on a txt2img image (the corpus note)."""
    comment = {
        "steps": 50,
        "sampler": "k_euler_ancestral",
        "seed": 2253955223,
        "strength": 0.4,
        "noise": 0.0,
        "scale": 10.0,
        "uc": "lowres, bad anatomy",
    }
    info = parse_novelai(
        envelope(comment, Source="Stable Diffusion 1D44365E", Description="masterpiece, cat, space"),
        "png:text",
    )
    assert info.techniques == []
    assert info.prompt == "masterpiece, cat, space"  # no Comment prompt -> Description
    assert info.width is None and info.height is None
    assert info.params["strength"] == 0.4


def test_v3_txt2img_scalar_reference_defaults_are_not_vibe_transfer() -> None:
    info = parse_novelai(envelope(V3_TXT2IMG, Source="Stable Diffusion XL C1E1DE52"), "png:text")
    assert info.techniques == []
    assert info.model is not None and (info.model.name, info.model.hash) == (
        "Stable Diffusion XL",
        "c1e1de52",
    )
    assert info.scheduler == "native"
    assert (info.width, info.height, info.cfg) == (1216, 832, 5.0)
    assert info.generator_version == "NAI Diffusion V3"
    # everything written is kept: the whole Comment plus the other envelope fields
    assert info.params["signed_hash"] == "GmLfTg=="
    assert info.params["reference_strength"] == 1.0
    assert info.params["Source"] == "Stable Diffusion XL C1E1DE52"
    assert info.params["Title"] == "AI generated image"
    assert "Comment" not in info.params


def test_v3_vibe_transfer_lists() -> None:
    comment = {
        **V3_TXT2IMG,
        "reference_information_extracted_multiple": [1.0, 0.5],
        "reference_strength_multiple": [0.6, 0.35],
    }
    info = parse_novelai(envelope(comment, Source="Stable Diffusion XL C1E1DE52"), "png:text")
    vibes = [t for t in info.techniques if t.kind == "vibe_transfer"]
    assert [(t.weight, t.details["information_extracted"], t.unit) for t in vibes] == [
        (0.6, 1.0, 0),
        (0.35, 0.5, 1),
    ]
    assert len(info.techniques) == 2


def test_vibe_transfer_lists_of_unequal_length() -> None:
    comment = {
        **V3_TXT2IMG,
        "reference_information_extracted_multiple": [1.0],
        "reference_strength_multiple": [],
    }
    info = parse_novelai(envelope(comment), "png:text")
    assert [(t.kind, t.weight, t.details["information_extracted"]) for t in info.techniques] == [
        ("vibe_transfer", None, 1.0)
    ]


def test_v45_base_prompt_characters_and_model() -> None:
    info = parse_novelai(envelope(v45(), Source="NovelAI Diffusion V4.5 4BDE2A90"), "png:text")
    assert info.prompt == "2girls, 1boy, dancing\nwhite background"
    assert info.negative_prompt == "nsfw, lowres, artistic error"
    assert info.model is not None
    assert (info.model.name, info.model.hash, info.model.hash_kind) == (
        "NovelAI Diffusion V4.5",
        "4bde2a90",
        HASH_NOVELAI,
    )
    assert info.generator_version == "NovelAI Diffusion V4.5"  # unknown id: the Source name
    assert info.params["characters"] == [
        {"prompt": "girl, hatsune miku", "uc": "bad hands", "center": {"x": 0.5, "y": 0.3}},
        {"prompt": "girl, kagamine rin", "uc": "", "center": {"x": 0.7, "y": 0.7}},
        {"prompt": "boy, kagamine len", "uc": "", "center": {"x": 0.3, "y": 0.7}},
    ]
    assert info.params["v4_prompt"]["use_coords"] is True
    assert info.techniques == []
    assert info.warnings == []


def test_v4_prompt_used_when_prompt_and_uc_absent() -> None:
    comment = v45()
    del comment["prompt"], comment["uc"]
    info = parse_novelai(envelope(comment, Description="ignored when a caption exists"), "png:text")
    assert info.prompt == "2girls, 1boy, dancing\nwhite background"
    assert info.negative_prompt == "nsfw, lowres, artistic error"


def test_known_v45_id_names_the_family() -> None:
    info = parse_novelai(envelope(v45(), Source="NovelAI Diffusion V4.5 5AB81C7C"), "png:text")
    assert info.generator_version == "NAI Diffusion V4.5 Curated"


def test_director_references_are_character_references() -> None:
    comment = v45(
        director_reference_descriptions=[
            {"caption": {"base_caption": "character&style", "char_captions": []}, "legacy_uc": False},
            {"caption": {"base_caption": "style", "char_captions": []}, "legacy_uc": False},
        ],
        director_reference_strengths=[1.0, 0.4],
        director_reference_secondary_strengths=[0.0, 0.75],
        director_reference_information_extracted=[1.0, 1.0],
    )
    info = parse_novelai(envelope(comment, Source="NovelAI Diffusion V4.5 B9F340FD"), "png:text")
    assert inputs(info) == [
        ("character_reference", "character&style", None, 1.0),
        ("character_reference", "style", None, 0.4),
    ]
    assert info.techniques[1].details["secondary_strength"] == 0.75


def test_director_references_request_style_keys() -> None:
    comment = v45(
        director_reference_descriptions=["character"],
        director_reference_strengths=None,
        director_reference_strength_values=[0.8],
    )
    info = parse_novelai(envelope(comment), "png:text")
    assert inputs(info) == [("character_reference", "character", None, 0.8)]


def test_controlnet_model_set() -> None:
    comment = {
        **V1_IMG2IMG,
        "request_type": "PromptGenerateRequest",
        "controlnet_model": "hed",
        "controlnet_strength": 0.8,
    }
    info = parse_novelai(envelope(comment, Source="Stable Diffusion 81274D13"), "png:text")
    assert inputs(info) == [("novelai_controlnet", "hed", "hed", 0.8)]


def test_controlnet_strength_without_model_is_not_controlnet() -> None:
    comment = {**V3_TXT2IMG, "controlnet_strength": 0.3}
    assert parse_novelai(envelope(comment), "png:text").techniques == []


def test_augment_req_type() -> None:
    fields = {
        "Title": "AI augmented image",
        "Software": "NovelAI",
        "Generation time": "5.9089s",
        "Comment": '{"req_type": "sketch"}',
    }
    info = parse_novelai(fields, "png:text")
    assert inputs(info) == [("img2img", "sketch", None, None)]
    assert info.prompt is None and info.seed is None and info.model is None
    assert info.params["Generation time"] == "5.9089s"
    assert info.warnings == []


def test_inpaint_request() -> None:
    comment = {
        **V3_TXT2IMG,
        "request_type": "NativeInfillingRequest",
        "strength": 0.7,
        "inpaintImg2ImgStrength": 1.0,
        "add_original_image": True,
    }
    info = parse_novelai(envelope(comment), "png:text")
    assert inputs(info) == [("inpaint", None, None, 1.0)]
    assert info.techniques[0].details["strength"] == 0.7


def test_lora_weights_kept_in_params() -> None:
    comment = {**V3_TXT2IMG, "lora_unet_weights": [0.5], "lora_clip_weights": [0.25]}
    info = parse_novelai(envelope(comment), "png:text")
    assert info.params["lora_unet_weights"] == [0.5]
    assert info.params["lora_clip_weights"] == [0.25]
    assert info.loras == []


def test_webp_envelope_comment_is_json_string() -> None:
    """The EXIF UserComment of a NovelAI WebP: a JSON object whose Comment is itself JSON text."""
    user_comment = json.dumps(
        {
            "Comment": json.dumps(v45()),
            "Description": "2girls, 1boy, dancing",
            "Generation time": "4.2",
            "Signed hash": "abc",
            "Software": "NovelAI",
            "Source": "NovelAI Diffusion V4.5 4BDE2A90",
            "Title": "NovelAI generated image",
        }
    )
    obj = json.loads(user_comment)
    fields = {k: v if isinstance(v, str) else json.dumps(v) for k, v in obj.items()}
    assert is_novelai(fields)
    info = parse_novelai(fields, "exif:UserComment")
    assert info.source == "exif:UserComment"
    assert info.seed == 447042893
    assert info.model is not None and info.model.hash == "4bde2a90"
    assert info.params["Signed hash"] == "abc"


def test_comment_already_an_object() -> None:
    """A stealth payload's Comment may arrive decoded; it is read the same way."""
    fields: dict[str, Any] = {"Software": "NovelAI", "Comment": dict(V3_TXT2IMG)}
    info = parse_novelai(fields, "stealth:stealth_pngcomp")
    assert (info.seed, info.sampler) == (1148692016, "k_euler")


# --- untrusted input ----------------------------------------------------------------------------


def test_broken_comment_json_falls_back_to_description() -> None:
    fields = envelope(
        '{"prompt": "a cat", "seed": 12',
        Description="a cat, from Description",
        Source="Stable Diffusion XL C1E1DE52",
    )
    info = parse_novelai(fields, "png:text")
    assert info.prompt == "a cat, from Description"
    assert info.seed is None
    assert info.model is not None and info.model.hash == "c1e1de52"
    assert any("not valid JSON" in w for w in info.warnings)
    assert info.params["Comment"] == '{"prompt": "a cat", "seed": 12'


def test_comment_not_an_object() -> None:
    info = parse_novelai(envelope("[1, 2, 3]"), "png:text")
    assert info.params["Comment"] == [1, 2, 3]
    assert any("not an object" in w for w in info.warnings)


def test_non_numeric_values_become_warnings() -> None:
    comment = {
        **V3_TXT2IMG,
        "seed": "abc",
        "steps": "28",
        "scale": "NaN",
        "width": True,
        "height": -5,
        "sampler": 7,
        "strength": "lots",
        "request_type": "Img2ImgRequest",
    }
    info = parse_novelai(envelope(comment), "png:text")
    assert info.seed is None
    assert info.steps == 28  # a numeric string is still a number
    assert info.cfg is None and info.width is None and info.height is None and info.sampler is None
    assert inputs(info) == [("img2img", None, None, None)]
    for key in ("seed", "scale", "width", "height", "sampler", "strength"):
        assert any(w.startswith(f"{key}:") for w in info.warnings), key


def test_garbage_reference_lists() -> None:
    comment = {
        **V3_TXT2IMG,
        "reference_strength_multiple": "0.6",
        "reference_information_extracted_multiple": None,
        "director_reference_descriptions": [{"caption": 5}],
        "director_reference_strengths": ["x"],
        "controlnet_model": {"a": 1},
    }
    info = parse_novelai(envelope(comment), "png:text")
    assert inputs(info) == [
        ("character_reference", None, None, None),
        ("novelai_controlnet", None, None, 1.0),
    ]
    assert any("not a list" in w for w in info.warnings)


def test_huge_reference_list_is_capped() -> None:
    comment = {**V3_TXT2IMG, "reference_strength_multiple": [0.5] * 10_000}
    info = parse_novelai(envelope(comment), "png:text")
    assert 0 < len(info.techniques) <= 64
    assert any("only the first" in w for w in info.warnings)


def test_oversized_comment_is_refused() -> None:
    big = '{"prompt": "' + "a" * (MAX_COMMENT_BYTES + 1) + '"}'
    info = parse_novelai(envelope(big, Description="short"), "png:text")
    assert info.prompt == "short"
    assert "Comment" not in info.params
    assert any("larger than" in w for w in info.warnings)


def test_deeply_nested_comment() -> None:
    too_deep = "[" * 100_000 + "]" * 100_000
    info = parse_novelai(envelope(too_deep), "png:text")
    assert any("nested" in w or "JSON" in w for w in info.warnings)
    loadable = '{"seed": 5, "x": ' + "[" * 500 + "]" * 500 + "}"
    info = parse_novelai(envelope(loadable), "png:text")
    assert info.seed == 5
    json.dumps(info.to_dict())  # deep parts were cut, so storing cannot overflow the stack


def test_long_source_without_id() -> None:
    info = parse_novelai({"Software": "NovelAI", "Source": "x" + " " * 50_000 + "y"}, "png:text")
    assert info.model is not None and info.model.hash is None


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["Title", "Description", "Software", "Source", "Generation time", "Comment", "x"]),
        st.text(max_size=50),
    ),
    st.recursive(
        st.none() | st.booleans() | st.floats(allow_nan=True) | st.integers() | st.text(max_size=20),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "prompt",
                        "uc",
                        "seed",
                        "steps",
                        "scale",
                        "width",
                        "height",
                        "sampler",
                        "strength",
                        "request_type",
                        "req_type",
                        "controlnet_model",
                        "controlnet_strength",
                        "reference_strength_multiple",
                        "reference_information_extracted_multiple",
                        "director_reference_descriptions",
                        "director_reference_strengths",
                        "v4_prompt",
                        "v4_negative_prompt",
                        "caption",
                        "base_caption",
                        "char_captions",
                        "centers",
                        "characterPrompts",
                        "extra_passthrough_testing",
                        "x",
                        "y",
                    ]
                ),
                inner,
                max_size=6,
            )
        ),
        max_leaves=30,
    ),
)
def test_never_raises(fields: dict[str, str], comment: Any) -> None:
    for variant in (fields, {**fields, "Comment": json.dumps(comment)}):
        info = parse_novelai(variant, "test")
        is_novelai(variant)
        assert info.generator == "novelai"
        json.dumps(info.to_dict(), allow_nan=True)
        for technique in info.techniques:
            assert isinstance(technique, TechniqueRef)
            assert technique.weight is None or math.isfinite(technique.weight)


# --- the real corpus ----------------------------------------------------------------------------


def _snippet(text: str | None) -> str | None:
    return " ".join(text.split())[:40] or None if text else None


def _user_comment_fields(image: Any) -> dict[str, str] | None:
    """NovelAI WebP: EXIF UserComment = 8-byte charset prefix + JSON object with the envelope keys."""
    raw = image.getexif().get_ifd(0x8769).get(0x9286)
    if not isinstance(raw, bytes) or len(raw) < 8:
        return None
    prefix, body = raw[:8], raw[8:]
    text = body.decode("utf-16-be" if prefix.startswith(b"UNICODE") else "utf-8", errors="replace")
    try:
        obj = json.loads(text)
    except ValueError:
        return None
    if not isinstance(obj, dict):
        return None
    return {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in obj.items()}


def _corpus_entries() -> list[Any]:
    manifest = CORPUS / "manifest.json"
    if not manifest.is_file():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"corpus not found at {CORPUS}"))]
    entries = [e for e in json.loads(manifest.read_text()) if (e.get("expected") or {}).get("generator") == "novelai"]
    return [pytest.param(e, id=Path(e["file"]).name) for e in entries]


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-6)


def _input_key(item: dict[str, Any]) -> tuple[str, str, str]:
    return (str(item["kind"]), str(item["module"]), str(item["model"]))


@pytest.mark.parametrize("entry", _corpus_entries())
def test_corpus_conformance(entry: dict[str, Any]) -> None:
    from PIL import Image

    path = CORPUS / entry["file"]
    expected = entry["expected"]
    unscored = set(expected.get("unscored") or [])
    with Image.open(path) as image:
        fields = dict(getattr(image, "text", None) or {}) if image.format == "PNG" else None
        if image.format == "WEBP":
            fields = _user_comment_fields(image)
    if not fields:
        pytest.skip("no text chunks / UserComment: only hidden pixel data, read by the stealth module")
    assert is_novelai(fields)
    info = parse_novelai(fields, "corpus")
    assert info.generator == "novelai"
    got: dict[str, Any] = {
        "prompt_start": _snippet(info.prompt),
        "negative_start": _snippet(info.negative_prompt),
        "seed": info.seed,
        "steps": info.steps,
        "sampler": info.sampler,
        "width": info.width,
        "height": info.height,
        "model": None if info.model is None else {"name": info.model.name, "hash": info.model.hash},
        "loras": [{"name": r.name, "hash": r.hash, "weight": r.weight} for r in info.loras],
    }
    for key, value in got.items():
        if key not in unscored:
            assert value == expected[key], key
    if "cfg" not in unscored:
        assert _close(info.cfg, expected["cfg"]), "cfg"
    if "image_inputs" not in unscored:
        want = sorted(expected["image_inputs"], key=_input_key)
        have: list[dict[str, Any]] = sorted(
            ({"kind": t.kind, "module": t.module, "model": t.model, "weight": t.weight} for t in info.techniques),
            key=_input_key,
        )
        assert [_input_key(x) for x in have] == [_input_key(x) for x in want], "image_inputs"
        for h, w in zip(have, want, strict=False):
            assert _close(h["weight"], w["weight"]), "image_inputs weight"
