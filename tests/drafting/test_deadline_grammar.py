"""The deadline grammar beyond the dev corpus's shapes (issue 17): ranges, recurring windows and yearly days,
quarters in words, "đến ngày" against data cut-offs, the deadline word beating a covered period."""

from __future__ import annotations

from datetime import date

import pytest

from dondoc.drafting.deadlines import parse
from dondoc.drafting.extract import extract

REF = date(2021, 3, 15)


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("trước 20/2/2022", "date", "2022-02-20"),
        ("gửi kết quả đến ngày 15/9/2021", "date", "2021-09-15"),
        ("chậm nhất 30-6", "date", "2021-06-30"),
        ("hoàn thành trước ngày 10.12.2021", "date", "2021-12-10"),
        ("trước ngày 15 tháng 5 năm 2021", "date", "2021-05-15"),
        ("Trước ngày 18/10", "date", "2021-10-18"),
        ("trước ngày 10/01", "date", "2022-01-10"),  # year-less, long past in the document's year: next year
        ("hoàn thành Quý II năm 2021", "period", "2021-Q2"),
        ("Quý IV/2021", "period", "2021-Q4"),
        ("trong quý hai năm 2021", "period", "2021-Q2"),
        ("trước 6 tháng cuối năm 2021", "period", "2021-H2"),
        ("tổ chức từ ngày 09/4 đến hết ngày 11/4/2021", "period", "2021-04-09/2021-04-11"),
        ("kiểm tra từ 20/12 đến 10/01/2022", "period", "2021-12-20/2022-01-10"),
        ("định kỳ từ ngày 1 đến ngày 5 hằng tháng", "recurring", "monthly; day 5"),
        ("hàng năm, trước ngày 15 tháng 01", "recurring", "annually; day 15, month 01"),
        ("báo cáo trước ngày 15/12 hằng năm", "recurring", "annually; day 15, month 12"),
        ("trước ngày 05/6 và 05/12 hàng năm", "recurring", "annually; day 5, month 06"),
        ("trước ngày 10 của tháng cuối quý", "recurring", "quarterly; day 10"),
        ("hoàn thành tháng 12/2021", "period", "2021-12"),
        ("báo cáo chậm nhất là cuối tháng 6/2021", "period", "2021-06"),
        ("hoàn thành năm 2022", "period", "2022"),
        ("xong trong năm 2021", "period", "2021"),
        ("đến hết năm 2021", "period", "2021"),
        ("tiếp nhận hồ sơ từ ngày 26 đến ngày 28.6.2021", "period", "2021-06-26/2021-06-28"),
        ("hai tuần tới phải làm xong", "period", "2021-03-29 (trong 2 tuần kể từ 2021-03-15)"),
        ("hoàn thành trong tháng Tư", "period", "2021-04"),
        ("xong trong nửa đầu năm 2021", "period", "2021-H1"),
        ("triển khai từ đầu tháng 5/2021", "period", "2021-05"),
        ("30 ngày qua đã tiêm 1 triệu liều", "none", None),  # a count of past days is no deadline
        ("trong tháng sau", "none", None),  # "sau" (next) is no month in words
        ("triển khai từ nay đến hết năm", "period", "2021"),  # against the document's date
        ("hoàn thành trong tháng này", "period", "2021-03"),
        ("rà soát từ nay đến 30/6/2021", "date", "2021-06-30"),  # "từ nay" is no data cut-off
        ("báo cáo 6 tháng một lần", "recurring", "semiannually"),
        ("xây dựng kế hoạch đến năm 2025", "none", None),  # a plan's horizon is content (GUIDE §4.4)
        ("số liệu tính đến ngày 15/10/2021", "none", None),
        ("tình hình từ đầu năm học đến ngày 15/10", "none", None),
        # Dates in every common shape, with or without "ngày", an hour, a word for the limit.
        ("hoàn thành trước ngày 30 tháng 6 năm 2021", "date", "2021-06-30"),
        ("chậm nhất vào ngày 25/3/2021", "date", "2021-03-25"),
        ("hạn chót ngày 10/4/2021", "date", "2021-04-10"),
        ("thời hạn: trước 30/4/2021", "date", "2021-04-30"),
        ("trước 16h ngày 20/3/2021", "date", "2021-03-20T16:00"),
        ("trước 9 giờ 30 ngày 22/3/2021", "date", "2021-03-22T09:30"),
        ("trước ngày 20-3-2021", "date", "2021-03-20"),
        ("chậm nhất trong ngày 20/3/2021", "date", "2021-03-20"),
        ("xong trước ngày 30/4 năm 2021", "date", "2021-04-30"),
        ("đến hết ngày 30/4", "date", "2021-04-30"),
        ("hoàn thành đến 30-4-2021", "date", "2021-04-30"),  # "đến" with no "ngày"
        ("báo cáo số liệu đến 30/4/2021", "none", None),  # a data cut-off
        ("lũy kế đến ngày 30/4/2021", "none", None),
        ("trước ngày 30/6 năm sau", "date", "2022-06-30"),  # the year said in words
        ("trước ngày 10/01 năm nay", "date", "2021-01-10"),
        ("không muộn hơn ngày 30/4/2021", "date", "2021-04-30"),
        ("không quá ngày 30/4/2021", "date", "2021-04-30"),
        ("không chậm quá ngày 30/4/2021", "date", "2021-04-30"),
        ("không được chậm hơn ngày 30/4/2021", "date", "2021-04-30"),
        ("muộn nhất ngày 30/4/2021", "date", "2021-04-30"),
        ("vào lúc 8 giờ ngày 30/4/2021", "date", "2021-04-30T08:00"),
        # A weekday or a part of the day between the deadline word and the date.
        ("trước 16 giờ, thứ Sáu, ngày 20/3/2021", "date", "2021-03-20T16:00"),
        ("chậm nhất thứ Hai (ngày 22/3/2021)", "date", "2021-03-22"),
        ("trước 17h00 ngày thứ Sáu 26/3/2021", "date", "2021-03-26T17:00"),
        ("chậm nhất vào sáng ngày 22/3/2021", "date", "2021-03-22"),
        ("chậm nhất 3 giờ chiều ngày 22/3", "date", "2021-03-22T15:00"),
        # An event the performer holds or attends on a day: its date is the time of the work.
        ("tổ chức Hội nghị ngày 28/3/2021", "date", "2021-03-28"),
        ("tham dự phiên họp chất vấn cả ngày 5-12", "date", "2021-12-05"),
        ("đã tổ chức Hội nghị ngày 10/3/2021", "none", None),  # a past event
        ("tổ chức Hội nghị ngày 10/3/2021", "none", None),  # held before the document's date: told of
        ("Tổ chức thực hiện Quyết định số 15/QĐ-UBND ngày 10/1/2021", "none", None),  # a document's date
        ("căn cứ Công văn số 123/UBND ngày 10/3/2021", "none", None),
        # Quarters, halves, months and years, in figures and in words.
        ("hoàn thành trong Quý 3 năm 2021", "period", "2021-Q3"),
        ("đầu quý II/2021", "period", "2021-Q2"),
        ("đến hết quý II/2021", "period", "2021-Q2"),
        ("hoàn thành trong 6 tháng đầu năm 2021", "period", "2021-H1"),
        ("trước tháng 6 năm 2021", "period", "2021-06"),
        ("đến tháng 6/2021 phải xong", "period", "2021-06"),
        ("trong tháng 10", "period", "2021-10"),
        ("hoàn thành xong trong năm 2022", "period", "2022"),
        # Ranges of months are periods too.
        ("từ tháng 4 đến tháng 6 năm 2021", "period", "2021-04/2021-06"),
        ("từ tháng 4/2021 đến tháng 6/2021", "period", "2021-04/2021-06"),
        ("Thời gian thực hiện: từ tháng 4 đến tháng 12/2021", "period", "2021-04/2021-12"),
        ("từ tháng 11 đến tháng 2/2022", "period", "2021-11/2022-02"),
        ("số liệu từ tháng 1 đến tháng 3/2021", "none", None),  # the period data cover
        # Relative times, counted from the document's date.
        (
            "trong thời hạn 15 ngày kể từ ngày nhận được văn bản",
            "period",
            "2021-03-30 (trong 15 ngày kể từ 2021-03-15)",
        ),
        ("trong vòng 07 ngày làm việc", "period", "2021-03-24 (trong 7 ngày làm việc kể từ 2021-03-15)"),
        ("không quá 30 ngày kể từ ngày ký", "period", "2021-04-14 (trong 30 ngày kể từ 2021-03-15)"),
        (
            "chậm nhất sau 15 ngày kể từ ngày nhận được",
            "period",
            "2021-03-30 (trong 15 ngày kể từ 2021-03-15)",
        ),
        ("hoàn thành trong vòng 01 tháng", "period", "2021-04-15 (trong 1 tháng kể từ 2021-03-15)"),
        ("trong thời hạn 3 tháng kể từ ngày ký", "period", "2021-06-15 (trong 3 tháng kể từ 2021-03-15)"),
        ("tình hình 3 tháng qua", "none", None),
        ("báo cáo kết quả thực hiện trong 6 tháng", "none", None),  # the months the data cover
        # Recurring cycles, with their day.
        ("hàng tháng, trước ngày 25", "recurring", "monthly; day 25"),
        ("hằng năm (trước ngày 15/12)", "recurring", "annually; day 15, month 12"),
        ("định kỳ hằng quý, trước ngày 15 của tháng cuối quý", "recurring", "quarterly; day 15"),
        ("báo cáo 6 tháng một lần, trước ngày 10/7", "recurring", "semiannually; day 10, month 07"),
        (
            "báo cáo định kỳ 6 tháng (trước ngày 15/6) và hằng năm (trước ngày 15/12)",
            "recurring",
            "semiannually; day 15, month 06",
        ),
        ("báo cáo hằng tuần", "recurring", "weekly"),
        ("Báo cáo 6 tháng trước ngày 10/7", "date", "2021-07-10"),  # no cycle word: this year's report
        ("định kỳ 3 tháng", "recurring", "quarterly"),
        ("báo cáo 3 tháng một lần", "recurring", "quarterly"),
        ("định kỳ 01 tháng/lần", "recurring", "monthly"),
        ("báo cáo tình hình 3 tháng đầu năm", "none", None),  # the period a report covers
        # The document's own quarter, year and next month.
        ("hoàn thành trong quý này", "period", "2021-Q1"),
        ("hoàn thành trước cuối năm", "period", "2021"),
        ("trước ngày 5 của tháng sau", "date", "2021-04-05"),
        ("hằng tháng, trước ngày 5 của tháng tiếp theo", "recurring", "monthly; day 5"),
        # A yearly day with "năm" before the cycle word, or a day and month in figures without "ngày".
        ("trước ngày 01 tháng 3 năm hàng năm", "recurring", "annually; day 1, month 03"),
        ("báo cáo trước 30/6 hằng năm", "recurring", "annually; day 30, month 06"),
        ("chậm nhất 15/12 hàng năm", "recurring", "annually; day 15, month 12"),
        # A campaign from the order's date through a day is a period ending that day; "từ nay đến" a date.
        ("kiểm tra liên tục từ nay đến hết ngày 22/4/2021", "period", "2021-04-22 (từ nay đến hết ngày)"),
        # An event or a season as the time of the work (GUIDE §4.4: periods; an event has no calendar date).
        (
            "hoàn thành trước kỳ họp thứ 5 HĐND tỉnh",
            "period",
            "trước kỳ họp thứ 5 HĐND tỉnh (event-anchored, no calendar date)",
        ),
        ("hoàn thành trước mùa mưa bão năm 2021", "period", "trước mùa mưa bão năm 2021"),
        ("trước mùa mưa lũ", "period", "trước mùa mưa lũ"),
        # A school year as the period of the work.
        ("hoàn thành trong năm học 2021-2022", "period", "2021/2022"),
        # A stand-in time stands for a completion, not for one manner among others.
        ("phấn đấu hoàn thành các dự án đúng tiến độ.", "none", None),
        ("tổ chức đại hội trang trọng, tiết kiệm, hiệu quả và đúng tiến độ.", "none", None),
    ],
)
def test_deadline_forms(text: str, kind: str, value: str | None) -> None:
    d = parse(text, REF)
    assert (d.kind, d.value) == (kind, value)


def test_deadline_word_beats_the_period_a_report_covers() -> None:
    d = parse(
        "báo cáo kết quả thực hiện từ ngày 30/01/2021 đến ngày 24/4/2021, gửi chậm nhất 10h00' ngày 27/4/2021",
        REF,
    )
    assert (d.kind, d.value) == ("date", "2021-04-27T10:00")


def test_range_attached_to_its_task() -> None:
    doc = extract(
        "ỦY BAN NHÂN DÂN\nTỈNH HÀ NAM\nHà Nam, ngày 15 tháng 3 năm 2021\n"
        "Giao Công an tỉnh chủ trì tổ chức diễn tập từ ngày 09/4 đến hết ngày 11/4/2021."
    )
    (t,) = doc.tasks
    assert t.deadline.kind == "period" and t.deadline.day == date(2021, 4, 11) and t.issues == []


def test_festival_deadline_without_a_year_is_a_period() -> None:
    d = parse("hoàn thành trước Tết Nguyên đán", REF)
    assert d.kind == "period" and d.raw == "trước Tết Nguyên đán"


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        # A table's or list's time label stands for the deadline word.
        ("Thời gian thực hiện: năm 2021", "period", "2021"),
        ("Thời gian hoàn thành: tháng 5/2021", "period", "2021-05"),
        ("Thời gian thực hiện: Quý III/2021", "period", "2021-Q3"),
        ("Thời hạn hoàn thành: 30/6/2021", "date", "2021-06-30"),
        # A range with a dash is a period too.
        ("kiểm tra từ 01/4/2021 - 30/4/2021", "period", "2021-04-01/2021-04-30"),
        # Several years: a plan period.
        ("thực hiện trong giai đoạn 2021 - 2025", "period", "2021/2025"),
        ("hoàn thành trong 2 năm 2021-2022", "period", "2021/2022"),
        ("Thời gian thực hiện: năm 2021-2022", "period", "2021/2022"),
        # Weeks and numbers in words, counted from the document's date.
        ("hoàn thành trong vòng hai tuần tới", "period", "2021-03-29 (trong 2 tuần kể từ 2021-03-15)"),
        ("báo cáo trong ba ngày", "period", "2021-03-18 (trong 3 ngày kể từ 2021-03-15)"),
    ],
)
def test_labels_dash_ranges_and_year_periods(text: str, kind: str, value: str) -> None:
    d = parse(text, REF)
    assert (d.kind, d.value) == (kind, value)


def test_a_time_fronted_in_the_tasks_sentence_is_its_deadline() -> None:
    doc = extract(
        "UBND TỈNH AN GIANG\nSố: 7/UBND-KT\nAn Giang, ngày 10 tháng 12 năm 2019\n"
        "Quý I/2020 là dịp Tết Nguyên đán, vì vậy các sở, ngành tăng cường kiểm soát thị trường, bình ổn giá."
    )
    (t,) = doc.tasks
    assert (t.deadline.kind, t.deadline.value) == ("period", "2020-Q1")
    assert "no_deadline" not in t.issues


def test_a_clause_before_a_semicolon_does_not_date_the_next_task() -> None:
    doc = extract(
        "UBND TỈNH AN GIANG\nSố: 7/UBND-KT\nAn Giang, ngày 10 tháng 12 năm 2019\n"
        "Đồng ý tổ chức chợ đêm vào tối thứ Bảy hàng tuần trong quý I/2020; Giao Sở Công Thương hướng dẫn "
        "các thương nhân đăng ký."
    )
    (t,) = doc.tasks
    assert t.deadline.kind == "none"


def test_cac_nhiem_vu_tren_dates_every_task_above_that_has_no_date() -> None:
    doc = extract(
        "UBND TỈNH AN GIANG\nSố: 7/UBND-KT\nAn Giang, ngày 10 tháng 3 năm 2021\n"
        "1. Giao Sở Y tế rà soát các cơ sở khám bệnh tư nhân.\n"
        "2. Giao Sở Tài chính bố trí kinh phí, báo cáo UBND tỉnh.\n"
        "Các nhiệm vụ trên hoàn thành trước ngày 30/6/2021.\n"
        "3. Giao Sở Xây dựng kiểm tra các công trình xây dựng."
    )
    first, second, third = doc.tasks
    assert first.deadline.value == second.deadline.value == "2021-06-30"
    assert first.issues == [] and second.issues == []  # the report is dated too
    assert third.deadline.kind == "none"  # below the sentence: not in its scope


def test_the_openings_meeting_dates_the_tasks_only_when_the_text_is_about_preparing_it() -> None:
    head = "UBND TỈNH AN GIANG\nSố: 7/UBND-KT\nAn Giang, ngày 10 tháng 3 năm 2021\n"
    about = extract(
        head + "UBND tỉnh có văn bản về chuẩn bị nội dung trình tại kỳ họp thứ hai HĐND tỉnh khóa X.\n"
        "Giao Sở Tài chính hoàn thiện dự thảo Nghị quyết về phân bổ vốn, trình UBND tỉnh xem xét."
    )
    (t,) = about.tasks
    assert t.deadline.kind == "period" and "vague_deadline" in t.issues
    told = extract(
        head + "Tại hội nghị, các sở đã báo cáo tại hội nghị tổng kết năm 2020 của tỉnh.\n"
        "Giao Sở Tài chính hoàn thiện dự thảo Nghị quyết về phân bổ vốn, trình UBND tỉnh xem xét."
    )
    (t,) = told.tasks
    assert t.deadline.kind == "none" and "no_deadline" in t.issues


def test_on_schedule_alone_is_a_vague_deadline() -> None:
    d = parse("phấn đấu hoàn thành các dự án đúng tiến độ", REF)
    assert (d.kind, d.vague) == ("none", True)
    # Not when it qualifies other work in the clause ("bảo đảm hoàn thành đúng tiến độ, đúng yêu cầu các nhiệm vụ").
    d = parse("bảo đảm hoàn thành đúng tiến độ, đúng yêu cầu các nhiệm vụ được giao", REF)
    assert (d.kind, d.vague) == ("none", False)


def test_a_time_sentence_dates_the_task_before_it() -> None:
    doc = extract(
        "Giám đốc Sở Y tế yêu cầu các bệnh viện tổ chức tiếp nhận bệnh nhân theo quy chế.\n\n"
        "Thời gian các bệnh viện nhận hồ sơ từ ngày 12 đến ngày 15.7.2021.",
        ref_date=REF,
    )
    (t,) = doc.tasks
    assert (t.deadline.kind, t.deadline.value) == ("period", "2021-07-12/2021-07-15")


def test_the_works_own_time_before_the_report_step_is_the_tasks_deadline() -> None:
    (t,) = extract(
        "Giao Sở Y tế kiểm tra các cơ sở kinh doanh thực phẩm, xong trong tháng 6/2021. Tình hình thực hiện báo "
        "cáo về UBND tỉnh trước ngày 5/7/2021.",
        ref_date=REF,
    ).tasks
    assert t.deadline.value == "2021-06" and t.report_deadline is not None
    assert t.report_deadline.value == "2021-07-05"
    # The only date, after the report verb, is both (GUIDE §4.4).
    (t,) = extract(
        "Giao Sở Y tế kiểm tra các cơ sở, báo cáo UBND tỉnh trước ngày 20/6/2021.", ref_date=REF
    ).tasks
    assert t.deadline.value == t.report_deadline.value == "2021-06-20"  # type: ignore[union-attr]


def test_a_sentence_giving_the_same_performers_time_dates_the_task_above() -> None:
    (t,) = extract(
        "Giao Sở Tài chính rà soát các khoản chi thường xuyên. Sở Tài chính hoàn thành trước ngày 30/6/2021.",
        ref_date=REF,
    ).tasks
    assert t.deadline.value == "2021-06-30"
    # Each sentence dating its own deliverable stays a task of its own.
    tasks = extract(
        "Giao Sở Tài chính rà soát các khoản chi, xong trước ngày 15/6/2021. Sở Tài chính hoàn thành trước ngày "
        "30/6/2021.",
        ref_date=REF,
    ).tasks
    assert [t.deadline.value for t in tasks] == ["2021-06-15", "2021-06-30"]


@pytest.mark.parametrize(
    ("text", "vague"),
    [
        ("phấn đấu hoàn thành các dự án trọng điểm đúng tiến độ.", True),
        ("tổ chức đại hội trang trọng, tiết kiệm, hiệu quả và đúng tiến độ.", False),
        ("hoàn thành đúng thời hạn.", True),
        ("tổ chức trang trọng và đúng thời gian.", False),
        ("báo cáo đúng thời gian quy định.", True),
        ("hoàn thành đúng thời hạn quy định.", True),
        ("giải quyết hồ sơ trong thời gian quy định.", True),
        ("rút ngắn thời gian quy định.", False),
    ],
)
def test_dung_tien_do_stands_for_a_time_only_after_a_completion(text: str, vague: bool) -> None:
    assert parse(text, REF).vague is vague


@pytest.mark.parametrize(
    "following",
    [
        "Sở Y tế hoàn thành việc kiểm tra trước ngày 30/4/2021.",  # the same performer, the work named again
        "Sở Y tế báo cáo kết quả về UBND tỉnh trước ngày 30/4/2021.",
        "Thời gian hoàn thành trước ngày 30/4/2021.",
        "Việc kiểm tra phải hoàn thành trước ngày 30/4/2021.",
        "Sở Y tế cần hoàn thành trước ngày 30/4/2021.",
        "Hạn chót: ngày 30/4/2021.",
        "Sở Y tế tổng hợp, báo cáo UBND tỉnh trước ngày 30/4/2021.",  # the same performer's report step
    ],
)
def test_a_following_sentence_of_the_same_work_dates_the_task(following: str) -> None:
    doc = extract(
        "UBND TỈNH NAM ĐỊNH\nSố: 12/UBND-VP\nNam Định, ngày 15 tháng 3 năm 2021\n"
        "Giao Sở Y tế kiểm tra các cơ sở khám bệnh tư nhân. " + following
    )
    (t,) = doc.tasks
    assert (t.deadline.kind, t.deadline.value) == ("date", "2021-04-30")


def test_a_time_label_over_the_contents_above_dates_every_task_above() -> None:
    doc = extract(
        "UBND TỈNH NAM ĐỊNH\nSố: 12/UBND-VP\nNam Định, ngày 15 tháng 3 năm 2021\n"
        "1. Giao Sở Y tế kiểm tra các cơ sở khám bệnh tư nhân.\n2. Giao Sở Tài chính bố trí kinh phí.\n"
        "Thời gian hoàn thành các nội dung trên: trước ngày 30/6/2021."
    )
    assert [t.deadline.value for t in doc.tasks] == ["2021-06-30", "2021-06-30"]


def test_a_time_opening_the_report_sentence_dates_the_report() -> None:
    (t,) = extract(
        "UBND TỈNH NAM ĐỊNH\nSố: 12/UBND-VP\nNam Định, ngày 15 tháng 3 năm 2021\n"
        "Giao Sở Y tế kiểm tra các cơ sở khám bệnh tư nhân. "
        "Trước ngày 30/4/2021, Sở Y tế phải báo cáo kết quả về UBND tỉnh."
    ).tasks
    assert t.report_deadline is not None and t.report_deadline.value == "2021-04-30"
    assert t.issues == []


def test_the_report_step_keeps_its_own_later_date() -> None:
    head = "UBND TỈNH NAM ĐỊNH\nSố: 12/UBND-VP\nNam Định, ngày 15 tháng 3 năm 2021\n"
    (t,) = extract(
        head + "Giao Sở Y tế kiểm tra, hoàn thành trước ngày 30/4/2021; "
        "báo cáo kết quả về UBND tỉnh trước ngày 15/5/2021."
    ).tasks
    assert t.deadline.value == "2021-04-30" and t.report_deadline is not None
    assert t.report_deadline.value == "2021-05-15" and t.issues == []
    # a time in a later clause of other work is not the report's
    (t,) = extract(
        head + "Giao Sở Y tế kiểm tra, hoàn thành trước ngày 30/4/2021, báo cáo UBND tỉnh; "
        "tổ chức triển khai trong quý III/2021."
    ).tasks
    assert t.report_deadline is None and "no_report_deadline" in t.issues


def test_months_counted_from_the_last_day_of_a_month_end_on_a_months_last_day() -> None:
    assert parse("trong 1 tháng", date(2021, 1, 31)).value == "2021-02-28 (trong 1 tháng kể từ 2021-01-31)"
    assert parse("trong 1 tháng", date(2021, 12, 31)).value == "2022-01-31 (trong 1 tháng kể từ 2021-12-31)"


def test_a_time_in_a_lists_introduction_dates_its_items() -> None:
    head = "UBND TỈNH NAM ĐỊNH\nSố: 12/UBND-VP\nNam Định, ngày 15 tháng 3 năm 2021\n"
    doc = extract(
        head + "Trong quý II/2021, UBND tỉnh yêu cầu các đơn vị thực hiện các nội dung sau:\n"
        "1. Sở Y tế kiểm tra các cơ sở khám bệnh tư nhân.\n"
        "2. Sở Tài chính bố trí kinh phí trước ngày 30/4/2021.\n"
    )
    assert [t.deadline.value for t in doc.tasks] == ["2021-Q2", "2021-04-30"]  # an item's own date stands
    undated = extract(
        head + "UBND tỉnh yêu cầu các đơn vị thực hiện các nội dung sau:\n"
        "1. Sở Y tế kiểm tra các cơ sở khám bệnh tư nhân.\n"
    )
    assert [t.deadline.kind for t in undated.tasks] == ["none"]


# --- Session 9 (branch extcorpus) ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "tập trung thực hiện các nhiệm vụ trong tháng 5 và các tháng tiếp theo",
        "duy trì kết quả trong quý III và những quý tiếp theo",
        "triển khai trong năm 2022 và các năm tiếp theo",
        "thực hiện trong tháng 6, các tháng tiếp theo",
        "thực hiện trong tháng 6 và thời gian tới",
    ],
)
def test_a_period_running_on_into_the_next_ones_is_no_deadline(text: str) -> None:
    # the work starts in the period named and goes on after it: an open time, not a time to finish by
    assert parse(text, REF).kind == "none"


def test_a_period_alone_stays_a_deadline() -> None:
    assert parse("hoàn thành trong tháng 5 và báo cáo kết quả", REF).value == "2021-05"
    assert parse("triển khai trong năm 2022 và năm 2023", REF).value == "2022"


def test_the_meeting_the_opening_prepares_for_dates_the_tasks_by_its_dates() -> None:
    doc = extract(
        "Để chuẩn bị Phiên họp thứ 9 của Ủy ban Thường vụ Quốc hội dự kiến từ ngày 11-13/6/2022, Thủ tướng Chính "
        "phủ đã phân công các thành viên Chính phủ chuẩn bị một số báo cáo.\n\n"
        "Cụ thể, Thủ tướng Chính phủ phân công Bộ trưởng Bộ Tài chính chuẩn bị Báo cáo về tình hình thu ngân sách.\n\n"
        "Bộ trưởng Bộ Xây dựng chuẩn bị Tờ trình về Luật Nhà ở (sửa đổi).\n"
    )
    assert [t.deadline.value for t in doc.tasks] == ["2022-06-11/2022-06-13"] * 2
    # a meeting only told of, not prepared for, dates nothing
    doc = extract(
        "Phiên họp thứ 9 của Ủy ban Thường vụ Quốc hội diễn ra từ ngày 11-13/6/2022.\n\n"
        "Thủ tướng Chính phủ phân công Bộ trưởng Bộ Tài chính chuẩn bị Báo cáo về tình hình thu ngân sách.\n"
    )
    assert [t.deadline.kind for t in doc.tasks] == ["none"]


def test_a_step_dated_for_a_later_one_gives_way_to_the_later_steps_date() -> None:
    head = "UBND TỈNH NAM ĐỊNH\nSố: 12/UBND-VP\nNam Định, ngày 1 tháng 6 năm 2022\n"
    (t,) = extract(
        head
        + "Giao Sở Văn hóa, Thể thao và Du lịch xây dựng dự thảo Kế hoạch tổ chức Lễ hội, dự kiến kinh phí; "
        "lấy ý kiến của Sở Tài chính trước ngày 20/6/2022 để hoàn thiện, báo cáo UBND tỉnh trước ngày 24/6/2022."
    ).tasks
    assert t.deadline.value == "2022-06-24"
    assert t.report_deadline is not None and t.report_deadline.value == "2022-06-24"
    # without the purpose clause the two dates are the work's and the report's (GUIDE §2.1)
    (t,) = extract(
        head + "Giao Sở Văn hóa, Thể thao và Du lịch tổ chức kiểm tra, hoàn thành trước ngày 20/6/2022, "
        "báo cáo UBND tỉnh trước ngày 24/6/2022."
    ).tasks
    assert t.deadline.value == "2022-06-20"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("báo cáo trước ngày 15/9 năm 2014", "2014-09-15"),  # day and month in figures, the year in words
        ("hoàn thành trước ngày 20/11, năm 2020", "2020-11-20"),
        ("hoàn thành trước thời điểm 30/6/2021", "2021-06-30"),  # "thời điểm" between the word and the date
    ],
)
def test_a_year_said_after_the_day_and_a_point_in_time(text: str, value: str) -> None:
    d = parse(text, REF)
    assert (d.kind, d.value) == ("date", value)


# News items with no date of their own: a time written without its year takes the year the text names.
NEWS = "Bộ Lao động – Thương binh và Xã hội yêu cầu các địa phương báo cáo tình hình tiền lương năm 2017 "


@pytest.mark.parametrize(
    ("tail", "kind", "value"),
    [
        ("trước ngày 25/12.", "date", "2017-12-25"),
        ("trong tháng 12.", "period", "2017-12"),
        ("trong quý IV.", "period", "2017-Q4"),
    ],
)
def test_a_time_without_its_year_takes_the_year_the_undated_text_names(
    tail: str, kind: str, value: str
) -> None:
    doc = extract(NEWS + tail)
    assert doc.meta.date is None
    (t,) = doc.tasks
    assert (t.deadline.kind, t.deadline.value) == (kind, value)
    assert t.deadline.day is None or t.deadline.day == date(2017, 12, 25)
    assert "deadline" in t.low_confidence  # the year is inferred: to check first


def test_two_years_named_as_often_leave_the_year_unread() -> None:
    (t,) = extract(
        "Bộ Tài chính yêu cầu các địa phương so sánh số thu năm 2016 với năm 2017 và báo cáo trước ngày 25/12."
    ).tasks
    assert t.deadline.value == "--12-25"


LIST = (
    "UBND TỈNH AN GIANG\nSố: 7/UBND-KT\nAn Giang, ngày 10 tháng 3 năm 2021\nUBND tỉnh yêu cầu:\n"
    "1. Sở Y tế kiểm tra các cơ sở khám bệnh tư nhân.\n2. Sở Tài chính bố trí kinh phí cho việc kiểm tra.\n"
)


@pytest.mark.parametrize(
    "closing",
    [
        "Các nội dung nêu trên hoàn thành trước ngày 30/6/2021.",
        "Những việc trên phải xong trước ngày 30/6/2021.",
        "Các nhiệm vụ được giao nêu trên hoàn thành trước ngày 30/6/2021.",
        "Các nhiệm vụ nêu tại mục 1, 2 hoàn thành trước ngày 30/6/2021.",
        "Các đơn vị trên hoàn thành trước ngày 30/6/2021.",  # the performers named again by a pointer
    ],
)
def test_a_sentence_pointing_back_at_the_work_dates_every_task_above(closing: str) -> None:
    first, second = extract(LIST + closing).tasks[:2]
    assert first.deadline.value == second.deadline.value == "2021-06-30"
    assert "no_deadline" not in first.issues + second.issues


def test_the_performers_named_again_report_the_result_of_the_work_above() -> None:
    first, second = extract(
        LIST + "Các cơ quan, đơn vị nêu trên báo cáo kết quả về UBND tỉnh trước ngày 30/6/2021."
    ).tasks[:2]
    assert first.report["required"] and second.report["required"]
    assert first.report_deadline is not None and first.report_deadline.value == "2021-06-30"


def test_the_performers_named_again_with_a_deliverable_of_their_own_do_not_date_the_work_above() -> None:
    first = extract(
        LIST + "Các đơn vị nêu trên gửi báo cáo 6 tháng đầu năm về UBND tỉnh trước ngày 15/6/2021."
    ).tasks[0]
    assert first.deadline.kind == "none" and not first.report.get("required")
