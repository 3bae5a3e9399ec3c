"""Clause structure of directives the rules were not tuned on (issue 17): news-style assigners, passive delivery
sentences, unit names with commas, exhortations that are not tasks (GUIDE §2.4). Examples written for these tests."""

from __future__ import annotations

from dondoc.drafting.extract import extract

HEAD = "ỦY BAN NHÂN DÂN\nTỈNH AN GIANG\nSố: 77/UBND-KT\nAn Giang, ngày 10 tháng 7 năm 2020\n"


def tasks(body: str, head: str = HEAD):
    return extract(head + body).tasks


def test_unit_name_with_a_comma_list_is_one_unit() -> None:
    (t,) = tasks("Giao Sở Văn hóa, Thể thao và Du lịch chủ trì kiểm tra các lễ hội trước ngày 30/9/2020.")
    assert t.lead == "Sở Văn hóa, Thể thao và Du lịch"
    assert t.coordinators == []


def test_so_lieu_is_not_a_so() -> None:
    (t,) = tasks(
        "Giao Sở Y tế rà soát số giường bệnh trên địa bàn. Số liệu phải được gửi về Văn phòng UBND tỉnh "
        "trước 20/8/2020."
    )
    assert t.lead == "Sở Y tế" and t.deadline.value == "2020-08-20"


def test_news_style_assigners() -> None:
    (t,) = tasks("Lãnh đạo tỉnh yêu cầu Sở Công Thương kiểm tra giá xăng dầu trước ngày 15/8/2020.")
    assert t.lead == "Sở Công Thương" and t.deadline.value == "2020-08-15"
    (t,) = tasks("Thành phố yêu cầu Sở Giao thông vận tải rà soát các điểm đen tai nạn trong tháng 9/2020.")
    assert t.lead == "Sở Giao thông vận tải" and t.deadline.value == "2020-09"


def test_letter_sent_to_addressees_who_must_act() -> None:
    (t,) = tasks(
        "UBND tỉnh vừa có văn bản gửi các sở, ngành và địa phương yêu cầu khẩn trương rà soát các dự án chậm "
        "tiến độ. Đồng thời tổng hợp, báo cáo kết quả về UBND tỉnh trước ngày 25/7/2020."
    )
    assert t.collective and t.report["required"] and t.deadline.value == "2020-07-25"


def test_future_tense_in_news_is_an_assignment() -> None:
    first, second = tasks(
        "UBND cấp huyện rà soát diện tích đất công. Số liệu phải được gửi về Sở Tài nguyên và Môi trường "
        "trước 30/8/2020. Sở Tài nguyên và Môi trường sẽ tổng hợp, báo cáo UBND tỉnh trước 15/9/2020."
    )
    assert first.deadline.value == "2020-08-30" and not first.report.get("required")
    assert second.lead == "Sở Tài nguyên và Môi trường" and second.report_deadline is not None
    assert second.deadline.value == "2020-09-15"


def test_general_exhortation_is_not_a_task() -> None:
    (t,) = tasks(
        "Giao Sở Tài chính thẩm định dự toán, trình UBND tỉnh trước ngày 30/9/2020. "
        "Căn cứ nội dung này, Chủ tịch UBND tỉnh yêu cầu Giám đốc Sở Tài chính triển khai thực hiện.\n"
        "Yêu cầu UBND các huyện, thị xã phối hợp và tổ chức thực hiện."
    )
    assert t.lead == "Sở Tài chính" and t.submit
    # A specific instruction to the same addressees stays a task.
    assert len(tasks("Yêu cầu UBND các huyện, thị xã kiểm tra việc chấp hành.")) == 1


def test_passive_delivery_sentence_after_a_parenthesis_dates_the_task() -> None:
    (t,) = tasks(
        "Sở Nội vụ đề nghị UBND các huyện xây dựng báo cáo sơ kết công tác cải cách hành chính.\n\n"
        "(Có đề cương gửi kèm)\n\n"
        "Báo cáo sơ kết gửi về Sở Nội vụ trước ngày 15 tháng 8 năm 2020 để tổng hợp."
    )
    assert t.deadline.value == "2020-08-15" and t.report["required"]


def test_report_on_the_situation_is_a_report() -> None:
    (t,) = tasks("Giao Sở Nông nghiệp và PTNT chủ trì, phối hợp với các huyện báo cáo tình hình dịch bệnh.")
    assert t.report["required"] and "no_report_deadline" in t.issues


def test_conditional_report_and_vague_progress_deadline() -> None:
    (t,) = tasks(
        "Yêu cầu Sở Xây dựng khẩn trương hoàn thiện thủ tục theo đúng tiến độ được giao. Trong quá trình "
        "triển khai nếu có phát sinh, Sở Xây dựng báo cáo UBND tỉnh xem xét quyết định."
    )
    assert t.report["conditional"] and "no_report_deadline" not in t.issues
    assert t.issues == ["vague_deadline"] and t.deadline.raw == "theo đúng tiến độ được giao"


def test_news_lead_spelled_out_by_theo_do_is_one_task() -> None:
    (t,) = tasks(
        "Bộ Y tế đề nghị các Sở Y tế báo cáo tình hình tiêm chủng.\n\n"
        "Theo đó, yêu cầu các Sở Y tế các tỉnh báo cáo kết quả tiêm chủng đợt 1 về Bộ trước ngày 5/8/2020.",
        head="",
    )
    assert t.text.startswith("yêu cầu các Sở Y tế") and t.deadline.value == "2020-08-05"


def test_units_of_another_city_are_outside_bodies_not_unknown() -> None:
    from dondoc.drafting.checks import check_document

    doc = extract(
        "Chủ tịch UBND TP.HCM giao Chủ tịch UBND quận 3 kiểm tra các điểm trông giữ xe trái phép, "
        "báo cáo kết quả trước ngày 20/7/2020. Giao Sở Xây dựng rà soát các công trình sai phép."
    )
    first, second = doc.tasks
    assert [r.status for r in first.resolutions] == ["external"]
    assert [r.status for r in second.resolutions] == ["external"]  # TP.HCM's Sở, not Hanoi's
    findings = check_document(doc)
    assert not any(f.code == "unknown_addressee" for f in findings)


def test_named_assigner_is_not_a_task() -> None:
    (t,) = tasks(
        "Theo đó, Chủ tịch Nguyễn Văn Bình giao Giám đốc Sở Công Thương kiểm tra giá phân bón, "
        "báo cáo UBND tỉnh trước ngày 30/7/2020."
    )
    assert t.lead == "Giám đốc Sở Công Thương" and t.report_deadline is not None


def test_news_dateline_before_the_assigner() -> None:
    (t,) = tasks(
        "Kinhtedothi - Chủ tịch UBND tỉnh yêu cầu Sở Giao thông vận tải rà soát các điểm đen trước ngày 15/8/2020.",
        head="",
    )
    assert t.lead == "Sở Giao thông vận tải" and t.deadline.value == "2020-08-15"


def test_open_class_coordinators_without_cac() -> None:
    (t,) = tasks(
        "Giao Sở Y tế chủ trì phối hợp với sở, ngành chức năng, UBND các huyện kiểm tra an toàn thực phẩm, "
        "báo cáo UBND tỉnh trước ngày 20 hằng tháng."
    )
    assert t.coordinators == ["sở, ngành chức năng", "UBND các huyện"]
    assert t.deadline.value == "monthly; day 20"


def test_header_ending_in_thuc_hien_carries_its_performer_to_the_bullets() -> None:
    (t,) = tasks(
        "UBND tỉnh yêu cầu UBND các huyện, thị xã thực hiện:\n\n"
        "- Rà soát danh sách hộ nghèo, gửi về Sở Lao động - Thương binh và Xã hội trước ngày 10 hằng tháng.\n"
    )
    assert t.collective and t.deadline.value == "monthly; day 10"


def test_news_date_takes_the_year_a_school_year_starts_in() -> None:
    doc = extract(
        "Ngày 14/10, Bộ GD&ĐT có văn bản gửi các Sở GD&ĐT về việc báo cáo sĩ số đầu năm học 2018- 2019.\n\n"
        "Bộ GD&ĐT đề nghị các sở báo cáo tình hình sĩ số học sinh. Trước ngày 20/10, các địa phương phải "
        "báo cáo Bộ GD&ĐT."
    )
    assert str(doc.meta.date) == "2018-10-14"
    assert [t.deadline.value for t in doc.tasks][0] == "2018-10-20"


def test_assigner_with_the_letter_it_writes() -> None:
    first, second = tasks(
        "Chủ tịch UBND tỉnh vừa có văn bản yêu cầu Thủ trưởng các sở, ban, ngành nghiêm túc quán triệt Chỉ thị "
        "số 27/CT-TTg.\n\nTrên cơ sở báo cáo của các cơ quan, đơn vị, Sở Kế hoạch và Đầu tư chủ trì tham mưu UBND "
        "tỉnh ban hành Kế hoạch; hoàn thành trong quý IV/2020."
    )
    assert first.lead == "Thủ trưởng các sở, ban, ngành" and first.collective
    # the intro clause's list ("các cơ quan, đơn vị") is not the subject of the main clause
    assert second.lead == "Sở Kế hoạch và Đầu tư" and second.lead_names == ["Sở Kế hoạch và Đầu tư"]
    assert second.submit and second.deadline.value == "2020-Q4"


def test_subject_after_an_adverbial_clause() -> None:
    (t,) = tasks(
        "Sau khi ban hành Kế hoạch, các cơ quan, đơn vị định kỳ đánh giá kết quả thực hiện, báo cáo UBND tỉnh "
        "trước ngày 05/6 và 05/12 hàng năm."
    )
    assert t.lead == "các cơ quan, đơn vị" and t.report["required"]
    assert t.deadline.kind == "recurring" and t.deadline.value == "annually; day 5, month 06"


def test_onward_report_in_a_purpose_clause_is_the_superiors() -> None:
    (t,) = tasks(
        "Sở Kế hoạch và Đầu tư tổng hợp kết quả; tham mưu và trình UBND tỉnh trước ngày 10/12/2020 để xem xét, "
        "báo cáo Bộ Kế hoạch và Đầu tư."
    )
    assert t.submit and not t.report.get("required") and "no_report_deadline" not in t.issues


def test_assignment_after_a_colon_with_the_performer_unsaid() -> None:
    (t,) = tasks(
        "Cụ thể, Chủ tịch yêu cầu: Tăng cường tuần tra, kiểm soát trong các khung giờ cao điểm để phòng, chống ùn "
        "tắc giao thông."
    )
    assert t.lead is None and "no_lead" in t.issues


def test_assigned_and_apportioned_to_a_minister() -> None:
    (t,) = tasks(
        "Thủ tướng Nguyễn Tấn Dũng giao nhiệm vụ và phân công cho Bộ trưởng Bộ Tài chính chuẩn bị, trình Ủy ban "
        "Thường vụ Quốc hội tờ trình về cơ chế khoán chi."
    )
    assert t.lead == "Bộ trưởng Bộ Tài chính" and t.submit


def test_same_performers_report_step_in_the_next_sentence_is_one_task() -> None:
    (t,) = tasks(
        "Lãnh đạo tỉnh yêu cầu Sở Xây dựng khẩn trương hoàn thiện thủ tục dự án. Trong quá trình triển khai nếu "
        "có phát sinh, Sở Xây dựng báo cáo UBND tỉnh xem xét, quyết định."
    )
    assert t.lead == "Sở Xây dựng" and t.report["required"] and t.text.endswith("quyết định.")


def test_list_introduced_by_sau_day_is_not_a_task() -> None:
    found = tasks(
        "Điều 2. Các cơ quan, đơn vị sau đây chịu trách nhiệm tổ chức thực hiện Kế hoạch:\n\n"
        "1. Sở Kế hoạch và Đầu tư tham mưu UBND tỉnh tổ chức sơ kết hằng năm.\n\n"
        "2. Sở Tài chính bố trí kinh phí thực hiện Kế hoạch trong năm 2021."
    )
    assert [t.lead for t in found] == ["Sở Kế hoạch và Đầu tư", "Sở Tài chính"]
    assert found[0].deadline.kind == "recurring" and found[1].deadline.value == "2021"


def test_bullets_of_a_header_naming_an_insurance_body() -> None:
    (t,) = tasks(
        "Bảo hiểm xã hội Việt Nam xây dựng chỉ tiêu thống kê và yêu cầu BHXH các tỉnh, thành phố thực hiện:\n\n"
        "- Về báo cáo tháng, gửi về Bảo hiểm xã hội Việt Nam trước ngày 28 hàng tháng.",
        head="BẢO HIỂM XÃ HỘI VIỆT NAM\nSố: 2618/BHXH-KHTC\nHà Nội, ngày 28 tháng 06 năm 2010\n",
    )
    assert t.lead == "BHXH các tỉnh, thành phố" and t.collective
    assert t.report["required"] and t.deadline.value == "monthly; day 28"


def test_project_boards_are_one_open_class() -> None:
    (t,) = tasks("Giao các Ban quản lý dự án Thành phố khẩn trương lập hồ sơ đấu thầu các dự án.")
    assert t.lead == "các Ban quản lý dự án Thành phố"


def test_headline_with_a_colon_is_not_a_task() -> None:
    found = tasks(
        "Thủ tướng: Tập trung gỡ vướng các dự án trọng điểm ngành giao thông\nKinhtedothi - Thủ tướng Phạm Minh "
        "Chính yêu cầu các bộ, ngành, địa phương chủ động triển khai công việc, gỡ vướng giải phóng mặt bằng."
    )
    assert [x.lead for x in found] == ["các bộ, ngành, địa phương"]


def test_addressees_of_a_dispatch_are_not_performers() -> None:
    found = tasks(
        "Ngày 25-6, Phó Thủ tướng có Công điện gửi: Các Bộ trưởng, Thủ trưởng các cơ quan ngang Bộ; Chủ tịch UBND "
        "các tỉnh, thành phố trực thuộc Trung ương; Ủy ban An toàn giao thông quốc gia; Tập đoàn Điện lực Việt Nam."
    )
    assert found == []


def test_execution_clause_cut_by_semicolons_is_not_a_task() -> None:
    found = tasks(
        "Điều 2. Giao Giám đốc Sở Giao thông vận tải hướng dẫn, kiểm tra thực hiện Quyết định này.\n"
        "Điều 3. Chánh Văn phòng UBND tỉnh, Thủ trưởng các Sở, ban, ngành cấp tỉnh;\n"
        "Chủ tịch Uỷ ban nhân dân các huyện, thị xã và thành phố;\n"
        "Chủ tịch Ủy ban nhân dân các xã, phường, thị trấn chịu trách nhiệm thi hành Quyết định này./."
    )
    assert [t.lead for t in found] == ["Giám đốc Sở Giao thông vận tải"]


def test_header_ending_in_cac_noi_dung_sau_gives_its_performers_to_the_items() -> None:
    (t,) = tasks(
        "Chủ tịch UBND tỉnh yêu cầu Giám đốc các sở, ban, ngành và Chủ tịch UBND các huyện tập trung triển khai "
        "thực hiện các nội dung sau:\n\n1. Tiếp tục rà soát, đơn giản hóa thủ tục hành chính trong lĩnh vực đất đai."
    )
    assert t.anchor == "bullet" and t.lead == "Giám đốc các sở, ban, ngành và Chủ tịch UBND các huyện"


def test_counted_bodies_refer_to_the_ones_named_before() -> None:
    (t,) = tasks(
        "Kiểm tra công tác phòng chống dịch với các tỉnh Kiên Giang, Tiền Giang, Thủ tướng yêu cầu 2 tỉnh chấn "
        "chỉnh các biện pháp phòng chống dịch, chậm nhất là ngày 30/9/2020."
    )
    assert t.lead == "2 tỉnh" and t.lead_names == ["Kiên Giang", "Tiền Giang"]
    assert "multiple_leads" in t.issues and t.deadline.value == "2020-09-30"
    (t,) = tasks("Bộ Nội vụ yêu cầu 63 tỉnh, thành phố gửi đề án sắp xếp về Bộ trước ngày 1/5/2021.")
    assert t.lead == "63 tỉnh, thành phố" and t.collective


def test_clause_opened_by_a_connector_of_consequence_has_its_own_subject() -> None:
    (t,) = tasks(
        "Theo Chủ tịch UBND tỉnh, quý I là thời điểm Tết, vì vậy các ngành, địa phương cần phối hợp kiểm soát "
        "chặt chẽ hàng giả, hàng kém chất lượng."
    )
    assert t.lead == "các ngành, địa phương" and t.collective
    (t,) = tasks(
        "Do vậy yêu cầu UBND các phường, Đội Thanh tra xây dựng Long Biên bám sát kế hoạch kiểm tra năm 2020."
    )
    assert t.lead_names == ["UBND các phường", "Đội Thanh tra xây dựng Long Biên"]


def test_doi_voi_is_not_a_team() -> None:
    (t,) = tasks(
        "Sở Xây dựng đề nghị UBND các quận, huyện khẩn trương kiểm tra, xử lý các vi phạm.\n\n"
        "Đối với các trường hợp vi phạm, UBND các quận, huyện báo cáo UBND tỉnh xem xét các trường hợp vượt "
        "thẩm quyền."
    )
    assert t.lead == "UBND các quận, huyện" and t.report["required"] and t.report["conditional"]


def test_tp_abbreviation_ends_a_sentence_before_a_new_subject() -> None:
    found = tasks(
        "Đó là ý kiến chỉ đạo của Chủ tịch UBND TP đối với Thủ trưởng các sở ngành trực thuộc TP. Chủ tịch UBND "
        "TP cũng chỉ đạo Thủ trưởng các đơn vị trên phải trực tiếp tham dự phiên họp chất vấn."
    )
    assert [t.lead for t in found] == ["Thủ trưởng các đơn vị"]


def test_attendees_with_titles_are_no_task() -> None:
    found = tasks(
        "Dự hội nghị có các đồng chí Thường trực HĐND tỉnh; các Phó Chủ tịch UBND tỉnh; lãnh đạo một số sở, ngành; "
        "Chủ tịch UBND các huyện, thành phố, thị xã."
    )
    assert found == []


def test_standing_committee_assigns_and_leaders_of_localities_report_quarterly() -> None:
    first, second = tasks(
        "Trên cơ sở kết quả đã đạt được, Thường trực Thành ủy giao Ban Cán sự đảng UBND tỉnh xem xét phương án "
        "nới lỏng một số hoạt động dịch vụ.\n\nLãnh đạo các địa phương chịu trách nhiệm trước Chủ tịch UBND tỉnh về "
        "vi phạm trên địa bàn; định kỳ hằng quý báo cáo kết quả kiểm tra, xử lý vi phạm."
    )
    assert first.lead.startswith("Ban Cán sự")
    assert second.lead == "Lãnh đạo các địa phương" and second.deadline.kind == "recurring"
    assert second.report_deadline is not None and "no_report_deadline" not in second.issues


def test_colon_list_names_with_a_dash() -> None:
    (t,) = tasks(
        "Thành phố cũng giao các sở: Xây dựng, Tài nguyên - Môi trường, Kế hoạch - Đầu tư theo chức năng nhiệm vụ "
        "kiểm tra, xử lý vi phạm trật tự xây dựng."
    )
    assert t.lead_names == ["Sở Xây dựng", "Sở Tài nguyên - Môi trường", "Sở Kế hoạch - Đầu tư"]


def test_report_verb_with_its_date_and_bulleted_report_schedule() -> None:
    (t,) = tasks("Thành phố yêu cầu Sở Y tế rà soát các cơ sở khám bệnh tư nhân, báo cáo trước 20/8/2020.")
    assert t.report["required"] and t.report_deadline is not None
    first, second = tasks(
        "Giao Sở Tài chính thực hiện chế độ báo cáo như sau:\n- Báo cáo 6 tháng gửi trước ngày 10/7;\n"
        "- Báo cáo năm gửi trước ngày 15/01 năm sau."
    )
    assert (
        first.lead == second.lead == "Sở Tài chính" and first.report["required"] and second.report["required"]
    )
    # A report schedule names each report by its cycle: every year's report, not one date (GUIDE §4.4, recurring).
    assert (first.deadline.kind, first.deadline.value) == ("recurring", "annually; day 10, month 07")
    assert (second.deadline.kind, second.deadline.value) == ("recurring", "annually; day 15, month 01")


def test_time_adverbial_before_the_subject_dates_the_clause() -> None:
    (t,) = tasks(
        "Hàng năm, trước ngày 15 tháng 01, Sở Kế hoạch và Đầu tư tổng hợp, báo cáo UBND tỉnh kết quả thực hiện."
    )
    assert t.lead == "Sở Kế hoạch và Đầu tư" and t.text.startswith("Hàng năm")
    assert t.deadline.kind == "recurring" and t.report_deadline is not None and t.issues == []


def test_separately_dated_deliverables_of_one_performer_stay_apart() -> None:
    first, second = tasks(
        "Giao Sở Xây dựng hoàn thành việc rà soát trong Quý III năm 2020. Sở Xây dựng báo cáo UBND tỉnh kết quả "
        "trước ngày 30/10/2020."
    )
    assert (
        first.deadline.value == "2020-Q3"
        and second.deadline.value == "2020-10-30"
        and second.report["required"]
    )


def test_generic_class_after_a_collective_performer_is_the_same_task() -> None:
    (t,) = tasks(
        "Sở Giáo dục và Đào tạo đề nghị các phòng giáo dục báo cáo nhanh tình hình sĩ số học sinh. Trước ngày "
        "18/10/2020, các địa phương phải báo cáo Sở một số nội dung."
    )
    assert t.deadline.value == "2020-10-18" and t.report["required"]


def test_district_of_another_province_is_an_outside_body() -> None:
    (t,) = tasks(
        "UBND tỉnh giao Chủ tịch UBND huyện Châu Phú giải quyết đơn của công dân trước ngày 15/8/2020."
    )
    assert [r.status for r in t.resolutions] == ["external"] and "unknown_addressee" not in t.issues


def test_headline_restating_the_body_is_not_a_second_task() -> None:
    (t,) = tasks(
        "Đề nghị 5 tỉnh, thành tăng cường công tác phòng, chống dịch COVID-19\n\nBộ Y tế đề nghị các địa phương "
        "tiếp tục tăng cường lãnh đạo, chỉ đạo phòng, chống dịch COVID-19."
    )
    assert t.lead == "các địa phương"


def test_speaker_chair_and_accountability_are_not_tasks() -> None:
    found = tasks(
        "Đồng chí Trần Văn A - Phó Chủ tịch UBND huyện, chủ trì cuộc họp. Thủ tướng lưu ý, chỉ có xét nghiệm mới "
        "biết rõ tình trạng dịch bệnh. Thủ trưởng cơ quan, đơn vị chịu trách nhiệm đối với những trường hợp báo "
        "cáo không trung thực; bỏ sót sai phạm."
    )
    assert found == []


def test_assignment_with_no_performer_after_the_assigner() -> None:
    (t,) = tasks(
        "Phó Thủ tướng Trịnh Đình Dũng yêu cầu đẩy nhanh tiến độ kiểm kê đất đai để phục vụ công tác lập quy hoạch."
    )
    assert t.lead is None and "no_lead" in t.issues and not t.submit  # "Trịnh" is a name, not "trình"


def test_team_head_and_open_class_words_of_two_syllables() -> None:
    (t,) = tasks(
        "Đoàn thanh tra liên ngành sẽ tiến hành thanh tra trách nhiệm của UBND các xã; báo cáo đề xuất UBND huyện "
        "xử lý nghiêm các hành vi vi phạm."
    )
    assert t.lead.startswith("Đoàn thanh tra") and t.report["required"] and t.submit
    (t,) = tasks("Yêu cầu các địa phương thành lập Tổ kiểm tra, tiến hành kiểm tra tại các địa bàn phức tạp.")
    assert t.lead == "các địa phương"


def test_purpose_clause_submission_is_the_superiors() -> None:
    (t,) = tasks(
        "Phó Chủ tịch UBND huyện yêu cầu UBND các xã rà soát quy hoạch, báo cáo về UBND huyện để tổng hợp, trình "
        "UBND tỉnh theo đúng quy định."
    )
    assert t.report["required"] and not t.submit


def test_short_forms_in_brackets_and_a_papers_mark_are_transparent() -> None:
    (t,) = tasks(
        "(TTXVN) Ủy ban nhân dân (UBND) tỉnh An Giang (AG) vừa yêu cầu các sở, ngành, UBND các huyện rà soát các "
        "công trình thủy lợi trước mùa mưa bão."
    )
    assert t.lead == "các sở, ngành, UBND các huyện" and t.collective


def test_a_headline_over_a_body_that_only_recites_a_letter_is_no_task() -> None:
    assert not tasks(
        "Bộ Y tế đề nghị các địa phương tăng cường phòng, chống dịch dịp nghỉ lễ\n"
        "Ngày 28/4, Bộ Y tế có công văn gửi UBND các tỉnh về việc tăng cường công tác phòng, chống dịch trong dịp "
        "nghỉ lễ sắp tới.\n"
    )


def test_a_proposal_to_assign_is_reported_not_made() -> None:
    assert not tasks("Sở Xây dựng đề xuất UBND tỉnh giao UBND các xã quản lý trật tự xây dựng trên địa bàn.")
    # a person called Trình is not a proposal
    (t,) = tasks("Đồng chí Lê Văn Trình yêu cầu UBND các phường kiểm tra hiện trạng các công trình xây dựng.")
    assert t.lead == "UBND các phường"


def test_accountability_is_not_a_task() -> None:
    assert not tasks("UBND cấp xã chịu trách nhiệm toàn diện về quản lý trật tự xây dựng trên địa bàn.")


def test_numbered_orders_of_the_assigner_are_tasks_even_without_a_performer() -> None:
    first, second = tasks(
        "UBND huyện chỉ đạo một số nội dung sau:\n\n"
        "1. Tạm dừng việc cấp phép khai thác cát trên địa bàn huyện.\n\n"
        "2. Phòng Tài nguyên và Môi trường chủ trì kiểm tra các bến bãi tập kết cát trước ngày 30/8/2020.\n"
    )
    assert first.lead is None and "no_lead" in first.issues and "Tạm dừng" in first.text
    assert second.lead == "Phòng Tài nguyên và Môi trường"
    # an approval among the items is a decision taken, not work (GUIDE §2.4)
    (t,) = tasks(
        "Chủ tịch UBND tỉnh có ý kiến chỉ đạo các nội dung sau:\n"
        "1. Đồng ý chủ trương sửa chữa trụ sở UBND xã.\n"
        "2. Giao Sở Tài chính bố trí kinh phí trước ngày 30/9/2020.\n"
    )
    assert t.lead == "Sở Tài chính"


def test_reported_facts_are_narrative_not_orders() -> None:
    assert not tasks(
        "UBND huyện Châu Thành đã tổ chức 12 đoàn kiểm tra liên ngành tại các xã. Sở Công Thương vừa tổ chức hội "
        "nghị tổng kết công tác năm 2019 tại trụ sở. Sở Xây dựng đang khẩn trương hoàn thiện hồ sơ dự án.\n"
    )
    # an order in the same text is still one
    (t,) = tasks(
        "Sở Y tế đã kiểm tra 300 cơ sở kinh doanh thực phẩm. Sở Y tế tiếp tục kiểm tra các bếp ăn tập thể, báo cáo "
        "UBND tỉnh trước ngày 30/9/2020.\n"
    )
    assert t.lead == "Sở Y tế" and t.deadline.value == "2020-09-30"


def test_a_department_directing_its_own_units_is_its_task() -> None:
    (t,) = tasks(
        "Bên cạnh đó, Sở Y tế chỉ đạo Trung tâm Kiểm soát bệnh tật tỉnh rà soát trang thiết bị, báo cáo kết quả về "
        "UBND tỉnh trước ngày 15/8/2020."
    )
    assert t.lead == "Sở Y tế" and t.report["required"] and t.deadline.value == "2020-08-15"
    (t,) = tasks(
        "Bên cạnh đó, Sở Y tế chỉ đạo các bệnh viện rà soát trang thiết bị y tế trước ngày 15/8/2020."
    )
    assert t.lead == "Sở Y tế"
    # the top of the hierarchy directing is the assigner
    (t,) = tasks("Chủ tịch UBND tỉnh chỉ đạo Sở Y tế rà soát trang thiết bị y tế trước ngày 15/8/2020.")
    assert t.lead == "Sở Y tế"


def test_a_performer_announcing_its_items_leads_each_bullet() -> None:
    first, second = tasks(
        "Sở Tài chính có trách nhiệm báo cáo định kỳ như sau:\n"
        "- Báo cáo 6 tháng gửi UBND tỉnh trước ngày 10/7/2020.\n"
        "- Báo cáo năm gửi UBND tỉnh trước ngày 15/1/2021.\n"
    )
    assert first.lead == second.lead == "Sở Tài chính"
    assert (first.deadline.value, second.deadline.value) == ("2020-07-10", "2021-01-15")


def test_a_place_name_stands_for_its_government() -> None:
    (t,) = tasks(
        "Hà Nội yêu cầu các quận, huyện xử lý dứt điểm vi phạm trật tự xây dựng trước ngày 30/9/2020."
    )
    assert t.lead == "các quận, huyện" and t.deadline.value == "2020-09-30"
    # a council that "đã giao" recites an earlier assignment, whatever its capitals
    assert not tasks("Năm 2019, UBND TP đã giao các sở kiểm tra, rà soát các dự án chậm tiến độ.")


def test_schools_hospitals_and_investors_are_open_classes_of_performers() -> None:
    (t,) = tasks("UBND tỉnh yêu cầu các trường THPT tổ chức ôn tập cho học sinh trước ngày 30/5/2020.")
    assert t.lead == "các trường THPT"
    (t,) = tasks("Yêu cầu các chủ đầu tư đẩy nhanh tiến độ giải ngân vốn đầu tư công trước ngày 31/12/2020.")
    assert t.lead == "các chủ đầu tư" and t.collective
    (t,) = tasks("Đề nghị các bệnh viện rà soát trang thiết bị, báo cáo Sở Y tế trước ngày 30/9/2020.")
    assert t.lead == "các bệnh viện" and t.report["required"]


def test_the_document_or_an_officer_as_the_one_who_orders() -> None:
    (t,) = tasks(
        "Công điện yêu cầu UBND các huyện sơ tán dân ở vùng trũng thấp trước 17 giờ ngày 10/10/2020."
    )
    assert t.lead == "UBND các huyện"
    (t,) = tasks("Giám đốc Sở Y tế yêu cầu các bệnh viện bố trí giường bệnh dự phòng trước ngày 20/8/2020.")
    assert t.lead == "các bệnh viện"


def test_a_review_of_the_past_period_is_background() -> None:
    assert not tasks("Thời gian qua, các sở, ngành tiếp tục rà soát, cắt giảm thủ tục hành chính.\n")
    # reported speech: on someone's account, not an order
    assert not tasks("Theo Sở Y tế, các bệnh viện cần tăng cường sàng lọc người bệnh trong mùa dịch.\n")


def test_a_letter_that_assigns_is_a_noun_phrase_not_a_speaker() -> None:
    (t,) = tasks(
        "Giao Văn phòng UBND tỉnh rà soát các văn bản chỉ đạo trước ngày 30/8/2020; văn bản giao nhiệm vụ cho các cơ "
        "quan, đơn vị phải xác định rõ thời hạn hoàn thành."
    )
    assert t.lead == "Văn phòng UBND tỉnh"


def test_work_fronted_before_a_passive_giao() -> None:
    (t,) = tasks("Nhiệm vụ này giao cho Sở Tài chính thực hiện, hoàn thành trước ngày 30/6/2020.")
    assert t.lead == "Sở Tài chính" and t.deadline.value == "2020-06-30"


def test_a_unit_and_a_colon_on_one_line_is_its_item_a_person_is_a_quote() -> None:
    (t,) = tasks("Sở Tài chính: chủ trì thẩm định dự toán kinh phí, trình UBND tỉnh trước ngày 30/6/2020.")
    assert t.lead == "Sở Tài chính" and t.submit
    assert not tasks(
        "Thủ tướng: Các địa phương phải chủ động ứng phó với bão\n"
        "Ngày 5/9, Thủ tướng chủ trì cuộc họp trực tuyến với các bộ, ngành về công tác ứng phó với bão số 3.\n"
    )


def test_the_performer_named_as_the_topic() -> None:
    (t,) = tasks(
        "Đối với Sở Y tế: chỉ đạo các bệnh viện bố trí đủ giường bệnh; hoàn thành trước ngày 30/9/2020."
    )
    assert t.lead == "Sở Y tế" and t.deadline.value == "2020-09-30"
    (t,) = tasks("Về phía Sở Công Thương, cần tăng cường kiểm tra thị trường, xử lý nghiêm các vi phạm.")
    assert t.lead == "Sở Công Thương"


def test_a_request_up_the_hierarchy_is_not_an_order() -> None:
    assert not tasks(
        "Sở Xây dựng đề nghị UBND tỉnh xem xét, quyết định phương án xử lý các công trình vi phạm."
    )
    # the same department asking the districts below it is one
    (t,) = tasks(
        "Sở Xây dựng đề nghị UBND các huyện kiểm tra các công trình vi phạm, báo cáo trước ngày 30/6/2020."
    )
    assert t.lead == "UBND các huyện"


def test_report_verb_forms_beyond_a_named_recipient() -> None:
    for body in (
        "Giao Sở Y tế kiểm tra, báo cáo tiến độ thực hiện trước ngày 30/7/2020.",
        "Giao Sở Y tế kiểm tra, báo cáo việc thực hiện lên UBND tỉnh trước ngày 30/7/2020.",
        "Giao Sở Y tế kiểm tra, tổng hợp báo cáo UBND tỉnh trước ngày 30/7/2020.",
        "Giao Sở Y tế kiểm tra và báo cáo Phó Chủ tịch UBND tỉnh trước ngày 30/7/2020.",
    ):
        (t,) = tasks(body)
        assert t.report["required"], body
        assert t.report_deadline is not None and t.report_deadline.value == "2020-07-30", body
    (t,) = tasks("Giao Sở Y tế chuẩn bị báo cáo tiến độ để UBND tỉnh họp trước ngày 30/7/2020.")
    assert not t.report.get("required")  # a report prepared (a noun), not made


def test_report_to_any_body_named_with_a_capital() -> None:
    (t,) = tasks("Giao Sở Y tế kiểm tra, báo cáo tổng hợp về Ban Chỉ đạo tỉnh trước ngày 30/7/2020.")
    assert t.report["required"] and t.report_deadline is not None
    (t,) = tasks("Giao Sở Y tế kiểm tra, báo cáo đầy đủ Cục An toàn thực phẩm trước ngày 30/7/2020.")
    assert t.report["required"]
    # "để báo cáo": the receiver's onward report, not the performer's (GUIDE §4.5, 021)
    (t,) = tasks(
        "Giao Sở Y tế kiểm tra; kết quả gửi về Văn phòng UBND tỉnh để báo cáo Chủ tịch UBND tỉnh trước ngày 30/7/2020."
    )
    assert not t.report.get("required")


def test_an_excerpt_cut_before_a_read_more_link_is_truncated() -> None:
    (t,) = extract(
        "Giao Sở Xây dựng chủ trì, phối hợp với Sở Tài chính tăng cường kiểm tra việc chấp hành quy định trên địa "
        "bàn....\n\nXem chi tiết tại đây\n"
    ).tasks
    assert t.truncated and "no_deadline" not in t.issues
    (t,) = extract(
        "Giao Sở Xây dựng kiểm tra việc chấp hành quy định trên địa bàn.\n\nXem chi tiết tại đây\n"
    ).tasks
    assert not t.truncated and "no_deadline" in t.issues
