"""Who a signed-in user is in the organisation."""

from __future__ import annotations

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
