"""Number and symbol (*số, ký hiệu*) parsing: every form of DOMAIN.md §4, refusals that name the problem, round trip."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dondoc.directives.notation import (
    CONG_VAN,
    JOINT_TYPES,
    PARTY_TYPE_NAMES,
    TYPE_NAMES,
    Notation,
    NotationError,
    parse_notation,
)


def state(number, doc_type, issuer, drafting_unit=None, year=None):
    return Notation(number, year, doc_type, issuer, drafting_unit, party=False)


def party(number, doc_type, issuer, drafting_unit=None):
    return Notation(number, None, doc_type, issuer, drafting_unit, party=True)


# --- The forms ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("15/QĐ-UBND", state(15, "QĐ", "UBND")),
        ("225/KH-UBND", state(225, "KH", "UBND")),
        ("15/CT-UBND", state(15, "CT", "UBND")),
        ("12/BC-SNV", state(12, "BC", "SNV")),
        ("15/CT-TTg", state(15, "CT", "TTg")),
        ("88/CTr-UBND", state(88, "CTr", "UBND")),
        ("07/QyĐ-UBND", state(7, "QyĐ", "UBND")),
    ],
)
def test_named_type_reads_number_type_and_issuer(raw, expected):
    assert parse_notation(raw) == expected


def test_parts_after_the_issuer_are_the_drafting_unit():
    assert parse_notation("123/QĐ-UBND-KT") == state(123, "QĐ", "UBND", "KT")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("3031/UBND-TKBT", state(3031, None, "UBND", "TKBT")),
        ("10808/VPCP-KGVX", state(10808, None, "VPCP", "KGVX")),
        ("45/UBND", state(45, None, "UBND")),
    ],
)
def test_official_letter_has_no_type_and_reads_issuer_and_drafting_unit(raw, expected):
    assert parse_notation(raw) == expected
    assert parse_notation(raw).type_name == CONG_VAN


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("19/2022/QĐ-UBND", state(19, "QĐ", "UBND", year=2022)),
        ("30/2020/NĐ-CP", state(30, "NĐ", "CP", year=2020)),
        ("04/2022/TT-BNV", state(4, "TT", "BNV", year=2022)),
        ("15/2023/NQ-HĐND", state(15, "NQ", "HĐND", year=2023)),
    ],
)
def test_normative_document_carries_the_year(raw, expected):
    assert parse_notation(raw) == expected


def test_law_of_the_national_assembly_has_year_and_no_type():
    notation = parse_notation("59/2020/QH14")
    assert notation == state(59, None, "QH14", year=2020)
    assert notation.type_name == "Luật, pháp lệnh"


def test_joint_circular_names_every_issuer_and_no_drafting_unit():
    assert parse_notation("03/2016/TTLT-BNV-BTC") == state(3, "TTLT", "BNV-BTC", year=2016)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2740-TB/TU", party(2740, "TB", "TU")),
        ("80-NQ/TW", party(80, "NQ", "TW")),
        ("12-KL/TW", party(12, "KL", "TW")),
        ("08-QĐi/TW", party(8, "QĐi", "TW")),
        ("315-CV/TU", party(315, "CV", "TU")),
    ],
)
def test_party_document_writes_number_dash_type_slash_issuer(raw, expected):
    assert parse_notation(raw) == expected


def test_party_tt_is_a_thong_tri_not_a_thong_tu():
    assert parse_notation("05-TT/TU").type_name == "Thông tri"
    assert parse_notation("05/2024/TT-BNV").type_name == "Thông tư"


def test_type_name_is_the_vietnamese_name():
    assert parse_notation("15/QĐ-UBND").type_name == "Quyết định"
    assert parse_notation("15/CT-UBND").type_name == "Chỉ thị"
    assert parse_notation("225/KH-UBND").type_name == "Kế hoạch"


def test_leading_zeros_are_allowed_and_dropped_from_the_number():
    assert parse_notation("01/QĐ-UBND").number == 1
    assert parse_notation("007/QĐ-UBND").number == 7


def test_canonical_text_writes_numbers_below_ten_with_a_leading_zero():
    assert parse_notation("1/QĐ-UBND").text == "01/QĐ-UBND"
    assert parse_notation("007/QĐ-UBND").text == "07/QĐ-UBND"
    assert parse_notation("3031/UBND-TKBT").text == "3031/UBND-TKBT"
    assert parse_notation("2740 - TB / TU").text == "2740-TB/TU"


def test_symbol_is_everything_after_the_number():
    assert parse_notation("15/QĐ-UBND").symbol == "QĐ-UBND"
    assert parse_notation("19/2022/QĐ-UBND").symbol == "2022/QĐ-UBND"
    assert parse_notation("2740-TB/TU").symbol == "TB/TU"


def test_surrounding_whitespace_and_spaces_around_separators_are_ignored():
    assert parse_notation("  15 / QĐ - UBND \n") == state(15, "QĐ", "UBND")
    assert parse_notation("19 / 2022 / QĐ-UBND") == state(19, "QĐ", "UBND", year=2022)


def test_decomposed_unicode_reads_like_composed():
    composed = "05-KH/BCĐTƯ"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert parse_notation(decomposed) == parse_notation(composed) == party(5, "KH", "BCĐTƯ")


def test_types_match_exactly_so_ctr_is_not_ct_and_qyd_is_not_qd():
    assert parse_notation("1/CTr-UBND").doc_type == "CTr"
    assert parse_notation("1/CT-UBND").doc_type == "CT"
    assert parse_notation("1/QyĐ-UBND").doc_type == "QyĐ"
    assert parse_notation("1/QĐ-UBND").doc_type == "QĐ"


def test_every_type_of_decree_30_and_the_normative_types_have_a_vietnamese_name():
    decree_30 = (
        "NQ QĐ CT QC QyĐ TC TB HD CTr KH PA ĐA DA BC BB TTr HĐ CĐ BGN BTT GUQ GM GGT GNP PG PC PB".split()
    )
    normative = "L NĐ TT TTLT".split()
    assert set(TYPE_NAMES) == set(decree_30 + normative)
    assert all(TYPE_NAMES.values()) and all(PARTY_TYPE_NAMES.values())


# --- Refusals ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("abc", "thiếu dấu «/»"),
        ("/QĐ-UBND", "thiếu số văn bản trước dấu «/»"),
        ("-TB/TU", "thiếu số văn bản trước dấu «-»"),
        ("a1/QĐ-UBND", "số văn bản «a1» phải là số nguyên dương"),
        ("0/QĐ-UBND", "số văn bản «0» phải là số nguyên dương"),
        ("15/", "thiếu ký hiệu sau dấu «/»"),
        ("15/QĐ", "thiếu cơ quan ban hành sau loại văn bản «QĐ»"),
        ("15/QĐ--UBND", "phần trống"),
        ("15/QĐ-", "phần trống"),
        ("15/U BND", "«U BND» chỉ được gồm chữ và số"),
        ("15/QĐ-UBND.", "«UBND.» chỉ được gồm chữ và số"),
        ("15/QĐ-2022", "«2022» phải là chữ viết tắt"),
        ("1/2/3/4", "quá nhiều dấu «/»"),
        ("19/1800/QĐ-UBND", "năm «1800» không hợp lệ"),
        ("19/2101/QĐ-UBND", "năm «2101» không hợp lệ"),
        ("19/22/QĐ-UBND", "năm «22» phải gồm 4 chữ số"),
        ("15/QĐ/UBND", "«QĐ» giữa hai dấu «/» phải là năm"),
        ("19/2022/XX-UBND", "loại văn bản «XX» không có trong danh mục Nghị định 30/2020"),
        ("19/2022/UBND", "thiếu loại văn bản trước cơ quan ban hành «UBND»"),
        ("2740-XX/TU", "loại văn bản «XX» không có trong danh mục văn bản của Đảng"),
        ("2740-TB/", "thiếu ký hiệu sau dấu «/»"),
        ("2740-/TU", "thiếu loại văn bản"),
        ("2740-TB/TU/X", "quá nhiều dấu «/»"),
    ],
)
def test_malformed_notation_is_refused_naming_the_problem(raw, problem):
    with pytest.raises(NotationError) as caught:
        parse_notation(raw)
    message = str(caught.value)
    assert message.startswith(f"Số, ký hiệu «{raw.strip()}» không đúng dạng: ")
    assert problem in message
    assert message.endswith(".")


def test_empty_notation_is_refused():
    with pytest.raises(NotationError, match="^Số, ký hiệu văn bản chưa được nhập.$"):
        parse_notation("   ")


@pytest.mark.parametrize(
    ("raw", "hint"),
    [
        ("15/QD-UBND", "«QĐ»"),  # D typed for Đ
        ("15/Qđ-UBND", "«QĐ»"),
        ("15/kh-UBND", "«KH»"),
        ("15/QYĐ-UBND", "«QyĐ»"),
        ("15/Hd-UBND", "«HD» hoặc «HĐ»"),
        ("30/2020/ND-CP", "«NĐ»"),
        ("2740-tb/TU", "«TB»"),
    ],
)
def test_type_mistyped_by_case_or_d_for_đ_is_refused_with_the_right_one(raw, hint):
    with pytest.raises(NotationError, match="không có trong danh mục") as caught:
        parse_notation(raw)
    assert f"(có phải {hint}?)" in str(caught.value)


def test_notation_error_is_a_value_error():
    assert issubclass(NotationError, ValueError)


# --- Round trip --------------------------------------------------------------------------------------------------


def _folded(code):
    return code.replace("Đ", "D").casefold()


_FOLDED_TYPES = {_folded(abbr) for abbr in TYPE_NAMES}
mixed_case_codes = st.sampled_from(["TTg", "HĐND", "SGDĐT", "BCĐTƯ"])
codes = st.from_regex(r"[A-ZĐ][A-ZĐ0-9]{0,6}", fullmatch=True) | mixed_case_codes
# An official letter's issuer must not read as a type (or a near miss of one), or it would parse as a named type.
letter_issuers = codes.filter(lambda code: _folded(code) not in _FOLDED_TYPES)
drafting_units = st.none() | st.lists(codes, min_size=1, max_size=2).map("-".join)
numbers = st.integers(min_value=1, max_value=999_999)
years = st.integers(min_value=1945, max_value=2100)


@st.composite
def named_types(draw):
    doc_type = draw(st.sampled_from(sorted(TYPE_NAMES)))
    year = draw(st.none() | years)
    if doc_type in JOINT_TYPES:
        issuer, unit = draw(st.lists(codes, min_size=1, max_size=3).map("-".join)), None
    else:
        issuer, unit = draw(codes), draw(drafting_units)
    return state(draw(numbers), doc_type, issuer, unit, year=year)


official_letters = st.builds(state, numbers, st.none(), letter_issuers, drafting_units)
laws = st.builds(
    lambda number, issuer, year: state(number, None, issuer, year=year),
    numbers,
    st.from_regex(r"(UBTV)?QH[0-9]{0,2}", fullmatch=True),
    years,
)
party_documents = st.builds(party, numbers, st.sampled_from(sorted(PARTY_TYPE_NAMES)), codes, drafting_units)
notations = named_types() | official_letters | laws | party_documents


@given(notations)
def test_canonical_text_parses_back_to_the_same_notation(notation):
    assert parse_notation(notation.text) == notation


@given(notations)
def test_canonical_text_is_a_fixed_point(notation):
    assert parse_notation(notation.text).text == notation.text


@given(notations, st.sampled_from(["", " ", "  "]))
def test_spaces_around_separators_do_not_change_the_parse(notation, pad):
    spaced = notation.text.replace("/", f"{pad}/{pad}").replace("-", f"{pad}-{pad}")
    assert parse_notation(f"{pad}{spaced}{pad}") == notation


@given(st.text(max_size=30))
def test_any_text_parses_or_is_refused_with_notation_error(raw):
    try:
        notation = parse_notation(raw)
    except NotationError as error:
        assert str(error).startswith("Số, ký hiệu")
    else:
        assert parse_notation(notation.text) == notation
