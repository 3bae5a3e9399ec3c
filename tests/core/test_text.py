"""`fold`: the accent-folded, lower-cased form every search column uses."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dondoc.core.text import fold, nfc


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Kế hoạch", "ke hoach"),
        ("ĐỐNG ĐA", "dong da"),
        ("Đống Đa", "dong da"),
        ("đường", "duong"),
        ("Quyết định số 15/QĐ-UBND", "quyet dinh so 15/qd-ubnd"),
        ("  nhiều    khoảng\ttrắng\n ", "nhieu khoang trang"),
        ("Thượng khẩn, Hỏa tốc", "thuong khan, hoa toc"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold_strips_case_diacritics_and_extra_spaces(text, folded):
    assert fold(text) == folded


def test_fold_treats_composed_and_decomposed_input_alike():
    composed = "Chỉ thị về tăng cường kỷ luật"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert fold(decomposed) == fold(composed) == "chi thi ve tang cuong ky luat"


def test_nfc_composes_decomposed_vietnamese():
    assert nfc(unicodedata.normalize("NFD", "Hà Nội")) == "Hà Nội"


@given(st.text())
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(
    st.text(
        alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ "
    )
)
def test_folded_vietnamese_is_plain_lowercase_ascii(text):
    assert fold(text).isascii()
    assert fold(text) == fold(text).lower()
