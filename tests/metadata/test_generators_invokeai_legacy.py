"""InvokeAI 1.x/2.x files read fully: `sd-metadata` JSON and `Dream` command lines, img2img included.

The records follow InvokeAI's own writers: `ldm/invoke/args.py` `metadata_dumps` (CLI:
`type: img2img`, `strength_steps`, `orig_hash`, `images` for grids, weighted `prompt` lists,
`variations`), the 2.x web server (`strength`, `init_image_path`, `fit`, `mask_image_path`,
`postprocessing` entries) and `dream_prompt_str` (the `Dream` line: `"prompt" -s -S -W -H -C -A`
then `-I -f --fit -M`, `-G -ft`, `-U scale strength`, `-V seed:weight,...`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fixtures.imagefactory import write_png

from tracker.metadata.info import GenerationInfo
from tracker.metadata.invokeai import parse_dream
from tracker.metadata.reader import read_image


def read(tmp_path: Path, sd: dict[str, Any] | None = None, dream: str | None = None) -> GenerationInfo:
    chunks: dict[str, str] = {}
    if sd is not None:
        chunks["sd-metadata"] = json.dumps(sd)
    if dream is not None:
        chunks["Dream"] = dream
    info = read_image(write_png(tmp_path / "invoke.png", chunks)).info
    assert info is not None and info.generator == "invokeai"
    return info


def inputs(info: GenerationInfo) -> list[tuple[str, float | None]]:
    return [(t.kind, t.weight) for t in info.techniques]


def test_1x_sd_metadata_grid_of_images(tmp_path: Path) -> None:
    sd = {
        "model": "stable diffusion",
        "model_id": "stable-diffusion-1.4",
        "model_hash": "fe4efff1e174c627256e44ec2991ba279b3816e364b49f9be2abc0b3ff3f8556",
        "app_id": "lstein/stable-diffusion",
        "app_version": "v1.15",
        "images": [
            {"prompt": [{"prompt": "an owl [blurry]", "weight": 1.0}], "seed": 11, "steps": 40, "cfg_scale": 7.5,
             "width": 512, "height": 512, "type": "txt2img", "sampler": "k_lms", "variations": [],
             "postprocessing": None},
            {"prompt": [{"prompt": "an owl [blurry]", "weight": 1.0}], "seed": 12, "steps": 40, "cfg_scale": 7.5,
             "width": 512, "height": 512, "type": "txt2img", "sampler": "k_lms", "variations": []},
        ],
    }  # fmt: skip
    info = read(tmp_path, sd)
    assert info.generator_version == "v1.15" and info.source == "png:sd-metadata"
    assert (info.prompt, info.negative_prompt, info.seed, info.steps, info.cfg) == ("an owl", "blurry", 11, 40, 7.5)
    assert (info.sampler, info.width, info.height) == ("k_lms", 512, 512)
    assert info.model is not None and info.model.name == "stable-diffusion-1.4" and info.model.hash_kind == "sha256"
    assert info.techniques == []


def test_2x_cli_img2img_reports_strength_and_the_init_image(tmp_path: Path) -> None:
    sd = {
        "model": "stable diffusion",
        "model_weights": "stable-diffusion-1.5",
        "model_hash": "cc6cb27103417325ff94f52b7a5d2dde45a7515b25c255d8e396c90014281516",
        "app_id": "invoke-ai/InvokeAI",
        "app_version": "2.2.5",
        "image": {
            "prompt": [{"prompt": "old sea captain with crow on shoulder", "weight": 1.0}],
            "steps": 50, "cfg_scale": 7.5, "threshold": 0, "perlin": 0, "width": 512, "height": 512,
            "seed": 2396987386, "type": "img2img", "sampler": "k_lms", "variations": [], "postprocessing": None,
            "init_img": "Lincoln-and-Parrot-512.png", "init_mask": None, "strength_steps": 0.75,
            "orig_hash": "9b735a1db326a00e240042d7f67cafdaa8094cc083038292785fab1b6c3c77c5", "inpaint_replace": 0.0,
        },
    }  # fmt: skip
    dream = (
        '"old sea captain with crow on shoulder" -s 50 -S 2396987386 -W 512 -H 512 -C 7.5 '
        "-I Lincoln-and-Parrot-512.png -A k_lms -f 0.75"
    )
    info = read(tmp_path, sd, dream)
    assert info.generator_version == "2.2.5" and info.model is not None and info.model.name == "stable-diffusion-1.5"
    assert inputs(info) == [("img2img", 0.75)]
    details = info.techniques[0].details
    assert details["init_image"] == "Lincoln-and-Parrot-512.png"
    assert details["init_image_hash"] == "9b735a1db326a00e240042d7f67cafdaa8094cc083038292785fab1b6c3c77c5"


def test_2x_web_img2img_and_inpaint_fields(tmp_path: Path) -> None:
    image: dict[str, Any] = {
        "prompt": [{"prompt": "a castle on a hill [fog]", "weight": 1}],
        "steps": 30, "cfg_scale": 8, "width": 768, "height": 512, "seed": 99, "sampler": "ddim",
        "type": "img2img", "strength": 0.55, "fit": True, "init_image_path": "outputs/init-images/sketch.png",
        "orig_hash": "ab" * 32, "variations": [], "postprocessing": None,
    }  # fmt: skip
    sd = {"model": "stable diffusion", "model_weights": "sd-1.5", "app_version": "2.1.3", "image": image}
    info = read(tmp_path, sd)
    assert (info.prompt, info.negative_prompt, info.cfg) == ("a castle on a hill", "fog", 8.0)
    assert inputs(info) == [("img2img", 0.55)]
    assert info.techniques[0].details["init_image"] == "outputs/init-images/sketch.png"
    assert info.techniques[0].details["fit"] is True
    masked = {**image, "mask_image_path": "outputs/mask-images/mask.png", "mask_hash": "cd" * 32}
    info = read(tmp_path, {**sd, "image": masked})
    assert inputs(info) == [("inpaint", 0.55)] and info.techniques[0].details["mask"] == "outputs/mask-images/mask.png"


def test_weighted_sub_prompts_are_packed_like_invokeai_does(tmp_path: Path) -> None:
    prompt = [{"prompt": "a cat", "weight": 0.7}, {"prompt": "a dog [blurry]", "weight": 0.3}]
    sd = {"app_version": "2.0.0", "image": {"prompt": prompt, "seed": 1, "steps": 10, "type": "txt2img"}}
    info = read(tmp_path, sd)
    assert (info.prompt, info.negative_prompt) == ("a cat:0.7,a dog :0.3", "blurry")


def test_postprocessing_and_variations_are_kept(tmp_path: Path) -> None:
    image = {
        "prompt": [{"prompt": "a knight", "weight": 1.0}], "seed": 5, "steps": 50, "type": "txt2img",
        "variations": [{"seed": 77, "weight": 0.1}],
        "postprocessing": [{"type": "codeformer", "strength": 0.9, "fidelity": 0.75},
                           {"type": "esrgan", "scale": 4, "strength": 0.95}],
    }  # fmt: skip
    info = read(tmp_path, {"app_version": "2.3.0", "image": image})
    assert info.techniques == []
    assert sorted((r.name, r.role) for r in info.other_resources) == [
        ("CodeFormer", "postprocessing"),
        ("RealESRGAN", "postprocessing"),
    ]
    assert info.params["sd-metadata"]["image"]["variations"] == [{"seed": 77, "weight": 0.1}]


def test_dream_only_short_switches(tmp_path: Path) -> None:
    info = read(tmp_path, dream='"a sunflower field [people, text]" -s 50 -S 1234 -W 512 -H 768 -C 7.5 -A k_lms')
    assert info.source == "png:Dream"
    assert (info.prompt, info.negative_prompt) == ("a sunflower field", "people, text")
    assert (info.seed, info.steps, info.width, info.height, info.cfg, info.sampler) == (
        1234,
        50,
        512,
        768,
        7.5,
        "k_lms",
    )
    assert info.techniques == []


def test_dream_only_img2img_long_switches(tmp_path: Path) -> None:
    dream = (
        '"portrait of a woman [lowres]" --steps 40 --seed 987 --cfg_scale 9 --sampler k_euler_a '
        "--init_img inputs/photo.png --strength 0.45 --fit -G 0.8 -ft gfpgan -U 2 0.75 -m stable-diffusion-1.5"
    )
    info = read(tmp_path, dream=dream)
    assert (info.prompt, info.negative_prompt) == ("portrait of a woman", "lowres")
    assert (info.seed, info.steps, info.cfg, info.sampler) == (987, 40, 9.0, "k_euler_a")
    assert inputs(info) == [("img2img", 0.45)]
    assert info.techniques[0].details == {"via": "Dream -I", "init_image": "inputs/photo.png", "fit": True}
    assert info.model is not None and info.model.name == "stable-diffusion-1.5"
    assert sorted(str(r.name) for r in info.other_resources) == ["GFPGAN", "RealESRGAN"]
    assert info.params["dream_options"]["upscale"] == "2 0.75"


def test_dream_only_short_img2img_with_glued_values_and_masks(tmp_path: Path) -> None:
    info = read(tmp_path, dream='"a vase of flowers" -s50 -S42 -W512 -H512 -C7.5 -Ak_lms -Iinit.png -f0.6')
    assert inputs(info) == [("img2img", 0.6)] and info.techniques[0].details["init_image"] == "init.png"
    masked = read(tmp_path, dream='"hair" -s 50 -S 1 -I curly.png -tm hair 0.5 -f 0.75 --inpaint_replace')
    assert inputs(masked) == [("inpaint", 0.75)] and masked.techniques[0].details["mask"] == "hair 0.5"
    outcrop = read(tmp_path, dream='"sky" -s 50 -S 1 -I base.png -D top 64')
    assert inputs(outcrop) == [("inpaint", None)]


def test_multi_value_switches_keep_all_their_values() -> None:
    parsed = parse_dream('"x" -U 4 0.9 -D left 128 -c top 64 bottom 32 --embiggen 2 0.75 0.25 -S 3')
    assert parsed.options["upscale"] == "4 0.9" and parsed.options["out_direction"] == "left 128"
    assert parsed.options["outcrop"] == "top 64 bottom 32" and parsed.options["embiggen"] == "2 0.75 0.25"
    assert parsed.options["seed"] == "3"


def test_hostile_legacy_records_never_raise(tmp_path: Path) -> None:
    records: list[dict[str, Any]] = [
        {"image": {"prompt": [{"prompt": 5}, "x", None], "type": ["img2img"], "init_image_path": {"a": 1}}},
        {"image": {"postprocessing": [1, "x", {"type": None}], "strength": "lots", "type": "img2img"}},
        {"images": []},
    ]
    for sd in records:
        info = read(tmp_path, sd, dream="-I -f -U")
        assert info.generator == "invokeai"


def test_init_image_named_only_by_the_dream_line_is_still_reported(tmp_path: Path) -> None:
    sd = {"app_version": "2.0.1", "image": {"prompt": "a boat", "seed": 4, "steps": 20, "type": "txt2img"}}
    info = read(tmp_path, sd, dream='"a boat" -s 20 -S 4 -I harbour.png -f 0.5')
    assert inputs(info) == [("img2img", 0.5)] and info.techniques[0].details["init_image"] == "harbour.png"
    assert any("names an init image" in w for w in info.warnings)
