"""Task detection from the structure of the text (issue 17): which clauses are assignments, which are headlines,
captions, appositions or the writer's own account. Examples written for these tests."""

from __future__ import annotations

import pytest

from dondoc.drafting.extract import extract

HEAD = "ỦY BAN NHÂN DÂN\nTỈNH HÒA BÌNH\nSố: 45/UBND-NC\nHòa Bình, ngày 12 tháng 8 năm 2021\n"


def tasks(body: str, head: str = HEAD):
    return extract(head + body).tasks


def test_an_apposition_before_the_trigger_is_not_a_task_of_its_own() -> None:
    (t,) = tasks(
        "Phó Chủ tịch UBND tỉnh, Trưởng ban Chỉ đạo phòng chống dịch tỉnh yêu cầu Sở Y tế rà soát "
        "các khu cách ly trước ngày 20/8/2021."
    )
    assert t.lead == "Sở Y tế" and t.deadline.value == "2021-08-20"


def test_a_headline_closing_on_a_quoted_motto_is_a_headline() -> None:
    found = tasks(
        "Bộ Chỉ huy Quân sự tỉnh sẵn sàng ứng phó bão theo phương châm “4 tại chỗ”\n\n"
        "UBND tỉnh yêu cầu Công an các huyện tăng cường tuần tra ban đêm trên các tuyến đường liên xã."
    )
    assert [t.lead for t in found] == ["Công an các huyện"]


def test_orders_reported_after_theo_do_are_tasks_in_the_past_tense() -> None:
    (t,) = tasks(
        "Theo đó, Bộ Chỉ huy Quân sự tỉnh đã chỉ đạo các đơn vị trực thuộc duy trì nghiêm chế độ trực "
        "sẵn sàng chiến đấu, chuẩn bị phương tiện cứu hộ."
    )
    assert t.lead == "các đơn vị trực thuộc"


def test_an_earlier_order_recited_in_the_past_is_not_a_task() -> None:
    (t,) = tasks(
        "Trước tình hình trên, UBND tỉnh đã giao các sở: Tài chính, Nội vụ rà soát. "
        "UBND tỉnh giao Sở Nội vụ chủ trì hoàn thiện đề án, trình UBND tỉnh trước ngày 30/9/2021."
    )
    assert t.lead == "Sở Nội vụ"


def test_the_assigner_as_a_subject_elsewhere_is_its_own_account() -> None:
    found = tasks(
        "Bộ Chỉ huy Quân sự tỉnh chỉ đạo các đơn vị trực thuộc sẵn sàng lực lượng, phương tiện giúp dân "
        "sơ tán khỏi vùng ngập.\n\n"
        "Bộ CHQS tỉnh chuẩn bị đầy đủ lương thực, thuốc men và phương tiện cứu hộ tại các điểm xung yếu."
    )
    assert [t.lead for t in found] == ["các đơn vị trực thuộc"]


def test_a_performer_named_before_the_assigner_stays_a_task() -> None:
    found = tasks(
        "Sở Tài nguyên và Môi trường kiểm tra các mỏ cát trên sông Đà trong tháng 9/2021.\n\n"
        "UBND tỉnh yêu cầu UBND các huyện phối hợp kiểm tra các bến bãi trái phép."
    )
    assert [t.lead for t in found] == ["Sở Tài nguyên và Môi trường", "UBND các huyện"]


def test_a_comma_inside_an_assigners_name_does_not_cut_the_clause() -> None:
    (t,) = tasks(
        "Ban Chỉ đạo phòng, chống thiên tai tỉnh có Công văn số 12/PCTT đề nghị UBND các huyện "
        "khẩn trương sơ tán dân khỏi vùng sạt lở."
    )
    assert t.lead == "UBND các huyện" and t.urgent


def test_addressees_of_a_dispatch_who_must_act_are_the_performers() -> None:
    (t,) = tasks(
        "Bộ Tư lệnh Quân khu đã có công điện hỏa tốc gửi các đơn vị trực thuộc di chuyển phương tiện "
        "vào nơi trú ẩn an toàn."
    )
    assert t.lead == "các đơn vị trực thuộc"


def test_a_letter_sent_about_a_topic_orders_nothing() -> None:
    assert (
        tasks("Bộ Tư lệnh Quân khu đã có công văn gửi các đơn vị về việc bảo đảm an toàn trong mùa mưa bão.")
        == []
    )


def test_a_topic_body_with_its_role_in_apposition_is_the_performer() -> None:
    (t,) = tasks(
        "Đối với Sở Nội vụ, cơ quan thường trực Hội đồng thi đua tỉnh tổng hợp hồ sơ khen thưởng "
        "trước ngày 15/9/2021."
    )
    assert t.lead == "Sở Nội vụ" and t.deadline.value == "2021-09-15"


def test_an_order_opening_on_chi_dao_has_its_performer_left_unsaid() -> None:
    found = tasks(
        "Chỉ đạo các cấp hội cựu chiến binh tổ chức đại hội đúng điều lệ, tiết kiệm, an toàn.\n"
        "Đẩy mạnh tuyên truyền về đại hội; chỉ đạo các chi hội phát động phong trào thi đua lập thành tích."
    )
    assert [(t.lead, t.text[:12]) for t in found] == [(None, "Chỉ đạo các "), (None, "Đẩy mạnh tuy")]
    assert all("no_lead" in t.issues for t in found)


def test_chi_dao_after_an_assigner_or_a_comma_is_not_an_order_of_its_own() -> None:
    (t,) = tasks("UBND tỉnh chỉ đạo Sở Công Thương kiểm tra các cửa hàng xăng dầu trong tháng 9/2021.")
    assert t.lead == "Sở Công Thương"
    (t,) = tasks(
        "UBND các huyện báo cáo UBND tỉnh trước ngày 20/9/2021 để xem xét, chỉ đạo xử lý các trường hợp "
        "vi phạm còn tồn đọng."
    )
    assert t.lead == "UBND các huyện"


def test_what_a_participant_presents_at_a_reported_meeting_is_not_a_task() -> None:
    found = tasks(
        "Chiều 5/8, Phó Chủ tịch UBND tỉnh chủ trì hội nghị về công tác phòng, chống thiên tai.\n\n"
        "Sở Nông nghiệp và Phát triển nông thôn báo cáo kết quả kiểm tra các hồ đập xung yếu trên địa bàn.\n\n"
        "Phó Chủ tịch UBND tỉnh yêu cầu UBND các huyện rà soát phương án sơ tán dân trước ngày 20/8/2021."
    )
    assert [t.lead for t in found] == ["UBND các huyện"]


def test_a_report_ordered_to_a_body_is_a_task_even_after_a_meeting() -> None:
    found = tasks(
        "Chiều 5/8, Phó Chủ tịch UBND tỉnh chủ trì hội nghị về công tác phòng, chống thiên tai.\n\n"
        "Sở Nông nghiệp và Phát triển nông thôn báo cáo kết quả kiểm tra các hồ đập về UBND tỉnh."
    )
    assert [t.lead for t in found] == ["Sở Nông nghiệp và Phát triển nông thôn"]


def test_a_military_command_written_in_small_letters_is_one_name() -> None:
    (t,) = tasks("Bộ Chỉ huy quân sự tỉnh chủ trì tổ chức diễn tập phòng thủ dân sự trong quý IV năm 2021.")
    assert t.lead == "Bộ Chỉ huy quân sự tỉnh"


def test_a_list_of_bodies_with_no_predicate_is_not_a_task() -> None:
    found = tasks(
        "Đối tượng thực hiện: cán bộ quản lý, giáo viên, nhân viên y tế; các tổ chức, cá nhân có liên quan.\n"
        "Sở Giáo dục và Đào tạo chủ trì triển khai kế hoạch trong năm học 2021-2022."
    )
    assert [t.lead for t in found] == ["Sở Giáo dục và Đào tạo"]


def test_a_plan_promulgated_by_the_council_is_no_header_for_its_aims() -> None:
    found = tasks(
        "Ủy ban nhân dân tỉnh ban hành Kế hoạch tổ chức Tháng hành động vì trẻ em năm 2021 như sau:\n"
        "I. MỤC ĐÍCH, YÊU CẦU\n"
        "1. Mục đích và yêu cầu\n"
        "- Nâng cao nhận thức của các cấp, các ngành về quyền trẻ em."
    )
    assert found == []


def test_the_front_mass_organisations_and_commands_give_orders() -> None:
    for assigner in (
        "Ban Thường trực Ủy ban MTTQ tỉnh",
        "Hội Nông dân tỉnh",
        "Tỉnh đoàn",
        "Bộ Chỉ huy Quân sự tỉnh",
    ):
        (t,) = tasks(f"{assigner} đề nghị UBND các huyện rà soát danh sách hộ nghèo trước ngày 30/9/2021.")
        assert t.lead == "UBND các huyện" and t.deadline.value == "2021-09-30", assigner


def test_the_issuing_councils_own_next_step_is_not_a_task() -> None:
    found = tasks(
        "Sở Tài chính được giao thẩm định dự toán kinh phí của các huyện trong tháng 9/2021. Sau đó, UBND tỉnh "
        "sẽ phân bổ kinh phí cho các huyện để triển khai."
    )
    assert [t.lead for t in found] == ["Sở Tài chính"]


def test_a_department_that_will_act_is_still_a_performer() -> None:
    found = tasks(
        "Sở Y tế sẽ tổng hợp số liệu tiêm chủng của các huyện và báo cáo UBND tỉnh trước ngày 5/9/2021."
    )
    assert [t.lead for t in found] == ["Sở Y tế"]


def test_a_list_of_guests_split_by_semicolons_is_no_performer() -> None:
    found = tasks(
        "Ban Thường trực Hội Cựu chiến binh tỉnh đã tiếp đoàn đại biểu: Tỉnh ủy, UBND tỉnh; các sở, ban, ngành; "
        "các cơ quan, đơn vị trực thuộc đến chúc mừng nhân dịp kỷ niệm ngày truyền thống."
    )
    assert found == []


def test_semicolon_clauses_with_their_own_predicates_are_tasks() -> None:
    found = tasks(
        "Sở Xây dựng kiểm tra các công trình cao tầng; Sở Công Thương kiểm tra các chợ đầu mối; "
        "UBND các huyện báo cáo kết quả về UBND tỉnh trước ngày 30/9/2021."
    )
    assert [t.lead for t in found] == ["Sở Xây dựng", "Sở Công Thương", "UBND các huyện"]


def test_a_news_lead_after_a_dateline_tells_what_a_body_does() -> None:
    found = tasks(
        "(BTV) – Ban Chỉ đạo diễn tập tỉnh triển khai nhiệm vụ chuẩn bị cho diễn tập khu vực phòng thủ năm 2021.\n\n"
        "Phó Chủ tịch UBND tỉnh yêu cầu Sở Tài chính bảo đảm kinh phí cho diễn tập trước ngày 30/9/2021."
    )
    assert [t.lead for t in found] == ["Sở Tài chính"]


def test_an_order_after_a_dateline_is_still_an_order() -> None:
    found = tasks("(BTV) – Sở Y tế phải hoàn thành tiêm chủng cho người trên 65 tuổi trước ngày 30/9/2021.")
    assert [t.lead for t in found] == ["Sở Y tế"]


def test_a_leaders_praise_after_his_name_is_not_a_task() -> None:
    found = tasks(
        "Đồng chí Nguyễn Văn Bình ghi nhận, biểu dương những kết quả các trạm y tế xã đã đạt được trong năm qua."
    )
    assert found == []


def test_a_headline_line_then_the_police_order_on_the_next_line() -> None:
    (t,) = tasks(
        "Siết trách nhiệm cơ sở, xử lý nghiêm tình trạng lấn chiếm vỉa hè ở thị trấn\n"
        "Công an tỉnh yêu cầu Công an các huyện xử lý nghiêm các trường hợp lấn chiếm vỉa hè, lòng đường."
    )
    assert t.lead == "Công an các huyện"


def test_an_assigners_order_with_no_performer_has_no_lead() -> None:
    (t,) = tasks(
        "Công an tỉnh yêu cầu siết chặt trách nhiệm của chính quyền cơ sở trong quản lý trật tự đô thị, "
        "xử lý nghiêm tình trạng lấn chiếm vỉa hè."
    )
    assert t.lead is None and "no_lead" in t.issues


# --- Session 8 (branch extcorpus): lists, counted bodies, meetings and addressees -----------------------------


def test_duties_in_paragraphs_of_their_own_go_on_with_the_performer_named_before() -> None:
    found = tasks(
        "Theo đó, giao Sở Tài chính tổng hợp nhu cầu kinh phí hỗ trợ của các huyện;\n\n"
        "Tham mưu UBND tỉnh phân bổ kinh phí cho các địa phương bị thiệt hại;\n\n"
        "Thực hiện các nội dung hướng dẫn của Bộ Tài chính tại Công văn số 120/BTC-NSNN.\n"
    )
    assert [t.lead for t in found] == ["Sở Tài chính"] * 3
    assert found[1].text.startswith("Tham mưu UBND tỉnh") and found[1].submit


def test_a_paragraph_of_running_text_after_a_bullet_item_is_not_a_new_duty() -> None:
    found = tasks(
        "UBND tỉnh yêu cầu các sở, ngành thực hiện các nội dung sau:\n"
        "1. Tiếp tục rà soát các thủ tục hành chính còn chồng chéo.\n\n"
        "Triển khai việc rà soát thống nhất, đồng bộ, lấy người dân làm trung tâm.\n"
    )
    assert len(found) == 1


def test_a_report_sentence_after_a_listed_duty_dates_the_report_above() -> None:
    found = tasks(
        "Cục Đường bộ đề nghị các Sở GTVT báo cáo kết quả rà soát các bến xe khách năm 2021.\n\n"
        "Đôn đốc các doanh nghiệp khai thác bến xe hoàn thiện hồ sơ công bố theo quy định. Đồng thời, báo cáo "
        "gửi về Cục Đường bộ trước ngày 15/9/2021.\n"
    )
    assert [t.lead for t in found] == ["các Sở GTVT"] * 2
    assert found[0].deadline.value == "2021-09-15" and found[1].deadline.kind == "none"


def test_a_number_in_words_counts_bodies_and_names_the_ministries() -> None:
    (t,) = tasks(
        "Hai bộ Tài chính, Kế hoạch và Đầu tư phối hợp các đơn vị liên quan rà soát nguồn vốn của dự án.\n"
    )
    assert t.lead_names == ["Bộ Tài chính", "Bộ Kế hoạch và Đầu tư"] and "multiple_leads" in t.issues


def test_a_page_that_prints_its_lead_twice_gives_one_task() -> None:
    body = "Ngày 5/8, UBND tỉnh yêu cầu Sở Y tế kiểm tra các cơ sở cách ly tập trung trên địa bàn.\n\n"
    assert len(tasks(body + body)) == 1


def test_a_meeting_held_a_caption_and_a_participants_summary_are_no_tasks() -> None:
    found = tasks(
        "UBND huyện tổ chức hội nghị thường kỳ tháng 7 và triển khai nhiệm vụ tháng 8.\n\n"
        "Đồng chí Lê Văn An, Giám đốc Sở Tài chính báo cáo tóm tắt tình hình thu ngân sách tháng 7.\n\n"
        "Đồng chí Trần Văn Bình – Chủ tịch UBND huyện kết luận hội nghị. Ảnh: Minh Hà.\n\n"
        "Kết luận hội nghị, Chủ tịch UBND huyện yêu cầu các phòng chuyên môn tập trung thu ngân sách.\n"
    )
    assert [t.lead for t in found] == ["các phòng chuyên môn"]


def test_a_verb_joined_to_an_account_in_the_past_is_in_the_past() -> None:
    found = tasks(
        "Trong tháng 7, UBND huyện đã triển khai các biện pháp phòng chống cháy rừng và chỉ đạo 2 xã còn lại "
        "hoàn thành tiêu chí nông thôn mới.\n"
    )
    assert found == []


def test_the_addressees_of_a_letter_cut_by_semicolons_are_no_subjects() -> None:
    found = tasks(
        "Theo công văn Sở Giáo dục gửi Trưởng phòng Giáo dục các huyện; Hiệu trưởng các trường Trung học phổ "
        "thông; Thủ trưởng các đơn vị trực thuộc Sở, đến nay vẫn còn nhiều đơn vị chưa nộp báo cáo.\n\n"
        "Vì vậy, Sở Giáo dục đề nghị thủ trưởng các đơn vị gửi báo cáo về Sở trước ngày 20/8/2021.\n"
    )
    assert [t.lead for t in found] == ["thủ trưởng các đơn vị"]


def test_a_time_adverbial_after_the_colon_leaves_the_subject_after_its_comma() -> None:
    (t,) = tasks(
        "Chủ tịch UBND tỉnh yêu cầu: từ ngày 01/9/2021 đến hết ngày 03/9/2021, các cơ quan, đơn vị bố trí lịch "
        "trực hợp lý, nắm chắc tình hình trên địa bàn.\n"
    )
    assert t.lead == "các cơ quan, đơn vị" and t.deadline.kind == "period"


def test_an_order_whose_performers_are_named_after_it_is_one_task() -> None:
    (t,) = tasks(
        "Rà soát, xử lý nghiêm các cơ sở kinh doanh karaoke hoạt động trái phép\n\n"
        "Đó là chỉ đạo của UBND tỉnh đối với Công an tỉnh, UBND các huyện, thành phố tại Công văn số 210/UBND-NC "
        "ngày 10/8/2021.\n"
    )
    assert t.text.startswith("Rà soát, xử lý nghiêm") and t.lead_names[0] == "Công an tỉnh"


def test_that_is_the_order_with_the_order_cut_away_is_no_task() -> None:
    found = tasks(
        "Đó là ý kiến chỉ đạo của Chủ tịch UBND tỉnh đối với Thủ trưởng các sở, ngành. Chủ tịch UBND tỉnh cũng "
        "yêu cầu Giám đốc Sở Nội vụ kiểm tra việc chấp hành giờ làm việc.\n",
        head="",
    )
    assert [t.lead for t in found] == ["Giám đốc Sở Nội vụ"]


# --- Session 9 (branch extcorpus) ----------------------------------------------------------------------------


def test_a_time_before_the_subject_keeps_the_task_when_a_later_clause_has_its_own() -> None:
    found = tasks(
        "Trong tháng 9/2021, Sở Y tế kiểm tra các cơ sở khám bệnh tư nhân; Sở Tài chính bố trí kinh phí kiểm tra."
    )
    assert [t.lead for t in found] == ["Sở Y tế", "Sở Tài chính"]
    assert found[0].deadline.value == "2021-09"


def test_an_action_line_ending_on_a_colon_heads_the_items_below() -> None:
    found = tasks(
        "UBND tỉnh giao Sở Y tế thực hiện các nội dung:\n"
        "- Kiểm tra các cơ sở khám bệnh tư nhân.\n"
        "- Bố trí nhân lực trực chống dịch trước ngày 30/9/2021.\n"
    )
    assert [(t.text.lstrip("- ")[:10], t.lead) for t in found] == [
        ("Kiểm tra c", "Sở Y tế"),
        ("Bố trí nhâ", "Sở Y tế"),  # "Bố" is no "Bộ": the tone marks tell them apart
    ]
    assert found[1].deadline.value == "2021-09-30"


@pytest.mark.parametrize(
    ("body", "lead"),
    [
        # a governor writing on a day
        (
            "Để phục vụ công tác điều hành, ngày 25/6/2021 Thống đốc Ngân hàng Nhà nước có công văn số "
            "5659/NHNN-CSTT yêu cầu các tổ chức tín dụng thực hiện báo cáo một số chỉ tiêu tín dụng.",
            "các tổ chức tín dụng",
        ),
        # an urgent dispatch sent to a body, its verb after the addressee
        (
            "Hôm qua (16/8), Bộ trưởng Bộ Lao động - Thương binh và Xã hội đã có điện khẩn gửi Sở Lao động - Thương "
            "binh và Xã hội các địa phương phối hợp với các cơ quan chức năng rà soát số hộ nghèo.",
            "Sở Lao động - Thương binh và Xã hội các địa phương",
        ),
    ],
)
def test_an_assigner_writing_on_a_day_gives_an_order(body: str, lead: str) -> None:
    assert [t.lead for t in tasks(body)] == [lead]


@pytest.mark.parametrize(
    ("text", "lead"),
    [
        # a text with no order of its own is about the order it reports, even told in the past
        (
            "Ông Trần Văn Nam, Giám đốc Sở Xây dựng, cho biết UBND tỉnh đã giao Thanh tra tỉnh rà soát "
            "toàn bộ hồ sơ dự án khu dân cư phía Nam.",
            "Thanh tra tỉnh",
        ),
        (
            "Tại phiên họp, Thủ tướng cho biết đã yêu cầu Bộ Công Thương xây dựng phương án bảo đảm nguồn "
            "cung xăng dầu.",
            "Bộ Công Thương",
        ),
        # the addressees of a letter issued or sent to them ("ban hành công văn gửi X yêu cầu …") must act
        (
            "Thủ tướng Chính phủ vừa ban hành công văn gửi các bộ, ngành, địa phương yêu cầu tăng cường "
            "kiểm tra, kiểm soát giá cả thị trường dịp cuối năm.",
            "các bộ, ngành, địa phương",
        ),
        (
            "Bộ Công Thương vừa có công văn gửi tới các Sở Công Thương đề nghị rà soát nguồn cung xăng dầu "
            "trên địa bàn.",
            "các Sở Công Thương",
        ),
        # a comma after the asking verb ("đề nghị, Sở X …") keeps the performer after it
        (
            "Bộ GD&ĐT đề nghị, Sở GD&ĐT phổ biến đến các đơn vị trực thuộc thông tin về văn bản giả mạo này.",
            "Sở GD&ĐT",
        ),
    ],
)
def test_a_news_item_reports_the_order_it_is_about(text: str, lead: str) -> None:
    (t,) = tasks(text, head="")
    assert t.lead == lead


def test_narrated_assignments_and_earlier_orders_are_not_tasks() -> None:
    # who was sent where is the meeting's narration, and an order dated in an earlier year a recital
    assert not tasks(
        "Lãnh đạo tỉnh đã phân công các đoàn công tác đến thăm, tặng quà các gia đình chính sách.", ""
    )
    assert not tasks("Năm 2020, UBND tỉnh đã chỉ đạo các huyện rà soát các công trình thủy lợi.", "")


def test_a_lead_paragraph_repeated_in_the_body_is_one_task() -> None:
    (t,) = tasks(
        "(Báo X) - Chính phủ chỉ đạo Bộ Tài chính nghiên cứu giải pháp kiểm soát giá cả theo cơ chế thị trường.\n\n"
        "Theo Nghị quyết phiên họp Chính phủ tháng 1, Chính phủ chỉ đạo Bộ Tài chính nghiên cứu giải pháp kiểm "
        "soát giá cả theo cơ chế thị trường, nhất là đối với điện, than, xăng dầu.",
        head="",
    )
    assert t.lead == "Bộ Tài chính" and "nhất là" in t.text
    # the same performer with other work is another task
    found = tasks(
        "UBND tỉnh yêu cầu Sở Y tế rà soát các khu cách ly tập trung trên địa bàn.\n\n"
        "UBND tỉnh yêu cầu Sở Y tế lập danh sách các khu cách ly tập trung, báo cáo trước ngày 20/8/2021."
    )
    assert [t.lead for t in found] == ["Sở Y tế", "Sở Y tế"]


def test_carrying_out_someone_elses_orders_named_only_by_their_letter_is_an_exhortation() -> None:
    assert not tasks(
        "Chủ tịch UBND huyện yêu cầu các cơ quan, đơn vị thực hiện nghiêm chỉ đạo của Thủ tướng Chính phủ tại "
        "Thông báo số 31/TB-VPCP ngày 25/2/2021 về phòng, chống dịch Covid-19."
    )
    # with work of its own, or a deadline, it is a task
    (t,) = tasks(
        "Chủ tịch UBND huyện yêu cầu các cơ quan, đơn vị thực hiện nghiêm chỉ đạo của Thủ tướng Chính phủ về "
        "phòng, chống dịch, báo cáo kết quả trước ngày 15/3/2021."
    )
    assert t.deadline.value == "2021-03-15"


def test_a_clause_fronted_before_the_assigner_keeps_the_order() -> None:
    # where, when or why, before the assigner's comma: the sentence is still the assigner's order
    (t,) = tasks(
        "Kiểm tra dự án cao tốc đoạn Nha Trang - Cam Lâm, Thủ tướng yêu cầu Ban Quản lý dự án 85 đẩy nhanh thi công."
    )
    assert t.lead == "Ban Quản lý dự án 85"
    (t,) = tasks("Chính vì thế, đại tá Việt yêu cầu Công an thành phố Đông Hà tăng cường tuần tra.")
    assert t.lead == "Công an thành phố Đông Hà"
    assert (
        len(tasks("Ngày 11/12, Phó Thủ tướng yêu cầu tập trung nguồn lực đầu tư để sớm hoàn thành dự án."))
        == 1
    )
    # an order already given in the fronted clause is not restated by a second assigner
    assert len(tasks("Sở Y tế yêu cầu các bệnh viện rà soát, UBND tỉnh nhấn mạnh việc này.")) <= 1


def test_a_title_the_page_prints_again_as_a_bullet_is_a_headline() -> None:
    page = (
        "Thủ tướng yêu cầu trước 15h hôm nay phải hoàn thành sơ tán dân cư\n\n"
        "  • Thủ tướng yêu cầu trước 15h hôm nay phải hoàn thành sơ tán dân cư\n\n"
        "Thủ tướng vừa ký công điện yêu cầu UBND các tỉnh ven biển tổ chức sơ tán dân cư tại khu vực nguy hiểm.\n"
    )
    (t,) = extract(page).tasks
    assert t.text.startswith("Thủ tướng vừa ký")


def test_an_execution_clause_in_its_other_wordings_is_no_task() -> None:
    assert not tasks(
        "Điều 3. Thủ trưởng các cơ quan: Văn phòng UBND tỉnh; các Sở, Ban, ngành thuộc UBND tỉnh; Chủ tịch UBND cấp "
        "huyện, cấp xã; các đơn vị liên quan căn cứ Quyết định thi hành./."
    )
    assert not tasks("Điều 3. Giám đốc Sở Nội vụ và các đơn vị có liên quan thi hành Quyết định này./.")


# --- Session 12 (branch extrules): orders with the performer left unsaid -------------------------------------


def test_a_superiors_request_with_no_performer_is_a_task_with_no_lead() -> None:
    (t,) = extract(
        "Bộ Công Thương đề nghị tăng cường kiểm tra các cửa hàng xăng dầu trong thời gian nghỉ lễ."
    ).tasks
    assert t.lead is None and "no_lead" in t.issues


def test_a_departments_own_proposal_with_no_performer_is_no_task() -> None:
    # a news item (no letterhead): the department speaks for itself
    assert (
        extract("Sở Công Thương đề nghị bổ sung kinh phí kiểm tra các cửa hàng xăng dầu năm 2022.").tasks
        == []
    )


def test_an_order_with_no_performer_after_a_fronted_circumstance_is_a_task() -> None:
    doc = extract(
        "Trước diễn biến phức tạp của mưa lũ, nhiều hồ chứa đã đầy nước, Bộ Nông nghiệp đề nghị tăng cường "
        "kiểm tra an toàn các hồ chứa nước."
    )
    (t,) = doc.tasks
    assert t.lead is None and "no_lead" in t.issues
    assert doc.text[t.start : t.end].startswith("Bộ Nông nghiệp đề nghị tăng cường")


def test_a_capitalised_word_after_the_request_is_a_body_not_the_work() -> None:
    """'đề nghị Nhân dân và yêu cầu các sở …': the public is named; no second task with no performer."""
    found = extract(
        "Chủ tịch UBND tỉnh đề nghị Nhân dân và yêu cầu các sở, ngành tiếp tục thực hiện các biện pháp "
        "phòng, chống dịch."
    ).tasks
    assert [t.lead for t in found] == ["các sở, ngành"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Thành phố Huế chính thức trở thành thành phố trực thuộc Trung ương từ ngày 01/01/2025.",
        "Hội Nông dân tỉnh hiện có 120.000 hội viên ở các cơ sở.",
        "Công an tỉnh đạt nhiều thành tích trong công tác đấu tranh phòng chống tội phạm năm 2023.",
        "UBND tỉnh Quảng Nam có 18 huyện, thị xã, thành phố.",
    ],
)
def test_what_a_body_is_has_or_has_achieved_is_no_task(sentence: str) -> None:
    assert tasks(sentence) == []


def test_a_body_given_work_in_the_passive_is_still_a_task() -> None:
    (t,) = tasks("Sở Y tế được giao chủ trì tổng hợp, báo cáo UBND tỉnh trước ngày 30/9/2021.")
    assert t.lead == "Sở Y tế"


def test_a_dated_passive_delivery_with_no_task_above_is_a_task_with_no_lead() -> None:
    (t,) = tasks("Danh sách các hộ đủ điều kiện hỗ trợ gửi về Phòng Lao động trước ngày 20/9/2021.")
    assert t.lead is None and "no_lead" in t.issues and t.deadline.value == "2021-09-20"


def test_a_report_cited_with_its_date_is_no_delivery() -> None:
    assert tasks("Báo cáo số 12/BC-UBND gửi Bộ Tài chính ngày 5/8/2021 đã nêu rõ các khó khăn.") == []


def test_a_bodys_staff_is_no_unit() -> None:
    """'Đội ngũ cán bộ …' (the corps of staff) is no team ('Đội Quản lý thị trường số 3' is one)."""
    assert tasks("Đội ngũ cán bộ y tế cơ sở thường xuyên được tập huấn, nâng cao năng lực chuyên môn.") == []
    (t,) = tasks("Đội Quản lý thị trường số 3 kiểm tra các cửa hàng trước ngày 30/9/2021.")
    assert t.lead == "Đội Quản lý thị trường số 3"


@pytest.mark.parametrize(
    "sentence",
    [
        "Sở Công Thương đề xuất các cửa hàng xăng dầu trên địa bàn mở cửa từ 6 giờ đến 22 giờ.",
        "Ủy ban MTTQ tỉnh kêu gọi các cơ quan, doanh nghiệp và nhà hảo tâm ủng hộ đồng bào bị lũ lụt.",
        "Hội Nông dân tỉnh kiến nghị các ngành chức năng sớm hỗ trợ giống cho bà con vùng bị ngập.",
    ],
)
def test_a_bodys_own_proposal_or_appeal_is_no_task(sentence: str) -> None:
    # The subject proposes upward or appeals to all: no one is ordered to do anything.
    found = tasks(sentence + "\n\nUBND tỉnh yêu cầu Sở Y tế rà soát các khu cách ly trước ngày 20/8/2021.")
    assert [t.lead for t in found] == ["Sở Y tế"]


def test_a_dated_proposal_in_the_orders_is_a_task() -> None:
    (t,) = tasks(
        "3. Sở Tài chính đề xuất phương án phân bổ kinh phí, báo cáo UBND tỉnh trước ngày 20/8/2021."
    )
    assert t.lead == "Sở Tài chính" and t.deadline.value == "2021-08-20"
