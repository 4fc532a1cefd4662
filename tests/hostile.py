"""A generator of malformed and hostile image files (issue 7): every way a file can be wrong.

`write_corpus(folder)` writes 200+ files and returns their names. Nothing here is a real
third-party image: every file starts from a picture drawn by `imagefactory.pixels`.
"""

from __future__ import annotations

import gzip
import io
import json
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

from imagefactory import FORGE_INFOTEXT, pixels, user_comment
from PIL import PngImagePlugin
from stealth_writer import noise, signature_for, stealth_bits, write_bits

ESCAPES = "\x1b[2J\x1b[31mRED\x1b]8;;https://evil.example\x07link\x1b]8;;\x07\x1b]0;title\x07\x07\x08\x1b[?1049h"
MARKUP = "[bold red]boss[/] [link=https://evil.example]x[/link] [@click=app.quit]q[/] $(rm -rf ~)"


def _chunk(kind: bytes, body: bytes) -> bytes:
    return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")


def _png_bytes(text: dict[str, str] | None = None, size: tuple[int, int] = (64, 48), seed: int = 3) -> bytes:
    info = PngImagePlugin.PngInfo()
    for key, value in (text or {}).items():
        info.add_text(key, value)
    out = io.BytesIO()
    pixels(size, seed=seed).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def _with_chunk(png: bytes, chunk: bytes) -> bytes:
    return png[:33] + chunk + png[33:]  # right after IHDR


def _jpeg_bytes(comment: str = FORGE_INFOTEXT) -> bytes:
    import piexif

    exif = piexif.dump({"Exif": {piexif.ExifIFD.UserComment: user_comment(comment, "unicode")}})
    out = io.BytesIO()
    pixels((64, 48), seed=4).save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


def _webp_bytes() -> bytes:
    out = io.BytesIO()
    pixels((64, 48), seed=5).save(out, "WEBP", quality=80)
    return out.getvalue()


def _bomb_dimensions(png: bytes, width: int, height: int) -> bytes:
    ihdr = b"IHDR" + width.to_bytes(4, "big") + height.to_bytes(4, "big") + png[24:29]
    return png[:12] + ihdr + zlib.crc32(ihdr).to_bytes(4, "big") + png[33:]


def _exif_loop_jpeg() -> bytes:
    """A JPEG whose EXIF IFD0 points its next-IFD offset back at itself."""
    tiff = bytearray(b"II*\x00" + struct.pack("<I", 8))
    tiff += struct.pack("<H", 1) + struct.pack("<HHII", 0x8769, 4, 1, 8) + struct.pack("<I", 8)
    app1 = b"Exif\x00\x00" + bytes(tiff)
    jpeg = _jpeg_bytes()
    segment = b"\xff\xe1" + (len(app1) + 2).to_bytes(2, "big") + app1
    return jpeg[:2] + segment + jpeg[2:]


def _comfy(graph: object) -> bytes:
    return _png_bytes({"prompt": json.dumps(graph)})


def _nested_json(depth: int) -> str:
    return "[" * depth + "]" * depth


def _stealth_bomb() -> bytes:
    """Hidden alpha-channel metadata whose gzip payload inflates to 200 MB."""
    raw = gzip.compress(b"\0" * (200 * 1024 * 1024), mtime=0)
    bits = stealth_bits(signature_for("alpha", True), raw)
    image = write_bits(noise(1400, 1400, "RGBA", seed=9), bits, "alpha")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _cases() -> dict[str, Callable[[], bytes]]:
    png = _png_bytes({"parameters": FORGE_INFOTEXT})
    jpeg = _jpeg_bytes()
    webp = _webp_bytes()
    cases: dict[str, Callable[[], bytes]] = {}
    for name, data, ext in (("png", png, "png"), ("jpeg", jpeg, "jpg"), ("webp", webp, "webp")):
        step = max(1, len(data) // 60)
        for cut in range(1, len(data), step):
            cases[f"truncated-{name}-{cut:06d}.{ext}"] = lambda d=data, c=cut: d[:c]  # type: ignore[misc]
    cases.update(
        {
            "png-named.jpg": lambda: png,
            "jpeg-named.png": lambda: jpeg,
            "text-named.png": lambda: b"this is not an image\n" * 10,
            "html-named.webp": lambda: b"<html><script>alert(1)</script></html>",
            "empty.png": lambda: b"",
            "empty.jpg": lambda: b"",
            "empty.webp": lambda: b"",
            "only-signature.png": lambda: png[:8],
            "bomb-100000x100000.png": lambda: _bomb_dimensions(png, 100_000, 100_000),
            "bomb-1x4000000000.png": lambda: _bomb_dimensions(png, 1, 4_000_000_000),
            "zero-width.png": lambda: _bomb_dimensions(png, 0, 48),
            "text-50mb.png": lambda: _with_chunk(png, _chunk(b"tEXt", b"parameters\0" + b"A" * (50 * 2**20))),
            "ztxt-bomb.png": lambda: _with_chunk(
                png, _chunk(b"zTXt", b"parameters\0\0" + zlib.compress(b"A" * (256 * 2**20), 9))
            ),
            "itxt-bomb.png": lambda: _with_chunk(
                png, _chunk(b"iTXt", b"parameters\0\1\0\0\0" + zlib.compress(b"B" * (256 * 2**20), 9))
            ),
            "stealth-gzip-bomb.png": _stealth_bomb,
            "json-nested-100k.png": lambda: _png_bytes({"prompt": _nested_json(100_000)}),
            "json-nested-workflow.png": lambda: _png_bytes({"workflow": '{"a":' * 50_000 + "1" + "}" * 50_000}),
            "json-huge-20mb.png": lambda: _png_bytes(
                {"prompt": json.dumps({"1": {"inputs": {"t": "x" * 20_000_000}}})}
            ),
            "json-not-object.png": lambda: _png_bytes({"prompt": "[1, 2, 3]"}),
            "json-broken.png": lambda: _png_bytes({"prompt": '{"1": {"class_type": "KSampler", "inputs": {'}),
            "invalid-utf8-itxt.png": lambda: _with_chunk(png, _chunk(b"iTXt", b"parameters\0\0\0\0\0\xff\xfe\xc3(")),
            "invalid-latin-mojibake.png": lambda: _png_bytes({"parameters": "Ã\x83Â©" * 100}),
            "exif-utf16-odd.jpg": lambda: _jpeg_with_comment(b"UNICODE\0" + b"\xd8\x00\x41"),
            "exif-utf16-unpaired.jpg": lambda: _jpeg_with_comment(
                b"UNICODE\0" + "a\ud800b".encode("utf-16-be", "surrogatepass")
            ),
            "exif-loop.jpg": _exif_loop_jpeg,
            "comfy-cycle.png": lambda: _comfy(
                {
                    "1": {"class_type": "KSampler", "inputs": {"model": ["2", 0], "positive": ["1", 0]}},
                    "2": {"class_type": "LoraLoader", "inputs": {"model": ["2", 0], "lora_name": "x.safetensors"}},
                }
            ),
            "comfy-missing-links.png": lambda: _comfy(
                {"1": {"class_type": "KSampler", "inputs": {"model": ["99", 0], "positive": ["42", 7]}}}
            ),
            "comfy-wrong-types.png": lambda: _comfy({"1": {"class_type": 5, "inputs": [1, 2]}, "2": None, "3": "x"}),
            "comfy-10k-nodes.png": lambda: _comfy(
                {str(i): {"class_type": "LoraLoader", "inputs": {"model": [str(i + 1), 0]}} for i in range(10_000)}
            ),
            "escapes-in-parameters.png": lambda: _png_bytes(
                {"parameters": f"{ESCAPES}\nNegative prompt: {ESCAPES}\nSteps: 20, Model: {ESCAPES}"}
            ),
            "markup-in-parameters.png": lambda: _png_bytes(
                {"parameters": f"{MARKUP}\nSteps: 20, Seed: 1, Model: {MARKUP}"}
            ),
            "escapes-in-novelai.png": lambda: _png_bytes(
                {"Software": "NovelAI", "Comment": json.dumps({"prompt": ESCAPES + MARKUP, "seed": "x" * 10_000})}
            ),
            "escapes-in-exif.jpg": lambda: _jpeg_bytes(ESCAPES + MARKUP),
            "null-bytes.png": lambda: _png_bytes({"parameters": "a\0b\0" * 1000}),
            "huge-settings-line.png": lambda: _png_bytes(
                {"parameters": "p\nSteps: " + ", ".join(f"K{i}: {i}" for i in range(200_000))}
            ),
            "gif-animated-bomb-header.gif": lambda: b"GIF89a" + (65535).to_bytes(2, "little") * 2 + b"\x00" * 20,
            "tiff-header-only.tif": lambda: b"II*\x00\x08\x00\x00\x00",
        }
    )
    return cases


def _jpeg_with_comment(raw: bytes) -> bytes:
    import piexif

    exif = piexif.dump({"Exif": {piexif.ExifIFD.UserComment: raw}})
    out = io.BytesIO()
    pixels((64, 48), seed=6).save(out, "JPEG", exif=exif)
    return out.getvalue()


def write_corpus(folder: Path) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for name, make in _cases().items():
        (folder / name).write_bytes(make())
        names.append(name)
    return names
