"""A post's accountability facts as terminal text: generation, models and LoRAs, image inputs, findings.

Built from the dict of `tracker.complaints.triage.post_facts` (the accountability report of the
post's image, the creators of its resources, its recorded inputs, who it was made for), so the
complaint screen and the post screen say the same thing the same way. Every value from the
archive goes through `tracker.tui.text.plain`: metadata is never read as markup.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text

from tracker.tui.text import plain

RISK_STYLES = {"identity": "bold red", "reproduces": "bold red", "lineart": "yellow", "unknown": "yellow"}
"""Risk classes (data/risk.toml) the owner calls most serious, drawn so they stand out."""

PROMPT_CHARS = 600
"""A prompt longer than this is cut (the whole of it is in `tracker show N`)."""


def heading(out: Text, title: str) -> None:
    """Start a section: a blank line (unless first), then the title underlined."""
    if out.plain:
        out.append("\n\n")
    out.append(title, style="bold underline")


def _weight(value: object) -> str:
    return f" x{value}" if value is not None else ""


def _resource_line(out: Text, label: str, item: dict[str, Any]) -> None:
    """`model: name [hash] x0.8 — by creator`: one model, LoRA or VAE and who made it."""
    out.append(f"\n{label}: ", style="bold")
    out.append_text(plain(item.get("name") or "unnamed"))
    if item.get("hash"):
        out.append_text(plain(f" [{item['hash']}]", style="dim"))
    out.append_text(plain(_weight(item.get("weight"))))
    if "creator" in item:  # only resources the archive knows carry their creator
        creator = item.get("creator")
        out.append_text(plain(f" — by {creator}" if creator else " — creator not recorded", style="italic"))


def _settings_line(image: dict[str, Any]) -> str:
    """`seed 1, steps 30, sampler Euler a, cfg 7, size 832x1216`, or '' when none is recorded."""
    parts = [
        f"{name} {image[key]}"
        for key, name in (("seed", "seed"), ("steps", "steps"), ("sampler", "sampler"), ("cfg", "cfg"))
        if image.get(key) is not None
    ]
    if image.get("generation_width") and image.get("generation_height"):
        parts.append(f"size {image['generation_width']}x{image['generation_height']}")
    return ", ".join(parts)


def _generator(out: Text, image: dict[str, Any], details: bool) -> None:
    out.append("\n")
    generator = image.get("generator")
    if not details:
        out.append_text(plain(f"{generator or 'no generation metadata'}"))
        return
    line = generator or "no generation metadata"
    if generator and image.get("generator_variant") and image["generator_variant"] != generator:
        line += f" ({image['generator_variant']})"
    if generator and image.get("generator_version"):
        line += f" {image['generator_version']}"
    if image.get("metadata_source"):
        line += f"  (read from {image['metadata_source']})"
    if image.get("hidden_metadata"):
        line += f"  (hidden {image['hidden_metadata']})"
    out.append_text(plain(line))
    if settings := _settings_line(image):
        out.append("\n")
        out.append_text(plain(settings, style="dim"))
    for key, label in (("prompt", "prompt"), ("negative_prompt", "negative")):
        prompt = image.get(key)
        if not prompt:
            continue
        shown = prompt if len(prompt) <= PROMPT_CHARS else prompt[:PROMPT_CHARS] + "…"
        out.append(f"\n{label}: ", style="bold")
        out.append_text(plain(shown.strip(), keep_newlines=True))


def _resources(out: Text, image: dict[str, Any], details: bool) -> None:
    items: list[tuple[str, Any]] = [("model", image.get("model"))]
    if details:
        items.append(("VAE", image.get("vae")))
    items += [("LoRA", lora) for lora in image.get("loras", [])]
    if details:
        items += [("embedding", e) for e in image.get("embeddings", [])]
        items += [(str(r.get("role") or r.get("kind") or "resource"), r) for r in image.get("other_resources", [])]
    for label, item in items:
        if item:
            _resource_line(out, label, item)


def _techniques(out: Text, image: dict[str, Any]) -> None:
    techniques = image.get("techniques", [])
    if techniques:
        heading(out, "Image inputs")
    for t in techniques:
        risk = t.get("risk_class") or "?"
        out.append("\n")
        out.append_text(plain(f"{t.get('kind')}: {t.get('module') or t.get('model') or '-'}"))
        out.append_text(plain(f"  risk {t.get('risk_label') or risk}", style=RISK_STYLES.get(risk, "")))
        if t.get("risk_note"):
            out.append("\n")
            out.append_text(plain(f"  {t['risk_note']}", style="dim"))


def _recorded_inputs(out: Text, provenance: dict[str, Any]) -> None:
    techniques = provenance.get("inputs", [])
    if techniques:
        heading(out, "Recorded inputs")
    for t in techniques:
        number, uses, named = t["technique"], t["inputs"], t.get("named_in_metadata") or []
        out.append(f"\n{number}. ")
        if not uses:
            out.append("not recorded (tracker input add)", style="yellow")
            if named:
                out.append_text(plain(f"; the metadata names {', '.join(named)}", style="dim"))
        for n, use in enumerate(uses):
            if n:
                out.append("; ")
            out.append_text(plain(f"{use['file']} — {use['kind_label']}"))
            if use.get("licence"):
                out.append_text(plain(f"; licence: {use['licence']}", style="dim"))


def _request(out: Text, request: dict[str, Any] | None) -> None:
    if not request:
        return
    out.append("\n\nMade for ", style="bold")
    out.append_text(plain(request["by"]))
    given = request["permission_at"]
    out.append_text(plain(f", permission given {given:%Y-%m-%d}" if given else ", NO PERMISSION ON RECORD"))
    if request.get("where"):
        out.append_text(plain(f" ({request['where']})", style="dim"))


def _findings(out: Text, image: dict[str, Any], provenance: dict[str, Any]) -> None:
    findings = [*image.get("findings", []), *provenance.get("licence_findings", [])]
    if findings:
        heading(out, "Findings")
    for f in findings:
        style = "bold red" if f.get("severity") == "problem" else "yellow"
        out.append("\n")
        out.append_text(plain(f"{f.get('severity')}: {f.get('message')}", style=style))


def generation_text(facts: dict[str, Any], details: bool = False) -> Text:
    """A post's generation facts (`post_facts`): generator, models and LoRAs with hashes and creators,
    image-input techniques and their risk notes, recorded inputs, who it was made for, findings.

    `details` adds what only a page of its own has room for: the generator's version and where the
    metadata was read, the settings, the prompts (cut at `PROMPT_CHARS`), VAE, embeddings and
    other resources.
    """
    image = facts["image"]
    provenance = facts.get("provenance") or {}
    out = Text()
    heading(out, "Generation")
    _generator(out, image, details)
    _resources(out, image, details)
    _techniques(out, image)
    _recorded_inputs(out, provenance)
    _request(out, facts.get("request"))
    _findings(out, image, provenance)
    return out
