"""Checking the bytes after a scrub: does the database file (or its WAL) still hold the persona's name or URLs?"""

from __future__ import annotations

import json
import mmap
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Residue:
    """What a byte search of the database file(s) still found after the scrub."""

    files: tuple[str, ...]
    name_found: bool
    urls_checked: int
    urls_found: int


def find_residue(files: Iterable[Path], name: str, urls: Collection[str]) -> Residue:
    """Search the raw bytes of the database files for the persona's name and post URLs.

    Both the UTF-8 text and its JSON-escaped form (how the audit trail stores non-ASCII text) are
    searched. A name short or common enough to occur in other records is reported as found: the
    check cannot tell whose text it is in.
    """
    names = _forms(name)
    wanted = {form for url in urls for form in _forms(url)}
    checked: list[str] = []
    name_found = False
    found: set[bytes] = set()
    for path in files:
        if not path.is_file() or path.stat().st_size == 0:
            continue
        checked.append(str(path))
        with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            name_found = name_found or any(data.find(form) != -1 for form in names)
            found |= _urls_in(data, wanted)
    hits = {url for url in urls if any(form in found for form in _forms(url))}
    return Residue(tuple(checked), name_found, len(urls), len(hits))


def _forms(text: str) -> set[bytes]:
    return {text.encode("utf-8"), json.dumps(text)[1:-1].encode("ascii")} - {b""}


def _urls_in(data: mmap.mmap, wanted: set[bytes]) -> set[bytes]:
    """Which of `wanted` occur in data: one pass over every `://`, not one search per URL."""
    lengths: dict[int, set[int]] = {}
    found: set[bytes] = set()
    for url in wanted:
        offset = url.find(b"://")
        if offset < 0:
            if data.find(url) != -1:
                found.add(url)
            continue
        lengths.setdefault(offset, set()).add(len(url))
    position = data.find(b"://")
    while position != -1:
        for offset, sizes in lengths.items():
            start = position - offset
            if start < 0:
                continue
            for size in sizes:
                chunk = data[start : start + size]
                if chunk in wanted:
                    found.add(chunk)
        position = data.find(b"://", position + 3)
    return found
