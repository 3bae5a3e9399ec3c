"""API fixtures: a personal token per persona and a client that sends it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from dondoc.api.models import ApiToken


class ApiClient:
    """A test client that sends `Authorization: Bearer <token>` and JSON bodies."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get("/api/v1" + path, params, headers=self.headers)

    def post(self, path: str, body: Any = None) -> Any:
        return self.client.post(
            "/api/v1" + path,
            json.dumps(body if body is not None else {}),
            content_type="application/json",
            headers=self.headers,
        )


@pytest.fixture
def api_as(personas):
    """api_as("lead_officer") → an ApiClient acting with a fresh token of that persona."""

    def make(name: str) -> ApiClient:
        _, raw = ApiToken.issue(personas[name].user, f"thử nghiệm {name}")
        return ApiClient(raw)

    return make


@pytest.fixture
def office(personas):
    """A page client of the City Office's tracking officer (the one who imports)."""
    client = Client()
    client.force_login(personas["tracker"].user)
    return client
