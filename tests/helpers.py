"""Helpers shared by the test modules (fixtures live in the conftest files)."""

from __future__ import annotations

import os

import pytest

# The database of this run of the suite: CI runs it once on SQLite and once on PostgreSQL (DATABASE_URL).
PASS_DATABASE = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"


def site_databases() -> list:
    """Parameters for a test that starts a fresh site in a subprocess on either database: each runs in the pass of
    its own database (skipped in the other), so a CI run checks each once instead of twice."""
    return [
        pytest.param(name, marks=pytest.mark.skipif(name != PASS_DATABASE, reason=f"runs in the {name} pass"))
        for name in ("sqlite", "postgresql")
    ]


def run_jobs() -> None:
    """Run the queued jobs that are due now, as `dondoc worker --once` does (the real worker, in-process)."""
    from django.core.management import call_command

    call_command("worker", "--once")
