"""Run the anchor readers (sd-parsers, sd-prompt-reader) on every corpus file; print JSON lines.

    <anchor venv>/bin/python tests/benchmarks/anchor_readers.py /path/to/corpus [--only SUBSTRING]

Meant to be started by `compare_readers.py` with the python of a throwaway virtualenv that has
`sd-parsers` and `sd-prompt-reader` installed: neither is a tracker dependency, and this file
imports nothing from tracker (tracker's environment need not have them, theirs need not have
tracker's). Each output line is one JSON object:

    {"file": ..., "reader": "sd-parsers" | "sd-prompt-reader", "result": {...} | null,
     "error": str | null, "provided": [field, ...], "seconds": float}

`result` is the library's answer in the manifest vocabulary (see the corpus README): generator
label, prompt_start / negative_start (the same 40-character rule), seed, steps, cfg, sampler,
width, height, model {name, hash}, vae, loras, image_inputs, samplers, stealth. `provided` lists
the fields that the library can express for that file, so the caller can score it leniently on
those alone. `result` is null (and `error` set) when the library raised; a library that found no
metadata gives `{"generator": "none"}`.

The mapping is deliberately generous (it reads the library's structured output, its raw
parameter text where it hands that back, and normalises vocabulary), but it never re-parses a
format that the library did not parse: a field the library cannot express stays absent.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import re
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

SD_PARSERS = "sd-parsers"
SD_PROMPT_READER = "sd-prompt-reader"

# Fields that a lenient score compares (model = model name only); see compare_readers.py.
LENIENT_FIELDS = (
    "generator",
    "prompt_start",
    "negative_start",
    "seed",
    "steps",
    "cfg",
    "sampler",
    "width",
    "height",
    "model",
)
SAMPLER_FIELDS = ("seed", "steps", "cfg", "sampler")
SIZE_FIELDS = ("width", "height")
PROMPT_FIELDS = ("prompt_start", "negative_start")


def snippet(text: Any) -> str | None:
    """The manifest's prompt_start rule: whitespace collapsed, first 40 characters."""
    if not isinstance(text, str) or not text:
        return None
    return " ".join(text.split())[:40] or None


def _kv(text: str, key: str) -> str | None:
    """Value of `key: value` in an A1111-style settings text (value ends at a comma or newline)."""
    match = re.search(rf"(?:^|[,\n])\s*{re.escape(key)}:\s*([^,\n]*)", text)
    return match.group(1).strip() if match else None


def a1111_label(text: str) -> str:
    """The corpus README's rule for A1111-format text: forge / sdnext / civitai / comfyui / a1111."""
    if "Civitai resources:" in text or "Civitai metadata:" in text:
        return "civitai"
    if (_kv(text, "App") or "").lower() == "sd.next":
        return "sdnext"
    version = _kv(text, "Version") or ""
    if version.lower() == "comfyui":
        return "comfyui"
    if re.match(r"^f\d", version) or version.lower() in {"classic", "neo"}:
        return "forge"
    return "a1111"


def to_int(value: Any) -> int | None:
    """An int from a library value ("20", 20, "20.0"); None for placeholders and junk."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def to_float(value: Any) -> float | None:
    """A float from a library value; None for placeholders and junk."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        return round(float(str(value).strip()), 6)
    except ValueError:
        return None


def to_text(value: Any) -> str | None:
    """A non-empty string, or None ("None", blanks and sd-prompt-reader's placeholder count as empty)."""
    if value is None:
        return None
    text = str(value).strip()
    return None if text in {"", "None", "null"} else text


def norm_hash(value: Any) -> str | None:
    """Hash in the manifest vocabulary: lowercase hex, no `blake3:` / `0x` / `sha256:` prefix."""
    text = to_text(value)
    if text is None:
        return None
    text = text.lower()
    for prefix in ("blake3:", "sha256:", "0x"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    return text or None


def split_novelai_source(source: str | None) -> tuple[str | None, str | None]:
    """`NovelAI Diffusion V4.5 4BDE2A90` -> (`NovelAI Diffusion V4.5`, `4bde2a90`), as the manifest splits it."""
    if not source:
        return None, None
    match = re.fullmatch(r"(.*?)\s+([0-9A-Fa-f]{8})", source.strip())
    if match:
        return match.group(1), match.group(2).lower()
    return source.strip(), None


def model_ref(name: Any, hash_value: Any = None) -> dict[str, Any] | None:
    """`{name, hash}` or None when neither is known."""
    name_text = name if isinstance(name, str) and name.strip() else None
    digest = norm_hash(hash_value)
    if name_text is None and digest is None:
        return None
    return {"name": name_text, "hash": digest}


def size_from(text: Any) -> tuple[int | None, int | None]:
    """`832x1216` -> (832, 1216)."""
    match = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*", str(text or ""))
    return (int(match.group(1)), int(match.group(2))) if match else (None, None)


# --- sd-parsers ---------------------------------------------------------------------------------

_SDP_LABELS = {
    "AUTOMATIC1111": "a1111",
    "ComfyUI": "comfyui",
    "InvokeAI": "invokeai",
    "NovelAI": "novelai",
    "Fooocus": "fooocus",
    "Unknown": "other",
}


def _sdp_pick_sampler(info: Any) -> Any:
    """The sampler whose values stand for the image.

    sd-parsers lists every sampler node it found (ComfyUI: in graph order) without saying which one
    produced the saved image; we take the last one listed, which is the final pass more often than
    the first in ComfyUI graphs (node ids usually grow downstream).
    """
    return info.samplers[-1] if info.samplers else None


def read_sd_parsers(path: Path, manager: Any, eager: Any, default: Any) -> tuple[dict[str, Any], list[str]]:
    """sd-parsers' answer for one file, in the manifest vocabulary, and the fields it can express."""
    _reset_sdp_caches()
    info = manager.parse(path, eagerness=default)
    stealth = None
    if info is None:
        # EAGER adds the stealth (alpha LSB) extractor; only reached when nothing else matched.
        info = manager.parse(path, eagerness=eager)
        if info is not None:
            stealth = "stealth_pngcomp"
    if info is None:
        return {"generator": "none", "stealth": _sdp_stealth(path)}, ["generator", "stealth"]

    gen_name = getattr(info.generator, "value", str(info.generator))
    label = _SDP_LABELS.get(gen_name, "other")
    raw = info.raw_parameters or {}
    metadata = info.metadata or {}
    if label == "a1111":
        label = a1111_label(str(raw.get("parameters", "")))

    sampler = _sdp_pick_sampler(info)
    params = dict(sampler.parameters) if sampler else {}
    result: dict[str, Any] = {"generator": label}
    provided = ["generator", "stealth", *PROMPT_FIELDS, *SAMPLER_FIELDS, "model"]

    prompts = [str(p) for p in sampler.prompts] if sampler else []
    negatives = [str(p) for p in sampler.negative_prompts] if sampler else []
    result["prompt_start"] = snippet(", ".join(prompts))
    result["negative_start"] = snippet(", ".join(negatives))
    seed = params.get("seed", params.get("noise_seed"))
    result["seed"] = to_int(seed)
    steps = params.get("steps", metadata.get("steps") if label == "novelai" else None)
    result["steps"] = to_int(steps)
    result["cfg"] = to_float(params.get("cfg_scale"))
    result["sampler"] = to_text(sampler.name) if sampler else None
    if result["sampler"] == "unknown" and label == "comfyui":
        result["sampler"] = None
    model = sampler.model if sampler else None
    result["model"] = model_ref(model.name, model.hash) if model else None

    # Generation size: where the library hands it back (not for ComfyUI: it keeps no latent size).
    width = height = None
    if gen_name == "AUTOMATIC1111":
        width, height = size_from(metadata.get("Size"))
        provided += SIZE_FIELDS
        vae_name, vae_hash = metadata.get("VAE"), metadata.get("VAE hash")
        result["vae"] = model_ref(vae_name, vae_hash)
        provided.append("vae")
    elif label in {"novelai", "invokeai", "fooocus"}:
        width, height = to_int(metadata.get("width")), to_int(metadata.get("height"))
        if label == "fooocus" and width is None:
            width, height = _fooocus_resolution(metadata.get("resolution"))
        provided += SIZE_FIELDS
    result["width"], result["height"] = width, height

    if gen_name == "ComfyUI":
        result["samplers"] = _sdp_comfy_samplers(info, raw)
        provided.append("samplers")
    if stealth is None:
        stealth = _sdp_stealth(path)
    result["stealth"] = stealth
    return result, provided


def _reset_sdp_caches() -> None:
    """Forget sd-parsers' per-image extractor caches.

    Its UserComment and stealth extractors cache the last result under `id(image)`; a later image
    object can get the same id once the previous one is freed and would then be handed the previous
    file's metadata. Clearing the cache before each file keeps that bug out of its score.
    """
    from sd_parsers.extractors import _jpeg_usercomment, _png_stenographic_alpha

    _jpeg_usercomment._image_id = None
    _png_stenographic_alpha._image_id = None


def _fooocus_resolution(value: Any) -> tuple[int | None, int | None]:
    match = re.fullmatch(r"\s*\(?\s*(\d+)\s*,\s*(\d+)\s*\)?\s*", str(value or ""))
    return (int(match.group(1)), int(match.group(2))) if match else (None, None)


def _sdp_comfy_samplers(info: Any, raw: dict[str, Any]) -> list[dict[str, Any]]:
    """Every sampler sd-parsers found, as manifest `samplers` entries (class_type looked up by node id)."""
    graph = raw.get("prompt")
    if isinstance(graph, str):
        try:
            graph = json.loads(graph)
        except ValueError:
            graph = {}
    graph = graph if isinstance(graph, dict) else {}
    out = []
    for sampler in info.samplers:
        params = sampler.parameters or {}
        node = graph.get(str(sampler.sampler_id)) or {}
        name = to_text(sampler.name)
        scheduler = to_text(params.get("scheduler"))
        if name == scheduler:  # sd-parsers falls back to `scheduler` when there is no sampler_name
            name = None
        out.append(
            {
                "node": str(sampler.sampler_id) if sampler.sampler_id is not None else None,
                "class_type": node.get("class_type") if isinstance(node, dict) else None,
                "seed": to_int(params.get("seed", params.get("noise_seed"))),
                "steps": to_int(params.get("steps")),
                "cfg": to_float(params.get("cfg_scale")),
                "sampler": name,
                "scheduler": scheduler,
                "denoise": to_float(params.get("denoise")),
            }
        )
    return out


def _sdp_stealth(path: Path) -> str | None:
    """`stealth_pngcomp` when sd-parsers' own LSB extractor finds its magic in the alpha channel."""
    from PIL import Image
    from sd_parsers.extractors._png_stenographic_alpha import STEALTH_HEADER, LSBExtractor

    with Image.open(path) as image:
        if image.mode != "RGBA":
            return None
        try:
            magic = LSBExtractor(image).get_next_n_bytes(len(STEALTH_HEADER)).decode("utf-8")
        except (UnicodeDecodeError, ValueError):
            return None
    return STEALTH_HEADER if magic == STEALTH_HEADER else None


# --- sd-prompt-reader ---------------------------------------------------------------------------

_SPR_LABELS = {
    "StableSwarmUI": "swarmui",
    "SwarmUI": "swarmui",
    "ComfyUI": "comfyui",
    "ComfyUI\n(A1111 compatible)": "comfyui",
    "Easy Diffusion": "easydiffusion",
    "InvokeAI": "invokeai",
    "NovelAI": "novelai",
    "Fooocus": "fooocus",
    "Draw Things": "drawthings",
}


def _spr_value(value: Any, last: bool) -> str | None:
    """sd-prompt-reader joins values of several passes into `(a, b)` strings; pick one of them.

    ComfyUI: the last item is the final sampler's (it merges upstream values in front);
    InvokeAI/SwarmUI: the first item is the main pass (the second is the refiner / the A1111 name).
    """
    text = to_text(value)
    if text is None or text.strip() == "":
        return None
    if text.startswith("(") and text.endswith(")") and ", " in text:
        items = [to_text(item) for item in text[1:-1].split(", ")]
        items = [item for item in items if item]
        if not items:
            return None
        return items[-1] if last else items[0]
    return text


def read_sd_prompt_reader(path: Path, reader_cls: Any) -> tuple[dict[str, Any], list[str]]:
    """sd-prompt-reader's answer for one file, in the manifest vocabulary, and the fields it can express."""
    reader = reader_cls(str(path))
    tool = reader.tool or ""
    stealth = _spr_stealth(path, reader_cls)
    if not tool:
        return {"generator": "none", "stealth": stealth}, ["generator", "stealth"]
    if tool.startswith("A1111"):
        label = a1111_label(f"{reader.setting or ''}\n{reader.raw or ''}")
    else:
        label = _SPR_LABELS.get(tool, "other")
    try:
        param = reader.parameter or {}
    except AttributeError:
        # A format test that failed after naming the tool (e.g. a JPEG comment that is not Fooocus
        # JSON) leaves no parser behind; the reader's status says FORMAT_ERROR: it read nothing.
        if getattr(reader.status, "name", "") == "FORMAT_ERROR":
            return {"generator": "none", "stealth": stealth}, ["generator", "stealth"]
        raise
    result: dict[str, Any] = {"generator": label, "stealth": stealth}
    provided = ["generator", "stealth", *PROMPT_FIELDS, *SAMPLER_FIELDS, *SIZE_FIELDS]
    info = reader.info or {}
    legacy_novelai = label == "novelai" and "Comment" in info
    dream_only = label == "invokeai" and not {"invokeai_metadata", "sd-metadata"} & set(info)
    if not (legacy_novelai or dream_only):
        provided.append("model")  # those two formats hard-code an empty model
    last = tool == "ComfyUI"  # its graph walker puts the final sampler's values last
    result["prompt_start"] = snippet(reader.positive)
    result["negative_start"] = snippet(reader.negative)
    result["seed"] = to_int(_spr_value(param.get("seed"), last))
    result["steps"] = to_int(_spr_value(param.get("steps"), last))
    result["cfg"] = to_float(_spr_value(param.get("cfg"), last))
    result["sampler"] = _spr_value(param.get("sampler"), last)
    width, height = to_int(reader.width), to_int(reader.height)
    result["width"] = width or None
    result["height"] = height or None
    model_name = _spr_value(param.get("model"), last)
    model_hash = None
    if tool.startswith("A1111"):
        # The settings text is sd-prompt-reader's own split of the parameters line.
        setting = reader.setting or ""
        model_hash = _kv(setting, "Model hash")
        result["vae"] = model_ref(_kv(setting, "VAE"), _kv(setting, "VAE hash"))
        provided.append("vae")
    elif label == "novelai":
        model_name, model_hash = split_novelai_source(model_name)
    result["model"] = model_ref(model_name, model_hash)
    return result, provided


def _spr_stealth(path: Path, reader_cls: Any) -> str | None:
    """`stealth_pngcomp` when sd-prompt-reader's own LSB extractor finds its magic in the alpha channel."""
    from PIL import Image
    from sd_prompt_reader.format import NovelAI

    magic_text = reader_cls.NOVELAI_MAGIC
    with Image.open(path) as image:
        if image.mode != "RGBA" or image.format not in {"PNG", "WEBP"}:
            return None
        try:
            magic = NovelAI.LSBExtractor(image).get_next_n_bytes(len(magic_text)).decode("utf-8")
        except (UnicodeDecodeError, ValueError):
            return None
    return magic_text if magic == magic_text else None


# --- driver -------------------------------------------------------------------------------------


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Keep library prints (sd-prompt-reader prints ComfyUI errors) off our JSON-lines stdout."""
    with contextlib.redirect_stdout(sys.stderr):
        yield


def readers() -> list[tuple[str, Callable[[Path], tuple[dict[str, Any], list[str]]]]]:
    """The two anchor libraries as (name, path -> (result, provided)) pairs."""
    from sd_parsers import Eagerness, ParserManager
    from sd_prompt_reader.image_data_reader import ImageDataReader

    manager = ParserManager()
    return [
        (SD_PARSERS, lambda p: read_sd_parsers(p, manager, Eagerness.EAGER, Eagerness.DEFAULT)),
        (SD_PROMPT_READER, lambda p: read_sd_prompt_reader(p, ImageDataReader)),
    ]


def main() -> None:
    """Read the manifest, run both libraries on every listed file, print one JSON line per (file, reader)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, help="folder holding manifest.json and files/")
    parser.add_argument("--only", metavar="SUBSTRING", help="only files whose manifest path contains this")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)  # both libraries log parse failures; failures are in our output
    entries = json.loads((args.corpus / "manifest.json").read_text())
    out = sys.stdout
    with quiet():
        pairs = readers()
    for entry in entries:
        if args.only and args.only not in entry["file"]:
            continue
        path = args.corpus / entry["file"]
        for name, read in pairs:
            started = time.perf_counter()
            result: dict[str, Any] | None = None
            provided: list[str] = []
            error = None
            try:
                with quiet():
                    result, provided = read(path)
            except Exception as exc:  # noqa: BLE001 - any library failure is one failed file
                error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}".strip()
            line = {
                "file": entry["file"],
                "reader": name,
                "result": result,
                "error": error,
                "provided": provided,
                "seconds": round(time.perf_counter() - started, 3),
            }
            out.write(json.dumps(line) + "\n")
            out.flush()


if __name__ == "__main__":
    main()
