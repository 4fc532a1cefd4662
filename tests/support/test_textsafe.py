"""What reaches the terminal: every control, format (bidi) and separator character escaped, widths as a terminal
draws them. The short cuts for plain text (`str.isprintable`, ASCII) must give what the character loop gives."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from tracker.support.textsafe import _BIDI, _escape, cell_width, clip_list, keep_extension, safe_text


def _escaped_one_by_one(text: str, keep_newlines: bool) -> str:
    out = []
    for char in text:
        if char == "\n" and keep_newlines:
            out.append(char)
        elif char == "\t" and keep_newlines:
            out.append("    ")
        elif char in _BIDI or unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            out.append(_escape(char))
        else:
            out.append(char)
    return "".join(out)


def _width_one_by_one(text: str) -> int:
    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


@given(st.text(), st.booleans())
def test_safe_text_escapes_exactly_what_the_character_loop_escapes(text: str, keep_newlines: bool) -> None:
    assert safe_text(text, keep_newlines=keep_newlines) == _escaped_one_by_one(text, keep_newlines)


@given(st.text())
def test_cell_width_counts_exactly_what_the_character_loop_counts(text: str) -> None:
    assert cell_width(text) == _width_one_by_one(text)


def test_the_escapes_that_matter() -> None:
    assert safe_text("a\x1b[31mb") == "a\\x1b[31mb" and safe_text("x\u202ey") == "x\\u202ey"
    assert safe_text("夜の港 moth") == "夜の港 moth" and safe_text("a\nb", keep_newlines=True) == "a\nb"
    assert cell_width("夜の港") == 6 and cell_width("abc") == 3 and cell_width("e\u0301") == 1


@given(
    st.lists(st.text(st.sampled_from("ab漢 -"), min_size=1, max_size=12), min_size=1, max_size=5), st.integers(4, 40)
)
def test_clip_list_fits_and_keeps_the_first_item_begun(items: list[str], width: int) -> None:
    """A list cut to fit a line keeps its start: the first item (the newest former name) is never the one
    dropped, and the line is never wider than asked."""
    shown = clip_list(items, width)
    assert cell_width(shown) <= width
    first = shown.split(", ")[0].removesuffix("…")
    assert first and items[0].startswith(first)
    assert clip_list(["Lantern", "Lantern of the very long name", "moth-old"], 27) == "Lantern, Lantern of the…, …"


def test_keep_extension_cuts_a_long_file_name_in_its_middle_and_keeps_its_end() -> None:
    name = "スクリーンショット_2026-12-03_complainant_forwarded_evidence_v2_final.jpg"
    assert keep_extension(name, 200) == name
    cut = keep_extension(name, 40)
    assert cut.startswith("スクリーンショット_") and cut.endswith("final.jpg") and "…" in cut
    assert cell_width(cut) <= 40
    assert keep_extension("a_name_with_no_extension_at_all_here", 16).endswith("_here")


@given(st.text(min_size=1, max_size=60), st.integers(min_value=0, max_value=70))
def test_keep_extension_never_takes_more_columns_than_given(name: str, width: int) -> None:
    name = safe_text(name)
    assert cell_width(keep_extension(name, width)) <= width
