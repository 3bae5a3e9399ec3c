"""The "Khóa API" page (a person's own tokens, each shown once) and the spreadsheet import pages."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from dondoc.api import spreadsheet
from dondoc.api.models import ApiToken, ImportRun
from dondoc.org import roles
from dondoc.org.access import require_role

MAX_ACTIVE_TOKENS = 10
NEW_TOKEN_KEY = "dondoc_new_api_token"


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Tên gợi nhớ",
        max_length=80,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "Ví dụ: Bảng tính theo dõi"}),
        error_messages={
            "required": "Phải đặt tên gợi nhớ cho khóa.",
            "max_length": "Tên gợi nhớ tối đa 80 ký tự.",
        },
    )


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """List the user's tokens; on POST create one, then redirect (a reload never creates a second one) and show its
    value on the next page only: it is kept in the session until shown, then dropped."""
    owner: Any = request.user  # signed in (login_required)
    form = TokenForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if ApiToken.objects.active().filter(user=owner).count() >= MAX_ACTIVE_TOKENS:
            form.add_error(
                None, f"Mỗi người có tối đa {MAX_ACTIVE_TOKENS} khóa còn hiệu lực; hãy thu hồi khóa cũ."
            )
        if form.is_valid():
            _, request.session[NEW_TOKEN_KEY] = ApiToken.issue(owner, form.cleaned_data["name"].strip())
            return redirect("api:tokens")
        status = 400
    raw = request.session.pop(NEW_TOKEN_KEY, "")
    response = render(
        request,
        "api/tokens.html",
        {"form": form, "raw": raw, "tokens": ApiToken.objects.filter(user=owner)},
        status=status,
    )
    response["Cache-Control"] = "no-store"  # the page may carry a token in clear
    return response


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the user's own tokens; another person's token is not found (404)."""
    owner: Any = request.user
    token = get_object_or_404(ApiToken.objects.active(), pk=pk, user=owner)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    messages.success(request, f"Đã thu hồi khóa «{token.name}».")
    return redirect("api:tokens")


# ------------------------------------------------------------------------------------- spreadsheet import

SESSION_KEY = "dondoc_import_file"


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Tệp Excel (.xlsx)",
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx"}),
        error_messages={"required": "Phải chọn tệp Excel để nhập."},
    )


def _stash_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


@login_required
@require_role(*roles.CITY_OFFICE)
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        spreadsheet.template(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-nhiem-vu.xlsx"'
    return response


@login_required
@require_role(*roles.CITY_OFFICE)
def import_upload(request: HttpRequest) -> HttpResponse:
    """Step 1: upload → check every row → a preview (or the list of bad rows); nothing is written yet."""
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"form": form}
    status = 200
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["file"].read()
        try:
            result = spreadsheet.plan(content, request.user)
        except spreadsheet.ImportFileError as exc:
            form.add_error("file", str(exc))
            status = 400
        else:
            context["plan"] = result
            if result.errors:
                status = 400
            else:
                name = f"{uuid.uuid4().hex}.xlsx"
                (_stash_dir() / name).write_bytes(content)
                request.session[SESSION_KEY] = name
    elif request.method == "POST":
        status = 400
    return render(request, "api/import.html", context, status=status)


@login_required
@require_POST
@require_role(*roles.CITY_OFFICE)
def import_confirm(request: HttpRequest) -> HttpResponse:
    """Step 2: import the previewed file, all or nothing, in one transaction."""
    name = request.session.pop(SESSION_KEY, "")
    path = _stash_dir() / name if name and name.endswith(".xlsx") and "/" not in name else None
    if path is None or not path.exists():
        messages.error(request, "Không còn tệp đã xem trước; hãy tải tệp lên lại.")
        return redirect("api:import")
    try:
        content = path.read_bytes()
        try:
            rows = len(spreadsheet.read(content))
        except spreadsheet.ImportFileError as exc:
            messages.error(request, str(exc))
            return redirect("api:import")
        if rows > settings.IMPORT_INLINE_MAX_ROWS:
            run = spreadsheet.queue(content, request.user, rows)
            messages.info(
                request, f"Tệp có {rows} dòng: đang nhập ở chế độ nền; trang này tự cập nhật tiến độ."
            )
            return redirect(run)
        result = spreadsheet.run(content, request.user)
    finally:
        path.unlink(missing_ok=True)
    if result.errors:
        return render(request, "api/import.html", {"form": ImportForm(), "plan": result}, status=400)
    messages.success(
        request,
        f"Đã nhập {result.new_directives} văn bản mới và {result.new_tasks} nhiệm vụ mới (dự thảo); "
        f"bỏ qua {len(result.tasks) - result.new_tasks} nhiệm vụ đã có.",
    )
    return redirect("directives:list")


@login_required
@require_role(*roles.CITY_OFFICE)
def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    """A background import: its progress (polled by htmx every 2 s), then its counts or its bad rows."""
    run = get_object_or_404(ImportRun, pk=pk)
    return render(request, "api/import_run.html", {"run": run})


@login_required
@require_role(*roles.CITY_OFFICE)
def import_run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress block alone, polled by htmx until the import is done or failed."""
    run = get_object_or_404(ImportRun, pk=pk)
    return render(request, "api/import_progress.html", {"run": run})
