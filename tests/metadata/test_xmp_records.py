"""NovelAI, SwarmUI, Fooocus, ComfyUI, Stability Matrix, TensorArt and InvokeAI records a re-saving tool moved into XMP.

Photo editors, Lightroom/Photoshop exports, exiftool and some uploaders re-save an image with its
PNG text or EXIF UserComment moved into the XMP packet. Each record must read exactly as the
original does (generator, models, LoRAs, image inputs, and so the same findings), with a problem
saying it was found in XMP. The packets are written here as exiftool writes them (an
`rdf:Description` per namespace, single-quoted attributes, `&quot;` in element text, `rdf:Alt`
lists) and as Photoshop writes simple properties (attributes).
"""

from __future__ import annotations

import hashlib
import json
import struct
import time
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pytest
from fixtures.imagefactory import NOVELAI_V3_COMMENT, pixels, write_novelai_png, write_png, write_png_itxt

from tracker.accountability.risk import load_risk_table, shipped_risk_path
from tracker.accountability.rules import READ_PROBLEM, check_rules
from tracker.metadata.info import GenerationInfo
from tracker.metadata.problems import FOUND_IN_XMP, UNREAD_TEXT, left_unread
from tracker.metadata.reader import ImageReading, read_image
from tracker.metadata.xmp import unescape, xmp_property

SWARM = {
    "sui_image_params": {
        "prompt": "a cat",
        "negativeprompt": "blurry",
        "model": "OfficialStableDiffusion/sd_xl_base_1.0",
        "seed": "1755497345",
        "steps": 16,
        "cfgscale": "2.5",
        "width": 1248,
        "height": 1824,
        "sampler": "er_sde",
        "initimagecreativity": 0.6,
        "loras": ["styles/styleA", "turbo-v0.2"],
        "loraweights": "0.4,0.7",
        "controlnetstrength": 0.8,
        "controlnetmodel": "diffusers_xl_canny_full",
        "swarm_version": "0.9.8.1",
    },
    "sui_extra_data": {"date": "2025-01-01"},
    "sui_models": [
        {"name": "OfficialStableDiffusion/sd_xl_base_1.0.safetensors", "param": "model", "hash": "0x84FC41EA"},
        {"name": "styleA.safetensors", "param": "loras", "hash": "0xe8055d97ec312203"},
    ],
}
FOOOCUS_JSON = {
    "base_model": "juggernautXL_v8Rundiffusion",
    "base_model_hash": "aeb7e9e689",
    "full_prompt": ["cinematic still a smiling goldfish"],
    "guidance_scale": 4,
    "loras": [["sd_xl_offset_example-lora_1.0", 0.1, "4852686128abcd"]],
    "metadata_scheme": "fooocus",
    "prompt": "a smiling goldfish",
    "resolution": "(768, 1280)",
    "sampler": "dpmpp_2m_sde_gpu",
    "seed": "6952411511246973023",
    "steps": 30,
    "version": "Fooocus v2.4.3",
}
_NAMESPACES = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "exif": "http://ns.adobe.com/exif/1.0/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "xmpNote": "http://ns.adobe.com/xmp/note/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "tiff": "http://ns.adobe.com/tiff/1.0/",
}
_LANG_ALT = {"dc:description", "dc:title", "exif:UserComment"}


def exiftool_packet(properties: dict[str, str]) -> str:
    """An XMP packet as exiftool writes one: a Description per namespace, language alternatives as `rdf:Alt`."""
    blocks = []
    for name, text in properties.items():
        prefix = name.split(":")[0]
        value = escape(text, {'"': "&quot;"})
        if name in _LANG_ALT:
            value = f"\n   <rdf:Alt>\n    <rdf:li xml:lang='x-default'>{value}</rdf:li>\n   </rdf:Alt>\n  "
        blocks.append(
            f"\n <rdf:Description rdf:about=''\n  xmlns:{prefix}='{_NAMESPACES[prefix]}'>\n"
            f"  <{name}>{value}</{name}>\n </rdf:Description>\n"
        )
    return (
        "<?xpacket begin='\ufeff' id='W5M0MpCehiHzreSzNTczkc9d'?>\n"
        "<x:xmpmeta xmlns:x='adobe:ns:meta/' x:xmptk='Image::ExifTool 12.57'>\n"
        "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>\n"
        + "".join(blocks)
        + "</rdf:RDF>\n</x:xmpmeta>\n"
        + (" " * 99 + "\n") * 4
        + "<?xpacket end='w'?>"
    )


def attribute_packet(properties: dict[str, str]) -> str:
    """An XMP packet with every property an attribute of one Description, as Photoshop writes simple ones."""
    attributes = "".join(f"\n   {name}={quoteattr(text, {chr(10): '&#xA;'})}" for name, text in properties.items())
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f'<rdf:Description rdf:about="" xmlns:dc="{_NAMESPACES["dc"]}" xmlns:exif="{_NAMESPACES["exif"]}"'
        f' xmlns:xmp="{_NAMESPACES["xmp"]}"{attributes}/></rdf:RDF></x:xmpmeta>'
    )


def resaved(path: Path, packet: str) -> Path:
    """The picture re-saved with nothing but the XMP packet: JPEG/WebP by Pillow, PNG with an iTXt chunk."""
    if path.suffix == ".png":
        return write_png_itxt(path, "XML:com.adobe.xmp", packet)
    pixels().save(path, "WEBP" if path.suffix == ".webp" else "JPEG", xmp=packet.encode())
    return path


def _risky_findings(reading: ImageReading) -> list[tuple[str, str]]:
    """What the accountability rules say of a reading, but for its reading problems."""
    risks = load_risk_table(shipped_risk_path())
    findings = check_rules(reading.info, risks, problems=reading.problems)
    return [(f.code, f.message) for f in findings if f.code != READ_PROBLEM]


def _summary(info: GenerationInfo | None) -> dict[str, Any]:
    assert info is not None
    return {
        "generator": (info.generator, info.generator_version, info.generator_variant),
        "prompts": (info.prompt, info.negative_prompt),
        "settings": (info.seed, info.steps, info.cfg, info.sampler, info.scheduler, info.width, info.height),
        "model": info.model,
        "vae": info.vae,
        "loras": info.loras,
        "others": info.other_resources,
        "techniques": info.techniques,
        "characters": info.params.get("characters"),
    }


def assert_reads_like(original: Path, moved: Path, where: str) -> ImageReading:
    """The copy in XMP reads as the original does, names where it was, and says it was found in XMP."""
    before, after = read_image(original), read_image(moved)
    assert after.info is not None and after.info.source == where, after.problems
    assert _summary(after.info) == _summary(before.info)
    assert _risky_findings(after) == _risky_findings(before)
    moved_notes = [p for p in after.problems if p.startswith(FOUND_IN_XMP)]
    assert len(moved_notes) == 1 and f"({where}), not where {after.info.generator} writes it" in moved_notes[0]
    assert not left_unread(after.problems)
    return after


# --- NovelAI ---------------------------------------------------------------------------------------

NOVELAI_IMG2IMG = {**NOVELAI_V3_COMMENT, "request_type": "Img2ImgRequest", "strength": 0.55, "noise": 0.1}
TECHNIQUES = ["img2img", "vibe_transfer"]
"""What the original says of that record: an uploaded image redrawn, and a vibe transfer image."""


@pytest.mark.parametrize(
    ("suffix", "software"), [(".jpg", "tiff:Software"), (".webp", "xmp:CreatorTool"), (".png", "")]
)
def test_novelai_description_and_comment_moved_into_xmp_read_as_the_original(
    tmp_path: Path, suffix: str, software: str
) -> None:
    """The PNG text chunks moved one property each, as exiftool maps them: Description to dc:description, Comment
    to exif:UserComment, Source to photoshop:Source, Software to tiff:Software (or xmp:CreatorTool, or lost)."""
    original = write_novelai_png(tmp_path / "nai.png", NOVELAI_IMG2IMG)
    properties = {
        "dc:description": NOVELAI_IMG2IMG["prompt"],
        "dc:title": "AI generated image",
        "exif:UserComment": json.dumps(NOVELAI_IMG2IMG),
        "photoshop:Source": "Stable Diffusion XL C1E1DE52",
    }
    moved = resaved(
        tmp_path / f"moved{suffix}", exiftool_packet(properties | ({software: "NovelAI"} if software else {}))
    )
    after = assert_reads_like(original, moved, "xmp:exif:UserComment")
    assert after.info is not None and after.info.generator == "novelai"
    assert after.info.generator_version == "NAI Diffusion V3"
    assert sorted(t.kind for t in after.info.techniques) == TECHNIQUES


def test_novelai_comment_and_title_without_software_still_reads_as_novelai(tmp_path: Path) -> None:
    comment = {k: v for k, v in NOVELAI_V3_COMMENT.items() if k != "prompt"}
    packet = exiftool_packet(
        {
            "dc:description": "1girl, silver hair",
            "dc:title": "NovelAI generated image",
            "exif:UserComment": json.dumps(comment),
        }
    )
    info = read_image(resaved(tmp_path / "x.jpg", packet)).info
    assert info is not None and info.generator == "novelai" and info.prompt == "1girl, silver hair"
    assert (info.seed, info.steps) == (1148692016, 28)


def test_novelai_webp_envelope_moved_into_xmp_reads_as_the_original(tmp_path: Path) -> None:
    """A NovelAI WebP keeps the whole envelope as JSON in its EXIF UserComment: moved as it is, Comment and all."""
    original = write_novelai_png(tmp_path / "nai.png", NOVELAI_V3_COMMENT, source="NovelAI Diffusion V4.5 4BDE2A90")
    envelope = {
        "Title": "AI generated image",
        "Description": NOVELAI_V3_COMMENT["prompt"],
        "Software": "NovelAI",
        "Source": "NovelAI Diffusion V4.5 4BDE2A90",
        "Generation time": "6.49",
        "Comment": json.dumps(NOVELAI_V3_COMMENT),
    }
    moved = resaved(tmp_path / "moved.jpg", attribute_packet({"exif:UserComment": json.dumps(envelope)}))
    after = assert_reads_like(original, moved, "xmp:exif:UserComment")
    assert after.info is not None and after.info.model is not None and after.info.model.hash == "4bde2a90"


# --- SwarmUI, Fooocus ------------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["element", "attribute"])
def test_swarmui_record_moved_into_xmp_reads_as_the_original(tmp_path: Path, form: str) -> None:
    text = json.dumps(SWARM, indent=2)  # Swarm writes its JSON indented: line breaks inside an attribute too
    original = write_png(tmp_path / "swarm.png", {"parameters": text})
    build = exiftool_packet if form == "element" else attribute_packet
    moved = resaved(tmp_path / "moved.webp", build({"exif:UserComment": text}))
    after = assert_reads_like(original, moved, "xmp:exif:UserComment")
    assert after.info is not None and after.info.generator == "swarmui" and len(after.info.loras) == 2


def test_fooocus_json_scheme_moved_into_xmp_reads_as_the_original(tmp_path: Path) -> None:
    text = json.dumps(FOOOCUS_JSON)
    original = write_png(tmp_path / "f.png", {"parameters": text, "fooocus_scheme": "fooocus"})
    moved = resaved(tmp_path / "moved.jpg", exiftool_packet({"dc:description": text}))
    after = assert_reads_like(original, moved, "xmp:dc:description")
    assert after.info is not None and after.info.generator == "fooocus" and after.info.loras


def test_fooocus_a1111_scheme_moved_into_xmp_is_fooocus_not_a1111(tmp_path: Path) -> None:
    """The scheme marker is lost; the software tag moved beside the text (or the text's own Version) says Fooocus."""
    text = (
        "a smiling goldfish\nNegative prompt: blurry\nSteps: 30, Sampler: DPM++ 2M SDE Karras, Seed: 7, "
        "CFG scale: 4, Size: 768x1280, Model: juggernautXL_v8, Lora weights: offset-lora: 0.1, Version: Fooocus v2.5.0"
    )
    original = write_png(tmp_path / "f.png", {"parameters": text, "fooocus_scheme": "a1111"})
    moved = resaved(
        tmp_path / "moved.jpg", exiftool_packet({"exif:UserComment": text, "xmp:CreatorTool": "Fooocus v2.5.0"})
    )
    after = assert_reads_like(original, moved, "xmp:exif:UserComment")
    assert after.info is not None and after.info.generator == "fooocus"


# --- ComfyUI ---------------------------------------------------------------------------------------


def lora_graph(padding: int = 0) -> dict[str, Any]:
    """A ComfyUI API graph with a LoRA and an IP-Adapter image input; `padding` characters of notes make it large."""
    return {
        "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "sdxl\\base_v1.safetensors"}},
        "10": {
            "class_type": "LoraLoader",
            "inputs": {"lora_name": "inkstyle.safetensors", "strength_model": 0.7, "model": ["4", 0], "clip": ["4", 1]},
        },
        "20": {"class_type": "LoadImage", "inputs": {"image": "face.png"}},
        "21": {"class_type": "IPAdapterModelLoader", "inputs": {"ipadapter_file": "ip-adapter-plus_sdxl.safetensors"}},
        "22": {
            "class_type": "IPAdapterAdvanced",
            "inputs": {"model": ["10", 0], "ipadapter": ["21", 0], "image": ["20", 0], "weight": 0.8},
        },
        "5": {"class_type": "EmptyLatentImage", "inputs": {"width": 832, "height": 1216, "batch_size": 1}},
        "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "a fox & a hare <in snow>", "clip": ["10", 1]}},
        "7": {"class_type": "CLIPTextEncode", "inputs": {"text": "lowres" + " " * padding, "clip": ["10", 1]}},
        "3": {
            "class_type": "KSampler",
            "inputs": {
                "seed": 42,
                "steps": 20,
                "cfg": 7.0,
                "sampler_name": "euler",
                "scheduler": "normal",
                "denoise": 1.0,
                "model": ["22", 0],
                "positive": ["6", 0],
                "negative": ["7", 0],
                "latent_image": ["5", 0],
            },
        },
        "8": {"class_type": "VAEDecode", "inputs": {"samples": ["3", 0], "vae": ["4", 2]}},
        "9": {"class_type": "SaveImage", "inputs": {"filename_prefix": "ComfyUI", "images": ["8", 0]}},
    }


def test_comfyui_graph_moved_into_xmp_reads_as_the_original(tmp_path: Path) -> None:
    graph = json.dumps(lora_graph())
    original = write_png(tmp_path / "c.png", {"prompt": graph})
    moved = resaved(tmp_path / "moved.png", exiftool_packet({"exif:UserComment": graph}))
    after = assert_reads_like(original, moved, "xmp:exif:UserComment")
    assert (
        after.info is not None and after.info.generator == "comfyui" and after.info.prompt == "a fox & a hare <in snow>"
    )
    assert [lora.name for lora in after.info.loras] == ["inkstyle"]
    assert [t.kind for t in after.info.techniques] == ["ipadapter"]


def jpeg_with_extended_xmp(path: Path, properties: dict[str, str], piece: int = 65000, drop: int | None = None) -> Path:
    """A JPEG whose record is in extended XMP, as exiftool and Photoshop write a packet over 64 kB: the main
    packet names the GUID, the rest follows in `http://ns.adobe.com/xmp/extension/` APP1 pieces."""
    extended = exiftool_packet(properties).encode()
    guid = hashlib.md5(extended).hexdigest().upper()
    main = (
        exiftool_packet({})
        .replace("</rdf:RDF>", "")
        .replace(
            "</x:xmpmeta>",
            f"<rdf:Description rdf:about='' xmlns:xmpNote='{_NAMESPACES['xmpNote']}'>"
            f"<xmpNote:HasExtendedXMP>{guid}</xmpNote:HasExtendedXMP></rdf:Description></rdf:RDF></x:xmpmeta>",
        )
    )
    segments = [b"http://ns.adobe.com/xap/1.0/\0" + main.encode()]
    for number, offset in enumerate(range(0, len(extended), piece)):
        if number != drop:
            header = b"http://ns.adobe.com/xmp/extension/\0" + guid.encode() + struct.pack(">II", len(extended), offset)
            segments.append(header + extended[offset : offset + piece])
    pixels().save(path, "JPEG")
    data = path.read_bytes()
    app1 = b"".join(b"\xff\xe1" + struct.pack(">H", len(s) + 2) + s for s in segments)
    path.write_bytes(data[:2] + app1 + data[2:])
    return path


def test_a_large_comfyui_graph_in_a_jpegs_extended_xmp_is_read(tmp_path: Path) -> None:
    """A graph over 64 kB does not fit one JPEG segment: exiftool moves it into extended XMP."""
    graph = json.dumps(lora_graph(padding=150_000))
    original = write_png(tmp_path / "c.png", {"prompt": graph})
    moved = jpeg_with_extended_xmp(tmp_path / "moved.jpg", {"exif:UserComment": graph})
    assert_reads_like(original, moved, "xmp:exif:UserComment")


def test_extended_xmp_with_a_piece_missing_is_named_as_damaged(tmp_path: Path) -> None:
    graph = json.dumps(lora_graph(padding=150_000))
    """What comes before the missing piece is read: a graph cut short, known as ComfyUI's as in the original."""
    reading = read_image(jpeg_with_extended_xmp(tmp_path / "x.jpg", {"exif:UserComment": graph}, drop=1))
    assert reading.info is not None and reading.info.generator == "comfyui" and reading.info.seed is None
    assert reading.info.warnings == ["xmp:exif:UserComment: graph JSON is not valid JSON; skipped"]


def test_a_graph_and_a_saver_nodes_text_in_xmp_are_comfyui(tmp_path: Path) -> None:
    """A saver node's A1111-style text beside the graph: the graph is the record, as in the original file."""
    text = "a fox\nNegative prompt: lowres\nSteps: 20, Sampler: Euler, CFG scale: 7, Seed: 42, Size: 832x1216"
    packet = exiftool_packet({"dc:description": text, "exif:UserComment": json.dumps(lora_graph())})
    info = read_image(resaved(tmp_path / "x.jpg", packet)).info
    assert info is not None and info.generator == "comfyui" and info.source == "xmp:exif:UserComment"


# --- escaping and hostile packets ------------------------------------------------------------------


def test_xml_escapes_are_undone_once_and_nothing_else_is() -> None:
    assert unescape("&quot;a&quot; &amp;amp; &lt;lora:x:1&gt; &apos;") == '"a" &amp; <lora:x:1> \''
    assert unescape("&#34;&#x22;&#10;&#x1F98A;") == '""\n🦊'
    # HTML's names, an entity a DTD declares, a reference to no character XML allows: all left as written
    assert unescape("&nbsp;&copy &c; &#0; &#xD800; &#128;") == "&nbsp;&copy &c; &#0; &#xD800; \x80"


def test_json_with_every_kind_of_escape_reads_its_text_exactly(tmp_path: Path) -> None:
    """A prompt holding `&`, `<`, quotes, `&amp;` as text and a line break survives the XMP round trip."""
    prompt = 'a "fox" & a hare, <lora:ink:0.5>, R&amp;D\nline two 🦊'
    data = {**SWARM, "sui_image_params": {**SWARM["sui_image_params"], "prompt": prompt}}
    raw = json.dumps(data, ensure_ascii=False)
    numeric = escape(raw).replace('"', "&#34;").replace("\\n", "&#x5C;n")  # every quote a decimal ref, `\` a hex ref
    packet = exiftool_packet({}).replace(
        "</rdf:RDF>",
        f"<rdf:Description rdf:about=''><exif:UserComment>{numeric}</exif:UserComment></rdf:Description></rdf:RDF>",
    )
    for path, xmp in ((tmp_path / "e.jpg", packet), (tmp_path / "a.jpg", attribute_packet({"exif:UserComment": raw}))):
        info = read_image(resaved(path, xmp)).info
        assert info is not None and info.generator == "swarmui" and info.prompt == prompt


def test_an_element_text_with_cdata_and_an_unescaped_angle_bracket(tmp_path: Path) -> None:
    raw = json.dumps(SWARM)
    packet = exiftool_packet({}).replace(
        "</rdf:RDF>",
        f"<rdf:Description><exif:UserComment><![CDATA[{raw}]]></exif:UserComment></rdf:Description></rdf:RDF>",
    )
    assert xmp_property(packet, "exif:UserComment") == raw
    sloppy = "<dc:description>a <lora:x:1> cat &amp; dog</dc:description>"
    assert xmp_property(sloppy, "dc:description") == "a <lora:x:1> cat & dog"
    assert xmp_property("<dc:description><rdf:Alt><rdf:li/><rdf:li>b</rdf:li></rdf:Alt>", "dc:description") == ""


def test_the_dot_exiftool_writes_for_a_user_comments_closing_nul_is_ignored(tmp_path: Path) -> None:
    """XML holds no NUL: exiftool writes the NUL ending a ComfyUI saver's UserComment as `.`."""
    packet = exiftool_packet({"exif:UserComment": json.dumps({"prompt": lora_graph()}) + "."})
    info = read_image(resaved(tmp_path / "x.jpg", packet)).info
    assert info is not None and info.generator == "comfyui" and info.seed == 42


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (json.dumps(SWARM)[:-40], "characters: the text is not valid JSON ("),  # a packet cut short
        (
            '{"sui_image_params": ' + "[" * 200_000 + "]" * 200_000 + "}",
            "characters: the text is JSON nested too deeply",
        ),
    ],
    ids=["truncated", "deeply-nested"],
)
def test_damaged_json_in_xmp_is_a_clear_problem(tmp_path: Path, text: str, reason: str) -> None:
    started = time.thread_time()
    reading = read_image(resaved(tmp_path / "x.png", exiftool_packet({"exif:UserComment": text})))
    assert time.thread_time() - started < 5
    assert reading.info is None
    unread = [p for p in reading.problems if p.startswith(UNREAD_TEXT)]
    assert len(unread) == 1 and "xmp:exif:UserComment" in unread[0] and reason in unread[0], unread
    assert "JSON JSON" not in unread[0] and "JSON is not valid JSON" not in unread[0], "each word once"
    assert left_unread(reading.problems)


def test_a_packet_cut_off_inside_the_record_is_named_as_damaged(tmp_path: Path) -> None:
    packet = exiftool_packet({"exif:UserComment": json.dumps(SWARM)})
    cut = packet[: packet.index("sui_models")]
    reading = read_image(resaved(tmp_path / "x.jpg", cut))
    assert reading.info is None and any("not valid JSON" in p for p in reading.problems)


def test_an_oversized_packet_is_skipped_with_a_problem(tmp_path: Path) -> None:
    packet = exiftool_packet({"exif:UserComment": json.dumps(SWARM) + " " * (9 * 2**20)})
    started = time.thread_time()
    reading = read_image(resaved(tmp_path / "x.png", packet))
    assert time.thread_time() - started < 5
    assert reading.info is None
    assert any(p.startswith("XMP packet of ") and p.endswith("MiB limit: skipped") for p in reading.problems)
    assert left_unread(reading.problems)


@pytest.mark.parametrize("repeated", ["<exif:UserComment><rdf:Alt><rdf:li>{", "exif:UserComment='{&quot;"])
def test_half_open_tags_around_json_are_read_at_once(tmp_path: Path, repeated: str) -> None:
    path = write_png(tmp_path / "x.png", {"XML:com.adobe.xmp": repeated * (400_000 // len(repeated))})
    started = time.thread_time()
    reading = read_image(path)
    assert time.thread_time() - started < 5
    assert reading.info is None and left_unread(reading.problems)


def test_draw_things_own_xmp_record_has_no_resaved_note(tmp_path: Path) -> None:
    record = {"c": "a fish", "model": "flux_1_dev_q8p.ckpt", "seed": 1, "steps": 8, "scale": 3.5, "size": "64x48"}
    packet = exiftool_packet({"exif:UserComment": json.dumps(record), "xmp:CreatorTool": "Draw Things"})
    reading = read_image(resaved(tmp_path / "x.png", packet))
    assert reading.info is not None and reading.info.generator == "drawthings"
    assert not [p for p in reading.problems if p.startswith(FOUND_IN_XMP)]


# --- Stability Matrix, TensorArt, InvokeAI ---------------------------------------------------------
# Each writes PNG text chunks only. A converter to JPEG/WebP keeps them as one JSON object in the EXIF
# UserComment, a key per chunk (`{"parameters-json": {...}, "smproj": {...}}`), which a re-save moves
# into exif:UserComment; InvokeAI's WebP export node writes its two chunks under its own namespace.

SM_TEXT = "1girl, lighthouse <lora:pixel:0.7>\nNegative prompt: bad\nSteps: 20, Sampler: Euler a, Seed: 1, Size: 64x64"
SM_JSON = {
    "PositivePrompt": "1girl, lighthouse <lora:pixel:0.7>",
    "NegativePrompt": "bad",
    "Steps": 20,
    "Sampler": "Euler Ancestral Karras",
    "CfgScale": 5,
    "Seed": 395309383,
    "Height": 1024,
    "Width": 1024,
    "ModelHash": "A5F5",
    "ModelName": "wai.safetensors",
}
SM_PROJECT = {"ProjectType": "ImageToImage", "State": {"Sampler": {"DenoiseStrength": 0.55}}}
TENSORART = {
    "prompt": "a lighthouse at dusk",
    "negativePrompt": "blurry",
    "width": 1024,
    "height": 1024,
    "steps": 25,
    "cfgScale": 7,
    "seed": "-1",
    "baseModel": {"modelFileName": "WAI-16", "hash": "A5F5"},
    "ksamplerName": "euler_ancestral",
    "models": [{"type": "LORA", "modelFileName": "inkstyle", "weight": 0.6}],
    "controlnets": [{"preprocessor": "canny", "model": "control_canny", "weight": 0.8}],
}
TENSORART_GRAPH = {"11002": {"class_type": "KSampler", "inputs": {"seed": 3036459311}}}
INVOKE_METADATA = {
    "app_version": "4.2.4",
    "generation_mode": "sdxl_img2img",
    "positive_prompt": "a lighthouse at dusk",
    "negative_prompt": "blurry",
    "seed": 3951921344,
    "steps": 24,
    "cfg_scale": 6.0,
    "scheduler": "euler_a",
    "width": 1024,
    "height": 1024,
    "strength": 0.6,
    "init_image": "init.png",
    "model": {"name": "juggernautXL", "hash": "blake3:7c1631b4", "base": "sdxl", "type": "main"},
    "loras": [{"model": {"name": "detail_slider", "hash": "ab12", "base": "sdxl"}, "weight": 0.6}],
}
INVOKE_GRAPH = {"id": "g", "nodes": {}, "edges": []}


def _who(info: GenerationInfo | None) -> str:
    """The name the moved note gives the generator: a front-end reported as `other` by its own name."""
    assert info is not None
    return info.generator_version or info.generator if info.generator == "other" else info.generator


def assert_front_end_reads_like(original: Path, moved: Path, where: str) -> GenerationInfo:
    """As `assert_reads_like`, the note naming a front-end reported as `other` (Stability Matrix) by its name."""
    before, after = read_image(original), read_image(moved)
    assert after.info is not None and after.info.source == where, (after.info, after.problems)
    assert _summary(after.info) == _summary(before.info)
    assert _risky_findings(after) == _risky_findings(before)
    moved_notes = [p for p in after.problems if p.startswith(FOUND_IN_XMP)]
    assert len(moved_notes) == 1 and f"({where}), not where {_who(after.info)} writes it" in moved_notes[0]
    assert not left_unread(after.problems)
    return after.info


@pytest.mark.parametrize(("suffix", "form"), [(".jpg", "element"), (".webp", "attribute")])
def test_stability_matrix_record_moved_into_xmp_reads_as_the_original(tmp_path: Path, suffix: str, form: str) -> None:
    chunks = {"parameters": SM_TEXT, "parameters-json": json.dumps(SM_JSON), "smproj": json.dumps(SM_PROJECT)}
    original = write_png(tmp_path / "sm.png", chunks)
    envelope = {"parameters": SM_TEXT, "parameters-json": SM_JSON, "smproj": SM_PROJECT}
    build = exiftool_packet if form == "element" else attribute_packet
    moved = resaved(tmp_path / f"moved{suffix}", build({"exif:UserComment": json.dumps(envelope)}))
    info = assert_front_end_reads_like(original, moved, "xmp:exif:UserComment")
    assert (info.generator, info.generator_version) == ("other", "Stability Matrix")
    assert (info.seed, info.sampler) == (395309383, "Euler Ancestral Karras")
    assert [(t.kind, t.weight) for t in info.techniques] == [("img2img", 0.55)]


def test_tensorart_record_moved_into_xmp_reads_as_the_original(tmp_path: Path) -> None:
    """Its random seed is still taken from the backend graph beside it, as in the PNG."""
    chunks = {"generation_data": json.dumps(TENSORART) + "\0", "prompt": json.dumps(TENSORART_GRAPH)}
    original = write_png(tmp_path / "ta.png", chunks)
    envelope = {"generation_data": TENSORART, "prompt": TENSORART_GRAPH}
    moved = resaved(tmp_path / "moved.jpg", exiftool_packet({"dc:description": json.dumps(envelope)}))
    info = assert_front_end_reads_like(original, moved, "xmp:dc:description")
    assert (info.generator, info.generator_version, info.seed) == ("other", "TensorArt", 3036459311)
    assert [lora.name for lora in info.loras] == ["inkstyle"] and [t.kind for t in info.techniques] == ["controlnet"]


def test_invokeai_record_moved_into_xmp_reads_as_the_original(tmp_path: Path) -> None:
    chunks = {"invokeai_metadata": json.dumps(INVOKE_METADATA), "invokeai_graph": json.dumps(INVOKE_GRAPH)}
    original = write_png(tmp_path / "invoke.png", chunks)
    envelope = {"invokeai_metadata": INVOKE_METADATA, "invokeai_graph": INVOKE_GRAPH}
    moved = resaved(tmp_path / "moved.webp", exiftool_packet({"exif:UserComment": json.dumps(envelope)}))
    info = assert_front_end_reads_like(original, moved, "xmp:exif:UserComment")
    assert (info.generator, info.seed, info.steps) == ("invokeai", 3951921344, 24)
    assert [lora.name for lora in info.loras] == ["detail_slider"] and [t.kind for t in info.techniques] == ["img2img"]


def invokeai_export_packet(metadata: dict[str, Any], graph: dict[str, Any]) -> str:
    """The packet InvokeAI's WebP export node writes: an `rdf:Description` holding `xmp:CreatorTool` and the two
    chunks as `invokeai:metadata` and `invokeai:graph` (namespace https://invoke.ai/xmp/0.0.1/), serialised as
    Python's ElementTree does (only `&`, `<` and `>` escaped in element text)."""
    body = "".join(
        f"<{name}>{escape(json.dumps(value))}</{name}>"
        for name, value in (("invokeai:metadata", metadata), ("invokeai:graph", graph))
    )
    return (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
        'xmlns:invokeai="https://invoke.ai/xmp/0.0.1/"><rdf:Description about="">'
        f"<xmp:CreatorTool>invoke.ai InvokeAI 4.2.4</xmp:CreatorTool>{body}</rdf:Description></rdf:RDF>"
    )


def test_invokeai_chunks_under_its_own_xmp_namespace_read_as_the_original(tmp_path: Path) -> None:
    chunks = {"invokeai_metadata": json.dumps(INVOKE_METADATA), "invokeai_graph": json.dumps(INVOKE_GRAPH)}
    original = write_png(tmp_path / "invoke.png", chunks)
    moved = resaved(tmp_path / "export.webp", invokeai_export_packet(INVOKE_METADATA, INVOKE_GRAPH))
    info = assert_front_end_reads_like(original, moved, "xmp:invokeai:metadata")
    assert (info.generator, info.prompt, info.seed) == ("invokeai", "a lighthouse at dusk", 3951921344)


def test_a_plain_json_user_comment_in_xmp_is_not_taken_for_a_front_end(tmp_path: Path) -> None:
    """Only the chunk names these front-ends write make a record theirs: other JSON stays unread, as before."""
    packet = exiftool_packet({"exif:UserComment": json.dumps({"prompt": "a cat", "seed": 1, "title": "x"})})
    reading = read_image(resaved(tmp_path / "x.jpg", packet))
    assert reading.info is None or reading.info.generator not in ("other", "invokeai")
