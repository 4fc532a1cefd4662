"""The URLs a complaint's prose gives, told apart from the prose around them.

Japanese is written without spaces, so a writer puts a URL straight against the sentence
(`https://www.pixiv.net/artworks/12345678の画像は…`, `こちら（https://x.com/…）の投稿`), and a URL may
itself hold Japanese (`https://ja.wikipedia.org/wiki/東京`, a blog post's slug, a pixiv tag). A URL read
too long names no logged post, files the complainant's work under a URL that does not exist, and puts
it in front of the owner; read too short, it loses the page. The rules, in order:

1. Non-ASCII letters and digits belong to a URL in a part that starts with one (the host, a path
   segment, a query value or fragment: after `/`, `?`, `#`, `&`, `=`). After an ASCII character they end
   it (`…/artworks/12345678の画像`, `…/12345678について`), unless the part goes on into a word as a name does
   (`…/2024年/夏祭り`, `…/vol.3の夏`): it goes on with a kanji, katakana or full-width letter (or `の` and
   one), with no sign of prose (rule 2) in what follows (`_name_goes_on`); where prose begins inside it
   (`…/2024年に公開`), the URL ends there. Space (the full-width one too), Japanese punctuation and brackets
   (`。、・！？「」『』【】（）：`) end it, and so does a `http://` or `https://` run on without a space.
2. Such a Japanese part is cut where prose begins, when it reads as prose (`_prose_start`): it holds a
   predicate or `を` (`です`, `ます`, `ください`, `ている`), `の` before a word for what a link shows (`の画像`,
   `の投稿`, `の記事`, `のタグ`) or ends with one, a particle before a verb of finding or posting (`で見つけた`,
   `に掲載`), or ends with a bare particle after a word (`東京に`, `東京の`; never `は`: `君の名は`). It is then
   cut at its first particle after a word of kanji, katakana or Latin letters (`を`, `に`, `は`, `が`, `で`,
   `へ`, `から`, `まで`, `より`, `です`, `ます`, `ください`), where `の` counts only before a word for what a
   link shows, since names hold `の` (`京都の雨`, `千と千尋の神隠し`); a part that opens with such a particle
   (`/の投稿`, `/をご覧ください`, `/で見つけた`; not a name in kana, `/はたらく細胞`) is all prose. A part with
   no sign of prose is kept whole, particles and all: a title is what it is (`千と千尋の神隠し`, `京都の雨`).
3. Trailing sentence punctuation (`.,;:!?'*`) goes, and so do a `)` or `]` the URL did not open, and an
   `(` it never closes (`…/12345678(2023年投稿)`).

Where the two cannot be told apart without understanding the words, the rule keeps the longer name before
a particle `の` (`…/作品/京都の雨をご覧ください` is `…/作品/京都の雨`, as `…/wiki/東京の記事をご覧ください`
is `…/wiki/東京`), and cuts a title holding another particle when a predicate follows (`…/君に届けです` is
`…/君`). A known platform's post URL ends where its pattern does (`trimmed_to_post`, which needs the platforms):
no post id holds Japanese, so `…/artworks/12345678/で見つけた` is the post `…/artworks/12345678`. And where the
words mislead, the archive settles it: the intake asks whether another reading (`other_readings`) is a logged post.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from urllib.parse import urlsplit

from tracker.errors import UsageError
from tracker.platforms.urls import Platform, parse_post_url

_SEPARATOR = "/?#&="
_ASCII = r"A-Za-z0-9\-._~:\[\]@!$'()*+,;%"
_WIDE = r"(?:[^\W\x00-\x7f]|・)"
URL = re.compile(
    rf"https?://(?:[{_ASCII}{_SEPARATOR}]|(?<=[{_SEPARATOR}]){_WIDE}(?:[{_ASCII}]|{_WIDE})*)+",
    re.I,
)
"""A URL as loosely as rule 1 reads it without its exception (a part that starts in ASCII and goes on into a name,
`…/2024年`, ends at `年` here): what `guess_language` blanks."""
_RUN = re.compile(rf"https?://(?:[{_ASCII}{_SEPARATOR}]|{_WIDE})+", re.I)
"""The run a URL may be read from, Japanese anywhere in it: `_rule_one` cuts it as rule 1 reads it."""
_NAME_GOES_ON = re.compile(r"の?[\u3400-\u9fff\u30a0-\u30fa\u30fc-\u30ff\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
"""What continues a part begun in ASCII as a name (`2024年`, `vol.3の夏`, `No.5ポスター`): a kanji, katakana (not `・`)
or full-width letter or digit, or `の` before one; a particle (`について`, `と`, `など`) or `・` is the prose's."""
_TRAILING = {")": "(", "]": "[", **dict.fromkeys(".,;:!?'*", "\x00")}
_TRAILING_ASCII = "".join(_TRAILING)
_RUN_ON = re.compile(r"(?<=[^\x00-\x7f])https?://", re.I)
"""A second URL run on after a non-ASCII character (`…/東京・https://…`): the first URL ends there."""

_HIRAGANA = re.compile("[\u3041-\u309f]")
_CONTENT = "|".join(
    [
        *"画像 投稿 作品 イラスト 絵 記事 ページ ツイート ポスト ノート 動画 写真".split(),
        *"リンク URL ＵＲＬ アカウント タグ 商品 サイト 件 内容".split(),
    ]
)
"""Words for what a link shows: `の` before one (`…/東京の記事`) is the prose's, not a name's."""
_PARTICLE = re.compile(
    rf"を|です|でした|でしょう|ます|ました|ません|くださ|下さ|から|まで|より|[にはがでへ]|の(?={_CONTENT})"
)
"""Where prose may begin after a word: a case or topic particle, a copula or polite ending, `の` before a word for
what a link shows (`の記事`; not `の雨`: names hold `の`)."""
_OPENS_PROSE = re.compile(rf"を|です|でした|ます|くださ|下さ|の(?:{_CONTENT})")
"""A part starting with one of these is prose from its first character: no name starts so."""
_PREDICATE = re.compile(
    rf"を|です|でした|でしょう|ます|ました|ません|くださ|下さ|ござい|ている|ていた|ており|ていま"
    rf"|の(?:{_CONTENT})(?![\u3400-\u9fff\u30a0-\u30ff])|[にで](?:検索|参照|確認|掲載|公開|投稿|発見|拝見|閲覧|見)"
    rf"|(?:{_CONTENT})$"
)
"""Evidence that a part is a sentence, not a name: the object particle, a polite or progressive ending, `の`
before a word for what a link shows that no other word continues (`の画像`, `のタグ`; not `の写真展`), a particle
before a verb of finding or posting (`で見つけた`, `に掲載`), or a word for what a link shows ending it after a
particle (`夜市にある画像`: `_prose_start` cuts only at a particle after a word)."""
_BARE_PARTICLE = re.compile("(?:を|に|にて|が|で|へ|の|から|まで|より)$")
"""Particles a name never ends with after a word (`は` it may: `君の名は`)."""


def urls_in(text: str) -> tuple[str, ...]:
    """Every http(s) URL in order, once each, without the prose and punctuation around it (the module's rules)."""
    return tuple(dict.fromkeys(url for _, url in _read(text)))


def url_spans(text: str) -> list[tuple[int, int]]:
    """Where each http(s) URL `urls_in` reads lies in `text`: (start, end) offsets, in order (the TUI keeps a URL
    on one line when it folds Japanese text: `line_breaks`)."""
    return [(start, start + len(url)) for start, url in _read(text)]


_LINKED_IMAGE = re.compile(
    r"\[url=[^\[\]\n]{1,2048}\][^\[\n]{0,200}\[img(?:[= ][^\[\]\n]{0,80})?\]([^\[\]\n]{1,2048})\[/img\]", re.I
)


def linked_images(text: str) -> set[str]:
    """The image URLs a BBCode link shows as its picture (`[url=https://…/art/1][img]https://…/1.png[/img][/url]`: a
    thumbnail linking to the page): the page is where the work is, as an HTML mail's `<a href><img></a>` shows only
    the link; its thumbnail is no second place of it. An image alone (`[img]…[/img]`, no link around it) is no
    thumbnail: it is where the message shows the work. The first 64 KiB are read."""
    return {url for found in _LINKED_IMAGE.finditer(text[: 64 * 2**10]) for url in urls_in(found.group(1))[:1]}


_FULL_WIDTH_URL = re.compile(
    r"[ｈＨ][ｔＴ][ｔＴ][ｐＰ][ｓＳ]?[：:][／/][／/][\uff10-\uff19\uff21-\uff3a\uff41-\uff5a／：．＿－～＃＝＆％＠＋？A-Za-z0-9/:._~#=&%@+?-]+"
)
"""A URL typed in full-width letters (`ｈｔｔｐｓ：／／ｘ．ｃｏｍ／…`, as a Japanese input method writes it in a
formal letter): read as the URL it spells, in ASCII, one character for one."""
_TO_ASCII = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_DIGITS_ONLY = re.compile(r"[0-9\uff10-\uff19]+")


def _in_ascii(text: str) -> str:
    """`text` with each full-width URL (`_FULL_WIDTH_URL`) spelt in ASCII: the same length, so offsets hold."""
    if not re.search("[ｈＨ][ｔＴ]", text):
        return text
    return _FULL_WIDTH_URL.sub(lambda found: found.group().translate(_TO_ASCII), text)


def _ascii_numbers(url: str) -> str:
    """`url` with each part that is a number written in full-width digits (`…/artworks/５５５５５５５５`) in ASCII
    digits, as the writer meant it; a part that is a name (`第３回`) is left as written."""
    parts = re.split(f"([{re.escape(_SEPARATOR)}])", url)
    return "".join(part.translate(_TO_ASCII) if _DIGITS_ONLY.fullmatch(part) else part for part in parts)


def _read(text: str) -> Iterator[tuple[int, str]]:
    """Each URL in `text` with its offset (every URL is the start of the run it was read from); a full-width URL and
    a number in full-width digits are read in ASCII (`_in_ascii`, `_ascii_numbers`)."""
    at = 0
    text = _in_ascii(text)
    while found := _RUN.search(text, at):
        url = _unbracketed(found.group())
        if run_on := _RUN_ON.search(url):
            url = url[: run_on.start()].rstrip("・")
        url = _rule_one(url)
        at = found.start() + len(url)  # the rest of a markup match is read again: `[link=A]B[/link]` names A and B
        url = _without_prose(url)
        while url and url[-1] in _TRAILING and url.count(url[-1]) > url.count(_TRAILING[url[-1]]):
            url = url[:-1]  # a full stop, or a bracket the URL did not open
        url = _unclosed_cut(url)
        if _HOSTED.match(url) and _readable(url):
            yield found.start(), _ascii_numbers(url)


def _readable(url: str) -> bool:
    """Whether the URL's host and port can be read: `http://[::1` (a bracket never closed) or a port of 99999 is no
    address anyone could open, and every later reader of the URL (the platforms', the letter's) would stop on it."""
    try:
        parts = urlsplit(url)
        return parts.port is None or parts.port > 0
    except ValueError:
        return False


def other_readings(url: str, text: str) -> list[str]:
    """Other URLs the text may mean where it gives `url` (as `urls_in` read it), longest first: the whole run of
    rule 1, and that run cut before each particle or `の` inside its Japanese parts (`…/君に届けです。`:
    `…/君に届けです`, `…/君に届け`), never inside a word (`…/夜市場` is not `…/夜市`). Where the words cannot tell
    a name from prose, the archive can: the intake takes the reading that is a logged post when the one `urls_in`
    chose is none. Empty when `url` holds no Japanese."""
    at = text.find(url)
    found = _RUN.match(text, at) if at >= 0 and not url.isascii() else None
    if found is None:
        return []
    whole = _unbracketed(found.group())
    if run_on := _RUN_ON.search(whole):
        whole = whole[: run_on.start()]
    whole = _rule_one(whole, reading=True)
    cuts, start = {len(whole)}, 0
    for part in re.split(f"([{re.escape(_SEPARATOR)}])", whole):
        if part and not part[0].isascii():
            cuts |= {start + cut for cut in range(1, len(part)) if _PARTICLE.match(part, cut) or part[cut] == "の"}
        elif part and not part.isascii():  # `2024年`: the part as rule 1 reads it without its exception, too
            cuts.add(start + next(at for at, char in enumerate(part) if not char.isascii()))
        start += len(part)
    readings = (_unclosed_cut(whole[:cut].rstrip(f"{_SEPARATOR}・.,;:!?'*")) for cut in sorted(cuts, reverse=True))
    return [reading for reading in dict.fromkeys(readings) if reading != url and _HOSTED.match(reading)][:32]


_HOSTED = re.compile(r"https?://[^/?#:@]+", re.I)


def trimmed_to_post(url: str, platforms: Mapping[str, Platform]) -> str:
    """`url` up to where a known platform's post URL ends, when it runs on in non-ASCII text: no platform puts
    Japanese after a post's id, so `https://www.pixiv.net/artworks/12345678/で見つけた` is that post's URL and
    the rest is prose (`urls_in` keeps a part with no sign of prose). Any other URL comes back as it was."""
    cut = next((at for at, char in enumerate(url) if not char.isascii()), None)
    if cut is None:
        return url
    head = url[:cut].rstrip(_SEPARATOR)
    try:
        parse_post_url(head, platforms)  # without --platform: only a known platform's post parses
    except UsageError:
        return url
    return head


def _rule_one(run: str, *, reading: bool = False) -> str:
    """The URL a `_RUN` gives by rule 1: it ends where a part begun in ASCII goes on into Japanese, unless the part
    goes on as a name (`_name_goes_on`). `reading`: every part that does is kept whole, prose and all, since
    `other_readings` offers the cuts inside it."""
    start = 0
    for part in re.split(f"([{re.escape(_SEPARATOR)}])", run):
        if part and part[0].isascii() and not part.isascii():
            head = next(at for at, char in enumerate(part) if not char.isascii())
            tail = part[head:].rstrip(_TRAILING_ASCII)
            aside = part.count("(", 0, head) > part.count(")", 0, head)  # `12345678(2023年投稿)`: rule 3's
            if aside or not _NAME_GOES_ON.match(tail):
                kept = 0
            else:
                kept = len(tail) if reading else _name_goes_on(tail)
            if kept < len(tail):
                return run[: start + head + kept]
        start += len(part)
    return run


def _name_goes_on(tail: str) -> int:
    """How much of `tail` (what follows the ASCII a part of a URL begins with, `年` of `2024年`) belongs to the URL:
    all of it when it goes on as a name with no sign of prose, up to where prose begins in it (`年に公開`: `年`),
    none when it opens as prose (`について`, `の画像`, `・その他`) or reads as prose with no place to cut."""
    if not _NAME_GOES_ON.match(tail):
        return 0
    cut = _prose_start(tail)
    if cut is not None:
        return cut
    if _PREDICATE.search(tail):
        return 0  # `投稿しました`: prose, with no particle after a word to cut at
    return len(tail)


def _without_prose(url: str) -> str:
    """The URL cut where prose begins in its first part that starts with a non-ASCII character and reads as prose."""
    start = 0
    for part in re.split(f"([{re.escape(_SEPARATOR)}])", url):
        if part and not part[0].isascii():
            cut = _prose_start(part)
            if cut is not None:
                return url[: start + cut].rstrip(_SEPARATOR)  # `…/moth_art/の投稿`: the `/` led into prose
        start += len(part)
    return url


def _prose_start(part: str) -> int | None:
    """Where prose begins in a part of a URL that starts with a non-ASCII character (None: it is all the URL's)."""
    if _OPENS_PROSE.match(part):
        return 0
    bare = _BARE_PARTICLE.search(part, 1)
    end = bare.start() if bare and not _HIRAGANA.match(part[bare.start() - 1]) else None
    if end is None and not _PREDICATE.search(part):
        return None
    if _PARTICLE.match(part) and len(part) > 1 and not _HIRAGANA.match(part[1]):
        return 0  # `/で見つけた`, `/は私の作品です`; not `/はたらく細胞です`, a name in kana
    for at in range(1, len(part)):
        if not _HIRAGANA.match(part[at - 1]) and _PARTICLE.match(part, at):
            return at
    return end  # `東京の`: a name does not end with a particle after a word


def _unclosed_cut(url: str) -> str:
    """The URL before an `(` it never closes: `…/12345678(2023年投稿)` is `…/12345678`, the rest an aside."""
    opened: list[int] = []
    for at, char in enumerate(url):
        if char == "(":
            opened.append(at)
        elif char == ")" and opened:
            opened.pop()
    return url[: opened[0]] if opened else url


def _unbracketed(url: str) -> str:
    """The URL up to a `]` it did not open: `[url=https://a.example/b]b[/url]` (BBCode, markup) names `https://a.example/b`."""
    url = url.split("[/", 1)[0] or url  # `[url]https://a.example/b[/url]`: a closing tag is no part of it
    depth = 0
    for at, char in enumerate(url):
        if char == "[":
            depth += 1
        elif char == "]":
            if depth == 0:
                return url[:at] or url
            depth -= 1
    return url
