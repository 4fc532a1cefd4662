"""Generation records another tool moved into XMP when it re-saved the file.

No generator here writes XMP (Draw Things, which does, has its own module). Photo editors, a
Lightroom or Photoshop export, exiftool and some sites' uploaders re-save an image with its PNG
text or EXIF UserComment moved into the XMP packet: `exif:UserComment` (the EXIF tag's XMP twin),
`dc:description` (where a PNG `Description` goes), with `dc:title`, `photoshop:Source` or
`dc:source`, and `xmp:CreatorTool` or `tiff:Software` beside them. Each record is handed, as the fields its generator
writes, to that generator's own reader, so it is read exactly as the original would be:

- NovelAI: its JSON envelope (a WebP's UserComment), or the Comment JSON with the Description,
  Title, Software and Source beside it (a PNG's text chunks, one property each);
- SwarmUI: its `sui_image_params` JSON;
- Fooocus: its JSON scheme, or its A1111-style scheme (`Version: Fooocus`), the Software naming
  Fooocus standing for the scheme marker;
- ComfyUI: the API graph or UI workflow JSON (or both, one in each property);
- Stability Matrix, TensorArt and InvokeAI, which write PNG text chunks only: the JSON object a
  converter to JPEG or WebP keeps them in, a key per chunk (`{"parameters-json": {...}, "smproj":
  {...}}`, `{"generation_data": {...}, "prompt": {...}}`, `{"invokeai_metadata": {...}}`), read by
  the same readers as that object in an EXIF UserComment; and InvokeAI's two chunks under its own
  namespace (`invokeai:metadata`, `invokeai:graph`), as its WebP export node writes them;
- A1111/Forge-style text.

Each record's `source` names the XMP property (`xmp:exif:UserComment`), and `moved_problem` says
that the file was re-saved. The packet is read by `xmp.xmp_property`, never by an XML parser.
"""

from __future__ import annotations

from collections.abc import Callable

from tracker.metadata import comfyui, fooocus, invokeai, other, swarmui
from tracker.metadata.a1111 import looks_like_infotext, parse_infotext
from tracker.metadata.fields import Fields
from tracker.metadata.info import GenerationInfo
from tracker.metadata.jsonsafe import load_json, quiet_json_object
from tracker.metadata.novelai import envelope_in, is_novelai, parse_novelai
from tracker.metadata.problems import FOUND_IN_XMP
from tracker.metadata.xmp import xmp_property

XMP_TEXTS = ("exif:UserComment", "dc:description")
"""XMP properties a generator's record is found in, in the order they are looked at."""
_STAND_IN = {"exif:UserComment": "UserComment", "dc:description": "ImageDescription"}
"""The EXIF tag each XMP property's text is handed to the ComfyUI reader as (it looks in both). Every other
reader is handed one property's text as the UserComment, the place it reads in a JPEG or WebP."""
_SOFTWARE = ("xmp:CreatorTool", "tiff:Software")
_SOURCE = ("photoshop:Source", "dc:source")
"""Where a PNG's `Source` (NovelAI's model) goes: exiftool's choice first, then Dublin Core's."""
_INVOKEAI_PROPERTIES = {"invokeai:metadata": "invokeai_metadata", "invokeai:graph": "invokeai_graph"}
"""InvokeAI's own XMP properties (namespace https://invoke.ai/xmp/0.0.1/) -> the PNG chunk each holds."""
_ENVELOPE_READERS: tuple[Callable[[Fields], GenerationInfo | None], ...] = (
    swarmui.parse,
    other.parse,  # Stability Matrix, TensorArt, Hugging Face Space records
    invokeai.parse,
    fooocus.parse,
)
"""Readers of a JSON record handed over as a UserComment, in the order `reader.PARSERS` tries them."""
_WRITES_XMP = frozenset({"drawthings"})
"""Generators that write their record into XMP themselves: finding it there says nothing of a re-save."""


def parse(fields: Fields) -> GenerationInfo | None:
    """The generation record a re-saving tool moved into the XMP packet, else None.

    JSON records come first, then a ComfyUI graph, then A1111-style text: a saver node's text in
    one property beside the graph in the other is ComfyUI's, as it is in the original file."""
    own = _invokeai_properties(fields.xmp)
    if own is not None:
        return own
    texts = {name: json_cleaned(text) for name in XMP_TEXTS if (text := xmp_property(fields.xmp, name))}
    if not texts:
        return None
    software = _first(fields.xmp, _SOFTWARE)
    json_texts = [name for name, text in texts.items() if quiet_json_object(text) is not None]
    for name in json_texts:
        info = _json_record(name, texts[name], texts, fields.xmp, software)
        if info is not None:
            return info
    graph = _moved(comfyui.parse, {_STAND_IN[name]: text for name, text in texts.items()}, _STAND_IN)
    if graph is not None:
        return graph
    for name, text in texts.items():
        if name not in json_texts:
            info = _moved(fooocus.parse, {"UserComment": text, "Software": software}, {name: "UserComment"})
            if info is None and looks_like_infotext(text):
                info = parse_infotext(text, f"xmp:{name}")
            if info is not None:
                return info
    return None


def _invokeai_properties(xmp: str | None) -> GenerationInfo | None:
    """InvokeAI's chunks under its own namespace, read as the PNG chunks they were, else None."""
    chunks = {
        chunk: json_cleaned(text) for name, chunk in _INVOKEAI_PROPERTIES.items() if (text := xmp_property(xmp, name))
    }
    if not chunks:
        return None
    info = invokeai.parse(Fields(png=chunks))
    if info is None:
        return None
    chunk = info.source.removeprefix("png:")
    info.source = next((f"xmp:{name}" for name, held in _INVOKEAI_PROPERTIES.items() if held == chunk), info.source)
    return info


def _first(xmp: str | None, names: tuple[str, ...]) -> str | None:
    """The text of the first of `names` the packet has."""
    return next((text for name in names if (text := xmp_property(xmp, name))), None)


def json_cleaned(text: str) -> str:
    """JSON text without the `.` exiftool writes in place of the NUL that ended the EXIF UserComment it moved
    (XML cannot hold a NUL): `{...}.` is `{...}`. Any other text is returned as it is."""
    if text.startswith("{") and text.endswith("."):
        stripped = text.rstrip(".").rstrip()
        if stripped.endswith("}"):
            return stripped
    return text


def _json_record(
    name: str, text: str, texts: dict[str, str], xmp: str | None, software: str | None
) -> GenerationInfo | None:
    """A NovelAI, SwarmUI or Fooocus JSON record in property `name`, read by its generator's reader."""
    source = f"xmp:{name}"
    envelope = envelope_in(text)
    if envelope is not None:
        return parse_novelai(envelope, source)
    for reader in _ENVELOPE_READERS:
        info = _moved(reader, {"UserComment": text, "Software": software}, {name: "UserComment"})
        if info is not None:
            return info
    beside = {
        "Comment": text,
        "Description": next((other for key, other in texts.items() if key != name), None),
        "Title": xmp_property(xmp, "dc:title"),
        "Software": software,
        "Source": _first(xmp, _SOURCE),
    }
    pair = {key: value for key, value in beside.items() if value is not None}
    return parse_novelai(pair, source) if is_novelai(pair) else None


def _moved(
    reader: Callable[[Fields], GenerationInfo | None], exif: dict[str, str | None], tags: dict[str, str]
) -> GenerationInfo | None:
    """`reader`'s record from XMP texts handed over as the EXIF tags it reads (`tags`: XMP property -> EXIF tag),
    its source and warnings naming the XMP property rather than the stand-in tag. A record read from a key of a
    JSON object (Stability Matrix's `png:parameters-json` in a converter's UserComment) names the property too."""
    stand_ins = {f"exif:{tag}": f"xmp:{name}" for name, tag in tags.items()}
    info = reader(Fields(exif={tag: text for tag, text in exif.items() if text is not None}))
    if info is None:
        return None
    info.source = _renamed(info.source, stand_ins)
    if not info.source.startswith("xmp:") and len(tags) == 1:
        info.source = f"xmp:{next(iter(tags))}"
    info.warnings = [_renamed(warning, stand_ins) for warning in info.warnings]
    return info


def _renamed(text: str, stand_ins: dict[str, str]) -> str:
    """`text` with the stand-in EXIF place it starts with replaced by the XMP property it came from."""
    for stand_in, name in stand_ins.items():
        if text.startswith(stand_in):
            return name + text[len(stand_in) :]
    return text


def moved_problem(info: GenerationInfo | None) -> list[str]:
    """The reading problem saying that a record was found in XMP, where its generator never writes it."""
    if info is None or not info.source.startswith("xmp:") or info.generator in _WRITES_XMP:
        return []
    writer = (info.generator_version or info.generator) if info.generator == "other" else info.generator
    return [
        f"{FOUND_IN_XMP} ({info.source}), not where {writer} writes it: the file was most likely re-saved "
        "by another tool (an editor, an export or an upload), which may have changed or dropped metadata"
    ]


def unread_reason(text: str) -> str:
    """Why JSON text in an XMP property was not read (`the text is not valid JSON ...`, `the text is JSON nested too
    deeply to read`), or "": shown after the property's name and size, so it names no property of its own."""
    if not text.lstrip().startswith("{"):
        return ""
    warnings: list[str] = []
    load_json(json_cleaned(text), "the text", warnings)
    return warnings[0] if warnings else ""
