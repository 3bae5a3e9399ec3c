"""Task clauses, their fields and the GUIDE issue flags."""

from __future__ import annotations

from dondoc.drafting.checks import broken, check_document
from dondoc.drafting.extract import extract

HEAD = "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI\nSố: 12/UBND-TKBT\nHà Nội, ngày 10 tháng 7 năm 2020\n"


def one(body: str):
    doc = extract(HEAD + body)
    assert len(doc.tasks) == 1, [t.text for t in doc.tasks]
    return doc, doc.tasks[0]


def test_lead_coordinators_report_date() -> None:
    _doc, t = one(
        "Giao Sở KH&ĐT chủ trì, phối hợp với Sở Tài chính và các đơn vị liên quan rà soát, "
        "báo cáo UBND Thành phố trước ngày 30/9/2020."
    )
    assert t.lead == "Sở KH&ĐT"
    assert [r.name for r in t.resolutions] == ["Sở Tài chính"]
    assert t.coordinators == ["Sở Tài chính", "các đơn vị liên quan"]
    assert t.deadline.value == "2020-09-30" and t.report["required"]
    assert t.report_deadline is not None and t.issues == []


def test_multiple_leads() -> None:
    _doc, t = one("Sở Xây dựng, Sở Tài chính và Sở Y tế thực hiện kiểm tra trước ngày 30/9/2020.")
    assert "multiple_leads" in t.issues and len(t.resolutions) == 3


def test_collective_lead_without_deadline() -> None:
    _doc, t = one("UBND thành phố yêu cầu các sở, ban, ngành tăng cường kiểm tra việc chấp hành pháp luật.")
    assert t.issues == ["collective_lead", "no_deadline"]


def test_no_lead() -> None:
    _doc, t = one("UBND Thành phố có ý kiến như sau:\n- Không tổ chức trông giữ xe trên hè phố.")
    assert t.lead is None and "no_lead" in t.issues


def test_report_without_deadline_and_vague_deadline() -> None:
    _doc, t = one("Giao Sở Y tế chủ trì tổng hợp, báo cáo UBND Thành phố theo đúng thời gian quy định.")
    assert "vague_deadline" in t.issues and "no_report_deadline" in t.issues


def test_conditional_report_is_not_flagged() -> None:
    _doc, t = one(
        "Giao Sở Xây dựng xem xét, giải quyết, báo cáo UBND Thành phố những vấn đề vượt thẩm quyền."
    )
    assert t.report["conditional"] and "no_report_deadline" not in t.issues


def test_submit() -> None:
    _doc, t = one("Giao Sở Tư pháp chủ trì, tham mưu UBND Thành phố ban hành quy định trong quý III/2020.")
    assert t.submit and t.deadline.value == "2020-Q3"


def test_deadline_before_issue_date() -> None:
    _doc, t = one("Giao Sở Nội vụ hoàn thành trước ngày 01/7/2020.")
    assert "deadline_before_issue_date" in t.issues


def test_too_short_and_unknown_addressee_checks() -> None:
    doc = extract(HEAD + "Giao Sở Ngoại thương hoàn thành trước ngày 13/7/2020.")
    findings = check_document(doc, min_working_days=3)
    codes = {f.code for f in findings}
    assert {"deadline_too_short", "unknown_addressee"} <= codes and broken(findings)


def test_external_agency_is_only_informational() -> None:
    doc = extract("Bộ Y tế khẩn trương hoàn thành đề án trước ngày 30/9/2020.", local=False)
    findings = check_document(doc)
    assert [f.code for f in findings] == ["external_addressee"] and not broken(findings)


def test_json_shape_and_exact_substring() -> None:
    text = HEAD + "Giao Giám đốc Sở Xây dựng kiểm tra, báo cáo UBND Thành phố trước ngày 25/7/2020."
    doc = extract(text)
    data = doc.as_json()
    assert data["number"] == "12/UBND-TKBT" and data["issue_date"] == "2020-07-10"
    task = data["tasks"][0]
    for key in (
        "text",
        "lead",
        "lead_list",
        "coordinators",
        "deadline",
        "report",
        "submit",
        "requirements",
        "issues",
    ):
        assert key in task
    assert task["text"] in text
    assert task["lead"] == "Giám đốc Sở Xây dựng" and task["lead_list"] == ["Sở Xây dựng"]
    assert task["deadline"] == {"kind": "date", "value": "2020-07-25", "raw": "trước ngày 25/7/2020"}
    assert task["report"]["required"] and task["report"]["deadline"]["value"] == "2020-07-25"


def test_recital_of_a_received_document_is_not_a_task() -> None:
    # "nhận" is part of a name only in "nhân dân"; "UBND tỉnh nhận được ..." is a recital.
    doc = extract(
        "UBND tỉnh nhận được Công văn số 12/BTC của Bộ Tài chính về việc kiểm kê tài sản. "
        "Giao Sở Tài chính chủ trì kiểm kê, báo cáo UBND tỉnh trước ngày 15/8/2020."
    )
    assert [t.lead for t in doc.tasks] == ["Sở Tài chính"]


def test_office_of_the_council_is_one_unit() -> None:
    doc = extract(
        "Văn phòng UBND tỉnh có văn bản truyền đạt ý kiến của Chủ tịch UBND tỉnh về việc phòng cháy.\n"
        "Văn phòng UBND tỉnh phối hợp với Sở Công Thương rà soát các kho hàng."
    )
    assert [t.lead for t in doc.tasks] == ["Văn phòng UBND tỉnh"]


def test_assigner_with_adverb_is_not_a_second_task() -> None:
    doc = extract("Bên cạnh đó, UBND tỉnh cũng giao Sở Nội vụ rà soát biên chế các đơn vị sự nghiệp.")
    assert [t.lead for t in doc.tasks] == ["Sở Nội vụ"]
    assert doc.tasks[0].text.startswith("UBND tỉnh cũng giao")


def test_assigner_introducing_a_list_is_not_a_task() -> None:
    doc = extract(
        "Theo đó, Ủy ban nhân dân tỉnh yêu cầu:\n1. Sở Y tế tiếp tục kiểm tra các cơ sở khám chữa bệnh."
    )
    assert [t.lead for t in doc.tasks] == ["Sở Y tế"]


def test_directed_bodies_are_not_the_lead() -> None:
    # "đề nghị X chỉ đạo Y ...": X is the performer; Y is what X directs.
    doc = extract(
        "Bộ Tài chính đề nghị UBND cấp tỉnh chỉ đạo các đơn vị chức năng kiểm kê, báo cáo trước ngày 5/1/2021."
    )
    assert len(doc.tasks) == 1 and doc.tasks[0].lead == "UBND cấp tỉnh"


def test_national_motto_and_addressee_lines_are_not_tasks() -> None:
    doc = extract(
        "BỘ TÀI CHÍNH --- Số: 5/BTC-NSNN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc\n\n"
        "Kính gửi:\n\n- Ủy ban nhân dân tỉnh Nam Định;\n- Công ty TNHH Xây dựng Minh An.\n\n"
        "Giao Ủy ban nhân dân tỉnh Nam Định kiểm tra hồ sơ dự án."
    )
    assert [t.lead for t in doc.tasks] == ["Ủy ban nhân dân tỉnh Nam Định"]


def test_headline_with_date_line_is_not_a_task() -> None:
    doc = extract(
        "UBND tỉnh triển khai kế hoạch phòng chống lụt bão\n12-7-2021\n"
        "Ngày 10/7/2021, UBND tỉnh ban hành văn bản về phòng chống lụt bão. "
        "Sở Nông nghiệp và Phát triển nông thôn chủ trì kiểm tra các hồ đập."
    )
    assert [t.lead for t in doc.tasks] == ["Sở Nông nghiệp và Phát triển nông thôn"]


def test_news_lead_summary_before_the_quoted_items_is_dropped() -> None:
    doc = extract(
        "Chủ tịch UBND tỉnh yêu cầu Sở Xây dựng rà soát các công trình xuống cấp.\n"
        "Ngày 2/3/2020, UBND tỉnh nhận được văn bản của Bộ Xây dựng về việc rà soát công trình.\n"
        "Sau khi xem xét, Chủ tịch UBND tỉnh có ý kiến chỉ đạo như sau:\n"
        "Giao Sở Xây dựng chủ trì rà soát các công trình xuống cấp, báo cáo UBND tỉnh trước ngày 30/3/2020."
    )
    assert len(doc.tasks) == 1 and doc.tasks[0].text.startswith("Giao Sở Xây dựng")


def test_meeting_named_in_the_opening_is_the_deadline_of_undated_tasks() -> None:
    doc = extract(
        "UBND thành phố vừa có văn bản về chuẩn bị nội dung trình tại kỳ họp thứ ba HĐND thành phố.\n\n"
        "Sở Tài chính chủ trì báo cáo dự toán ngân sách năm 2021.\n\n"
        "Sở Nội vụ chủ trì báo cáo đề án vị trí việc làm."
    )
    assert len(doc.tasks) == 2
    for t in doc.tasks:
        assert t.deadline.kind == "period" and "vague_deadline" in t.issues
    planned = extract(
        "Tại cuộc họp về các nội dung dự kiến trình tại kỳ họp thứ ba, Chủ tịch UBND tỉnh chỉ đạo: "
        "Sở Tư pháp rà soát các dự thảo nghị quyết."
    )
    assert [t.deadline.kind for t in planned.tasks] == ["none"]


def test_anniversary_committee_name_is_kept_whole() -> None:
    doc = extract("Giao Ban Tổ chức kỷ niệm 50 năm Giải phóng Thủ Đô tổ chức lễ mít tinh.")
    assert doc.tasks[0].lead == "Ban Tổ chức kỷ niệm 50 năm Giải phóng Thủ Đô"


def test_subject_that_directs_an_action_is_the_lead() -> None:
    # "X chỉ đạo <action>": no performer after the verb, so X itself is the performer.
    doc = extract("Ủy ban nhân dân các huyện, thành phố chỉ đạo nâng cao chất lượng tiêm chủng.")
    assert len(doc.tasks) == 1 and doc.tasks[0].lead == "Ủy ban nhân dân các huyện, thành phố"


def test_news_item_about_an_issued_document_before_its_items_is_dropped() -> None:
    doc = extract(
        "UBND tỉnh vừa ban hành Công văn số 5/UBND-VX chỉ đạo các sở, ngành báo cáo công tác phòng dịch; cụ thể:\n\n"
        "UBND tỉnh yêu cầu các sở, ngành báo cáo kết quả phòng dịch trước ngày 20/4/2020.\n\n"
        "Giao Sở Y tế tổng hợp báo cáo gửi UBND tỉnh trước ngày 25/4/2020."
    )
    assert [t.lead for t in doc.tasks] == ["các sở, ngành", "Sở Y tế"]


def test_run_together_words_are_cut_at_the_syllable_boundary() -> None:
    from dondoc.drafting.extract import _syllable_cuts

    assert _syllable_cuts("quanthuoc") == (4,) and _syllable_cuts("phoihop") == (4,)
    assert _syllable_cuts("nguoi") == () and _syllable_cuts("quan") == ()
    doc = extract("Ủy ban nhân dân tỉnh Nam Địnhkhẩn trương kiểm tra hồ sơ dự án.")
    assert doc.tasks[0].lead == "Ủy ban nhân dân tỉnh Nam Định"
    doc = extract("Các Bộ, cơ quanthuộc Chính phủ chủ trì rà soát các thủ tục hành chính.")
    assert len(doc.tasks) == 1 and "collective_lead" in doc.tasks[0].issues


def test_bare_kinds_of_body_stay_in_one_open_class() -> None:
    doc = extract(
        "UBND tỉnh yêu cầu các Sở, Ban, ngành, các hội, đoàn thể cấp tỉnh rà soát biên chế, "
        "phối hợp với các cơ quan, đơn vị, địa phương liên quan tổ chức thực hiện."
    )
    t = doc.tasks[0]
    assert t.lead == "các Sở, Ban, ngành, các hội, đoàn thể cấp tỉnh" and "collective_lead" in t.issues
    assert t.coordinators == ["các cơ quan, đơn vị, địa phương liên quan"]


def test_council_named_for_several_levels_is_an_open_class() -> None:
    doc = extract("Sở Nội vụ chủ trì, phối hợp với UBND quận, huyện, thị xã rà soát địa giới hành chính.")
    assert doc.tasks[0].coordinators == ["UBND quận, huyện, thị xã"]


def test_signing_or_compiling_a_report_is_not_reporting() -> None:
    doc = extract(
        "Giao Bộ trưởng Bộ Tư pháp thay mặt Chính phủ ký Báo cáo gửi Quốc hội trước ngày 20/5/2022."
    )
    t = doc.tasks[0]
    assert not t.report.get("required") and not t.submit
    doc = extract(
        "Giao Sở Tài chính tổng hợp báo cáo kết quả thực hiện Nghị định của Chính phủ, "
        "trình UBND tỉnh trước ngày 10/8/2020."
    )
    t = doc.tasks[0]
    assert t.submit and not t.report.get("required")


def test_planned_or_explained_submission_is_not_submitting() -> None:
    doc = extract("Văn phòng UBND tỉnh rà soát các nội dung dự kiến trình kỳ họp.")
    assert not doc.tasks[0].submit
    doc = extract(
        "Các sở, ngành chuẩn bị kỹ báo cáo tiếp thu giải trình, gửi UBND tỉnh trước ngày 30/6/2020."
    )
    t = doc.tasks[0]
    assert not t.submit and t.report.get("required")


def test_task_implementing_this_plan_takes_the_title_period() -> None:
    doc = extract(
        "QUYẾT ĐỊNH\nBAN HÀNH KẾ HOẠCH PHÁT TRIỂN DU LỊCH GIAI ĐOẠN 2022 - 2026\n\n"
        "Điều 2. Giao Sở Văn hóa, Thể thao và Du lịch chủ trì, phối hợp với các đơn vị liên quan tổ chức thực hiện\n"
        "Kế hoạch này trên địa bàn tỉnh."
    )
    t = doc.tasks[0]
    assert t.text.endswith("Kế hoạch này trên địa bàn tỉnh.")
    assert t.deadline.kind == "period" and t.deadline.value.startswith("2022/2026")
    assert "no_deadline" not in t.issues


def test_hard_wrapped_line_does_not_swallow_the_closing_formula() -> None:
    doc = extract(
        "Bộ Xây dựng xem xét việc lập quy hoạch các khu đô thị mới theo đúng các quy định hiện hành của pháp luật\n"
        "Văn phòng Chính phủ xin thông báo để các cơ quan liên quan biết, thực hiện"
    )
    assert [t.lead for t in doc.tasks] == ["Bộ Xây dựng"]


def test_numbered_items_before_a_later_list_are_kept() -> None:
    doc = extract(
        "1. Giao Sở Tài chính rà soát dự toán năm 2021.\n"
        "2. Về phòng chống dịch, Chủ tịch UBND tỉnh có ý kiến chỉ đạo như sau:\n"
        "Giao Sở Y tế tổ chức tiêm chủng cho người dân."
    )
    assert [t.lead for t in doc.tasks] == ["Sở Tài chính", "Sở Y tế"]
