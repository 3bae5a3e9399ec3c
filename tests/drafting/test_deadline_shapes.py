"""Deadline shapes of Vietnamese directives beyond the first grammar (issue 17): ranges with the day and month in
words, "chậm nhất" before a month, quarter or year, months in words before a year, open time labels, the hour as
"17g", reports named by their cycle, monthly windows, the receiver's onward step and a campaign's time in the
sentence before. Every sentence here is written for the test."""

from __future__ import annotations

from datetime import date

import pytest

from dondoc.drafting import extract as ex
from dondoc.drafting.deadlines import fold_keep, parse
from dondoc.drafting.extract import extract

REF = date(2021, 3, 10)
HEAD = "UBND TỈNH BẮC NINH\nSố: 123/UBND-KT\nBắc Ninh, ngày 10 tháng 3 năm 2021\n\nUBND tỉnh yêu cầu:\n"


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        # A range whose ends give the day and month in words (GUIDE §4.4: a period).
        ("tổ chức tuyên truyền từ ngày 20 đến ngày 25 tháng 4 năm 2021", "period", "2021-04-20/2021-04-25"),
        ("tổ chức từ ngày 20 tháng 4 đến ngày 25 tháng 5 năm 2021", "period", "2021-04-20/2021-05-25"),
        # "chậm nhất / muộn nhất" before a month, a quarter or a year: the latest period.
        ("hoàn thành chậm nhất tháng 6/2021", "period", "2021-06"),
        ("hoàn thành chậm nhất trong năm 2022", "period", "2022"),
        ("hoàn thành muộn nhất quý III", "period", "2021-Q3"),
        ("hoàn thành từ nay đến hết quý II/2021", "period", "2021-Q2"),
        # "Sáu" and "Năm" are months only before a year ("tháng sau" is the next month).
        ("hoàn thành trong tháng Sáu năm 2021", "period", "2021-06"),
        ("hoàn thành trong tháng Năm/2021", "period", "2021-05"),
        # A time label naming what is timed in a few words.
        ("Thời hạn nộp hồ sơ: 30/4/2021", "date", "2021-04-30"),
        ("Hạn gửi báo cáo: 15/5/2021", "date", "2021-05-15"),
        ("Tiến độ thực hiện: tháng 6/2021", "period", "2021-06"),
        ("Thời gian thực hiện: 2021", "period", "2021"),
        # The hour as "17g".
        ("hoàn thành trước 17g ngày 30/4/2021", "date", "2021-04-30T17:00"),
        # A report named by its cycle, with a day and no year: every cycle's report.
        ("Báo cáo 6 tháng đầu năm gửi trước ngày 10/7", "recurring", "annually; day 10, month 07"),
        ("báo cáo năm gửi về Sở Tài chính trước ngày 15/12", "recurring", "annually; day 15, month 12"),
        ("báo cáo tháng gửi trước ngày 25", "recurring", "monthly; day 25"),
        # ... but one report of a period named is dated once.
        ("báo cáo 6 tháng đầu năm 2021 gửi trước ngày 10/7", "date", "2021-07-10"),
        ("báo cáo năm nay gửi trước ngày 15/12", "date", "2021-12-15"),
        ("báo cáo tháng 4 gửi trước ngày 25/4", "date", "2021-04-25"),
        # A day of the reporting month or year is every cycle's day.
        ("gửi báo cáo chậm nhất ngày 18 (mười tám) của tháng báo cáo", "recurring", "monthly; day 18"),
        ("gửi trước ngày 12/7 của năm báo cáo", "recurring", "annually; day 12, month 07"),
        ("gửi trước ngày 20/01 của năm liền kề năm báo cáo", "recurring", "annually; day 20, month 01"),
        # Today and tomorrow are the document's date and the day after it.
        ("hoàn thành trước khi mưa lớn, nhưng phải trước 15h hôm nay", "date", "2021-03-10T15:00"),
        ("báo cáo trong ngày hôm nay", "date", "2021-03-10"),
        ("báo cáo trước 3 giờ chiều mai", "date", "2021-03-11T15:00"),
        ("hôm nay Sở đã báo cáo kết quả", "none", None),
        # A monthly window: its last day is the deadline.
        ("gửi báo cáo hằng tháng từ ngày 1 đến ngày 5", "recurring", "monthly; day 5"),
    ],
)
def test_more_deadline_shapes(text: str, kind: str, value: str | None) -> None:
    d = parse(text, REF)
    assert (d.kind, d.value) == (kind, value)


def test_the_receivers_onward_step_does_not_take_the_performers_date() -> None:
    doc = extract(
        HEAD
        + "1. Sở Tài chính chủ trì rà soát các khoản chi thường xuyên, báo cáo UBND tỉnh trước ngày 20/4/2021 "
        "để tổng hợp, báo cáo Bộ Tài chính trước ngày 30/4/2021.\n"
    )
    (t,) = doc.tasks
    assert t.deadline.value == "2021-04-20"


def test_the_performers_own_later_step_still_takes_the_later_date() -> None:
    doc = extract(
        HEAD + "1. Sở Tư pháp lấy ý kiến các sở, ngành trước ngày 20/4/2021 để hoàn thiện dự thảo, báo cáo "
        "UBND tỉnh trước ngày 30/4/2021.\n"
    )
    (t,) = doc.tasks
    assert t.deadline.value == "2021-04-30"


def test_a_campaigns_time_in_the_sentence_before_dates_the_task_that_points_back() -> None:
    doc = extract(
        "Bộ Công an mở đợt cao điểm bảo đảm an ninh trật tự\n\n"
        "Theo kế hoạch của Bộ Công an, đợt cao điểm này bắt đầu từ ngày 10.12.2021 - 15.2.2022. "
        "Theo đó, công an các địa phương tập trung lực lượng tấn công, trấn áp các loại tội phạm.\n"
    )
    (t,) = doc.tasks
    assert (t.deadline.kind, t.deadline.value) == ("period", "2021-12-10/2022-02-15")


def test_a_neighbouring_tasks_date_is_not_taken_by_a_task_that_points_back() -> None:
    doc = extract(
        HEAD + "1. Sở Tài chính triển khai kế hoạch kiểm tra các khoản chi, hoàn thành trước ngày 30/4/2021. "
        "Theo đó, Sở Xây dựng kiểm tra các công trình xây dựng trên địa bàn.\n"
    )
    dated = [t.deadline.value for t in doc.tasks]
    assert dated[0] == "2021-04-30" and all(v is None for v in dated[1:])


def test_a_list_of_times_under_a_task_gives_it_the_first() -> None:
    # The task as read from its own line; the list of times that follows it is no task of its own.
    head = HEAD + "2. Sở Nội vụ có trách nhiệm tổng hợp và gửi báo cáo về UBND tỉnh:"
    (task,) = extract(head).tasks
    assert task.deadline.kind == "none"
    text = (
        head + "\n- Chậm nhất ngày 18 (mười tám) của tháng báo cáo đối với báo cáo hằng tháng;\n"
        "- Chậm nhất ngày 10 của tháng cuối quý đối với báo cáo hằng quý.\n"
    )
    doc = extract(head)
    ex._date_from_the_time_items([task], text, fold_keep(text), doc.meta, None, len(text))
    assert (task.deadline.kind, task.deadline.value) == ("recurring", "monthly; day 18")
    assert task.report_deadline is task.deadline


def test_a_list_of_works_under_a_task_does_not_date_it() -> None:
    head = HEAD + "2. Sở Nội vụ có trách nhiệm tổng hợp và gửi báo cáo về UBND tỉnh:"
    (task,) = extract(head).tasks
    text = head + "\n- Rà soát biên chế, hoàn thành trước ngày 30/4/2021;\n- Trình UBND tỉnh phương án.\n"
    ex._date_from_the_time_items([task], text, fold_keep(text), extract(head).meta, None, len(text))
    assert task.deadline.kind == "none"


@pytest.mark.parametrize(
    ("line", "value"),
    [
        ("Hạn hoàn thành: 30/4/2021.", "2021-04-30"),
        ("- Hạn hoàn thành: 30/4/2021.", "2021-04-30"),
        ("Tiến độ: hoàn thành trong quý II/2021.", "2021-Q2"),
        ("Thời điểm hoàn thành: tháng 5/2021.", "2021-05"),
    ],
)
def test_a_time_line_of_its_own_under_the_task_dates_it(line: str, value: str) -> None:
    doc = extract(
        HEAD
        + "1. Sở Tài chính chủ trì rà soát các khoản chi thường xuyên của các đơn vị dự toán.\n"
        + line
        + "\n"
    )
    (t,) = doc.tasks
    assert t.deadline.value == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("hoàn thành trong tháng 1 và tháng 2/2022", "2022-01"),
        ("hoàn thành trong quý I, quý II năm 2022", "2022-Q1"),
        # the next one named is earlier in its year: the first keeps the document's year
        ("hoàn thành trong quý IV và quý I/2022", "2021-Q4"),
    ],
)
def test_a_month_or_quarter_shares_the_year_of_the_next_one_named(text: str, value: str) -> None:
    assert parse(text, date(2021, 12, 10)).value == value
