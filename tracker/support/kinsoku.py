"""Where a Japanese line may break (禁則処理): the characters no line starts with, and those no line ends with.

The TUI's folding (`tui.line_breaks`) and the CLI's (`cli.output.fold`) both keep to them, so a letter or a
message reads as a Japanese reader expects at any width: no line opening with 。 or 」, none ending with 「.
"""

from __future__ import annotations

NO_START = frozenset(
    "、。，．・：；？！‼⁇⁈⁉ー―）」』】〕〉》］｝〙〗〟’”ゝゞヽヾ々〻〜～…‥゠"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
)
"""Characters a line must not start with (closing brackets, punctuation, small kana, prolonged sound)."""
NO_END = frozenset("（「『【〔〈《［｛〘〖〝‘“")
"""Characters a line must not end with (opening brackets)."""
MOST_MOVED = 3
"""At most this many characters move down to keep one break right (a run of 」。」 say); beyond it the break stays."""
