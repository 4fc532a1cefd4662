"""Hamming search over stored hashes: exact answers, checked against a plain Python reference."""

from __future__ import annotations

import random

import pytest

from tracker.similarity import HashTable, to_words


def _ref_distance(a: bytes, b: bytes) -> int:
    return (int.from_bytes(a, "big") ^ int.from_bytes(b, "big")).bit_count()


def test_distances_match_a_reference_for_64_and_256_bit_hashes() -> None:
    rng = random.Random(1)
    for width in (8, 32):
        items = {i * 3 + 1: rng.randbytes(width) for i in range(500)}
        table = HashTable.from_bytes(items)
        query = rng.randbytes(width)
        got = table.distances(query).tolist()
        assert got == [_ref_distance(h, query) for h in items.values()]


def test_nearest_and_within_are_exact_and_ordered() -> None:
    rng = random.Random(2)
    items = {i: rng.randbytes(8) for i in range(2000)}
    table = HashTable.from_bytes(items)
    query = items[77]
    ref = sorted((_ref_distance(h, query), i) for i, h in items.items())
    assert [(h.distance, h.id) for h in table.nearest(query, 10)] == ref[:10]
    assert table.nearest(query, 1)[0].id == 77
    radius = ref[25][0]
    assert [(h.distance, h.id) for h in table.within(query, radius)] == [r for r in ref if r[0] <= radius]


def test_empty_and_bad_widths() -> None:
    table = HashTable.from_bytes({})
    assert len(table) == 0 and table.nearest(b"\0" * 8, 5) == []
    with pytest.raises(ValueError):
        to_words([b"\0" * 8, b"\0" * 16])
    with pytest.raises(ValueError):
        HashTable.from_bytes({1: b"\0" * 8}).distances(b"\0" * 16)
