"""ComfyUI saver nodes that write A1111-style text (and sometimes the graph) are ComfyUI's.

Each writer below saves a file the way the node's own `save_images` does (PNG text chunks with
`PngInfo`, JPEG/WebP EXIF through `piexif.insert` or Pillow's `Exif`):

- SaveImageWithMetaData (nkchocoai): PNG `parameters` + `prompt` + `workflow`; JPEG/WebP only the
  text in UserComment (no graph, no `Version`): ComfyUI sampler names and `Lora_N` keys tell it.
- comfy-image-saver "Image Saver" (giriss, and alexopus before it embedded graphs): PNG
  `parameters` + graphs; JPEG/WebP the text (`Version: ComfyUI`) in UserComment.
- Image Saver (alexopus, current): JPEG/WebP UserComment text, `workflow:{...}` in Make and
  `prompt:{...}` in Model; an older release wrote `Prompt:{...}` in Make and, in WebP,
  `Workflow:{...}` in ImageDescription.
- SD Prompt Saver (receyuki): PNG `parameters` + graphs; JPEG/WebP UserComment text with
  `Version: ComfyUI` and a `Hashes` JSON.
- WAS "Image Save": PNG graphs; WebP `Prompt:`/`Workflow:` in Make/ImageDescription, no text.

In every case the label is ComfyUI; where the graph cannot resolve a value (a prompt made by an
LLM node at run time), the saver's text fills it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import piexif
import piexif.helper
import pytest
from fixtures.imagefactory import pixels
from PIL import Image, PngImagePlugin

from tracker.metadata.info import GenerationInfo
from tracker.metadata.reader import read_image


def node(class_type: str, **inputs: Any) -> dict[str, Any]:
    return {"class_type": class_type, "inputs": inputs}


def api_graph(saver: str = "SaveImageWithMetaData", prompt: Any = "a red fox in snow") -> dict[str, Any]:
    """A txt2img API graph ending in the given saver node."""
    return {
        "4": node("CheckpointLoaderSimple", ckpt_name="SDXL\\base_v1.safetensors"),
        "10": node("LoraLoader", lora_name="fox_style.safetensors", strength_model=0.8, strength_clip=0.8,
                   model=["4", 0], clip=["4", 1]),
        "5": node("EmptyLatentImage", width=832, height=1216, batch_size=1),
        "6": node("CLIPTextEncode", text=prompt, clip=["10", 1]),
        "7": node("CLIPTextEncode", text="lowres, blurry", clip=["10", 1]),
        "3": node("KSampler", seed=42, steps=20, cfg=7.0, sampler_name="dpmpp_2m", scheduler="karras", denoise=1.0,
                  model=["10", 0], positive=["6", 0], negative=["7", 0], latent_image=["5", 0]),
        "8": node("VAEDecode", samples=["3", 0], vae=["4", 2]),
        "9": node(saver, images=["8", 0]),
    }  # fmt: skip


WORKFLOW: dict[str, Any] = {"last_node_id": 10, "last_link_id": 0, "nodes": [], "links": [], "version": 0.4}

NKCHOCOAI_TEXT = (
    "a red fox in snow\n"
    "Negative prompt: lowres, blurry\n"
    "Steps: 20, Sampler: dpmpp_2m_karras, CFG scale: 7.0, Seed: 42, Size: 832x1216, "
    "Model: SDXL\\base_v1.safetensors, Model hash: 31e35c80fc, "
    "Lora_0 Model name: fox_style.safetensors, Lora_0 Model hash: 0a1b2c3d4e, "
    "Lora_0 Strength model: 0.8, Lora_0 Strength clip: 0.8, "
    'Hashes: {"model": "31e35c80fc", "lora:fox_style": "0a1b2c3d4e"}'
)
IMAGE_SAVER_TEXT = (
    "a red fox in snow\n"
    "Negative prompt: lowres, blurry\n"
    "Steps: 20, Sampler: dpmpp_2m_karras, CFG scale: 7.0, Seed: 42, Size: 832x1216, Model hash: 31e35c80fc, "
    'Model: base_v1, Hashes: {"model": "31e35c80fc", "lora:fox_style": "0a1b2c3d4e"}, Version: ComfyUI'
)
PROMPT_SAVER_TEXT = (
    "a red fox in snow\n"
    "Negative prompt: lowres, blurry\n"
    "Steps: 20, Sampler: dpmpp_2m_karras, CFG scale: 7.0, Seed: 42, Size: 832x1216, Model hash: 31e35c80fc, "
    'Model: base_v1, Lora hashes: "fox_style: 0a1b2c3d4e", Version: ComfyUI, '
    'Hashes: {"model": "31e35c80fc", "lora:fox_style": "0a1b2c3d4e"}'
)


def _user_comment(text: str) -> dict[int, bytes]:
    return {piexif.ExifIFD.UserComment: piexif.helper.UserComment.dump(text, encoding="unicode")}


def _png(path: Path, chunks: dict[str, str]) -> None:
    metadata = PngImagePlugin.PngInfo()
    for key, value in chunks.items():
        metadata.add_text(key, value)
    pixels().save(path, pnginfo=metadata, compress_level=4)


def _lossy(path: Path) -> None:
    pixels().save(path, optimize=True, quality=95, lossless=False)


def save_with_metadata(path: Path, fmt: str, graph: dict[str, Any], text: str = NKCHOCOAI_TEXT) -> None:
    """nkchocoai SaveImageWithMetaData.save_images."""
    if fmt == "PNG":
        _png(path, {"parameters": text, "prompt": json.dumps(graph), "workflow": json.dumps(WORKFLOW)})
        return
    _lossy(path)
    piexif.insert(piexif.dump({"Exif": _user_comment(text)}), str(path))


def image_saver_text_only(path: Path, fmt: str, graph: dict[str, Any], text: str = IMAGE_SAVER_TEXT) -> None:
    """giriss comfy-image-saver (and alexopus before 1.x): graphs only in PNG."""
    save_with_metadata(path, fmt, graph, text)


def image_saver_current(path: Path, fmt: str, graph: dict[str, Any], text: str = IMAGE_SAVER_TEXT) -> None:
    """alexopus ComfyUI-Image-Saver `save_image`: the ComfyUI-native EXIF layout plus UserComment."""
    if fmt == "PNG":
        _png(path, {"parameters": text, "prompt": json.dumps(graph), "workflow": json.dumps(WORKFLOW)})
        return
    _lossy(path)
    extra_pnginfo = {"workflow": WORKFLOW}
    zeroth: dict[int, Any] = {
        piexif.ImageIFD.Make - i: f"{k}:{json.dumps(v, separators=(',', ':'))}"
        for i, (k, v) in enumerate(extra_pnginfo.items())
    }
    zeroth[piexif.ImageIFD.Model] = f"prompt:{json.dumps(graph, separators=(',', ':'))}"
    piexif.insert(piexif.dump({"0th": zeroth, "Exif": _user_comment(text)}), str(path))


def image_saver_previous(path: Path, fmt: str, graph: dict[str, Any], text: str = IMAGE_SAVER_TEXT) -> None:
    """alexopus ComfyUI-Image-Saver, the release that wrote `Prompt:`/`Workflow:` tags."""
    if fmt == "PNG":
        _png(path, {"parameters": text, "prompt": json.dumps(graph), "workflow": json.dumps(WORKFLOW)})
        return
    _lossy(path)
    zeroth: dict[int, bytes] = {0x010F: ("Prompt:" + json.dumps(graph, ensure_ascii=False)).encode("utf-8")}
    if fmt == "WEBP":
        zeroth[0x010E] = ("Workflow:" + json.dumps(WORKFLOW, ensure_ascii=False)).encode("utf-8")
    piexif.insert(piexif.dump({"Exif": _user_comment(text), "0th": zeroth}), str(path))


def sd_prompt_saver(path: Path, fmt: str, graph: dict[str, Any], text: str = PROMPT_SAVER_TEXT) -> None:
    """receyuki SDPromptSaver.save_files."""
    if fmt == "PNG":
        _png(path, {"parameters": text, "prompt": json.dumps(graph), "workflow": json.dumps(WORKFLOW)})
        return
    pixels().save(path, quality=95, lossless=False)
    piexif.insert(piexif.dump({"Exif": _user_comment(text)}), str(path))


SAVERS: dict[str, tuple[Callable[..., None], str]] = {
    "SaveImageWithMetaData": (save_with_metadata, "SaveImageWithMetaData"),
    "comfy-image-saver": (image_saver_text_only, "Image Saver"),
    "Image Saver (current)": (image_saver_current, "Image Saver"),
    "Image Saver (previous)": (image_saver_previous, "Image Saver"),
    "SD Prompt Saver": (sd_prompt_saver, "SDPromptSaver"),
}


def read(path: Path) -> GenerationInfo:
    info = read_image(path).info
    assert info is not None
    return info


def assert_what_a_user_sees(info: GenerationInfo) -> None:
    assert info.generator == "comfyui"
    assert (info.prompt, info.negative_prompt) == ("a red fox in snow", "lowres, blurry")
    assert (info.seed, info.steps, info.cfg) == (42, 20, 7.0)
    assert info.scheduler == "karras"
    assert info.model is not None and info.model.hash == "31e35c80fc"
    assert [lora.name for lora in info.loras] == ["fox_style"]


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
@pytest.mark.parametrize("saver", list(SAVERS))
def test_saver_files_are_comfyui_in_every_format(tmp_path: Path, saver: str, fmt: str) -> None:
    write, class_type = SAVERS[saver]
    path = tmp_path / f"out.{fmt.lower()}"
    write(path, fmt, api_graph(class_type))
    info = read(path)
    assert_what_a_user_sees(info)
    has_graph = fmt == "PNG" or saver.startswith("Image Saver (")
    if has_graph:
        assert info.params.get("graph") == "prompt" and info.samplers, "the graph is read when the file has one"
        assert info.model is not None and info.model.name == "SDXL\\base_v1.safetensors"
        assert info.width == 832 and info.height == 1216 and info.sampler == "dpmpp_2m"
    else:
        assert info.source == "exif:UserComment" and info.generator_variant == "saver-node"
        assert info.sampler == "dpmpp_2m_karras"  # as the saver wrote it: sampler and scheduler joined
        assert any("saver node" in w for w in info.warnings)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_saver_text_fills_what_the_graph_cannot_resolve(tmp_path: Path, fmt: str) -> None:
    graph = api_graph("Image Saver", prompt=["60", 0])
    graph["60"] = node("TIPO", tags="fox", nl_prompt="", seed=3, width=1, height=2, temperature=0.7)
    path = tmp_path / f"llm.{fmt.lower()}"
    image_saver_current(path, fmt, graph)
    info = read(path)
    assert info.generator == "comfyui" and info.params.get("graph") == "prompt"
    assert info.prompt == "a red fox in snow" and "prompt" in info.params["from_saver_text"]
    assert any("saver node's A1111-style text" in w for w in info.warnings)
    assert info.negative_prompt == "lowres, blurry" and "negative_prompt" not in info.params["from_saver_text"]


def test_graph_values_win_over_the_saver_text(tmp_path: Path) -> None:
    other_seed = IMAGE_SAVER_TEXT.replace("Seed: 42", "Seed: 7")
    path = tmp_path / "x.webp"
    image_saver_current(path, "WEBP", api_graph("Image Saver"), other_seed)
    info = read(path)
    assert info.seed == 42 and "from_saver_text" not in info.params


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_was_image_save_graphs_without_text(tmp_path: Path, fmt: str) -> None:
    graph = api_graph("Image Save")
    path = tmp_path / f"was.{fmt.lower()}"
    image = pixels()
    if fmt == "PNG":
        _png(path, {"prompt": json.dumps(graph), "workflow": json.dumps(WORKFLOW)})
    else:
        exif = Image.Exif()
        exif[0x010F] = "Prompt:" + json.dumps(graph)
        exif[0x010E] = "Workflow:" + json.dumps(WORKFLOW)
        image.save(path, exif=exif.tobytes(), quality=95, lossless=False)
    info = read(path)
    assert info.generator == "comfyui" and info.prompt == "a red fox in snow" and info.seed == 42
    assert info.source in ("png:prompt", "exif:Make")


def test_plain_a1111_jpeg_is_not_taken_for_a_saver(tmp_path: Path) -> None:
    text = (
        "a red fox in snow\nNegative prompt: lowres\n"
        "Steps: 20, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 7, Seed: 42, Size: 512x512, Model: m"
    )
    path = tmp_path / "a1111.jpeg"
    pixels().save(path, quality=90)
    piexif.insert(piexif.dump({"Exif": _user_comment(text)}), str(path))
    info = read(path)
    assert info.generator == "a1111" and info.sampler == "DPM++ 2M"


def test_jpeg_whose_prompt_graph_was_dropped_for_size_keeps_the_saver_text(tmp_path: Path) -> None:
    """Image Saver drops the API graph first when the EXIF block would exceed JPEG's 64 KiB."""
    path = tmp_path / "big.jpeg"
    _lossy(path)
    zeroth = {piexif.ImageIFD.Make: "workflow:" + json.dumps(WORKFLOW, separators=(",", ":"))}
    piexif.insert(piexif.dump({"0th": zeroth, "Exif": _user_comment(IMAGE_SAVER_TEXT)}), str(path))
    info = read(path)
    assert info.generator == "comfyui" and info.source == "exif:Make"
    assert (info.prompt, info.seed, info.steps, info.width, info.height) == ("a red fox in snow", 42, 20, 832, 1216)
    assert [lora.name for lora in info.loras] == ["fox_style"] and info.loras[0].hash == "0a1b2c3d4e"
    assert info.model is not None and info.model.name == "base_v1"
    assert {"prompt", "seed", "width", "loras"} <= set(info.params["from_saver_text"])
