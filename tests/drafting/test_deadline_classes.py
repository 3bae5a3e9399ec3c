"""Deadline classes of issue 17 read by structure: seasons, holidays named by their day, days a campaign marks, days
listed after their count, monthly day windows. Every sentence here is written for the test (not taken from the
corpus), and every form has a neighbour it must not fire on."""

from __future__ import annotations

from datetime import date

import pytest

from dondoc.drafting.deadlines import parse
from dondoc.drafting.extract import extract

REF = date(2024, 3, 12)


@pytest.mark.parametrize(
    ("text", "ref", "value"),
    [
        # the dry season in progress at the document's date: from its month
        ("Các đơn vị trực 24/24 giờ trong suốt các tháng mùa khô, kiểm tra các vùng rừng trọng điểm.", REF,
         "trong suốt các tháng mùa khô (dry season, ≈ 2024-03..2024-04)"),
        # the next dry season when the document is of the rainy months
        ("Tổ chức tuần tra canh gác lửa rừng trong mùa khô.", date(2024, 10, 2),
         "trong mùa khô (dry season, ≈ 2024-12..2025-04)"),
        # the season named by its years, with no preposition: December to April
        ("chỉ đạo các hạt kiểm lâm tăng cường phòng cháy rừng mùa hanh khô 2024-2025.", date(2024, 11, 20),
         "mùa hanh khô 2024-2025 (dry season, ≈ 2024-12..2025-04)"),
        ("Bảo vệ rừng trước mùa khô năm 2025.", None, "trước mùa khô năm 2025 (dry season, ≈ 2025-01..2025-04)"),
    ],
)  # fmt: skip
def test_dry_season_is_a_period(text: str, ref: date | None, value: str) -> None:
    d = parse(text, ref)
    assert (d.kind, d.value) == ("period", value)


@pytest.mark.parametrize(
    "text",
    [
        "Tăng cường kiểm tra rừng, nhất là trong mùa khô.",  # when to be most careful (GUIDE notes)
        "Mùa khô năm nay đến sớm hơn mọi năm.",  # a fact, no preposition and no year
        # the subject of a cited letter, not this order's time
        "Thực hiện Công văn số 12/SNN-KL ngày 02/01/2024 về việc phòng cháy rừng mùa khô năm 2024.",
    ],
)
def test_dry_season_not_over_read(text: str) -> None:
    assert parse(text, REF).kind == "none"


def test_holiday_named_by_its_day_spans_the_days_off() -> None:
    # 2/9/2024 fell on a Monday: the civil-service calendar gave 31/8 to 3/9 off.
    d = parse("Bố trí trực khám, chữa bệnh trong dịp nghỉ Lễ Quốc khánh 02/9 năm 2024.", None)
    assert (d.kind, d.value) == (
        "period",
        "trong dịp nghỉ Lễ Quốc khánh 02/9 năm 2024 (≈ 2024-08-31..2024-09-03)",
    )
    assert d.day == date(2024, 9, 3)


def test_holiday_without_a_day_keeps_its_words() -> None:
    d = parse("Đảm bảo an ninh trong dịp lễ hội Chùa Hương năm 2024.", REF)
    assert (d.kind, d.value) == ("period", "trong dịp lễ hội Chùa Hương năm 2024")


def test_a_marked_day_is_the_campaigns_period() -> None:
    d = parse("Tổ chức các hoạt động hưởng ứng Ngày Môi trường thế giới 5 tháng 6; treo băng rôn.", REF)
    assert d.kind == "period" and d.value is not None and d.value.startswith("2024-06-05 (")
    assert d.raw == "hưởng ứng Ngày Môi trường thế giới 5 tháng 6"


@pytest.mark.parametrize(
    "text",
    [
        "Kỷ niệm ngày 30/4, các đơn vị treo cờ.",  # no name between "ngày" and the date: a date said, not a day marked
        "Hưởng ứng phong trào thi đua do Sở phát động, báo cáo kết quả.",  # no day
        "Hưởng ứng ngày hội theo Nghị định 25/2020/NĐ-CP.",  # a document number, not a day and month
    ],
)
def test_marked_day_not_over_read(text: str) -> None:
    assert parse(text, REF).kind == "none"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Tổ chức hội thi trong 2 ngày 15 và 16/5.", "2024-05-15/2024-05-16"),
        ("Tập huấn trong 03 ngày 20, 21, 22/5/2024.", "2024-05-20/2024-05-22"),
        ("Giải diễn ra trong hai ngày 8-9/6.", "2024-06-08/2024-06-09"),
    ],
)
def test_days_listed_after_their_count(text: str, value: str) -> None:
    assert (parse(text, REF).kind, parse(text, REF).value) == ("period", value)


def test_a_count_of_days_without_days_listed_stays_relative() -> None:
    d = parse("Hoàn thành trong 2 ngày kể từ ngày nhận văn bản.", REF)
    assert d.kind == "period" and d.value is not None and d.value.startswith("2024-03-14 (trong 2 ngày")


def test_monthly_window_written_with_a_dash() -> None:
    d = parse("Các phường gửi số liệu từ ngày 01-05 hàng tháng.", REF)
    assert (d.kind, d.value) == ("recurring", "monthly; day 5")
    # a day and month in the same shape, with no cycle, is still the 1 May of a one-off window start
    assert parse("Gửi trước ngày 01-05.", REF).value == "2024-05-01"


def test_season_reaches_the_task_through_extract() -> None:
    text = (
        "Chi cục Kiểm lâm yêu cầu các Hạt Kiểm lâm tổ chức trực ban phòng cháy rừng trong suốt các tháng mùa khô, "
        "báo cáo kết quả về Chi cục."
    )
    doc = extract(text, ref_date=REF, model=False)
    assert len(doc.tasks) == 1
    assert doc.tasks[0].deadline.kind == "period"
    assert "≈ 2024-03..2024-04" in (doc.tasks[0].deadline.value or "")


def test_window_noun_takes_the_window_stated_above() -> None:
    text = (
        "Thời vụ gieo trồng khoai tây vụ đông năm nay nằm trong khung thời vụ từ 10/10 - 25/10.\n\n"
        "UBND xã đề nghị các hộ dân chuẩn bị giống, phân bón, làm đất gieo trồng bảo đảm khung thời vụ đã nêu."
    )
    doc = extract(text, ref_date=date(2024, 9, 20), model=False)
    assert [t.deadline.value for t in doc.tasks] == ["2024-10-10/2024-10-25"]
    assert doc.tasks[0].report_deadline is None


@pytest.mark.parametrize(
    "above",
    [
        "Thời vụ gieo trồng khoai tây năm nay đến sớm, khung thời vụ ngắn.",  # the noun above, with no date
        "Năm nay mưa nhiều từ 10/10 - 25/10.",  # a range above, with no window noun
    ],
)
def test_window_noun_without_a_dated_antecedent(above: str) -> None:
    text = (
        above
        + "\n\nUBND xã đề nghị các hộ dân chuẩn bị giống, phân bón, làm đất bảo đảm khung thời vụ đã nêu."
    )
    doc = extract(text, ref_date=date(2024, 9, 20), model=False)
    assert [t.deadline.kind for t in doc.tasks] == ["none"]
