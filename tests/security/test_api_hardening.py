"""The API's edges (issue 16 findings 8, 11): webhook subscribers in the audit trail; two-factor enrolment revokes
the person's tokens; every error in the API's JSON shape (a 6 MB body too); unknown JSON fields refused (422)."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from dondoc.api.models import ApiToken, WebhookSubscriber
from dondoc.audit.models import AuditEntry
from dondoc.directives.models import Directive
from tests.api.helpers import ApiClient
from tests.security.helpers import SETUP, code, next_step, password_step

pytestmark = pytest.mark.django_db


def token_for(person) -> tuple[ApiToken, ApiClient]:
    token, raw = ApiToken.issue(person.user, "máy chủ báo cáo")
    return token, ApiClient(raw)


def test_webhook_subscribers_are_in_the_audit_trail_without_their_key(personas):
    subscriber = WebhookSubscriber.objects.create(name="Cổng tổng hợp", url="https://example.gov.vn/hook")
    subscriber.url = "https://other.example/hook"
    subscriber.save()
    rows = AuditEntry.objects.filter(object_type="api.webhooksubscriber", object_id=str(subscriber.pk))
    assert rows.filter(action="create").exists()
    assert rows.filter(action="update", after={"url": "https://other.example/hook"}).exists()
    assert all(subscriber.secret not in f"{r.before} {r.after}" for r in rows)


def test_enrolling_two_factor_revokes_the_tokens_made_before(client, personas, frozen):
    leader = personas["leader"]
    token, api = token_for(leader)
    assert api.get("/tasks").status_code == 200
    password_step(client, "lanhdao")
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=leader.user)
    next_step(frozen)
    response = client.post(SETUP, {"code": code(device)}, follow=True)
    assert (
        f"Đã thu hồi 1 khóa API tạo trước khi bật xác thực hai bước: «{token}»" in response.content.decode()
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api.get("/tasks").status_code == 401
    assert AuditEntry.objects.filter(
        object_type="api.apitoken", object_id=str(token.pk), action="update"
    ).exists()
    # A token made after enrolment works.
    _, fresh = token_for(leader)
    assert fresh.get("/tasks").status_code == 200


def _json_error(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert set(data) == {"detail", "errors"} and data["detail"]
    return data


def test_a_6_mb_body_gets_the_json_error_shape(personas):
    _, api = token_for(personas["tracker"])
    big = {"subject": "x" * (6 * 1024 * 1024)}
    response = api.client.post(
        "/api/v1/directives", json.dumps(big), content_type="application/json", headers=api.headers
    )
    data = _json_error(response, 413)
    assert "quá lớn" in data["detail"]
    assert not Directive.objects.exists()


def test_unknown_addresses_and_methods_answer_in_json(personas):
    _, api = token_for(personas["tracker"])
    _json_error(api.get("/khong-co-dia-chi-nay"), 404)
    _json_error(api.client.delete("/api/v1/tasks", headers=api.headers), 405)
    _json_error(Client().get("/api/v1/tasks"), 401)


def test_an_unknown_json_field_is_refused_naming_it(personas, registry, directive, frozen):
    _, api = token_for(personas["tracker"])
    body = {"lead_unit": registry["SXD"].pk, "content": "Rà soát thủ tục", "due_dat": "2026-04-30"}
    data = _json_error(api.post(f"/directives/{directive.pk}/tasks", body), 422)
    assert data["errors"][0]["field"] == "due_dat" and "không phải trường" in data["errors"][0]["message"]
    assert not directive.tasks.exists()
