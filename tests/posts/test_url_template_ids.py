"""`--url-template ...{id}`: a post id is taken only from a file name that is one.

`12345_p0.png` (gallery-dl's pixiv name), `1800000000000000001_1.jpg` (its X name) and `12345.png`
carry a post id; `art0.png`, A1111's and Forge's `00012-747066619.png` (a counter and the seed) and
ComfyUI's `ComfyUI_00001_.png` (a counter) do not, so they are archived without a post instead of
being logged as `https://www.pixiv.net/artworks/0` or the seed's artwork.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import pixels

from tracker.errors import UsageError
from tracker.posts.sidecars import expand_url_template

pytestmark = pytest.mark.db

TEMPLATE = "https://www.pixiv.net/artworks/{id}"
GIVE_AN_ID = {
    "120000050.png": "120000050",
    "120000050_p0.png": "120000050",
    "120000050_p12.jpg": "120000050",
    "120000050_p0_master1200.jpg": "120000050",
    "1800000000000000001_1.jpg": "1800000000000000001",
}
"""File names that carry a post id (gallery-dl's pixiv and X names), and the id."""


@pytest.mark.parametrize(
    "name",
    [
        "art0.png",
        "00012-747066619.png",  # A1111 / Forge: counter-seed
        "100012-747066619.png",  # ... past 99999 images
        "00012-747066619-a cat.png",
        "ComfyUI_00001_.png",
        "img_007_3.png",
        "0.png",
        "3kabc123xyz_1.jpg",  # a Bluesky record key is not digits
        "moth 2.png",
    ],
)
def test_only_a_file_name_that_is_a_post_id_gives_one(name: str) -> None:
    for named, post_id in GIVE_AN_ID.items():
        assert expand_url_template(TEMPLATE, Path(named)) == f"https://www.pixiv.net/artworks/{post_id}"
    with pytest.raises(UsageError) as caught:
        expand_url_template(TEMPLATE, Path(name))
    assert str(caught.value) == (
        f"--url-template: no value for {{id}} for {name!r}: "
        "the file name has no post id (a name such as 12345.png or 12345_p0.png)"
    )


def test_import_archives_such_files_without_a_post(tracker: Tracker, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    for seed, name in enumerate(("art0.png", "00012-747066619.png", "ComfyUI_00001_.png", "120000050_p0.png")):
        pixels(seed=seed).save(folder / name)
    result = tracker("import", folder, "--persona", "moth", "--url-template", TEMPLATE, "--json")
    summary = json.loads(result.stdout)
    assert (summary["new_posts"], summary["archived_without_post"]) == (1, 3)
    assert [p["url"] for p in tracker.json("posts")] == ["https://www.pixiv.net/artworks/120000050"]
    assert sorted(summary["warnings"]) == [
        f"--url-template: no value for {{id}} for {name!r}: "
        "the file name has no post id (a name such as 12345.png or 12345_p0.png)"
        for name in ("00012-747066619.png", "ComfyUI_00001_.png", "art0.png")
    ]
