"""Electronic identifiers (issue 15, DOMAIN.md §3): each unit carries its *mã định danh điện tử* (000.00.00.H26)
beside its short code, edited in the admin; edXML names units by it (`OrganId`)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from dondoc.org.models import Unit
from tests.helpers import administrator

pytestmark = pytest.mark.django_db


def test_every_install_knows_hanoi_by_its_electronic_identifier(registry):
    city = registry["H26"]
    assert (city.code, city.identifier, city.organ_id) == ("H26", "000.00.00.H26", "000.00.00.H26")
    assert registry["SNV"].organ_id == "SNV"  # none entered yet: the short code stands in
    assert Unit.objects.by_organ_id("000.00.00.H26") == Unit.objects.by_organ_id("H26") == city


@pytest.mark.parametrize("bad", ["H26", "000.00.H26", "000.00.00.h26", "000.00.00.H2 6", "0000.00.00.H26"])
def test_an_identifier_not_of_the_national_form_is_refused_naming_the_field(registry, bad):
    unit = registry["SNV"]
    unit.identifier = bad
    with pytest.raises(ValidationError) as exc:
        unit.full_clean()
    assert exc.value.message_dict["identifier"] == [
        "Mã định danh điện tử phải có dạng 000.00.00.H26 (bốn cấp, cách nhau bởi dấu chấm)."
    ]


def test_two_units_cannot_share_an_identifier(registry):
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.filter(code="SNV").update(identifier="000.00.00.H26")
    Unit.objects.filter(code__in=["SNV", "STP"]).update(identifier="")  # blank is not an identifier: no clash


def test_administrator_enters_the_identifier_in_the_admin(client, registry):
    administrator(client)
    snv = registry["SNV"]
    page = client.get(f"/quan-tri/org/unit/{snv.pk}/change/").content.decode()
    assert "Mã định danh điện tử" in page
    data = {"code": "SNV", "identifier": "000.00.12.H26", "abbr": "SNV", "name": snv.name, "kind": snv.kind,
            "parent": snv.parent_id, "valid_from": "", "valid_to": "", "successor": ""}  # fmt: skip
    response = client.post(f"/quan-tri/org/unit/{snv.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    snv.refresh_from_db()
    assert snv.organ_id == "000.00.12.H26"
    assert Unit.objects.get(search__contains="000.00.12.h26") == snv
    response = client.post(f"/quan-tri/org/unit/{snv.pk}/change/", {**data, "identifier": "12.H26"})
    assert "Mã định danh điện tử phải có dạng 000.00.00.H26" in response.content.decode()
    snv.refresh_from_db()
    assert snv.identifier == "000.00.12.H26"
