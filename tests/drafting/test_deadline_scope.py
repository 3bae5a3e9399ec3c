"""Deadlines attached by scope (issue 17): a time stated outside the task's own sentence that governs it — a
later sentence whose subject points back at the task's performers ("các đơn vị nêu trên …"), a news headline that
states the order the body restates with its date. Illustrative sentences written for these tests."""

from __future__ import annotations

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
