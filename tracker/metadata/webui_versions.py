"""Which tool wrote an A1111-style infotext, told from its own settings (`Version`, `App`, ...).

Many tools write the AUTOMATIC1111 "infotext"; only a few keys say which one did. What each
writes, from their sources:

- AUTOMATIC1111: `Version: v1.10.1` (`git describe`: `v1.6.0-372-g8aa51f68`), or none (before 1.0).
- sd-webui-forge (lllyasviel): `f{forge version}v{A1111 version}`, e.g.
  `f0.0.17v1.8.0rc-latest-276-g29be1da7`, `f2.0.1v1.10.1-previous-669-gdfdcbab6`.
- reForge (Panchovix, and its forks): `f{forge version}-{git describe}`, e.g.
  `f1.0.0v2-v1.10.1RC-latest-2498-g5120e679`, `f1.0.0v2dev-v1.10.1RC-...`: a `-` right after the
  version, which Forge never writes there.
- Forge Classic / Forge Neo (Haoming02 sd-webui-forge-classic): `Version: classic` or `neo`.
- SD.Next (vladmandic): `App: SD.Next`, `Version: <short git hash>`, `Backend: Diffusers|Original`
  (older releases wrote the hash and `Backend`/`Pipeline`/`Operations` without `App`).
- ComfyUI saver nodes: `Version: ComfyUI` (comfy-image-saver, SD Prompt Saver), or no version
  at all with ComfyUI's own sampler names (`dpmpp_2m_karras`: sampler and scheduler joined) and
  `Lora_N Model name` keys (SaveImageWithMetaData).
- Civitai's on-site generator: `Civitai resources` / `Civitai metadata`.
- Forge-only settings (`Distilled CFG Scale`, `Diffusion in Low Bits`, `Module 1`) mark a Forge
  build whose version is missing or A1111's own (installs without git tags, early builds).

`generator` stays the family label the rest of the tracker and the corpus use (reForge and the
Forge Classic editions are `forge`); `variant` names the tool itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_FORGE = re.compile(r"^f\d+(?:\.\d+)*v\d+\.\d+")
_REFORGE = re.compile(r"^f\d[\w.]*-v\d+\.\d+")
_A1111 = re.compile(r"^v?\d+\.\d+")
_GIT_HASH = re.compile(r"^[0-9a-f]{7,40}$")
_FORGE_KEYS = frozenset({"Distilled CFG Scale", "Diffusion in Low Bits", "Module 1"})
"""Settings only Forge and its forks write (Flux distilled guidance, low-bit diffusion, extra model modules)."""
_SAVER_LORA_KEY = re.compile(r"^(?:Lora|Embedding)_\d+ ")

COMFY_SAMPLERS = frozenset(
    {
        "euler",
        "euler_cfg_pp",
        "euler_ancestral",
        "euler_ancestral_cfg_pp",
        "heun",
        "heunpp2",
        "dpm_2",
        "dpm_2_ancestral",
        "lms",
        "dpm_fast",
        "dpm_adaptive",
        "dpmpp_2s_ancestral",
        "dpmpp_2s_ancestral_cfg_pp",
        "dpmpp_sde",
        "dpmpp_sde_gpu",
        "dpmpp_2m",
        "dpmpp_2m_cfg_pp",
        "dpmpp_2m_sde",
        "dpmpp_2m_sde_gpu",
        "dpmpp_3m_sde",
        "dpmpp_3m_sde_gpu",
        "ddpm",
        "lcm",
        "ipndm",
        "ipndm_v",
        "deis",
        "res_multistep",
        "res_multistep_cfg_pp",
        "res_multistep_ancestral",
        "res_multistep_ancestral_cfg_pp",
        "gradient_estimation",
        "er_sde",
        "seeds_2",
        "seeds_3",
        "sa_solver",
        "sa_solver_pece",
        "ddim",
        "uni_pc",
        "uni_pc_bh2",
    }
)
"""ComfyUI's `KSampler.SAMPLERS` (A1111 and its forks write display names: `DPM++ 2M`, `Euler a`)."""

COMFY_SCHEDULERS = frozenset(
    {
        "normal",
        "karras",
        "exponential",
        "sgm_uniform",
        "simple",
        "ddim_uniform",
        "beta",
        "linear_quadratic",
        "kl_optimal",
    }
)
_SAVER_NOTE = "written by a ComfyUI saver node; only its A1111-style text was found, not the graph"


@dataclass(frozen=True)
class WebUI:
    """Who wrote an infotext: the family label, the tool within it, and a note when unsure."""

    generator: str
    variant: str | None = None
    note: str | None = None


def comfy_sampler_name(value: Any) -> bool:
    """True for a ComfyUI sampler name as a saver node writes it (`euler`, `dpmpp_2m_karras`)."""
    text = str(value or "").strip()
    if not text or text != text.lower() or " " in text:
        return False
    if text in COMFY_SAMPLERS:
        return True
    sampler, _, scheduler = text.rpartition("_")
    return sampler in COMFY_SAMPLERS and scheduler in COMFY_SCHEDULERS


def split_comfy_sampler(value: str) -> tuple[str, str | None]:
    """`dpmpp_2m_karras` -> (`dpmpp_2m`, `karras`): saver nodes join ComfyUI's sampler and scheduler."""
    if value in COMFY_SAMPLERS:
        return value, None
    sampler, _, scheduler = value.rpartition("_")
    if sampler in COMFY_SAMPLERS and scheduler in COMFY_SCHEDULERS:
        return sampler, scheduler
    return value, None


def identify(params: dict[str, Any]) -> WebUI:
    """The tool that wrote these infotext settings (see the module docstring for the rules).

    What a tool names itself wins (Civitai's trailers, `App: SD.Next`, a version string in a known
    shape); settings only one tool writes come next; an unknown version string is reported, never
    passed off as AUTOMATIC1111's.
    """
    version = str(params.get("Version", "")).strip()
    lowered = version.lower()
    if "Civitai resources" in params or "Civitai metadata" in params:
        return WebUI("civitai")
    if str(params.get("App", "")).strip().lower() == "sd.next":
        return WebUI("sdnext", "sdnext")
    named = _by_version(version)
    if named is not None:
        return named
    if str(params.get("Backend", "")).strip().lower() in ("diffusers", "original") or (
        _GIT_HASH.match(lowered) and ("Pipeline" in params or "Operations" in params)
    ):
        return WebUI("sdnext", "sdnext")
    if _GIT_HASH.match(lowered):
        return WebUI("sdnext", "sdnext", "told by its version alone: a git commit hash, as only SD.Next writes")
    if _FORGE_KEYS.intersection(params):
        return WebUI(
            "forge", None, "Forge-only settings (Distilled CFG Scale, Module N, ...) under a non-Forge version"
        )
    if not version and (
        any(_SAVER_LORA_KEY.match(str(k)) for k in params) or comfy_sampler_name(params.get("Sampler"))
    ):
        return WebUI("comfyui", "saver-node", _SAVER_NOTE)
    if version and not _A1111.match(version):
        return WebUI("a1111", None, f"Version {version[:60]!r} is not an AUTOMATIC1111 release: the fork is unknown")
    return WebUI("a1111", "a1111")


def _by_version(version: str) -> WebUI | None:
    """ComfyUI savers and the Forge family, each by the shape of its own version string."""
    lowered = version.lower()
    if lowered == "comfyui":
        return WebUI("comfyui", "saver-node", _SAVER_NOTE)
    if lowered.startswith("classic"):
        return WebUI("forge", "forge-classic")
    if lowered.startswith("neo"):
        return WebUI("forge", "forge-neo")
    if _REFORGE.match(version):
        return WebUI("forge", "reforge")
    if _FORGE.match(version):
        return WebUI("forge", "forge")
    if re.match(r"^f\d", version):
        return WebUI("forge", None, f"Forge-style version {version[:60]!r} of an unknown Forge fork")
    return None
