"""Tests for the front-end readers: InvokeAI, SwarmUI, Fooocus, Easy Diffusion, Draw Things and
the `other` family (Stability Matrix, TensorArt, HF Spaces, trainer samples, C2PA-only files).

The hand-written fields mirror what each tool writes (shapes taken from the tools' sources and
from real files: InvokeAI `metadata.py`, SwarmUI `T2IParamInput.cs`, Fooocus `meta_parser.py`,
Easy Diffusion `save_utils.py`, enslo/sd-metadata and d3x-at/sd-parsers samples). The hostile
cases feed broken JSON and wrong types; the conformance test reads the shared corpus in place.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fixtures.common import corpus_manifest
from fixtures.corpus_check import CORPUS, compare, manifest_entries, observed
from fixtures.imagefactory import write_exif_image, write_png
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.errors import ImageReadError
from tracker.metadata import drawthings, easydiffusion, fooocus, invokeai, other, swarmui
from tracker.metadata.containers import RawEntry
from tracker.metadata.fields import Fields
from tracker.metadata.info import GenerationInfo
from tracker.metadata.invokeai import parse_dream, split_negative
from tracker.metadata.reader import interpret, read_image

LABELS = {"invokeai", "swarmui", "fooocus", "drawthings", "easydiffusion", "other"}

KNOWN_GAPS: dict[str, str] = {}
"""Corpus files (by file name) this reader cannot match yet, with the reason."""


def inputs(info: GenerationInfo) -> list[tuple[str, str | None, str | None, float | None]]:
    return sorted(((t.kind, t.module, t.model, t.weight) for t in info.techniques), key=repr)


def loras(info: GenerationInfo) -> list[tuple[str | None, str | None, float | None]]:
    return sorted(((r.name, r.hash, r.weight) for r in info.loras), key=repr)


def png(**chunks: Any) -> Fields:
    return Fields(png={k.replace("__", "-"): v if isinstance(v, str) else json.dumps(v) for k, v in chunks.items()})


def entries(**chunks: str) -> list[RawEntry]:
    return [RawEntry("png:tEXt", key, value, "latin-1") for key, value in chunks.items()]


# --- InvokeAI ---------------------------------------------------------------------------------------

V5_METADATA = {
    "app_version": "5.6.0",
    "generation_mode": "sdxl_img2img",
    "positive_prompt": "a lighthouse at dusk",
    "negative_prompt": "",
    "width": 1024,
    "height": 1024,
    "seed": 3951921344,
    "cfg_scale": 6,
    "steps": 24,
    "scheduler": "euler_a",
    "model": {
        "key": "k1",
        "hash": "blake3:7C1631B481E1566448F49DB7E3B67A8A9D04742FA3C7D4548A0C81B619160C56",
        "name": "waiIllustriousSDXL_v160",
        "base": "sdxl",
        "type": "main",
    },
    "loras": [
        {
            "model": {"key": "k2", "hash": "blake3:ab12", "name": "detail_slider.safetensors", "base": "sdxl"},
            "weight": 0.6,
        }
    ],
    "vae": {"name": "sdxl-vae-fp16-fix", "hash": "blake3:cd34", "base": "sdxl"},
    "canvas_v2_metadata": {
        "controlLayers": [
            {
                "id": "a",
                "isEnabled": True,
                "objects": [{"type": "image"}],
                "controlAdapter": {
                    "type": "controlnet",
                    "model": {"name": "xinsir-canny", "base": "sdxl"},
                    "weight": 0.75,
                },
            },
            {
                "id": "b",
                "isEnabled": False,
                "objects": [{"type": "image"}],
                "controlAdapter": {
                    "type": "controlnet",
                    "model": {"name": "disabled-depth", "base": "sdxl"},
                    "weight": 1,
                },
            },
            {
                "id": "c",
                "isEnabled": True,
                "objects": [{"type": "image"}],
                "controlAdapter": {"type": "controlnet", "model": {"name": "sd15-only", "base": "sd-1"}, "weight": 1},
            },
        ],
        "referenceImages": [
            {
                "id": "r",
                "isEnabled": True,
                "ipAdapter": {
                    "type": "ip_adapter",
                    "image": {"image_name": "ref.png"},
                    "model": {"name": "ip-adapter-plus_sdxl_vit-h", "base": "sdxl"},
                    "weight": 0.5,
                },
            },
        ],
        "regionalGuidance": [],
        "rasterLayers": [],
        "inpaintMasks": [],
    },
}


def test_invokeai_5_canvas_record() -> None:
    info = invokeai.parse(png(invokeai_metadata=V5_METADATA))
    assert info is not None and info.generator == "invokeai" and info.generator_version == "5.6.0"
    assert (info.prompt, info.negative_prompt, info.seed, info.steps, info.cfg, info.sampler) == (
        "a lighthouse at dusk",
        None,
        3951921344,
        24,
        6.0,
        "euler_a",
    )
    assert info.model is not None and info.model.name == "waiIllustriousSDXL_v160"
    assert info.model.hash == "7c1631b481e1566448f49db7e3b67a8a9d04742fa3c7d4548a0c81b619160c56"
    assert info.model.hash_kind == "blake3"
    assert info.vae is not None and info.vae.name == "sdxl-vae-fp16-fix"
    assert loras(info) == [("detail_slider", "ab12", 0.6)]
    assert inputs(info) == [
        ("controlnet", None, "xinsir-canny", 0.75),
        ("img2img", None, None, None),
        ("ipadapter", None, "ip-adapter-plus_sdxl_vit-h", 0.5),
    ]


def test_invokeai_3_linear_lists_and_strength() -> None:
    meta = {
        "app_version": "3.4.0",
        "generation_mode": "img2img",
        "positive_prompt": "cat",
        "strength": 0.7,
        "init_image": "abc.png",
        "model": {"model_name": "juggernautXL", "base_model": "sdxl", "model_type": "main"},
        "loras": [{"lora": {"model_name": "style/pixel", "base_model": "sdxl"}, "weight": 0.8}],
        "controlnets": [
            {
                "image": {"image_name": "c.png"},
                "control_model": {"model_name": "canny", "base_model": "sdxl"},
                "control_weight": [0.5, 1.0],
                "control_mode": "balanced",
            }
        ],
        "t2iAdapters": [
            {"image": {"image_name": "t.png"}, "t2i_adapter_model": {"model_name": "t2i-sketch"}, "weight": 0.9}
        ],
        "ipAdapters": [
            {
                "image": {"image_name": "i.png"},
                "ip_adapter_model": {"model_name": "ip-adapter-plus_sdxl_vit-h", "base_model": "sdxl"},
                "weight": 0.45,
            }
        ],
        "vae": {"model_name": "VAEFix", "base_model": "sdxl"},
        "hrf_enabled": True,
        "hrf_strength": 0.45,
        "hrf_method": "ESRGAN",
        "refiner_model": {"model_name": "sdxl-refiner", "base_model": "sdxl-refiner"},
    }
    info = invokeai.parse(png(invokeai_metadata=meta))
    assert info is not None and info.model is not None and info.model.name == "juggernautXL" and info.model.hash is None
    assert info.vae is not None and (info.vae.name, info.vae.hash) == ("VAEFix", None)
    assert loras(info) == [("pixel", None, 0.8)]
    assert inputs(info) == [
        ("controlnet", None, "canny", None),
        ("controlnet", None, "t2i-sketch", 0.9),
        ("img2img", None, None, 0.7),
        ("ipadapter", None, "ip-adapter-plus_sdxl_vit-h", 0.45),
    ]
    assert info.hires == {"hrf_enabled": True, "hrf_strength": 0.45, "hrf_method": "ESRGAN"}
    assert [(r.name, r.role) for r in info.other_resources] == [("sdxl-refiner", "refiner")]


def test_invokeai_6_ref_images_and_inpaint_mode() -> None:
    meta = {
        "generation_mode": "flux_inpaint",
        "positive_prompt": "x",
        "model": {"name": "flux-dev", "base": "flux"},
        "ref_images": [
            {
                "id": "1",
                "isEnabled": True,
                "config": {
                    "type": "flux_redux",
                    "image": {"image_name": "a.png"},
                    "model": {"name": "flux-redux", "base": "flux"},
                },
            },
            {
                "id": "2",
                "isEnabled": True,
                "config": {"type": "flux_kontext_reference_image", "image": {"image_name": "b.png"}},
            },
            {
                "id": "3",
                "isEnabled": False,
                "config": {
                    "type": "ip_adapter",
                    "image": {"image_name": "c.png"},
                    "model": {"name": "off", "base": "flux"},
                    "weight": 1,
                },
            },
            {
                "id": "4",
                "isEnabled": True,
                "config": {"type": "ip_adapter", "image": None, "model": {"name": "no-image", "base": "flux"}},
            },
        ],
    }
    info = invokeai.parse(png(invokeai_metadata=meta))
    assert info is not None
    assert inputs(info) == [
        ("inpaint", None, None, None),
        ("reference", None, None, None),
        ("style_model", None, "flux-redux", None),
    ]


def test_invokeai_graph_only_uses_its_metadata_node_or_its_nodes() -> None:
    graph: dict[str, Any] = {
        "id": "g",
        "nodes": {
            "m": {"id": "m", "type": "main_model_loader", "model": {"name": "dreamshaper", "hash": "0xAB"}},
            "p": {"id": "p", "type": "compel", "prompt": "a red fox"},
            "n": {"id": "n", "type": "compel", "prompt": "blurry"},
            "z": {"id": "z", "type": "noise", "seed": 12, "width": 640, "height": 480},
            "d": {
                "id": "d",
                "type": "denoise_latents",
                "steps": 30,
                "cfg_scale": 6.5,
                "scheduler": "dpmpp_2m",
                "denoising_start": 0,
                "denoising_end": 1,
            },
            "c": {"id": "c", "type": "controlnet", "control_model": {"name": "depth"}, "control_weight": 0.8},
        },
        "edges": [
            {
                "source": {"node_id": "p", "field": "conditioning"},
                "destination": {"node_id": "d", "field": "positive_conditioning"},
            },
            {
                "source": {"node_id": "n", "field": "conditioning"},
                "destination": {"node_id": "d", "field": "negative_conditioning"},
            },
            {"source": {"node_id": "z", "field": "noise"}, "destination": {"node_id": "d", "field": "noise"}},
        ],
    }
    info = invokeai.parse(png(invokeai_graph=graph))
    assert info is not None and info.source == "png:invokeai_graph"
    assert (info.prompt, info.negative_prompt, info.seed, info.steps, info.cfg, info.sampler) == (
        "a red fox",
        "blurry",
        12,
        30,
        6.5,
        "dpmpp_2m",
    )
    assert (info.width, info.height) == (640, 480)
    assert info.model is not None and (info.model.name, info.model.hash) == ("dreamshaper", "ab")
    assert inputs(info) == [("controlnet", None, "depth", 0.8)]
    graph["nodes"]["meta"] = {"id": "meta", "type": "core_metadata", "positive_prompt": "from node", "seed": 5}
    info = invokeai.parse(png(invokeai_graph=graph))
    assert info is not None and (info.prompt, info.seed) == ("from node", 5)


def test_dream_lines_quoted_unquoted_and_glued_switches() -> None:
    quoted = parse_dream('"a \\"quoted\\" cat [blurry]" -s 50 -S 42 -W 512 -H 768 -C 7.5 -A k_lms -I in.png -f 0.4')
    assert quoted.prompt == 'a "quoted" cat [blurry]'
    assert quoted.options == {
        "steps": "50",
        "seed": "42",
        "width": "512",
        "height": "768",
        "cfg_scale": "7.5",
        "sampler": "k_lms",
        "init_img": "in.png",
        "strength": "0.4",
    }
    glued = parse_dream('"xena" -s50 -W512 -H512 -C7.5 -Ak_lms -V 3647897225,0.1;1614299449,0.1 -S3357757885')
    assert glued.options["seed"] == "3357757885" and glued.options["sampler"] == "k_lms"
    bare = parse_dream("banana sushi -s 50 -S 1863159593 -W 512 -H 512 -C 7.5 --seamless -A k_lms")
    assert bare.prompt == "banana sushi" and bare.options["seamless"] is True and bare.options["sampler"] == "k_lms"
    assert parse_dream("!mask ./x.png -tm hair 0.5").command == "!mask"
    assert parse_dream("<too lazy to implement>").prompt is None
    assert split_negative("a cat [blurry, dark] on a mat [ugly]") == ("a cat  on a mat", "blurry, dark, ugly")


def test_invokeai_legacy_sd_metadata_wins_and_marks_img2img_and_outpaint() -> None:
    sd: dict[str, Any] = {
        "model": "stable diffusion",
        "model_id": "stable-diffusion-1.4",
        "model_hash": "FE4E",
        "app_version": "v1.15",
        "image": {
            "seed": 1,
            "steps": 10,
            "prompt": [{"prompt": "fire [smoke]", "weight": 1.0}],
            "width": 384,
            "height": 384,
            "cfg_scale": 7.5,
            "sampler": "ddim",
            "type": "img2img",
            "strength_steps": 0.4,
        },
    }
    info = invokeai.parse(png(Dream='"fire" -s 10 -S 1 -A k_lms -I in.png -f 0.9', sd__metadata=sd))
    assert info is not None and info.generator_version == "v1.15" and info.sampler == "ddim"
    assert (info.prompt, info.negative_prompt) == ("fire", "smoke")
    assert info.model is not None and (info.model.name, info.model.hash) == ("stable-diffusion-1.4", "fe4e")
    assert inputs(info) == [("img2img", None, None, 0.4)]
    outpaint = {**sd, "image": {**sd["image"], "type": "txt2img", "postprocessing": [{"tool": "outpaint"}]}}
    info = invokeai.parse(png(sd__metadata=outpaint))
    assert info is not None and inputs(info) == [("inpaint", None, None, None)]
    dream_only = invokeai.parse(png(Dream='"x" -s 5 -S 2 -I init.png -M mask.png -f 0.6'))
    assert dream_only is not None and dream_only.model is None and inputs(dream_only) == [("inpaint", None, None, 0.6)]


def test_invokeai_non_generation_dream_is_invokeai_without_values() -> None:
    info = invokeai.parse(png(Dream="!fix ./a.png -U 2"))
    assert info is not None and info.generator == "invokeai" and info.prompt is None and info.seed is None
    assert any("not a generation command" in w for w in info.warnings)


# --- SwarmUI ----------------------------------------------------------------------------------------

SWARM = {
    "sui_image_params": {
        "prompt": "a cat <lora:ignored>",
        "negativeprompt": "blurry",
        "model": "OfficialStableDiffusion/sd_xl_base_1.0",
        "seed": "1755497345",
        "steps": 16,
        "cfgscale": "2.5",
        "width": 1248,
        "height": 1824,
        "sampler": "er_sde",
        "scheduler": "beta",
        "initimagecreativity": 0.6,
        "maskblur": 4,
        "loras": ["styles/styleA", "turbo-v0.2"],
        "loraweights": "0.4,0.7",
        "controlnetstrength": 0.8,
        "controlnetmodel": "diffusers_xl_canny_full",
        "controlnetpreprocessor": "CannyEdgePreprocessor",
        "controlnettwostrength": 1,
        "vae": "sdxl_vae",
        "swarm_version": "0.9.8.1",
    },
    "sui_extra_data": {"date": "2025-01-01", "unused_parameters": ["controlnettwostrength"]},
    "sui_models": [
        {"name": "OfficialStableDiffusion/sd_xl_base_1.0.safetensors", "param": "model", "hash": "0x84FC41EA"},
        {"name": "styleA.safetensors", "param": "loras", "hash": "0xe8055d97ec312203"},
        {"name": "sdxl_vae.safetensors", "param": "vae", "hash": "0x11"},
    ],
}


def test_swarmui_record_with_inputs_loras_and_hashes() -> None:
    info = swarmui.parse(Fields(exif={"UserComment": json.dumps(SWARM)}))
    assert info is not None and info.generator == "swarmui" and info.source == "exif:UserComment"
    assert (info.seed, info.steps, info.cfg, info.sampler, info.scheduler) == (1755497345, 16, 2.5, "er_sde", "beta")
    assert info.model is not None and (info.model.name, info.model.hash) == (
        "OfficialStableDiffusion/sd_xl_base_1.0",
        "84fc41ea",
    )
    assert info.vae is not None and (info.vae.name, info.vae.hash) == ("sdxl_vae", "11")
    assert loras(info) == [("styleA", "e8055d97ec312203", 0.4), ("turbo-v0.2", None, 0.7)]
    assert inputs(info) == [
        ("controlnet", "CannyEdgePreprocessor", "diffusers_xl_canny_full", 0.8),
        ("inpaint", None, None, 0.6),
    ]


def test_swarmui_wins_over_its_comfy_graph_and_unused_params_are_not_evidence() -> None:
    params = {
        "sui_image_params": {"prompt": "p", "model": "m", "initimagecreativity": 0.6, "swarm_version": "0.9"},
        "sui_extra_data": {"unused_parameters": ["initimagecreativity"]},
    }
    graph = {"3": {"class_type": "KSampler", "inputs": {"seed": 1}}}
    info = interpret(entries(prompt=json.dumps(graph), parameters=json.dumps(params)), None)
    assert info is not None and info.generator == "swarmui" and info.techniques == []


def test_swarmui_old_exif_model_location_and_ipadapter() -> None:
    data = {"sui_image_params": {"prompt": "x", "useipadapterforrevision": "faceid plus v2", "ipadapterweight": 0.7}}
    info = swarmui.parse(Fields(exif={"Model": json.dumps(data)}))
    assert info is not None and info.source == "exif:Model"
    assert inputs(info) == [("ipadapter", None, "faceid plus v2", 0.7)]


# --- Fooocus ----------------------------------------------------------------------------------------

FOOOCUS_JSON = {
    "adm_guidance": "(1.5, 0.8, 0.3)",
    "base_model": "juggernautXL_v8Rundiffusion",
    "base_model_hash": "aeb7e9e689",
    "full_prompt": ["cinematic still a smiling goldfish"],
    "guidance_scale": 4,
    "loras": [["sd_xl_offset_example-lora_1.0", 0.1, "4852686128abcd"]],
    "metadata_scheme": "fooocus",
    "negative_prompt": "",
    "performance": "Speed",
    "prompt": "a smiling goldfish",
    "refiner_model": "None",
    "resolution": "(768, 1280)",
    "sampler": "dpmpp_2m_sde_gpu",
    "scheduler": "karras",
    "seed": "6952411511246973023",
    "steps": 30,
    "styles": "['Fooocus V2']",
    "vae": "Default (model)",
    "version": "Fooocus v2.4.3",
}


def test_fooocus_json_scheme_png_and_jpeg() -> None:
    for fields in (
        png(parameters=FOOOCUS_JSON, fooocus_scheme="fooocus"),
        Fields(exif={"UserComment": json.dumps(FOOOCUS_JSON), "Software": "Fooocus v2.4.3", "MakerNote": "fooocus"}),
    ):
        info = fooocus.parse(fields)
        assert info is not None and info.generator == "fooocus" and info.generator_version == "Fooocus v2.4.3"
        assert (info.prompt, info.negative_prompt, info.seed, info.cfg) == (
            "a smiling goldfish",
            None,
            6952411511246973023,
            4.0,
        )
        assert (info.width, info.height, info.sampler) == (768, 1280, "dpmpp_2m_sde_gpu")
        assert info.model is not None and (info.model.name, info.model.hash) == (
            "juggernautXL_v8Rundiffusion",
            "aeb7e9e689",
        )
        assert info.vae is None and info.other_resources == []
        assert loras(info) == [("sd_xl_offset_example-lora_1.0", "4852686128abcd", 0.1)]


def test_fooocus_a1111_scheme_is_claimed_as_fooocus() -> None:
    text = (
        "a cat, cinematic\nNegative prompt: ugly\nSteps: 30, Sampler: DPM++ 2M SDE Karras, Seed: 7, Size: 896x1152, "
        'CFG scale: 4, Model: juggernautXL, Model hash: 1fe6c7ec54, Lora hashes: "detail: 0123456789ab", '
        'Lora weights: "detail: 0.5", Version: Fooocus v2.5.0'
    )
    info = interpret(entries(parameters=text, fooocus_scheme="a1111"), None)
    assert info is not None and info.generator == "fooocus" and info.sampler == "DPM++ 2M SDE Karras"
    assert loras(info) == [("detail", "0123456789ab", 0.5)]
    without_marker = interpret(entries(parameters=text), None)
    assert without_marker is not None and without_marker.generator == "fooocus"
    plain = interpret(entries(parameters=text.replace("Version: Fooocus v2.5.0", "Version: v1.10.1")), None)
    assert plain is not None and plain.generator == "a1111"


@pytest.mark.parametrize(
    "lora_value",
    [
        [["BFA3BB4FBE", "0.8 - moi\\helios-beasts.safetensors"]],
        [{"name": "helios-beasts.safetensors", "weight": 0.8, "hash": "BFA3BB4FBE"}],
        "Loras:<helios-beasts.safetensors:0.8>",
    ],
)
def test_ruined_fooocus_lora_shapes(lora_value: Any) -> None:
    data = {
        "Prompt": "a dog",
        "Negative": "ugly",
        "steps": 24,
        "cfg": 4.5,
        "seed": 7,
        "width": 1024,
        "height": 1024,
        "sampler_name": "dpmpp_2m",
        "scheduler": "simple",
        "base_model_name": "juggernaut.safetensors",
        "base_model_hash": "ABC123",
        "loras": lora_value,
        "denoise": None,
        "software": "RuinedFooocus",
    }
    info = fooocus.parse(png(parameters=data))
    assert info is not None and info.generator == "fooocus" and info.generator_version == "RuinedFooocus"
    assert info.model is not None and (info.model.name, info.model.hash) == ("juggernaut.safetensors", "abc123")
    assert [(r.name, r.weight) for r in info.loras] == [("helios-beasts", 0.8)]
    assert info.techniques == []


# --- Easy Diffusion ------------------------------------------------------------------------------


def test_easydiffusion_png_chunks_and_jpeg_json() -> None:
    chunks = {
        "prompt": "a castle",
        "negative_prompt": "fog",
        "seed": "42",
        "use_stable_diffusion_model": "sd-v1-5",
        "sampler_name": "euler_a",
        "width": "512",
        "height": "768",
        "num_inference_steps": "25",
        "guidance_scale": "7.5",
        "use_lora_model": "['loras/a', 'b']",
        "lora_alpha": "[0.5, 0.25]",
        "use_vae_model": "None",
        "prompt_strength": "0.8",
        "use_controlnet_model": "control_v11p_sd15_canny",
        "control_filter_to_apply": "canny",
    }
    info = easydiffusion.parse(Fields(png=chunks))
    assert info is not None and info.generator == "easydiffusion"
    assert (info.prompt, info.negative_prompt, info.seed, info.steps, info.cfg) == ("a castle", "fog", 42, 25, 7.5)
    assert info.vae is None and info.model is not None and info.model.name == "sd-v1-5"
    assert loras(info) == [("a", None, 0.5), ("b", None, 0.25)]
    assert inputs(info) == [("controlnet", "canny", "control_v11p_sd15_canny", None), ("img2img", None, None, 0.8)]
    txt = {
        "Prompt": "x",
        "Negative Prompt": "",
        "Stable Diffusion model": "m",
        "Steps": 20,
        "Guidance Scale": 7,
        "Seed": 1,
        "LoRA model": "a, b",
        "LoRA Strength": "0.5, 1",
    }
    info = easydiffusion.parse(Fields(exif={"UserComment": json.dumps(txt)}))
    assert info is not None and loras(info) == [("a", None, 0.5), ("b", None, 1.0)] and info.techniques == []


# --- Draw Things --------------------------------------------------------------------------------

DRAW_THINGS = {
    "c": "a robot",
    "uc": "",
    "model": "flux_1_dev_q8p.ckpt",
    "sampler": "Euler A Trailing",
    "scale": 3.5,
    "seed": 2050777441,
    "size": "768x1024",
    "steps": 26,
    "strength": 0.6,
    "lora": [{"model": "wizards_machina_lora_f16.ckpt", "weight": 0.800000011920929}],
    "v2": {"controls": [{"file": "controlnet_depth_1.x_v1.1_f16.ckpt", "weight": 0.9, "inputOverride": "depth"}]},
}


def xmp_packet(record: dict[str, Any]) -> str:
    escaped = json.dumps(record).replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description rdf:about="">'
        "<xmp:CreatorTool>Draw Things</xmp:CreatorTool>"
        f'<exif:UserComment><rdf:Alt><rdf:li xml:lang="x-default">{escaped}</rdf:li></rdf:Alt></exif:UserComment>'
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
    )


def test_drawthings_xmp_record() -> None:
    info = drawthings.parse(Fields(xmp=xmp_packet(DRAW_THINGS)))
    assert info is not None and info.generator == "drawthings"
    assert (info.prompt, info.negative_prompt, info.width, info.height, info.cfg) == ("a robot", None, 768, 1024, 3.5)
    assert info.model is not None and info.model.name == "flux_1_dev_q8p.ckpt"
    assert loras(info) == [("wizards_machina_lora_f16", None, 0.8)]
    assert inputs(info) == [
        ("controlnet", "depth", "controlnet_depth_1.x_v1.1_f16.ckpt", 0.9),
        ("img2img", None, None, 0.6),
    ]


def test_drawthings_ignores_a_plain_xmp_user_comment() -> None:
    xmp = "<x:xmpmeta><rdf:RDF><rdf:Description><exif:UserComment>Screenshot</exif:UserComment></rdf:Description></rdf:RDF></x:xmpmeta>"
    assert drawthings.parse(Fields(xmp=xmp, exif={"UserComment": "Screenshot"})) is None


# --- other -------------------------------------------------------------------------------------------


def test_stability_matrix_record_wins_over_graph_and_fixes_latin1_utf8() -> None:
    text = "1girl, #\u30c6\u30b9\u30c8 <lora:pixel:0.7>\nNegative prompt: bad\nSteps: 20, Sampler: Euler a, Seed: 1, Size: 64x64"
    latin1 = text.encode("utf-8").decode("latin-1")
    parameters_json = {
        "PositivePrompt": "1girl, #\u30c6\u30b9\u30c8 <lora:pixel:0.7>",
        "NegativePrompt": "bad",
        "Steps": 20,
        "Sampler": "Euler Ancestral Karras",
        "CfgScale": 5,
        "Seed": 395309383,
        "Height": 1024,
        "Width": 1024,
        "ModelHash": "A5F5",
        "ModelName": "wai.safetensors",
    }
    project = {"ProjectType": "ImageToImage", "State": {"Sampler": {"DenoiseStrength": 0.55}}}
    info = interpret(
        entries(
            prompt='{"1": {"class_type": "KSampler", "inputs": {}}}',
            parameters=latin1,
            **{"parameters-json": json.dumps(parameters_json), "smproj": json.dumps(project)},
        ),
        None,
    )
    assert info is not None and info.generator == "other" and info.generator_version == "Stability Matrix"
    assert (info.seed, info.sampler, info.width, info.cfg) == (395309383, "Euler Ancestral Karras", 1024, 5.0)
    assert info.model is not None and (info.model.name, info.model.hash) == ("wai.safetensors", "a5f5")
    assert loras(info) == [("pixel", None, 0.7)]
    assert inputs(info) == [("img2img", None, None, 0.55)]


def test_tensorart_takes_the_real_seed_from_its_backend_graph() -> None:
    data = {
        "prompt": "x",
        "negativePrompt": "y",
        "width": 1024,
        "height": 1024,
        "steps": 25,
        "cfgScale": 7,
        "seed": "-1",
        "baseModel": {"modelFileName": "WAI-16", "hash": "A5F5"},
        "sdVae": "Automatic",
        "ksamplerName": "euler_ancestral",
        "models": [{"type": "LORA", "modelFileName": "inkstyle", "weight": 0.6}],
    }
    graph = {"11002": {"class_type": "KSampler", "inputs": {"seed": 3036459311}}}
    info = interpret(entries(generation_data=json.dumps(data) + "\0", prompt=json.dumps(graph)), None)
    assert info is not None and info.generator == "other" and info.generator_version == "TensorArt"
    assert (info.seed, info.sampler, info.cfg) == (3036459311, "euler_ancestral", 7.0)
    assert info.vae is None and info.model is not None and info.model.hash == "a5f5"
    assert loras(info) == [("inkstyle", None, 0.6)]


def test_hf_space_json_is_other_but_fooocus_json_is_not() -> None:
    data = {
        "prompt": "1girl",
        "negative_prompt": "lowres",
        "resolution": "832 x 1216",
        "guidance_scale": 5,
        "num_inference_steps": 28,
        "seed": 1409714424,
        "sampler": "Euler a",
        "Model": "Animagine XL 4.0",
        "Model hash": "6327eca98b",
        "use_upscaler": None,
    }
    info = other.parse(png(parameters=data))
    assert info is not None and info.generator_version == "Hugging Face Space"
    assert (info.width, info.height, info.steps, info.sampler) == (832, 1216, 28, "Euler a")
    assert other.parse(png(parameters=FOOOCUS_JSON, fooocus_scheme="fooocus")) is None


def test_trainer_sample_is_other_but_a1111_text_is_left_alone() -> None:
    sample = "Elysian, lace\nSteps: 30, Sampler: DDIM, CFG scale: 7.5, Size: 512x512, Model hash: 463D6A9FE8, Model: 132760.safetensors"
    info = other.parse(Fields(exif={"UserComment": sample}))
    assert info is not None and info.generator == "other" and info.model is not None
    assert (info.model.name, info.model.hash, info.seed) == ("132760.safetensors", "463d6a9fe8", None)
    webui = sample.replace("Size:", "Seed: 1, Size:")
    assert other.parse(Fields(exif={"UserComment": webui})) is None
    assert other.parse(Fields(png={"parameters": "cat\nSteps: 20, Sampler: Euler, Seed: 3, Model: sd15"})) is None


def test_c2pa_only_file_is_other_and_a_c2pa_file_with_a_record_is_not_claimed() -> None:
    manifest = (
        "jumdc2pa c2pa.actions.v2 digitalSourceType http://cv.iptc.org/newscodes/digitalsourcetype/"
        "trainedAlgorithmicMedia claim_generator_info OpenAI Media Service API"
    )
    info = other.parse(Fields(png={"caBX": manifest}))
    assert info is not None and info.generator == "other" and info.generator_version == "C2PA: OpenAI"
    assert other.parse(Fields(png={"caBX": manifest, "parameters": "x\nSteps: 1, Sampler: a, Seed: 1"})) is None
    camera = manifest.replace("trainedAlgorithmicMedia", "digitalCapture")
    assert other.parse(Fields(png={"caBX": camera})) is None


def test_other_never_claims_plain_comfyui_or_a1111() -> None:
    comfy = {"3": {"class_type": "KSampler", "inputs": {"seed": 5}}}
    assert other.parse(png(prompt=comfy, workflow={"nodes": []})) is None
    assert other.parse(png(parameters="cat\nNegative prompt: dog\nSteps: 20, Sampler: Euler, Seed: 3")) is None


# --- hostile input ------------------------------------------------------------------------------


CYCLIC_GRAPH = {
    "nodes": {
        **{str(i): {"type": "collect"} for i in range(100)},
        "d": {"type": "denoise_latents", "steps": 1},
    },
    "edges": [
        *(
            {"source": {"node_id": str(i), "field": "c"}, "destination": {"node_id": str(j), "field": "item"}}
            for i in range(100)
            for j in range(100)
        ),
        {"source": {"node_id": "0", "field": "c"}, "destination": {"node_id": "d", "field": "positive_conditioning"}},
    ],
}
"""Every collect node feeds every other one: a prompt search without a visited set would never end."""

PARSERS = (invokeai.parse, swarmui.parse, fooocus.parse, easydiffusion.parse, drawthings.parse, other.parse)


@pytest.mark.parametrize(
    "fields",
    [
        png(invokeai_metadata="{not json"),
        png(invokeai_metadata="[1, 2, 3]"),
        png(
            invokeai_metadata={
                "seed": "abc",
                "steps": [1],
                "positive_prompt": {"a": 1},
                "model": 5,
                "loras": "x",
                "controlnets": {"a": 1},
                "width": -3,
                "cfg_scale": "NaN",
            }
        ),
        png(invokeai_metadata="[" * 100_000 + "]" * 100_000),
        png(Dream='"unterminated -s abc -S -W'),
        png(sd__metadata={"image": "nope", "model_hash": 7}),
        png(parameters='{"sui_image_params": [1, 2]}'),
        png(parameters='{"sui_image_params": {"seed": {}, "loras": 5, "loraweights": [null], "prompt": 12}}'),
        png(parameters={"software": "RuinedFooocus", "loras": [[1, 2], "x", None], "seed": 1e400}),
        png(parameters={"prompt": 1, "base_model": [], "resolution": "(a, b)"}, fooocus_scheme="fooocus"),
        png(use_stable_diffusion_model="m", use_lora_model="[" * 5000, lora_alpha="x", seed="1.5"),
        Fields(xmp="<exif:UserComment>" + "{" * 10_000 + "</exif:UserComment>"),
        png(smproj="{bad", parameters__json=[1]),
        png(generation_data="\0\0{", prompt="{}"),
        png(invokeai_graph=CYCLIC_GRAPH),
        png(invokeai_workflow={"nodes": [None, {"data": "x"}, {"data": {"inputs": [1]}}], "edges": "nope"}),
        Fields(png={"caBX": "digitalsourcetype/trainedAlgorithmicMedia" * 10_000}),
    ],
    ids=lambda f: ",".join(sorted({**f.png, **f.exif}.keys()) or ["xmp"]),
)
def test_hostile_fields_never_raise(fields: Fields) -> None:
    for parser in PARSERS:
        info = parser(fields)
        if info is not None:
            json.dumps(info.to_dict(), default=str)


def test_wrong_types_leave_fields_empty_with_warnings() -> None:
    meta = {"seed": "abc", "steps": [1], "positive_prompt": {"a": 1}, "cfg_scale": True, "width": "12px"}
    info = invokeai.parse(png(invokeai_metadata=meta))
    assert info is not None and info.generator == "invokeai"
    assert (info.seed, info.steps, info.prompt, info.cfg, info.width) == (None, None, None, None, None)
    assert len(info.warnings) >= 5
    broken = invokeai.parse(png(invokeai_metadata="{not json"))
    assert broken is not None and broken.prompt is None and any("not valid JSON" in w for w in broken.warnings)


def test_huge_strings_are_refused() -> None:
    huge = "a" * (other.MAX_TEXT_CHARS + 1)
    info = swarmui.parse(png(parameters={"sui_image_params": {"prompt": huge, "seed": 1}}))
    assert info is not None and info.prompt is None and info.seed == 1 and any("KiB" in w for w in info.warnings)
    too_big = invokeai.parse(png(invokeai_metadata={"positive_prompt": "a" * other.MAX_JSON_CHARS}))
    assert too_big is not None and any("MiB" in w for w in too_big.warnings)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
KEYS = st.sampled_from(
    [
        "seed",
        "steps",
        "prompt",
        "model",
        "loras",
        "controlnets",
        "ipAdapters",
        "canvas_v2_metadata",
        "ref_images",
        "generation_mode",
        "strength",
        "width",
        "resolution",
        "lora",
        "v2",
        "controls",
        "c",
        "size",
        "software",
        "Prompt",
        "base_model",
        "sui_image_params",
        "initimagecreativity",
        "loraweights",
        "use_lora_model",
        "lora_alpha",
    ]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(KEYS, json_values, max_size=8))
def test_random_records_never_raise(record: dict[str, Any]) -> None:
    text = json.dumps(record)
    candidates = [
        png(invokeai_metadata=text),
        png(parameters=json.dumps({"sui_image_params": record})),
        png(parameters=text, fooocus_scheme="fooocus"),
        png(parameters=json.dumps({**record, "software": "RuinedFooocus"})),
        Fields(exif={"UserComment": json.dumps({**record, "use_stable_diffusion_model": "m"})}),
        Fields(xmp=xmp_packet({**record, "c": "x", "steps": 1, "scale": 1})),
        png(generation_data=text),
        png(smproj=text, parameters__json=text),
    ]
    for fields in candidates:
        for parser in PARSERS:
            info = parser(fields)
            if info is not None:
                json.dumps(info.to_dict(), default=str)


# --- real files through the whole reader ------------------------------------------------------


def test_written_files_reach_the_right_parser(tmp_path: Path) -> None:
    swarm = read_image(write_png(tmp_path / "s.png", {"parameters": json.dumps(SWARM)}))
    assert swarm.info is not None and swarm.info.generator == "swarmui"
    jpeg = read_image(write_exif_image(tmp_path / "f.jpg", json.dumps(FOOOCUS_JSON), encoding="raw"))
    assert jpeg.info is not None and jpeg.info.generator == "fooocus"
    invoke = read_image(write_png(tmp_path / "i.png", {"invokeai_metadata": json.dumps(V5_METADATA)}))
    assert invoke.info is not None and invoke.info.generator == "invokeai" and invoke.info.seed == 3951921344


# --- corpus conformance ---------------------------------------------------------------------------


def _cases() -> list[Any]:
    cases = []
    for entry in manifest_entries():
        if entry["expected"].get("generator") not in LABELS:
            continue
        name = entry["file"].rsplit("/", 1)[-1]
        marks = [pytest.mark.xfail(reason=KNOWN_GAPS[name], strict=True)] if name in KNOWN_GAPS else []
        cases.append(pytest.param(entry, id=name, marks=marks))
    return cases or [pytest.param(None, id="no-corpus")]


@pytest.mark.parametrize("entry", _cases())
def test_corpus_file(entry: dict[str, Any] | None) -> None:
    if entry is None:
        corpus_manifest()  # skips with the reason when ../shared/corpus is absent
        pytest.skip("the manifest lists no invokeai/swarmui/fooocus/drawthings/easydiffusion/other files")
    try:
        reading = read_image(CORPUS / entry["file"])
    except ImageReadError as exc:
        pytest.fail(f"unreadable: {exc}")
    got = observed(reading.info, reading.stealth.signature if reading.stealth else None)
    diffs = compare(entry["expected"], got)
    assert not diffs, "\n".join(diffs)


def test_known_gaps_name_real_corpus_files() -> None:
    names = {e["file"].rsplit("/", 1)[-1] for e in manifest_entries()}
    if not names:
        corpus_manifest()
    assert set(KNOWN_GAPS) <= names
