"""Accounts: lockout after repeated failed logins, Vietnamese password rules, the first-login password change.

Lockout (django-axes): an account is locked after LOGIN_FAILURE_LIMIT failures in a row, an address after
LOGIN_FAILURE_LIMIT_PER_ADDRESS failures (larger: a whole office often shares one address behind its NAT), for
LOGIN_LOCKOUT_MINUTES. The two counters are independent: a successful login clears its own account's counter only,
never the address's nor another account's (else one ordinary login behind an office's NAT wipes every counter).
A wrong current password on the password-change page counts as a failed login. A locked login gets the Vietnamese
page ``accounts/lockout.html`` (HTTP 429).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import password_validation as pv
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from dondoc.accounts.sessions import user_read_with_session, user_with_person
from dondoc.audit.context import actor, address_of
from dondoc.org.access import remember_person


def client_address(request: HttpRequest) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the same address the audit trail records."""
    return address_of(request)


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a login while its account or address is locked.

    ``authenticate()`` without a request (the shell, the test client's ``login``) is not a login from the web and is
    not throttled here; every web login (our login page, the admin's) passes the request.
    """

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)


class PersonBackend(ModelBackend):
    """Django's ModelBackend, the signed-in user read with its person and unit in the same statement: every page
    asks `person_of(request.user)` (the menu, the notifications' count, what the user may see), which read them
    with a second statement on every request (issue 19). The statement (~50 columns) is built once, and is read
    with the session's when this process has seen the session before (`accounts.sessions`)."""

    def get_user(self, user_id: Any) -> Any:
        read, user = user_read_with_session(user_id)
        if not read:
            try:
                user = user_with_person.first(user_id)
            except (TypeError, ValueError):  # not an id: no user, as Django's
                return None
        if user is None or not self.user_can_authenticate(user):
            return None
        remember_person(user)
        return user


class AccountAndAddressHandler(AxesDatabaseHandler):
    """Axes counts failures by account and by address (AXES_LOCKOUT_PARAMETERS, in that order) against one limit;
    this handler gives the address its own, larger limit by reporting an address over its limit as "at the limit"."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        by_account, by_address = (
            sum(a.failures_since_start for a in attempts)
            for attempts in self.get_user_attempts(request, credentials)
        )
        limit = settings.AXES_FAILURE_LIMIT
        address_locked = by_address >= settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS
        return max(by_account, limit if address_locked else min(by_address, limit - 1))

    def reset_user_attempts(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """After a successful login: the account's failures stop counting against the account, and keep counting
        against the addresses they came from (moved to that address's row of ADDRESS_ONLY). Axes' own reset
        deletes every row of the address too, i.e. the failures of every other account guessed from there."""
        username = get_client_username(request, credentials)
        count = 0
        with transaction.atomic():
            for row in AccessAttempt.objects.select_for_update().filter(username=username):
                if row.ip_address and row.failures_since_start:
                    kept, _ = AccessAttempt.objects.select_for_update().get_or_create(
                        username=ADDRESS_ONLY,
                        ip_address=row.ip_address,
                        user_agent=row.user_agent,
                        defaults={
                            "http_accept": row.http_accept,
                            "path_info": row.path_info,
                            "attempt_time": row.attempt_time,
                            "get_data": "",
                            "post_data": "",
                            "failures_since_start": 0,
                        },
                    )
                    kept.failures_since_start += row.failures_since_start
                    kept.attempt_time = max(kept.attempt_time, row.attempt_time)
                    kept.save(update_fields=["failures_since_start", "attempt_time"])
                row.delete()
                count += 1
        return count


# The username of failures that count against an address only: not a valid Django username ("#" is refused), so no
# account is ever counted or cleared by it.
ADDRESS_ONLY = "#dia-chi"


# --- password rules with Vietnamese messages ------------------------------------------------------------------


class MinimumLengthValidator(pv.MinimumLengthValidator):
    def validate(self, password: str, user: Any = None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(
                f"Mật khẩu quá ngắn: cần ít nhất {self.min_length} ký tự.", code="password_too_short"
            )

    def get_help_text(self) -> str:
        return f"Mật khẩu phải có ít nhất {self.min_length} ký tự."


class _SaidInVietnamese:
    """Django's own check, with its refusal (`message`, `code`) and its help text (`help`) said in Vietnamese."""

    message: str
    code: str
    help: str

    def validate(self, password: str, user: Any = None) -> None:
        try:
            super().validate(password, user)  # type: ignore[misc]
        except ValidationError as exc:
            raise ValidationError(self.message, code=self.code) from exc

    def get_help_text(self) -> str:
        return self.help


class UserAttributeSimilarityValidator(_SaidInVietnamese, pv.UserAttributeSimilarityValidator):
    message = "Mật khẩu quá giống tên đăng nhập, họ tên hoặc thư điện tử của tài khoản."
    code = "password_too_similar"
    help = "Mật khẩu không được giống tên đăng nhập, họ tên hoặc thư điện tử."


class CommonPasswordValidator(_SaidInVietnamese, pv.CommonPasswordValidator):
    message = "Mật khẩu quá phổ biến, dễ bị đoán; hãy chọn mật khẩu khác."
    code = "password_too_common"
    help = "Mật khẩu không được là mật khẩu phổ biến."


class NumericPasswordValidator(pv.NumericPasswordValidator):
    def validate(self, password: str, user: Any = None) -> None:
        if password.isdigit():
            raise ValidationError("Mật khẩu không được chỉ gồm chữ số.", code="password_entirely_numeric")

    def get_help_text(self) -> str:
        return "Mật khẩu không được chỉ gồm chữ số."


# --- first-login password change ------------------------------------------------------------------------------


SESSION_FLAG = "dondoc_must_change_password"


def must_change_password(user: Any) -> bool:
    from dondoc.audit.models import AccountFlag

    return AccountFlag.objects.filter(user_id=user.pk, must_change_password=True).exists()


def mark_session(request: HttpRequest, user: Any) -> None:
    """At login: remember in the session whether the account must change its password (one query per login,
    none per page)."""
    if must_change_password(user):
        request.session[SESSION_FLAG] = True


def require_password_change(user: Any) -> None:
    """Flag an account so that its next login goes to the password-change page first (accounts created by an
    administrator or by an import: someone else knows the initial password)."""
    from dondoc.audit.models import AccountFlag

    AccountFlag.objects.update_or_create(user=user, defaults={"must_change_password": True})


def account_created(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    """An account created by someone else through a page (an administrator) must change its password at the first
    login; imports call `require_password_change` themselves."""
    if not created or raw:
        return
    user_id, _, _ = actor()
    if user_id is not None and user_id != instance.pk:
        require_password_change(instance)


def logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """user_logged_in: remember in the session whether the account must change its password."""
    if request is not None and hasattr(request, "session"):
        mark_session(request, user)


def password_changed(request: HttpRequest, user: Any) -> None:
    from dondoc.audit.models import AccountFlag

    AccountFlag.objects.filter(user=user).update(must_change_password=False)
    request.session.pop(SESSION_FLAG, None)


class PasswordChangeRequiredMiddleware:
    """Sends a flagged account to the password-change page until it has chosen its own password. Place after
    AuthenticationMiddleware. Static files, logging out and the change page itself stay reachable."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.session.get(SESSION_FLAG):
            allowed = (
                reverse("password_change"),
                reverse("logout"),
                reverse("otp_verify"),
                settings.STATIC_URL,
            )
            if not request.path.startswith(allowed):
                return redirect(reverse("password_change"))
        return self.get_response(request)
