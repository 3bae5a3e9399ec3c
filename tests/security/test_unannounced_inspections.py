"""Unannounced inspections (issue 16 finding 10): a plan *đột xuất* is hidden from the units it inspects until its
start date; an inspected unit never sees the names of the other units inspected."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from dondoc.inspection.models import InspectionPlan
from tests.helpers import login, make_plan


@pytest.fixture
def surprise(personas, registry, frozen):
    """An unannounced inspection of Sở Xây dựng and Sở Y tế decided on 10/03/2026, starting 16/03/2026."""
    return make_plan(
        personas["inspector"],
        [registry["SXD"], registry["SYT"]],
        decision_number="15/QĐ-SNV",
        decision_date=date(2026, 3, 10),
        title="Kiểm tra đột xuất việc thực hiện nhiệm vụ",
        mode=InspectionPlan.Mode.UNANNOUNCED,
        starts_on=date(2026, 3, 16),
    )


def test_unannounced_plan_is_hidden_from_the_inspected_unit_until_it_starts(surprise, personas, frozen):
    officer = login(personas["lead_officer"])
    record = surprise.units.get(unit__code="SXD")
    listing = officer.get("/thanh-tra/").content.decode()
    assert "15/QĐ-SNV" not in listing and "đột xuất" not in listing.lower()
    assert officer.get(f"/thanh-tra/{surprise.pk}/").status_code == 404
    assert officer.get(f"/thanh-tra/don-vi/{record.pk}/").status_code == 404
    assert "15/QĐ-SNV" in login(personas["inspector"]).get("/thanh-tra/").content.decode()
    with time_machine.travel("2026-03-16 08:00 +07:00", tick=False):
        officer = login(personas["lead_officer"])  # a new day, a new session
        assert "15/QĐ-SNV" in officer.get("/thanh-tra/").content.decode()
        assert officer.get(f"/thanh-tra/{surprise.pk}/").status_code == 200
        assert officer.get(f"/thanh-tra/don-vi/{record.pk}/").status_code == 200


def test_an_inspected_unit_never_sees_the_other_units_inspected(surprise, personas, registry, frozen):
    with time_machine.travel("2026-03-16 08:00 +07:00", tick=False):
        officer = login(personas["lead_officer"])
        for url in ("/thanh-tra/", f"/thanh-tra/{surprise.pk}/"):
            page = officer.get(url).content.decode()
            assert registry["SXD"].short in page or registry["SXD"].name in page, url
            assert registry["SYT"].name not in page and f">{registry['SYT'].short}<" not in page, url
            assert f"{registry['SYT'].short}," not in page and f", {registry['SYT'].short}" not in page, url
