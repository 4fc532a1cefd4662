"""ComfyUI graphs using node suites' own loaders, contexts and group nodes, read as a user needs them: every
picture from outside that reaches sampling is listed (never a clean read), with the settings that ran.

Every graph here is synthetic, written from the suites' public node definitions: ComfyUI `nodes.py`
(LoadLatent) and `comfy_extras/nodes_webcam.py` (WebcamCapture), Impact Pack's `bridge_nodes.py`
(ImageReceiver, LatentReceiver), rgthree-comfy's `context_utils.py` (Context nodes), Easy-Use's
`py/nodes/loaders.py` and `preSampling.py` (loaders, LoRA and ControlNet stacks, pre-sampling) and Efficiency
Nodes (Efficient Loader, Control Net Stacker). Each kind is read from
the API graph (`prompt` chunk) and from the editor's UI workflow (`workflow` chunk, widget values by position).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from fixtures.comfy_graphs import base, inputs_seen, node, read, ui

from tracker.metadata.comfyui import parse
from tracker.metadata.comfyui.widgets import WIDGETS
from tracker.metadata.fields import Fields
from tracker.metadata.info import GenerationInfo


def read_ui(nodes: list[dict[str, Any]], links: list[list[Any]]) -> GenerationInfo:
    info = parse(Fields(png={"workflow": json.dumps({"nodes": nodes, "links": links, "version": 0.4})}))
    assert info is not None
    return info


def ui_around(latent_link: int, extra: list[dict[str, Any]], links: list[list[Any]]) -> GenerationInfo:
    """The UI form of `base()` at denoise 0.6, its sampler's latent fed by link `latent_link`."""
    nodes = [
        ui(4, "CheckpointLoaderSimple", ["base.safetensors"]),
        ui(6, "CLIPTextEncode", ["a fox running"], [("clip", 2)]),
        ui(7, "CLIPTextEncode", ["blurry"], [("clip", 3)]),
        ui(3, "KSampler", [42, "fixed", 20, 6.0, "euler", "simple", 0.6],
           [("model", 1), ("positive", 4), ("negative", 5), ("latent_image", latent_link)]),
        ui(8, "VAEDecode", [], [("samples", 8), ("vae", 9)]),
        ui(9, "SaveImage", ["out"], [("images", 10)]),
        *extra,
    ]  # fmt: skip
    wiring = [[1, 4, 0, 3, 0, "MODEL"], [2, 4, 1, 6, 0, "CLIP"], [3, 4, 1, 7, 0, "CLIP"], [4, 6, 0, 3, 1, "COND"],
              [5, 7, 0, 3, 2, "COND"], [8, 3, 0, 8, 0, "LATENT"], [9, 4, 2, 8, 1, "VAE"], [10, 8, 0, 9, 0, "IMAGE"]]  # fmt: skip
    return read_ui(nodes, wiring + links)


# --- loaders of pictures and latents that name no image file type in their class ---------------------

PICTURE_SOURCES = [
    ("WebcamCapture", {"image": "webcam/1701.png [temp]", "width": 640, "height": 480, "capture_on_queue": True}),
    (
        "ImageReceiver",
        {
            "image": "ImgSender_temp_xyz_00001_.png [temp]",
            "link_id": 0,
            "save_to_workflow": False,
            "image_data": "",
            "trigger_always": False,
        },
    ),
]


@pytest.mark.parametrize(("class_type", "widgets"), PICTURE_SOURCES)
def test_a_webcam_picture_or_one_another_workflow_sent_encoded_for_sampling_is_img2img(
    class_type: str, widgets: dict[str, Any]
) -> None:
    """A webcam capture and Impact's ImageReceiver are image loaders: encoded into the latent, img2img (it was
    read as a clean text-to-image)."""
    graph = base()
    graph["14"] = node(class_type, **widgets)
    graph["30"] = node("VAEEncode", pixels=["14", 0], vae=["4", 2])
    graph["3"]["inputs"].update(latent_image=["30", 0], denoise=0.6)
    assert inputs_seen(read(graph)) == [("img2img", None, [widgets["image"]])]
    info = ui_around(
        11,
        [ui(14, class_type, list(widgets.values())), ui(30, "VAEEncode", [], [("pixels", 12), ("vae", 13)])],
        [[11, 30, 0, 3, 3, "LATENT"], [12, 14, 0, 30, 0, "IMAGE"], [13, 4, 2, 30, 1, "VAE"]],
    )
    assert [(t.kind, t.weight, t.details.get("images")) for t in info.techniques] == [
        ("img2img", 0.6, [widgets["image"]])
    ]


LATENT_SOURCES = [
    ("LoadLatent", {"latent": "portrait.latent"}),
    ("LatentReceiver", {"latent": "LatentSender_00001_.latent [output]", "link_id": 0, "trigger_always": False}),
]


@pytest.mark.parametrize(("class_type", "widgets"), LATENT_SOURCES)
def test_a_saved_latent_sampled_again_is_an_input_checked_by_hand(class_type: str, widgets: dict[str, Any]) -> None:
    """A latent loaded from a file may be any picture, encoded: sampled again it is an input of unknown kind,
    named by its file (it was read as a clean text-to-image)."""
    graph = base()
    graph["14"] = node(class_type, **widgets)
    graph["3"]["inputs"].update(latent_image=["14", 0], denoise=0.6)
    for info in (
        read(graph),
        ui_around(11, [ui(14, class_type, list(widgets.values()))], [[11, 14, 0, 3, 3, "LATENT"]]),
    ):
        assert inputs_seen(info) == [("unknown", None, [widgets["latent"]])]
        assert any(w.startswith("image input of unknown kind: check by hand") for w in info.warnings)


# --- rgthree Context nodes -----------------------------------------------------------------------------


def test_settings_and_prompts_carried_by_rgthree_contexts_are_read() -> None:
    """Context -> Context Big (built on it, adding the steps) -> Context Switch -> the sampler: each field is
    the nearest context's own input, else the one it builds on (the seed, prompts and model were unread)."""
    graph = base()
    graph["20"] = node("LoraLoader", lora_name="inkwash.safetensors", strength_model=0.8, strength_clip=0.8,
                       model=["4", 0], clip=["4", 1])  # fmt: skip
    graph["21"] = node("Context (rgthree)", model=["20", 0], clip=["20", 1], vae=["4", 2], positive=["6", 0],
                       negative=["7", 0], latent=["5", 0], seed=["22", 0])  # fmt: skip
    graph["22"] = node("Seed (rgthree)", seed=777)
    graph["23"] = node("PrimitiveInt", value=33)
    graph["24"] = node("Context Big (rgthree)", base_ctx=["21", 0], steps=["23", 0])
    graph["25"] = node("Context Switch (rgthree)", ctx_01=["24", 0])
    graph["3"]["inputs"].update(model=["25", 1], positive=["25", 4], negative=["25", 5], latent_image=["25", 6],
                                seed=["25", 8], steps=["24", 9])  # fmt: skip
    api = read(graph)
    nodes = [
        ui(4, "CheckpointLoaderSimple", ["base.safetensors"]),
        ui(5, "EmptyLatentImage", [832, 480, 1]),
        ui(6, "CLIPTextEncode", ["a fox running"], [("clip", 2)]),
        ui(7, "CLIPTextEncode", ["blurry"], [("clip", 3)]),
        ui(20, "LoraLoader", ["inkwash.safetensors", 0.8, 0.8], [("model", 11), ("clip", 12)]),
        ui(21, "Context (rgthree)", [], [("model", 13), ("clip", 14), ("vae", 15), ("positive", 16),
                                         ("negative", 17), ("latent", 18), ("seed", 19)]),
        ui(22, "PrimitiveNode", [777, "fixed"]),
        ui(23, "PrimitiveNode", [33, "fixed"]),
        ui(24, "Context Big (rgthree)", [], [("base_ctx", 20), ("steps", 21)]),
        ui(25, "Context Switch (rgthree)", [], [("ctx_01", 22)]),
        ui(3, "KSampler", [1, "fixed", 1, 6.0, "euler", "simple", 1.0],
           [("model", 23), ("positive", 24), ("negative", 25), ("latent_image", 26), ("seed", 27), ("steps", 28)]),
        ui(8, "VAEDecode", [], [("samples", 8), ("vae", 9)]),
        ui(9, "SaveImage", ["out"], [("images", 10)]),
    ]  # fmt: skip
    nodes[-3]["inputs"][-2:] = [{"name": n, "type": "INT", "widget": {"name": n}, "link": k} for n, k in (("seed", 27), ("steps", 28))]  # fmt: skip
    links = [[2, 4, 1, 6, 0, "CLIP"], [3, 4, 1, 7, 0, "CLIP"], [8, 3, 0, 8, 0, "LATENT"], [9, 4, 2, 8, 1, "VAE"],
             [10, 8, 0, 9, 0, "IMAGE"], [11, 4, 0, 20, 0, "MODEL"], [12, 4, 1, 20, 1, "CLIP"],
             [13, 20, 0, 21, 0, "MODEL"], [14, 20, 1, 21, 1, "CLIP"], [15, 4, 2, 21, 2, "VAE"],
             [16, 6, 0, 21, 3, "CONDITIONING"], [17, 7, 0, 21, 4, "CONDITIONING"], [18, 5, 0, 21, 5, "LATENT"],
             [19, 22, 0, 21, 6, "INT"], [20, 21, 0, 24, 0, "RGTHREE_CONTEXT"], [21, 23, 0, 24, 1, "INT"],
             [22, 24, 0, 25, 0, "RGTHREE_CONTEXT"], [23, 25, 1, 3, 0, "MODEL"], [24, 25, 4, 3, 1, "CONDITIONING"],
             [25, 25, 5, 3, 2, "CONDITIONING"], [26, 25, 6, 3, 3, "LATENT"], [27, 25, 8, 3, 4, "INT"],
             [28, 24, 9, 3, 5, "INT"]]  # fmt: skip
    for info in (api, read_ui(nodes, links)):
        assert (info.seed, info.steps, info.cfg) == (777, 33, 6.0)
        assert (info.prompt, info.negative_prompt) == ("a fox running", "blurry")
        assert info.model is not None and info.model.name == "base.safetensors"
        assert [(ref.name, ref.weight) for ref in info.loras] == [("inkwash", 0.8)]
        assert (info.width, info.height) == (832, 480)
        assert not any("Context" in w for w in info.warnings)


def test_a_field_no_context_sets_or_a_merge_of_contexts_is_not_guessed() -> None:
    """A seed no context in the chain holds is unread, and a Context Merge's field may come from either context:
    both are said, neither guessed."""
    graph = base()
    graph["21"] = node("Context (rgthree)", model=["4", 0], positive=["6", 0], negative=["7", 0], latent=["5", 0])
    graph["22"] = node("Context (rgthree)", seed=5)
    graph["24"] = node("Context Merge (rgthree)", ctx_01=["21", 0], ctx_02=["22", 0])
    graph["3"]["inputs"].update(model=["21", 1], seed=["21", 8], steps=["24", 8])
    info = read(graph)
    assert (info.seed, info.steps, info.prompt) == (None, None, "a fox running")
    assert any("seed not set in Context (rgthree) (node 21)" in w for w in info.warnings)
    assert any("seed chosen at run time by Context Merge (rgthree) (node 24)" in w for w in info.warnings)


# --- Easy-Use and Efficiency pipelines ---------------------------------------------------------------------


def easy_pipeline(image_into: str | None) -> dict[str, Any]:
    """Easy-Use's loader (prompts, a LoRA and a LoRA stack) -> pre-sampling settings -> its KSampler; a loaded
    picture goes into a ControlNet stack on the loader, an `easy controlnetLoader` on the pipe, or the
    pre-sampling's `image_to_latent` (img2img)."""
    graph = {
        "1": node("easy fullLoader", ckpt_name="juggernaut.safetensors", config_name="Default", vae_name="Baked VAE",
                  clip_skip=-2, lora_name="detail.safetensors", lora_model_strength=0.6, lora_clip_strength=0.6,
                  resolution="512 x 512", empty_latent_width=512, empty_latent_height=512, positive="a castle",
                  positive_token_normalization="none", positive_weight_interpretation="comfy", negative="blurry",
                  negative_token_normalization="none", negative_weight_interpretation="comfy", batch_size=1,
                  optional_lora_stack=["2", 0]),
        "2": node("easy loraStack", toggle=True, mode="simple", num_loras=1, lora_1_name="inkwash.safetensors",
                  lora_1_strength=0.5, lora_1_model_strength=1.0, lora_1_clip_strength=1.0),
        "5": node("easy preSampling", pipe=["1", 0], steps=25, cfg=7.0, sampler_name="euler", scheduler="karras",
                  denoise=1.0, seed=123),
        "6": node("easy kSampler", pipe=["5", 0], image_output="Save", link_id=0, save_prefix="ComfyUI"),
        "3": node("LoadImage", image="pose.png", upload="image"),
    }  # fmt: skip
    if image_into == "stack":
        graph["4"] = node("easy controlnetStack", toggle=True, mode="simple", num_controlnet=1,
                          controlnet_1="openpose.safetensors", controlnet_1_strength=1.0, start_percent_1=0.0,
                          end_percent_1=1.0, scale_soft_weight_1=1.0, image_1=["3", 0])  # fmt: skip
        graph["1"]["inputs"]["optional_controlnet_stack"] = ["4", 0]
    elif image_into == "loader":
        graph["8"] = node("easy controlnetLoader", pipe=["1", 0], image=["3", 0],
                          control_net_name="depth.safetensors", strength=0.8, scale_soft_weights=1.0)  # fmt: skip
        graph["5"]["inputs"]["pipe"] = ["8", 0]
    elif image_into == "img2img":
        graph["5"]["inputs"].update(image_to_latent=["3", 0], denoise=0.55)
    return graph


def as_workflow(graph: dict[str, Any]) -> GenerationInfo:
    """The UI workflow of an API graph: literals as widget values in the order the node tables name them."""
    nodes, links = [], []
    for node_id, entry in graph.items():
        names = WIDGETS.get(entry["class_type"], list(entry["inputs"]))
        values = [entry["inputs"].get(name) for name in names if not isinstance(entry["inputs"].get(name), list)]
        if "seed" in names:
            values.insert(names.index("seed") + 1, "fixed")
        sockets = []
        for name, value in entry["inputs"].items():
            if isinstance(value, list):
                links.append([len(links) + 1, int(value[0]), value[1], int(node_id), len(sockets), "*"])
                sockets.append((name, len(links)))
        nodes.append(ui(int(node_id), entry["class_type"], values, sockets))
    return read_ui(nodes, links)


@pytest.mark.parametrize(
    ("image_into", "expected"),
    [
        (None, []),
        ("stack", [("controlnet", None, ["pose.png"])]),
        ("loader", [("controlnet", None, ["pose.png"])]),
        ("img2img", [("img2img", "easy preSampling", ["pose.png"])]),
    ],
)
def test_an_easy_use_pipeline_names_its_prompts_loras_and_every_image_input(
    image_into: str | None, expected: list[tuple[str, str | None, Any]]
) -> None:
    """The prompts the loader encodes into its pipe are read (they were not), its LoRAs found, and a picture in
    a ControlNet stack, an Easy-Use ControlNet or the pre-sampling image is named by kind (it was "unknown")."""
    graph = easy_pipeline(image_into)
    for info in (read(graph), as_workflow(graph)):
        assert (info.prompt, info.negative_prompt) == ("a castle", "blurry")
        assert info.model is not None and info.model.name == "juggernaut.safetensors"
        assert {ref.name: ref.weight for ref in info.loras} == {"inkwash": 0.5, "detail": 0.6}
        assert (info.seed, info.steps, info.cfg, info.sampler, info.scheduler) == (123, 25, 7.0, "euler", "karras")
        assert inputs_seen(info) == expected


def test_an_efficiency_control_net_stack_on_the_loader_is_a_controlnet_input() -> None:
    graph = {
        "1": node("Efficient Loader", ckpt_name="base.safetensors", vae_name="Baked VAE", clip_skip=-1,
                  lora_name="None", lora_model_strength=1.0, lora_clip_strength=1.0, positive="a cat",
                  negative="blurry", token_normalization="none", weight_interpretation="comfy",
                  empty_latent_width=512, empty_latent_height=512, batch_size=1, lora_stack=["11", 0],
                  cnet_stack=["12", 0]),
        "11": node("LoRA Stacker", input_mode="simple", lora_count=1, lora_name_1="detail.safetensors", lora_wt_1=0.7),
        "13": node("ControlNetLoader", control_net_name="depth.safetensors"),
        "14": node("LoadImage", image="pose.png", upload="image"),
        "12": node("Control Net Stacker", control_net=["13", 0], image=["14", 0], strength=1.0, start_percent=0.0,
                   end_percent=1.0),
        "2": node("KSampler (Efficient)", seed=5, steps=20, cfg=7.0, sampler_name="euler", scheduler="normal",
                  denoise=1.0, preview_method="auto", vae_decode="true", model=["1", 0], positive=["1", 1],
                  negative=["1", 2], latent_image=["1", 3], optional_vae=["1", 4]),
        "9": node("SaveImage", filename_prefix="out", images=["2", 5]),
    }  # fmt: skip
    for info in (read(graph), as_workflow(graph)):
        assert inputs_seen(info) == [("controlnet", None, ["pose.png"])]
        assert {ref.name: ref.weight for ref in info.loras} == {"detail": 0.7}
        assert (info.prompt, info.seed) == ("a cat", 5)


# --- KJNodes and kijai's WanVideoWrapper ----------------------------------------------------------------------


def wan_wrapper_image_to_video() -> dict[str, Any]:
    """kijai's WanVideoWrapper image-to-video: the start frame resized (ImageResizeKJ) and passed through
    GetImageSizeAndCount (image, width, height, count) into WanVideoImageToVideoEncode, its size into the
    encoder's width and height; the wrapper's own sampler, decoder and a video combiner."""
    return {
        "1": node("WanVideoModelLoader", model="wan2.1_i2v_480p_14B_fp8.safetensors", base_precision="bf16",
                  quantization="fp8_e4m3fn", load_device="offload_device"),
        "2": node("WanVideoVAELoader", model_name="wan_2.1_vae.safetensors", precision="bf16"),
        "3": node("LoadWanVideoT5TextEncoder", model_name="umt5-xxl-enc-bf16.safetensors", precision="bf16"),
        "4": node("WanVideoTextEncode", positive_prompt="a dancer", negative_prompt="blurry", t5=["3", 0],
                  force_offload=True),
        "5": node("LoadImage", image="dancer.png", upload="image"),
        "6": node("ImageResizeKJ", image=["5", 0], width=832, height=480, upscale_method="lanczos",
                  keep_proportion=False, divisible_by=16),
        "7": node("GetImageSizeAndCount", image=["6", 0]),
        "8": node("WanVideoImageToVideoEncode", width=["7", 1], height=["7", 2], num_frames=81,
                  noise_aug_strength=0.0, start_latent_strength=1.0, end_latent_strength=1.0, force_offload=True,
                  vae=["2", 0], start_image=["7", 0]),
        "9": node("WanVideoSampler", model=["1", 0], image_embeds=["8", 0], text_embeds=["4", 0], steps=30,
                  cfg=6.0, shift=5.0, seed=99, force_offload=True, scheduler="unipc", riflex_freq_index=0),
        "10": node("WanVideoDecode", vae=["2", 0], samples=["9", 0], enable_vae_tiling=False, tile_x=272,
                   tile_y=272, tile_stride_x=144, tile_stride_y=128),
        "11": node("VHS_VideoCombine", images=["10", 0], frame_rate=16, loop_count=0, filename_prefix="Wan",
                   format="video/h264-mp4", pingpong=False, save_output=True),
    }  # fmt: skip


def test_the_start_frame_of_wan_video_wrapper_image_to_video_is_listed() -> None:
    """The start frame is an img2img input of WanVideoImageToVideoEncode (it was cut at GetImageSizeAndCount, a
    node that measures the image but passes it on first), and the T5 text encoder's loader is no image loader
    (it was listed as an input image of unknown kind)."""
    graph = wan_wrapper_image_to_video()
    for info in (read(graph), as_workflow(graph)):
        assert inputs_seen(info) == [("img2img", "WanVideoImageToVideoEncode", ["dancer.png"])]
        assert not any("image input of unknown kind" in w for w in info.warnings)


def test_an_image_passed_on_by_a_node_that_measures_it_still_reaches_sampling() -> None:
    """Through GetImageSizeAndCount's image output into a conditioner no table names: checked by hand. Its size
    outputs alone (into an empty latent) are no input."""
    graph = base()
    graph["14"] = node("LoadImage", image="photo.png", upload="image")
    graph["15"] = node("GetImageSizeAndCount", image=["14", 0])
    graph["16"] = node("AcmeConditioner", conditioning=["6", 0], image=["15", 0])
    graph["3"]["inputs"]["positive"] = ["16", 0]
    for info in (read(graph), as_workflow(graph)):
        assert inputs_seen(info) == [("unknown", None, ["photo.png"])]
    graph["3"]["inputs"]["positive"] = ["6", 0]
    graph["5"]["inputs"].update(width=["15", 1], height=["15", 2])
    del graph["16"]
    for info in (read(graph), as_workflow(graph)):
        assert inputs_seen(info) == []


# --- switches ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("cond", [True, False])
def test_impact_s_conditional_branch_passes_on_only_the_branch_its_condition_picks(cond: bool) -> None:
    """`cond` picks `tt_value` or `ff_value`: the seed behind the picked branch is read (it was unread), and only
    the picked picture is an input (both were listed)."""
    graph = base()
    graph["20"] = node("ImpactConditionalBranch", cond=cond, tt_value=["21", 0], ff_value=["22", 0])
    graph["21"] = node("PrimitiveInt", value=11)
    graph["22"] = node("PrimitiveInt", value=22)
    graph["14"] = node("LoadImage", image="a.png", upload="image")
    graph["15"] = node("LoadImage", image="b.png", upload="image")
    graph["16"] = node("ImpactConditionalBranch", cond=cond, tt_value=["14", 0], ff_value=["15", 0])
    graph["30"] = node("VAEEncode", pixels=["16", 0], vae=["4", 2])
    graph["3"]["inputs"].update(seed=["20", 0], latent_image=["30", 0], denoise=0.6)
    for info in (read(graph), as_workflow(graph)):
        assert info.seed == (11 if cond else 22)
        assert inputs_seen(info) == [("img2img", None, ["a.png" if cond else "b.png"])]


# --- Use Everywhere broadcasts (UI workflow only: the API graph holds the links they make) -------------------


def broadcast_workflow(sources: int) -> dict[str, Any]:
    """A ControlNet whose hint image socket is left unlinked in the editor: `sources` Anything Everywhere nodes
    broadcast a loaded picture (IMAGE) to every unlinked IMAGE input; a checkpoint's MODEL goes the same way."""

    def socket(name: str, kind: str, link: int | None) -> dict[str, Any]:
        return {"name": name, "type": kind, "link": link}

    nodes = [
        ui(4, "CheckpointLoaderSimple", ["base.safetensors"]),
        ui(5, "EmptyLatentImage", [512, 512, 1]),
        ui(6, "CLIPTextEncode", ["a fox"], [("clip", 2)]),
        ui(7, "CLIPTextEncode", ["blurry"], [("clip", 3)]),
        ui(20, "LoadImage", ["pose.png", "image"]),
        ui(21, "ControlNetLoader", ["openpose.safetensors"]),
        ui(22, "ControlNetApply", [0.9]),
        ui(3, "KSampler", [7, "fixed", 20, 6.0, "euler", "normal", 1.0]),
        ui(8, "VAEDecode", [], [("samples", 8), ("vae", 9)]),
        ui(9, "SaveImage", ["out"], [("images", 10)]),
        ui(30, "Anything Everywhere", []),
    ]  # fmt: skip
    nodes[6]["inputs"] = [socket("conditioning", "CONDITIONING", 11), socket("control_net", "CONTROL_NET", 12),
                          socket("image", "IMAGE", None)]  # fmt: skip
    nodes[7]["inputs"] = [socket("model", "MODEL", None), socket("positive", "CONDITIONING", 13),
                          socket("negative", "CONDITIONING", 14), socket("latent_image", "LATENT", 15)]  # fmt: skip
    nodes[10]["inputs"] = [socket("anything", "*", 20), socket("anything2", "*", 21)]
    links = [[2, 4, 1, 6, 0, "CLIP"], [3, 4, 1, 7, 0, "CLIP"], [8, 3, 0, 8, 0, "LATENT"], [9, 4, 2, 8, 1, "VAE"],
             [10, 8, 0, 9, 0, "IMAGE"], [11, 6, 0, 22, 0, "CONDITIONING"], [12, 21, 0, 22, 1, "CONTROL_NET"],
             [13, 22, 0, 3, 1, "CONDITIONING"], [14, 7, 0, 3, 2, "CONDITIONING"], [15, 5, 0, 3, 3, "LATENT"],
             [20, 20, 0, 30, 0, "IMAGE"], [21, 4, 0, 30, 1, "MODEL"]]  # fmt: skip
    if sources == 2:
        nodes.append(ui(23, "LoadImage", ["other.png", "image"]))
        nodes.append(ui(31, "Anything Everywhere", []))
        nodes[-1]["inputs"] = [socket("anything", "*", 22)]
        links.append([22, 23, 0, 31, 0, "IMAGE"])
    return {"nodes": nodes, "links": links, "version": 0.4}


def test_a_picture_broadcast_by_anything_everywhere_into_an_unlinked_input_is_listed() -> None:
    """The one picture broadcast to IMAGE inputs is the ControlNet's hint, and the one model the sampler's (the
    workflow read as clean, with no model)."""
    info = parse(Fields(png={"workflow": json.dumps(broadcast_workflow(1))}))
    assert info is not None
    assert [(t.kind, t.model, t.details.get("images")) for t in info.techniques] == [
        ("controlnet", "openpose", ["pose.png"])
    ]
    assert info.model is not None and info.model.name == "base.safetensors"


def test_two_pictures_broadcast_to_the_same_inputs_are_both_listed_to_check_by_hand() -> None:
    """Which of two broadcast pictures an unlinked input took depends on the broadcasters' settings: neither is
    guessed, both are listed, and a warning says to check by hand."""
    info = parse(Fields(png={"workflow": json.dumps(broadcast_workflow(2))}))
    assert info is not None
    assert inputs_seen(info) == [("controlnet", None, ["other.png", "pose.png"])]
    assert any(w.startswith("unlinked IMAGE inputs take one of the 2 values Anything") for w in info.warnings)


# --- LoRA Manager -------------------------------------------------------------------------------------------


def test_lora_manager_s_loader_names_its_active_loras() -> None:
    """LoRA Manager's loader applies the active entries of its `loras` list (names without their extension); an
    inactive one is not a LoRA of the image (none was found)."""
    entries = [
        {"name": "lm_style", "strength": 0.6, "clipStrength": 0.6, "active": True},
        {"name": "unused_face", "strength": 1.0, "active": False},
    ]
    graph = base()
    graph["40"] = node("Lora Loader (LoraManager)", model=["4", 0], clip=["4", 1], text="<lora:lm_style:0.6>",
                       loras={"__value__": entries})  # fmt: skip
    graph["3"]["inputs"]["model"] = ["40", 0]
    workflow = [
        ui(4, "CheckpointLoaderSimple", ["base.safetensors"]),
        ui(40, "Lora Loader (LoraManager)", ["<lora:lm_style:0.6>", entries], [("model", 1)]),
        ui(6, "CLIPTextEncode", ["a fox"]),
        ui(5, "EmptyLatentImage", [512, 512, 1]),
        ui(3, "KSampler", [7, "fixed", 20, 6.0, "euler", "normal", 1.0],
           [("model", 2), ("positive", 3), ("negative", 3), ("latent_image", 4)]),
    ]  # fmt: skip
    links = [[1, 4, 0, 40, 0, "MODEL"], [2, 40, 0, 3, 0, "MODEL"], [3, 6, 0, 3, 1, "C"], [4, 5, 0, 3, 3, "L"]]
    for info in (read(graph), read_ui(workflow, links)):
        assert {ref.name: ref.weight for ref in info.loras} == {"lm_style": 0.6}


# --- loaders told what to load by another node ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("class_type", "inputs", "linked", "shown"),
    [
        ("Load Image Batch", {"mode": "single_image", "index": 0, "label": "Batch 001", "pattern": "*"}, "path",
         "C:/photos/set1"),
        ("Image Loader (custom)", {}, "image_path", "/data/in.png"),
    ],
)  # fmt: skip
def test_a_loader_whose_file_or_folder_comes_from_a_text_node_is_still_a_loader(
    class_type: str, inputs: dict[str, Any], linked: str, shown: str
) -> None:
    """WAS's Load Image Batch with its folder, or any *Load*Image* node with its file, linked from a text node:
    the picture it loads is an input (it read as a clean text-to-image: only a loader with no links counted)."""
    graph = base()
    graph["21"] = node("Text Multiline", text=shown)
    graph["14"] = node(class_type, **inputs, **{linked: ["21", 0]})
    graph["30"] = node("VAEEncode", pixels=["14", 0], vae=["4", 2])
    graph["3"]["inputs"].update(latent_image=["30", 0], denoise=0.6)
    for info in (read(graph), as_workflow(graph)):
        assert [t.kind for t in info.techniques] == ["img2img"]
    assert inputs_seen(read(graph)) == [("img2img", None, [shown])]


def wan_wrapper_text_to_video(*, v2: bool = False, from_settings: bool = False) -> dict[str, Any]:
    """kijai's WanVideoWrapper text-to-video, written from `nodes_sampler.py` (WanVideoSampler, WanVideoSamplerv2,
    WanVideoSchedulerv2), `nodes.py` (WanVideoTextEncode, WanVideoEmptyEmbeds, WanVideoDecode) and
    `nodes_model_loading.py` (WanVideoModelLoader taking a chain of WanVideoLoraSelect / WanVideoLoraSelectMulti,
    whose prev_lora links them; a strength of 0 leaves a LoRA out)."""
    graph = {
        "20": node("WanVideoLoraSelect", lora="wan_style.safetensors", strength=0.8, low_mem_load=False,
                   merge_loras=True),
        "21": node("WanVideoLoraSelectMulti", lora_0="wan_motion.safetensors", strength_0=0.5,
                   lora_1="wan_unused.safetensors", strength_1=0.0, lora_2="none", strength_2=1.0, lora_3="none",
                   strength_3=1.0, lora_4="none", strength_4=1.0, low_mem_load=False, merge_loras=True,
                   prev_lora=["20", 0]),
        "1": node("WanVideoModelLoader", model="wan2.1_t2v_14B_fp8.safetensors", base_precision="bf16",
                  quantization="fp8_e4m3fn", load_device="offload_device", attention_mode="sdpa", lora=["21", 0]),
        "2": node("WanVideoVAELoader", model_name="wan_2.1_vae.safetensors", precision="bf16"),
        "3": node("LoadWanVideoT5TextEncoder", model_name="umt5-xxl-enc-bf16.safetensors", precision="bf16",
                  load_device="offload_device", quantization="disabled"),
        "4": node("WanVideoTextEncode", positive_prompt="a koi pond at dusk", negative_prompt="low quality",
                  force_offload=True, t5=["3", 0]),
        "5": node("WanVideoEmptyEmbeds", width=832, height=480, num_frames=81),
        "9": node("WanVideoSampler", steps=25, cfg=5.5, shift=8.0, seed=1234, force_offload=True, scheduler="dpm++",
                  riflex_freq_index=0, denoise_strength=1.0, model=["1", 0], image_embeds=["5", 0],
                  text_embeds=["4", 0]),
        "10": node("WanVideoDecode", enable_vae_tiling=False, vae=["2", 0], samples=["9", 0]),
        "11": node("VHS_VideoCombine", frame_rate=16, loop_count=0, filename_prefix="Wan", format="video/h264-mp4",
                   pingpong=False, save_output=True, images=["10", 0]),
    }  # fmt: skip
    if v2:
        graph["8"] = node("WanVideoSchedulerv2", scheduler="dpm++", steps=25, shift=8.0, start_step=0, end_step=-1)
        graph["9"] = node("WanVideoSamplerv2", cfg=5.5, seed=1234, force_offload=True, model=["1", 0],
                          image_embeds=["5", 0], text_embeds=["4", 0], scheduler=["8", 0])  # fmt: skip
    if from_settings:  # WanVideoSamplerSettings holds every input; WanVideoSamplerFromSettings runs with them
        graph["12"] = {**graph["9"], "class_type": "WanVideoSamplerSettings"}
        graph["9"] = node("WanVideoSamplerFromSettings", sampler_inputs=["12", 0])
    return graph


@pytest.mark.parametrize(("v2", "from_settings"), [(False, False), (True, False), (False, True)])
def test_wan_video_wrapper_s_sampler_is_read_with_its_prompts_model_loras_and_size(
    v2: bool, from_settings: bool
) -> None:
    """WanVideoSampler (the v2 sampler with its scheduler node, the "from settings" one with its settings node) is a
    sampler: its seed, steps, cfg, shift and scheduler, the prompts of WanVideoTextEncode, the model of
    WanVideoModelLoader, the LoRAs selected for it and the size of the empty embeds are read (nothing was: the
    sampler was a node type not understood)."""
    graph = wan_wrapper_text_to_video(v2=v2, from_settings=from_settings)
    for info in (read(graph), as_workflow(graph)):
        assert (info.prompt, info.negative_prompt) == ("a koi pond at dusk", "low quality")
        assert (info.seed, info.steps, info.cfg, info.sampler, info.scheduler) == (1234, 25, 5.5, None, "dpm++")
        assert info.params["shift"] == 8.0
        assert info.model is not None and info.model.name == "wan2.1_t2v_14B_fp8.safetensors"
        assert info.vae is not None and info.vae.name == "wan_2.1_vae.safetensors"
        assert {ref.name: ref.weight for ref in info.loras} == {"wan_style": 0.8, "wan_motion": 0.5}
        assert (info.width, info.height) == (832, 480)
        assert inputs_seen(info) == []
        assert "unknown_node_types" not in info.params
        assert not any("computed at run time" in warning for warning in info.warnings)  # the loader's LoRA list


def test_wan_2_2_s_two_wrapper_samplers_in_a_row_read_as_one_video() -> None:
    """Wan 2.2's high-noise and low-noise passes: the second sampler continues the first one's samples; it is the
    final sampler, and the size comes from the embeds at the head of the chain."""
    graph = wan_wrapper_text_to_video()
    graph["12"] = node("WanVideoModelLoader", model="wan2.2_t2v_low_noise_14B.safetensors", base_precision="bf16",
                       quantization="disabled", load_device="offload_device")  # fmt: skip
    graph["13"] = node("WanVideoSampler", steps=25, cfg=1.0, shift=8.0, seed=1234, force_offload=True,
                       scheduler="dpm++", riflex_freq_index=0, start_step=12, end_step=-1, model=["12", 0],
                       image_embeds=["5", 0], text_embeds=["4", 0], samples=["9", 0])  # fmt: skip
    graph["10"]["inputs"]["samples"] = ["13", 0]
    info = read(graph)
    assert info.params["final_sampler"] == "13"
    assert info.model is not None and info.model.name == "wan2.2_t2v_low_noise_14B.safetensors"
    assert [ref.name for ref in info.other_resources] == ["wan2.1_t2v_14B_fp8.safetensors"]
    assert (info.cfg, info.width, info.height, info.prompt) == (1.0, 832, 480, "a koi pond at dusk")
    assert [s["node"] for s in info.samplers] == ["9", "13"]


def test_a_start_frame_also_encoded_by_wan_video_wrapper_s_clip_vision_node_is_a_reference_too() -> None:
    """WanVideoClipVisionEncode encodes its image_1 for the image-to-video embeds: a reference input of its own
    (it reached sampling only through the image-to-video node, as img2img), beside the start frame."""
    graph = wan_wrapper_image_to_video()
    graph["12"] = node("CLIPVisionLoader", clip_name="clip_vision_h.safetensors")
    graph["13"] = node("WanVideoClipVisionEncode", strength_1=1.0, strength_2=1.0, crop="center",
                       combine_embeds="average", force_offload=True, clip_vision=["12", 0], image_1=["6", 0])  # fmt: skip
    graph["8"]["inputs"]["clip_embeds"] = ["13", 0]
    for info in (read(graph), as_workflow(graph)):
        assert sorted(inputs_seen(info)) == [
            ("img2img", "WanVideoImageToVideoEncode", ["dancer.png"]),
            ("reference", "WanVideoClipVisionEncode", ["dancer.png"]),
        ]
        assert (info.prompt, info.seed, info.scheduler) == ("a dancer", 99, "unipc")


def test_wan_video_wrapper_s_cached_encoder_through_nag_gives_both_prompts() -> None:
    """WanVideoTextEncodeCached (its own T5 loading) through WanVideoApplyNAG: the original embeds carry both prompts;
    the NAG embeds (the negative prompt alone) are no prompt of their own."""
    graph = wan_wrapper_text_to_video()
    del graph["3"]
    graph["4"] = node("WanVideoTextEncodeCached", model_name="umt5-xxl-enc-bf16.safetensors", precision="bf16",
                      positive_prompt="a koi", negative_prompt="low quality", quantization="disabled",
                      use_disk_cache=True, device="gpu")  # fmt: skip
    graph["30"] = node("WanVideoApplyNAG", original_text_embeds=["4", 0], nag_text_embeds=["4", 1], nag_scale=11.0,
                       nag_tau=2.5, nag_alpha=0.25)  # fmt: skip
    graph["9"]["inputs"]["text_embeds"] = ["30", 0]
    for info in (read(graph), as_workflow(graph)):
        assert (info.prompt, info.negative_prompt) == ("a koi", "low quality")
        assert "unknown_node_types" not in info.params


@pytest.mark.parametrize(
    "broken",
    [
        {"steps": "many", "cfg": [1, 2], "seed": None, "scheduler": {"x": 1}, "shift": "big"},
        {"scheduler": ["404", 0], "text_embeds": ["404", 0], "image_embeds": ["9", 0], "model": ["9", 0]},
    ],
)
def test_a_malformed_wan_video_wrapper_sampler_reads_as_unknown_settings(broken: dict[str, Any]) -> None:
    """Wrong types, or links to missing nodes and to the sampler itself: what they hold is left unread (the rest
    is read), never a crash."""
    graph = wan_wrapper_text_to_video()
    graph["9"]["inputs"].update(broken)
    info = read(graph)
    if "steps" in broken:
        assert (info.steps, info.cfg, info.seed, info.scheduler, info.params.get("shift")) == (None,) * 5
        assert info.prompt == "a koi pond at dusk"
    else:
        assert (info.prompt, info.model, info.width, info.steps) == (None, None, None, 25)
