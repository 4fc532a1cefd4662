"""Conformance on real images: the corpus files of every generator the reader supports.

The manifest's `expected` block says what a correct reader returns; this test reads each file
in place (never copying it) and compares field by field (see corpus_check).
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import corpus_manifest
from corpus_check import CORPUS, compare, manifest_entries, observed

from tracker.errors import ImageReadError
from tracker.metadata.reader import read_image


def _cases() -> list[Any]:
    """Every corpus file that carries metadata: all of them must be read exactly right."""
    entries = [e for e in manifest_entries() if e["expected"].get("generator") != "none"]
    return [pytest.param(e, id=e["file"].rsplit("/", 1)[-1]) for e in entries] or [pytest.param(None, id="none")]


@pytest.mark.parametrize("entry", _cases())
def test_corpus_file(entry: dict[str, Any] | None) -> None:
    if entry is None:
        corpus_manifest()  # skips with the reason when the corpus is absent
        pytest.skip("no entries for the supported generators in the manifest")
    path = CORPUS / entry["file"]
    if entry["expected"].get("unreadable"):
        with pytest.raises(ImageReadError):
            read_image(path)
        return
    reading = read_image(path)
    got = observed(reading.info, reading.stealth.signature if reading.stealth else None)
    diffs = compare(entry["expected"], got)
    assert not diffs, "\n".join(diffs)


def _none_cases() -> list[Any]:
    entries = [e for e in manifest_entries() if e["expected"].get("generator") == "none"]
    return [pytest.param(e, id=e["file"].rsplit("/", 1)[-1]) for e in entries] or [pytest.param(None, id="none")]


@pytest.mark.parametrize("entry", _none_cases())
def test_corpus_files_without_metadata_report_no_metadata(entry: dict[str, Any] | None) -> None:
    from tracker.accountability import ReportContext, build_report
    from tracker.risk import load_risk_table, shipped_risk_path

    if entry is None:
        corpus_manifest()
        pytest.skip("no entries without metadata in the manifest")
    path = CORPUS / entry["file"]
    if entry["expected"].get("unreadable"):
        with pytest.raises(ImageReadError):
            read_image(path)
        return
    reading = read_image(path)
    report = build_report(reading.info, ReportContext(risks=load_risk_table(shipped_risk_path())), reading.problems)
    assert report["findings"][0]["code"] == "NO_METADATA"
