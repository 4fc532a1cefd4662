"""Reading an untrusted file up to a limit: all of a small file, one byte past the limit of a big one,
and on past its measured size when it grew while being read (a download still being written)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tracker.support.user_files import read_at_most


def test_a_file_within_the_limit_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "a.bin"
    path.write_bytes(b"x" * 1000)
    with open(path, "rb") as handle:
        assert read_at_most(handle, 4096) == b"x" * 1000
    path.write_bytes(b"")
    with open(path, "rb") as handle:
        assert read_at_most(handle, 4096) == b""


def test_a_file_past_the_limit_gives_one_byte_more_than_it(tmp_path: Path) -> None:
    path = tmp_path / "big.bin"
    path.write_bytes(b"y" * 5000)
    with open(path, "rb") as handle:
        assert len(read_at_most(handle, 4096)) == 4097


def test_a_file_that_grows_while_read_is_read_on_up_to_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "growing.bin"
    path.write_bytes(b"z" * 100)
    measured = os.stat_result((0, 0, 0, 0, 0, 0, 100, 0, 0, 0))
    with open(path, "rb") as handle, open(path, "ab") as writer:
        writer.write(b"w" * 300)  # it grows after the reader measured it (100 bytes), before it reads
        writer.flush()
        monkeypatch.setattr(os, "fstat", lambda fd: measured)
        data = read_at_most(handle, 250)
        monkeypatch.undo()
    assert len(data) == 251, "past the limit: the caller refuses it"
