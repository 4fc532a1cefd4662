"""What a native reader of the Japanese letters found, and the same logic in English.

A letter promises only what it holds: the models sentence names the kinds listed (モデル, モデルおよびLoRA)
and speaks of hashes only when it lists one; a full SHA-256 is shown as short as the others. A
lawyer's or a company's notice is acknowledged (…に通知書を拝受いたしました。), not thanked, and a
take-down to them, or to a hostile sender, closes without 今後とも. A late answer thanks first, then
apologises. A letter asking for information about a message that named no post asks for its URL and
does not claim to know the post; once the owner links one, it names it (from the screenshot) and no
longer asks. With no post, the archive's only persona signs.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import pixels, write_png

pytestmark = pytest.mark.db

PLAIN = "https://www.pixiv.net/artworks/701"
"""A model without a hash, nothing else."""
MIXED = "https://www.pixiv.net/artworks/702"
"""A model with its hash and a LoRA without one."""
FULL = "https://x.com/moth_gen/status/703"
"""A model recorded with its full SHA-256."""
SHA256 = "22d8cb95b807b0c242576b676a12b07ae6b782b57ae4fe07a07254801b2d5d61"
SETTINGS = "Steps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1, Size: 512x512, "
LAWYER = "桜坂法律事務所の弁護士、山田太郎と申します。依頼者である佐藤美咲の代理人としてご連絡いたします。"
POLITE = "突然のご連絡失礼いたします。私の作品に大変よく似ておりますので、ご確認いただけますでしょうか。"
HOSTILE = "おまえさ、これ俺の絵パクってるよな？明日中に消せよ。消さなかったら晒すから"
SCREENSHOT = (
    "添付したスクショの絵が、私が前に描いた犬のイラストとそっくりです。URLが分からなかったのでスクショだけ送ります。"
)


@pytest.fixture
def moth(tracker: Tracker, tmp_path: Path) -> Tracker:
    """Three posts of persona moth (the archive's only persona), each made with different model records."""
    plain = write_png(tmp_path / "a.png", {"parameters": "a lighthouse\n" + SETTINGS + "Model: plainModel_v1"})
    tracker("log", plain, "--url", PLAIN, "--persona", "moth")
    mixed = SETTINGS + "Model hash: 45a21ea00a, Model: waiIllustriousSDXL_v160"
    mixed_png = write_png(
        tmp_path / "b.png", {"parameters": "a cat, <lora:catstyle:0.6>\n" + mixed}, image=pixels(seed=3)
    )
    tracker("log", mixed_png, "--url", MIXED, "--persona", "moth")
    full = SETTINGS + f"Model hash: {SHA256}, Model: fullHashModel"
    full_png = write_png(tmp_path / "c.png", {"parameters": "a dog\n" + full}, image=pixels(seed=5))
    tracker("log", full_png, "--url", FULL, "--persona", "moth")
    tracker("persona", "set", "moth", "--contact", "moth@example.org")
    return tracker


def _add(tracker: Tracker, *args: str, lang: str = "ja", basis: str = "jp") -> str:
    cmd = ["complaint", "add", "--basis", basis, "--lang", lang, "--received", "2026-12-04T03:00:00Z"]
    return str(tracker.json(*cmd, *args)["id"])


def _draft(tracker: Tracker, number: str, action: str, *args: str) -> dict[str, Any]:
    tracker("complaint", "decide", number, "--action", action, *args)
    return dict(tracker.json("complaint", "reply", number))


def _reply(tracker: Tracker, number: str, action: str, *args: str) -> str:
    return str(_draft(tracker, number, action, *args)["text"])


def _models_sentence(text: str) -> str:
    return next(
        line for line in text.splitlines() if "生成したものです" in line or "generated with the following" in line
    )


# 1. The models sentence promises only what the list holds.


def test_a_model_without_a_hash_is_introduced_as_a_model_and_nothing_more(moth: Tracker) -> None:
    text = _reply(moth, _add(moth, "--post", PLAIN, "--name", "水無瀬 あおい"), "take_down")
    assert _models_sentence(text) == "なお、該当の画像は以下のモデルを使用して生成したものです。"
    assert "・モデル plainModel_v1\n" in text
    assert "LoRA" not in text and "ハッシュ" not in text
    text = _reply(moth, _add(moth, "--post", PLAIN, "--name", "Aoi", lang="en"), "take_down")
    assert _models_sentence(text) == "The image was generated with the following model:"
    assert "LoRA" not in text and "hash" not in text


def test_a_model_and_a_lora_some_with_a_hash(moth: Tracker) -> None:
    text = _reply(moth, _add(moth, "--post", MIXED, "--name", "水無瀬 あおい"), "take_down")
    assert _models_sentence(text) == (
        "なお、該当の画像は以下のモデルおよびLoRAを使用して生成したものです"
        "（ハッシュ値を記したものは、その値により使用したファイルを特定できます）。"
    )
    assert "・モデル waiIllustriousSDXL_v160（45a21ea00a）\n・LoRA catstyle\n" in text
    text = _reply(moth, _add(moth, "--post", MIXED, "--name", "Aoi", lang="en"), "take_down")
    assert _models_sentence(text) == (
        "The image was generated with the following model and LoRA (where a hash is given, it identifies the exact file):"
    )


def test_a_full_sha256_is_shown_as_short_as_the_others(moth: Tracker) -> None:
    text = _reply(moth, _add(moth, "--post", FULL, "--name", "けんた"), "take_down")
    assert "・モデル fullHashModel（22d8cb95b8）\n" in text and SHA256 not in text
    assert _models_sentence(text).endswith(
        "以下のモデルを使用して生成したものです（ハッシュ値により使用したファイルを特定できます）。"
    )
    text = _reply(moth, _add(moth, "--post", FULL, "--name", "Kenta", lang="en"), "take_down")
    assert "- model fullHashModel (22d8cb95b8)\n" in text and SHA256 not in text
    assert _models_sentence(text).endswith("the following model (its hash identifies the exact file):")


def test_several_posts_name_every_kind_listed(moth: Tracker) -> None:
    text = _reply(moth, _add(moth, "--post", PLAIN, "--post", MIXED, "--name", "Aoi", lang="en"), "take_down")
    assert _models_sentence(text) == (
        "The images were generated with the following models and LoRA (where a hash is given, it identifies the exact file):"
    )


# 2. A lawyer's or a company's notice is acknowledged; the closing fits the sender.


@pytest.mark.parametrize(
    ("writer", "opening"),
    [
        (("--org", "桜坂法律事務所", "--role", "lawyer"), "2026年12月4日に通知書を拝受いたしました。"),
        (("--message", LAWYER + PLAIN), "2026年12月4日に通知書を拝受いたしました。"),
        (
            ("--org", "株式会社ハーバーライト", "--role", "legal department"),
            "2026年12月4日に貴社のご通知を拝受いたしました。",
        ),
    ],
)
@pytest.mark.parametrize("action", ["take_down", "dispute", "ask_info", "invalid"])
def test_a_formal_notice_is_acknowledged_not_thanked(
    moth: Tracker, writer: tuple[str, ...], opening: str, action: str
) -> None:
    number = _add(moth, "--post", PLAIN, "--name", "山田 太郎", "--work-title", "夜の港", *writer)
    args = ("--reason", "slight_resemblance") if action == "dispute" else ()
    text = _reply(moth, number, action, *args)
    lines = text.splitlines()
    assert lines[lines.index("pixivにて「moth」として画像を投稿している者です。") + 1] == opening
    assert "誠にありがとうございます" not in text


def test_a_companys_message_is_acknowledged_a_persons_thanked(moth: Tracker) -> None:
    """A company's message invoking no law is no notice (ご連絡); a person's message is still thanked."""
    number = _add(moth, "--post", PLAIN, "--name", "高橋 誠", "--org", "株式会社ハーバーライト", basis="none")
    assert "\n2026年12月4日にご連絡を拝受いたしました。\n" in _reply(moth, number, "take_down")
    text = _reply(
        moth, _add(moth, "--post", PLAIN, "--name", "水無瀬 あおい", "--work-title", "灯台守の夜"), "take_down"
    )
    assert "\nこのたびは、2026年12月4日に「灯台守の夜」に関するご連絡をいただき、誠にありがとうございます。\n" in text
    assert "拝受" not in text


def _closing(text: str) -> str:
    """The line before the signature (the persona's name, then its contact)."""
    return text.rstrip().splitlines()[-4]


@pytest.mark.parametrize(
    "sender",
    [
        ("--org", "桜坂法律事務所", "--role", "lawyer", "--message", LAWYER + PLAIN),
        ("--org", "株式会社ハーバーライト", "--message", "弊社の作品に酷似しております。削除をお願いいたします。"),
        ("--message", HOSTILE),
        (),  # nothing recorded of how they wrote
    ],
)
def test_a_take_down_to_a_formal_or_hostile_sender_implies_no_ongoing_relationship(
    moth: Tracker, sender: tuple[str, ...]
) -> None:
    text = _reply(moth, _add(moth, "--post", PLAIN, "--name", "山田 太郎", *sender), "take_down")
    assert _closing(text) == "何卒よろしくお願い申し上げます。"
    assert "今後とも" not in text


def test_only_a_polite_person_is_told_kongotomo(moth: Tracker) -> None:
    """A withdrawal from a lawyer closes plainly too; a take-down to a person who wrote politely may look ahead."""
    number = _add(moth, "--post", PLAIN, "--name", "山田 太郎", "--org", "桜坂法律事務所")
    text = _reply(moth, number, "withdrawn")
    assert _closing(text) == "何卒よろしくお願い申し上げます。" and "今後とも" not in text
    text = _reply(moth, _add(moth, "--post", PLAIN, "--name", "水無瀬 あおい", "--message", POLITE), "take_down")
    assert _closing(text) == "今後とも何卒よろしくお願い申し上げます。"


# 3. A late answer thanks first, then apologises.


@pytest.mark.parametrize("action", ["take_down", "dispute", "ask_info", "invalid"])
def test_a_late_japanese_answer_thanks_then_apologises(moth: Tracker, action: str) -> None:
    late = ("--received", "2026-01-01T03:00:00Z", "--deadline", "2026-01-08", "--work-title", "夜の港")
    number = _add(moth, "--post", PLAIN, "--name", "水無瀬 あおい", *late)
    text = _reply(moth, number, action, *(("--reason", "small_part") if action == "dispute" else ()))
    lines = text.splitlines()
    thanks = next(i for i, line in enumerate(lines) if line.startswith("このたびは、2026年1月1日に"))
    assert lines[thanks + 1] == "ご返信が遅くなりましたこと、深くお詫び申し上げます。"
    assert "申し訳ございません。\nこのたびは" not in text


def test_a_late_answer_to_a_lawyer_acknowledges_then_apologises(moth: Tracker) -> None:
    late = ("--received", "2026-01-01T03:00:00Z", "--deadline", "2026-01-08", "--org", "桜坂法律事務所")
    text = _reply(moth, _add(moth, "--post", PLAIN, "--name", "山田 太郎", *late), "take_down")
    assert "\n2026年1月1日に通知書を拝受いたしました。\nご返信が遅くなりましたこと、深くお詫び申し上げます。\n" in text


def test_a_late_english_answer_thanks_then_apologises(moth: Tracker) -> None:
    late = ("--received", "2026-01-01T12:00:00Z", "--deadline", "2026-01-08", "--work-title", "Harbour")
    text = _reply(moth, _add(moth, "--post", PLAIN, "--name", "Aoi", *late, lang="en"), "take_down")
    assert (
        '\nThank you for your message of 1 January 2026 about "Harbour". I am sorry for the delay in replying. ' in text
    )
    assert not re.search(r"late\.\nThank you", text)


# 4. Asking for information: which posts, and what the notice lacks.


@pytest.fixture
def screenshot(tmp_path: Path) -> Path:
    return write_png(tmp_path / "shot.png", {}, image=pixels(size=(90, 160), seed=11))


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_message_naming_no_post_is_asked_for_the_url_and_nothing_is_claimed(
    moth: Tracker, screenshot: Path, lang: str
) -> None:
    number = _add(moth, "--image", screenshot, "--name", "ゆずき", "--message", SCREENSHOT, lang=lang)
    text = _reply(moth, number, "ask_info")
    if lang == "ja":
        assert "以下の事項をお知らせいただけますでしょうか。\n・該当する各投稿のURL\n" in text
        assert "以下の投稿" not in text and "投稿の指定はございませんでした" not in text
    else:
        assert "I need the following from you:\n- the address (URL) of each post you mean\n" in text
        assert "about this post" not in text and "no post was named" not in text


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_post_the_owner_linked_is_named_not_asked_for(moth: Tracker, screenshot: Path, lang: str) -> None:
    number = _add(moth, "--image", screenshot, "--name", "ゆずき", "--message", SCREENSHOT, lang=lang)
    text = _reply(moth, number, "ask_info", "--post", "1")
    if lang == "ja":
        assert f"添付のスクリーンショットから、以下の投稿についてのご連絡と拝察いたしました。\n・{PLAIN}\n" in text
        assert "各投稿のURL" not in text
        assert "・ご作品の掲載先（URL）と、公開された時期" in text, "what the notice lacks: where the work is"
    else:
        assert (
            f"Judging by the screenshot you attached, I take your message to be about this post:\n- {PLAIN}\n" in text
        )
        assert "each post you mean" not in text
        assert "- where your work is published (its URL), and when it was first published" in text


def test_an_image_not_called_a_screenshot_is_an_image(moth: Tracker, screenshot: Path) -> None:
    number = _add(moth, "--image", screenshot, "--name", "ゆずき", "--message", "私の絵に似ています。")
    text = _reply(moth, number, "ask_info", "--post", "1")
    assert f"添付の画像から、以下の投稿についてのご連絡と拝察いたしました。\n・{PLAIN}\n" in text


def test_a_named_post_is_understood_without_an_attachment(moth: Tracker) -> None:
    number = _add(moth, "--post", PLAIN, "--name", "水無瀬 あおい", "--work-url", "https://example.jp/works/1")
    text = _reply(moth, number, "ask_info")
    assert f"\n以下の投稿についてのご連絡と理解しております。\n・{PLAIN}\n" in text
    assert "添付" not in text and "掲載先" not in text, "the work's URL is known: not asked for"


def test_a_dmca_notice_without_the_work_asks_where_it_is_once(moth: Tracker) -> None:
    number = _add(moth, "--post", PLAIN, "--name", "Aoi", "--element", "location", lang="en", basis="dmca")
    text = _reply(moth, number, "ask_info")
    assert "- where your work is published (its URL), and when it was first published" in text
    assert "an identification of the copyrighted work" not in text, "asked for once, as where it is"
    assert "- your physical or electronic signature" in text and "each post you mean" not in text


# 5. The signature with no post.


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_with_no_post_the_only_persona_signs(moth: Tracker, screenshot: Path, tmp_path: Path, lang: str) -> None:
    number = _add(moth, "--image", screenshot, "--name", "ゆずき", "--message", SCREENSHOT, lang=lang)
    draft = _draft(moth, number, "ask_info")
    text = str(draft["text"])
    assert text.endswith("moth\n連絡先：moth@example.org\n" if lang == "ja" else "moth\nContact: moth@example.org\n")
    assert draft["fill_in"] == [] and "［［" not in text and "[[" not in text
    intro = "「moth」として画像を投稿している者です。" if lang == "ja" else "I post images as moth."
    assert intro in (text.splitlines() if lang == "ja" else text)
    assert "pixiv" not in text, "no post and no platform named: none of the persona's accounts is given away"
    # With two personas nobody is guessed: the place to sign stays, marked to fill in.
    other = write_png(tmp_path / "o.png", {"parameters": "x\n" + SETTINGS + "Model: m"}, image=pixels(seed=9))
    moth("log", other, "--url", "https://bsky.app/profile/lark.example/post/1", "--persona", "lark")
    draft = dict(moth.json("complaint", "reply", number))
    placeholder = (
        "［［要記入：返信に記す署名（お名前）］］" if lang == "ja" else "[[ FILL IN: your name, as you sign replies ]]"
    )
    assert str(draft["text"]).rstrip().endswith(placeholder)
    assert len(draft["fill_in"]) == 1
    assert "moth" not in str(draft["text"]) and "lark" not in str(draft["text"])


@pytest.mark.parametrize(
    ("typed", "ja", "en"),
    [
        ("Mail: moth@example.org", "連絡先：moth@example.org", "Contact: moth@example.org"),
        ("連絡先：メール：moth@example.org", "連絡先：moth@example.org", "Contact: moth@example.org"),
        ("E-mail : moth@example.org", "連絡先：moth@example.org", "Contact: moth@example.org"),
        ("Discord: moth_makes", "Discord: moth_makes", "Discord: moth_makes"),
    ],
)
def test_a_contact_typed_with_its_label_is_signed_under_one(moth: Tracker, typed: str, ja: str, en: str) -> None:
    """The owner typed the persona's contact with a label: the letter's own says it, never 「連絡先：Mail: …」; a
    channel's name (Discord) says more than 「連絡先」 and stands as typed."""
    moth("persona", "set", "moth", "--contact", typed)
    for lang, line in (("ja", ja), ("en", en)):
        number = _add(moth, "--post", PLAIN, "--name", "Aoi", "--message", f"{POLITE} ({lang})", lang=lang)
        text = _reply(moth, number, "take_down")
        assert text.endswith(f"moth\n{line}\n"), text[-120:]


def test_a_take_down_letter_says_nanitozo_once(moth: Tracker) -> None:
    number = _add(moth, "--post", PLAIN, "--name", "佐藤", "--message", LAWYER)
    assert _reply(moth, number, "take_down").count("何卒") == 1, "何卒 twice in four lines reads badly"
