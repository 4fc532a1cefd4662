"""tracker.resources.file_hashes against straightforward re-typings of AUTOMATIC1111's own hash functions.

The references below read the file the simple way (seek + read, or the whole file at once), so a
bug in the streaming pass (chunk boundaries, the AutoV1 window, the addnet start offset, the
helper thread) shows up as a mismatch.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import struct
import sys
import tracemalloc
from pathlib import Path

import pytest

from tracker.errors import TrackerError
from tracker.resources.file_hashes import (
    MAX_METADATA_VALUE,
    MODEL_EXTENSIONS,
    OMITTED_KEY,
    ModelHashes,
    hash_model_file,
    iter_model_files,
)

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


# --- reference implementations (A1111, in substance verbatim) ------------------------------------


def a1111_model_hash(filename: Path) -> str:
    """A1111 `modules/sd_models.py model_hash`: the old AutoV1."""
    with open(filename, "rb") as file:
        m = hashlib.sha256()
        file.seek(0x100000)
        m.update(file.read(0x10000))
        return m.hexdigest()[0:8]


def a1111_calculate_sha256(filename: Path) -> str:
    """A1111 `modules/hashes.py calculate_sha256`, as simply as possible: the whole file at once."""
    return hashlib.sha256(open(filename, "rb").read()).hexdigest()


def a1111_addnet_hash_safetensors(filename: Path) -> str:
    """A1111 `modules/hashes.py addnet_hash_safetensors` (from kohya-ss sd-scripts)."""
    with open(filename, "rb") as b:
        hash_sha256 = hashlib.sha256()
        blksize = 1024 * 1024
        b.seek(0)
        header = b.read(8)
        n = int.from_bytes(header, "little")
        offset = n + 8
        b.seek(offset)
        for chunk in iter(lambda: b.read(blksize), b""):
            hash_sha256.update(chunk)
        return hash_sha256.hexdigest()


# --- generated files ----------------------------------------------------------------------------


def write_safetensors(path: Path, payload: bytes, metadata: dict[str, object] | None = None) -> Path:
    """A real safetensors layout: u64 LE header length, JSON header, then the tensor bytes."""
    header: dict[str, object] = {
        "__metadata__": metadata
        if metadata is not None
        else {
            "ss_output_name": path.stem,
            "ss_network_module": "networks.lora",
            "ss_tag_frequency": json.dumps({"img": {"1girl": 12, "solo": 9}}),
            "modelspec.architecture": "stable-diffusion-v1/lora",
        },
        "lora_unet_down.weight": {"dtype": "F16", "shape": [2, 2], "data_offsets": [0, 8]},
    }
    raw = json.dumps(header).encode()
    raw += b" " * (-len(raw) % 8)  # writers pad the header to 8 bytes with spaces
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + payload)
    return path


def assert_matches_references(hashes: ModelHashes, path: Path) -> None:
    full = a1111_calculate_sha256(path)
    assert hashes.sha256 == full
    assert hashes.autov2 == full[:10]
    assert hashes.size == path.stat().st_size
    assert hashes.mtime_ns == path.stat().st_mtime_ns
    if path.stat().st_size > 0x100000:
        assert hashes.autov1 == a1111_model_hash(path)
    else:
        assert hashes.autov1 is None
    if hashes.addnet_full is not None:
        assert hashes.addnet_full == a1111_addnet_hash_safetensors(path)
        assert hashes.addnet == hashes.addnet_full[:12]


@pytest.fixture(scope="module")
def rng() -> random.Random:
    return random.Random(20260101)


# Chunk sizes straddle every boundary differently: odd tiny chunks, 64 KiB (the AutoV1 window
# exactly), a size that splits the window, 1 MiB (the default), one chunk bigger than the file.
# Files of at least four chunks take the threaded path, the others the plain one.
CHUNK_SIZES = [4099, 0x10000, 300_000, 1 << 20, 8 << 20]


@pytest.mark.parametrize("chunk_size", CHUNK_SIZES)
def test_safetensors_lora_matches_a1111(tmp_path: Path, rng: random.Random, chunk_size: int) -> None:
    path = write_safetensors(tmp_path / "inkStyle.safetensors", rng.randbytes(2 * 1024 * 1024 + 4321))
    seen: list[int] = []
    hashes = hash_model_file(path, progress=seen.append, chunk_size=chunk_size)
    assert_matches_references(hashes, path)
    assert hashes.addnet_full == a1111_addnet_hash_safetensors(path)
    assert hashes.addnet_full != hashes.sha256  # the header really is left out
    assert hashes.autov1 is not None and len(hashes.autov1) == 8
    assert hashes.safetensors_metadata == {
        "ss_output_name": "inkStyle",
        "ss_network_module": "networks.lora",
        "ss_tag_frequency": '{"img": {"1girl": 12, "solo": 9}}',
        "modelspec.architecture": "stable-diffusion-v1/lora",
    }
    assert sum(seen) == path.stat().st_size
    assert len(seen) == -(-path.stat().st_size // chunk_size)


def test_addnet_ignores_metadata_edits(tmp_path: Path, rng: random.Random) -> None:
    """Why addnet exists: re-tagging a LoRA changes its sha256 but not its `Lora hashes` entry."""
    payload = rng.randbytes(300_000)
    a = hash_model_file(write_safetensors(tmp_path / "a.safetensors", payload, {"ss_output_name": "a"}))
    b = hash_model_file(write_safetensors(tmp_path / "b.safetensors", payload, {"ss_output_name": "renamed"}))
    assert a.addnet == b.addnet and a.sha256 != b.sha256


@pytest.mark.parametrize("chunk_size", CHUNK_SIZES)
def test_big_checkpoint_matches_a1111(tmp_path: Path, rng: random.Random, chunk_size: int) -> None:
    path = tmp_path / "model.ckpt"
    path.write_bytes(rng.randbytes(3 * 1024 * 1024 + 123))
    seen: list[int] = []
    hashes = hash_model_file(path, progress=seen.append, chunk_size=chunk_size)
    assert_matches_references(hashes, path)
    assert hashes.addnet is None and hashes.addnet_full is None and hashes.safetensors_metadata is None
    assert sum(seen) == path.stat().st_size


def test_autov1_window_is_64_kib_at_1_mib(tmp_path: Path) -> None:
    """Only bytes 0x100000..0x10ffff count: changing a byte just outside moves AutoV2, not AutoV1."""
    base = bytearray(random.Random(1).randbytes(0x120000))
    path = tmp_path / "m.ckpt"
    path.write_bytes(bytes(base))
    original = hash_model_file(path, chunk_size=0x7FFF)
    expected = hashlib.sha256(bytes(base[0x100000:0x110000])).hexdigest()[:8]
    assert original.autov1 == expected == a1111_model_hash(path)
    for outside in (0x0FFFFF, 0x110000, 0):
        changed = bytearray(base)
        changed[outside] ^= 0xFF
        path.write_bytes(bytes(changed))
        other = hash_model_file(path)
        assert other.autov1 == original.autov1 and other.autov2 != original.autov2
    for inside in (0x100000, 0x10FFFF):
        changed = bytearray(base)
        changed[inside] ^= 0xFF
        path.write_bytes(bytes(changed))
        assert hash_model_file(path).autov1 != original.autov1


@pytest.mark.parametrize("size", [0x100000 + 1, 0x100000 + 1000, 0x110000 - 1, 0x110000])
def test_autov1_partial_window_like_a1111(tmp_path: Path, size: int) -> None:
    """Files ending inside the window: A1111 hashes the shorter tail it reads, and so do we."""
    path = tmp_path / "short.pt"
    path.write_bytes(random.Random(size).randbytes(size))
    hashes = hash_model_file(path, chunk_size=0x10000)
    assert hashes.autov1 == a1111_model_hash(path)
    assert_matches_references(hashes, path)


@pytest.mark.parametrize("size", [0, 9, 512 * 1024, 0x100000])
def test_autov1_none_when_file_ends_before_the_window(tmp_path: Path, size: int) -> None:
    """A1111 would show sha256(b'')[:8] = e3b0c442 for all of these: no use as an identity."""
    path = tmp_path / "tiny.pt"
    path.write_bytes(b"\x01" * size)
    assert a1111_model_hash(path) == EMPTY_SHA256[:8] == "e3b0c442"
    hashes = hash_model_file(path)
    assert hashes.autov1 is None
    assert_matches_references(hashes, path)


def test_empty_file(tmp_path: Path) -> None:
    for name in ("empty.ckpt", "empty.safetensors"):
        path = tmp_path / name
        path.write_bytes(b"")
        seen: list[int] = []
        hashes = hash_model_file(path, progress=seen.append)
        assert (hashes.size, hashes.sha256, hashes.autov2) == (0, EMPTY_SHA256, EMPTY_SHA256[:10])
        assert hashes.autov1 is None and hashes.addnet is None and hashes.safetensors_metadata is None
        assert sum(seen) == 0


@pytest.mark.parametrize(
    "prefix",
    [
        struct.pack("<Q", 2**63) + b"{}",  # absurd length
        struct.pack("<Q", 2**64 - 1) + b"{}",
        struct.pack("<Q", 5_000_000) + b"{}",  # under the limit but past the end of the file
        b"\x07\x00\x00",  # shorter than the length field
    ],
)
def test_corrupt_header_length_gives_no_addnet(tmp_path: Path, rng: random.Random, prefix: bytes) -> None:
    path = tmp_path / "broken.safetensors"
    path.write_bytes(prefix + rng.randbytes(1_200_000 if len(prefix) > 8 else 0))
    hashes = hash_model_file(path, chunk_size=65_536)
    assert hashes.addnet is None and hashes.addnet_full is None and hashes.safetensors_metadata is None
    assert_matches_references(hashes, path)


def test_header_over_100_mb_is_refused(tmp_path: Path) -> None:
    """A sparse 101 MB file whose length field says 100 MB + 1: within the file, over the limit."""
    path = tmp_path / "huge-header.safetensors"
    with path.open("wb") as handle:
        handle.write(struct.pack("<Q", 100 * 1024 * 1024 + 1))
        handle.truncate(101 * 1024 * 1024)
    hashes = hash_model_file(path, chunk_size=8 << 20)
    assert hashes.addnet is None
    assert hashes.size == 101 * 1024 * 1024


def test_header_that_is_not_json_still_gets_the_a1111_addnet(tmp_path: Path, rng: random.Random) -> None:
    """A1111 never parses the header for the hash, so neither do we; only the metadata is lost."""
    path = tmp_path / "odd.safetensors"
    path.write_bytes(struct.pack("<Q", 16) + b"\xff not json \x00\x01" + rng.randbytes(70_000))
    hashes = hash_model_file(path)
    assert hashes.addnet_full == a1111_addnet_hash_safetensors(path)
    assert hashes.safetensors_metadata is None


def test_header_only_file(tmp_path: Path) -> None:
    path = tmp_path / "no-tensors.safetensors"
    raw = b'{"__metadata__": {"a": "b"}}'
    path.write_bytes(struct.pack("<Q", len(raw)) + raw)
    hashes = hash_model_file(path)
    assert hashes.addnet_full == a1111_addnet_hash_safetensors(path) == EMPTY_SHA256
    assert hashes.safetensors_metadata == {"a": "b"}


def test_extension_case_and_other_formats(tmp_path: Path, rng: random.Random) -> None:
    upper = write_safetensors(tmp_path / "UPPER.SafeTensors", rng.randbytes(1000))
    assert hash_model_file(upper).addnet_full == a1111_addnet_hash_safetensors(upper)
    for ext in (".ckpt", ".pt", ".pth", ".bin", ".gguf"):
        other = tmp_path / f"same{ext}"
        other.write_bytes(upper.read_bytes())  # safetensors bytes under another name: no addnet
        assert hash_model_file(other).addnet is None


def test_metadata_is_size_capped(tmp_path: Path) -> None:
    meta: dict[str, object] = {
        "ss_output_name": "x",
        "modelspec.thumbnail": "data:image/png;base64," + "A" * (MAX_METADATA_VALUE + 1),
        "ss_nested": {"written": "as an object"},
    }
    meta.update({f"k{i}": "v" * 60_000 for i in range(30)})  # 1.8 M chars in all
    path = write_safetensors(tmp_path / "fat.safetensors", b"\0" * 8, meta)
    kept = hash_model_file(path).safetensors_metadata
    assert kept is not None
    assert kept["ss_output_name"] == "x"
    assert kept["ss_nested"] == '{"written": "as an object"}'
    assert "modelspec.thumbnail" not in kept
    omitted = kept[OMITTED_KEY].split(",")
    assert "modelspec.thumbnail" in omitted and "k29" in omitted
    assert sum(len(v) for k, v in kept.items() if k != OMITTED_KEY) <= 1024 * 1024
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in kept.items())


def test_header_without_metadata_block(tmp_path: Path) -> None:
    path = tmp_path / "bare.safetensors"
    raw = json.dumps({"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}).encode()
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + b"\0\0\0\0")
    hashes = hash_model_file(path)
    assert hashes.safetensors_metadata is None
    assert hashes.addnet_full == hashlib.sha256(b"\0\0\0\0").hexdigest()


def test_memory_stays_constant(tmp_path: Path) -> None:
    """A 24 MB file hashed in 64 KiB chunks allocates a few chunks at a time, not the file."""
    path = write_safetensors(tmp_path / "big.safetensors", os.urandom(24 * 1024 * 1024))
    tracemalloc.start()
    try:
        hash_model_file(path, chunk_size=65_536)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2 * 1024 * 1024


def test_progress_exception_propagates(tmp_path: Path) -> None:
    """A progress callback may abort (Ctrl-C in the CLI): the helper thread must not swallow it."""
    path = tmp_path / "m.ckpt"
    path.write_bytes(b"\0" * 1_000_000)

    def stop(_: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        hash_model_file(path, progress=stop, chunk_size=10_000)


# --- errors -------------------------------------------------------------------------------------


def test_missing_file_is_a_one_line_tracker_error(tmp_path: Path) -> None:
    with pytest.raises(TrackerError) as caught:
        hash_model_file(tmp_path / "gone.safetensors")
    message = str(caught.value)
    assert message.startswith(str(tmp_path / "gone.safetensors")) and "cannot read" in message
    assert "\n" not in message


def test_newline_in_name_stays_one_line(tmp_path: Path) -> None:
    with pytest.raises(TrackerError) as caught:
        hash_model_file(tmp_path / "evil\nname.ckpt")
    assert "\n" not in str(caught.value)


def test_directory_and_fifo_are_refused_without_blocking(tmp_path: Path) -> None:
    folder = tmp_path / "folder.ckpt"
    folder.mkdir()
    with pytest.raises(TrackerError, match="not a regular file"):
        hash_model_file(folder)
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "pipe.safetensors"
        os.mkfifo(fifo)
        with pytest.raises(TrackerError, match="not a regular file"):
            hash_model_file(fifo)


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root reads everything")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.ckpt"
    path.write_bytes(b"x")
    path.chmod(0)
    try:
        with pytest.raises(TrackerError, match=r"cannot read \(Permission denied\)"):
            hash_model_file(path)
    finally:
        path.chmod(0o644)


def test_bad_chunk_size(tmp_path: Path) -> None:
    path = tmp_path / "m.ckpt"
    path.write_bytes(b"x")
    with pytest.raises(ValueError):
        hash_model_file(path, chunk_size=0)


# --- iter_model_files ---------------------------------------------------------------------------


def _touch(path: Path, content: bytes = b"x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def test_iter_model_files_tree(tmp_path: Path) -> None:
    root = tmp_path / "models"
    elsewhere = tmp_path / "bigdisk" / "loras"
    for rel in (
        "Stable-diffusion/sdxl/base.safetensors",
        "Stable-diffusion/v1.CKPT",
        "Lora/style/ink.safetensors",
        "Lora/a.pt",
        "embeddings/neg.bin",
        "unet/flux.gguf",
        "z.pth",
    ):
        _touch(root / rel, rel.encode())
    for rel in ("Lora/ink.preview.png", "Lora/style/ink.json", "notes.txt", "Lora/x.safetensors.txt", "noext"):
        _touch(root / rel)
    _touch(elsewhere / "linked.safetensors", b"linked")
    (root / "Lora" / "loop").symlink_to(root)  # a loop back to the top
    (root / "Lora" / "self").symlink_to(root / "Lora")  # and to itself
    (root / "Lora" / "external").symlink_to(elsewhere)  # a folder kept on another disk
    # A file symlink that sorts before the real file: the real path must still win.
    (root / "0-alias.safetensors").symlink_to(root / "Lora" / "style" / "ink.safetensors")
    (root / "broken.ckpt").symlink_to(tmp_path / "nowhere.ckpt")
    (root / "dir.ckpt").mkdir()  # a folder with a model extension is not a model

    found = list(iter_model_files([root]))
    rel = [p.relative_to(root).as_posix() for p in found]
    assert found == sorted(found)
    assert rel == sorted(
        [
            "Lora/a.pt",
            "Lora/external/linked.safetensors",
            "Lora/style/ink.safetensors",  # not "0-alias.safetensors": the real path wins
            "Stable-diffusion/sdxl/base.safetensors",
            "Stable-diffusion/v1.CKPT",
            "embeddings/neg.bin",
            "unet/flux.gguf",
            "z.pth",
        ]
    )
    assert all(p.suffix.lower() in MODEL_EXTENSIONS for p in found)


def test_iter_model_files_several_roots(tmp_path: Path) -> None:
    a = _touch(tmp_path / "m" / "a.ckpt")
    b = _touch(tmp_path / "m" / "sub" / "b.ckpt")
    # Overlapping roots and a root that is a file: each file still comes out once.
    assert list(iter_model_files([tmp_path / "m" / "sub", tmp_path / "m", a])) == [b, a]
    assert list(iter_model_files([_touch(tmp_path / "notes.txt")])) == []


def test_iter_model_files_missing_root(tmp_path: Path) -> None:
    _touch(tmp_path / "a.ckpt")
    with pytest.raises(TrackerError, match="no such file or folder"):
        list(iter_model_files([tmp_path, tmp_path / "missing"]))


def test_iter_model_files_prefers_real_folders_over_links_into_the_tree(tmp_path: Path) -> None:
    """A shortcut link to a folder inside the tree must not hide the folder's real path."""
    real = _touch(tmp_path / "models" / "sub" / "deep" / "m.ckpt")
    for name in ("0-shortcut", "a-shortcut", "t-shortcut", "zz-shortcut", "Z-shortcut"):
        (tmp_path / "models" / name).symlink_to(tmp_path / "models" / "sub" / "deep")
    (tmp_path / "models" / "sub" / "0-up").symlink_to(tmp_path / "models" / "sub")
    assert list(iter_model_files([tmp_path / "models"])) == [real]
