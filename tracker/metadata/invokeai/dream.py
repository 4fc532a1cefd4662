"""InvokeAI 1.x (lstein/stable-diffusion, "dream"): the PNG `Dream` command line.

`Dream` holds the command line that made the image:
`"prompt [negative]" -s 50 -S 42 -W 512 -H 768 -C 7.5 -A k_lms -I init.png -f 0.75`.
Long forms (`--steps`, `--seed`, `--cfg_scale`, `--sampler`, `--init_img`, `--strength`, `--fit`)
name the same settings; `-U 2 0.75`, `-D top 64`, `-tm hair 0.5` keep all their values.
Text inside `[...]` is the negative prompt. Lines starting with `!` (`!fix`, `!mask`) or `<`
are not generations. 1.15–2.x kept writing it beside `sd-metadata`; the record is built in
`sd_metadata`, this module only splits the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_NEGATIVE = re.compile(r"\[([^\[\]]*)\]")
_SWITCH = re.compile(r"^--?[A-Za-z]")
# Dream switches: short letters that may carry their value glued on (`-s50`, `-Ak_lms`).
_SHORT = {
    "s": "steps",
    "S": "seed",
    "W": "width",
    "H": "height",
    "C": "cfg_scale",
    "A": "sampler",
    "I": "init_img",
    "M": "init_mask",
    "f": "strength",
    "G": "facetool_strength",
    "U": "upscale",
    "V": "with_variations",
    "v": "variation_amount",
    "n": "iterations",
    "b": "batch_size",
    "g": "grid",
    "F": "fit",
    "x": "skip_normalize",
    "t": "log_tokens",
    "D": "out_direction",
    "c": "outcrop",
    "m": "model",
}
_MULTI = {"cf": "codeformer_fidelity", "ft": "facetool", "tm": "text_mask", "embiggen": "embiggen"}
_LONG = {
    "sampler_name": "sampler",
    "init_image": "init_img",
    "image_strength": "strength",
    "gfpgan_strength": "facetool_strength",
}
_FLAGS = {
    "fit",
    "grid",
    "skip_normalize",
    "log_tokens",
    "seamless",
    "hires_fix",
    "save_intermediates",
    "inpaint_replace",
}
# Switches InvokeAI writes with several values (`-U 2 0.75`, `-D top 64`, `-tm hair 0.5`, `--embiggen 2 0.75 0.25`).
_MULTI_VALUE = {"upscale", "outcrop", "out_direction", "text_mask", "embiggen", "embiggen_tiles", "with_variations"}


@dataclass
class DreamCommand:
    """A parsed `Dream` line: the prompt and the switches, or a non-generation command."""

    prompt: str | None = None
    options: dict[str, str | bool] = field(default_factory=dict)
    command: str | None = None
    """`!fix`, `!mask`, ... or a placeholder: the line did not make an image from a prompt."""


def parse_dream(text: str) -> DreamCommand:
    """Split a Dream line into prompt and switches; never raises."""
    text = text.strip()
    if not text or text[0] in "!<":
        return DreamCommand(command=text.split(None, 1)[0][:40] if text else "")
    rest = text
    prompt: str | None = None
    if text.startswith('"'):
        match = re.match(r'"((?:[^"\\]|\\.)*)"', text, re.DOTALL)
        if match:
            prompt = match.group(1).replace('\\"', '"')
            rest = text[match.end() :]
        else:
            prompt, rest = text[1:], ""
    tokens = [(m.start(), m.group()) for m in re.finditer(r"\S+", rest)]
    if prompt is None:
        first = next((i for i, (_, tok) in enumerate(tokens) if _known_switch(tok)), len(tokens))
        prompt = rest[: tokens[first][0]].strip() if first < len(tokens) else rest.strip()
        tokens = tokens[first:]
    return DreamCommand(prompt=prompt, options=_switches([tok for _, tok in tokens]))


def _known_switch(token: str) -> bool:
    """A token that starts the switches (a known short letter, a known word, or any `--name`)."""
    if token.startswith("--"):
        return bool(_SWITCH.match(token))
    body = token[1:]
    return token.startswith("-") and bool(body) and (body in _MULTI or body[0] in _SHORT)


def _switches(tokens: list[str]) -> dict[str, str | bool]:
    """`-s 50 -S42 --fit -f 0.9` -> {"steps": "50", "seed": "42", "fit": True, "strength": "0.9"}."""
    options: dict[str, str | bool] = {}
    index = 0
    while index < len(tokens) and len(options) < 64:
        token = tokens[index]
        index += 1
        if not _SWITCH.match(token):
            continue
        value: str | None = None
        if token.startswith("--"):
            name, _, inline = token[2:].partition("=")
            name = _LONG.get(name, name)
            value = inline or None
        else:
            body = token[1:]
            if body in _MULTI:
                name = _MULTI[body]
            elif body[0] in _SHORT:
                name = _SHORT[body[0]]
                value = body[1:] or None
            else:
                name = body
        if value is None and name not in _FLAGS and index < len(tokens) and not _value_ends(tokens[index]):
            value = tokens[index]
            index += 1
        if value is not None and name in _MULTI_VALUE:
            extra: list[str] = []
            while index < len(tokens) and not _value_ends(tokens[index]) and len(extra) < 8:
                extra.append(tokens[index])
                index += 1
            value = " ".join([value, *extra])
        options[name] = value if value is not None else True
    return options


def _value_ends(token: str) -> bool:
    """A token that starts the next switch rather than carrying a value (`-0.5` is a value)."""
    return bool(_SWITCH.match(token))


def split_negative(prompt: str) -> tuple[str | None, str | None]:
    """InvokeAI 1.x/2.x: text in `[...]` is the negative prompt, the rest the positive."""
    negatives = [group.strip() for group in _NEGATIVE.findall(prompt) if group.strip()]
    positive = _NEGATIVE.sub("", prompt).strip()
    return positive or None, ", ".join(negatives) or None
