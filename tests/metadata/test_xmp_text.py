"""Generation text in XMP (JPEG, WebP, PNG), UNICODE-prefixed UTF-8 UserComments, GIF comments, and text not understood.

Sites and editors that re-encode an image often keep the webui's text only in XMP, as
`exif:UserComment` or `dc:description`; the packet is untrusted XML, read without an XML parser.
"""

from __future__ import annotations

import time
from pathlib import Path
from xml.sax.saxutils import escape

import piexif
import pytest
from fixtures.imagefactory import A1111_INFOTEXT, pixels, write_exif_image, write_png

from tracker.metadata.containers import decode_user_comment
from tracker.metadata.problems import UNREAD_TEXT, left_unread
from tracker.metadata.reader import read_image


def packet(body: str, doctype: str = "") -> str:
    return (
        f'{doctype}<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f'<rdf:Description rdf:about="" xmlns:exif="http://ns.adobe.com/exif/1.0/" '
        f'xmlns:dc="http://purl.org/dc/elements/1.1/">{body}</rdf:Description></rdf:RDF></x:xmpmeta>'
        '<?xpacket end="w"?>'
    )


def alt(name: str, text: str) -> str:
    return f'<{name}><rdf:Alt><rdf:li xml:lang="x-default">{escape(text)}</rdf:li></rdf:Alt></{name}>'


@pytest.mark.parametrize("fmt", ["JPEG", "WEBP"])
@pytest.mark.parametrize("name", ["exif:UserComment", "dc:description"])
def test_webui_text_in_xmp_is_read(tmp_path: Path, fmt: str, name: str) -> None:
    path = tmp_path / f"x.{fmt.lower()}"
    pixels().save(path, fmt, xmp=packet(alt(name, A1111_INFOTEXT)).encode(), quality=90)
    reading = read_image(path)
    info = reading.info
    assert info is not None and info.generator == "a1111" and info.source == f"xmp:{name}"
    assert (info.seed, info.steps, info.cfg) == (42, 20, 7.0) and info.prompt is not None
    assert info.prompt.startswith("a cat sitting")
    assert not left_unread(reading.problems)


def test_webui_text_in_a_png_xmp_chunk_attribute_form(tmp_path: Path) -> None:
    quoted = escape(A1111_INFOTEXT, {'"': "&quot;", "\n": "&#10;"})
    xmp = packet("").replace('rdf:about=""', f'rdf:about="" dc:description="{quoted}"')
    info = read_image(write_png(tmp_path / "x.png", {"XML:com.adobe.xmp": xmp})).info
    assert info is not None and info.source == "xmp:dc:description" and info.seed == 42


def test_xmp_entities_are_never_expanded(tmp_path: Path) -> None:
    """A DTD's entities (billion laughs, an external file) stay as written: no XML parser reads the packet."""
    doctype = (
        '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY e SYSTEM "file:///etc/passwd">]>'
    )
    text = "&c;&e; " + A1111_INFOTEXT
    xmp = packet(f"<exif:UserComment>{escape(text).replace('&amp;', '&')}</exif:UserComment>", doctype)
    path = tmp_path / "x.jpg"
    pixels().save(path, "JPEG", xmp=xmp.encode())
    started = time.thread_time()
    info = read_image(path).info
    assert time.thread_time() - started < 2
    assert info is not None and info.prompt is not None and info.prompt.startswith("&c;&e; a cat")
    assert "root:" not in info.prompt


@pytest.mark.parametrize("repeated", ["<dc:description ", "<exif:UserComment\t", "dc:description = 'x"])
def test_a_packet_of_half_open_tags_is_read_at_once(tmp_path: Path, repeated: str) -> None:
    """Tags opened and never closed, repeated over a packet of 300 kB with no `>` after them: a pattern that
    backtracks tried every one against the rest of the packet (200 kB took 23 s; megabytes, hours), each is now
    looked at once."""
    path = write_png(tmp_path / "x.png", {"XML:com.adobe.xmp": repeated * (300_000 // len(repeated))})
    started = time.thread_time()
    reading = read_image(path)
    assert time.thread_time() - started < 5
    assert reading.info is None


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-be", "utf-16-le"])
def test_unicode_prefixed_user_comment_in_utf8_or_utf16(tmp_path: Path, encoding: str) -> None:
    text = "夜の港、提灯の灯り, " + A1111_INFOTEXT
    raw = b"UNICODE\0" + text.encode(encoding)
    assert decode_user_comment(raw)[0] == text
    path = tmp_path / "x.jpg"
    pixels().save(path, "JPEG")
    piexif.insert(piexif.dump({"Exif": {piexif.ExifIFD.UserComment: raw}}), str(path))
    info = read_image(path).info
    assert info is not None and info.seed == 42 and info.prompt is not None and info.prompt.startswith("夜の港")


def test_text_not_understood_is_named_as_unread(tmp_path: Path) -> None:
    path = write_exif_image(tmp_path / "x.jpg", "SomeNewTool 3: a lighthouse at dusk | seed 7 | 30 passes")
    reading = read_image(path)
    assert reading.info is None
    assert [p for p in reading.problems if p.startswith(UNREAD_TEXT)] == [
        f"{UNREAD_TEXT}: exif:UserComment (56 characters)"
    ]
    assert left_unread(reading.problems)
    plain = write_png(tmp_path / "plain.png", {"Software": "an image editor with a long product name"})
    assert read_image(plain).problems == []  # ordinary software's keys are no record
    label = write_exif_image(tmp_path / "label.jpg", "Created with GIMP")
    assert read_image(label).problems == []  # an editor's label is no record either


def test_a_gif_comment_is_named_as_the_gif_comment_it_is(tmp_path: Path) -> None:
    path = tmp_path / "x.gif"
    pixels().save(path, "GIF", comment=A1111_INFOTEXT.encode())
    info = read_image(path).info
    assert info is not None and info.source == "gif:comment" and info.seed == 42
    jpeg = tmp_path / "x.jpg"
    pixels().save(jpeg, "JPEG", comment=A1111_INFOTEXT.encode())
    jpeg_info = read_image(jpeg).info
    assert jpeg_info is not None and jpeg_info.source == "jpeg:COM"
