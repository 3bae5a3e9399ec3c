"""Per-field confidence (issue 17): the fields whose reading the text leaves open are the ones the officer checks
first. Examples written for these tests."""

from __future__ import annotations

from dondoc.drafting.extract import CONFIDENCE_FIELDS, LOW_CONFIDENCE, extract

HEAD = "ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\nSố: 123/UBND-KT\nNghệ An, ngày 10 tháng 3 năm 2021\n"


def only_task(body: str):  # type: ignore[no-untyped-def]
    (t,) = extract(HEAD + body).tasks
    return t


def test_every_field_carries_a_confidence() -> None:
    t = only_task(
        "Giao Sở Xây dựng chủ trì, phối hợp với Sở Tài chính kiểm tra, báo cáo trước ngày 30/4/2021."
    )
    assert set(t.as_json("1")["confidence"]) == set(CONFIDENCE_FIELDS)
    assert "coordinators" in CONFIDENCE_FIELDS and t.low_confidence == []


def test_coordinators_not_read_are_to_check() -> None:
    # "phối hợp với các hộ kinh doanh": bodies the performer grammar does not know; the list stays empty.
    t = only_task(
        "Giao Sở Công Thương chủ trì, phối hợp với các hộ kinh doanh kiểm tra trước ngày 30/4/2021."
    )
    assert t.coordinators == [] and "coordinators" in t.low_confidence


def test_a_lead_not_followed_by_a_verb_is_to_check() -> None:
    # The name may go on in small letters ("Ban quản | trị chung cư"): no verb right after what was read.
    t = only_task("Ban quản trị chung cư hoàn thành hồ sơ trước ngày 30/4/2021.")
    assert t.confidence["lead"] < LOW_CONFIDENCE
    t = only_task("Sở Xây dựng hoàn thành hồ sơ trước ngày 30/4/2021.")
    assert t.confidence["lead"] >= LOW_CONFIDENCE


def test_an_open_class_with_no_time_report_or_submission_is_a_task_to_check() -> None:
    # The rules' own task confidence (the product's comes from the task model: tests/drafting/test_taskmodel.py).
    def rules(body: str):  # type: ignore[no-untyped-def]
        (t,) = extract(HEAD + body, model=False).tasks
        return t

    t = rules("Các cấp, các ngành tiếp tục phát huy vai trò trong cải cách hành chính.")
    assert t.confidence["task"] < LOW_CONFIDENCE
    t = rules("Các sở, ngành rà soát thủ tục hành chính, báo cáo UBND tỉnh trước ngày 30/4/2021.")
    assert t.confidence["task"] >= LOW_CONFIDENCE


def test_a_proposal_inside_a_report_being_written_is_no_submission() -> None:
    # The report's own content (proposed directions), addressed to nobody: not a submission (GUIDE §4.5) ...
    t = only_task(
        "Giao UBND các huyện xây dựng báo cáo sơ kết kết quả thực hiện Đề án và đề xuất phương hướng, nhiệm vụ "
        "giai đoạn tiếp theo, hoàn thành trước ngày 15/5/2021."
    )
    assert not t.submit
    # ... unlike a proposal put to a superior.
    t = only_task(
        "Giao Sở Tài chính xây dựng báo cáo đánh giá và đề xuất UBND tỉnh xem xét trước ngày 15/5/2021."
    )
    assert t.submit


def test_bao_cao_as_the_document_worked_on_is_a_sure_no_report() -> None:
    t = only_task("Giao Sở Xây dựng hoàn thiện báo cáo đánh giá các công trình trước ngày 30/4/2021.")
    assert not t.report.get("required") and "report" not in t.low_confidence
    t = only_task(
        "Giao Sở Nội vụ chủ trì báo cáo nội dung kiện toàn tổ chức tại phiên họp trước ngày 30/4/2021."
    )
    assert not t.report.get("required") and "report" in t.low_confidence


def test_proposals_named_as_nouns_are_a_sure_no_submission() -> None:
    t = only_task("Giao Bộ Xây dựng xem xét, giải quyết các đề xuất của UBND tỉnh trước ngày 30/4/2021.")
    assert not t.submit and "submit" not in t.low_confidence
    # A proposal verb set aside as the report's content is still to check.
    t = only_task(
        "Giao UBND các huyện xây dựng báo cáo sơ kết và đề xuất phương hướng giai đoạn tới trước ngày 30/4/2021."
    )
    assert not t.submit and "submit" in t.low_confidence
