"""Structural classes of the tuning part's remaining errors (issue 17, session 14): whole names of public bodies
outside Hanoi, and headers that introduce orders without being one. Examples written for these tests."""

from __future__ import annotations

from dondoc.drafting.extract import extract

HEAD = "ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\nSố: 77/UBND-TH\nNghệ An, ngày 03 tháng 3 năm 2023\n"


def tasks(body: str, head: str = HEAD):
    return extract(head + body).tasks


# --- performer grammar: a body's whole name, kept as an outside body


def test_troops_inside_a_command_s_name_do_not_start_a_ministry() -> None:
    (t,) = tasks("Giao Bộ Chỉ huy Bộ đội Biên phòng tỉnh chủ trì kiểm tra các tàu cá trước ngày 20/3/2023.")
    assert t.lead == "Bộ Chỉ huy Bộ đội Biên phòng tỉnh"
    assert [r.status for r in t.resolutions] == ["external"]


def test_the_border_guard_alone_is_one_body() -> None:
    (t,) = tasks("Yêu cầu Bộ đội Biên phòng tỉnh tổ chức theo dõi tàu thuyền đang hoạt động trên biển.")
    assert t.lead == "Bộ đội Biên phòng tỉnh"


def test_a_ministry_after_the_command_is_still_a_second_performer() -> None:
    (t,) = tasks("Giao Bộ Chỉ huy Quân sự tỉnh, Bộ Y tế phối hợp kiểm tra công tác phòng dịch.")
    assert len(t.lead_names) == 2


def test_the_last_name_word_keeps_its_second_syllable_before_the_verb() -> None:
    (t,) = tasks("Thủ tướng yêu cầu Bộ Văn hóa, Thể thao và Du lịch nâng cao hiệu quả quản lý lễ hội.")
    assert t.lead == "Bộ Văn hóa, Thể thao và Du lịch"
    assert [r.status for r in t.resolutions] == ["external"]


def test_a_second_syllable_is_not_taken_when_it_is_the_verb() -> None:
    (t,) = tasks("Yêu cầu Sở Y tế nâng cao chất lượng khám bệnh tại các trạm y tế xã.")
    assert t.lead == "Sở Y tế"


def test_a_board_s_fields_joined_by_and_are_one_name() -> None:
    (t,) = tasks(
        "Yêu cầu Ban Chỉ huy phòng chống thiên tai – Tìm kiếm cứu nạn và phòng thủ dân sự, các sở, ngành "
        "theo dõi chặt chẽ diễn biến thời tiết."
    )
    assert "Ban Chỉ huy phòng chống thiên tai – Tìm kiếm cứu nạn và phòng thủ dân sự" in t.lead_names


def test_a_district_office_of_every_district_is_an_open_class() -> None:
    (t,) = tasks(
        "Giao Phòng Lao động – Thương binh và Xã hội các huyện, thị xã, thành phố rà soát những nơi nước sâu, "
        "nguy hiểm để cảnh báo."
    )
    assert t.lead == "Phòng Lao động – Thương binh và Xã hội các huyện, thị xã, thành phố"
    assert t.collective


# --- headers: a line that introduces orders is not an order itself


def test_a_speaker_s_conclusions_header_is_not_a_task() -> None:
    assert tasks("Phó Chủ tịch UBND tỉnh Nguyễn Văn Bình kết luận như sau:") == []


def test_a_speaker_s_conclusions_header_leaves_the_items_their_own_performers() -> None:
    ts = tasks(
        "Chủ tịch UBND tỉnh kết luận như sau:\n"
        "1. Sở Tài chính rà soát nguồn vốn, báo cáo UBND tỉnh trước ngày 15/3/2023.\n"
        "2. Sở Xây dựng kiểm tra các công trình chậm tiến độ."
    )
    assert [t.lead for t in ts] == ["Sở Tài chính", "Sở Xây dựng"]


def test_a_performers_line_over_unmarked_duty_lines_heads_them() -> None:
    ts = tasks(
        "Chủ tịch UBND tỉnh yêu cầu: Các Sở: Tài chính, Xây dựng; Công an tỉnh theo chức năng nhiệm vụ:\n"
        "Tiếp tục thực hiện nghiêm các quy định pháp luật về khoáng sản.\n"
        "Tăng cường thanh tra, kiểm tra, xử lý các hành vi khai thác trái phép."
    )
    assert [t.text.split()[0] for t in ts] == ["Tiếp", "Tăng"]
    assert all("Công an tỉnh" in t.lead for t in ts)


def test_an_ordinary_line_after_such_a_header_is_not_taken_as_an_item() -> None:
    ts = tasks(
        "Chủ tịch UBND tỉnh yêu cầu: Các Sở: Tài chính, Xây dựng; Công an tỉnh theo chức năng nhiệm vụ:\n"
        "Tiếp tục thực hiện nghiêm các quy định pháp luật về khoáng sản.\n"
        "Năm 2022, toàn tỉnh thu ngân sách từ khoáng sản đạt 120 tỷ đồng."
    )
    assert len(ts) == 1


# --- deadlines: a season named as when to be most careful is not the work's period


def test_a_season_after_nhat_la_is_not_a_period() -> None:
    (t,) = tasks(
        "Giao Sở Y tế tăng cường kiểm tra an toàn thực phẩm, nhất là trong mùa mưa bão, báo cáo kết quả về "
        "UBND tỉnh."
    )
    assert t.deadline.kind == "none" and "no_deadline" in t.issues


def test_a_season_that_is_the_work_s_period_is_still_one() -> None:
    (t,) = tasks("Giao Sở Công Thương kiểm tra thị trường trong mùa mưa bão năm 2023.")
    assert t.deadline.kind == "period"


# --- duty lines with the performer inherited from the header above


def test_work_as_topic_then_a_modal_is_an_item_of_the_header() -> None:
    ts = tasks(
        "Sở Giáo dục và Đào tạo yêu cầu các đơn vị khẩn trương khắc phục một số nội dung sau:\n"
        "Việc tiếp nhận học sinh chuyển trường cần thực hiện đúng quy trình hướng dẫn của Sở.\n"
        "Tuyệt đối không được tự ý thu thêm các khoản ngoài quy định.\n"
        "Việc tổ chức dạy thêm, học thêm phải chấp hành nghiêm quy định của Bộ."
    )
    assert [t.text.split()[0] for t in ts] == ["Việc", "Tuyệt", "Việc"]
    assert all(t.lead == "các đơn vị" for t in ts)


def test_a_topic_line_with_a_copula_is_not_a_duty() -> None:
    ts = tasks(
        "Sở Giáo dục và Đào tạo yêu cầu các đơn vị khẩn trương khắc phục một số nội dung sau:\n"
        "Việc tiếp nhận học sinh chuyển trường cần thực hiện đúng quy trình hướng dẫn của Sở.\n"
        "Việc dạy thêm, học thêm phải là nhiệm vụ thường xuyên của ngành."
    )
    assert len(ts) == 1


def test_the_topic_duty_rule_fires_only_under_a_header() -> None:
    assert tasks("Việc tổ chức dạy thêm, học thêm phải chấp hành nghiêm quy định của Bộ.") == []


# --- spurious: requests upward and letters recited


def test_a_province_s_request_to_a_ministry_is_not_an_order() -> None:
    assert (
        tasks("UBND tỉnh Long An cũng đề nghị Bộ Giao thông vận tải hỗ trợ 2 phà 100 tấn cho bến phà mới.")
        == []
    )


def test_a_request_to_the_prime_minister_is_not_an_order() -> None:
    assert (
        tasks("Tỉnh đề nghị Thủ tướng xem xét, cho phép kéo dài thời gian thực hiện dự án đến năm 2024.")
        == []
    )


def test_a_ministry_s_request_to_a_province_is_still_an_order() -> None:
    (t,) = tasks("Bộ Y tế đề nghị UBND tỉnh Long An chỉ đạo các cơ sở y tế rà soát thuốc tồn kho.")
    assert t.lead == "UBND tỉnh Long An"


def test_a_letter_signed_and_sent_about_a_subject_is_not_an_order() -> None:
    assert (
        tasks(
            "Bộ trưởng Y tế Nguyễn Văn A vừa ký công văn gửi UBND các tỉnh, thành phố về việc hướng dẫn sắp xếp "
            "các cơ sở y tế tuyến xã."
        )
        == []
    )


def test_a_letter_sent_to_two_addressees_about_an_event_is_not_an_order() -> None:
    assert (
        tasks(
            "Bộ Y tế vừa có công văn hỏa tốc gửi Sở Y tế tỉnh Long An cùng Bệnh viện đa khoa Hoàn Mỹ liên quan tới "
            "sự cố y khoa tại bệnh viện."
        )
        == []
    )


def test_a_letter_that_asks_is_still_an_order() -> None:
    (t,) = tasks(
        "Bộ Y tế vừa có công văn gửi Sở Y tế tỉnh Long An yêu cầu kiểm tra, báo cáo vụ việc trước ngày 10/3/2023."
    )
    assert t.deadline.value == "2023-03-10"


# --- clause splitting: each dated delivery item is its own task


def test_two_dated_report_items_are_two_tasks() -> None:
    ts = tasks(
        "2. Thời hạn gửi báo cáo:\n"
        "- Báo cáo quý gửi về Sở Tài chính trước ngày 15/4/2023\n"
        "- Báo cáo năm gửi về Sở Tài chính trước ngày 15/01/2024."
    )
    assert [t.deadline.value for t in ts] == ["2023-04-15", "2024-01-15"]


def test_an_undated_line_after_a_dated_item_still_goes_with_it() -> None:
    ts = tasks(
        "2. Thời hạn gửi báo cáo:\n"
        "- Báo cáo quý gửi về Sở Tài chính trước ngày 15/4/2023\n"
        "- Báo cáo gửi kèm bản điện tử qua hộp thư công vụ."
    )
    assert len(ts) == 1


# --- assigners below a department, and the forest rangers' units


def test_a_sub_department_that_writes_asking_its_units_is_the_assigner() -> None:
    (t,) = tasks(
        "Chi cục Kiểm lâm vừa có công văn yêu cầu các Hạt Kiểm lâm địa phương tăng cường tuyên truyền, "
        "nâng cao nhận thức cho người dân về phòng cháy rừng."
    )
    assert t.lead == "các Hạt Kiểm lâm địa phương" and t.collective


def test_a_command_board_s_notice_asking_is_an_order() -> None:
    (t,) = tasks(
        "Ban Chỉ huy phòng chống thiên tai tỉnh đã có thông báo yêu cầu các ngành tiếp tục theo dõi chặt chẽ "
        "diễn biến của cơn bão."
    )
    assert t.lead == "các ngành"


def test_a_ranger_unit_of_every_place_is_an_open_class() -> None:
    (t,) = tasks("Yêu cầu Hạt Kiểm lâm các địa phương tổ chức tuần tra, canh gác lửa rừng 24/24 giờ.")
    assert t.lead == "Hạt Kiểm lâm các địa phương" and t.collective


def test_a_named_ranger_unit_is_one_body() -> None:
    (t,) = tasks("Giao Hạt Kiểm lâm huyện Quế Phong tổ chức tuần tra, canh gác lửa rừng 24/24 giờ.")
    assert t.lead == "Hạt Kiểm lâm huyện Quế Phong" and not t.collective
