"""Lead resolution against the unit registry."""

from __future__ import annotations

import pytest

from dondoc.drafting.registry import get_registry


@pytest.mark.parametrize(
    ("written", "name", "status"),
    [
        ("Sở Nội vụ", "Sở Nội vụ", "current"),
        ("Văn phòng UBND thành phố", "Văn phòng UBND Thành phố", "current"),
        ("Giám đốc Sở Xây dựng", "Sở Xây dựng", "current"),
        ("Sở KH&ĐT", "Sở Tài chính", "successor"),
        ("Sở TN&MT", "Sở Nông nghiệp và Môi trường", "successor"),
        ("Sở Giao thông vận tải", "Sở Xây dựng", "successor"),
        ("Giám đốc Sở LĐTBXH", "Sở Nội vụ", "successor"),
        ("Sở Thông tin và Truyền thông", "Sở Khoa học và Công nghệ", "successor"),
        ("UBND quận Đống Đa", "UBND quận Đống Đa", "former"),
        ("UBND các quận, huyện, thị xã", "UBND các quận, huyện, thị xã", "collective"),
        ("các sở, ngành", "các sở, ngành", "collective"),
        ("mọi trường học", "mọi trường học", "collective"),
        # "Môi trường" folds like "mọi trường" (all schools): a named office, not an open class.
        ("Phòng Tài nguyên và Môi trường huyện", "Phòng Tài nguyên và Môi trường huyện", "external"),
        ("BộCông Thương", "Bộ Công Thương", "external"),
        ("Chủ tịch UBND tỉnh Quảng Nam", "UBND tỉnh Quảng Nam", "external"),
        ("UBND phường Láng", "UBND phường Láng", "current"),
        ("Sở Ngoại thương", "Sở Ngoại thương", "unknown"),
        # Another city by its name, and a project's party named by its role: outside bodies, not unknown.
        ("TP.HCM", "TP.HCM", "external"),
        ("Thành phố Hồ Chí Minh", "Thành phố Hồ Chí Minh", "external"),
        ("Đơn vị tư vấn", "Đơn vị tư vấn", "external"),
    ],
)
def test_resolution(written: str, name: str, status: str) -> None:
    res = get_registry().resolve(written)
    assert (res.name, res.status) == (name, status)


def test_title_is_kept_apart() -> None:
    res = get_registry().resolve("Giám đốc Sở Xây dựng")
    assert res.title == "Giám đốc" and res.code == "SXD"


def test_outside_hanoi_department_is_not_rehomed() -> None:
    res = get_registry().resolve("Sở Tài nguyên và Môi trường", local=False)
    assert res.status == "external" and res.name == "Sở Tài nguyên và Môi trường"
