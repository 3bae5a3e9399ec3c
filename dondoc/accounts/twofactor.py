"""Two-factor login (TOTP, django-otp) for leaders and administrators.

Rules:
- Who may use it: a person whose role is *Lãnh đạo Thành phố* (leader), or an administrator (``is_staff`` or
  ``is_superuser``). Everyone else gets 403 on the enrolment page.
- Enrolment (``/tai-khoan/hai-buoc/``): the secret is shown as base32 text, as an ``otpauth://`` URI and as a QR code
  (SVG drawn on the server); the device is confirmed only by a correct 6-digit code from the app. Disabling also
  needs a correct code.
- Login: after the password step, an account with a confirmed device reaches no page but the code page
  (``/dang-nhap/ma-xac-thuc/``) and logout until it enters a correct code. Each wrong code is a failed login (the
  audit trail records it, django-axes counts it towards the account's lockout); ``OTP_FAILURE_LIMIT`` wrong codes in
  a row (counted on the device, so logging in again does not reset them) end the session. django-otp also makes the
  device wait 1, 2, 4, 8 … seconds after each wrong code, and accepts each code only once.
- ``OTP_REQUIRED_FOR_LEADERS=1``: a leader or administrator without a device is sent to the enrolment page after
  login and reaches no other page (except the password change) until enrolled.
- Recovery codes (*mã khôi phục*, django-otp's static device): turning two-factor on gives 10 one-time codes,
  shown once (the next page view pops them from the session; the page prints them alone). Each one replaces a
  6-digit code once, at the login step and to disable or regenerate; a wrong one is a wrong code like any other (a
  failed login, counted towards the same limit and the same wait on the TOTP device). The two-factor page shows how
  many are left; ``/tai-khoan/hai-buoc/ma-khoi-phuc/`` makes a new set (a current code needed; the old set dies).
  Only a salted SHA-256 digest of each code is stored, and the audit trail records that codes were made, used or
  dropped and how many are left, never a code or its digest. Disabling two-factor drops the codes.

The state lives in the session, set once at login (one query per login, none per page).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from base64 import b32encode
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.dispatch import Signal
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from dondoc.audit import chain
from dondoc.audit.models import AuditEntry
from dondoc.org.access import person_of
from dondoc.org.models import Person

# Sent when a person turns two-factor login on (kwargs: request, user). The API answers by revoking the tokens the
# person made before (`dondoc.api.tokens`): a token stolen before enrolment must not keep the access 2FA now guards.
enrolled = Signal()

SESSION_PENDING = "dondoc_otp_pending"  # password accepted, code not yet entered
SESSION_ENROLL = "dondoc_otp_enroll"  # OTP_REQUIRED_FOR_LEADERS and no device yet
SESSION_FRESH_CODES = "dondoc_otp_fresh_codes"  # recovery codes just made, shown at the next page view only
DEVICE_NAME = "Ứng dụng xác thực"
RECOVERY_NAME = "Mã khôi phục"
RECOVERY_COUNT = 10
RECOVERY_FEW = 3  # at or below this many left, the pages urge a new set
# 31 letters and digits with none of the look-alikes (0/o, 1/l/i): 12 of them ≈ 59 bits per code.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_LENGTH = 12
FIELD = "«Mã xác thực»"


def eligible(user: Any) -> bool:
    """Leaders and administrators may (and, with OTP_REQUIRED_FOR_LEADERS, must) use two-factor login."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    person = person_of(user)
    return person is not None and person.role == Person.Role.LEADER


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("pk").first()


def logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """user_logged_in: remember in the session what the account must still do before reaching a page."""
    if request is None or not hasattr(request, "session"):
        return
    request.session.pop(SESSION_PENDING, None)
    request.session.pop(SESSION_ENROLL, None)
    if confirmed_device(user) is not None:
        request.session[SESSION_PENDING] = True
    elif settings.OTP_REQUIRED_FOR_LEADERS and eligible(user):
        request.session[SESSION_ENROLL] = True


class TwoFactorMiddleware:
    """Sends an account that owes a code to the code page, and (OTP_REQUIRED_FOR_LEADERS) one that owes an
    enrolment to the enrolment page. Place right after django-otp's OTPMiddleware and before
    PasswordChangeRequiredMiddleware: the code comes before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None:
            if session.get(SESSION_PENDING):
                target = reverse("otp_verify")
                if not request.path.startswith((target, reverse("logout"), settings.STATIC_URL)):
                    if request.method == "GET" and request.path != reverse("home"):
                        return redirect(f"{target}?next={quote(request.get_full_path(), safe='/')}")
                    return redirect(target)
            elif session.get(SESSION_ENROLL):
                target = reverse("otp_setup")
                allowed = (target, reverse("logout"), reverse("password_change"), settings.STATIC_URL)
                if not request.path.startswith(allowed):
                    return redirect(target)
        return self.get_response(request)


class CodeForm(forms.Form):
    """A 6-digit code; spaces are ignored ("123 456")."""

    code = forms.CharField(
        label="Mã xác thực",
        max_length=20,
        error_messages={"required": f"{FIELD}: chưa nhập mã."},
    )

    def clean_code(self) -> str:
        code = re.sub(r"\s+", "", self.cleaned_data["code"])
        if not re.fullmatch(r"\d{6}", code):
            raise forms.ValidationError(f"{FIELD}: phải gồm đúng 6 chữ số.")
        return code


class SecondFactorForm(CodeForm):
    """A 6-digit code from the app, or a recovery code ("abcd-efgh-jkmn": case, spaces and dashes ignored).
    ``kind`` says which, once valid."""

    kind = ""

    def clean_code(self) -> str:
        raw = re.sub(r"\s+", "", self.cleaned_data["code"])
        if re.fullmatch(r"\d{6}", raw):
            self.kind = "totp"
            return raw
        code = raw.replace("-", "").lower()
        if len(code) == RECOVERY_LENGTH and all(c in RECOVERY_ALPHABET for c in code):
            self.kind = "recovery"
            return code
        raise forms.ValidationError(
            f"{FIELD}: phải gồm đúng 6 chữ số, hoặc là một mã khôi phục gồm {RECOVERY_LENGTH} chữ và số "
            "(dạng abcd-efgh-jkmn)."
        )


OK, RECOVERED, MALFORMED, WAIT, WRONG = "ok", "recovered", "malformed", "wait", "wrong"


def _check(form: CodeForm, device: TOTPDevice, recovery: StaticDevice | None = None) -> str:
    """OK when ``device`` accepts the form's code, RECOVERED when the code is one of ``recovery``'s codes (now
    used up); otherwise why not (the Vietnamese reason is on the form). Only WRONG is a guess: a malformed code or
    one sent while the device makes the user wait is not tried. Recovery codes are throttled and counted on the
    TOTP device too, so both kinds of guess share one limit and one wait."""
    if not form.is_valid():
        return MALFORMED
    allowed, info = device.verify_is_allowed()
    if not allowed:
        form.add_error("code", f"{FIELD}: đã nhập sai nhiều lần; hãy chờ {_wait(info)} rồi thử lại.")
        return WAIT
    if getattr(form, "kind", "") == "recovery":
        if recovery is not None and use_recovery_code(recovery, form.cleaned_data["code"]):
            device.throttle_reset()
            return RECOVERED
        device.throttle_increment()
        form.add_error(
            "code",
            f"{FIELD}: mã khôi phục không đúng hoặc đã được dùng (mỗi mã khôi phục chỉ dùng được một lần).",
        )
        return WRONG
    if device.verify_token(form.cleaned_data["code"]):
        return OK
    form.add_error(
        "code",
        f"{FIELD}: mã không đúng hoặc đã được dùng. Hãy nhập mã đang hiển thị trong ứng dụng xác thực "
        "(mỗi mã đổi sau 30 giây và chỉ dùng được một lần).",
    )
    return WRONG


def _wait(info: dict[str, Any] | None) -> str:
    from django.utils import timezone

    until = (info or {}).get("locked_until")
    if until is None:
        return "ít phút"
    seconds = max(1, int((until - timezone.now()).total_seconds() + 0.999))
    return f"{seconds} giây" if seconds < 120 else f"{seconds // 60} phút"


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


# --- recovery codes --------------------------------------------------------------------------------------------


def recovery_device(user: Any) -> StaticDevice | None:
    """The holder of ``user``'s recovery codes (one per account), if codes were ever made."""
    return StaticDevice.objects.filter(user_id=user.pk, name=RECOVERY_NAME).order_by("pk").first()


def recovery_left(device: StaticDevice | None) -> int:
    return 0 if device is None else device.token_set.count()


def _digest(device: StaticDevice, code: str) -> str:
    """What is stored of a code: SHA-256 of the device's id and the code, 16 hex digits (StaticToken holds 16).
    A copy of the database or of a backup gives no usable code; the id salts it per account."""
    return hashlib.sha256(f"{device.pk}:{code}".encode()).hexdigest()[:16]


def shown(code: str) -> str:
    """A code as printed: "abcd-efgh-jkmn" (the dashes and the case are ignored when typed back)."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def _audit_codes(action: str, device: StaticDevice, user: Any, note: str, before: Any, after: Any) -> None:
    """An audit entry about a user's recovery codes: how many, never which (no code, no digest)."""
    chain.append_by_actor(
        action=action,
        object_type="otp_static.staticdevice",
        object_id=str(device.pk),
        object_repr=f"{RECOVERY_NAME} của {user.get_username()}: {note}",
        before=before,
        after=after,
    )


@transaction.atomic
def new_recovery_codes(user: Any) -> list[str]:
    """Make a new set of RECOVERY_COUNT codes for ``user``; the old set, if any, dies at once. Returns the codes in
    clear — the only moment they exist outside the user's hands."""
    device, created = StaticDevice.objects.get_or_create(
        user_id=user.pk, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    # Two tabs regenerating at once: one after the other, so one set survives, not a mix of both.
    device = StaticDevice.objects.select_for_update().get(pk=device.pk)
    old = device.token_set.count()
    device.token_set.all().delete()
    codes: list[str] = []
    while len(codes) < RECOVERY_COUNT:
        code = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=_digest(device, c)) for c in codes])
    if created:
        _audit_codes(AuditEntry.Action.CREATE, device, user, "tạo mã", None, {"remaining": RECOVERY_COUNT})
    else:
        _audit_codes(
            AuditEntry.Action.UPDATE,
            device,
            user,
            "tạo bộ mã mới, bộ cũ hết hiệu lực",
            {"remaining": old},
            {"remaining": RECOVERY_COUNT},
        )
    return codes


def use_recovery_code(device: StaticDevice, code: str) -> bool:
    """True, once, for each code of the set: the code's row is deleted by the same statement that finds it, so two
    requests racing with the same code cannot both succeed (the second deletes nothing)."""
    with transaction.atomic():
        deleted, _ = StaticToken.objects.filter(device=device, token=_digest(device, code)).delete()
        if not deleted:
            return False
        left = device.token_set.count()
        device.set_last_used_timestamp()
        _audit_codes(
            AuditEntry.Action.UPDATE,
            device,
            device.user,
            "đã dùng một mã",
            {"remaining": left + 1},
            {"remaining": left},
        )
    return True


def drop_recovery_codes(user: Any) -> None:
    """Two-factor turned off: its recovery codes go with it."""
    for device in StaticDevice.objects.filter(user_id=user.pk):
        left = device.token_set.count()
        _audit_codes(
            AuditEntry.Action.DELETE, device, user, "hủy cùng xác thực hai bước", {"remaining": left}, None
        )
        device.delete()


def _fresh_codes(request: HttpRequest) -> list[str] | None:
    """The codes just made, taken out of the session: they are shown by one page view and never again."""
    codes = request.session.pop(SESSION_FRESH_CODES, None)
    return [shown(c) for c in codes] if codes else None


# --- pages -----------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second login step: the code from the authenticator app."""
    user: Any = request.user
    if not user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    device = confirmed_device(user)
    if not request.session.get(SESSION_PENDING) or device is None:
        request.session.pop(SESSION_PENDING, None)  # device removed by an administrator meanwhile
        return redirect(_next(request))
    recovery = recovery_device(user)
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST":
        outcome = _check(form, device, recovery)
        if outcome in (OK, RECOVERED):
            otp_login(request, device if outcome == OK else recovery)
            request.session.pop(SESSION_PENDING, None)
            if outcome == RECOVERED:
                left = recovery_left(recovery)
                text = f"Đã đăng nhập bằng một mã khôi phục; còn {left} mã chưa dùng."
                if left <= RECOVERY_FEW:
                    text += " Hãy tạo bộ mã khôi phục mới tại trang «Xác thực hai bước»."
                messages.warning(request, text)
            return redirect(_next(request))
        if outcome == WRONG:
            # A failed login: the audit trail records it and django-axes counts it against the account.
            user_login_failed.send(
                sender=__name__, credentials={"username": user.get_username()}, request=request
            )
            device.refresh_from_db()
            if device.throttling_failure_count >= settings.OTP_FAILURE_LIMIT or getattr(
                request, "axes_locked_out", False
            ):
                logout(request)
                messages.error(
                    request,
                    f"Đã nhập sai mã xác thực {settings.OTP_FAILURE_LIMIT} lần liên tiếp: phiên đăng nhập đã "
                    "kết thúc. Hãy đăng nhập lại.",
                )
                return redirect(settings.LOGIN_URL)
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next(request)})


def _secret(device: TOTPDevice) -> str:
    """The key in base32 as authenticator apps take it, in groups of four for reading aloud."""
    raw = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2)
    svg: str = image.to_string(encoding="unicode")
    return svg.replace("<svg ", '<svg role="img" aria-label="Mã QR để thêm vào ứng dụng xác thực" ', 1)


@never_cache  # fresh recovery codes must not stay in the browser's cache
@login_required
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """Enrol a device (secret + confirmation code) or disable the enrolled one (needs a code, or a recovery code).
    Enrolling makes the first set of recovery codes, shown once on the page it leads to."""
    user: Any = request.user
    if not eligible(user):
        raise PermissionDenied("Chỉ lãnh đạo Thành phố và quản trị viên dùng xác thực hai bước.")
    device = confirmed_device(user)
    if device is not None:
        recovery = recovery_device(user)
        disable = SecondFactorForm(request.POST or None)
        if request.method == "POST" and _check(disable, device, recovery) in (OK, RECOVERED):
            device.delete()  # the audit trail records the deletion
            drop_recovery_codes(user)
            request.session.pop(SESSION_PENDING, None)
            messages.success(request, "Đã tắt xác thực hai bước.")
            if settings.OTP_REQUIRED_FOR_LEADERS:
                request.session[SESSION_ENROLL] = True
                messages.warning(request, "Hệ thống yêu cầu xác thực hai bước: hãy đăng ký lại ứng dụng.")
            return redirect("otp_setup")
        context = {
            "device": device,
            "form": disable,
            "left": recovery_left(recovery),
            "few": RECOVERY_FEW,
            "fresh": _fresh_codes(request),
        }
        return render(request, "accounts/otp_setup.html", context)

    form = CodeForm(request.POST or None)
    pending = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).order_by("pk").first()
    if pending is None:
        pending = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    if request.method == "POST" and _check(form, pending) == OK:
        pending.confirmed = True
        pending.save()  # the audit trail records the change to "confirmed"
        TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).delete()
        enrolled.send(sender=__name__, request=request, user=user)
        otp_login(request, pending)
        request.session.pop(SESSION_ENROLL, None)
        request.session[SESSION_FRESH_CODES] = new_recovery_codes(user)
        messages.success(
            request,
            "Đã bật xác thực hai bước: từ lần đăng nhập sau, hệ thống sẽ hỏi mã xác thực. Hãy in hoặc chép lại "
            f"{RECOVERY_COUNT} mã khôi phục dưới đây.",
        )
        return redirect("otp_setup")
    uri = pending.config_url
    context = {
        "form": form,
        "secret": _secret(pending),
        "uri": uri,
        "qr": mark_safe(_qr_svg(uri)),  # noqa: S308 - drawn by qrcode from our own URI, no user markup
        "forced": bool(request.session.get(SESSION_ENROLL)),
    }
    return render(request, "accounts/otp_setup.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def recovery_page(request: HttpRequest) -> HttpResponse:
    """How many recovery codes are left, and a new set on a current code (the old set dies)."""
    user: Any = request.user
    if not eligible(user):
        raise PermissionDenied("Chỉ lãnh đạo Thành phố và quản trị viên dùng xác thực hai bước.")
    device = confirmed_device(user)
    if device is None:
        messages.info(request, "Mã khôi phục đi kèm xác thực hai bước: hãy bật xác thực hai bước trước.")
        return redirect("otp_setup")
    recovery_codes = recovery_device(user)
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and _check(form, device, recovery_codes) in (OK, RECOVERED):
        request.session[SESSION_FRESH_CODES] = new_recovery_codes(user)
        messages.success(request, "Đã tạo bộ mã khôi phục mới; các mã cũ không còn dùng được.")
        return redirect("otp_recovery")
    context = {
        "form": form,
        "left": recovery_left(recovery_codes),
        "few": RECOVERY_FEW,
        "count": RECOVERY_COUNT,
        "fresh": _fresh_codes(request),
    }
    return render(request, "accounts/otp_recovery.html", context)


urlpatterns = [
    path("dang-nhap/ma-xac-thuc/", verify, name="otp_verify"),
    path("tai-khoan/hai-buoc/", setup, name="otp_setup"),
    path("tai-khoan/hai-buoc/ma-khoi-phuc/", recovery_page, name="otp_recovery"),
]
