"""Fixture images written the way each generator writes them (no third-party images).

A1111/Forge PNGs carry a `parameters` text chunk (tEXt, or iTXt when the text is not
latin-1, exactly as Pillow's `PngInfo.add_text` decides); JPEG and WebP get the infotext in
EXIF UserComment through piexif, as the webui does; NovelAI PNGs carry Title, Description,
Software, Source, Generation time and Comment chunks.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import piexif
import piexif.helper
from PIL import Image, PngImagePlugin

FORGE_INFOTEXT = (
    "masterpiece, best quality, 1girl, solo, <lora:shadow-circuit:0.78>, <lora:retrowave:0.8>\n"
    "Negative prompt: bad quality, worst quality\n"
    "Steps: 24, Sampler: Euler a, Schedule type: Automatic, CFG scale: 5, Seed: 1234567890, "
    "Size: 832x1216, Model hash: 163ac69059, Model: hassakuXL_v13, "
    'Lora hashes: "shadow-circuit: 88e247aa8c3d, retrowave: edafb9df7da1", '
    'ControlNet 0: "Module: canny, Model: control_v11p_sd15_canny [d14c016b], Weight: 0.8, '
    "Resize Mode: Crop and Resize, Processor Res: 512, Threshold A: 100.0, Threshold B: 200.0, "
    'Guidance Start: 0.0, Guidance End: 1.0, Pixel Perfect: False, Control Mode: Balanced", '
    "Version: f2.0.1v1.10.1-previous-669-gdfdcbab6"
)

A1111_INFOTEXT = (
    "a cat sitting on a windowsill, <lora:catstyle:0.6>\n"
    "Negative prompt: lowres\n"
    "Steps: 20, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 7, Seed: 42, Size: 512x768, "
    "Model hash: 45a21ea00a, Model: waiIllustriousSDXL_v160, VAE hash: 235745af8d, "
    'VAE: sdxl_vae_fp16_fix.safetensors, Lora hashes: "catstyle: 0123456789ab", Version: v1.10.1'
)


def pixels(size: tuple[int, int] = (64, 48), seed: int = 0, mode: str = "RGB") -> Image.Image:
    """A deterministic noisy image, distinct per seed (so perceptual hashes differ)."""
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 256, size=(8, 8, 3), dtype=np.uint8)
    image = Image.fromarray(base).resize(size, Image.Resampling.BILINEAR)
    return image.convert(mode)


def write_png(
    path: Path, text: dict[str, str], *, zip_keys: tuple[str, ...] = (), image: Image.Image | None = None
) -> Path:
    """A PNG with text chunks as Pillow writes them (tEXt, iTXt for non-latin-1, zTXt on request)."""
    info = PngImagePlugin.PngInfo()
    for key, value in text.items():
        info.add_text(key, value, zip=key in zip_keys)
    (image or pixels()).save(path, "PNG", pnginfo=info)
    return path


def write_png_itxt(path: Path, key: str, value: str, *, compressed: bool = False) -> Path:
    """A PNG whose text is in one iTXt chunk (what Pillow does for non-latin-1 prompts)."""
    info = PngImagePlugin.PngInfo()
    info.add_itxt(key, value, zip=compressed)
    pixels().save(path, "PNG", pnginfo=info)
    return path


def user_comment(text: str, encoding: str) -> bytes:
    """EXIF UserComment bytes: 'unicode' (UTF-16BE, piexif/A1111), 'ascii', 'raw' (Fooocus: no prefix),
    'unicode-le' (some writers get the byte order wrong)."""
    if encoding in ("unicode", "ascii", "jis"):
        return piexif.helper.UserComment.dump(text, encoding=encoding)
    if encoding == "unicode-le":
        return b"UNICODE\0" + text.encode("utf-16-le")
    if encoding == "raw":
        return text.encode("utf-8")
    raise ValueError(encoding)


def write_exif_image(
    path: Path, text: str, *, fmt: str = "JPEG", encoding: str = "unicode", image: Image.Image | None = None
) -> Path:
    """A JPEG or WebP with the infotext in EXIF UserComment, inserted with piexif like the webui."""
    (image or pixels()).convert("RGB").save(path, fmt, quality=90)
    exif_bytes = piexif.dump({"Exif": {piexif.ExifIFD.UserComment: user_comment(text, encoding)}})
    piexif.insert(exif_bytes, str(path))
    return path


NOVELAI_V3_COMMENT: dict[str, Any] = {
    "prompt": "1girl, silver hair, best quality",
    "steps": 28,
    "height": 1216,
    "width": 832,
    "scale": 5.0,
    "seed": 1148692016,
    "sampler": "k_euler_ancestral",
    "noise_schedule": "karras",
    "controlnet_strength": 1.0,
    "controlnet_model": None,
    "reference_information_extracted_multiple": [1.0],
    "reference_strength_multiple": [0.6],
    "uc": "lowres, bad anatomy",
    "request_type": "PromptGenerateRequest",
}


def write_novelai_png(
    path: Path, comment: dict[str, Any] | None = None, source: str = "Stable Diffusion XL C1E1DE52"
) -> Path:
    """A NovelAI PNG: the text chunks NovelAI writes, Comment as a JSON string."""
    comment = NOVELAI_V3_COMMENT if comment is None else comment
    return write_png(
        path,
        {
            "Title": "AI generated image",
            "Description": str(comment.get("prompt", "")),
            "Software": "NovelAI",
            "Source": source,
            "Generation time": "6.49",
            "Comment": json.dumps(comment),
        },
    )
