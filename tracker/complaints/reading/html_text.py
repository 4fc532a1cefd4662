"""The text an HTML mail shows (`messages` reads a complaint sent only as HTML this way), each link's target
after its text as `<URL>`: the URL of the work it names is what the owner needs, not `こちら`."""

from __future__ import annotations

import re
from html import unescape

_TAG_NAME = re.compile(r"/?([A-Za-z][A-Za-z0-9]*)")
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
_BLOCKS = set("br p div li tr table ul ol h1 h2 h3 h4 h5 h6 hr pre blockquote section article header footer".split())
_SPACES = re.compile(r"[ \t\r\n\f\v]+")


def html_text(html: str) -> str:
    """The text an HTML mail shows, with each link's target after its text as `<URL>`.

    A scanner of its own, in one pass: `html.parser` takes quadratic time on some hostile
    input (thousands of unclosed tags), which a complaint may be.
    """
    out: list[str] = []
    link: tuple[str, int] | None = None
    pos, size = 0, len(html)
    while pos < size:
        lt = size if (lt := html.find("<", pos)) < 0 else lt
        out.append(_SPACES.sub(" ", unescape(html[pos:lt])))
        tag = _TAG_NAME.match(html, lt + 1)
        if html.startswith("<!--", lt):
            pos = size if (end := html.find("-->", lt + 4)) < 0 else end + 3
            continue
        if lt < size and not tag and html[lt + 1 : lt + 2] not in ("!", "?"):
            out.append("<")
            pos = lt + 1
            continue
        if (gt := html.find(">", lt)) < 0:
            break  # the end, or an unclosed tag: nothing after it shows
        pos = gt + 1
        name, closing = tag.group(1).lower() if tag else "", html[lt + 1] == "/"
        if name in ("script", "style", "head", "title") and not closing:
            end_tag = re.compile(rf"</{name}\s*>", re.I).search(html, pos)
            pos = end_tag.end() if end_tag else size
        elif name in _BLOCKS and not (closing and name == "tr"):  # a table's rows one a line, no blank between
            out.append("\n")
        elif name in ("td", "th"):
            out.append(" ")
        elif name == "a" and closing and link:
            if link[0] not in "".join(out[link[1] :]):
                out.append(f" <{link[0]}>")
            link = None
        elif name == "a" and not closing:
            href = _HREF.search(html, lt, min(gt, lt + 4096))
            target = unescape(next((g for g in href.groups() if g is not None), "")).strip() if href else ""
            link = (target, len(out)) if target.lower().startswith(("http://", "https://")) else None
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(out).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
