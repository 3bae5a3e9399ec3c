"""Issue flags of a found task that depend on how its text ends (GUIDE §4.7: a truncated task gets no deadline or
report issues)."""

from __future__ import annotations

import pytest

from dondoc.drafting.extract import extract

NEWS = (
    "Bộ Chỉ huy Quân sự tỉnh tiếp tục chỉ đạo các lực lượng quân đội tăng cường tối đa quân số, phương tiện, "
    "giúp bảo vệ an toàn tính mạng và tài sản của người dân\n"
)


@pytest.mark.parametrize("byline", ["Minh Phương/BCH Quân sự tỉnh", "Tố Tuấn", "Lan Anh (TTXVN)"])
def test_a_byline_closes_a_news_item_whose_last_sentence_has_no_full_stop(byline: str) -> None:
    (t,) = extract(NEWS + byline + "\n").tasks
    assert not t.truncated and "no_deadline" in t.issues
    assert byline not in t.text


def test_a_text_cut_mid_sentence_is_still_truncated() -> None:
    (t,) = extract(NEWS + "và các lực lượng").tasks
    assert t.truncated and "no_deadline" not in t.issues
