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

The state lives in the session, set once at login (one query per login, none per page).
"""

from __future__ import annotations

import re
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
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from dondoc.org.access import person_of
from dondoc.org.models import Person

SESSION_PENDING = "dondoc_otp_pending"  # password accepted, code not yet entered
SESSION_ENROLL = "dondoc_otp_enroll"  # OTP_REQUIRED_FOR_LEADERS and no device yet
DEVICE_NAME = "Ứng dụng xác thực"
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


OK, MALFORMED, WAIT, WRONG = "ok", "malformed", "wait", "wrong"


def _check(form: CodeForm, device: TOTPDevice) -> str:
    """OK when ``device`` accepts the form's code; otherwise why not (the Vietnamese reason is on the form).
    Only WRONG is a guess: a malformed code or one sent while the device makes the user wait is not tried."""
    if not form.is_valid():
        return MALFORMED
    allowed, info = device.verify_is_allowed()
    if not allowed:
        form.add_error("code", f"{FIELD}: đã nhập sai nhiều lần; hãy chờ {_wait(info)} rồi thử lại.")
        return WAIT
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
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        outcome = _check(form, device)
        if outcome == OK:
            otp_login(request, device)
            request.session.pop(SESSION_PENDING, None)
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
    return render(request, "core/otp_verify.html", {"form": form, "next": _next(request)})


def _secret(device: TOTPDevice) -> str:
    """The key in base32 as authenticator apps take it, in groups of four for reading aloud."""
    raw = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2)
    svg: str = image.to_string(encoding="unicode")
    return svg.replace("<svg ", '<svg role="img" aria-label="Mã QR để thêm vào ứng dụng xác thực" ', 1)


@login_required
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """Enrol a device (secret + confirmation code) or disable the enrolled one (needs a code)."""
    user: Any = request.user
    if not eligible(user):
        raise PermissionDenied("Chỉ lãnh đạo Thành phố và quản trị viên dùng xác thực hai bước.")
    device = confirmed_device(user)
    form = CodeForm(request.POST or None)
    if device is not None:
        if request.method == "POST" and _check(form, device) == OK:
            device.delete()  # the audit trail records the deletion
            request.session.pop(SESSION_PENDING, None)
            messages.success(request, "Đã tắt xác thực hai bước.")
            if settings.OTP_REQUIRED_FOR_LEADERS:
                request.session[SESSION_ENROLL] = True
                messages.warning(request, "Hệ thống yêu cầu xác thực hai bước: hãy đăng ký lại ứng dụng.")
            return redirect("otp_setup")
        return render(request, "core/otp_setup.html", {"device": device, "form": form})

    pending = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).order_by("pk").first()
    if pending is None:
        pending = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    if request.method == "POST" and _check(form, pending) == OK:
        pending.confirmed = True
        pending.save()  # the audit trail records the change to "confirmed"
        TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).delete()
        otp_login(request, pending)
        request.session.pop(SESSION_ENROLL, None)
        messages.success(
            request, "Đã bật xác thực hai bước: từ lần đăng nhập sau, hệ thống sẽ hỏi mã xác thực."
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
    return render(request, "core/otp_setup.html", context)


urlpatterns = [
    path("dang-nhap/ma-xac-thuc/", verify, name="otp_verify"),
    path("tai-khoan/hai-buoc/", setup, name="otp_setup"),
]
