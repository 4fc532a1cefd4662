"""A throwaway demo archive for `tracker demo`: generated pictures, real metadata, two complaints.

Everything goes through the real use cases (`log_post`, `add_complaint`), so the demo has the
audit trail, findings and hashes a real archive has. Contents:

- persona **moth**: four pixiv posts and one on X; persona **lantern**: two Bluesky posts and one
  on X. The pictures are drawn here (gradients, shapes, a caption: no third-party images) and
  carry generation metadata written the way the tools write it: AUTOMATIC1111/Forge `parameters`
  (model, LoRA hashes, one with a ControlNet unit), a NovelAI PNG, one with an artist's name in
  the prompt, and one with no metadata at all (both flagged by the accountability report).
- complaint A, **overdue**: a Japanese platform-law request received 20 days ago, naming no post,
  with the complainant's image = the central 70% of one of moth's pixiv posts at 60% size as a
  JPEG (the similarity engine finds that post);
- complaint B, recent: an EU DSA notice naming one of lantern's Bluesky posts, with an unrelated
  picture.
"""

from __future__ import annotations

import json
import random
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PIL import Image, ImageDraw, PngImagePlugin

from tracker.accountability import ReportContext
from tracker.complaints import ComplaintInput, add_complaint
from tracker.config import load_settings
from tracker.db.models import Channel, LegalBasis
from tracker.db.session import open_database
from tracker.metadata.findings import RuleLists
from tracker.metadata.reader import read_image
from tracker.platforms import load_platforms
from tracker.posts import LogRequest, log_post
from tracker.risk import load_risk_table

SIZE = (640, 448)
A1111 = (
    "{prompt}\n"
    "Negative prompt: lowres, bad anatomy, watermark\n"
    "Steps: 28, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 6, Seed: {seed}, Size: 832x576, "
    "Model hash: 45a21ea00a, Model: waiIllustriousSDXL_v160, "
    'Lora hashes: "harbourlight: 0a1b2c3d4e5f", Version: v1.10.1{extra}'
)
CONTROLNET = (
    ', ControlNet 0: "Module: canny, Model: control_v11p_sd15_canny [d14c016b], Weight: 0.8, '
    "Resize Mode: Crop and Resize, Processor Res: 512, Guidance Start: 0.0, Guidance End: 1.0, "
    'Pixel Perfect: False, Control Mode: Balanced"'
)
NOVELAI_COMMENT = {
    "prompt": "1girl, lantern, night market, warm light, bokeh",
    "steps": 28,
    "height": 1216,
    "width": 832,
    "scale": 5.0,
    "uncond_scale": 0.0,
    "cfg_rescale": 0.0,
    "seed": 2771863911,
    "n_samples": 1,
    "noise_schedule": "karras",
    "sampler": "k_euler_ancestral",
    "uc": "lowres, bad anatomy",
}


@dataclass(frozen=True)
class DemoInfo:
    """What was built, for the command's message and for tests."""

    data_dir: Path
    personas: int
    posts: int
    overdue_complaint: int
    recent_complaint: int
    matched_post_url: str
    """The post the overdue complaint's picture is a crop of."""


def picture(seed: int, caption: str, size: tuple[int, int] = SIZE) -> Image.Image:
    """A distinct, textured drawing: a two-colour gradient, shapes, a caption."""
    rng = random.Random(seed)
    width, height = size
    top = tuple(rng.randrange(40, 220) for _ in range(3))
    bottom = tuple(rng.randrange(40, 220) for _ in range(3))
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / max(1, height - 1)
        draw.line([(0, y), (width, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    for _ in range(14):
        x0, y0 = rng.randrange(width), rng.randrange(height)
        x1, y1 = x0 + rng.randrange(30, width // 2), y0 + rng.randrange(30, height // 2)
        colour = tuple(rng.randrange(256) for _ in range(3))
        if rng.random() < 0.5:
            draw.ellipse([x0, y0, x1, y1], fill=colour, outline=(0, 0, 0), width=3)
        else:
            draw.rectangle([x0, y0, x1, y1], fill=colour, outline=(255, 255, 255), width=3)
    for _ in range(40):
        x, y = rng.randrange(width), rng.randrange(height)
        draw.line([(x, y), (x + rng.randrange(-80, 80), y + rng.randrange(-80, 80))], fill=(20, 20, 20), width=2)
    draw.text((16, height - 28), caption, fill=(255, 255, 255))
    return image


def _png(path: Path, image: Image.Image, text: dict[str, str]) -> Path:
    info = PngImagePlugin.PngInfo()
    for key, value in text.items():
        info.add_text(key, value)
    image.save(path, "PNG", pnginfo=info)
    return path


def _a1111(prompt: str, seed: int, extra: str = "") -> dict[str, str]:
    return {"parameters": A1111.format(prompt=prompt, seed=seed, extra=extra)}


def _novelai() -> dict[str, str]:
    return {
        "Title": "AI generated image",
        "Description": str(NOVELAI_COMMENT["prompt"]),
        "Software": "NovelAI",
        "Source": "Stable Diffusion XL C1E1DE52",
        "Generation time": "5.12",
        "Comment": json.dumps(NOVELAI_COMMENT),
    }


@dataclass(frozen=True)
class _Sample:
    name: str
    persona: str
    url: str
    title: str
    metadata: dict[str, str]


SAMPLES = (
    _Sample(
        "harbour.png",
        "moth",
        "https://www.pixiv.net/artworks/120000001",
        "Harbour lights",
        _a1111("harbour at dusk, boats, lanterns, <lora:harbourlight:0.7>", 1001),
    ),
    _Sample(
        "orchard.png",
        "moth",
        "https://www.pixiv.net/artworks/120000002",
        "Orchard",
        _a1111("apple orchard, morning fog, <lora:harbourlight:0.5>", 1002, CONTROLNET),
    ),
    _Sample(
        "stairs.png",
        "moth",
        "https://www.pixiv.net/artworks/120000003",
        "Stairs",
        _a1111("spiral stairs, art by Greg Rutkowski, dramatic light", 1003),
    ),
    _Sample("nometa.png", "moth", "https://www.pixiv.net/artworks/120000004", "Untitled", {}),
    _Sample(
        "tide.png",
        "moth",
        "https://x.com/moth_makes/status/1800000000000000001",
        "Tide",
        _a1111("low tide, rocks, seabirds", 1005),
    ),
    _Sample(
        "market.png",
        "lantern",
        "https://bsky.app/profile/lantern.bsky.social/post/3kdemo1market",
        "Night market",
        _novelai(),
    ),
    _Sample(
        "bridge.png",
        "lantern",
        "https://bsky.app/profile/lantern.bsky.social/post/3kdemo2bridge",
        "Bridge",
        _a1111("stone bridge in rain, reflections", 1007),
    ),
    _Sample(
        "kiln.png",
        "lantern",
        "https://x.com/lantern_ai/status/1800000000000000008",
        "Kiln",
        _a1111("pottery kiln, embers, night", 1008),
    ),
)
MATCHED = "orchard.png"


def _complainant_copy(source: Path, target: Path) -> Path:
    """The central 70% of a post, at 60% size, re-encoded as JPEG: what a complainant might send."""
    with Image.open(source) as image:
        w, h = image.size
        crop = image.convert("RGB").crop((int(w * 0.15), int(h * 0.15), int(w * 0.85), int(h * 0.85)))
        crop.resize((int(crop.width * 0.6), int(crop.height * 0.6)), Image.Resampling.LANCZOS).save(
            target, "JPEG", quality=70
        )
    return target


def seed_demo(data_dir: Path, now: datetime | None = None) -> DemoInfo:
    """Build the demo archive in `data_dir` (a new or empty folder)."""
    now = now or datetime.now(UTC)
    data_dir.mkdir(parents=True, exist_ok=True)
    settings = load_settings(data_dir=str(data_dir), env={})
    factory = open_database(settings)
    platforms = load_platforms(settings.reference_file("platforms.toml"))
    ctx = ReportContext(
        risks=load_risk_table(settings.reference_file("risk.toml")), lists=RuleLists.load(settings.data_dir)
    )
    with tempfile.TemporaryDirectory(prefix="tracker-demo-files-") as tmp:
        files = Path(tmp)
        paths: dict[str, Path] = {}
        for number, sample in enumerate(SAMPLES):
            path = _png(files / sample.name, picture(number, sample.title), sample.metadata)
            paths[sample.name] = path
            request = LogRequest(
                url=sample.url,
                persona=sample.persona,
                title=sample.title,
                posted_at=now - timedelta(days=40 - 4 * number),
            )
            log_post(factory, settings, read_image(path), request, platforms, ctx)
        theirs = _complainant_copy(paths[MATCHED], files / "their-painting.jpg")
        unrelated = _png(files / "their-photo.png", picture(99, "their photo"), {})
        overdue = add_complaint(
            factory,
            settings,
            ComplaintInput(
                received_at=now - timedelta(days=20),
                channel=Channel.PLATFORM_FORM,
                legal_basis=LegalBasis.JAPAN,
                platform="pixiv",
                ticket_id="PX-2291",
                complainant_name="Sato Hana",
                complainant_role="rights holder",
                complainant_contact="hana.sato@example.jp",
                claimed_title="Orchard in fog (watercolour, 2024)",
                claimed_urls=["https://example.jp/hana/orchard"],
                message="This post reuses my painting. Please remove it.",
                images=[theirs],
            ),
            platforms,
        )
        recent = add_complaint(
            factory,
            settings,
            ComplaintInput(
                received_at=now - timedelta(days=2),
                channel=Channel.EMAIL,
                legal_basis=LegalBasis.DSA,
                complainant_name="J. Berg",
                complainant_org="Studio North",
                complainant_role="agent",
                complainant_contact="legal@studio-north.example",
                claimed_title="Night market poster",
                message="We believe the linked post copies our poster.",
                elements={"substantiation", "good_faith"},
                posts=[SAMPLES[5].url],
                images=[unrelated],
            ),
            platforms,
        )
    matched = next(s.url for s in SAMPLES if s.name == MATCHED)
    personas = len({s.persona for s in SAMPLES})
    return DemoInfo(data_dir, personas, len(SAMPLES), overdue, recent, matched)
