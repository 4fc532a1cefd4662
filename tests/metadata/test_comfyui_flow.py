"""ComfyUI graphs read by data flow: image inputs of every kind, LoRAs named by any node, and
values resolved through utility nodes (reroutes, primitives, switches, math, seeds, counters).

Every graph here is synthetic, written from the node suites' public definitions (ComfyUI
`comfy_extras/nodes_wan.py`, rgthree-comfy, Impact Pack, Comfyroll, Crystools, ComfyUI_essentials,
VideoHelperSuite, WAS, Inspire, Easy-Use). Assertions are what a user sees: the input image's kind
and file name, the "unknown kind" flag, LoRA names and strengths, seed/steps/prompt.
"""

from __future__ import annotations

import json
import time
from typing import Any

from fixtures.comfy_graphs import base, inputs_seen, node, read, ui

from tracker.accountability.risk import load_risk_table, shipped_risk_path
from tracker.accountability.rules import check_rules
from tracker.metadata.comfyui import parse
from tracker.metadata.fields import Fields
from tracker.metadata.info import GenerationInfo


def video(graph: dict[str, Any], cls: str, **images: Any) -> dict[str, Any]:
    """The sampler's conditioning and latent made by an image-to-video node `cls`."""
    graph["50"] = node(cls, positive=["6", 0], negative=["7", 0], vae=["4", 2], width=832, height=480, length=81,
                       batch_size=1, **images)  # fmt: skip
    graph["3"]["inputs"].update(positive=["50", 0], negative=["50", 1], latent_image=["50", 2])
    return graph


# --- image inputs ------------------------------------------------------------------------------


def test_wan_first_and_last_frames_are_both_listed() -> None:
    graph = video(base(), "WanFirstLastFrameToVideo", start_image=["20", 0], end_image=["21", 0])
    graph["20"] = node("LoadImage", image="first.png", upload="image")
    graph["21"] = node("LoadImage", image="last.webp", upload="image")
    assert inputs_seen(read(graph)) == [("img2img", "WanFirstLastFrameToVideo", ["last.webp", "first.png"])]


def test_camera_image_to_video_from_a_custom_loader() -> None:
    graph = video(base(), "WanCameraImageToVideo", start_image=["20", 0], camera_conditions=["22", 0])
    graph["20"] = node("LoadImage //Inspire", image="camera_start.jpg [input]", upload="image")
    graph["22"] = node("WanCameraEmbedding", camera_pose="Zoom In", width=832, height=480, length=81)
    info = read(graph)
    assert inputs_seen(info) == [("img2img", "WanCameraImageToVideo", ["camera_start.jpg [input]"])]
    assert (info.width, info.height) == (832, 480)


def test_video_frames_from_videohelpersuite_as_a_start_image() -> None:
    graph = video(base(), "WanImageToVideo", start_image=["21", 0])
    graph["20"] = node("VHS_LoadVideo", video="dance.mp4", force_rate=0, frame_load_cap=16, skip_first_frames=0,
                       select_every_nth=1)  # fmt: skip
    graph["21"] = node("ImageFromBatch", image=["20", 0], batch_index=0, length=1)
    assert inputs_seen(read(graph)) == [("img2img", "WanImageToVideo", ["dance.mp4"])]


def test_ltxv_guide_and_cosmos_end_frame() -> None:
    graph = video(base(), "CosmosPredict2ImageToVideoLatent", end_image=["20", 0])
    graph["20"] = node("LoadImage", image="ending.png")
    assert inputs_seen(read(graph)) == [("img2img", "CosmosPredict2ImageToVideoLatent", ["ending.png"])]
    graph = base()
    graph["20"] = node("LoadImage", image="guide.png")
    graph["51"] = node("LTXVAddGuide", positive=["6", 0], negative=["7", 0], vae=["4", 2], latent=["5", 0],
                       image=["20", 0], frame_idx=0, strength=1.0)  # fmt: skip
    graph["3"]["inputs"].update(positive=["51", 0], negative=["51", 1], latent_image=["51", 2])
    assert inputs_seen(read(graph)) == [("img2img", "LTXVAddGuide", ["guide.png"])]


def test_clip_vision_only_into_an_image_to_video_node_is_a_reference() -> None:
    graph = video(base(), "WanImageToVideo", clip_vision_output=["22", 0])
    graph["20"] = node("LoadImage", image="style.png")
    graph["21"] = node("CLIPVisionLoader", clip_name="clip_vision_h.safetensors")
    graph["22"] = node("CLIPVisionEncode", clip_vision=["21", 0], image=["20", 0], crop="none")
    assert inputs_seen(read(graph)) == [("reference", "WanImageToVideo", ["style.png"])]


def test_flux_kontext_reference_latent() -> None:
    graph = base()
    graph["20"] = node("LoadImageOutput", image="ComfyUI_00012_.png [output]")
    graph["21"] = node("FluxKontextImageScale", image=["20", 0])
    graph["22"] = node("VAEEncode", pixels=["21", 0], vae=["4", 2])
    graph["23"] = node("ReferenceLatent", conditioning=["6", 0], latent=["22", 0])
    graph["3"]["inputs"]["positive"] = ["23", 0]
    assert inputs_seen(read(graph)) == [("reference", "ReferenceLatent", ["ComfyUI_00012_.png [output]"])]


def test_loaders_recognised_by_the_file_they_name() -> None:
    for cls, key, value in (
        ("Image Load", "image_path", "./ComfyUI/input/photo.jpg"),
        ("LoadImageFromUrl", "url", "https://example.com/a.png"),
        ("Fetch Picture (acme)", "file", "holiday.JPEG"),
    ):
        graph = base()
        graph["20"] = node(cls, **{key: value})
        graph["21"] = node("VAEEncode", pixels=["20", 0], vae=["4", 2])
        graph["3"]["inputs"].update(latent_image=["21", 0], denoise=0.6)
        assert inputs_seen(read(graph)) == [("img2img", None, [value])], cls


def test_an_image_reaching_sampling_through_an_unknown_node_is_flagged_never_clean() -> None:
    graph = base()
    graph["20"] = node("LoadImage", image="someone_else.png")
    graph["21"] = node("AcmeImageConditioner", conditioning=["6", 0], image=["20", 0], power=0.8)
    graph["3"]["inputs"]["positive"] = ["21", 0]
    info = read(graph)
    assert inputs_seen(info) == [("unknown", None, ["someone_else.png"])]
    flag = next(w for w in info.warnings if w.startswith("image input of unknown kind: check by hand"))
    assert "someone_else.png" in flag and "AcmeImageConditioner" in flag
    findings = check_rules(info, load_risk_table(shipped_risk_path()))
    assert any(f.code == "INPUT_IMAGE" and "risk unknown" in f.message for f in findings)
    assert any("image input of unknown kind" in f.message for f in findings)


def test_an_unknown_model_patch_and_an_unknown_latent_maker_are_flagged() -> None:
    graph = base()
    graph["20"] = node("Load Image (Inspire)", image="face.png")
    graph["21"] = node("AcmeFacePatch", model=["4", 0], reference=["20", 0], weight=1.0)
    graph["3"]["inputs"]["model"] = ["21", 0]
    assert inputs_seen(read(graph)) == [("unknown", None, ["face.png"])]
    graph = base()
    graph["20"] = node("LoadImage", image="start.png")
    graph["21"] = node("AcmeLatentFromPicture", picture=["20", 0], vae=["4", 2])
    graph["3"]["inputs"]["latent_image"] = ["21", 0]
    assert inputs_seen(read(graph))[0][0] == "unknown"


def test_an_unknown_face_identity_node_is_ranked_as_identity() -> None:
    graph = base()
    graph["20"] = node("LoadImage", image="celebrity.jpg")
    graph["21"] = node("PulidFluxModelLoader", pulid_file="pulid_flux_v0.9.1.safetensors")
    graph["22"] = node("ApplyPulidFlux", model=["4", 0], pulid_flux=["21", 0], image=["20", 0], weight=1.0,
                       start_at=0.0, end_at=1.0)  # fmt: skip
    graph["3"]["inputs"]["model"] = ["22", 0]
    info = read(graph)
    assert inputs_seen(info) == [("unknown", "ApplyPulidFlux", ["celebrity.jpg"])]
    findings = check_rules(info, load_risk_table(shipped_risk_path()))
    assert any(f.code == "IDENTITY_INPUT" and f.severity == "problem" for f in findings)


def test_known_technique_entered_by_a_custom_route_keeps_its_kind() -> None:
    graph = base()
    graph["20"] = node("LoadImage", image="pose.png")
    graph["21"] = node("ControlNetLoader", control_net_name="openpose.safetensors")
    graph["22"] = node("AcmeHintMaker", source=["20", 0], mode="fancy")
    graph["23"] = node("ControlNetApply", conditioning=["6", 0], control_net=["21", 0], image=["22", 0], strength=0.7)
    graph["3"]["inputs"]["positive"] = ["23", 0]
    info = read(graph)
    assert [(t.kind, t.model, t.details["images"]) for t in info.techniques] == [
        ("controlnet", "openpose", ["pose.png"])
    ]
    assert not any("unknown kind" in w for w in info.warnings)


def test_images_reduced_to_a_size_a_mask_or_an_unselected_branch_are_not_inputs() -> None:
    graph = base()
    graph["20"] = node("LoadImage", image="size_only.png")
    graph["21"] = node("GetImageSize+", image=["20", 0])
    graph["5"]["inputs"].update(width=["21", 0], height=["21", 1])
    graph["22"] = node("LoadImageMask", image="mask.png", channel="alpha")
    graph["23"] = node("SetLatentNoiseMask", samples=["5", 0], mask=["22", 0])
    graph["3"]["inputs"]["latent_image"] = ["23", 0]
    assert read(graph).techniques == []
    graph = base()
    graph["20"] = node("LoadImage", image="unused.png")
    graph["21"] = node("VAEEncode", pixels=["20", 0], vae=["4", 2])
    graph["22"] = node("Switch any [Crystools]", on_true=["5", 0], on_false=["21", 0], boolean=True)
    graph["3"]["inputs"]["latent_image"] = ["22", 0]
    assert read(graph).techniques == []


def test_a_switch_chosen_at_run_time_keeps_the_loaded_image() -> None:
    graph = base()
    graph["20"] = node("LoadImage", image="maybe.png")
    graph["21"] = node("VAEEncode", pixels=["20", 0], vae=["4", 2])
    graph["24"] = node("AcmeCoinFlip", chance=0.5, seed=3, mode="x", extra=1)
    graph["22"] = node("ImpactSwitch", input1=["5", 0], input2=["21", 0], select=["24", 0], sel_mode=False)
    graph["3"]["inputs"]["latent_image"] = ["22", 0]
    assert [t.details["images"] for t in read(graph).techniques] == [["maybe.png"]]


def test_workflow_format_unknown_kind_input() -> None:
    workflow = {
        "nodes": [
            ui(4, "CheckpointLoaderSimple", ["base.safetensors"]),
            ui(5, "EmptyLatentImage", [512, 512, 1]),
            ui(6, "CLIPTextEncode", ["a cat"], [("clip", 2)]),
            ui(20, "Load Image (Inspire)", ["cat_photo.png", "image"]),
            ui(21, "AcmeImageConditioner", [0.8], [("conditioning", 3), ("image", 4)]),
            ui(3, "KSampler", [5, "fixed", 20, 7, "euler", "normal", 1],
               [("model", 1), ("positive", 5), ("negative", 6), ("latent_image", 7)]),
            ui(8, "VAEDecode", [], [("samples", 8), ("vae", 9)]),
            ui(9, "SaveImage", ["x"], [("images", 10)]),
        ],
        "links": [[1, 4, 0, 3, 0, "MODEL"], [2, 4, 1, 6, 0, "CLIP"], [3, 6, 0, 21, 0, "CONDITIONING"],
                  [4, 20, 0, 21, 1, "IMAGE"], [5, 21, 0, 3, 1, "CONDITIONING"], [6, 6, 0, 3, 2, "CONDITIONING"],
                  [7, 5, 0, 3, 3, "LATENT"], [8, 3, 0, 8, 0, "LATENT"], [9, 4, 2, 8, 1, "VAE"],
                  [10, 8, 0, 9, 0, "IMAGE"]],
    }  # fmt: skip
    info = parse(Fields(png={"workflow": json.dumps(workflow)}))
    assert info is not None
    assert inputs_seen(info) == [("unknown", None, ["cat_photo.png"])]
    assert any(w.startswith("image input of unknown kind") for w in info.warnings)


# --- LoRAs -------------------------------------------------------------------------------------


def with_lora_node(lora: dict[str, Any]) -> dict[str, Any]:
    graph = base()
    graph["40"] = lora
    lora["inputs"].setdefault("model", ["4", 0])
    graph["3"]["inputs"]["model"] = ["40", 0]
    return graph


def loras(info: GenerationInfo) -> dict[str | None, float | None]:
    return {ref.name: ref.weight for ref in info.loras}


def test_power_lora_stacker_dict_entries_skip_the_disabled_ones() -> None:
    graph = base()
    graph["41"] = node("Power Lora Stacker (rgthree)", lora_1={"on": True, "lora": "style\\ink.safetensors",
                       "strength": 0.6}, lora_2={"on": False, "lora": "off.safetensors", "strength": 1.0},
                       lora_3={"on": True, "lora": "None", "strength": 1.0})  # fmt: skip
    graph["40"] = node("CR Apply LoRA Stack", model=["4", 0], clip=["4", 1], lora_stack=["41", 0])
    graph["3"]["inputs"]["model"] = ["40", 0]
    assert loras(read(graph)) == {"ink": 0.6}


def test_numbered_stacks_of_unknown_suites_with_switches_and_counts() -> None:
    graph = with_lora_node(node("Acme Lora Stack", lora_1_name="detail.safetensors", lora_1_strength=0.4,
                                lora_2_name="None", lora_2_strength=1.0, lora_3_name="loras/hands.pt",
                                lora_3_strength=0.9, lora_3_on=False, lora_04="folder/eyes.safetensors",
                                strength_04=0.25))  # fmt: skip
    assert loras(read(graph)) == {"detail": 0.4, "eyes": 0.25}
    graph = with_lora_node(node("easy loraStack", toggle=True, mode="simple", num_loras=2,
                                lora_1_name="a.safetensors", lora_1_strength=0.5, lora_2_name="b.safetensors",
                                lora_2_strength=0.7, lora_3_name="c.safetensors", lora_3_strength=1.0))  # fmt: skip
    assert loras(read(graph)) == {"a": 0.5, "b": 0.7}
    graph = with_lora_node(node("easy loraStack", toggle=False, num_loras=1, lora_1_name="a.safetensors",
                                lora_1_strength=0.5))  # fmt: skip
    assert loras(read(graph)) == {}


def test_known_stack_nodes_and_a_model_only_loader() -> None:
    graph = base()
    graph["41"] = node("CR LoRA Stack", switch_1="On", lora_name_1="one.safetensors", model_weight_1=0.8,
                       clip_weight_1=1.0, switch_2="Off", lora_name_2="two.safetensors", model_weight_2=1.0,
                       clip_weight_2=1.0)  # fmt: skip
    graph["42"] = node("LoRA Stacker", input_mode="simple", lora_count=1, lora_name_1="three.safetensors",
                       lora_wt_1=0.5, lora_name_2="four.safetensors", lora_wt_2=1.0, lora_stack=["41", 0])  # fmt: skip
    graph["40"] = node("CR Apply LoRA Stack", model=["43", 0], clip=["4", 1], lora_stack=["42", 0])
    graph["43"] = node("LoraLoaderModelOnly", model=["4", 0], lora_name="speed.safetensors", strength_model=1.0)
    graph["3"]["inputs"]["model"] = ["40", 0]
    assert loras(read(graph)) == {"one": 0.8, "three": 0.5, "speed": 1.0}


def test_a_loader_taking_a_list_and_an_unknown_ui_lora_node() -> None:
    graph = with_lora_node(node("Acme Multi LoRA", loras=[{"name": "x.safetensors", "strength": 0.3},
                                "y.safetensors", {"name": "z.safetensors", "on": False}]))  # fmt: skip
    assert loras(read(graph)) == {"x": 0.3, "y": None}
    graph = with_lora_node(node("Acme Patch Loader", patch_file="models/loras/anime/line.safetensors", weight=0.45))
    assert loras(read(graph)) == {"line": 0.45}
    workflow = {
        "nodes": [
            {"id": 4, "type": "CheckpointLoaderSimple", "mode": 0, "widgets_values": ["m.safetensors"], "inputs": []},
            {"id": 40, "type": "Acme LoRA Loader", "mode": 0, "widgets_values": [True, "skin.safetensors", 0.65],
             "inputs": [{"name": "model", "type": "MODEL", "link": 1}]},
            {"id": 3, "type": "KSampler", "mode": 0, "widgets_values": [1, "fixed", 20, 7, "euler", "normal", 1],
             "inputs": [{"name": "model", "type": "MODEL", "link": 2}]},
            {"id": 9, "type": "SaveImage", "mode": 0, "widgets_values": ["x"],
             "inputs": [{"name": "images", "type": "IMAGE", "link": 3}]},
        ],
        "links": [[1, 4, 0, 40, 0, "MODEL"], [2, 40, 0, 3, 0, "MODEL"], [3, 3, 0, 9, 0, "IMAGE"]],
    }  # fmt: skip
    info = parse(Fields(png={"workflow": json.dumps(workflow)}))
    assert info is not None and loras(info) == {"skin": 0.65}


def test_names_that_are_not_lora_files_are_not_loras() -> None:
    graph = with_lora_node(node("ImpactWildcardEncode", wildcard_text="a cat", populated_text="a cat",
                                mode="populate", **{"Select to add LoRA": "Select the LoRA to add to the text"},
                                seed=1, clip=["4", 1]))  # fmt: skip
    assert read(graph).loras == []


# --- values through utility nodes --------------------------------------------------------------


def test_seed_steps_cfg_and_prompts_through_chains_math_and_switches() -> None:
    graph = base()
    graph["60"] = node("Seed (rgthree)", seed=123456789)
    graph["61"] = node("Reroute", input=["60", 0])
    graph["62"] = node("Reroute", input=["61", 0])
    graph["63"] = node("PrimitiveInt", value=15)
    graph["64"] = node("CM_IntBinaryOperation", op="Add", a=["63", 0], b=10)
    graph["65"] = node("Primitive integer [Crystools]", int=14)
    graph["66"] = node("SimpleMath+", value="a / 2", a=["65", 0])
    graph["67"] = node("CR Prompt Text", prompt="a wolf at dusk")
    graph["68"] = node("CR Prompt Text", prompt="a cat at noon")
    graph["69"] = node("CR Text Input Switch", Input=2, text1=["67", 0], text2=["68", 0])
    graph["70"] = node("CR Text Concatenate", text1=["69", 0], text2="oil painting", separator=", ")
    graph["71"] = node("easy showAnything", anything=["70", 0])
    graph["3"]["inputs"].update(seed=["62", 0], steps=["64", 0], cfg=["66", 1])
    graph["6"]["inputs"]["text"] = ["71", 0]
    info = read(graph)
    assert (info.seed, info.steps, info.cfg) == (123456789, 25, 7.0)
    assert info.prompt == "a cat at noon, oil painting"


def test_impact_and_crystools_switches_follow_the_selected_branch() -> None:
    graph = base()
    graph["60"] = node("PrimitiveString", value="first")
    graph["61"] = node("PrimitiveString", value="second")
    graph["62"] = node("ImpactSwitch", select=2, sel_mode=False, input1=["60", 0], input2=["61", 0])
    graph["63"] = node("Switch any [Crystools]", on_true=["60", 0], on_false=["62", 0], boolean=False)
    graph["6"]["inputs"]["text"] = ["63", 0]
    assert read(graph).prompt == "second"


def test_counters_and_random_seeds_are_not_guessed() -> None:
    graph = base()
    graph["60"] = node("CR Integer Counter", start=0, step=1)  # hypothetical counter: changes every run
    graph["61"] = node("Seed (rgthree)", seed=-1)
    graph["3"]["inputs"].update(steps=["60", 0], seed=["61", 0])
    info = read(graph)
    assert info.steps is None and info.seed is None
    assert any("changes every run" in w and "random seed chosen at run time" in w for w in info.warnings)


def test_math_that_is_not_computable_stays_unresolved() -> None:
    graph = base()
    graph["60"] = node("SimpleMath+", value="__import__('os').getcwd()", a=1)
    graph["61"] = node("SimpleMath+", value="a ** 100000", a=10)
    graph["3"]["inputs"].update(steps=["60", 0], seed=["61", 0])
    info = read(graph)
    assert info.steps is None and info.seed is None


def test_workflow_switch_and_math_widgets() -> None:
    workflow = {
        "nodes": [
            ui(4, "CheckpointLoaderSimple", ["base.safetensors"]),
            ui(5, "EmptyLatentImage", [512, 512, 1]),
            ui(30, "PrimitiveNode", ["red fox"]),
            ui(31, "PrimitiveNode", ["blue whale"]),
            ui(32, "CR Text Input Switch", [2], [("text1", 11), ("text2", 12)]),
            ui(6, "CLIPTextEncode", [""], [("clip", 2), ("text", 13)]),
            ui(33, "CM_IntBinaryOperation", ["Mul", 6, 5]),
            ui(3, "KSampler", [5, "fixed", 20, 7, "euler", "normal", 1],
               [("model", 1), ("positive", 5), ("latent_image", 7), ("steps", 14)]),
            ui(8, "VAEDecode", [], [("samples", 8), ("vae", 9)]),
            ui(9, "SaveImage", ["x"], [("images", 10)]),
        ],
        "links": [[1, 4, 0, 3, 0, "MODEL"], [2, 4, 1, 6, 0, "CLIP"], [5, 6, 0, 3, 1, "CONDITIONING"],
                  [7, 5, 0, 3, 3, "LATENT"], [8, 3, 0, 8, 0, "LATENT"], [9, 4, 2, 8, 1, "VAE"],
                  [10, 8, 0, 9, 0, "IMAGE"], [11, 30, 0, 32, 0, "STRING"], [12, 31, 0, 32, 1, "STRING"],
                  [13, 32, 0, 6, 1, "STRING"], [14, 33, 0, 3, 4, "INT"]],
    }  # fmt: skip
    info = parse(Fields(png={"workflow": json.dumps(workflow)}))
    assert info is not None
    assert info.prompt == "blue whale" and info.steps == 30


def test_workflow_seed_everywhere_feeds_unlinked_seed_sockets() -> None:
    sampler = ui(3, "KSampler", [5, "fixed", 20, 7, "euler", "normal", 1], [("model", 1), ("positive", 2)])
    sampler["inputs"].append({"name": "seed", "type": "INT", "link": None, "widget": {"name": "seed"}})
    workflow = {
        "nodes": [
            ui(4, "CheckpointLoaderSimple", ["base.safetensors"]),
            ui(6, "CLIPTextEncode", ["a cat"], [("clip", 3)]),
            ui(40, "Seed Everywhere", [987654, "randomize"]),
            sampler,
            ui(9, "SaveImage", ["x"], [("images", 4)]),
        ],
        "links": [[1, 4, 0, 3, 0, "MODEL"], [2, 6, 0, 3, 1, "CONDITIONING"], [3, 4, 1, 6, 0, "CLIP"],
                  [4, 3, 0, 9, 0, "IMAGE"]],
    }  # fmt: skip
    info = parse(Fields(png={"workflow": json.dumps(workflow)}))
    assert info is not None and info.seed == 987654 and info.steps == 20


def test_rgthree_any_switch_and_seed_helpers() -> None:
    graph = base()
    graph["60"] = node("CR Seed", seed=31337)
    graph["61"] = node("Any Switch (rgthree)", any_01=["60", 0], any_02=["62", 0])
    graph["62"] = node("PrimitiveInt", value=1)
    graph["63"] = node("CR Integer To String", int_=["62", 0])
    graph["64"] = node("Int", Number="28")
    graph["3"]["inputs"].update(seed=["61", 0], steps=["64", 0])
    graph["6"]["inputs"]["text"] = ["63", 0]
    info = read(graph)
    assert (info.seed, info.steps, info.prompt) == (31337, 28, "1")


# --- hostile graphs ----------------------------------------------------------------------------


def test_cycles_and_a_ten_thousand_node_chain_finish_quickly() -> None:
    graph = base()
    graph["60"] = node("Reroute", input=["61", 0])
    graph["61"] = node("ImpactSwitch", select=["60", 0], input1=["60", 0], input2=["61", 0])
    graph["62"] = node("SimpleMath+", value="a+b", a=["62", 0], b=["60", 0])
    graph["3"]["inputs"].update(seed=["61", 0], steps=["62", 0])
    graph["20"] = node("LoadImage", image="loop.png")
    graph["21"] = node("AcmeLoop", image=["20", 0], other=["22", 0])
    graph["22"] = node("AcmeLoop", image=["21", 0], conditioning=["6", 0])
    graph["3"]["inputs"]["positive"] = ["22", 0]
    for i in range(200):  # switches selected by switches: exponential if look-ups were not bounded
        graph[f"w{i}"] = node("ImpactSwitch", select=[f"w{i + 1}", 0], input1=[f"w{i + 1}", 0],
                              input2=[f"w{i + 2}", 0], input3=[f"w{i + 1}", 1])  # fmt: skip
    graph["w200"] = node("PrimitiveInt", value=1)
    graph["w201"] = node("PrimitiveInt", value=2)
    graph["3"]["inputs"]["cfg"] = ["w0", 0]
    started = time.monotonic()
    info = read(graph)
    assert info.seed is None and info.steps is None
    assert inputs_seen(info) == [("unknown", None, ["loop.png"])]

    for steps, reroutes in ((4_000, 900), (10_000, 10_000)):
        chain = base()
        chain["20"] = node("LoadImage", image="deep.png")
        previous = "20"
        for i in range(steps):
            chain[f"c{i}"] = node("AcmeImageStep", image=[previous, 0])
            previous = f"c{i}"
        chain["r0"] = node("PrimitiveInt", value=7)
        for i in range(1, reroutes):
            chain[f"r{i}"] = node("Reroute", input=[f"r{i - 1}", 0])
        chain["3"]["inputs"].update(seed=[f"r{reroutes - 1}", 0], latent_image=[previous, 0])
        info = read(chain)
        assert info.seed is None  # far past the bounded look-up, or cut off with the rest of the graph
        if steps < 5_000:
            assert inputs_seen(info) == [("unknown", None, ["deep.png"])]
        else:
            assert any("more than 5000 nodes" in w for w in info.warnings)
    assert time.monotonic() - started < 20
