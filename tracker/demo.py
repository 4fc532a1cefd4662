"""A throwaway demo archive for `tracker demo`: generated pictures, real metadata, two complaints.

`seed_demo(folder)` builds a normal tracker data folder (a fresh SQLite database, the archive
beside it) through the real use cases (`log_post`, `add_complaint`), so the demo has the hashes,
findings and audit trail a real archive has. Contents:

- persona **moth**: four pixiv posts and one on X; persona **lantern**: two Bluesky posts and
  one on X, posted 12 to 40 days before `now`; replies signed "Moth" and "Lantern" (`DISPLAY_NAMES`).
- The pictures are drawn here (a gradient, a fractal texture, shapes, strokes, a caption; no
  third-party images; 768x512 or 512x768) and carry generation metadata written the way the
  tools write it: AUTOMATIC1111 and Forge `parameters` text chunks (prompt, negative prompt,
  settings with model hash and `Lora hashes`), one with a ControlNet canny unit, a NovelAI PNG
  (`Software`, `Source`, JSON `Comment`), one with an artist's name in the prompt
  (ARTIST_NAME) and one with no metadata at all (NO_METADATA).
- complaint A, **overdue**: a Japanese platform-law request received 20 days ago (the 7-day
  answer target has passed), naming no post; the complainant's picture is the central 70% of
  one of moth's pixiv posts at 60% size, re-encoded as a JPEG at quality 70, so
  `tracker match` finds that post.
- complaint B, recent: an EU DSA notice received 2 days ago naming one of lantern's Bluesky
  posts, with an unrelated picture.

Everything is deterministic (fixed seeds and texts) except the times, which are relative to `now`.
"""

from __future__ import annotations

import json
import random
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont, PngImagePlugin
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tracker.accountability.report import ReportContext
from tracker.accountability.risk import load_risk_table
from tracker.accountability.rules import RuleLists
from tracker.complaints.complaint_input import ComplaintInput
from tracker.complaints.intake import add_complaint
from tracker.db.models import Channel, InputKind, LegalBasis, Post, Technique
from tracker.db.session import open_database
from tracker.errors import UsageError
from tracker.metadata.reader import read_image
from tracker.platforms.urls import Platform, load_platforms
from tracker.posts.input_files import add_input
from tracker.posts.log import LogRequest, log_post
from tracker.posts.personas import set_persona
from tracker.resources.catalog import set_resource
from tracker.support.files import make_private_dir
from tracker.support.settings import Settings, load_settings

LANDSCAPE = (768, 512)
PORTRAIT = (512, 768)
NEGATIVE = "lowres, bad anatomy, watermark, signature"
A1111_VERSION = "v1.10.1"
FORGE_VERSION = "f2.0.1v1.10.1-previous-669-gdfdcbab6"
CONTROLNET_UNIT = (
    'ControlNet 0: "Module: canny, Model: control_v11p_sd15_canny [d14c016b], Weight: 1.0, '
    "Resize Mode: Crop and Resize, Processor Res: 512, Threshold A: 100.0, Threshold B: 200.0, "
    'Guidance Start: 0.0, Guidance End: 1.0, Pixel Perfect: False, Control Mode: Balanced"'
)
NOVELAI_SOURCE = "Stable Diffusion XL C1E1DE52"
OVERDUE_DAYS = 20
RECENT_DAYS = 2


@dataclass(frozen=True)
class Checkpoint:
    """A model as the webui names it in the infotext."""

    name: str
    hash: str
    """AutoV2: the first 10 hex digits of the file's sha256."""


@dataclass(frozen=True)
class Lora:
    """A LoRA named in the prompt (`<lora:name:weight>`) and in `Lora hashes`."""

    name: str
    hash: str
    """The 12-hex-digit hash the webui writes."""
    weight: float = 0.8


WAI = Checkpoint("waiIllustriousSDXL_v160", "45a21ea00a")
HASSAKU = Checkpoint("hassakuXL_v13", "163ac69059")
HARBOURLIGHT = Lora("harbourlight", "0123456789ab")
INKWASH = Lora("inkwash", "a1b2c3d4e5f6", 0.6)


@dataclass(frozen=True)
class Generation:
    """The settings behind one AUTOMATIC1111/Forge picture."""

    prompt: str
    seed: int
    checkpoint: Checkpoint = WAI
    loras: tuple[Lora, ...] = ()
    steps: int = 28
    sampler: str = "DPM++ 2M"
    cfg: float = 6.0
    controlnet: bool = False
    forge: bool = False


def a1111_infotext(gen: Generation, size: tuple[int, int]) -> str:
    """The `parameters` text the webui writes: prompt, negative prompt, one line of settings."""
    prompt = ", ".join([gen.prompt, *(f"<lora:{lora.name}:{lora.weight:g}>" for lora in gen.loras)])
    settings = [
        f"Steps: {gen.steps}",
        f"Sampler: {gen.sampler}",
        "Schedule type: Karras",
        f"CFG scale: {gen.cfg:g}",
        f"Seed: {gen.seed}",
        f"Size: {size[0]}x{size[1]}",
        f"Model hash: {gen.checkpoint.hash}",
        f"Model: {gen.checkpoint.name}",
    ]
    if gen.loras:
        hashes = ", ".join(f"{lora.name}: {lora.hash}" for lora in gen.loras)
        settings.append(f'Lora hashes: "{hashes}"')
    if gen.controlnet:
        settings.append(CONTROLNET_UNIT)
    settings.append(f"Version: {FORGE_VERSION if gen.forge else A1111_VERSION}")
    return f"{prompt}\nNegative prompt: {NEGATIVE}\n{', '.join(settings)}"


def a1111_chunks(gen: Generation, size: tuple[int, int]) -> dict[str, str]:
    return {"parameters": a1111_infotext(gen, size)}


def novelai_chunks(prompt: str, seed: int, size: tuple[int, int]) -> dict[str, str]:
    """The text chunks NovelAI writes: Title, Description, Software, Source, time, JSON Comment."""
    comment: dict[str, Any] = {
        "prompt": prompt,
        "steps": 28,
        "height": size[1],
        "width": size[0],
        "scale": 5.0,
        "uncond_scale": 0.0,
        "cfg_rescale": 0.0,
        "seed": seed,
        "n_samples": 1,
        "noise_schedule": "karras",
        "sampler": "k_euler_ancestral",
        "uc": "lowres, bad anatomy, bad hands, text, error",
        "request_type": "PromptGenerateRequest",
    }
    return {
        "Title": "AI generated image",
        "Description": prompt,
        "Software": "NovelAI",
        "Source": NOVELAI_SOURCE,
        "Generation time": "5.12",
        "Comment": json.dumps(comment),
    }


Colour = tuple[int, int, int]


def _colour(rng: random.Random, low: int = 0, high: int = 256) -> Colour:
    return (rng.randrange(low, high), rng.randrange(low, high), rng.randrange(low, high))


def _background(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    """A vertical two-colour gradient with a fractal texture blended in."""
    mask = Image.linear_gradient("L").resize(size)
    gradient = Image.composite(
        Image.new("RGB", size, _colour(rng, 30, 200)), Image.new("RGB", size, _colour(rng, 30, 200)), mask
    )
    cx, cy, span = rng.uniform(-1.2, -0.2), rng.uniform(-0.6, 0.6), rng.uniform(0.4, 1.2)
    extent = (cx - span, cy - span * size[1] / size[0], cx + span, cy + span * size[1] / size[0])
    fractal = Image.effect_mandelbrot(size, extent, 60).convert("RGB")
    return Image.blend(gradient, fractal, 0.35)


def _shapes(draw: ImageDraw.ImageDraw, rng: random.Random, size: tuple[int, int]) -> None:
    width, height = size
    for _ in range(14):
        x0, y0 = rng.randrange(width), rng.randrange(height)
        box = (x0, y0, x0 + rng.randrange(30, width // 2), y0 + rng.randrange(30, height // 2))
        if rng.random() < 0.5:
            draw.ellipse(box, fill=_colour(rng), outline=(0, 0, 0), width=3)
        else:
            draw.rectangle(box, fill=_colour(rng), outline=(255, 255, 255), width=3)
    for _ in range(40):
        x, y = rng.randrange(width), rng.randrange(height)
        end = (x + rng.randrange(-80, 80), y + rng.randrange(-80, 80))
        draw.line([(x, y), end], fill=(20, 20, 20), width=2)


def picture(seed: int, caption: str, size: tuple[int, int] = LANDSCAPE) -> Image.Image:
    """A distinct, textured drawing for `seed`: gradient, fractal, shapes, strokes, a caption."""
    rng = random.Random(seed)
    image = _background(rng, size)
    draw = ImageDraw.Draw(image)
    _shapes(draw, rng, size)
    font = ImageFont.load_default(size=22)
    draw.text((18, size[1] - 40), caption, fill=(255, 255, 255), font=font, stroke_width=2, stroke_fill=(0, 0, 0))
    return image


def write_png(path: Path, image: Image.Image, chunks: Mapping[str, str]) -> Path:
    """Save a PNG with text chunks the way Pillow (and so the webui and NovelAI) writes them."""
    info = PngImagePlugin.PngInfo()
    for key, value in chunks.items():
        info.add_text(key, value)
    image.save(path, "PNG", pnginfo=info)
    return path


def complainant_copy(source: Path, target: Path) -> Path:
    """The central 70% of a picture at 60% size, re-encoded as JPEG q70: what a complainant sends."""
    with Image.open(source) as image:
        w, h = image.size
        crop = image.convert("RGB").crop((int(w * 0.15), int(h * 0.15), int(w * 0.85), int(h * 0.85)))
    small = crop.resize((int(crop.width * 0.6), int(crop.height * 0.6)), Image.Resampling.LANCZOS)
    small.save(target, "JPEG", quality=70)
    return target


@dataclass(frozen=True)
class Sample:
    """One demo post: its picture, metadata and where it was posted."""

    name: str
    persona: str
    url: str
    title: str
    size: tuple[int, int]
    seed: int
    """Draws the picture (the generation seed, when the metadata has one)."""
    chunks: dict[str, str] = field(default_factory=dict)


def _a1111_sample(name: str, persona: str, url: str, title: str, size: tuple[int, int], gen: Generation) -> Sample:
    return Sample(name, persona, url, title, size, gen.seed, a1111_chunks(gen, size))


SAMPLES: tuple[Sample, ...] = (
    _a1111_sample(
        "harbour.png",
        "moth",
        "https://www.pixiv.net/artworks/120000001",
        "Harbour lights",
        LANDSCAPE,
        Generation("harbour at dusk, fishing boats, paper lanterns, calm water", 1001, loras=(HARBOURLIGHT,)),
    ),
    _a1111_sample(
        "orchard.png",
        "moth",
        "https://www.pixiv.net/artworks/120000002",
        "Orchard in fog",
        LANDSCAPE,
        Generation(
            "apple orchard, morning fog, ladder against a tree",
            1010,
            HASSAKU,
            (HARBOURLIGHT, INKWASH),
            sampler="Euler a",
            cfg=5.0,
            controlnet=True,
            forge=True,
        ),
    ),
    _a1111_sample(
        "stairs.png",
        "moth",
        "https://www.pixiv.net/artworks/120000003",
        "Spiral stairs",
        PORTRAIT,
        Generation("spiral stone stairs, dramatic light, by Greg Rutkowski, trending on artstation", 1003),
    ),
    Sample("nometa.png", "moth", "https://www.pixiv.net/artworks/120000004", "Untitled", PORTRAIT, 1004),
    _a1111_sample(
        "tide.png",
        "moth",
        "https://x.com/moth_makes/status/1800000000000000001",
        "Low tide",
        LANDSCAPE,
        Generation("low tide, wet rocks, seabirds, overcast", 1005, loras=(INKWASH,)),
    ),
    Sample(
        "market.png",
        "lantern",
        "https://bsky.app/profile/lantern.bsky.social/post/3kdemo1market",
        "Night market",
        PORTRAIT,
        2771863911,
        novelai_chunks("1girl, lantern, night market, warm light, bokeh", 2771863911, PORTRAIT),
    ),
    _a1111_sample(
        "bridge.png",
        "lantern",
        "https://bsky.app/profile/lantern.bsky.social/post/3kdemo2bridge",
        "Bridge in rain",
        LANDSCAPE,
        Generation("stone bridge in rain, reflections, umbrella", 1007, HASSAKU, (HARBOURLIGHT,), forge=True),
    ),
    _a1111_sample(
        "kiln.png",
        "lantern",
        "https://x.com/lantern_ai/status/1800000000000000008",
        "Kiln",
        PORTRAIT,
        Generation("pottery kiln at night, embers, glowing bricks", 1008, loras=(INKWASH,)),
    ),
)
MATCHED = "orchard.png"
"""The post complaint A's picture is a crop of."""
NAMED = "market.png"
"""The post complaint B names."""


@dataclass(frozen=True)
class DemoInfo:
    """What was built, for the command's message and for tests."""

    data_dir: Path
    db_url: str
    db_path: Path | None
    personas: int
    posts: int
    overdue_complaint: int
    recent_complaint: int
    matched_post_id: int
    """The post complaint A's picture is a crop of."""
    matched_post_url: str


@dataclass(frozen=True)
class _Archive:
    settings: Settings
    factory: sessionmaker[Session]
    platforms: Mapping[str, Platform]
    ctx: ReportContext


def _open(data_dir: Path) -> _Archive:
    """A fresh database and archive in `data_dir`, with the shipped reference data."""
    if data_dir.exists() and any(data_dir.iterdir()):
        raise UsageError(f"{data_dir} is not empty: the demo needs a new or empty folder")
    make_private_dir(data_dir)
    settings = load_settings(db=None, data_dir=str(data_dir), env={})
    ctx = ReportContext(
        risks=load_risk_table(settings.reference_file("risk.toml")),
        lists=RuleLists.load(settings.data_dir),
        local_file=None,
    )
    platforms = load_platforms(settings.reference_file("platforms.toml"))
    return _Archive(settings, open_database(settings), platforms, ctx)


def _log_samples(archive: _Archive, files: Path, now: datetime) -> dict[str, tuple[int, Path]]:
    """Draw, save and log every sample; {name: (post id, file)}."""
    logged: dict[str, tuple[int, Path]] = {}
    for number, sample in enumerate(SAMPLES):
        path = write_png(files / sample.name, picture(sample.seed, sample.title, sample.size), sample.chunks)
        request = LogRequest(
            url=sample.url, persona=sample.persona, title=sample.title, posted_at=now - timedelta(days=40 - 4 * number)
        )
        outcome = log_post(archive.factory, archive.settings, read_image(path), request, archive.platforms, archive.ctx)
        logged[sample.name] = (outcome.post_id, path)
    return logged


def _overdue_complaint(archive: _Archive, image: Path, now: datetime) -> int:
    """Complaint A: a Japanese request about a picture, naming no post, past its answer target."""
    data = ComplaintInput(
        received_at=now - timedelta(days=OVERDUE_DAYS),
        channel=Channel.PLATFORM_FORM,
        legal_basis=LegalBasis.JAPAN,
        platform="pixiv",
        ticket_id="PX-2291-0457",
        complainant_name="Sato Hana",
        complainant_org="Atelier Kirisame",
        complainant_role="rights holder",
        complainant_contact="hana.sato@kirisame.example.jp",
        claimed_title="Orchard in fog (watercolour, 2024)",
        claimed_description="A watercolour of an apple orchard in morning fog, shown at a gallery in Kyoto.",
        claimed_urls=["https://kirisame.example.jp/works/orchard-in-fog"],
        message=(
            "One of your posts reproduces my watercolour 'Orchard in fog' without permission. "
            "A copy of my work is attached. Please remove it and confirm."
        ),
        elements={"right"},
        images=[image],
    )
    return add_complaint(archive.factory, archive.settings, data, archive.platforms)


def _recent_complaint(archive: _Archive, post_url: str, image: Path, now: datetime) -> int:
    """Complaint B: a fresh DSA notice naming one post, with an unrelated picture."""
    data = ComplaintInput(
        received_at=now - timedelta(days=RECENT_DAYS),
        channel=Channel.EMAIL,
        legal_basis=LegalBasis.DSA,
        platform="bluesky",
        complainant_name="Jonas Berg",
        complainant_org="Studio North",
        complainant_role="agent",
        complainant_contact="legal@studio-north.example",
        claimed_title="Night market poster (2023)",
        claimed_urls=["https://studio-north.example/posters/night-market"],
        message=(
            "We act for the illustrator of the 'Night market' poster. We believe the linked post copies "
            "its composition and lighting. We state in good faith that this notice is accurate."
        ),
        elements={"substantiation", "good_faith", "name_email"},
        posts=[post_url],
        images=[image],
    )
    return add_complaint(archive.factory, archive.settings, data, archive.platforms)


def _provenance(archive: _Archive, files: Path, logged: dict[str, tuple[int, Path]]) -> None:
    """What the owner records beyond the metadata: one model's licence and creator, one ControlNet input."""
    set_resource(
        archive.factory,
        "waiIllustriousSDXL_v160",
        creator="sample-checkpoint-author (demo)",
        licence="non-commercial licence (demo entry)",
        commercial="no",
    )
    set_resource(archive.factory, "harbourlight", creator="inkbird (demo)")
    with archive.factory() as session:
        post_ids = [post_id for post_id, _ in logged.values()]
        with_technique = session.scalar(
            select(Post.id).join(Technique, Technique.image_id == Post.image_id).where(Post.id.in_(post_ids))
        )
    if with_technique is None:
        return
    sketch = write_png(files / "my-line-sketch.png", picture(77, "line sketch", PORTRAIT), {})
    add_input(
        archive.factory,
        archive.settings,
        str(with_technique),
        None,
        sketch,
        InputKind.OWN_ASSET,
        archive.platforms,
        archive.ctx,
        note="my own pencil sketch, scanned (demo)",
    )


DISPLAY_NAMES = {"moth": "Moth", "lantern": "Lantern"}
"""The names each demo persona signs its replies with (`tracker persona set NAME --display-name`)."""


def seed_demo(data_dir: Path, now: datetime | None = None) -> DemoInfo:
    """Build the demo archive in `data_dir` (a new or empty folder); times are relative to `now`."""
    now = now or datetime.now(UTC)
    archive = _open(data_dir)
    with tempfile.TemporaryDirectory(prefix="tracker-demo-files-") as tmp:
        files = Path(tmp)
        logged = _log_samples(archive, files, now)
        for persona, signed in DISPLAY_NAMES.items():  # how the demo's letters are signed
            set_persona(archive.factory, persona, display_name=signed)
        theirs = complainant_copy(logged[MATCHED][1], files / "orchard-in-fog-scan.jpg")
        unrelated = write_png(files / "night-market-poster.png", picture(99, "Studio North", PORTRAIT), {})
        overdue = _overdue_complaint(archive, theirs, now)
        named_url = next(s.url for s in SAMPLES if s.name == NAMED)
        recent = _recent_complaint(archive, named_url, unrelated, now)
        _provenance(archive, files, logged)
    matched_url = next(s.url for s in SAMPLES if s.name == MATCHED)
    return DemoInfo(
        data_dir=data_dir,
        db_url=archive.settings.db_url,
        db_path=archive.settings.sqlite_path,
        personas=len({s.persona for s in SAMPLES}),
        posts=len(SAMPLES),
        overdue_complaint=overdue,
        recent_complaint=recent,
        matched_post_id=logged[MATCHED][0],
        matched_post_url=matched_url,
    )
