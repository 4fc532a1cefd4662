"""Artists' names in prompts as real prompts write them: in lower case, bare, as `by x y`; and a name the
owner adds to `artists.txt` after logging counts when a dispute would say "no artist's name in the prompt"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import FORGE_INFOTEXT, pixels, write_png

from tracker.accountability.risk import load_risk_table, shipped_risk_path
from tracker.accountability.rules import ARTIST_NAME, POSSIBLE_ARTIST_NAME, RuleLists, check_rules
from tracker.metadata.info import GenerationInfo

TEXT_ONLY = re.sub(r'ControlNet 0: "[^"]*", ', "", FORGE_INFOTEXT)


def _codes(prompt: str, data_dir: Path) -> dict[str, list[str]]:
    info = GenerationInfo(generator="a1111", source="png:parameters", prompt=prompt)
    found: dict[str, list[str]] = {}
    for finding in check_rules(info, load_risk_table(shipped_risk_path()), RuleLists.load(data_dir)):
        found.setdefault(finding.code, []).append(finding.message)
    return found


@pytest.mark.parametrize(
    "prompt",
    [
        "1girl, solo, by greg rutkowski",
        "masterpiece, (by wlop:1.2), night",
        "portrait, by ilya kuvshinov, soft light",
        "style of greg rutkowski, castle",
        "greg rutkowski, alphonse mucha, 1girl",
        "1girl, GREG RUTKOWSKI",
    ],
)
def test_a_well_known_name_in_any_case_breaks_the_rule(prompt: str, tmp_path: Path) -> None:
    found = _codes(prompt, tmp_path)
    assert ARTIST_NAME in found, found
    assert POSSIBLE_ARTIST_NAME not in found, "said once, as a breach"


def test_an_unknown_lower_case_name_after_by_is_a_question_and_common_words_are_not(tmp_path: Path) -> None:
    found = _codes("1girl, solo, by jane doe, lit by moonlight, surrounded by cherry blossoms", tmp_path)
    assert ARTIST_NAME not in found
    assert found[POSSIBLE_ARTIST_NAME] == [
        "may name an artist in the prompt: 'by jane doe' (check; list the name in artists.txt if it is one)"
    ]
    assert _codes("city street, lit by neon lights, made by the sea", tmp_path).get(POSSIBLE_ARTIST_NAME) is None


def test_the_data_folders_copy_of_the_shipped_list_wins(tmp_path: Path) -> None:
    (tmp_path / "artist-names.txt").write_text("# my own list\nzorblax quent\n", encoding="utf-8")
    assert ARTIST_NAME in _codes("1girl, zorblax quent", tmp_path)
    assert ARTIST_NAME not in _codes("1girl, by greg rutkowski", tmp_path).keys() - {POSSIBLE_ARTIST_NAME}


@pytest.mark.db
def test_a_dispute_is_refused_for_a_lower_case_name_and_for_a_name_listed_after_logging(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    prompts = {
        "https://www.pixiv.net/artworks/601": TEXT_ONLY.replace("1girl, solo,", "1girl, solo, by greg rutkowski,"),
        "https://www.pixiv.net/artworks/602": TEXT_ONLY.replace("1girl, solo,", "1girl, solo, zorblax quent,"),
        "https://www.pixiv.net/artworks/603": TEXT_ONLY.replace("1girl, solo,", "1girl, solo, by jane doe,"),
    }
    for n, (url, text) in enumerate(prompts.items()):
        image = write_png(tmp_path / f"p{n}.png", {"parameters": text}, image=pixels(seed=n + 40))
        tracker("log", image, "--url", url, "--persona", "moth")

    def dispute(post: str) -> str:
        number = tracker.json("complaint", "add", "--post", post, "--basis", "jp", "--name", "Sato")["id"]
        args = ("--action", "dispute", "--reason", "independent_creation")
        return tracker("complaint", "decide", str(number), *args, ok=False).stderr

    assert "artist's name in its prompt ('greg rutkowski')" in dispute("1")
    assert "may name an artist ('by jane doe')" in dispute("3")
    number = tracker.json("complaint", "add", "--post", "2", "--basis", "jp", "--name", "Sato")["id"]
    tracker("complaint", "decide", str(number), "--action", "dispute", "--reason", "independent_creation")
    (isolated_env / "artists.txt").write_text("zorblax quent\n", encoding="utf-8")  # listed after logging
    assert "artist's name in its prompt ('zorblax quent')" in dispute("2")
