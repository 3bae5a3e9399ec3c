"""One directive, one row (issue 15, DOMAIN.md §4): (number, symbol, issuer, year) is unique whatever the spelling
of the symbol — case, Unicode dashes, spaces — in the form and in the database, which imports cannot bypass."""

from __future__ import annotations

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.urls import reverse

from dondoc.directives.models import Authority, Directive
from dondoc.directives.notation import parse_notation, symbol_key
from tests.helpers import login, register_directive

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispatch(registry):
    return Directive.objects.create(
        notation="3031/UBND-TKBT", number=3031, symbol="UBND-TKBT", year=2020, issuer=registry["H26"],
        authority=Authority.CITY_COMMITTEE, issued_on=date(2020, 7, 10),
        subject="V/v tăng cường kỷ luật, kỷ cương hành chính trong thực hiện nhiệm vụ được giao",
    )  # fmt: skip


@pytest.mark.parametrize(
    "spelling",
    [
        "3031/ubnd-tkbt",
        "3031/UBND–TKBT",
        "3031/UBND—TKBT",
        "3031/UBND−TKBT",
        "3031 / Ubnd – Tkbt",
        "3031/UBND‑TKBT",
    ],
)
def test_another_spelling_of_a_registered_notation_is_refused_with_a_link(
    client, personas, registry, dispatch, frozen, spelling
):
    response = register_directive(
        login(personas["tracker"], client), registry, notation=spelling, issued_on="10/07/2020"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Văn bản 3031/UBND-TKBT của Ủy ban nhân dân Thành phố Hà Nội năm 2020 đã có trong sổ" in html
    assert f'href="{dispatch.get_absolute_url()}"' in html
    assert Directive.objects.count() == 1


def test_an_en_dash_is_accepted_and_written_as_a_hyphen(client, personas, registry, frozen):
    response = register_directive(login(personas["tracker"], client), registry, notation="3032/UBND–TKBT")
    assert response.status_code == 302
    directive = Directive.objects.get()
    assert (directive.notation, directive.symbol, directive.symbol_key) == (
        "3032/UBND-TKBT",
        "UBND-TKBT",
        "ubnd-tkbt",
    )
    assert parse_notation("2740–TB/TU").text == "2740-TB/TU"


def test_the_database_refuses_a_second_spelling_whatever_path_writes_it(registry, dispatch):
    with pytest.raises(IntegrityError), transaction.atomic():
        Directive.objects.create(
            notation="3031/ubnd-tkbt", number=3031, symbol="ubnd-tkbt", year=2020, issuer=registry["H26"],
            authority=Authority.CITY_COMMITTEE, issued_on=date(2020, 7, 10), subject="Bản trùng",
        )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():  # a bulk path that forgets the key
        Directive.objects.bulk_create(
            [
                Directive(
                    notation="3033/UBND-TKBT", number=3033, symbol="UBND-TKBT", year=2020, issuer=registry["H26"],
                    authority=Authority.CITY_COMMITTEE, issued_on=date(2020, 7, 10), subject="Không có khóa",
                )
            ]
        )  # fmt: skip
    assert Directive.objects.count() == 1


def test_the_same_notation_of_another_issuer_or_year_is_another_directive(registry, dispatch):
    assert Directive.objects.same_notation(3031, "ubnd – tkbt", registry["H26"], 2020).get() == dispatch
    assert not Directive.objects.same_notation(3031, "UBND-TKBT", registry["H26"], 2021).exists()
    assert not Directive.objects.same_notation(3031, "UBND-TKBT", registry["CP"], 2020).exists()


def test_symbol_key_folds_case_dashes_and_spaces():
    assert {symbol_key(s) for s in ["QĐ-UBND", "qđ-ubnd", "QĐ – UBND", "Qđ−Ubnd"]} == {"qđ-ubnd"}
    assert symbol_key("QĐ-UBND") != symbol_key("QD-UBND")  # Đ is not D: another abbreviation


def test_migration_fills_the_key_of_existing_rows(registry, dispatch):
    Directive.objects.filter(pk=dispatch.pk).update(symbol="UBND–TKBT", symbol_key="stale")
    importlib.import_module("dondoc.directives.migrations.0003_one_row_per_notation").fill_symbol_key(
        apps, None
    )
    assert Directive.objects.get(pk=dispatch.pk).symbol_key == "ubnd-tkbt"


def test_directive_page_still_opens(client, personas, dispatch):
    url = reverse("directives:detail", args=[dispatch.pk])
    assert login(personas["tracker"], client).get(url).status_code == 200


def test_a_secret_directive_s_notation_is_refused_to_an_uncleared_officer_without_its_details(
    client, personas, registry, dispatch, frozen
):
    """The notation is unique, so registering a secret directive's notation is refused, but to an officer not
    cleared for secrets without a link to it (nor its subject or issue date); a cleared officer gets the link."""
    from dondoc.org.models import Person
    from tests.helpers import make_person

    Directive.objects.filter(pk=dispatch.pk).update(secrecy=Directive.Secrecy.SECRET)
    uncleared = make_person(
        "vp.uncleared", registry["VPUBND"], Person.Role.TRACKING_OFFICER, cleared_for_secrets=False
    )
    response = register_directive(
        login(uncleared, client), registry, notation="3031/UBND-TKBT", issued_on="11/07/2020"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Văn bản 3031/UBND-TKBT của Ủy ban nhân dân Thành phố Hà Nội năm 2020 đã có trong sổ" in html
    assert (
        dispatch.get_absolute_url() not in html
        and "tăng cường kỷ luật" not in html
        and "10/07/2020" not in html
    )
    cleared = register_directive(
        login(personas["tracker"]), registry, notation="3031/UBND-TKBT", issued_on="11/07/2020"
    )
    assert f'href="{dispatch.get_absolute_url()}"' in cleared.content.decode()
    assert Directive.objects.count() == 1


def test_may_see_is_visible_to_for_one_directive(personas, dispatch, secret_directive):
    from django.contrib.auth.models import AnonymousUser

    from dondoc.directives.models import Directive

    people = [p.user for p in personas.values()] + [AnonymousUser()]
    assert any(p.cleared_for_secrets for p in personas.values())
    assert any(not p.cleared_for_secrets for p in personas.values())
    for user in people:
        for directive in (dispatch, secret_directive):
            expected = Directive.objects.visible_to(user).filter(pk=directive.pk).exists()
            assert Directive.objects.may_see(user, directive) == expected
