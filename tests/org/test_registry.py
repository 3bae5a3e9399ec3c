"""The unit registry (DOMAIN.md §3): Hanoi's units loaded from the CSV, versioned in time, with sane constraints."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from django.db import IntegrityError, transaction

from dondoc.org.models import Unit
from dondoc.org.registry import CSV_PATH, load_units

pytestmark = pytest.mark.django_db


def csv_rows() -> list[dict[str, str]]:
    with CSV_PATH.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_registry_loads_every_unit_of_the_csv():
    assert load_units() == 149
    assert Unit.objects.count() == 149 + 30  # and the 30 former districts and towns (hanoi_former_units.csv)
    assert len(csv_rows()) == 149


def test_registry_links_each_unit_to_its_parent():
    load_units()
    for row in csv_rows():
        unit = Unit.objects.get(code=row["code"])
        assert (unit.parent.code if unit.parent else "") == row["parent"], row["code"]
    assert Unit.objects.filter(parent__isnull=False).count() == 143 + 30
    assert Unit.objects.get(code="SXD").parent.code == "H26"


def test_hanoi_has_126_wards_and_communes_51_wards_75_communes_under_the_city():
    load_units()
    assert Unit.objects.filter(kind=Unit.Kind.WARD).count() == 51
    assert Unit.objects.filter(kind=Unit.Kind.COMMUNE).count() == 75
    local = Unit.objects.filter(kind__in=[Unit.Kind.WARD, Unit.Kind.COMMUNE])
    assert set(local.values_list("parent__code", flat=True)) == {"H26"}
    assert not Unit.objects.filter(
        kind=Unit.Kind.HISTORIC_DISTRICT, valid_to=None
    ).exists()  # none since 01/7/2025


def test_registry_records_the_kinds_of_the_csv():
    load_units()
    expected = {row["code"]: row["kind"] for row in csv_rows()}
    assert dict(Unit.objects.filter(valid_to=None).values_list("code", "kind")) == expected
    assert Unit.objects.get(code="H26").kind == Unit.Kind.CITY_COMMITTEE
    assert Unit.objects.get(code="CP").kind == Unit.Kind.GOVERNMENT
    assert Unit.objects.get(code="SNV").kind == Unit.Kind.DEPARTMENT
    assert set(Unit.objects.values_list("kind", flat=True)) <= set(Unit.Kind.values)


def test_loading_the_registry_twice_updates_instead_of_duplicating():
    load_units()
    Unit.objects.filter(code="SXD").update(name="Tên cũ")
    load_units()
    assert Unit.objects.count() == 149 + 30
    assert Unit.objects.get(code="SXD").name == "Sở Xây dựng"


def test_unit_is_searchable_without_diacritics():
    load_units()
    assert (
        Unit.objects.get(search__contains="phuong dong da").code
        == Unit.objects.get(name="UBND phường Đống Đa").code
    )


def test_units_that_may_lead_a_task_exclude_higher_authorities_and_dissolved_units():
    load_units()
    Unit.objects.create(code="QCG", name="Quận Cầu Giấy", kind=Unit.Kind.WARD, valid_to=date(2025, 7, 1))
    assignable = set(Unit.objects.assignable().values_list("code", flat=True))
    assert {"SXD", "SNV"} <= assignable
    assert not {"H26", "CP", "TTG", "TU", "QCG"} & assignable
    assert len(assignable) == sum(1 for row in csv_rows() if row["kind"] in Unit.ASSIGNABLE_KINDS) == 143


# --- Versioned in time --------------------------------------------------------------------------------------------


@pytest.fixture
def district_and_ward():
    ward = Unit.objects.create(
        code="P.CG", name="UBND phường Cầu Giấy", kind=Unit.Kind.WARD, valid_from=date(2025, 7, 1)
    )
    district = Unit.objects.create(
        code="Q.CG",
        name="UBND quận Cầu Giấy",
        kind=Unit.Kind.HISTORIC_DISTRICT,
        valid_from=date(1997, 1, 1),
        valid_to=date(2025, 7, 1),
    )
    district.successors.add(ward)
    always = Unit.objects.get(code="CP")  # from the registry every install has, with no dates
    return district, ward, always


def test_dissolved_unit_points_to_its_successor(district_and_ward):
    district, ward, _ = district_and_ward
    assert list(district.successors.all()) == [ward]
    assert list(ward.predecessors.all()) == [district]


def test_unit_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(
            code="X",
            name="Đơn vị sai",
            kind=Unit.Kind.DIVISION,
            valid_from=date(2026, 1, 1),
            valid_to=date(2026, 1, 1),
        )
    assert not Unit.objects.filter(code="X").exists()


def test_unit_codes_are_unique_and_fit_the_35_character_electronic_identifier():
    Unit.objects.create(code="000.00.00.H26", name="UBND Thành phố Hà Nội", kind=Unit.Kind.CITY_COMMITTEE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(code="000.00.00.H26", name="Bản sao", kind=Unit.Kind.CITY_COMMITTEE)
    assert Unit._meta.get_field("code").max_length == 35
