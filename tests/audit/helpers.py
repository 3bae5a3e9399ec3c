"""Helpers of the audit-trail tests: the entries recorded, the chain verified as the command does."""

from __future__ import annotations

import time

from django.core.management import call_command
from django.core.management.base import CommandError

from dondoc.audit.models import AuditEntry, PendingAuditEntry


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


def linked(timeout: float = 10.0) -> bool:
    """Wait until no audit event waits to be linked (the linker thread's work); False after `timeout` s."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if not PendingAuditEntry.objects.exists():
            return True
        time.sleep(0.02)
    return False
