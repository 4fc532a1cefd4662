"""ComfyUI graphs where a loaded image reaches the saved output without going through a sampler.

Pasting someone's picture into the output, swapping a face in, or saving an upscaled copy of a
loaded file are image inputs as much as img2img is: they are listed with their own kind
(`composite`, `face_swap`, `edit`) and ranked by the owner's table, never reported as "no
image-input technique". Graphs are synthetic, written from the node suites' public definitions
(ComfyUI core `nodes.py` / `comfy_extras/nodes_images.py`, Gourieff/comfyui-reactor-node
`nodes.py`); the end-to-end cases are real PNGs with a `prompt` or `workflow` text chunk.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fixtures.common import corpus_manifest
from fixtures.corpus_check import CORPUS
from PIL import Image, PngImagePlugin

from tracker.accountability.report import ReportContext, build_report
from tracker.accountability.risk import load_risk_table, shipped_risk_path
from tracker.accountability.rules import check_rules
from tracker.metadata.comfyui import parse
from tracker.metadata.fields import Fields
from tracker.metadata.info import GenerationInfo
from tracker.metadata.reader import read_image


def node(class_type: str, **inputs: Any) -> dict[str, Any]:
    return {"class_type": class_type, "inputs": inputs}


def base() -> dict[str, Any]:
    """Text-to-image with a LoRA: checkpoint, LoRA, two prompts, empty latent, KSampler, decode, save."""
    return {
        "4": node("CheckpointLoaderSimple", ckpt_name="v1-5-pruned-emaonly.ckpt"),
        "10": node("LoraLoader", lora_name="epiNoiseoffset_v2.safetensors", strength_model=1.0, strength_clip=1.0,
                   model=["4", 0], clip=["4", 1]),
        "5": node("EmptyLatentImage", width=512, height=512, batch_size=1),
        "6": node("CLIPTextEncode", text="masterpiece best quality girl", clip=["10", 1]),
        "7": node("CLIPTextEncode", text="bad hands", clip=["10", 1]),
        "3": node("KSampler", seed=851616030078638, steps=20, cfg=8.0, sampler_name="euler", scheduler="normal",
                  denoise=1.0, model=["10", 0], positive=["6", 0], negative=["7", 0], latent_image=["5", 0]),
        "8": node("VAEDecode", samples=["3", 0], vae=["4", 2]),
        "9": node("SaveImage", filename_prefix="ComfyUI", images=["8", 0]),
    }  # fmt: skip


def reactor(input_image: list[Any], **face: Any) -> dict[str, Any]:
    """ReActorFaceSwap as comfyui-reactor-node defines it: the picture, then the face (image or model)."""
    return node("ReActorFaceSwap", enabled=True, input_image=input_image, swap_model="inswapper_128.onnx",
                facedetection="retinaface_resnet50", face_restore_model="codeformer-v0.1.0.pth",
                face_restore_visibility=1, codeformer_weight=0.5, detect_gender_input="no",
                detect_gender_source="no", input_faces_index="0", source_faces_index="0", console_log_level=1,
                **face)  # fmt: skip


def read(graph: dict[str, Any]) -> GenerationInfo:
    info = parse(Fields(png={"prompt": json.dumps(graph)}))
    assert info is not None
    return info


def inputs_seen(info: GenerationInfo) -> list[tuple[str, str | None, Any]]:
    """(kind, module, image files) of every image input, as a user reads them."""
    return [(t.kind, t.module, t.details.get("images")) for t in info.techniques]


def findings(info: GenerationInfo) -> list[tuple[str, str, str]]:
    return [(f.code, f.severity, f.message) for f in check_rules(info, load_risk_table(shipped_risk_path()))]


def png(path: Path, key: str, graph: dict[str, Any]) -> Path:
    chunk = PngImagePlugin.PngInfo()
    chunk.add_text(key, json.dumps(graph))
    Image.new("RGB", (64, 64), (9, 19, 29)).save(path, pnginfo=chunk)
    return path


def composite_graph() -> dict[str, Any]:
    graph = base()
    graph["11"] = node("LoadImage", image="someone_elses_drawing.png", upload="image")
    graph["24"] = node("ImageCompositeMasked", x=0, y=0, resize_source=False, destination=["8", 0], source=["11", 0])
    graph["9"]["inputs"]["images"] = ["24", 0]
    return graph


def upscaled_copy_graph() -> dict[str, Any]:
    graph = base()
    graph["11"] = node("LoadImage", image="someone_elses_drawing.png", upload="image")
    graph["25"] = node("ImageScaleBy", upscale_method="lanczos", scale_by=2.0, image=["11", 0])
    graph["9"]["inputs"]["images"] = ["25", 0]
    return graph


# --- pasted in ----------------------------------------------------------------------------------


def test_a_loaded_picture_pasted_into_the_output_is_a_composite_input() -> None:
    info = read(composite_graph())
    assert inputs_seen(info) == [("composite", "ImageCompositeMasked", ["someone_elses_drawing.png"])]
    assert info.model is not None and info.model.name == "v1-5-pruned-emaonly.ckpt"  # the sampler made the rest
    assert any(
        code == "INPUT_IMAGE" and "composite / ImageCompositeMasked, risk reproduces" in message
        for code, _, message in findings(info)
    )
    graph = composite_graph()  # shown only in its own preview, beside the generated picture: not an input
    graph["9"]["inputs"]["images"] = ["8", 0]
    graph["12"] = node("PreviewImage", images=["11", 0])
    assert read(graph).techniques == []
    graph = base()  # a loaded file's prompt text and size handed to a saver, not its pixels
    graph["11"] = node("AcmeLoadImageWithPrompt", image="old_render.png")
    graph["9"] = node("AcmePromptSaver", images=["8", 0], positive=["11", 2], filename_prefix=["11", 3])
    graph["5"]["inputs"].update(width=["11", 4], height=["11", 5])
    info = read(graph)
    assert info.techniques == []
    assert info.model is not None and info.model.name == "v1-5-pruned-emaonly.ckpt"


def test_blends_batches_and_latent_composites_with_generated_pixels_are_composites() -> None:
    graph = base()
    graph["11"] = node("LoadImage", image="photo.jpg")
    graph["24"] = node("ImageBlend", image1=["8", 0], image2=["11", 0], blend_factor=0.5, blend_mode="normal")
    graph["9"]["inputs"]["images"] = ["24", 0]
    assert inputs_seen(read(graph)) == [("composite", "ImageBlend", ["photo.jpg"])]
    graph = base()
    graph["11"] = node("LoadImage", image="photo.jpg")
    graph["24"] = node("ImageScale", image=["11", 0], upscale_method="bilinear", width=512, height=512, crop="center")
    graph["25"] = node("ImageBatch", image1=["8", 0], image2=["24", 0])
    graph["9"]["inputs"]["images"] = ["25", 0]
    assert inputs_seen(read(graph)) == [("composite", "ImageBatch", ["photo.jpg"])]
    graph = base()
    graph["11"] = node("LoadImage", image="photo.jpg")
    graph["24"] = node("VAEEncode", pixels=["11", 0], vae=["4", 2])
    graph["25"] = node("LatentComposite", samples_to=["3", 0], samples_from=["24", 0], x=0, y=0, feather=0)
    graph["8"]["inputs"]["samples"] = ["25", 0]
    assert inputs_seen(read(graph)) == [("composite", "LatentComposite", ["photo.jpg"])]


def test_an_inpaint_paste_back_is_listed_beside_the_inpaint() -> None:
    graph = base()
    graph["11"] = node("LoadImage", image="their_photo.png")
    graph["12"] = node("VAEEncodeForInpaint", pixels=["11", 0], vae=["4", 2], mask=["11", 1], grow_mask_by=6)
    graph["3"]["inputs"]["latent_image"] = ["12", 0]
    graph["24"] = node("ImageCompositeMasked", x=0, y=0, resize_source=False, destination=["11", 0],
                       source=["8", 0], mask=["11", 1])  # fmt: skip
    graph["9"]["inputs"]["images"] = ["24", 0]
    assert inputs_seen(read(graph)) == [
        ("inpaint", None, ["their_photo.png"]),
        ("composite", "ImageCompositeMasked", ["their_photo.png"]),
    ]


# --- face swaps ---------------------------------------------------------------------------------


def test_a_reactor_face_swap_from_a_loaded_photo_is_an_identity_input() -> None:
    graph = base()
    graph["11"] = node("LoadImage", image="celebrity.jpg", upload="image")
    graph["23"] = reactor(["8", 0], source_image=["11", 0])
    graph["9"]["inputs"]["images"] = ["23", 0]
    info = read(graph)
    assert [(t.kind, t.module, t.model, t.details["images"]) for t in info.techniques] == [
        ("face_swap", "ReActorFaceSwap", "inswapper_128", ["celebrity.jpg"])
    ]
    assert not any("not understood" in w for w in info.warnings)
    assert any(code == "IDENTITY_INPUT" and severity == "problem" for code, severity, _ in findings(info))


def test_a_saved_face_model_and_a_loaded_target_picture_are_both_reported() -> None:
    graph = base()
    graph["11"] = node("LoadImage", image="holiday_photo.png")
    graph["12"] = node("ReActorLoadFaceModel", face_model="celebrity.safetensors")
    graph["23"] = reactor(["11", 0], face_model=["12", 0])
    graph["9"]["inputs"]["images"] = ["23", 0]
    info = read(graph)
    assert inputs_seen(info) == [
        ("face_swap", "ReActorFaceSwap", ["celebrity.safetensors"]),
        ("edit", "ReActorFaceSwap", ["holiday_photo.png"]),  # the saved picture is that photo, face swapped
    ]
    assert not any("not understood" in w for w in info.warnings)


def test_a_face_swap_of_an_unknown_suite_is_identity_and_still_checked_by_hand() -> None:
    graph = base()
    graph["11"] = node("LoadImage", image="celebrity.jpg")
    graph["23"] = node("AcmeFaceSwapper", target=["8", 0], source_face=["11", 0], blend=1.0)
    graph["9"]["inputs"]["images"] = ["23", 0]
    info = read(graph)
    assert inputs_seen(info) == [("face_swap", "AcmeFaceSwapper", ["celebrity.jpg"])]
    assert any("not understood: AcmeFaceSwapper" in w for w in info.warnings)
    assert any(code == "IDENTITY_INPUT" for code, _, _ in findings(info))


# --- the saved picture is a loaded file ---------------------------------------------------------


def test_an_upscaled_copy_of_a_loaded_file_is_an_edit_and_the_graphs_models_did_not_make_it() -> None:
    info = read(upscaled_copy_graph())
    assert inputs_seen(info) == [("edit", "ImageScaleBy", ["someone_elses_drawing.png"])]
    assert info.model is None and info.loras == [] and info.seed is None and info.prompt is None
    assert info.params["not_run"] == ["v1-5-pruned-emaonly.ckpt", "epiNoiseoffset_v2"]
    warning = next(w for w in info.warnings if w.startswith("no sampler is connected to an output"))
    assert "the saved image is a loaded image" in warning and "epiNoiseoffset_v2" in warning
    assert any("edit / ImageScaleBy, risk reproduces" in message for _, _, message in findings(info))
    # No model ran, and the warning above says why: not also "the model is not named".
    assert "MODEL_UNNAMED" not in [code for code, _, _ in findings(info)]
    generated = read(base())
    generated.model = None
    assert "MODEL_UNNAMED" in [code for code, _, _ in findings(generated)]


def test_a_loaded_file_saved_as_it_is_or_upscaled_by_a_model_without_any_sampler() -> None:
    graph = {
        "1": node("LoadImage", image="found_online.webp"),
        "2": node("SaveImage", filename_prefix="x", images=["1", 0]),
    }
    assert inputs_seen(read(graph)) == [("edit", None, ["found_online.webp"])]
    graph = {
        "1": node("LoadImageFromUrl", url="https://example.com/art.png"),
        "2": node("UpscaleModelLoader", model_name="4x-UltraSharp.pth"),
        "3": node("ImageUpscaleWithModel", upscale_model=["2", 0], image=["1", 0]),
        "4": node("SaveImage", filename_prefix="x", images=["3", 0]),
    }
    assert inputs_seen(read(graph)) == [("edit", "ImageUpscaleWithModel", ["https://example.com/art.png"])]


def test_an_unknown_node_between_the_loaded_image_and_the_output_is_checked_by_hand() -> None:
    graph = base()
    graph["11"] = node("LoadImage", image="someone_else.png")
    graph["24"] = node("AcmeMagicFilter", picture=["11", 0], other=["8", 0], power=3)
    graph["9"]["inputs"]["images"] = ["24", 0]
    info = read(graph)
    assert inputs_seen(info) == [("unknown", None, ["someone_else.png"])]
    flag = next(w for w in info.warnings if w.startswith("image input of unknown kind: check by hand"))
    assert "reaches the saved output through AcmeMagicFilter -> SaveImage" in flag
    assert any(code == "INPUT_IMAGE" and "risk unknown" in message for code, _, message in findings(info))


def test_a_video_combiner_showing_the_loaded_frames_is_an_output_too() -> None:
    graph = base()
    graph["11"] = node("VHS_LoadVideo", video="their_clip.mp4", force_rate=0, frame_load_cap=16)
    graph["24"] = node("ImageBatch", image1=["11", 0], image2=["8", 0])
    graph["9"] = node("VHS_VideoCombine", images=["24", 0], frame_rate=8, loop_count=0, filename_prefix="v",
                      format="video/h264-mp4", pingpong=False, save_output=True)  # fmt: skip
    assert inputs_seen(read(graph)) == [("composite", "ImageBatch", ["their_clip.mp4"])]


# --- end to end: files on disk ------------------------------------------------------------------


def test_png_files_report_the_three_cases(tmp_path: Path) -> None:
    ctx = ReportContext(risks=load_risk_table(shipped_risk_path()))
    graph = base()
    graph["11"] = node("LoadImage", image="celebrity.jpg", upload="image")
    graph["23"] = reactor(["8", 0], source_image=["11", 0])
    graph["9"]["inputs"]["images"] = ["23", 0]
    cases = {
        "comfy_composite.png": ("prompt", composite_graph()),
        "comfy_reactor.png": ("prompt", graph),
        "comfy_saves_loaded.png": ("prompt", upscaled_copy_graph()),
    }
    reports = {}
    for name, (key, content) in cases.items():
        reading = read_image(png(tmp_path / name, key, content))
        reports[name] = build_report(reading.info, ctx, reading.problems)
    kinds = {name: [(t["kind"], t["risk_class"]) for t in r["techniques"]] for name, r in reports.items()}
    assert kinds == {
        "comfy_composite.png": [("composite", "reproduces")],
        "comfy_reactor.png": [("face_swap", "identity")],
        "comfy_saves_loaded.png": [("edit", "reproduces")],
    }
    loaded = reports["comfy_saves_loaded.png"]
    assert loaded["model"] is None and loaded["loras"] == [] and loaded["credits"] is None
    assert reports["comfy_reactor.png"]["findings"][0]["code"] == "IDENTITY_INPUT"


def test_a_ui_workflow_file_with_a_pasted_picture(tmp_path: Path) -> None:
    def ui(node_id: int, type_: str, widgets: Any, inputs: list[tuple[str, int]]) -> dict[str, Any]:
        return {"id": node_id, "type": type_, "mode": 0, "widgets_values": widgets,
                "inputs": [{"name": n, "type": "*", "link": link} for n, link in inputs]}  # fmt: skip

    workflow = {
        "nodes": [
            ui(4, "CheckpointLoaderSimple", ["base.safetensors"], []),
            ui(5, "EmptyLatentImage", [512, 512, 1], []),
            ui(6, "CLIPTextEncode", ["a cat"], [("clip", 2)]),
            ui(3, "KSampler", [5, "fixed", 20, 7, "euler", "normal", 1],
               [("model", 1), ("positive", 3), ("negative", 3), ("latent_image", 4)]),
            ui(8, "VAEDecode", [], [("samples", 5), ("vae", 6)]),
            ui(11, "LoadImage", ["their_logo.png", "image"], []),
            ui(24, "ImageCompositeMasked", [0, 0, False], [("destination", 7), ("source", 8)]),
            ui(9, "SaveImage", ["x"], [("images", 9)]),
        ],
        "links": [[1, 4, 0, 3, 0, "MODEL"], [2, 4, 1, 6, 0, "CLIP"], [3, 6, 0, 3, 1, "CONDITIONING"],
                  [4, 5, 0, 3, 3, "LATENT"], [5, 3, 0, 8, 0, "LATENT"], [6, 4, 2, 8, 1, "VAE"],
                  [7, 8, 0, 24, 0, "IMAGE"], [8, 11, 0, 24, 1, "IMAGE"], [9, 24, 0, 9, 0, "IMAGE"]],
    }  # fmt: skip
    info = read_image(png(tmp_path / "ui.png", "workflow", workflow)).info
    assert info is not None
    assert inputs_seen(info) == [("composite", "ImageCompositeMasked", ["their_logo.png"])]


def test_corpus_inpaint_example_pastes_the_loaded_photo_back() -> None:
    corpus_manifest()  # skips when ../shared/corpus is absent
    path = CORPUS / "files/comfyanonymous__ComfyUI_examples/stable_cascade__stable_cascade__inpaint_controlnet.png"
    if not path.is_file():
        pytest.skip("the corpus has no Stable Cascade inpaint example")
    info = read_image(path).info
    assert info is not None
    assert ("composite", "ImageCompositeMasked", ["yosemite_inpaint_example.png"]) in inputs_seen(info)
