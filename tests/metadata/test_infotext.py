"""The A1111/Forge infotext parser, on text written the way the webui writes it."""

from __future__ import annotations

from tracker.metadata.a1111 import parse_infotext, parse_settings_line, split_infotext


def test_multiline_prompt_and_negative() -> None:
    text = "line one,\nline two\nNegative prompt: bad,\nworse\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 5, Size: 512x768"
    info = parse_infotext(text, "t")
    assert info.prompt == "line one,\nline two"
    assert info.negative_prompt == "bad,\nworse"
    assert (info.steps, info.sampler, info.cfg, info.seed) == (20, "Euler a", 7.0, 5)
    assert (info.width, info.height) == (512, 768)


def test_prompt_only_without_settings_line_is_kept_whole() -> None:
    prompt, negative, settings = split_infotext("just a prompt, with: colon")
    assert (prompt, negative, settings) == ("just a prompt, with: colon", None, "")
    info = parse_infotext("just a prompt", "t")
    assert info.prompt == "just a prompt" and info.warnings


def test_json_quoted_values_and_raw_hashes_json() -> None:
    line = (
        'Steps: 20, Sampler: Euler, Seed: 1, Lora hashes: "a: 0123456789ab, b: ba9876543210", '
        'Hashes: {"model": "45a21ea00a", "lora:a": "0123456789", "embed:easyneg": "c74b4e810b"}, '
        'Note: "text, with \\"quotes\\" and: colon", Version: v1.10.1'
    )
    params = parse_settings_line(line)
    assert params["Lora hashes"] == "a: 0123456789ab, b: ba9876543210"
    assert params["Hashes"] == {"model": "45a21ea00a", "lora:a": "0123456789", "embed:easyneg": "c74b4e810b"}
    assert params["Note"] == 'text, with "quotes" and: colon'
    assert params["Version"] == "v1.10.1"


def test_model_loras_embeddings_and_hash_kinds() -> None:
    text = (
        "a <lora:styleA:0.6> b <lora:folder/styleB> <lyco:lyc:0.3:0.5>\n"
        "Steps: 20, Sampler: Euler, Seed: 1, Model hash: 0x45A21EA00A, Model: wai, "
        'Lora hashes: "styleA: 0123456789ab, styleB: ffffffffffff", TI hashes: "easyneg: c74b4e810b0c", '
        'Hashes: {"lora:lyc": "aaaaaaaaaa"}'
    )
    info = parse_infotext(text, "t")
    assert info.model is not None
    assert (info.model.name, info.model.hash, info.model.hash_kind) == ("wai", "45a21ea00a", "autov2")
    loras = {l.name: (l.hash, l.hash_kind, l.weight) for l in info.loras}
    assert loras == {
        "styleA": ("0123456789ab", "short12", 0.6),
        "styleB": ("ffffffffffff", "short12", 1.0),
        "lyc": ("aaaaaaaaaa", "autov2", 0.3),
    }
    assert [(e.name, e.hash) for e in info.embeddings] == [("easyneg", "c74b4e810b0c")]


def test_denoising_means_img2img_only_without_hires() -> None:
    base = "p\nSteps: 20, Sampler: Euler, Seed: 1, Size: 512x512, Denoising strength: 0.45"
    img2img = parse_infotext(base, "t")
    assert [(t.kind, t.weight) for t in img2img.techniques] == [("img2img", 0.45)]
    hires = parse_infotext(base + ", Hires upscale: 2, Hires upscaler: Latent", "t")
    assert hires.techniques == [] and hires.hires is not None
    legacy_hires = parse_infotext(base + ", First pass size: 256x256", "t")
    assert legacy_hires.techniques == []
    inpaint = parse_infotext(base + ", Mask blur: 4", "t")
    assert [t.kind for t in inpaint.techniques] == ["inpaint"]


def test_controlnet_current_layout() -> None:
    text = (
        'p\nSteps: 20, Sampler: Euler, Seed: 1, ControlNet 0: "Module: depth_midas, Model: control_v11f1p_sd15_depth '
        "[cfd03158], Weight: 0.75, Resize Mode: Crop and Resize, Processor Res: 512, Threshold A: -1, "
        'Threshold B: -1, Guidance Start: 0.0, Guidance End: 1.0, Pixel Perfect: True, Control Mode: Balanced", '
        'ControlNet 1: "Module: ip-adapter_clip_sd15, Model: ip-adapter-plus_sd15 [c817b455], Weight: 0.5"'
    )
    units = parse_infotext(text, "t").techniques
    assert [(u.kind, u.unit, u.module, u.model, u.model_hash, u.weight) for u in units] == [
        ("controlnet", 0, "depth_midas", "control_v11f1p_sd15_depth", "cfd03158", 0.75),
        ("ipadapter", 1, "ip-adapter_clip_sd15", "ip-adapter-plus_sd15", "c817b455", 0.5),
    ]


def test_controlnet_legacy_and_oldest_layouts() -> None:
    legacy = (
        'p\nSteps: 20, Sampler: Euler, Seed: 1, ControlNet 0: "preprocessor: openpose, model: control_sd15_openpose '
        "[fef5e48e], weight: 1, starting/ending: (0, 1), resize mode: Crop and Resize, pixel perfect: False, "
        'control mode: Balanced, preprocessor params: (512, 100, 200)"'
    )
    unit = parse_infotext(legacy, "t").techniques[0]
    assert (unit.module, unit.model, unit.model_hash, unit.weight) == (
        "openpose",
        "control_sd15_openpose",
        "fef5e48e",
        1.0,
    )
    assert unit.details["preprocessor_params"] == "(512, 100, 200)"
    oldest = "p\nSteps: 20, Sampler: Euler, Seed: 1, ControlNet Enabled: True, ControlNet Module: none, ControlNet Model: control_sd15_scribble(fef5e48e)"
    unit = parse_infotext(oldest, "t").techniques[0]
    assert (unit.kind, unit.module, unit.model, unit.model_hash, unit.weight) == (
        "controlnet",
        None,
        "control_sd15_scribble",
        "fef5e48e",
        None,
    )
    lowercase = 'p\nSteps: 20, Sampler: Euler, Seed: 1, Controlnet 0: "Module: lineart_anime, Model: control_v11p_sd15s2_lineart_anime [3825e83e], Weight: 1"'
    assert parse_infotext(lowercase, "t").techniques[0].module == "lineart_anime"


def test_version_tells_forge_from_a1111() -> None:
    line = "p\nSteps: 20, Sampler: Euler, Seed: 1, Version: "
    assert parse_infotext(line + "f2.0.1v1.10.1-previous-669-gdfdcbab6", "t").generator == "forge"
    assert parse_infotext(line + "classic", "t").generator == "forge"
    assert parse_infotext(line + "neo", "t").generator == "forge"
    assert parse_infotext(line + "v1.10.1", "t").generator == "a1111"
    assert parse_infotext("p\nSteps: 20, Sampler: Euler, Seed: 1", "t").generator == "a1111"


def test_adetailer_and_hires_checkpoint_are_resources_not_inputs() -> None:
    text = (
        "p\nSteps: 20, Sampler: Euler, Seed: 1, Denoising strength: 0.3, Hires upscale: 1.5, "
        "Hires checkpoint: otherModel [abcdef0123], Hires upscaler: 4x-UltraSharp, "
        "ADetailer model: face_yolov8n.pt, ADetailer denoising strength: 0.4, ADetailer version: 24.9.0"
    )
    info = parse_infotext(text, "t")
    assert info.techniques == []
    roles = {(r.kind, r.name, r.role) for r in info.other_resources}
    assert ("checkpoint", "otherModel", "hires") in roles
    assert ("detector", "face_yolov8n.pt", "adetailer") in roles


def test_garbage_never_raises() -> None:
    for text in ["", "\n\n", "Steps: x, Sampler: , Seed: 1e999, Size: 10xx", 'a: "unterminated, b: {', "::::,,,,"]:
        info = parse_infotext(text, "t")
        assert info.seed is None or isinstance(info.seed, int)


def test_civitai_trailers_name_the_model_and_mark_the_generator() -> None:
    text = (
        "a cat <lora:catstyle:0.8>\nNegative prompt: bad\n"
        "Steps: 25, Sampler: Euler a, CFG scale: 5, Seed: 13, Size: 1024x1024, Clip skip: 2, "
        "Created Date: 2026-01-04T01:27:21.2717070Z, Civitai resources: "
        '[{"type":"checkpoint","modelVersionId":2514310,"modelName":"WAI-illustrious-SDXL","modelVersionName":"v16.0"},'
        '{"type":"lora","weight":0.6,"modelVersionId":99,"modelName":"Ink Style"}], '
        'Civitai metadata: {"workflow":"img2img","remixOfId":5}'
    )
    info = parse_infotext(text, "t")
    assert info.generator == "civitai"
    assert info.model is not None and (info.model.name, info.model.hash) == ("WAI-illustrious-SDXL", None)
    assert {(l.name, l.weight) for l in info.loras} == {("catstyle", 0.8), ("Ink Style", 0.6)}
    assert [t.kind for t in info.techniques] == ["img2img"]
    assert info.params["Civitai resources"][0]["modelVersionId"] == 2514310


def test_fabric_feedback_images_are_image_inputs() -> None:
    text = (
        "p\nSteps: 20, Sampler: Euler, Seed: 1, fabric_start: 0.0, fabric_end: 0.8, fabric_max_weight: 0.8, "
        'fabric_pos_images: "[\\"liked-1.png\\", \\"liked-2.png\\"]", fabric_neg_images: "[]"'
    )
    units = parse_infotext(text, "t").techniques
    assert [(u.kind, u.module, u.weight, u.details["images"]) for u in units] == [
        ("fabric", "positive feedback", 0.8, 2)
    ]


def test_huge_text_is_not_parsed_and_never_hangs() -> None:
    word_run = "a" * 2_000_000
    info = parse_infotext(word_run + "\nSteps: 1, Sampler: x, Seed: 2", "t")
    assert info.warnings and info.seed is None
    long_line = "x" * 500_000 + "\nSteps: 20, Sampler: Euler, Seed: 3"
    assert parse_infotext(long_line, "t").seed == 3


def test_comfyui_saver_lora_fields() -> None:
    text = (
        "p\nSteps: 20, Sampler: euler, CFG Scale: 3.5, Seed: 1, Lora_0 Model name: flux-photo_v6.safetensors, "
        "Lora_0 Model hash: f1380a97cf, Lora_0 Strength model: 0.15, Lora_0 Strength clip: 0.15, Version: ComfyUI"
    )
    info = parse_infotext(text, "t")
    assert info.generator == "comfyui" and info.cfg == 3.5
    assert [(l.name, l.hash, l.weight) for l in info.loras] == [("flux-photo_v6", "f1380a97cf", 0.15)]
