"""Confidence of a found task's fields (issue 17 point 3): low where the text leaves the reading open — another
time beside the one taken, a date read from an event, a time counted from a date that is not the header's, a time
or a report in the text after the task that no task took. Examples written for these tests."""

from __future__ import annotations

from dondoc.drafting.extract import LOW_CONFIDENCE, extract

HEAD = "ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\nSố: 123/UBND-KT\nNghệ An, ngày 10 tháng 3 năm 2021\n"


def tasks(body: str, head: str = HEAD):  # type: ignore[no-untyped-def]
    return extract(head + body).tasks


def test_a_single_dated_deadline_is_sure() -> None:
    (t,) = tasks("Giao Sở Xây dựng kiểm tra các công trình, hoàn thành trước ngày 30/4/2021.")
    assert t.confidence["deadline"] >= LOW_CONFIDENCE


def test_another_time_in_the_task_beside_the_one_taken_is_to_check() -> None:
    (t,) = tasks(
        "Giao Sở Xây dựng kiểm tra các công trình khởi công trong tháng 1/2021, hoàn thành trước ngày 30/4/2021."
    )
    assert t.deadline.value == "2021-04-30" and "deadline" in t.low_confidence


def test_a_date_read_from_an_event_is_to_check() -> None:
    (t,) = tasks("Giao Sở Y tế tổ chức Hội nghị tổng kết ngày 28/3/2021.")
    assert t.deadline.value == "2021-03-28" and "deadline" in t.low_confidence


def test_a_time_counted_from_a_news_date_is_to_check() -> None:
    news = "Thứ Hai, 15/03/2021 08:00\nNghệ An: yêu cầu xử lý dứt điểm vi phạm\n"
    (t,) = tasks("Chủ tịch UBND tỉnh yêu cầu Sở Xây dựng xử lý dứt điểm các vi phạm trong 10 ngày.", news)
    assert t.deadline.value == "2021-03-25 (trong 10 ngày kể từ 2021-03-15)"
    assert "deadline" in t.low_confidence
    (t,) = tasks("Giao Sở Xây dựng xử lý dứt điểm các vi phạm trong 10 ngày.")  # from the header's date: sure
    assert "deadline" not in t.low_confidence


def test_a_time_after_the_task_that_no_task_took_is_to_check() -> None:
    (t,) = tasks(
        "Giao Hội Nông dân tỉnh chỉ đạo xây dựng kế hoạch tổ chức đại hội.\n"
        "Thời gian tiến hành đại hội cấp cơ sở hoàn thành trong quý II năm 2021."
    )
    assert t.deadline.kind == "none" and "deadline" in t.low_confidence


def test_the_time_sentence_of_the_tasks_own_work_dates_it() -> None:
    (t,) = tasks(
        "Bộ Công Thương chỉ đạo Cục Quản lý thị trường các tỉnh mở đợt cao điểm kiểm tra thị trường Tết. "
        "Thời gian kiểm tra liên tục từ nay đến hết ngày 22/4/2021."
    )
    assert (t.deadline.kind, t.deadline.value) == ("period", "2021-04-22 (từ nay đến hết ngày)")
    # Two works timed in one sentence: the one the task names is its own.
    (t,) = tasks(
        "Giao Hội Nông dân tỉnh chỉ đạo chuẩn bị tổ chức thành công Đại hội đại biểu Hội Nông dân tỉnh.\n"
        "Thời gian tiến hành đại hội cấp cơ sở hoàn thành trong quý II năm 2021 và Đại hội đại biểu Hội Nông "
        "dân tỉnh hoàn thành trong quý III năm 2021."
    )
    assert t.deadline.value == "2021-Q3" and not t.report_deadline


def test_a_report_after_the_task_that_no_task_took_is_to_check() -> None:
    (t,) = tasks("Giao Sở Xây dựng kiểm tra các công trình.\n(Kết quả kiểm tra báo cáo UBND tỉnh)")
    assert not t.report.get("required") and "report" in t.low_confidence
    (t,) = tasks("Giao Sở Xây dựng kiểm tra các công trình.")
    assert "report" not in t.low_confidence
