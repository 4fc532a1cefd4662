"""Conformance on real images: every file of ../shared/corpus, read in place (never copied).

The manifest's `expected` block says what a correct reader returns; each file is compared
field by field (see corpus_check). Files without metadata must also report NO_METADATA, and the
one undecodable file must fail with a clear error.
"""

from __future__ import annotations

from typing import Any

import pytest
from fixtures.common import corpus_manifest
from fixtures.corpus_check import CORPUS, compare, manifest_entries, observed

from tracker.accountability.report import ReportContext, build_report
from tracker.accountability.risk import load_risk_table, shipped_risk_path
from tracker.errors import ImageReadError
from tracker.metadata.reader import read_image


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
