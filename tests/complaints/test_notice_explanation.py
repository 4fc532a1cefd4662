"""A notice is never told it lacks what it says: a DSA notice's explanation of why the content is illegal is read,
and an element the reader could not find is the owner's to judge, which no letter calls missing until the owner
marks it so (`legal.JUDGED`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from complaints.test_intake_from import POST
from complaints.test_intake_from import logged as logged  # noqa: F401  (the fixture)
from fixtures.common import Tracker

pytestmark = pytest.mark.db

EXPLANATION = "an explanation of why you consider the content illegal"

NOTICE = f"""Subject: Notice under Article 16 of the Digital Services Act

Notifier: Anna Schmidt
Email: anna.schmidt@example.de

Content: {POST}

Explanation: This post reproduces my copyrighted photograph "Harbour at Dawn", published on my website in 2021,
without my permission. Posting it is an infringement of my copyright under Directive 2001/29/EC.

I confirm my bona fide belief that the information and allegations contained in this notice are accurate and complete.

Anna Schmidt
"""


def _add(tracker: Tracker, tmp_path: Path, text: str) -> str:
    path = tmp_path / "notice.txt"
    path.write_text(text, encoding="utf-8")
    return tracker("complaint", "add", "--from", path).stdout


def test_a_dsa_notice_with_an_explanation_is_not_told_it_lacks_one(logged: Tracker, tmp_path: Path) -> None:
    shown = _add(logged, tmp_path, NOTICE)
    assert "complete (every required element is there)" in shown and "substantiated" not in shown
    logged("complaint", "decide", "1", "--action", "invalid")
    assert EXPLANATION not in logged("complaint", "reply", "1").stdout
    logged("complaint", "decide", "1", "--action", "ask_info")
    assert EXPLANATION not in logged("complaint", "reply", "1").stdout


def test_an_explanation_not_found_is_the_owners_to_judge_never_called_missing(logged: Tracker, tmp_path: Path) -> None:
    text = NOTICE.replace("Explanation: This post reproduces", "Please look at it. The post shows")
    text = text.replace("Posting it is an infringement of my copyright under Directive 2001/29/EC.", "")
    shown = _add(logged, tmp_path, text)
    assert "not found by the reader" in shown and "lacks:" not in shown, shown
    assert "tracker complaint set 1 --element substantiation" in shown
    assert logged.json("complaint", "show", "1")["completeness"]["substantiation"] is None
    logged("complaint", "decide", "1", "--action", "invalid")
    letter = logged("complaint", "reply", "1").stdout
    assert EXPLANATION not in letter and "yours does not contain" not in letter, "never told it lacks it"
    logged("complaint", "set", "1", "--no-element", "substantiation")  # the owner read it: there is none
    shown = logged("complaint", "show", "1").stdout
    assert "lacks:" in shown and "not found by the reader" not in shown
    logged("complaint", "decide", "1", "--action", "invalid")
    assert f"- {EXPLANATION}" in logged("complaint", "reply", "1").stdout


def test_a_correction_keeps_an_element_not_found_unjudged(logged: Tracker, tmp_path: Path) -> None:
    text = NOTICE.replace("Posting it is an infringement of my copyright under Directive 2001/29/EC.", "")
    _add(logged, tmp_path, text.replace("Explanation: This post reproduces", "The post shows"))
    logged("complaint", "set", "1", "--name", "Anna M. Schmidt")
    assert logged.json("complaint", "show", "1")["completeness"]["substantiation"] is None
