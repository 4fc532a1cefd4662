"""The owner's own rules, checked against what an image's metadata says.

From `ethical-practices.txt`: every posted image keeps its metadata ("if an image i post has
no metadata, that means i screwed something up"), no artist names in prompts, input images
only when owned or licensed, identity modules (InstantID, PhotoMaker, FaceID) are "a major
abuse risk", non-commercial models, and models and LoRAs credited with hashes so complainants
can reach their creators. Optional user lists in the data folder sharpen two checks:
`artists.txt` (names never to appear in a prompt) and `allowed-models.txt` (the only
checkpoints the owner allows; names, hashes or shell-style patterns, one per line).
"""

from __future__ import annotations

import bisect
import fnmatch
import functools
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from tracker.accountability.risk import RiskTable
from tracker.metadata.info import CHECKPOINT, GenerationInfo
from tracker.metadata.problems import left_unread
from tracker.support.settings import shipped_data_dir

KNOWN_ARTISTS = "artist-names.txt"
"""The shipped list of artists' names prompts often borrow (data/), matched like the owner's `artists.txt`."""

PROBLEM = "problem"
WARNING = "warning"

NO_METADATA = "NO_METADATA"
IDENTITY_INPUT = "IDENTITY_INPUT"
INPUT_IMAGE = "INPUT_IMAGE"
ARTIST_NAME = "ARTIST_NAME"
POSSIBLE_ARTIST_NAME = "POSSIBLE_ARTIST_NAME"
MODEL_NOT_ALLOWED = "MODEL_NOT_ALLOWED"
MODEL_UNNAMED = "MODEL_UNNAMED"
HASH_MISSING = "HASH_MISSING"
NAME_MISMATCH = "NAME_MISMATCH"
HIDDEN_METADATA_DISAGREES = "HIDDEN_METADATA_DISAGREES"
METADATA_WARNING = "METADATA_WARNING"
READ_PROBLEM = "READ_PROBLEM"

_ARTIST_PHRASE = re.compile(
    r"\b(?:(?:in the )?style of|art by|artwork by|drawn by|painted by|illustrated by|by artist)\s+[^,\n]{1,80}", re.I
)
"""Words that only ever introduce an artist: `art by X`, `painted by X`, `in the style of X`."""
_WITHOUT_ARTIST_WORD = [_ARTIST_PHRASE]
"""The patterns that can match a prompt without the word "artist" in it."""
_ARTIST_PATTERNS = [
    re.compile(r"\bartist\s*:\s*[^,\n{}\[\]()]{1,80}", re.I),
    _ARTIST_PHRASE,
    # "(artist)" tries every position of the prompt, so it only runs when the word is there.
    re.compile(r"[\w.\- ]{1,80}\s*\\?\(artist\\?\)", re.I),
]
"""Every pattern, in the order their matches are listed."""
_CAPITALISED_BY = re.compile(r"\bby\s+[A-Z][\w'.-]{1,40}(?:\s+[A-Z][\w'.-]{1,40}){0,3}")
"""`by <Name>`: an artist's name when the name is a listed one, else only perhaps one (`shot by Canon EOS R5`,
`created by Midjourney` and `published by Penguin` are capitalised too)."""
_ARTIST_WORD = re.compile("artist", re.I)
_LOWER_BY = re.compile(r"\bby\s+([a-z][a-z'.-]{1,30}(?:\s+[a-z][a-z'.-]{1,30}){1,2})\s*(?=[,)\]:;|\n]|$)")
"""`by greg rutkowski` in lower case, the phrase ending the prompt's item: two or three words (a name)."""
_COMMON_WORDS = frozenset(
    """a an the his her their its my our your this that these those one two three some many several few
    soft warm cold bright dark dim glowing neon golden natural dramatic cinematic volumetric ambient rim
    moonlight sunlight candlelight lamplight firelight starlight daylight light lights lighting lanterns lamps
    flowers flower petals leaves trees tree vines roses cherry blossoms blossom grass snow rain water waves sea
    ocean river lake clouds fog mist smoke fire flames shadows stars night day sky city buildings walls crowd
    people friends cats cat dogs dog animals birds butterflies fish wind storm ice crystals mirrors glass
    sword swords chains wings hair hands arms ropes ribbons books cards candles jewels gems gold silver
    tall small large tiny giant huge old ancient ornate intricate detailed white black red blue green yellow
    purple pink orange brown grey gray colorful colourful floating falling flying hanging distant nearby
    other others another each every all both and or of in on at with from
    mt mount cape fort""".split()
)
"""Words that start or fill a phrase after "by" that is no name: `surrounded by cherry blossoms`."""
_NO_ARTIST_BEFORE_BY = frozenset(
    "lit backlit illuminated lighted surrounded powered generated rendered published sponsored".split()
)
"""Words before "by" whose doer is a light, a tool or a company, never an artist: `lit by Candlelight`."""
_TOOLS = frozenset(
    """ai a.i midjourney novelai nai stable sd sdxl dall-e dalle chatgpt openai gpt flux comfyui automatic1111
    a1111 forge fooocus invokeai firefly imagen gemini bing copilot dreamstudio stability
    canon nikon sony fujifilm fuji leica hasselblad olympus panasonic lumix pentax ricoh kodak polaroid ilford
    mamiya sigma zeiss iphone samsung pixel gopro dji arri blackmagic minolta konica yashica contax rolleiflex
    lomography holga instax cinestill portra
    blender photoshop lightroom procreate krita maya houdini zbrush cinema4d c4d octane redshift v-ray vray
    unreal unity daz keyshot computer camera machine robot""".split()
)
"""Cameras, generators and software that follow "by" in prompts (`shot by Canon EOS R5`, `made by AI`)."""
_PLACES = frozenset(
    """tower crossing station temple shrine castle cathedral palace harbour harbor beach falls bridge pier
    lighthouse waterfall""".split()
)
"""Last words of a place beside which a scene is set (`by Tokyo Tower`, `by Shibuya Crossing`), not of a name."""
_MAX_SCAN = 200_000
"""Prompts are scanned up to this many characters (a prompt is a few KiB; this bounds hostile input)."""
_SPACE_RUN = re.compile(r"[^\S\n]+")
_NAME_GAP = r"[\s_-]+"
"""Between a name's words: `greg rutkowski`, `greg_rutkowski` (booru tags), `greg  rutkowski`, `kim jung-gi`."""
_LORA_TAG = re.compile(r"<(?:lora|lyco|locon|lycoris|hypernet):(?P<name>[^:<>\n]{1,200})(?::[^<>\n]{0,80})?>", re.I)
"""A LoRA called in the prompt by its name: `<lora:wlop_style:0.8>`."""


@dataclass(frozen=True)
class Finding:
    """One breach (or possible breach) of the owner's rules, or a problem reading the metadata."""

    code: str
    severity: str
    message: str


@dataclass(frozen=True)
class RuleLists:
    """The user's own lists from the data folder (both optional)."""

    artists: tuple[str, ...] = ()
    """The owner's own names (`artists.txt`) and the shipped ones prompts often borrow (`artist-names.txt`)."""
    allowed_models: tuple[str, ...] | None = None
    """None when there is no allow-list (then no model is flagged)."""

    @classmethod
    def load(cls, data_dir: Path) -> RuleLists:
        """Read `artists.txt` and `allowed-models.txt` from the data folder when they exist, and the
        shipped `artist-names.txt` (the data folder's copy wins, as for every reference file)."""
        own = data_dir / KNOWN_ARTISTS
        known = _lines(own if own.is_file() else shipped_data_dir() / KNOWN_ARTISTS) or ()
        artists = tuple(dict.fromkeys((*(_lines(data_dir / "artists.txt") or ()), *known)))
        return cls(artists=artists, allowed_models=_lines(data_dir / "allowed-models.txt"))


def _lines(path: Path) -> tuple[str, ...] | None:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#"))


def _normalised(prompt: str | None) -> str:
    """The prompt as the rules read it: NFKC (a full-width `artist：` or `ｗｌｏｐ`, a no-break space) and a run of
    spaces made one, so an input method's or a tidy-up's spelling cannot hide a name."""
    text = unicodedata.normalize("NFKC", (prompt or "")[:_MAX_SCAN])[:_MAX_SCAN]
    return _SPACE_RUN.sub(" ", text)


def _name_body(name: str) -> str | None:
    """A listed name's words, apart by spaces, `_` or `-`, as a pattern (None for a name of no words)."""
    words = [w for w in re.split(_NAME_GAP, unicodedata.normalize("NFKC", name).lower()) if w]
    return _NAME_GAP.join(map(re.escape, words)) if words else None


@functools.lru_cache(maxsize=1024)
def _name_pattern(name: str) -> re.Pattern[str] | None:
    """A listed name as whole words in any case: `greg rutkowski` matches `Greg_Rutkowski` and
    `<lora:greg_rutkowski_v2:1>`, `mucha` never matches `muchacha`."""
    body = _name_body(name)
    return re.compile(r"(?<![^\W_])" + body + r"(?![^\W_])", re.I) if body else None


@functools.lru_cache(maxsize=16)
def _any_name(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """Every listed name in one pattern, so a LoRA's name or a `by <Name>` phrase is read once, not once a name."""
    bodies = [body for name in names if (body := _name_body(name))]
    return re.compile(r"(?<![^\W_])(?:" + "|".join(bodies) + r")(?![^\W_])", re.I) if bodies else None


def _within(spans: list[tuple[int, int]]) -> Callable[[tuple[int, int]], bool]:
    """Whether a span lies inside one of `spans`: `by Jane Roe` in `art by Jane Roe` is said once."""
    spans = sorted(spans)
    starts = [start for start, _ in spans]
    reach = list(itertools.accumulate((end for _, end in spans), max))

    def inside(span: tuple[int, int]) -> bool:
        at = bisect.bisect_right(starts, span[0]) - 1
        return at >= 0 and reach[at] >= span[1]

    return inside


def _names_no_artist(text: str, match: re.Match[str], capitalised: bool = False) -> bool:
    """Whether a `by ...` phrase names a light, a tool, a company or a place, not a person: `lit by Candlelight`,
    `shot by Canon EOS R5`, `made by AI`, `published by Penguin`, `surrounded by Cherry Blossoms`, `by Mt. Fuji`.

    In lower case any common word rules a name out (`by the sea`); capitalised, only a common first word or
    words all common: `by Alex Grey` and `by Tim White` are people whose names hold a colour."""
    words = [w.lower().strip(".'-") for w in match.group(0).split()[1:]]
    before = text[max(0, match.start() - 40) : match.start()].split()
    verb = before[-1].lower().strip(".,;:()[]") if before else ""
    common = [w in _COMMON_WORDS for w in words]
    ordinary = (common[0] or all(common)) if capitalised else any(common)
    return verb in _NO_ARTIST_BEFORE_BY or words[0] in _TOOLS or words[-1] in _PLACES or ordinary


def possible_artist_mentions(prompt: str | None, known: Iterable[str] = ()) -> list[str]:
    """`by x y` phrases that may name an artist (`by jane doe`, `by Somebody Else`), besides `known` ones.

    Not sure enough to be a rule's breach: the owner checks them by hand (and lists the name in
    `artists.txt` to make it one). Phrases of common words (`surrounded by cherry blossoms`) and of lights,
    tools and companies (`lit by Candlelight`, `shot by Canon EOS R5`, `made by AI`) are left out.
    """
    text = _normalised(prompt)
    taken = " ".join(k.lower() for k in known)
    found: list[tuple[int, str]] = []
    for match in _LOWER_BY.finditer(text):
        if match.group(1) not in taken and not _names_no_artist(text, match):
            found.append((match.start(), match.group(0).strip()))
    for match in _CAPITALISED_BY.finditer(text):
        phrase = match.group(0).strip()
        if phrase.lower() not in taken and not _names_no_artist(text, match, capitalised=True):
            found.append((match.start(), phrase))
    return list(dict.fromkeys(phrase for _, phrase in sorted(found)))


def artist_mentions(prompt: str | None, artists: Iterable[str] = ()) -> list[str]:
    """Phrases in a prompt that name an artist: `artist:` tags, `art by ...`, `x (artist)`, `by <Listed Name>`,
    LoRAs called by a listed name (`<lora:wlop_style:0.8>`), and listed names (the owner's `artists.txt` and the
    shipped `artist-names.txt`, in any case, as whole words, `_` written for a space as booru tags do).

    `by <Name>` with a name on no list is only possibly one: see `possible_artist_mentions`."""
    text = _normalised(prompt)
    found: list[str] = []
    spans: list[tuple[int, int]] = []
    for pattern in _ARTIST_PATTERNS if _ARTIST_WORD.search(text) else _WITHOUT_ARTIST_WORD:
        for match in pattern.finditer(text):
            spans.append(match.span())
            found.append(match.group(0).strip())
    listed = _any_name(tuple(artists))
    if listed is not None:
        found += [tag.group(0) for tag in _LORA_TAG.finditer(text) if listed.search(tag.group("name"))]
        inside = _within(spans)  # `by Greg Rutkowski` below: a listed name (an unlisted one is only possible)
        found += [m.group(0) for m in _CAPITALISED_BY.finditer(text) if not inside(m.span()) and listed.search(m[0])]
    found = list(dict.fromkeys(phrase for phrase in found if phrase))
    said = ", ".join(found)
    for name in artists:
        spelled = _name_pattern(name)
        if spelled is None or spelled.search(said):
            continue  # `kuvshinov` after `ilya kuvshinov`, `greg rutkowski` after `style of greg rutkowski`
        if spelled.search(text):
            found.append(name)
            said += ", " + name
    return found


def _allowed(name: str | None, digest: str | None, allowed: tuple[str, ...]) -> bool:
    for entry in allowed:
        pattern = entry.lower()
        for value in (name, digest):
            if value and fnmatch.fnmatchcase(value.lower(), pattern):
                return True
    return False


def prompts_of(prompt: object, params: object) -> list[str]:
    """The prompt and each NovelAI character's (`params["characters"]`), from a record or its stored dict."""
    prompts = [prompt if isinstance(prompt, str) else ""]
    characters = params.get("characters") if isinstance(params, dict) else None
    if isinstance(characters, list):
        prompts += [str(c.get("prompt") or "") for c in characters if isinstance(c, dict)]
    return prompts


def _prompts(info: GenerationInfo) -> list[str]:
    return prompts_of(info.prompt, info.params)


def check_rules(
    info: GenerationInfo | None,
    risks: RiskTable,
    lists: RuleLists | None = None,
    problems: Iterable[str] = (),
) -> list[Finding]:
    """Every rule the image's metadata breaks or puts in doubt, most serious first."""
    lists = lists or RuleLists()
    problems_list = list(problems)
    findings = [Finding(READ_PROBLEM, WARNING, problem) for problem in problems_list]
    if info is None:
        message = "no generation metadata found: every posted image should keep its metadata"
        if left_unread(problems_list):
            message = "no generation metadata could be read: the file carries metadata that was not read"
        findings.insert(0, Finding(NO_METADATA, PROBLEM, message))
        return findings
    for technique in info.techniques:
        verdict = risks.classify(technique.kind, technique.module, technique.model)
        what = " / ".join(x for x in (technique.kind, technique.module, technique.model) if x)
        if verdict.risk == "identity":
            findings.append(Finding(IDENTITY_INPUT, PROBLEM, f"identity input used ({what}): {verdict.note}"))
        else:
            findings.append(
                Finding(
                    INPUT_IMAGE,
                    WARNING,
                    f"an input image was used ({what}, risk {verdict.risk}): it must be your own or licensed",
                )
            )
    for prompt in _prompts(info):
        named = artist_mentions(prompt, lists.artists)
        for mention in named:
            findings.append(Finding(ARTIST_NAME, PROBLEM, f"artist name in the prompt: {mention!r}"))
        for mention in possible_artist_mentions(prompt, named):
            findings.append(
                Finding(
                    POSSIBLE_ARTIST_NAME,
                    WARNING,
                    f"may name an artist in the prompt: {mention!r} (check; list the name in artists.txt if it is one)",
                )
            )
    checkpoints = [r for r in info.resources() if r.kind == CHECKPOINT]
    if lists.allowed_models is not None:
        for ref in checkpoints:
            if not _allowed(ref.name, ref.hash, lists.allowed_models):
                label = ref.name or ref.hash or "?"
                findings.append(Finding(MODEL_NOT_ALLOWED, PROBLEM, f"model {label!r} is not in allowed-models.txt"))
    if (info.model is None or info.model.name is None) and "not_run" not in info.params:
        # A ComfyUI graph whose saved image is a loaded one (an edit) ran no model: its own warning says so.
        findings.append(Finding(MODEL_UNNAMED, WARNING, "the model is not named in the metadata"))
    for ref in info.resources():
        if ref.hash is None and ref.kind in (CHECKPOINT, "lora", "embedding", "vae") and ref.name:
            findings.append(
                Finding(HASH_MISSING, WARNING, f"{ref.kind} {ref.name!r} has no hash: its creator is harder to find")
            )
    conflict = info.params.get("hidden_metadata_conflict")
    if conflict:
        findings.append(
            Finding(
                HIDDEN_METADATA_DISAGREES,
                PROBLEM,
                f"the hidden pixel metadata disagrees with the text metadata ({', '.join(map(str, conflict))})",
            )
        )
    findings += [Finding(METADATA_WARNING, WARNING, warning) for warning in info.warnings]
    order = {PROBLEM: 0, WARNING: 1}
    return sorted(findings, key=lambda f: order.get(f.severity, 2))
