"""Authorities as the law has them (issue 15, DOMAIN.md §1 and §5): six levels, Chính phủ and Thủ tướng apart; an
extension or a withdrawal is decided by the authority that assigned the task."""

from __future__ import annotations

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError

from dondoc.directives.models import HIGHER_AUTHORITIES, Authority, Directive
from dondoc.org.models import Person
from dondoc.tracking import actions
from dondoc.tracking.models import DeadlineChange, Task
from tests.helpers import act, login, make_person

pytestmark = pytest.mark.django_db


def test_six_authority_levels_with_government_and_prime_minister_apart():
    assert [label for _, label in Authority.choices] == [
        "Chính phủ",
        "Thủ tướng Chính phủ",
        "Thành ủy",
        "HĐND Thành phố",
        "UBND Thành phố",
        "Chủ tịch UBND Thành phố",
    ]
    assert set(HIGHER_AUTHORITIES) == {"government", "prime_minister", "party_committee", "peoples_council"}


def test_migration_moves_the_prime_ministers_directives_out_of_government(registry):
    def gov(notation: str, symbol: str, issuer: str) -> Directive:
        number = int(notation.split("/")[0])
        return Directive.objects.create(
            notation=notation, number=number, symbol=symbol, year=2025, issuer=registry[issuer],
            authority="government", issued_on=date(2025, 5, 5), subject="Văn bản cấp trên",
        )  # fmt: skip

    resolution = gov("12/NQ-CP", "NQ-CP", "CP")
    decision = gov("15/QĐ-TTg", "QĐ-TTg", "CP")  # registered under the Government, signed by the PM
    telegram = gov("25/CĐ-TTg", "CĐ-TTg", "TTG")
    letter = gov("12729/VPCP-KGVX", "VPCP-KGVX", "CP")
    migration = importlib.import_module("dondoc.directives.migrations.0002_six_authorities")
    migration.split_prime_minister(apps, None)
    authority = dict(Directive.objects.values_list("pk", "authority"))
    assert authority[resolution.pk] == authority[letter.pk] == Authority.GOVERNMENT
    assert authority[decision.pk] == authority[telegram.pk] == Authority.PRIME_MINISTER


# --- who decides an extension or a withdrawal -------------------------------------------------------------------


@pytest.fixture
def pending(make_task, personas, registry, frozen):
    """pending(authority) → a task of that authority's directive, overdue, with a pending extension request."""

    def make(authority: str = Authority.CITY_COMMITTEE, *, withdraw: bool = False, signer: str = "") -> Task:
        task = make_task(due_date=date(2026, 3, 5))
        directive = task.directive
        if authority != directive.authority or signer:
            directive.authority, directive.signer_name = authority, signer
            directive.issuer = registry[{"government": "CP", "prime_minister": "TTG"}.get(authority, "H26")]
            directive.save()
        lead = personas["lead_officer"].user
        task = actions.acknowledge(task, lead)
        actions.request_change(
            task, lead, reason="Chờ ý kiến Bộ", withdraw=withdraw,
            proposed_due_date=None if withdraw else date(2026, 3, 31),
        )  # fmt: skip
        return Task.objects.get(pk=task.pk)

    return make


def decide(task: Task, person: Person, **kwargs) -> DeadlineChange:
    return actions.decide_change(task, person.user, approve=True, **kwargs)


def test_city_task_extension_is_decided_by_the_chairman(pending, personas):
    task = pending()
    change = decide(task, personas["leader"], decision_document="99/UBND-KT")
    task.refresh_from_db()
    assert change.status == DeadlineChange.Status.APPROVED and task.due_date == date(2026, 3, 31)


def test_city_office_decides_a_city_task_only_where_an_administrator_delegated_it(pending, personas):
    task = pending()
    tracker = personas["tracker"]
    with pytest.raises(PermissionDenied):
        decide(task, tracker, decision_document="99/UBND-KT")
    assert task.deadline_requests.get().status == DeadlineChange.Status.PENDING
    Person.objects.filter(pk=tracker.pk).update(decides_by_delegation=True)  # the administrator's tick
    decide(task, Person.objects.get(pk=tracker.pk), decision_document="99/UBND-KT")
    assert task.deadline_requests.get().status == DeadlineChange.Status.APPROVED


def test_vice_chairman_decides_only_the_tasks_of_directives_he_signed(pending, registry):
    vice, other = (
        make_person(username, registry["H26"], Person.Role.LEADER, Person.Position.DEPUTY)
        for username in ("pct.a", "pct.b")
    )
    Person.objects.filter(pk=vice.pk).update(full_name="Nguyễn Văn A")
    task = pending(signer="Nguyễn Văn A")
    with pytest.raises(PermissionDenied):
        decide(task, other, decision_document="99/UBND-KT")
    decide(task, vice, decision_document="99/UBND-KT")
    assert task.deadline_requests.get().status == DeadlineChange.Status.APPROVED


@pytest.mark.parametrize("authority", sorted(HIGHER_AUTHORITIES))
def test_city_leader_cannot_decide_a_higher_authoritys_task(pending, personas, authority):
    task = pending(authority)
    with pytest.raises(PermissionDenied):
        decide(task, personas["leader"], decision_document="99/UBND-KT")
    with pytest.raises(PermissionDenied):
        actions.decide_change(task, personas["leader"].user, approve=False, note="Không đồng ý")
    assert task.deadline_requests.get().status == DeadlineChange.Status.PENDING


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        (
            {"decision_date": date(2026, 3, 6)},
            "decision_document",
            "Phải nhập số, ký hiệu văn bản quyết định",
        ),
        (
            {"decision_document": "công văn của Bộ", "decision_date": date(2026, 3, 6)},
            "decision_document",
            "không đúng dạng",
        ),  # fmt: skip
        ({"decision_document": "125/TTg-KGVX"}, "decision_date", "Phải nhập ngày của văn bản quyết định"),
        (
            {"decision_document": "125/TTg-KGVX", "decision_date": date(2026, 3, 11)},
            "decision_date",
            "sau hôm nay",
        ),
    ],
)
def test_higher_authoritys_decision_needs_its_documents_number_and_date(
    pending, personas, fields, field, words
):
    task = pending(Authority.PRIME_MINISTER)
    with pytest.raises(ValidationError) as exc:
        decide(task, personas["tracker"], **fields)
    assert list(exc.value.message_dict) == [field]
    assert words in exc.value.message_dict[field][0]
    task.refresh_from_db()
    assert task.deadline_requests.get().status == DeadlineChange.Status.PENDING
    assert task.due_date == date(2026, 3, 5)


def test_city_office_records_the_prime_ministers_decision_with_number_and_date(pending, personas):
    task = pending(Authority.PRIME_MINISTER)
    change = decide(
        task, personas["tracker"], decision_document="125 / TTg - KGVX", decision_date=date(2026, 3, 6)
    )
    task.refresh_from_db()
    assert change.decision_document == "125/TTg-KGVX ngày 06/03/2026"
    assert task.due_date == date(2026, 3, 31)


def test_withdrawal_of_a_party_committee_task_is_recorded_with_its_decision(pending, personas):
    task = pending(Authority.PARTY_COMMITTEE, withdraw=True)
    with pytest.raises(ValidationError):
        actions.decide_change(task, personas["tracker"].user, approve=True)
    decide(task, personas["tracker"], decision_document="2740-TB/TU", decision_date=date(2026, 3, 9))
    task.refresh_from_db()
    assert task.state == "cancelled"
    assert task.deadline_requests.get().decision_document == "2740-TB/TU ngày 09/03/2026"


def test_decision_form_names_the_field_in_vietnamese(client, pending, personas):
    task = pending(Authority.GOVERNMENT)
    c = login(personas["tracker"], client)
    response = act(
        c, task, "decide_change", approve="1", decision_document="99/UBND-KT ???", decision_date="06/03/2026"
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Văn bản quyết định: Số, ký hiệu «99/UBND-KT ???» không đúng dạng" in page
    response = act(
        c, task, "decide_change", approve="1", decision_document="45/NQ-CP", decision_date="06/03/2026"
    )
    assert response.status_code == 302
    assert task.deadline_requests.get().decision_document == "45/NQ-CP ngày 06/03/2026"


def test_city_leader_cannot_cancel_a_higher_authoritys_task_the_city_office_records_it(
    make_task, personas, registry
):
    task = make_task(due_date=date(2026, 3, 20))
    Directive.objects.filter(pk=task.directive_id).update(authority=Authority.PARTY_COMMITTEE)
    task = Task.objects.get(pk=task.pk)
    with pytest.raises(PermissionDenied):
        actions.cancel(task, personas["leader"].user, reason="Không còn phù hợp")
    actions.cancel(task, personas["tracker"].user, reason="Theo Thông báo 2740-TB/TU ngày 05/03/2026")
    assert Task.objects.get(pk=task.pk).state == "cancelled"
