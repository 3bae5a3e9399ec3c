from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied

from dondoc.org.access import person_of


def require_role(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Refuse (403, in Vietnamese) a view to anyone whose role is not among `roles`."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
            person = person_of(request.user)
            if person is None or person.role not in roles:
                raise PermissionDenied("Bạn không có quyền thực hiện chức năng này.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
