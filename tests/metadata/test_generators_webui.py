"""A1111-family web UIs told apart by what they write: Forge, reForge, Forge Classic/Neo, SD.Next.

The version strings are the ones each tool's `launch_utils.git_tag()` produces (Forge:
`f{forge}v{a1111}`, reForge: `f{forge}-{git describe}`, Forge Classic: `classic`/`neo`) and
SD.Next's `App`/`Backend`/`Version` keys; each is read from a PNG, a JPEG and a WebP written the
way the web UI writes them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.imagefactory import write_exif_image, write_png
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.metadata.a1111 import parse_infotext
from tracker.metadata.info import GenerationInfo, info_from_dict
from tracker.metadata.reader import read_image
from tracker.metadata.webui_versions import identify

BODY = (
    "a lighthouse at dusk, <lora:oilpaint:0.7>\n"
    "Negative prompt: blurry\n"
    "Steps: 28, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 6, Seed: 3141592653, Size: 832x1216, "
    "Model hash: 67ab2fd8ec, Model: ponyDiffusionV6XL, "
)

WEBUIS = [
    # (settings tail, generator, variant, version)
    ("Version: f0.0.17v1.8.0rc-latest-276-g29be1da7", "forge", "forge", "f0.0.17v1.8.0rc-latest-276-g29be1da7"),
    ("Version: f1.0.2v1.10.1-previous-1-g6e1a7d80", "forge", "forge", "f1.0.2v1.10.1-previous-1-g6e1a7d80"),
    ("Version: f2.0.1v1.10.1-previous-669-gdfdcbab6", "forge", "forge", "f2.0.1v1.10.1-previous-669-gdfdcbab6"),
    (
        "Version: f1.0.0v2-v1.10.1RC-latest-2498-g5120e679",
        "forge",
        "reforge",
        "f1.0.0v2-v1.10.1RC-latest-2498-g5120e679",
    ),
    ("Version: f1.0.0v2dev-v1.10.1RC-latest-2488-ga197a41d", "forge", "reforge", None),
    ("Version: f2.0.0dev-v1.10.1RC-latest-2501-g630cf49b", "forge", "reforge", None),
    ("Version: classic", "forge", "forge-classic", "classic"),
    ("Version: neo", "forge", "forge-neo", "neo"),
    ("Backend: Diffusers, App: SD.Next, Version: 56a8aea, Operations: txt2img", "sdnext", "sdnext", "56a8aea"),
    ("Backend: Original, Version: 0d7c025", "sdnext", "sdnext", "0d7c025"),
    ("Version: 0d7c025, Pipeline: StableDiffusionXLPipeline, Operations: txt2img", "sdnext", "sdnext", "0d7c025"),
    ("Version: v1.10.1", "a1111", "a1111", "v1.10.1"),
    ("Version: v1.6.0-372-g8aa51f68", "a1111", "a1111", "v1.6.0-372-g8aa51f68"),
    ("Clip skip: 2", "a1111", "a1111", None),
]


def infotext(tail: str) -> str:
    return BODY + tail


@pytest.mark.parametrize(("tail", "generator", "variant", "version"), WEBUIS)
def test_each_version_string_names_its_web_ui(tail: str, generator: str, variant: str, version: str | None) -> None:
    info = parse_infotext(infotext(tail), "png:parameters")
    assert (info.generator, info.generator_variant) == (generator, variant)
    if version is not None:
        assert info.generator_version == version
    # What a user sees is read the same whichever fork wrote it.
    assert (info.prompt, info.negative_prompt) == ("a lighthouse at dusk, <lora:oilpaint:0.7>", "blurry")
    assert (info.seed, info.steps, info.cfg, info.sampler, info.scheduler) == (
        3141592653,
        28,
        6.0,
        "DPM++ 2M",
        "Karras",
    )
    assert (info.width, info.height) == (832, 1216)
    assert info.model is not None and (info.model.name, info.model.hash) == ("ponyDiffusionV6XL", "67ab2fd8ec")
    assert [(lora.name, lora.weight) for lora in info.loras] == [("oilpaint", 0.7)]
    assert not [w for w in info.warnings if "unknown" in w]


@pytest.mark.parametrize(("tail", "generator", "variant"), [(t, g, v) for t, g, v, _ in WEBUIS[:9]])
@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_forks_are_told_apart_in_every_container(
    tmp_path: Path, fmt: str, tail: str, generator: str, variant: str
) -> None:
    path = tmp_path / f"x.{fmt.lower()}"
    if fmt == "PNG":
        write_png(path, {"parameters": infotext(tail)})
    else:
        write_exif_image(path, infotext(tail), fmt=fmt)
    info = read_image(path).info
    assert info is not None and info.source == ("png:parameters" if fmt == "PNG" else "exif:UserComment")
    assert (info.generator, info.generator_variant) == (generator, variant)
    assert info.generator != "a1111" and info.seed == 3141592653 and info.model is not None


def test_unknown_version_strings_are_never_silently_automatic1111() -> None:
    fork = parse_infotext(infotext("Version: f9"), "t")
    assert fork.generator == "forge" and fork.generator_variant is None
    assert any("unknown Forge fork" in w for w in fork.warnings)
    stranger = parse_infotext(infotext("Version: MyWebUI build 7"), "t")
    assert stranger.generator_variant is None
    assert any("not an AUTOMATIC1111 release" in w for w in stranger.warnings)


def test_forge_only_settings_mark_forge_under_an_a1111_version() -> None:
    info = parse_infotext(infotext("Distilled CFG Scale: 3.5, Module 1: ae, Version: v1.10.1"), "t")
    assert info.generator == "forge" and any("Forge-only settings" in w for w in info.warnings)


def test_civitai_and_comfyui_text_keep_their_labels() -> None:
    civitai = parse_infotext(infotext('Civitai resources: [{"type":"checkpoint","modelVersionId":1}]'), "t")
    assert civitai.generator == "civitai"
    saver = parse_infotext(infotext("Version: ComfyUI"), "t")
    assert (saver.generator, saver.generator_variant) == ("comfyui", "saver-node")


def test_variant_survives_the_stored_form() -> None:
    info = parse_infotext(infotext("Version: f1.0.0v2-v1.10.1RC-latest-2498-g5120e679"), "t")
    stored = info.to_dict()
    assert stored["generator_variant"] == "reforge"
    again: GenerationInfo = info_from_dict(stored)
    assert (again.generator, again.generator_variant) == ("forge", "reforge")
    assert info_from_dict({"generator": "a1111"}).generator_variant is None


_VALUES = st.one_of(st.text(max_size=80), st.integers(), st.none(), st.lists(st.text(max_size=5), max_size=3))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])  # a busy CI machine
@given(
    st.dictionaries(
        st.sampled_from(["Version", "App", "Backend", "Sampler", "Pipeline", "Lora_0 Model name", "Module 1", "x"]),
        _VALUES,
        max_size=6,
    )
)
def test_any_settings_get_a_known_family_label(params: dict[str, object]) -> None:
    assert identify(params).generator in {"a1111", "forge", "sdnext", "comfyui", "civitai"}


def test_a_huge_version_string_is_cut_in_the_warning() -> None:
    info = parse_infotext(infotext("Version: " + "x" * 100_000), "t")
    assert info.generator == "a1111" and all(len(w) < 200 for w in info.warnings)
