"""Audit trail (*nhật ký kiểm toán*). Other apps call ``record_export(request, what, count)`` when data leaves."""

from __future__ import annotations

from typing import Any


def record_export(request: Any, what: str, count: int) -> Any:
    """Record a data export (see dondoc.audit.signals.record_export)."""
    from dondoc.audit.signals import record_export as _record

    return _record(request, what, count)
