"""The attached images a new complaint's draft names are copied beside it, privately and under safe, distinct
names; the owner's own files stay named where they are; past the limits, or through a link, nothing is copied."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tracker.tui import kept_attachments
from tracker.tui.kept_attachments import KeptAttachments
from tracker.tui.message_fill import split_list


def _scratch(tmp_path: Path, name: str, data: bytes) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "image-1.png").write_bytes(data)
    return folder


def test_two_reads_images_of_one_name_are_both_kept_and_the_owners_own_file_stays_where_it_is(tmp_path: Path) -> None:
    first, second = _scratch(tmp_path, "read1", b"first"), _scratch(tmp_path, "read2", b"second")
    own = tmp_path / "mine.png"
    own.write_bytes(b"mine")
    kept = KeptAttachments(tmp_path / "drafts" / "new-complaint-images")
    field = f"{first / 'image-1.png'} {second / 'image-1.png'} {own}"
    named = [Path(p) for p in split_list(kept.keep(field, [first, second]))]
    assert [p.name for p in named] == ["image-1.png", "image-1-2.png", "mine.png"]
    assert [p.read_bytes() for p in named] == [b"first", b"second", b"mine"]
    assert named[2] == own and named[0].parent == kept.folder
    assert stat.S_IMODE(named[0].stat().st_mode) == 0o600 and stat.S_IMODE(kept.folder.stat().st_mode) == 0o700
    again = kept.keep(f"{named[1]}", [first, second])  # the first image taken out of the field
    assert sorted(p.name for p in kept.folder.iterdir()) == ["image-1-2.png"] and again == str(named[1])


def test_past_the_limits_or_through_a_link_an_image_is_not_copied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = _scratch(tmp_path, "read", b"x" * 10)
    (scratch / "link.png").symlink_to(tmp_path / "elsewhere.png")
    (tmp_path / "elsewhere.png").write_bytes(b"not theirs")
    monkeypatch.setattr(kept_attachments, "MAX_BYTES", 5)
    kept = KeptAttachments(tmp_path / "kept")
    field = f"{scratch / 'image-1.png'} {scratch / 'link.png'}"
    assert kept.keep(field, [scratch]) == field
    assert not kept.folder.exists()
