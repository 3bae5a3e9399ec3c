"""API tokens and two-factor login: enrolling two-factor revokes the person's existing tokens.

A token acts as its owner without any second factor. One made (or stolen) before a leader turned two-factor on would
keep full access afterwards; so turning it on revokes every active token of the person, each revocation in the audit
trail, and the page lists the tokens revoked (new ones can be made at once on the token page).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.dispatch import receiver
from django.utils import timezone

from dondoc.accounts.twofactor import enrolled
from dondoc.api.models import ApiToken


def revoke_all(user: Any) -> list[ApiToken]:
    """Revoke every active token of `user` (one audited save each); returns them."""
    tokens = list(ApiToken.objects.active().filter(user_id=user.pk))
    now = timezone.now()
    for token in tokens:
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
    return tokens


@receiver(enrolled, dispatch_uid="dondoc.api.tokens.revoke_on_enrol")
def revoke_on_enrol(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    tokens = revoke_all(user)
    if tokens:
        names = ", ".join(f"«{t}»" for t in tokens)
        messages.warning(
            request,
            f"Đã thu hồi {len(tokens)} khóa API tạo trước khi bật xác thực hai bước: {names}. "
            "Hãy tạo khóa mới nếu còn cần.",
        )
