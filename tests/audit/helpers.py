"""Helpers of the audit-trail tests: the entries recorded, the chain verified as the command does."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import CommandError

from dondoc.audit.models import AuditEntry


def entries(**filters) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(**filters).order_by("id"))


def verify() -> tuple[bool, str]:
    """Run `dondoc audit verify`; (ok, what it said)."""
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
    except CommandError as exc:
        assert exc.returncode == 1
        return False, err.getvalue() + str(exc)
    return True, out.getvalue()
