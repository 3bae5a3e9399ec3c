"""Each deadline form of the dispatch: date, period, relative working days, recurring, stand-ins."""

from __future__ import annotations

from datetime import date

import pytest

from dondoc.drafting.deadlines import parse

REF = date(2020, 7, 10)


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("hoàn thành trước ngày 30/9/2020.", "date", "2020-09-30"),
        ("báo cáo trước ngày 20 tháng 12 năm 2020", "date", "2020-12-20"),
        ("chậm nhất 10h00' ngày 27/4/2021", "date", "2021-04-27T10:00"),
        ("báo cáo UBND TP trước ngày 15-12.", "date", "2020-12-15"),
        ("trình UBND Thành phố trong tháng 8/2020", "period", "2020-08"),
        ("hoàn thành trong quý III/2020", "period", "2020-Q3"),
        ("triển khai trong 6 tháng cuối năm", "period", "2020-H2"),
        ("báo cáo kết quả trước ngày 25 hằng tháng", "recurring", "monthly; day 25"),
        ("đưa vào kế hoạch hàng năm", "recurring", "annually"),
    ],
)
def test_forms(text: str, kind: str, value: str) -> None:
    d = parse(text, REF)
    assert (d.kind, d.value) == (kind, value)


def test_relative_working_days_skip_tet_2026() -> None:
    d = parse("báo cáo trong 5 ngày làm việc", date(2026, 2, 12))
    assert d.kind == "period" and d.day == date(2026, 2, 26)
    assert d.value is not None and d.value.startswith("2026-02-26")


def test_relative_from_explicit_start() -> None:
    d = parse("trong 10 ngày làm việc kể từ ngày 02/3/2026", REF)
    assert d.day == date(2026, 3, 16)


def test_cited_document_dates_are_not_deadlines() -> None:
    assert parse("Thực hiện Công văn số 1017/BTNMT-TCMT ngày 22/3/2013 của Bộ", REF).kind == "none"
    assert parse("tính đến ngày 30-10 đã giảm", REF).kind == "none"


def test_stand_ins_are_vague() -> None:
    d = parse("báo cáo theo đúng thời gian quy định.", REF)
    assert d.kind == "none" and d.vague
    d = parse("định kỳ báo cáo Ban Chỉ đạo", REF)
    assert d.kind == "recurring" and d.vague


def test_urgency_is_not_a_deadline() -> None:
    assert parse("khẩn trương, kịp thời báo cáo", REF).kind == "none"


def test_tet_season_is_the_first_quarter() -> None:
    from dondoc.drafting import deadlines as dl

    d = dl.parse("bảo đảm trật tự trong dịp Tết Nguyên đán và mùa Lễ hội Xuân năm 2024", None)
    assert d.kind == "period" and "2024-01..2024-03" in d.value
    d = dl.parse("kiểm tra trong dịp nghỉ lễ Quốc khánh năm 2024", None)
    assert d.kind == "period" and "..2024" not in d.value


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        ("đẩy nhanh thi công, bảo đảm tiến độ.", "bảo đảm tiến độ"),
        ("rà soát thủ tục đầu tư dự án, đảm bảo đúng tiến độ.", "đảm bảo đúng tiến độ"),
        ("tập trung nhân lực để sớm hoàn thành việc giải phóng mặt bằng.", "sớm hoàn thành"),
        (
            "dừng hoạt động cho đến khi UBND huyện có thông báo mới.",
            "cho đến khi UBND huyện có thông báo mới",
        ),
    ],
)
def test_the_schedule_early_completion_and_further_notice_are_stand_ins(text: str, raw: str) -> None:
    """A schedule named but not dated, 'as early as possible' and 'until further notice' stand in for a time
    (GUIDE §4.4: vague), unlike urgency words."""
    d = parse(text, REF)
    assert d.kind == "none" and d.vague and d.raw == raw


def test_speeding_up_or_a_sanctions_condition_is_no_stand_in() -> None:
    assert not parse("đẩy nhanh tiến độ thi công các công trình.", REF).vague
    assert not parse("nếu không bảo đảm tiến độ, thủ trưởng đơn vị chịu trách nhiệm.", REF).vague
    assert parse("khẩn trương, kịp thời báo cáo", REF).kind == "none"
    assert not parse("khẩn trương, kịp thời báo cáo", REF).vague


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("phải hoàn thành trước 15h hôm nay.", "2020-07-10T15:00"),
        ("báo cáo trong ngày hôm nay.", "2020-07-10"),
        ("báo cáo trước 3 giờ chiều ngày mai.", "2020-07-11T15:00"),
    ],
)
def test_today_and_tomorrow_are_read_against_the_document_date(text: str, value: str) -> None:
    d = parse(text, REF)
    assert (d.kind, d.value) == ("date", value)


def test_today_without_a_deadline_word_or_a_document_date_is_no_deadline() -> None:
    assert parse("Hôm nay, UBND tỉnh đã họp với các sở.", REF).kind == "none"
    assert parse("phải hoàn thành trước 15h hôm nay.", None).kind == "none"
