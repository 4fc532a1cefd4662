"""Conformance on real images: every file of ../shared/corpus, read in place (never copied).

The manifest's `expected` block says what a correct reader returns; each file is compared
field by field (see corpus_check). Files without metadata must also report NO_METADATA, and the
one undecodable file must fail with a clear error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fixtures.common import corpus_manifest
from fixtures.corpus_check import CORPUS, compare, manifest_entries, observed
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from tracker.accountability.report import ReportContext, build_report
from tracker.accountability.risk import load_risk_table, shipped_risk_path
from tracker.errors import ImageReadError
from tracker.metadata.reader import read_image

WORKFLOW_ONLY = ("edit_models__sdxl_edit_model.png", "hidream__hidream_e1_example.png", "samples__png__krea2.png")
"""ComfyUI files whose sampler, loaders or LoRAs sit inside a group node or subgraph of the workflow."""


def _cases() -> list[Any]:
    entries = manifest_entries()
    return [pytest.param(e, id=e["file"].rsplit("/", 1)[-1]) for e in entries] or [pytest.param(None, id="none")]


@pytest.mark.parametrize("entry", _cases())
def test_corpus_file(entry: dict[str, Any] | None) -> None:
    if entry is None:
        corpus_manifest()  # skips with the reason when the corpus is absent
        pytest.skip("the manifest lists no files")
    path = CORPUS / entry["file"]
    if entry["expected"].get("unreadable"):
        with pytest.raises(ImageReadError):
            read_image(path)
        return
    reading = read_image(path)
    got = observed(reading.info, reading.stealth.signature if reading.stealth else None)
    diffs = compare(entry["expected"], got)
    assert not diffs, "\n".join(diffs)
    if entry["expected"]["generator"] == "none":
        report = build_report(reading.info, ReportContext(risks=load_risk_table(shipped_risk_path())), reading.problems)
        assert report["findings"][0]["code"] == "NO_METADATA"


@pytest.mark.parametrize("name", WORKFLOW_ONLY)
def test_corpus_workflow_only_reading_opens_subgraphs_and_group_nodes(name: str, tmp_path: Path) -> None:
    """The file re-saved without its `prompt` chunk (as sites and tools strip it) reads as the manifest says
    and as the reading with the prompt chunk does: the workflow's subgraphs and group nodes are opened."""
    entry = next((e for e in corpus_manifest() if e["file"].endswith("/" + name)), None)
    if entry is None:
        pytest.skip(f"{name} is not in the corpus manifest")
    with Image.open(CORPUS / entry["file"]) as image:
        image.load()
        assert "prompt" in image.text and "workflow" in image.text
        chunks = PngInfo()
        for key, text in image.text.items():
            if key != "prompt":
                chunks.add_text(key, text)
        image.save(tmp_path / name, pnginfo=chunks)
    stripped, whole = read_image(tmp_path / name), read_image(CORPUS / entry["file"])
    assert stripped.info is not None and stripped.info.params["graph"] == "workflow"
    got = observed(stripped.info, None)
    assert not compare(entry["expected"], got), "\n".join(compare(entry["expected"], got))
    assert got == observed(whole.info, None)
