"""Tokens, session auth, directives, units, people, the schema and the docs page."""

from __future__ import annotations

import hashlib
import json
import re

import pytest
from django.test import Client

from dondoc.api.models import ApiToken
from dondoc.directives.models import Directive
from tests.api.helpers import ApiClient, task_body
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------------------------------------ tokens


def test_token_page_shows_token_once_and_stores_only_its_digest(frozen, personas):
    client = Client()
    client.force_login(personas["lead_officer"].user)
    created = client.post("/api/khoa/", {"name": "Bảng tính"})
    assert created.status_code == 302  # a reload of the page that follows cannot create a second token
    response = client.get(created["Location"])
    assert response.status_code == 200
    raw = re.search(r'id="khoa-moi">([^<]+)<', response.content.decode()).group(1)
    token = ApiToken.objects.get(user=personas["lead_officer"].user)
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {token.digest, token.prefix, token.name}
    assert raw.startswith(token.prefix)
    again = client.get("/api/khoa/").content.decode()
    assert raw not in again and "Bảng tính" in again
    assert ApiClient(raw).get("/units").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_token_last_used_time_is_written_at_most_once_a_minute(frozen, personas):
    """Issue 19: a client asking many times a second does not write the token's row on every request."""
    from datetime import timedelta

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    token, raw = ApiToken.issue(personas["lead_officer"].user, "bảng tính")
    api = ApiClient(raw)
    assert api.get("/units").status_code == 200
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    frozen.shift(timedelta(seconds=59))
    with CaptureQueriesContext(connection) as ctx:
        assert api.get("/units").status_code == 200
    assert not [q for q in ctx.captured_queries if 'UPDATE "api_apitoken"' in q["sql"]]
    token.refresh_from_db()
    assert token.last_used_at == first
    frozen.shift(timedelta(seconds=2))
    assert api.get("/units").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at > first


def test_a_token_request_reads_the_calendar_generation_with_its_token(frozen, personas):
    """Issue 19: an API request without a session begins with one statement for its token and the calendar's
    generation (`api.auth.TokenLookupMiddleware`), not a statement for each; a refused token (unknown, revoked, a
    deactivated account) reads the generation all the same, and a request with a session reads it with the
    session."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from dondoc.workdays import calendar
    from dondoc.workdays.models import CalendarVersion

    token, raw = ApiToken.issue(personas["lead_officer"].user, "bảng tính")
    generation = CalendarVersion.objects.get(pk=1).version
    api = ApiClient(raw)
    assert api.get("/units").status_code == 200  # the token's last-used time written

    def first_statements(client: ApiClient, status: int) -> list[str]:
        calendar._seen[0] = None  # as if another process had changed the calendar: read and noted again
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/units").status_code == status
        assert calendar._seen[0] == generation
        sqls = [q["sql"] for q in ctx.captured_queries]
        assert calendar._GENERATION_SQL not in sqls  # not read on its own
        return [q for q in sqls if "workdays_calendarversion" in q]

    (lookup,) = first_statements(api, 200)
    assert '"api_apitoken"' in lookup  # with the token
    (lookup,) = first_statements(ApiClient("dd_khong-co-khoa-nay"), 401)
    assert '"api_apitoken"' in lookup
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    assert len(first_statements(api, 401)) == 1
    session = Client()
    session.force_login(personas["lead_officer"].user)
    calendar._seen[0] = None
    with CaptureQueriesContext(connection) as ctx:
        assert session.get("/api/v1/units").status_code == 200
    assert calendar._seen[0] == generation
    (read,) = [q["sql"] for q in ctx.captured_queries if "workdays_calendarversion" in q["sql"]]
    assert '"django_session"' in read and '"api_apitoken"' not in read


def _values(obj):
    return type(obj), {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_token_lookup_loads_what_select_related_loads_in_one_statement_not_compiled_each_time(
    frozen, personas, monkeypatch
):
    """Issue 19: every API request looks its token up; the statement is written once per process, not compiled by
    the ORM on every request (~0.65 ms of a ~6 ms list request), and loads the same token, user, person and unit
    as `select_related("user__person__unit")` — a user with no person has none, a revoked token or a deactivated
    account finds nothing."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models.sql.compiler import SQLCompiler
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from dondoc.api.auth import _lookup
    from dondoc.api.models import digest

    nobody = get_user_model().objects.create(username="khong.co.can.bo", first_name="Ánh")
    raws = {name: ApiToken.issue(personas[name].user, "x")[1] for name in ("lead_officer", "tracker")}
    raws["nobody"] = ApiToken.issue(nobody, "x")[1]
    _lookup(raws["nobody"])  # the statement is written on the process's first lookup
    compiled = []
    real = SQLCompiler.as_sql

    def counting(self, *args, **kwargs):
        compiled.append(self.query.model)
        return real(self, *args, **kwargs)

    for name, raw in raws.items():
        monkeypatch.setattr(SQLCompiler, "as_sql", counting)
        with CaptureQueriesContext(connection) as ctx:
            found = _lookup(raw)
        monkeypatch.setattr(SQLCompiler, "as_sql", real)
        assert len(ctx.captured_queries) == 1 and not compiled, (name, compiled)
        want = ApiToken.objects.select_related("user__person__unit").get(digest=digest(raw))
        assert _values(found) == _values(want) and _values(found.user) == _values(want.user)
        if name == "nobody":
            assert not hasattr(found.user, "person")
            continue
        with CaptureQueriesContext(connection) as ctx:
            person, unit = found.user.person, found.user.person.unit
        assert not ctx.captured_queries  # loaded with the token
        assert _values(person) == _values(want.user.person) and _values(unit) == _values(
            want.user.person.unit
        )
        assert person.user is found.user
    ApiToken.objects.filter(digest=digest(raws["tracker"])).update(revoked_at=timezone.now())
    nobody.is_active = False
    nobody.save()
    assert _lookup(raws["tracker"]) is None and _lookup(raws["nobody"]) is None
    assert _lookup(raws["lead_officer"]) is not None


def test_token_page_refuses_empty_name(frozen, personas):
    client = Client()
    client.force_login(personas["lead_officer"].user)
    response = client.post("/api/khoa/", {"name": ""})
    assert response.status_code == 400
    assert "Phải đặt tên gợi nhớ" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoked_token_is_401(frozen, personas):
    token, raw = ApiToken.issue(personas["lead_officer"].user, "cũ")
    api = ApiClient(raw)
    assert api.get("/tasks").status_code == 200
    client = Client()
    client.force_login(personas["lead_officer"].user)
    assert client.post(f"/api/khoa/{token.pk}/thu-hoi/").status_code == 302
    response = api.get("/tasks")
    assert response.status_code == 401
    assert "khóa phải còn hiệu lực" in response.json()["detail"]


def test_only_the_owner_revokes_a_token(frozen, personas):
    token, raw = ApiToken.issue(personas["lead_officer"].user, "của tôi")
    client = Client()
    client.force_login(personas["other_officer"].user)
    assert client.post(f"/api/khoa/{token.pk}/thu-hoi/").status_code == 404
    assert ApiClient(raw).get("/tasks").status_code == 200


@pytest.mark.parametrize("header", [None, "Bearer sai-khoa", "Basic YTpi", "Bearer "])
def test_missing_or_unknown_token_is_401(frozen, personas, header):
    client = Client()
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/tasks", headers=headers)
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Chưa xác thực")


def test_token_of_deactivated_account_is_401(frozen, personas):
    _, raw = ApiToken.issue(personas["lead_officer"].user, "x")
    user = personas["lead_officer"].user
    user.is_active = False
    user.save()
    assert ApiClient(raw).get("/tasks").status_code == 401


def test_session_auth_reads_and_needs_csrf_to_write(frozen, make_task, personas):
    task = make_task()
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="sxd.cv1", password=PASSWORD)
    assert client.get(f"/api/v1/tasks/{task.pk}").status_code == 200
    refused = client.post(f"/api/v1/tasks/{task.pk}/acknowledge", "{}", content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    task.refresh_from_db()
    assert task.state == "assigned"
    client.get("/api/khoa/")  # sets the CSRF cookie, as any page does
    ok = client.post(
        f"/api/v1/tasks/{task.pk}/acknowledge",
        "{}",
        content_type="application/json",
        headers={"X-CSRFToken": client.cookies["csrftoken"].value},
    )
    assert ok.status_code == 200, ok.json()


# ------------------------------------------------------------------------------------------------ directives


def test_directives_list_and_detail(frozen, directive, make_task, api_as):
    make_task()
    api = api_as("lead_officer")
    page = api.get("/directives").json()
    assert page["count"] == 1
    assert page["items"][0]["notation"] == "15/CT-UBND"
    assert page["items"][0]["task_count"] == 1
    assert api.get(f"/directives/{directive.pk}").json()["issued_on"] == "2026-02-02"
    assert api.get("/directives", q="ky luat").json()["count"] == 1
    assert api.get("/directives", year=2025).json()["count"] == 0
    bad = api.get("/directives", year=1800)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "year"


def test_secret_directive_hidden_from_uncleared(frozen, directive, api_as):
    Directive.objects.filter(pk=directive.pk).update(secrecy="mat")
    assert api_as("lead_officer").get(f"/directives/{directive.pk}").status_code == 404
    assert api_as("tracker").get(f"/directives/{directive.pk}").status_code == 200


def _new_directive(registry) -> dict:
    return {
        "notation": "27/KH-UBND",
        "issued_on": "2026-03-05",
        "issuer": registry["H26"].pk,
        "authority": "city_committee",
        "subject": "Kế hoạch cải cách hành chính năm 2026",
    }


def test_tracker_registers_a_directive_and_a_duplicate_is_refused(frozen, registry, api_as):
    api = api_as("tracker")
    created = api.post("/directives", _new_directive(registry))
    assert created.status_code == 201, created.json()
    assert created.json()["number"] == 27 and created.json()["year"] == 2026
    duplicate = api.post("/directives", _new_directive(registry))
    assert duplicate.status_code == 422
    assert "đã có trong sổ" in duplicate.json()["detail"]
    assert "<a" not in duplicate.json()["detail"]
    assert Directive.objects.filter(number=27).count() == 1


def test_officer_may_not_register_a_directive(frozen, registry, api_as):
    response = api_as("lead_officer").post("/directives", _new_directive(registry))
    assert response.status_code == 403
    assert "Văn phòng UBND" in response.json()["detail"]
    assert not Directive.objects.filter(number=27).exists()


def test_directive_with_bad_notation_is_422(frozen, registry, api_as):
    body = _new_directive(registry) | {"notation": "không có số"}
    response = api_as("tracker").post("/directives", body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "notation"


def test_tracker_adds_a_draft_task_with_one_lead(frozen, directive, registry, api_as):
    api = api_as("tracker")
    body = task_body(registry, "Rà soát thủ tục hành chính")
    created = api.post(f"/directives/{directive.pk}/tasks", body)
    assert created.status_code == 201, created.json()
    assert created.json()["state"] == "draft" and created.json()["due_date"] == "2026-03-31"
    clash = api.post(f"/directives/{directive.pk}/tasks", body | {"coordinating_units": [registry["SXD"].pk]})
    assert clash.status_code == 422
    assert clash.json()["errors"][0]["field"] == "coordinating_units"
    missing = api.post(f"/directives/{directive.pk}/tasks", {"content": "x"})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "lead_unit"
    assert api_as("lead_officer").post(f"/directives/{directive.pk}/tasks", body).status_code == 403


# ------------------------------------------------------------------------------------------- units, people


def test_units_and_people_names_and_positions_only(frozen, personas, registry, api_as):
    api = api_as("other_officer")
    units = api.get("/units", q="xay dung", assignable="true").json()
    assert registry["SXD"].pk in [u["id"] for u in units["items"]]
    assert api.get(f"/units/{registry['SXD'].pk}").json()["code"] == "SXD"
    people = api.get("/people", unit=registry["SXD"].pk).json()
    assert {p["full_name"] for p in people["items"]} == {"Sxd Truong", "Sxd Cv1"}
    assert set(people["items"][0]) == {"id", "full_name", "position", "position_label", "title", "unit"}
    assert api.get("/units/999999").status_code == 404


# ------------------------------------------------------------------------------------------- schema, docs


def test_openapi_declares_every_error_response(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    for path, item in schema["paths"].items():
        for method, op in item.items():
            codes = set(op["responses"])
            assert {"401", "403", "404", "422"} <= codes, (method, path)
            if method == "post":
                assert "409" in codes, path
            assert op["security"] == [{"TokenAuth": []}, {"SessionAuth": []}]
    assert schema["components"]["schemas"]["ErrorOut"]["required"] == ["detail"]


def test_openapi_schema_is_valid_for_schemathesis(client):
    schemathesis = pytest.importorskip("schemathesis")
    schema = schemathesis.openapi.from_dict(client.get("/api/v1/openapi.json").json())
    operations = [op.ok() for op in schema.get_all_operations()]
    assert len(operations) == 27  # 24 + the two edXML operations + the task tree's derive


def test_openapi_document_has_no_key_twice(client):
    """The docs page parses the schema as YAML, which refuses a key written twice (an int and a str 200 merged by
    `openapi_extra` both print as "200"): "Parser error: duplicated mapping key"."""
    twice: list[str] = []

    def pairs(items: list[tuple[str, object]]) -> dict:
        keys = [k for k, _ in items]
        twice.extend(k for k in set(keys) if keys.count(k) > 1)
        return dict(items)

    schema = json.loads(client.get("/api/v1/openapi.json").content, object_pairs_hook=pairs)
    assert twice == []
    content = schema["paths"]["/api/v1/tasks"]["get"]["responses"]["200"]["content"]
    assert set(content) == {"application/json", "text/csv"}


def test_docs_page_loads_nothing_from_a_cdn_and_has_no_inline_script(client):
    html = client.get("/api/v1/docs").content.decode()
    assert "http://" not in html and "https://" not in html
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    for attrs, content in scripts:
        assert "src=" in attrs or 'type="application/json"' in attrs, attrs
        if "src=" in attrs:
            assert content.strip() == ""
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html
    settings = json.loads(re.search(r'id="swagger-settings"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert settings["url"] == "/api/v1/openapi.json"
