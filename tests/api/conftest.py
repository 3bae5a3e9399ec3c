"""API fixtures: a personal token per persona and a client that sends it."""

from __future__ import annotations

import pytest
from django.test import Client

from dondoc.api.models import ApiToken
from tests.api.helpers import ApiClient


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
