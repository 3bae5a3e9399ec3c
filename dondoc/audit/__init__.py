"""Audit trail (*nhật ký kiểm toán*). Other apps call ``record_export(request, what, count, obj=...)`` when data
leaves (a list export, a file download, an API list read)."""

from __future__ import annotations

from typing import Any


def record_export(
    request: Any,
    what: str,
    count: int = 1,
    *,
    obj: Any = None,
    detail: dict[str, Any] | None = None,
) -> Any:
    """Record a data export: a list of ``count`` rows, or the file ``what`` of ``obj`` (see
    dondoc.audit.signals.record_export)."""
    from dondoc.audit.signals import record_export as _record

    return _record(request, what, count, obj=obj, detail=detail)
