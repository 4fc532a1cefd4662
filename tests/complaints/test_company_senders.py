"""A company writing: its name alone is the organisation, greeted as one (ご担当者様, "Dear Sir or Madam,"), never
as a person (「株式会社ムーンライト 様」, "Dear 株式会社ムーンライト,"); a person signing for it is greeted under the
company with their department (「株式会社ルミナスアーツ\\n法務部 高橋 様」)."""

from __future__ import annotations

from pathlib import Path

import pytest
from complaints.test_intake_from import POST
from complaints.test_intake_from import logged as logged  # noqa: F401  (the fixture)
from fixtures.common import Tracker

pytestmark = pytest.mark.db

BODY = f"突然のご連絡失礼いたします。\n{POST} の画像は弊社キャラクターの著作権を侵害しています。削除をお願いいたします。\n\n"


def _letters(tracker: Tracker, tmp_path: Path, text: str, *options: str) -> tuple[dict, str, str]:
    """The complaint logged from `text`, its Japanese take-down letter and its English one."""
    path = tmp_path / "message.txt"
    path.write_text(text, encoding="utf-8")
    tracker("complaint", "add", "--from", path, *options)
    shown = tracker.json("complaint", "show", "1")
    tracker("complaint", "decide", "1", "--action", "take_down")
    tracker("complaint", "set", "1", "--lang", "ja")
    japanese = tracker("complaint", "reply", "1").stdout
    tracker("complaint", "set", "1", "--lang", "en")
    return shown, japanese, tracker("complaint", "reply", "1").stdout


@pytest.mark.parametrize("company", ["株式会社ムーンライト", "ムーンライト株式会社", "一般社団法人ムーンライト協会"])
def test_a_company_signing_alone_is_greeted_as_one(logged: Tracker, tmp_path: Path, company: str) -> None:
    shown, japanese, english = _letters(logged, tmp_path, BODY + company + "\n")
    assert (shown["complainant_name"], shown["complainant_org"]) == (None, company)
    assert japanese.startswith(f"{company}\nご担当者様\n"), japanese[:60]
    assert english.startswith("Dear Sir or Madam,\n"), english[:60]


def test_a_company_typed_as_the_name_is_greeted_as_one(logged: Tracker, tmp_path: Path) -> None:
    _, japanese, english = _letters(logged, tmp_path, BODY, "--name", "株式会社ルミナスアーツ")
    assert japanese.startswith("株式会社ルミナスアーツ\nご担当者様\n") and "株式会社ルミナスアーツ 様" not in japanese
    assert english.startswith("Dear Sir or Madam,\n")


def test_a_person_signing_for_a_company_and_department(logged: Tracker, tmp_path: Path) -> None:
    shown, japanese, english = _letters(logged, tmp_path, BODY + "株式会社ルミナスアーツ 法務部 高橋\n")
    assert (shown["complainant_name"], shown["complainant_org"]) == ("高橋", "株式会社ルミナスアーツ 法務部")
    assert japanese.startswith("株式会社ルミナスアーツ\n法務部 高橋 様\n"), japanese[:60]
    assert english.startswith("Dear 高橋,\n")


def test_the_department_the_signature_adds_to_the_company_introduced_is_kept(logged: Tracker, tmp_path: Path) -> None:
    """「株式会社ルミナスアーツ法務部の高橋と申します」 read the company alone; the signature says its department."""
    intro = "お世話になっております。株式会社ルミナスアーツ法務部の高橋と申します。\n"
    shown, japanese, _ = _letters(logged, tmp_path, intro + BODY + "株式会社ルミナスアーツ 法務部 高橋\n")
    assert (shown["complainant_name"], shown["complainant_org"]) == ("高橋", "株式会社ルミナスアーツ 法務部")
    assert japanese.startswith("株式会社ルミナスアーツ\n法務部 高橋 様\n"), japanese[:60]


def test_a_company_with_no_person_named_is_listed_and_shown_by_its_name(logged: Tracker, tmp_path: Path) -> None:
    """Not `unnamed (株式会社ムーン…`: at 80 columns the cut took the part of the name that tells the company."""
    path = tmp_path / "message.txt"
    path.write_text(BODY + "株式会社ムーンライト\n", encoding="utf-8")
    logged("complaint", "add", "--from", path)
    for args in (["complaint", "list", "--all"], ["complaint", "list"], ["show", "1"], ["complaint", "show", "1"]):
        said = logged(*args).stdout
        assert "株式会社ムーンライト" in said and "unnamed" not in said, (args, said)
    assert "  from       株式会社ムーンライト\n" in logged("complaint", "show", "1").stdout
    logged("complaint", "set", "1", "--name", "高橋")
    assert "高橋 (株式会社ムーンライト)" in logged("complaint", "show", "1").stdout, "a person named: under the company"


def test_an_english_company_is_sir_or_madam_unless_a_person_is_named(logged: Tracker, tmp_path: Path) -> None:
    text = f"Hello,\nYour post {POST} copies our character. Please remove it.\n\nBrightmill Studio Ltd.\n"
    _, _, english = _letters(logged, tmp_path, text)
    assert english.startswith("Dear Sir or Madam,\n")
    logged("complaint", "set", "1", "--name", "Jane Doe")
    assert logged("complaint", "reply", "1").stdout.startswith("Dear Jane Doe,\n")


@pytest.mark.parametrize(
    ("name", "company"),
    [
        ("株式会社ムーンライト", True),
        ("ムーンライト株式会社", True),
        ("有限会社ABC", True),
        ("合同会社ムーン", True),
        ("一般社団法人日本イラスト協会", True),
        ("Brightmill Studio Ltd.", True),
        ("Acme Images, Inc.", True),
        ("Moon Light LLC", True),
        ("Nordlicht GmbH", True),
        ("株式会社ルミナスアーツ 法務部 高橋", False),
        ("Jane Doe", False),
        ("佐藤 美咲", False),
    ],
)
def test_a_company_name_is_told_from_a_persons(name: str, company: bool) -> None:
    from tracker.complaints.reading.mail_parts import is_company

    assert is_company(name) is company


@pytest.mark.parametrize(
    "intro", ["株式会社ムーンライト 法務部の田中です。", "株式会社ムーンライト法務部の田中でございます。"]
)
def test_a_person_introduced_plainly_by_their_department_is_greeted_under_the_company(
    logged: Tracker, tmp_path: Path, intro: str
) -> None:
    """「…法務部の田中です。」 as plainly as 「…の田中と申します」: greeted by name under the company (not ご担当者様),
    and the work is the company's (貴社の作品)."""
    shown, japanese, _ = _letters(logged, tmp_path, intro + BODY)
    assert (shown["complainant_name"], shown["complainant_org"]) == ("田中", "株式会社ムーンライト")
    assert japanese.startswith("株式会社ムーンライト\n田中 様\n"), japanese[:60]


def test_a_work_introduced_with_desu_names_nobody(logged: Tracker, tmp_path: Path) -> None:
    """「私の作品です。」 and 「株式会社ムーンライトの作品です。」 introduce no one: only a department's name before
    の introduces its staff."""
    shown, _, _ = _letters(logged, tmp_path, "株式会社ムーンライトの作品です。私の作品です。\n" + BODY)
    assert (shown["complainant_name"], shown["complainant_org"]) == (None, None)
