from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_texts
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy

from dondoc.accounts import policy


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý mật khẩu phân biệt chữ hoa, chữ thường.",
        "inactive": "Tài khoản này đã bị khóa.",
    }


class LoginView(auth_views.LoginView):
    template_name = "login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        context = super().get_context_data(**kwargs)
        if settings.DEMO:
            from dondoc.demo.loader import demo_logins

            context["demo_logins"] = demo_logins()
        return context


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's own password; clears the first-login flag (dondoc.accounts.policy)."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        context = super().get_context_data(**kwargs)
        context["forced"] = bool(self.request.session.get(policy.SESSION_FLAG))
        context["password_rules"] = password_validators_help_texts()
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Guessing the current password here is guessing a login: refused while the account or the address is
        locked out (HTTP 429)."""
        from axes.handlers.proxy import AxesProxyHandler

        if AxesProxyHandler.is_locked(request, self._credentials()):
            return lockout(request, credentials=self._credentials())
        return super().post(request, *args, **kwargs)

    def _credentials(self) -> dict[str, str]:
        return {"username": self.request.user.get_username()}

    def form_invalid(self, form: Any) -> HttpResponse:
        if form.has_error("old_password", "password_incorrect"):
            # A failed login: the audit trail records it, django-axes counts it (account and address).
            user_login_failed.send(sender=__name__, credentials=self._credentials(), request=self.request)
            if getattr(self.request, "axes_locked_out", False):
                credentials = self._credentials()
                logout(self.request)
                return lockout(self.request, credentials=credentials)
        return super().form_invalid(form)

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        policy.password_changed(self.request, form.user)
        messages.success(self.request, "Đã đổi mật khẩu.")
        return response


def lockout(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the Vietnamese lockout page, HTTP 429."""
    from axes.helpers import get_client_username

    context = {
        "username": get_client_username(request, credentials) or "",
        "lockout_minutes": settings.LOGIN_LOCKOUT_MINUTES,
        "cooloff_timedelta": settings.LOGIN_LOCKOUT_MINUTES > 0,
    }
    return render(request, "accounts/lockout.html", context, status=429)
