"""The performer grammar beyond Hanoi (issue 17): a body's name with its province, boards and teams named in small
letters, the verb "tổ chức" after an open class, outside bodies resolved as outside, not unknown. Examples written
for these tests."""

from __future__ import annotations

import pytest

from dondoc.drafting.extract import extract
from dondoc.drafting.registry import get_registry

HEAD = "ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\nSố: 123/UBND-KT\nNghệ An, ngày 10 tháng 3 năm 2021\n"


def lead(body: str) -> tuple[str | None, list[tuple[str, str]]]:
    (t,) = extract(HEAD + body).tasks
    return t.lead, [(r.name, r.status) for r in t.resolutions]


def test_a_department_keeps_its_province() -> None:
    assert lead(
        "Giao Sở Tài chính tỉnh Thanh Hóa chủ trì rà soát, báo cáo UBND tỉnh trước ngày 20/3/2021."
    ) == (
        "Sở Tài chính tỉnh Thanh Hóa",
        [("Sở Tài chính tỉnh Thanh Hóa", "external")],
    )


def test_a_boards_name_runs_through_its_function_and_field() -> None:
    # What the board is for in small letters ("chỉ đạo", "cán sự"), its field with words that end a name elsewhere
    # ("thiên tai", "tiến bộ", "phát triển"), "phòng, chống" with its comma, an acronym in brackets.
    assert lead("Ban chỉ đạo Tổng điều tra dân số tỉnh tổ chức tập huấn trước ngày 30/3/2021.")[0] == (
        "Ban chỉ đạo Tổng điều tra dân số tỉnh"
    )
    assert lead("Ban vì sự tiến bộ phụ nữ tỉnh tổ chức hội nghị trước ngày 30/3/2021.")[0] == (
        "Ban vì sự tiến bộ phụ nữ tỉnh"
    )
    assert lead(
        "Tổng Công ty Đầu tư phát triển đường cao tốc Việt Nam (VEC) khẩn trương sửa chữa mặt đường trước ngày "
        "30/4/2021."
    )[0] == ("Tổng Công ty Đầu tư phát triển đường cao tốc Việt Nam (VEC)")
    (t,) = extract(
        HEAD
        + "Yêu cầu Ban Chỉ huy phòng, chống thiên tai và tìm kiếm cứu nạn các tỉnh, thành phố chủ động sơ "
        "tán dân trước ngày 30/3/2021."
    ).tasks
    assert t.lead == "Ban Chỉ huy phòng, chống thiên tai và tìm kiếm cứu nạn các tỉnh, thành phố"
    assert "collective_lead" in t.issues  # the board of every such province: an open class
    (t,) = extract(HEAD + "Giao Ban cán sự các thôn tuyên truyền cho nhân dân trước ngày 30/3/2021.").tasks
    assert t.lead == "Ban cán sự các thôn" and "collective_lead" in t.issues


def test_an_inspectorate_or_office_of_a_ministry_is_one_outside_body() -> None:
    name, res = lead(
        "Giao Thanh tra Bộ Giao thông vận tải kiểm tra các trung tâm đăng kiểm trước ngày 30/4/2021."
    )
    assert name == "Thanh tra Bộ Giao thông vận tải" and res == [
        ("Thanh tra Bộ Giao thông vận tải", "external")
    ]
    assert lead("Văn phòng Bộ Y tế tổng hợp ý kiến, báo cáo Bộ trưởng trước ngày 30/4/2021.")[0] == (
        "Văn phòng Bộ Y tế"
    )


def test_a_short_name_after_its_open_class_stands_for_the_class() -> None:
    first, second = extract(
        HEAD
        + "Tổng cục Đường bộ Việt Nam đề nghị Sở GTVT các tỉnh, thành phố tăng cường bảo trì đường bộ trước "
        "ngày 30/4/2021. Sở GTVT cần tổ chức trực đường dây nóng trong dịp Tết Nguyên đán năm 2022."
    ).tasks
    assert first.lead == "Sở GTVT các tỉnh, thành phố" and "collective_lead" in first.issues
    # Not the city's own department (nor its successor): every province's, as named above.
    assert [r.status for r in second.resolutions] == ["collective"] and "collective_lead" in second.issues


def test_the_performer_after_chi_dao_ro_or_cho() -> None:
    # "chỉ đạo rõ X phải …", "chỉ đạo cho X …": the body directed, not the speaker before the verb.
    (t,) = extract(
        HEAD
        + "Về vụ việc trên, Chủ tịch UBND tỉnh chỉ đạo rõ Sở Tài nguyên và Môi trường phải xử lý nghiêm các "
        "vi phạm trước ngày 30/4/2021."
    ).tasks
    assert t.lead == "Sở Tài nguyên và Môi trường"


def test_a_persons_concurrent_board_office_is_no_second_performer() -> None:
    (t,) = extract(
        HEAD
        + "UBND tỉnh giao Cục trưởng Cục Quản lý thị trường tỉnh, Phó Trưởng ban Thường trực Ban Chỉ đạo 389 "
        "tỉnh chỉ đạo tăng cường kiểm tra thị trường trước ngày 30/4/2021."
    ).tasks
    assert t.lead_names == ["Cục trưởng Cục Quản lý thị trường tỉnh"] and "multiple_leads" not in t.issues
    # Two people, each by the title of their own body, are two performers.
    (t,) = extract(HEAD + "Giao Giám đốc Sở Y tế, Giám đốc Sở Tài chính kiểm tra trước ngày 30/4/2021.").tasks
    assert len(t.lead_names) == 2 and "multiple_leads" in t.issues


def test_public_service_units_under_the_council_are_one_open_class() -> None:
    (t,) = extract(
        HEAD
        + "Chủ tịch UBND tỉnh chỉ đạo thủ trưởng các sở, ban ngành, đơn vị sự nghiệp công lập trực thuộc UBND "
        "tỉnh; Chủ tịch UBND các huyện, thành phố khẩn trương xây dựng chương trình hành động trong quý II/2021."
    ).tasks
    assert t.lead_names[0] == "thủ trưởng các sở, ban ngành, đơn vị sự nghiệp công lập trực thuộc UBND tỉnh"
    assert len(t.lead_names) == 2


def test_the_texts_own_province_by_its_level_word() -> None:
    assert lead("Thanh tra tỉnh chủ trì kiểm tra việc thực hiện, báo cáo UBND tỉnh trước 30/6/2021.")[0] == (
        "Thanh tra tỉnh"
    )


def test_a_board_named_in_small_letters() -> None:
    assert lead("Ban Chỉ đạo phòng chống dịch tỉnh chỉ đạo triển khai các biện pháp trong tháng 4/2021.")[
        0
    ] == ("Ban Chỉ đạo phòng chống dịch tỉnh")
    name, res = lead("Ban Quản lý các khu công nghiệp tỉnh rà soát, báo cáo trước ngày 25/3/2021.")
    assert name == "Ban Quản lý các khu công nghiệp tỉnh"
    assert res[0][1] == "external"  # "các khu công nghiệp" is what it manages, not an open class
    assert lead("Cục Quản lý thị trường tỉnh chủ trì kiểm tra, báo cáo trước 30/4/2021.")[0] == (
        "Cục Quản lý thị trường tỉnh"
    )


def test_a_station_with_a_two_syllable_last_word() -> None:
    assert lead("Đài Phát thanh và Truyền hình tỉnh tăng cường tuyên truyền trong tháng 4/2021.")[0] == (
        "Đài Phát thanh và Truyền hình tỉnh"
    )


def test_to_chuc_after_an_open_class_is_the_verb() -> None:
    name, _ = lead(
        "Thủ trưởng các sở, ban, ngành và Chủ tịch UBND các huyện, thành phố, thị xã tổ chức quán triệt "
        "nội dung Chỉ thị này trong tháng 4/2021."
    )
    assert name == "Thủ trưởng các sở, ban, ngành và Chủ tịch UBND các huyện, thành phố, thị xã"


def test_cac_to_chuc_is_the_body() -> None:
    name, _ = lead(
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức chính trị - xã hội tuyên truyền vận động "
        "nhân dân trong tháng 4/2021."
    )
    assert name == "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức chính trị - xã hội"


@pytest.mark.parametrize(
    ("written", "status"),
    [
        ("Đoàn thanh niên", "external"),
        ("Tỉnh Đoàn", "external"),
        ("Chi cục Kiểm lâm", "external"),
        ("Trường Đại học Vinh", "external"),
        ("Ban Quản lý các khu công nghiệp tỉnh", "external"),
        ("Sở GTVT các tỉnh", "collective"),
        ("Cục Thuế các tỉnh, thành phố", "collective"),
        ("Đoàn thanh niên các cấp", "collective"),
    ],
)
def test_outside_bodies_and_open_classes(written: str, status: str) -> None:
    assert get_registry().resolve(written).status == status


def test_one_head_for_several_places() -> None:
    (t,) = extract(HEAD + "Giao UBND tỉnh Hà Tĩnh, Quảng Bình kiểm tra các cơ sở trước ngày 30/4/2021.").tasks
    assert t.lead_names == ["UBND tỉnh Hà Tĩnh", "UBND tỉnh Quảng Bình"] and "multiple_leads" in t.issues
    (t,) = extract(HEAD + "Đề nghị UBND thành phố Hà Nội, Hải Phòng kiểm tra trước ngày 30/4/2021.").tasks
    assert t.lead_names == ["UBND thành phố Hà Nội", "UBND thành phố Hải Phòng"]
    (t,) = extract(HEAD + "UBND tỉnh Hà Tĩnh, Quảng Bình và Quảng Trị tăng cường kiểm tra các cơ sở.").tasks
    assert t.lead_names == ["UBND tỉnh Hà Tĩnh", "UBND tỉnh Quảng Bình", "UBND tỉnh Quảng Trị"]
    # the fields of one name stay one name
    (t,) = extract(HEAD + "Giao Sở Văn hóa, Thể thao và Du lịch tỉnh kiểm tra trước ngày 30/4/2021.").tasks
    assert t.lead_names == ["Sở Văn hóa, Thể thao và Du lịch tỉnh"]


def test_an_abbreviation_inside_a_department_name() -> None:
    res = get_registry().resolve("Sở Nông nghiệp và PTNT")
    assert (res.status, res.name) == ("successor", "Sở Nông nghiệp và Môi trường")
    assert get_registry().resolve("Bộ Nông nghiệp và PTNT").name == "Bộ Nông nghiệp và Phát triển nông thôn"


def test_a_person_named_with_the_office_they_hold() -> None:
    for body, unit in (
        (
            "Giao đồng chí Nguyễn Văn An, Phó Chủ tịch UBND tỉnh chỉ đạo kiểm tra, báo cáo trước ngày 30/4/2021.",
            "UBND tỉnh",
        ),
        (
            "Đồng chí Nguyễn Văn An, Giám đốc Sở Y tế chịu trách nhiệm kiểm tra các cơ sở trong tháng 4/2021.",
            "Sở Y tế",
        ),
        ("Đồng chí Giám đốc Sở Y tế tổ chức kiểm tra các cơ sở trong tháng 4/2021.", "Sở Y tế"),
    ):
        (t,) = extract(HEAD + body).tasks
        assert [r.name for r in t.resolutions] == [unit], body


def test_a_bare_head_names_the_body_of_that_kind_named_last() -> None:
    (t,) = extract(
        HEAD
        + "Văn phòng Chính phủ nhận được văn bản của Bộ Y tế về phòng chống dịch. Phó Thủ tướng yêu cầu Bộ "
        "tổ chức hội nghị trực tuyến trong tháng 4/2021."
    ).tasks
    assert t.lead == "Bộ" and [r.name for r in t.resolutions] == ["Bộ Y tế"]
    (t,) = extract(HEAD + "Giao Sở kiểm tra các cơ sở trong tháng 4/2021.").tasks
    assert [r.name for r in t.resolutions] == ["Sở"]  # nothing named before: left as written


def test_another_city_written_tp_is_outside_hanoi() -> None:
    assert get_registry().resolve("UBND TP Hồ Chí Minh").status == "external"
    (t,) = extract(HEAD + "Giao UBND TP. Hồ Chí Minh kiểm tra, báo cáo trước ngày 30/4/2021.").tasks
    assert [(r.name, r.status) for r in t.resolutions] == [("UBND TP. Hồ Chí Minh", "external")]


def test_a_boards_name_ends_at_its_province() -> None:
    assert lead("Giao Cục Thống kê tỉnh thu thập số liệu trong quý II/2021.")[0] == "Cục Thống kê tỉnh"


def test_a_names_first_word_keeps_its_second_syllable() -> None:
    # "tiến" is also the verb "tiến hành"; right after the head it ends the name's first word.
    assert lead("Giao Ban Xúc tiến và Hỗ trợ đầu tư tỉnh nghiên cứu cơ chế, báo cáo trước ngày 30/4/2021.")[
        0
    ] == ("Ban Xúc tiến và Hỗ trợ đầu tư tỉnh")
    # After a place name, the small word is the verb.
    assert (
        lead("UBND tỉnh Quảng Ninh chủ trì kiểm tra, báo cáo trước ngày 30/4/2021.")[0]
        == "UBND tỉnh Quảng Ninh"
    )


def test_the_assigners_name_ends_at_the_verb() -> None:
    # "Giám đốc Sở X Nguyễn Văn A yêu cầu hiệu trưởng các trường ...": the principals lead, not the director.
    t = extract(
        HEAD
        + "Giám đốc Sở Giáo dục và Đào tạo Trần Văn Bình yêu cầu hiệu trưởng các trường THPT tổ chức tiếp "
        "nhận học sinh trước ngày 30/6/2021."
    ).tasks[0]
    assert t.lead is not None and t.lead.startswith("hiệu trưởng các trường THPT")


def test_a_district_office_named_in_small_letters_with_its_departments_name() -> None:
    (t,) = extract(
        HEAD
        + "Giao Công an tỉnh chủ trì, phối hợp với phòng Nông nghiệp và Phát triển nông thôn huyện Yên Thành "
        "kiểm tra, báo cáo trước ngày 30/4/2021."
    ).tasks
    assert t.coordinators == ["phòng Nông nghiệp và Phát triển nông thôn huyện Yên Thành"]
    # "phòng" before a word in capitals that is no name ("phòng COVID-19", prevention) is no office.
    (t,) = extract(
        HEAD
        + "Giao Sở Y tế chủ trì công tác phòng COVID-19, phối hợp với sở Giáo dục và Đào tạo kiểm tra các "
        "trường trước ngày 30/4/2021."
    ).tasks
    assert t.coordinators == ["sở Giáo dục và Đào tạo"]


def test_sibling_councils_of_other_levels_are_one_coordinator_as_written() -> None:
    (t,) = extract(
        HEAD
        + "Giao Sở Xây dựng chủ trì, phối hợp với UBND huyện Nghi Lộc, TP Vinh, thị xã Cửa Lò kiểm tra các "
        "công trình trước ngày 30/4/2021."
    ).tasks
    assert t.coordinators == ["UBND huyện Nghi Lộc, TP Vinh, thị xã Cửa Lò"]


def test_a_city_named_alone_is_a_body() -> None:
    (t,) = extract(
        HEAD + "Thủ tướng yêu cầu Bộ Y tế phối hợp với TP.HCM xét nghiệm diện rộng trong tháng 4/2021."
    ).tasks
    assert t.lead == "Bộ Y tế" and t.coordinators == ["TP.HCM"]
    (t,) = extract(
        HEAD + "Bộ Y tế phối hợp với Thành phố Hồ Chí Minh xét nghiệm diện rộng trong tháng 4/2021."
    ).tasks
    assert t.coordinators == ["Thành phố Hồ Chí Minh"]
    # A department's city is part of its name: the proposal to the city is still no assignment.
    doc = extract(HEAD + "Sở Xây dựng TP.HCM đề xuất UBND TP giao UBND cấp xã quản lý trật tự xây dựng.")
    assert doc.tasks == []


def test_a_board_named_with_its_parent_after_a_dash() -> None:
    (t,) = extract(
        HEAD
        + "Giao Sở Xây dựng chủ trì, phối hợp với Ban Quản lý dự án 85 - Bộ GTVT kiểm tra các công trình "
        "trước ngày 30/4/2021."
    ).tasks
    assert t.coordinators == ["Ban Quản lý dự án 85 - Bộ GTVT"]


def test_coordinators_of_a_later_clause_after_the_submission() -> None:
    (t,) = extract(
        HEAD
        + "Bộ Công Thương khẩn trương trình Chính phủ phương án thúc đẩy xuất khẩu; chủ trì, phối hợp với "
        "các bộ, ngành liên quan có biện pháp giảm giá thịt lợn trong quý II/2021."
    ).tasks
    assert t.coordinators == ["các bộ, ngành liên quan"]


def test_a_party_group_of_a_body_and_a_project_role_are_one_performer() -> None:
    (t,) = extract(
        HEAD + "Ban Cán sự đảng UBND tỉnh chỉ đạo rà soát các dự án chậm tiến độ trong tháng 4/2021."
    ).tasks
    assert t.lead == "Ban Cán sự đảng UBND tỉnh" and not t.collective
    (t,) = extract(HEAD + "Đơn vị tư vấn phải hoàn thành hồ sơ thiết kế trước ngày 15/6/2021.").tasks
    assert t.lead == "Đơn vị tư vấn" and "collective_lead" not in t.issues


def test_the_coordination_of_a_body_the_lead_guides_is_not_the_leads() -> None:
    (t,) = extract(
        HEAD
        + "Giao UBND các huyện kiểm tra các địa bàn phức tạp; ở các địa bàn còn lại, hướng dẫn UBND cấp xã "
        "phối hợp các ngành, đơn vị có liên quan tự kiểm tra, xong trước ngày 30/4/2021."
    ).tasks
    assert t.coordinators == []
    (t,) = extract(
        HEAD + "Giao Sở Xây dựng hướng dẫn, phối hợp với Sở Tài chính kiểm tra trước ngày 30/4/2021."
    ).tasks
    assert t.coordinators == ["Sở Tài chính"]


def test_mass_organisations_are_bodies() -> None:
    (t,) = extract(
        HEAD + "Đề nghị Tỉnh đoàn, Hội Liên hiệp Phụ nữ tỉnh phối hợp tuyên truyền trong năm 2021."
    ).tasks
    assert t.lead_names == ["Tỉnh đoàn", "Hội Liên hiệp Phụ nữ tỉnh"] and "multiple_leads" in t.issues
    (t,) = extract(
        HEAD
        + "Giao Sở Y tế chủ trì, phối hợp với Hội Nông dân tỉnh, Liên đoàn Lao động tỉnh tuyên truyền trong "
        "tháng 7/2021."
    ).tasks
    assert t.coordinators == ["Hội Nông dân tỉnh", "Liên đoàn Lao động tỉnh"]


def test_who_leads_when_a_body_directs_another() -> None:
    def leads(body: str) -> list[list[str]]:
        return [t.lead_names for t in extract(body).tasks]

    # The district writing its own letter ("UBND huyện", no name) directs the communes: they lead.
    assert leads("UBND huyện chỉ đạo UBND các xã rà soát hộ nghèo trong tháng 6/2021.") == [["UBND các xã"]]
    # A named district directing its communes is reported: its own task is to direct them (GUIDE §4.2).
    assert leads("UBND huyện Gia Lâm chỉ đạo UBND các xã rà soát hộ nghèo trong tháng 6/2021.") == [
        ["UBND huyện Gia Lâm"]
    ]
    # The province directs its department: the department leads.
    assert leads("UBND tỉnh chỉ đạo Sở Y tế kiểm tra các cơ sở trong tháng 6/2021.") == [["Sở Y tế"]]


# --- Session 8 (branch extcorpus): names written in small letters ---------------------------------------------


def test_centres_and_general_departments_are_named_in_small_letters() -> None:
    doc = extract(
        "Giao Trung tâm Cung ứng dịch vụ công thường xuyên cập nhật thông tin.\n\n"
        "Bộ Công Thương yêu cầu Tổng cục Quản lý thị trường tăng cường kiểm tra hàng hóa nhập lậu.\n"
    )
    assert [t.lead for t in doc.tasks] == ["Trung tâm Cung ứng dịch vụ công", "Tổng cục Quản lý thị trường"]


def test_a_class_named_with_and_and_second_syllables_runs_to_its_end() -> None:
    doc = extract(
        "Sở Giáo dục và Đào tạo đề nghị các phòng Giáo dục và Đào tạo các huyện cho học sinh nghỉ học "
        "đến hết ngày 10/10/2020.\n"
    )
    assert doc.tasks[0].lead == "các phòng Giáo dục và Đào tạo các huyện"


def test_a_capitalised_adverb_ends_the_name_and_nang_is_no_chuc_nang() -> None:
    doc = extract(
        "Giao Sở Nông nghiệp và Phát triển nông thôn Thường xuyên tổng hợp tình hình hạn hán.\n\n"
        "Yêu cầu các cơ quan, UBND các xã, thị trấn nâng cao mức cảnh báo phòng chống dịch.\n"
    )
    assert [t.lead for t in doc.tasks] == [
        "Sở Nông nghiệp và Phát triển nông thôn",
        "các cơ quan, UBND các xã, thị trấn",
    ]


def test_a_title_with_a_level_word_is_the_assigner_not_the_performer() -> None:
    doc = extract("Chủ tịch tỉnh yêu cầu kiểm điểm trách nhiệm của Trưởng phòng Nông nghiệp huyện này.\n")
    (t,) = doc.tasks
    assert t.lead is None and "no_lead" in t.issues


# --- Session 9 (branch extcorpus): a place named alone as the performer -------------------------------------------


@pytest.mark.parametrize(
    ("text", "performer"),
    [
        # a level word and the place's name, after the asking verb: the place's government is asked
        (
            "Bộ Y tế đề nghị tỉnh Quảng Bình tăng cường năng lực xét nghiệm lên 3.000 mẫu/ngày.",
            "tỉnh Quảng Bình",
        ),
        (
            "Sở Tài nguyên và Môi trường đề nghị huyện Lạc Dương rà soát, báo cáo về Sở trước ngày 20/11.",
            "huyện Lạc Dương",
        ),
        (
            "Thủ tướng yêu cầu thành phố Cần Thơ khẩn trương hoàn thành dự án trong quý II/2022.",
            "thành phố Cần Thơ",
        ),
        # a place's name alone, capitalised, with its verb after it
        (
            "Ngày 14/10, Bộ trưởng Bộ Xây dựng đề nghị Đà Nẵng xem xét điều chỉnh quy hoạch khu vực ven biển.",
            "Đà Nẵng",
        ),
    ],
)
def test_a_place_named_alone_after_the_asking_verb_is_the_performer(text: str, performer: str) -> None:
    (t,) = extract(text + "\n").tasks
    assert t.lead == performer


def test_a_place_after_a_preposition_is_no_performer() -> None:
    # "tại tỉnh Quảng Bình" is where the work is done; the performer is the department named before it
    (t,) = extract("Giao Sở Y tế kiểm tra các cơ sở tại tỉnh Quảng Bình trong tháng 5/2022.\n").tasks
    assert t.lead == "Sở Y tế"


def test_a_head_in_small_letters_before_an_open_class_is_that_class() -> None:
    (t,) = extract(
        "Bộ Công an yêu cầu công an các đơn vị, địa phương tiếp tục triển khai các phương án bảo đảm an ninh.\n"
    ).tasks
    assert t.lead == "công an các đơn vị, địa phương" and "collective_lead" in t.issues


def test_a_whole_sector_is_an_open_class() -> None:
    (t,) = extract(
        "Bộ Y tế yêu cầu toàn Ngành Y tế chủ động xây dựng phương án bảo vệ cơ sở y tế trong tình huống khẩn cấp.\n"
    ).tasks
    assert t.lead == "toàn Ngành Y tế" and "collective_lead" in t.issues


def test_a_party_group_of_a_body_after_the_asking_verb_is_the_performer() -> None:
    (t,) = extract(
        "Ban Thường vụ Tỉnh uỷ giao Đảng đoàn Hội Nông dân tỉnh chỉ đạo việc xây dựng kế hoạch tổ chức đại hội.\n"
    ).tasks
    assert t.lead == "Đảng đoàn Hội Nông dân tỉnh"


@pytest.mark.parametrize(
    "item",
    [
        "Bàn giao mặt bằng cho chủ đầu tư trước ngày 30/6/2021.",  # "Bàn", not "Ban"
        "Bản đồ hiện trạng phải được hoàn thành trước ngày 15/7/2021.",  # "Bản", not "Ban"
        "Đại hội chi bộ các thôn hoàn thành trong quý II/2021.",  # "Đại", not "Đài"
        "Phòng chống dịch bệnh theo hướng dẫn của Bộ Y tế.",  # the verb "phòng" before a small word
    ],
)
def test_words_spelt_like_a_head_are_no_performer(item: str) -> None:
    found = extract("Giao UBND huyện Hải Hậu thực hiện các nội dung sau:\n- " + item + "\n").tasks
    assert [t.lead for t in found] == ["UBND huyện Hải Hậu"]


def test_public_service_units_are_an_open_class_of_performers() -> None:
    # "đơn vị sự nghiệp công lập" is one kind of body: the list goes on after it, over the semicolon
    (t,) = extract(
        "Chủ tịch UBND tỉnh chỉ đạo thủ trưởng các sở, ban ngành, đơn vị sự nghiệp công lập trực thuộc UBND tỉnh; "
        "Chủ tịch UBND các huyện, thành phố khẩn trương xây dựng các đề án."
    ).tasks
    assert t.lead_names[0] == "thủ trưởng các sở, ban ngành, đơn vị sự nghiệp công lập trực thuộc UBND tỉnh"
    assert len(t.lead_names) == 2


def test_a_second_syllable_spelt_unlike_the_verb_stays_in_the_name() -> None:
    # "giáo" is not the verb "giao": the board's name goes on to its committee
    assert lead("Ban Tuyên giáo Quận ủy chủ trì tuyên truyền Nghị quyết trong cán bộ, đảng viên.")[0] == (
        "Ban Tuyên giáo Quận ủy"
    )
    assert (
        lead("Ban Tuyên giáo chủ trì tuyên truyền Nghị quyết trong cán bộ, đảng viên.")[0] == "Ban Tuyên giáo"
    )
    # spelt as the verb, it is the verb
    assert lead("Sở Tài chính giao Phòng Kế hoạch rà soát các khoản chi thường xuyên.")[0] == "Phòng Kế hoạch"


def test_a_small_syllable_before_an_asking_verb_is_in_the_assigners_name() -> None:
    # "Ban Bí thư yêu cầu …" with no performer after it: "thư" is the name's, the assigner is no lead
    (t,) = extract(
        HEAD + "Bộ Chính trị, Ban Bí thư yêu cầu xây dựng đề án thành lập đảng bộ mới của tỉnh."
    ).tasks
    assert t.lead is None


# --- Session 12 (branch extrules) ------------------------------------------------------------------------------


def test_a_boards_long_name_in_small_letters_is_kept_whole() -> None:
    (t,) = extract(
        HEAD
        + "Yêu cầu Ban Chỉ huy phòng chống thiên tai và tìm kiếm cứu nạn tỉnh kiểm tra các hồ đập xung yếu."
    ).tasks
    assert t.lead == "Ban Chỉ huy phòng chống thiên tai và tìm kiếm cứu nạn tỉnh"


@pytest.mark.parametrize(
    "role",
    [
        "nhà thầu",
        "chủ đầu tư",
        "các nhà thầu",
        "các hộ gia đình",
        # the staff asked as a class, one list of roles
        "cán bộ, công chức, viên chức",
        "cán bộ, công chức và người lao động",
    ],
)
def test_a_projects_party_asked_by_its_role_is_an_open_class_lead(role: str) -> None:
    (t,) = extract(f"Thủ tướng yêu cầu {role} đẩy nhanh thi công công trình cầu vượt trong năm 2024.").tasks
    assert t.lead == role and "collective_lead" in t.issues


def test_an_open_class_goes_on_with_kinds_beyond_the_administration() -> None:
    (t,) = extract(
        "UBND tỉnh yêu cầu các cơ quan, tổ chức, doanh nghiệp, trường học thực hiện tổng vệ sinh môi trường "
        "trong tháng 5/2024."
    ).tasks
    assert t.lead == "các cơ quan, tổ chức, doanh nghiệp, trường học" and "collective_lead" in t.issues


@pytest.mark.parametrize(
    ("sentence", "performer"),
    [
        ("UBND huyện yêu cầu mỗi xã phải xây dựng ít nhất một mô hình điểm trong năm 2024.", "mỗi xã"),
        ("Mỗi cơ quan, đơn vị phải cử một cán bộ đầu mối trước ngày 15/9/2024.", "Mỗi cơ quan, đơn vị"),
    ],
)
def test_each_body_of_a_class_is_an_open_class_lead(sentence: str, performer: str) -> None:
    (t,) = extract(sentence).tasks
    assert t.lead == performer and "collective_lead" in t.issues


@pytest.mark.parametrize(
    ("sentence", "performer", "status"),
    [
        (
            "Bộ Y tế yêu cầu sở y tế các tỉnh, thành phố tổ chức trực cấp cứu 24/24 giờ trong dịp nghỉ lễ.",
            "sở y tế các tỉnh, thành phố",
            "collective",
        ),
        (
            "Bộ Công Thương chỉ đạo cục quản lý thị trường các địa phương kiểm tra hàng hóa dịp Tết.",
            "cục quản lý thị trường các địa phương",
            "collective",
        ),
        (
            "Bộ Tài chính yêu cầu sở tài chính tỉnh Nghệ An rà soát dự toán năm 2021.",
            "sở tài chính tỉnh Nghệ An",
            "external",
        ),
        (
            "Thống đốc yêu cầu Ngân hàng Nhà nước chi nhánh tỉnh Bình Định rà soát các phòng giao dịch trước ngày "
            "30/6/2021.",
            "Ngân hàng Nhà nước chi nhánh tỉnh Bình Định",
            "external",
        ),
        (
            "Bộ Tài chính yêu cầu Kho bạc Nhà nước chi nhánh các tỉnh, thành phố đối chiếu số liệu trước ngày "
            "30/6/2021.",
            "Kho bạc Nhà nước chi nhánh các tỉnh, thành phố",
            "collective",
        ),
        (
            "Bộ Tài chính yêu cầu KBNN tỉnh Nghệ An đối chiếu số liệu trước ngày 30/6/2021.",
            "KBNN tỉnh Nghệ An",
            "external",
        ),
    ],
)
def test_a_department_or_branch_is_named_by_its_place(sentence: str, performer: str, status: str) -> None:
    # News text writes "sở y tế" in small letters: the place after the field ("các tỉnh", "tỉnh Nghệ An") tells a
    # department of every province, or of one outside Hanoi, not a task with no performer. A national body's
    # branch ("chi nhánh" + the place) is one performer: outside Hanoi, or one in every province of a class.
    (t,) = extract(sentence).tasks
    assert t.lead == performer
    assert [r.status for r in t.resolutions] == [status]


def test_a_boards_name_goes_on_with_what_it_is_about_up_to_its_level() -> None:
    # "Ban Chỉ đạo về …": the field the board is about is part of its name, closed by its level word.
    (t,) = extract(
        HEAD + "Yêu cầu Ban Chỉ đạo về vệ sinh an toàn thực phẩm tỉnh kiểm tra các bếp ăn tập thể trước ngày "
        "30/3/2021."
    ).tasks
    assert t.lead == "Ban Chỉ đạo về vệ sinh an toàn thực phẩm tỉnh"
