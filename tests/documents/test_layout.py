"""The place and date line and the number of Decree 30/2020, Appendix I (pure, no database)."""

from __future__ import annotations

from datetime import date

import pytest

from dondoc.documents.layout import OfficialDocument, Signature, date_line


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 5), "Hà Nội, ngày 05 tháng 01 năm 2026"),
        (date(2026, 2, 15), "Hà Nội, ngày 15 tháng 02 năm 2026"),
        (date(2026, 3, 9), "Hà Nội, ngày 09 tháng 3 năm 2026"),
        (date(2026, 3, 10), "Hà Nội, ngày 10 tháng 3 năm 2026"),
        (date(2026, 10, 1), "Hà Nội, ngày 01 tháng 10 năm 2026"),
        (date(2026, 12, 25), "Hà Nội, ngày 25 tháng 12 năm 2026"),
    ],
)
def test_day_below_10_and_january_february_take_a_leading_zero(day, expected):
    assert date_line("Hà Nội", day) == expected


def test_undated_draft_leaves_the_date_blank():
    assert date_line("Hà Nội", None).startswith("Hà Nội, ngày ") and "20.." in date_line("Hà Nội", None)


def _doc(**kw) -> OfficialDocument:
    base = dict(
        parent_body="UBND THÀNH PHỐ HÀ NỘI",
        issuing_body="SỞ NỘI VỤ",
        symbol="BC-SNV",
        place="Hà Nội",
        day=date(2026, 3, 20),
        subject="Kết quả",
        signature=Signature(position="GIÁM ĐỐC", name="Trần B"),
        kind="BÁO CÁO",
    )
    base.update(kw)
    return OfficialDocument(**base)


def test_number_below_10_takes_a_leading_zero():
    assert _doc(number=5).number_line == "Số: 05/BC-SNV"
    assert _doc(number=12).notation == "12/BC-SNV"


def test_unnumbered_document_leaves_the_number_blank():
    doc = _doc()
    assert doc.notation is None
    assert doc.number_line.startswith("Số:") and doc.number_line.endswith("/BC-SNV")


def test_recipients_end_with_the_archive_line():
    doc = _doc(recipients=["UBND Thành phố (để báo cáo);", "Văn phòng UBND Thành phố"], archive="TTr")
    assert doc.recipient_lines() == [
        "- UBND Thành phố (để báo cáo);",
        "- Văn phòng UBND Thành phố;",
        "- Lưu: VT, TTr.",
    ]


def test_a_document_without_kind_is_a_letter():
    assert _doc(kind="").is_letter and not _doc().is_letter
