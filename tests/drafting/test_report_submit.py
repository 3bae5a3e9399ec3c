"""Report and submit read from the verb the performer must carry out (GUIDE §4.5), over the common shapes of
Vietnamese administrative writing: a table of clauses, each with the flags it must give."""

from __future__ import annotations

import pytest

from dondoc.drafting.extract import extract

HEAD = "ỦY BAN NHÂN DÂN\nTỈNH NAM ĐỊNH\nSố: 12/UBND-VP\nNam Định, ngày 15 tháng 3 năm 2021\n"
WORK = "Giao Sở Y tế kiểm tra các cơ sở khám bệnh"


@pytest.mark.parametrize(
    ("clause", "report", "submit"),
    [
        # Reporting: the verb with its recipient, its date, its rule or its schedule.
        (", báo cáo UBND tỉnh trước ngày 30/3/2021.", True, False),
        ("; kết quả báo cáo UBND tỉnh trước ngày 30/3/2021.", True, False),
        (", gửi báo cáo về Sở Nội vụ trước ngày 30/3/2021.", True, False),
        (", báo cáo bằng văn bản trước ngày 30/3/2021.", True, False),
        (", báo cáo Chủ tịch UBND tỉnh.", True, False),
        (", báo cáo cấp có thẩm quyền.", True, False),
        (", báo cáo người có thẩm quyền xem xét.", True, False),
        (", báo cáo theo quy định.", True, False),  # GUIDE 040: a report "theo quy định" is a report
        (", báo cáo định kỳ hằng tháng.", True, False),
        (", thường xuyên báo cáo tình hình.", True, False),
        (", phải báo tình hình thực hiện trước ngày 30/3/2021.", True, False),  # "báo" alone for "báo cáo"
        (", báo kết quả về Sở Nội vụ.", True, False),
        (", thông báo kết quả cho người dân.", False, False),  # announcing to the public is no report
        (" và báo cáo.", True, False),  # the act, its recipient understood
        (", tổng hợp kết quả, báo cáo UBND tỉnh.", True, False),
        (", báo cáo bằng văn bản kết quả thực hiện về UBND tỉnh.", True, False),
        (", báo cáo tiến độ hằng tuần.", True, False),
        (", kịp thời báo cáo.", True, False),
        (", chủ động báo cáo, đề xuất với UBND tỉnh các giải pháp.", True, True),
        (", báo cáo, xin ý kiến Thường trực UBND tỉnh.", True, False),
        (", báo cáo Thường vụ Tỉnh ủy.", True, False),
        (", báo cáo Huyện ủy.", True, False),
        (", báo cáo Trung ương.", True, False),
        (", báo cáo Tổ công tác của Thủ tướng.", True, False),
        # Both a report and a proposal (GUIDE §5): both flags.
        (", báo cáo, đề xuất UBND tỉnh xem xét, chỉ đạo.", True, True),
        (", báo cáo và đề xuất UBND tỉnh.", True, True),
        # Conditional reports: the problems that may arise.
        (", kịp thời báo cáo những vấn đề phát sinh.", True, False),
        (", trường hợp vượt thẩm quyền báo cáo UBND tỉnh.", True, False),
        (". Quá trình thực hiện nếu có vướng mắc, kịp thời báo cáo UBND tỉnh.", True, False),
        # "báo cáo" as the document worked on is no report (GUIDE §4.5).
        (", xây dựng báo cáo tổng kết.", False, False),
        (", chuẩn bị báo cáo tổng kết để trình UBND tỉnh.", False, True),
        # The submission of a body the performer guides or directs, in the same clause, is that body's.
        (", hướng dẫn các chủ đầu tư trình thẩm định dự án theo quy định.", False, False),
        # A proposal or advice word as a noun: in a document, or the second half of a compound.
        (" theo đúng đề xuất tại văn bản số 12/SYT-NV.", False, False),
        (", phối hợp với các cơ quan tham mưu của Tỉnh ủy.", False, False),
        (", nâng cao chất lượng công tác tham mưu về y tế.", False, False),
        # Submitting: trình, tham mưu, đề xuất / kiến nghị to a superior.
        (", đề xuất điều chỉnh quy hoạch mạng lưới y tế.", False, True),
        (", trình UBND tỉnh trong tháng 4/2021.", False, True),
        (", tham mưu UBND tỉnh ban hành Kế hoạch.", False, True),
        # Advising the superior to report: the report is the superior's act, the advice the performer's submission.
        (", tham mưu UBND tỉnh báo cáo Bộ Y tế kết quả thực hiện.", False, True),
        (", tham mưu Chủ tịch UBND tỉnh báo cáo Thủ tướng Chính phủ.", False, True),
        (", tham mưu, báo cáo UBND tỉnh kết quả thực hiện.", True, True),  # the performer's own two acts
        (
            ", gửi về Bộ Y tế để tổng hợp báo cáo Thủ tướng Chính phủ.",
            False,
            False,
        ),  # the ministry's onward report
        (", tham mưu UBND tỉnh báo cáo Bộ Y tế các khó khăn, vướng mắc.", False, True),
        (", đề xuất UBND tỉnh phương án xử lý.", False, True),
        (", kiến nghị Bộ Y tế sửa đổi quy định.", False, True),
        # Nouns that look like the verbs: quy trình, chương trình, trình tự, đề xuất / kiến nghị of others.
        (", thực hiện quy trình kiểm tra theo quy định.", False, False),
        (", hướng dẫn trình tự, thủ tục.", False, False),
        (", xem xét đề xuất của Sở Tài chính.", False, False),
        (", giải quyết kiến nghị của cử tri.", False, False),
        # Someone else's proposal as the object of the performer's verb.
        (", tiếp nhận, xử lý phản ánh, kiến nghị của người dân.", False, False),
        (", trả lời kiến nghị cử tri trước ngày 30/3/2021.", False, False),
        (", giải quyết kiến nghị hợp pháp của doanh nghiệp.", False, False),
        (", thẩm định đề xuất dự án.", False, False),
        (", xử lý đơn thư kiến nghị.", False, False),
        (", nghiên cứu đề xuất giải pháp.", False, True),  # the performer's own proposal
        (", nộp báo cáo đầy đủ.", True, False),
        (
            ", thực hiện báo cáo một số chỉ tiêu thống kê.",
            True,
            False,
        ),  # carrying out the report is reporting
        (", thực hiện chế độ báo cáo theo quy định.", True, False),
        (", tổ chức trình chiếu phim tài liệu.", False, False),
        (" cùng đồng chí Nguyễn Mạnh Trình.", False, False),  # a person's name
        # A submission told of, another body's, or one the performer carries out or takes as its basis.
        (" đã được trình UBND tỉnh.", False, False),
        (", để UBND tỉnh trình Bộ Y tế.", False, False),
        (", theo đề xuất tại Tờ trình số 12/TTr-SYT.", False, False),
        (" theo kiến nghị tại Kết luận thanh tra.", False, False),
        (", thực hiện đề xuất tại văn bản số 12.", False, False),
    ],
)
def test_report_and_submit_shapes(clause: str, report: bool, submit: bool) -> None:
    (task,) = extract(HEAD + WORK + clause).tasks
    assert (bool(task.report.get("required")), task.submit) == (report, submit)


def test_a_report_by_the_rule_has_no_report_deadline() -> None:
    (task,) = extract(HEAD + WORK + ", báo cáo theo quy định.").tasks
    assert "no_report_deadline" in task.issues


@pytest.mark.parametrize(
    "clause",
    [
        ", kịp thời báo cáo những vấn đề phát sinh.",
        ". Quá trình thực hiện nếu có vướng mắc, kịp thời báo cáo UBND tỉnh.",
    ],
)
def test_a_conditional_report_needs_no_date(clause: str) -> None:
    (task,) = extract(HEAD + WORK + clause).tasks
    assert task.report["conditional"] and "no_report_deadline" not in task.issues


def test_tham_muu_run_together_with_the_word_before_is_a_submission() -> None:
    # Source text with words run together ("phụ nữtham mưu"), kept as found (GUIDE §1).
    (task,) = extract(
        HEAD + "Giao Sở Kế hoạch và Đầu tư giúp Ban vì sự tiến bộ phụ nữtham mưu UBND tỉnh chỉ đạo."
    ).tasks
    assert task.submit
