"""Who a signed-in user is in the organisation, and the views that require a role."""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied

from dondoc.org.models import Person


def person_of(user: object) -> Person | None:
    """The active Person behind a user account, or None (anonymous, deactivated, or an account with no person)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_dondoc_person", False)
    if cached is not False:
        return cached  # type: ignore[return-value]
    pk: int | None = getattr(user, "pk", None)
    if pk is None:
        return None
    person = Person.objects.select_related("unit").filter(user_id=pk, active=True).first()
    user._dondoc_person = person  # type: ignore[attr-defined]
    return person


def remember_person(user: Any) -> None:
    """`person_of(user)` from the person already loaded with the user (`select_related("person__unit")`)."""
    person = getattr(user, "person", None)  # the reverse one-to-one: None when the account has no person
    user._dondoc_person = person if person is not None and person.active else None


def has_role(user: object, roles: Collection[str]) -> bool:
    """Whether the user is an active person (*cán bộ*) whose role is one of `roles`."""
    person = person_of(user)
    return person is not None and person.role in roles


def require_role(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Refuse (403, in Vietnamese) a view to anyone whose role is not among `roles`."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
            if not has_role(request.user, roles):
                raise PermissionDenied("Bạn không có quyền thực hiện chức năng này.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
