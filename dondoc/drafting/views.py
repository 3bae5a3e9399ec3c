"""Pages of the draft checker (dispatch 3031 §3): paste or upload → findings by clause → correct → register.

The draft's text is kept between the steps in the user's session (server-side, a few drafts at most), not in a
table: nothing about a draft is stored until the officer registers it.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from dondoc.directives.models import Directive
from dondoc.drafting import present
from dondoc.drafting.checks import check_document
from dondoc.drafting.extract import Document, extract
from dondoc.drafting.forms import DraftDirectiveForm, DraftForm, DraftTaskFormSet, RegisterOptionsForm
from dondoc.drafting.registration import directive_initial, issuer_of, recorded_heirs, register, task_initial
from dondoc.org import roles
from dondoc.org.access import has_role, require_role
from dondoc.workdays import calendar

log = logging.getLogger(__name__)

SESSION_KEY = "drafting.drafts"
KEEP_DRAFTS = 5


def _store(request: HttpRequest, text: str, source: str, issued_on: date | None) -> str:
    drafts: dict[str, Any] = dict(request.session.get(SESSION_KEY, {}))
    token = secrets.token_urlsafe(9)
    drafts[token] = {
        "text": text,
        "source": source,
        "issued_on": issued_on.isoformat() if issued_on else None,
        "at": timezone.now().isoformat(),
    }
    # Only the latest few: the session is not an archive.
    for old in sorted(drafts, key=lambda k: drafts[k]["at"])[:-KEEP_DRAFTS]:
        del drafts[old]
    request.session[SESSION_KEY] = drafts
    return token


def _with_draft(
    view: Callable[[HttpRequest, str, dict[str, Any]], HttpResponse],
) -> Callable[[HttpRequest, str], HttpResponse]:
    """A page of one draft kept in the session, given the draft; a token no longer there (the session expired, or
    the draft was registered) sends the user back to the check page with a warning."""

    @wraps(view)
    def wrapper(request: HttpRequest, token: str) -> HttpResponse:
        draft = request.session.get(SESSION_KEY, {}).get(token)
        if not isinstance(draft, dict):
            messages.warning(
                request,
                "Dự thảo này không còn trong phiên làm việc (phiên đã hết hạn hoặc đã đăng ký). Hãy kiểm tra lại.",
            )
            return redirect("drafting:check")
        return view(request, token, draft)

    return wrapper


def _forget(request: HttpRequest, token: str) -> None:
    drafts = dict(request.session.get(SESSION_KEY, {}))
    drafts.pop(token, None)
    request.session[SESSION_KEY] = drafts


def _read(draft: dict[str, Any]) -> Document:
    ref = date.fromisoformat(draft["issued_on"]) if draft.get("issued_on") else None
    return extract(draft["text"], ref_date=ref, calendar=calendar.current())


def _is_registrar(request: HttpRequest) -> bool:
    return has_role(request.user, roles.CITY_OFFICE)


@login_required
@require_role(*roles.DRAFT_CHECKERS)
def check(request: HttpRequest) -> HttpResponse:
    """Paste or upload a draft; a valid one is kept in the session and its findings shown."""
    form = DraftForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        token = _store(request, data["draft_text"], data["source"], data.get("issued_on"))
        return redirect("drafting:result", token=token)
    return render(request, "drafting/check.html", {"form": form}, status=400 if form.is_bound else 200)


@login_required
@require_role(*roles.DRAFT_CHECKERS)
@_with_draft
def result(request: HttpRequest, token: str, draft: dict[str, Any]) -> HttpResponse:
    """The text with every task clause marked, and each clause's lead, deadline, report and findings."""
    try:
        doc = _read(draft)
        findings = check_document(doc, calendar=calendar.current(), heirs=recorded_heirs())
    except Exception:  # the extractor is rules over free text: never a server error for an odd draft
        log.exception("draft could not be read")
        messages.error(request, "Không phân tích được nội dung dự thảo này. Hãy kiểm tra lại văn bản.")
        return redirect("drafting:check")
    clauses = present.clauses(doc, findings)
    return render(
        request,
        "drafting/result.html",
        {
            "token": token,
            "source": draft.get("source"),
            "doc": doc,
            "meta": doc.meta,
            "issued_on": present.vi_date(doc.meta.date),
            "issuer": issuer_of(doc),
            "clauses": clauses,
            "marked": present.marked_text(doc, clauses),
            "summary": present.summary(doc, findings),
            "can_register": _is_registrar(request),
        },
    )


@login_required
@require_role(*roles.CITY_OFFICE)
@_with_draft
def register_view(request: HttpRequest, token: str, draft: dict[str, Any]) -> HttpResponse:
    """Correct the extracted directive and tasks, then register them all in one transaction."""
    doc = _read(draft)
    initial_tasks = task_initial(doc)
    cal = calendar.current()
    posted = request.method == "POST"
    dform = DraftDirectiveForm(
        request.POST if posted else None, initial=directive_initial(doc), reader=request.user
    )
    oform = RegisterOptionsForm(request.POST if posted else None)
    # Deadlines such as "10 ngày làm việc" count from the directive's date; until it is valid, from the draft's.
    stand_in = Directive(issued_on=doc.meta.date or timezone.localdate())
    if posted and dform.is_valid():
        stand_in = dform.instance
    formset = DraftTaskFormSet(
        request.POST if posted else None,
        initial=initial_tasks,
        form_kwargs={"directive": stand_in, "calendar": cal},
        prefix="nv",
    )
    quiet = False
    if posted and "add_row" in request.POST:
        data = request.POST.copy()
        total = data.get("nv-TOTAL_FORMS") or "0"
        data["nv-TOTAL_FORMS"] = str(int(total) + 1 if total.isdigit() else len(initial_tasks))
        formset = DraftTaskFormSet(
            data, initial=initial_tasks, form_kwargs={"directive": stand_in, "calendar": cal}, prefix="nv"
        )
        quiet = True
    elif posted:
        valid = dform.is_valid() & oform.is_valid() & formset.is_valid()
        if valid:
            try:
                done = register(
                    dform,
                    formset.rows(),  # type: ignore[attr-defined]
                    request.user,
                    full_text=draft["text"],
                    assign_now=oform.cleaned_data["assign_now"],
                )
            except ValidationError as exc:
                messages.error(request, "Chưa đăng ký: " + " ".join(exc.messages))
            except IntegrityError:
                messages.error(request, "Chưa đăng ký: văn bản này vừa được vào sổ. Hãy kiểm tra sổ văn bản.")
            else:
                _forget(request, token)
                what = "đã giao" if done.assigned else "dự thảo"
                messages.success(
                    request,
                    f"Đã vào sổ văn bản {done.directive.notation} và đăng ký {done.tasks} nhiệm vụ ({what}).",
                )
                return redirect(done.directive)
    return render(
        request,
        "drafting/register.html",
        {
            "token": token,
            "doc": doc,
            "dform": dform,
            "oform": oform,
            "formset": formset,
            "quiet": quiet,
            "row_errors": [] if quiet or not posted else _row_errors(formset),
        },
        status=400 if posted and not quiet else 200,
    )


def _row_errors(formset: Any) -> list[str]:
    """Every refused task row as "Nhiệm vụ N — field: message", so the officer sees where to look."""
    out: list[str] = []
    for number, form in enumerate(formset.forms, start=1):
        if formset.can_delete and formset._should_delete_form(form):
            continue
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else "Nhiệm vụ"
            out.extend(f"Nhiệm vụ {number} — {label}: {e}" for e in errors)
    out.extend(str(e) for e in formset.non_form_errors())
    return out
