"""Ultimate SD Upscale (ssitu/ComfyUI_UltimateSDUpscale `usdu_nodes.py`) as the second pass that made the saved
image: read from the API graph and from the editor's UI workflow alike, and a loaded photo it refines named as
its img2img input. The graphs are synthetic, written from the node definitions."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fixtures.comfy_graphs import base, inputs_seen, node, read, ui

from tracker.metadata.comfyui import parse
from tracker.metadata.fields import Fields
from tracker.metadata.info import GenerationInfo

TILES = {"mode_type": "Linear", "tile_width": 512, "tile_height": 512, "mask_blur": 8, "tile_padding": 32,
         "seam_fix_mode": "None", "seam_fix_denoise": 1.0, "seam_fix_width": 64, "seam_fix_mask_blur": 8,
         "seam_fix_padding": 16, "force_uniform_tiles": True, "tiled_decode": False, "batch_size": 1}  # fmt: skip
SETTINGS = {"seed": 9, "steps": 15, "cfg": 5.0, "sampler_name": "dpmpp_2m", "scheduler": "karras", "denoise": 0.3}


def read_ui(nodes: list[dict[str, Any]], links: list[list[Any]]) -> GenerationInfo:
    info = parse(Fields(png={"workflow": json.dumps({"nodes": nodes, "links": links, "version": 0.4})}))
    assert info is not None
    return info


def test_ultimate_sd_upscale_after_a_first_pass_is_the_final_sampler_in_the_ui_workflow_too() -> None:
    """Its seed, steps, sampler and denoise are the image's (from a UI workflow the first pass's were reported,
    and the upscaler was a node type not understood)."""
    graph = base()
    graph["20"] = node("UpscaleModelLoader", model_name="4x-UltraSharp.pth")
    graph["21"] = node("UltimateSDUpscale", upscale_by=2.0, **SETTINGS, **TILES, image=["8", 0], model=["4", 0],
                       positive=["6", 0], negative=["7", 0], vae=["4", 2], upscale_model=["20", 0])  # fmt: skip
    graph["9"]["inputs"]["images"] = ["21", 0]
    nodes = [
        ui(4, "CheckpointLoaderSimple", ["base.safetensors"]),
        ui(5, "EmptyLatentImage", [832, 480, 1]),
        ui(6, "CLIPTextEncode", ["a fox running"], [("clip", 2)]),
        ui(7, "CLIPTextEncode", ["blurry"], [("clip", 3)]),
        ui(3, "KSampler", [42, "fixed", 20, 6.0, "euler", "simple", 1.0],
           [("model", 1), ("positive", 4), ("negative", 5), ("latent_image", 6)]),
        ui(8, "VAEDecode", [], [("samples", 7), ("vae", 8)]),
        ui(20, "UpscaleModelLoader", ["4x-UltraSharp.pth"]),
        ui(21, "UltimateSDUpscale", [2.0, 9, "fixed", 15, 5.0, "dpmpp_2m", "karras", 0.3, *TILES.values()],
           [("image", 9), ("model", 10), ("positive", 11), ("negative", 12), ("vae", 13), ("upscale_model", 14)]),
        ui(9, "SaveImage", ["out"], [("images", 15)]),
    ]  # fmt: skip
    links = [[1, 4, 0, 3, 0, "MODEL"], [2, 4, 1, 6, 0, "CLIP"], [3, 4, 1, 7, 0, "CLIP"], [4, 6, 0, 3, 1, "C"],
             [5, 7, 0, 3, 2, "C"], [6, 5, 0, 3, 3, "LATENT"], [7, 3, 0, 8, 0, "LATENT"], [8, 4, 2, 8, 1, "VAE"],
             [9, 8, 0, 21, 0, "IMAGE"], [10, 4, 0, 21, 1, "MODEL"], [11, 6, 0, 21, 2, "C"], [12, 7, 0, 21, 3, "C"],
             [13, 4, 2, 21, 4, "VAE"], [14, 20, 0, 21, 5, "UPSCALE_MODEL"], [15, 21, 0, 9, 0, "IMAGE"]]  # fmt: skip
    for info in (read(graph), read_ui(nodes, links)):
        assert info.params["final_sampler"] == "21"
        assert (info.seed, info.steps, info.cfg, info.sampler, info.scheduler) == (9, 15, 5.0, "dpmpp_2m", "karras")
        assert info.params["denoise"] == 0.3 and (info.width, info.height) == (832, 480)
        assert "unknown_node_types" not in info.params


@pytest.mark.parametrize("class_type", ["UltimateSDUpscale", "UltimateSDUpscaleNoUpscale"])
def test_a_loaded_photo_refined_by_ultimate_sd_upscale_is_its_img2img_input(class_type: str) -> None:
    """The no-upscale node takes its picture as `upscaled_image`: the photo is named as its img2img input (it was
    an image input of unknown kind)."""
    entry, extra = ("upscaled_image", {}) if class_type.endswith("NoUpscale") else ("image", {"upscale_by": 1.5})
    graph = {
        "4": node("CheckpointLoaderSimple", ckpt_name="base.safetensors"),
        "6": node("CLIPTextEncode", text="a fox", clip=["4", 1]),
        "7": node("CLIPTextEncode", text="blurry", clip=["4", 1]),
        "10": node("LoadImage", image="photo.png", upload="image"),
        "21": node(class_type, **extra, **SETTINGS, **TILES, model=["4", 0], positive=["6", 0], negative=["7", 0],
                   vae=["4", 2], **{entry: ["10", 0]}),
        "9": node("SaveImage", filename_prefix="out", images=["21", 0]),
    }  # fmt: skip
    info = read(graph)
    assert inputs_seen(info) == [("img2img", class_type, ["photo.png"])]
    assert not any("unknown kind" in warning for warning in info.warnings)
