"""`tracker models scan`: local model files hashed like the generators do, and named in reports."""

from __future__ import annotations

import hashlib
import json
import os
import struct
from pathlib import Path

from fixtures.common import Tracker
from fixtures.imagefactory import write_png


def _safetensors(path: Path, payload: bytes) -> Path:
    header = json.dumps(
        {"__metadata__": {"ss_output_name": path.stem}, "w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}
    ).encode()
    path.write_bytes(struct.pack("<Q", len(header)) + header + payload)
    return path


def _addnet12(path: Path) -> str:
    data = path.read_bytes()
    n = struct.unpack("<Q", data[:8])[0]
    return hashlib.sha256(data[8 + n :]).hexdigest()[:12]


def test_scan_then_reports_show_local_files_and_renamed_models(tracker: Tracker, tmp_path: Path) -> None:
    models = tmp_path / "models"
    (models / "Lora").mkdir(parents=True)
    checkpoint = models / "myModel_v1.safetensors"
    _safetensors(checkpoint, bytes(range(256)) * 5000)
    lora = _safetensors(models / "Lora" / "inkStyle.safetensors", b"lora weights" * 1000)
    (models / "notes.txt").write_text("not a model")
    out = tracker("models", "scan", models).stdout
    assert "hashed 2, unchanged 0" in out
    assert "hashed 0, unchanged 2" in tracker("models", "scan", models).stdout

    autov2 = hashlib.sha256(checkpoint.read_bytes()).hexdigest()[:10]
    listed = tracker.json("models", "list")
    assert {Path(m["path"]).name for m in listed} == {"myModel_v1.safetensors", "inkStyle.safetensors"}
    assert autov2 in {m["autov2"] for m in listed}

    text = (
        "a cat <lora:inkStyle:0.7>\nSteps: 20, Sampler: Euler, Seed: 1, "
        f'Model hash: {autov2}, Model: someOtherName, Lora hashes: "inkStyle: {_addnet12(lora)}"'
    )
    report = tracker.json("inspect", write_png(tmp_path / "i.png", {"parameters": text}))[0]
    assert report["model"]["local_file"] == str(checkpoint)
    assert report["loras"][0]["local_file"] == str(lora)
    [mismatch] = [f for f in report["findings"] if f["code"] == "NAME_MISMATCH"]
    assert "someOtherName" in mismatch["message"] and "myModel_v1.safetensors" in mismatch["message"]


def test_scan_forgets_deleted_files(tracker: Tracker, tmp_path: Path) -> None:
    models = tmp_path / "models"
    models.mkdir()
    gone = _safetensors(models / "gone.safetensors", b"x" * 100)
    tracker("models", "scan", models)
    gone.unlink()
    assert "forgotten 1" in tracker("models", "scan", models).stdout
    assert tracker.json("models", "list") == []


def _a1111_model_hash(path: Path) -> str:
    """AUTOMATIC1111's sd_models.model_hash, verbatim in substance (the old AutoV1)."""
    with path.open("rb") as file:
        m = hashlib.sha256()
        file.seek(0x100000)
        m.update(file.read(0x10000))
        return m.hexdigest()[0:8]


def test_hashes_match_the_reference_implementations(tmp_path: Path) -> None:
    import random

    from tracker.resources.file_hashes import hash_model_file, iter_model_files

    rng = random.Random(7)
    big = tmp_path / "big.ckpt"
    big.write_bytes(rng.randbytes(3 * 1024 * 1024 + 123))
    lora = _safetensors(tmp_path / "l.safetensors", rng.randbytes(2 * 1024 * 1024 + 5))
    small = tmp_path / "tiny.pt"
    small.write_bytes(b"embedding")
    broken = tmp_path / "broken.safetensors"
    broken.write_bytes(struct.pack("<Q", 10**12) + b"{}")
    seen: list[int] = []
    hashes = hash_model_file(big, progress=seen.append, chunk_size=300_000)
    assert sum(seen) == big.stat().st_size
    assert hashes.sha256 == hashlib.sha256(big.read_bytes()).hexdigest()
    assert hashes.autov2 == hashes.sha256[:10]
    assert hashes.autov1 == _a1111_model_hash(big)
    assert hashes.addnet is None
    lora_hashes = hash_model_file(lora, chunk_size=65_536)
    assert lora_hashes.addnet == _addnet12(lora)
    assert lora_hashes.safetensors_metadata == {"ss_output_name": "l"}
    assert lora_hashes.autov1 == _a1111_model_hash(lora)
    assert hash_model_file(small).autov1 is None  # under 1 MiB A1111 hashes an empty window: not a usable id
    assert hash_model_file(broken).addnet is None
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "loop").symlink_to(tmp_path)
    names = [p.name for p in iter_model_files([tmp_path])]
    assert names == sorted(names) and set(names) == {"big.ckpt", "l.safetensors", "tiny.pt", "broken.safetensors"}


def test_a_dozen_model_files_leave_every_command_working(tracker: Tracker, tmp_path: Path) -> None:
    """Twelve files of today's modification times (~1.8e18 ns each) summed past SQLite's 64-bit integers."""
    models = tmp_path / "models"
    models.mkdir()
    for n in range(12):
        _safetensors(models / f"lora{n}.safetensors", bytes([n]) * 64)
    tracker("models", "scan", models)
    tracker("log", write_png(tmp_path / "a.png", {}), "--url", "https://www.pixiv.net/artworks/77", "--persona", "z")
    assert len(tracker.json("posts")) == 1 and tracker("posts").stdout
    assert tracker.json("show", "1")["url"] == "https://www.pixiv.net/artworks/77"
    before = tracker.json("posts")[0]
    (models / "lora0.safetensors").write_bytes(b"changed")
    tracker("models", "scan", models)
    assert tracker.json("posts")[0]["id"] == before["id"]


def test_one_folder_spelled_another_way_is_not_hashed_or_listed_again(tracker: Tracker, tmp_path: Path) -> None:
    models = tmp_path / "models"
    (models / "sub").mkdir(parents=True)
    for n in range(2):
        _safetensors(models / f"lora{n}.safetensors", bytes([n]) * 64)
    (tmp_path / "link").symlink_to(models, target_is_directory=True)
    assert "hashed 2, unchanged 0" in tracker("models", "scan", models).stdout
    for spelled in (models / "sub" / "..", tmp_path / "link"):
        assert "hashed 0, unchanged 2" in tracker("models", "scan", spelled).stdout, spelled
    assert sorted(Path(m["path"]).name for m in tracker.json("models", "list")) == [
        "lora0.safetensors",
        "lora1.safetensors",
    ]


def test_a_link_leading_nowhere_and_a_fifo_are_named_not_skipped_in_silence(tracker: Tracker, tmp_path: Path) -> None:
    models = tmp_path / "models"
    models.mkdir()
    _safetensors(models / "real.safetensors", b"x" * 64)
    (models / "gone.safetensors").symlink_to(tmp_path / "nowhere.safetensors")
    os.mkfifo(models / "pipe.safetensors")
    result = tracker("models", "scan", models)
    assert "hashed 1," in result.stdout
    assert f"{models / 'gone.safetensors'}: a link that leads nowhere" in result.stderr
    assert f"{models / 'pipe.safetensors'}: not a regular file; skipped" in result.stderr


def test_a_fifo_or_device_given_as_the_folder_is_refused_not_scanned_as_empty(tracker: Tracker, tmp_path: Path) -> None:
    pipe = tmp_path / "models"
    os.mkfifo(pipe)
    for given in (pipe, Path(os.devnull)):
        result = tracker("models", "scan", given, ok=False)
        assert result.exit_code != 0, given
        assert "hashed" not in result.stdout
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "not a folder" in lines[0] and "Traceback" not in result.output, result.stderr
    assert "FIFO" in tracker("models", "scan", pipe, ok=False).stderr
