"""Ids in links are bounded (issue 16 finding 7): a number wider than 64 bits on the task list and its exports gets
the field's Vietnamese message, not a 500 (SQLite raised OverflowError)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.helpers import login

TOO_BIG = "9223372036854775808"  # 2**63


@pytest.fixture
def office(personas, frozen) -> Client:
    return login(personas["tracker"], raise_request_exception=True)


@pytest.mark.parametrize(
    "path", ["/nhiem-vu/", "/danh-gia/xuat/nhiem-vu.csv", "/danh-gia/xuat/nhiem-vu.xlsx"]
)
@pytest.mark.parametrize("field", ["directive", "counted_unit"])
def test_an_id_too_large_gets_a_message_not_a_500(office, make_task, path, field):
    make_task()
    query = f"?{field}={TOO_BIG}" + (
        "&measure=qua_han&period_from=01/03/2026&period_to=31/03/2026" if field == "counted_unit" else ""
    )
    response = office.get(path + query)
    # The list page shows the form with the message (200, no rows); a download is refused (400).
    assert response.status_code == (200 if path == "/nhiem-vu/" else 400)
    assert "phải là số nguyên dương" in response.content.decode()


def test_the_largest_id_is_a_valid_filter_that_finds_nothing(office, make_task):
    make_task()
    response = office.get("/nhiem-vu/?directive=9223372036854775807")
    assert response.status_code == 200 and "phải là số" not in response.content.decode()
