"""Structural classes of missed tasks (issue 17, session 13): performers named as one plural head over several
names, wards as an open class, obligation modals in a comma clause, and a speaker named by title whose speech gives
the orders. Examples written for these tests."""

from __future__ import annotations

from dondoc.drafting.extract import extract

HEAD = "ỦY BAN NHÂN DÂN\nTỈNH HÀ NAM\nSố: 77/UBND-TH\nHà Nam, ngày 03 tháng 3 năm 2023\n"


def tasks(body: str, head: str = HEAD):
    return extract(head + body).tasks


# --- performer grammar: one plural head shared by several names ("các sở A, B, C")


def test_a_plural_head_shared_by_several_names_is_a_list_of_performers() -> None:
    (t,) = tasks(
        "Các sở Tư pháp, Nội vụ, Tài chính rà soát các thủ tục hành chính còn chồng chéo, "
        "báo cáo UBND tỉnh trước ngày 20/3/2023."
    )
    assert t.lead == "Các sở Tư pháp, Nội vụ, Tài chính"
    assert len(t.lead_names) == 3 and "multiple_leads" in t.issues
    assert t.deadline.value == "2023-03-20"


def test_a_shared_head_after_an_asking_verb_names_every_performer() -> None:
    (t,) = tasks(
        "UBND tỉnh giao các Bộ Công Thương và Tài chính hướng dẫn doanh nghiệp kê khai giá xăng dầu."
    )
    assert t.lead == "các Bộ Công Thương và Tài chính" and len(t.lead_names) == 2


def test_a_plural_head_before_an_open_class_stays_an_open_class() -> None:
    (t,) = tasks("Các sở Y tế, ngành liên quan tăng cường kiểm tra an toàn thực phẩm tại các bếp ăn tập thể.")
    assert t.collective and "Y tế" in t.lead


# --- wards as an open class ("các phường"), told from "phương án", "phương tiện"


def test_wards_named_as_a_class_are_performers() -> None:
    (t,) = tasks(
        "Các phường tổ chức kiểm tra, lập danh sách các hộ kinh doanh chưa đăng ký thuế trong tháng 4/2023."
    )
    assert t.lead == "Các phường" and t.deadline.value == "2023-04"


def test_a_list_of_levels_ending_on_wards_is_one_class() -> None:
    (t,) = tasks("Các huyện, thị xã, phường tăng cường kiểm tra việc đổ thải trái phép ven đê.")
    assert t.lead == "Các huyện, thị xã, phường"


def test_vehicles_are_not_wards() -> None:
    assert tasks("Các phương tiện phải dừng lại để lực lượng chức năng kiểm tra tải trọng.") == []


# --- an obligation modal opens a comma clause on the performer before it


def test_a_modal_after_the_performer_makes_a_comma_clause_an_order() -> None:
    found = tasks(
        "Giám đốc Sở Y tế lưu ý trong dịp lễ, ngoài việc bảo đảm đủ cơ số thuốc, Trung tâm Y tế huyện "
        "cũng cần phải bố trí kíp trực cấp cứu 24/24 giờ."
    )
    assert [t.lead for t in found] == ["Trung tâm Y tế huyện"]


def test_a_modal_before_a_copula_is_no_order() -> None:
    assert tasks("Về lâu dài, các huyện cần phải là nơi giữ chân lao động trẻ của tỉnh.") == []


def test_a_modal_in_a_then_clause_is_no_order() -> None:
    assert tasks("Năm ngoái, các huyện phải tạm dừng tuyển sinh thì năm nay các trường đã mở lại.") == []


def test_a_modal_before_accountability_is_no_order() -> None:
    assert (
        tasks("Nếu chậm tiến độ, thủ trưởng các cơ quan, đơn vị phải chịu trách nhiệm trước UBND tỉnh.") == []
    )


def test_a_modal_inside_a_speakers_quotation_is_no_order() -> None:
    assert (
        tasks("“Năm nay, các chủ đầu tư phải giải ngân hết vốn, không để dồn cuối năm”, Chủ tịch tỉnh nói.")
        == []
    )


def test_cancu_is_not_a_modal() -> None:
    # "căn cứ" folds like "cần": the modal is read on the text with its tone marks
    (t,) = tasks(
        "Theo đó, các sở, ban, ngành, UBND các huyện căn cứ chức năng, nhiệm vụ triển khai thực hiện "
        "nghiêm kế hoạch này."
    )
    assert t.lead.startswith("các sở, ban, ngành")


# --- a speaker named by title after a form of address: the speech's own clauses name the performers


def test_a_speaker_named_by_title_is_not_the_performer_of_the_speech() -> None:
    (t,) = tasks(
        "Sau khi nghe báo cáo, đồng chí Bí thư Tỉnh ủy nhấn mạnh: mùa mưa năm nay đến sớm, vì vậy các huyện "
        "tập trung rà soát hệ thống đê điều, bố trí lực lượng trực ứng phó."
    )
    assert t.lead == "các huyện"


# --- a verb of announcing in series with the asking verb ("thông báo đề nghị"): the order is announced, not the
# closing "thông báo để … biết, thực hiện"


def test_an_order_announced_by_a_notice_is_a_task() -> None:
    (t,) = tasks(
        "UBND xã thông báo đề nghị các hộ dân thu xếp nhân lực, cày bừa giải phóng đất gieo trồng vụ đông "
        "trước ngày 15/9/2023."
    )
    assert t.lead == "các hộ dân" and t.deadline.value == "2023-09-15"


def test_a_notice_asking_only_to_know_and_follow_is_the_closing_formula() -> None:
    assert (
        tasks(
            "UBND phường thông báo đề nghị các cơ quan, đơn vị và toàn thể nhân dân trên địa bàn biết và "
            "thực hiện."
        )
        == []
    )


# --- deadline scope: the holiday a purpose clause serves, and a time line that names the task's activity


def test_the_holiday_named_in_a_purpose_intro_is_the_period() -> None:
    (t,) = tasks(
        "Nhằm bảo đảm an toàn giao thông cho người dân đón Tết Nguyên đán Quý Mão 2023, Công an tỉnh yêu cầu "
        "Công an các huyện tăng cường tuần tra, kiểm soát trên các tuyến quốc lộ."
    )
    assert t.deadline.kind == "period" and "2023-01..2023-03" in t.deadline.value


def test_a_holiday_without_its_year_is_not_a_period() -> None:
    (t,) = tasks("Sở Công Thương bảo đảm nguồn hàng thiết yếu để phục vụ Tết Nguyên đán cho công nhân.")
    assert t.deadline.kind == "none"


NOTICE = (
    "UBND xã thông báo thời gian treo cờ Tổ quốc như sau:\n"
    "Thời gian treo cờ Tổ quốc: Từ ngày 23/7/2023 đến hết ngày 27/7/2023.\n"
    "1. Đài truyền thanh xã thông tin nội dung thông báo này để nhân dân biết, thực hiện.\n"
    "2. Các cơ quan, đơn vị, trường học trên địa bàn xã thực hiện treo cờ Tổ quốc tại trụ sở làm việc.\n"
)


def test_a_time_line_naming_an_activity_dates_the_task_that_does_it() -> None:
    first, second = tasks(NOTICE)
    assert first.deadline.kind == "none"
    assert second.deadline.kind == "period" and second.deadline.value == "2023-07-23/2023-07-27"


def test_a_time_line_naming_the_activity_of_two_tasks_dates_neither() -> None:
    found = tasks(NOTICE + "3. Các thôn vận động hộ gia đình treo cờ Tổ quốc trên các trục đường chính.\n")
    assert [t.deadline.kind for t in found] == ["none", "none", "none"]


# --- the Party's secretaries as performers, and an assigner whose asking verb carries an aspect word


def test_the_secretary_of_each_committee_is_a_collective_performer() -> None:
    (t,) = tasks(
        "Bí thư cấp ủy chịu trách nhiệm chỉ đạo tổ chức học tập, quán triệt nghị quyết tới toàn thể đảng viên."
    )
    assert t.lead == "Bí thư cấp ủy" and t.collective


def test_a_secretary_asking_with_no_performer_is_the_assigner_not_the_performer() -> None:
    (t,) = tasks(
        "Bí thư Tỉnh ủy cũng yêu cầu đẩy nhanh thủ tục đầu tư để sớm khởi công các dự án hạ tầng trọng điểm."
    )
    assert t.lead is None and "no_lead" in t.issues


def test_an_aspect_word_before_the_asking_verb_keeps_the_assigner_out() -> None:
    (t,) = tasks(
        "Chủ tịch UBND tỉnh cũng yêu cầu đẩy nhanh thủ tục đầu tư để sớm khởi công các dự án hạ tầng trọng điểm."
    )
    assert t.lead is None


# --- the bodies asked after the asking verb's colon: a list cut by ";" is one subject over the duty lines below


def test_a_list_of_performers_cut_by_semicolons_after_the_colon_heads_the_duty_lines() -> None:
    found = tasks(
        "Chủ tịch UBND tỉnh yêu cầu: Các Sở: Tư pháp, Nội vụ, Tài chính; Công an tỉnh và UBND các huyện theo "
        "chức năng nhiệm vụ:\n"
        "Tiếp tục rà soát các thủ tục hành chính còn chồng chéo trên địa bàn tỉnh.\n"
        "Tăng cường kiểm tra việc tiếp nhận hồ sơ tại bộ phận một cửa.\n"
    )
    duties = [t for t in found if t.text.startswith(("Tiếp tục", "Tăng cường"))]
    assert len(duties) == 2
    for t in duties:
        assert (
            t.lead_names[:3] == ["Sở Tư pháp", "Sở Nội vụ", "Sở Tài chính"] and "Công an tỉnh" in t.lead_names
        )


def test_a_list_of_guests_cut_by_semicolons_is_no_performer() -> None:
    assert (
        tasks(
            "Chiều 17/11, Ban Thường trực Ủy ban MTTQ tỉnh đã tiếp đoàn đại biểu: Tỉnh ủy, HĐND, UBND tỉnh; các "
            "sở, ban, ngành; các cơ quan, đơn vị đến chúc mừng nhân dịp kỷ niệm ngày truyền thống."
        )
        == []
    )


# --- a headline run into its lede on one line: the paper's mark ("NĐO - ") opens the lede's sentence


def test_the_lede_after_a_papers_mark_inside_the_headline_line_is_read() -> None:
    found = extract(
        "Nam Định yêu cầu khắc phục ngay sai phạm tại dự án khu đô thị Thời sự NĐO - UBND tỉnh Nam Định vừa có "
        "công văn yêu cầu Công ty Cổ phần Phát triển nhà Sông Hồng và các sở ngành thực hiện nghiêm kết luận "
        "thanh tra về dự án khu đô thị.\n"
    ).tasks
    assert [t.lead_names for t in found] == [["Công ty Cổ phần Phát triển nhà Sông Hồng", "các sở ngành"]]
