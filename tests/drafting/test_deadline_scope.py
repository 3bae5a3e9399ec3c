"""Deadlines attached by scope (issue 17): a time stated outside the task's own sentence that governs it — a
later sentence whose subject points back at the task's performers ("các đơn vị nêu trên …"), a news headline that
states the order the body restates with its date. Illustrative sentences written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from dondoc.drafting.deadlines import parse
from dondoc.drafting.extract import extract


def test_a_later_sentence_naming_the_performers_again_dates_their_task() -> None:
    doc = extract(
        "Ngày 11/9/2019, Bộ Tài chính có văn bản gửi Cục Thuế các tỉnh về việc hoàn thuế.\n\n"
        "Theo đó, Bộ Tài chính yêu cầu Cục Thuế các tỉnh Bình Định, Phú Yên nghiêm túc rà soát việc hoàn thuế "
        "thời gian qua.\n\n"
        "Theo yêu cầu, các Cục Thuế tỉnh nêu trên phải có văn bản báo cáo gửi về Bộ chậm nhất ngày 20/9/2019.\n"
    )
    first = doc.tasks[0]
    assert first.deadline.kind == "date" and first.deadline.value == "2019-09-20"
    assert first.report["required"] and first.report_deadline is first.deadline


def test_a_pointer_sentence_dates_only_the_tasks_above_it() -> None:
    doc = extract(
        "UBND TỈNH AN GIANG\nSố: 7/UBND-KT\nAn Giang, ngày 10 tháng 3 năm 2021\n"
        "1. Giao Sở Y tế rà soát các cơ sở khám bệnh tư nhân.\n"
        "Các đơn vị nêu trên phải có văn bản báo cáo UBND tỉnh trước ngày 30/6/2021.\n"
        "2. Giao Sở Xây dựng kiểm tra các công trình xây dựng.\n"
    )
    assert doc.tasks[0].deadline.value == "2021-06-30"
    assert doc.tasks[-1].deadline.kind == "none"  # below the sentence: not in its scope


def test_the_headline_dates_the_order_the_body_restates() -> None:
    doc = extract(
        "Yêu cầu các tỉnh báo cáo thiệt hại do bão trước ngày 20/9\n\n"
        "Bộ Nông nghiệp yêu cầu UBND các tỉnh miền Trung thống kê, báo cáo thiệt hại do cơn bão số 5 gây ra.\n"
    )
    (t,) = doc.tasks
    assert t.deadline.kind == "date" and t.deadline.value == "--09-20"
    assert t.confidence["deadline"] <= 0.6  # read from the headline: to check first


def test_a_headline_about_another_work_does_not_date_the_task() -> None:
    doc = extract(
        "Khai mạc hội chợ thương mại mùa thu trước ngày 20/9\n\n"
        "Bộ Nông nghiệp yêu cầu UBND các tỉnh miền Trung thống kê, báo cáo thiệt hại do cơn bão số 5 gây ra.\n"
    )
    (t,) = doc.tasks
    assert t.deadline.kind == "none"


def test_a_season_in_the_headline_is_the_occasion_not_the_tasks_time() -> None:
    doc = extract(
        "Tăng cường kiểm tra vệ sinh an toàn thực phẩm trên địa bàn huyện trong dịp Tết Nguyên đán\n\n"
        "Theo đó, UBND các xã tăng cường kiểm tra vệ sinh an toàn thực phẩm tại các chợ trên địa bàn huyện.\n"
    )
    (t,) = doc.tasks
    assert t.deadline.kind == "none"


@pytest.mark.parametrize(
    ("text", "ref", "value"),
    [
        # a holiday season with no preposition before "dịp": the time of the work
        (
            "Bộ Y tế đề nghị các tỉnh tăng cường phòng, chống dịch dịp nghỉ lễ 30/4 - 1/5/2021.",
            None,
            "2021-04-30",
        ),
        ("Các xã tăng cường kiểm tra an toàn thực phẩm dịp nghỉ Tết Nguyên đán 2022.", None, "2022-01"),
        # its day without a year and no document date: the day itself, the year left unstated
        ("Các tỉnh tăng cường phòng, chống dịch bệnh dịp nghỉ Lễ Quốc khánh 2/9.", None, "--09-02"),
    ],
)
def test_a_holiday_season_without_a_preposition(text: str, ref: date | None, value: str) -> None:
    d = parse(text, ref)
    assert d.kind == "period" and value in (d.value or "")


@pytest.mark.parametrize(
    "text",
    [
        "Các xã tăng cường kiểm tra an toàn thực phẩm, nhất là dịp nghỉ lễ.",  # when to be most careful
        "Chủ tịch UBND tỉnh thăm, tặng quà các gia đình chính sách nhân dịp Tết Nguyên đán 2022.",  # the occasion
    ],
)
def test_a_holiday_season_not_over_read(text: str) -> None:
    assert parse(text, None).kind == "none"


@pytest.mark.parametrize(
    "text",
    [
        "Các huyện hướng dẫn người dân chằng chống nhà cửa, neo đậu tàu thuyền trước khi bão đổ bộ vào đất liền.",
        "Các xã tổ chức sơ tán dân cư vùng trũng, hoàn thành trước khi lũ về.",
        "Các địa phương thu hoạch lúa vụ mùa trước khi cơn bão số 5 ảnh hưởng trực tiếp.",
    ],
)
def test_before_a_hazard_arrives_is_an_event_period(text: str) -> None:
    d = parse(text, None)
    assert d.kind == "period" and not d.vague and "event" in (d.value or "")


def test_an_hour_today_beats_the_hazards_arrival() -> None:
    d = parse(
        "Các xã hoàn thành sơ tán trước khi bão ảnh hưởng trực tiếp, nhưng phải trước 15h hôm nay.",
        date(2025, 11, 6),
    )
    assert d.kind == "date" and d.value == "2025-11-06T15:00"


@pytest.mark.parametrize(
    ("ref", "month"),
    [(date(2019, 12, 20), "2020-01"), (date(2020, 1, 10), "2020-01"), (date(2020, 5, 4), "2020-01")],
)
def test_tet_without_its_year_is_the_coming_one(ref: date, month: str) -> None:
    d = parse("Công an các huyện tăng cường tuần tra, kiểm soát trong dịp cận Tết.", ref)
    assert d.kind == "period" and month in (d.value or "")


@pytest.mark.parametrize(
    "before",
    [
        # the text's only year
        "Công an tỉnh triển khai kế hoạch bảo đảm an ninh năm 2020\n\nTrong năm 2020, lực lượng công an đã triển "
        "khai nhiều kế hoạch. ",
        # years named as often as each other, and Tết named with its year in the headline
        "Công an tỉnh triển khai đợt cao điểm trấn áp tội phạm dịp Tết Canh Tý 2020\n\nNăm 2019, lực lượng công an "
        "đã triệt phá nhiều ổ nhóm tội phạm, gấp đôi năm 2010. ",
    ],
)
def test_tet_without_its_year_in_a_text_without_a_date(before: str) -> None:
    doc = extract(
        before
        + "Giám đốc Công an tỉnh yêu cầu Công an các huyện tăng cường tuần tra, kiểm soát trong dịp cận Tết.\n"
    )
    t = doc.tasks[-1]
    assert t.deadline.kind == "period" and "2020-01" in (t.deadline.value or "")


_ORDER = (
    "Ngày 5/9/2021, Sở Y tế có văn bản gửi UBND các huyện về việc phòng chống dịch sốt xuất huyết.\n\n"
    "Theo đó, Sở Y tế yêu cầu các huyện rà soát các ổ dịch sốt xuất huyết trên địa bàn, tổ chức phun hóa chất "
    "diệt muỗi."
)


@pytest.mark.parametrize(
    "after",
    [
        # the same performers named again, only to finish the work by a date
        " Các huyện hoàn thành việc rà soát, phun hóa chất trước ngày 20/9/2021.",
        # the work pointed back at as "this", in the next paragraph
        "\n\nCông việc này phải hoàn thành trước ngày 20/9/2021.",
        # the assigner asking again, only to finish by a date
        " Sở Y tế yêu cầu hoàn thành trước ngày 20/9/2021.",
    ],
)
def test_a_sentence_that_only_finishes_the_task_above_dates_it(after: str) -> None:
    doc = extract(_ORDER + after + "\n")
    first = doc.tasks[0]
    assert first.deadline.kind == "date" and first.deadline.value == "2021-09-20"


def test_a_finishing_sentence_for_other_performers_dates_nothing_above() -> None:
    doc = extract(_ORDER + " Các xã hoàn thành việc rà soát trước ngày 20/9/2021.\n")
    assert doc.tasks[0].deadline.kind == "none"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # days listed without their count: the days themselves, a period
        ("Các xã tổ chức ra quân dọn vệ sinh trong các ngày 10, 11/5/2021.", "2021-05-10/2021-05-11"),
        ("Các xã tổ chức ra quân dọn vệ sinh vào các ngày 10 và 12/5/2021.", "2021-05-10/2021-05-12"),
        # months listed: the first to the last, a period
        ("Các xã tổ chức tập huấn trong các tháng 4, 5 năm 2021.", "2021-04/2021-05"),
        ("Các xã tổ chức tập huấn trong các tháng 4 và 6/2021.", "2021-04/2021-06"),
    ],
)
def test_listed_days_and_months_are_periods(text: str, value: str) -> None:
    d = parse(text, date(2021, 3, 1))
    assert d.kind == "period" and d.value == value


def test_days_counted_after_an_event_are_a_relative_period() -> None:
    d = parse("Chủ đầu tư nộp hồ sơ sau 30 ngày, kể từ ngày được giao đất.", date(2021, 3, 1))
    assert d.kind == "period" and "30 ngày" in (d.value or "")


def test_the_performers_named_again_after_a_fronted_time_date_the_task_above() -> None:
    doc = extract(
        "Ngày 5/9/2021, Sở Y tế có văn bản gửi UBND các huyện về việc phòng chống dịch.\n\n"
        "Sở Y tế yêu cầu UBND các huyện rà soát các ổ dịch trên địa bàn. "
        "Đến ngày 20/9/2021, các huyện phải hoàn thành.\n"
    )
    assert doc.tasks[0].deadline.value == "2021-09-20"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Sở Xây dựng hoàn thiện dự thảo, báo cáo UBND tỉnh ngày 10/4/2021.", "2021-04-10"),
        ("Các huyện tổng hợp danh sách, gửi về Sở Tài chính ngày 10/5/2021 để tổng hợp.", "2021-05-10"),
    ],
)
def test_a_delivery_on_a_day_is_its_date(text: str, value: str) -> None:
    d = parse(text, date(2021, 3, 1))
    assert d.kind == "date" and d.value == value


@pytest.mark.parametrize(
    "text",
    [
        "Sở Xây dựng thực hiện theo Báo cáo số 12/BC-UBND ngày 10/4/2021 của UBND tỉnh.",  # a letter cited
        "Sở Xây dựng rà soát nội dung đã báo cáo UBND tỉnh ngày 10/2/2021.",  # told of, before the document
        "Sở Xây dựng thực hiện nội dung gửi kèm Công văn ngày 10/4/2021.",  # a letter's date
    ],
)
def test_a_delivery_day_not_over_read(text: str) -> None:
    assert parse(text, date(2021, 3, 1)).kind == "none"
