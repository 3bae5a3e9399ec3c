"""Every API error is a JSON body `{"detail": ..., "errors": [{"field", "message"}]}` in Vietnamese.

The same shape for 400, 401, 403, 404, 409 and 422, declared on every operation of the schema, so a client (and
schemathesis) can rely on it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.html import strip_tags
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from dondoc.tracking.actions import StaleEdit

UNAUTHENTICATED = (
    "Chưa xác thực: gửi khóa API trong tiêu đề «Authorization: Bearer <khóa>» "
    "(hoặc đăng nhập), khóa phải còn hiệu lực."
)
NOT_FOUND = "Không tìm thấy (hoặc bạn không có quyền xem)."
BAD_BODY = "Thân yêu cầu không phải JSON hợp lệ."
TOO_BIG = "Thân yêu cầu quá lớn: tối đa {mb} MB."
# What an error answered outside the API's own handlers (an unknown address, a wrong method, a body too large read
# by Django before the API, a server error) says, by status: the same JSON shape as every other API error.
STATUS_MESSAGES = {
    400: "Yêu cầu không hợp lệ.",
    401: UNAUTHENTICATED,
    403: "Bạn không có quyền thực hiện chức năng này.",
    404: "Không tìm thấy địa chỉ API này.",
    405: "Phương thức HTTP không được hỗ trợ tại địa chỉ này.",
    413: "Thân yêu cầu quá lớn.",
    500: "Lỗi máy chủ; hãy thử lại sau ít phút.",
    503: "Cơ sở dữ liệu tạm thời không truy cập được; hãy thử lại sau ít phút.",
}


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldError] = []


def error_responses(*codes: int) -> dict[int, type[ErrorOut]]:
    return {code: ErrorOut for code in codes}


# Pydantic's error types, said in Vietnamese; the field is named by the caller.
PYDANTIC_MESSAGES: dict[str, str] = {
    "missing": "thiếu giá trị bắt buộc",
    "int_parsing": "phải là số nguyên",
    "int_type": "phải là số nguyên",
    "int_from_float": "phải là số nguyên",
    "bool_parsing": "phải là true hoặc false",
    "bool_type": "phải là true hoặc false",
    "date_parsing": "ngày không hợp lệ, dùng dạng yyyy-mm-dd",
    "date_from_datetime_parsing": "ngày không hợp lệ, dùng dạng yyyy-mm-dd",
    "date_from_datetime_inexact": "ngày không hợp lệ, dùng dạng yyyy-mm-dd",
    "date_type": "ngày không hợp lệ, dùng dạng yyyy-mm-dd",
    "string_type": "phải là chuỗi ký tự",
    "list_type": "phải là danh sách",
    "model_attributes_type": "phải là một đối tượng JSON",
    "dict_type": "phải là một đối tượng JSON",
    "model_type": "phải là một đối tượng JSON",
    "json_invalid": "không phải JSON hợp lệ",
    "string_pattern_mismatch": "không đúng định dạng",
    "enum": "không thuộc các giá trị cho phép",
    "literal_error": "không thuộc các giá trị cho phép",
    "extra_forbidden": "không phải trường của yêu cầu này (xem lược đồ OpenAPI)",
}


def _pydantic_message(err: Mapping[str, Any]) -> str:
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind == "greater_than_equal":
        return f"phải lớn hơn hoặc bằng {ctx.get('ge')}"
    if kind == "less_than_equal":
        return f"phải nhỏ hơn hoặc bằng {ctx.get('le')}"
    if kind == "greater_than":
        return f"phải lớn hơn {ctx.get('gt')}"
    if kind == "string_too_long":
        return f"dài quá {ctx.get('max_length')} ký tự"
    if kind == "string_too_short":
        return f"phải có ít nhất {ctx.get('min_length')} ký tự"
    return PYDANTIC_MESSAGES.get(kind, f"giá trị không hợp lệ ({kind})")


def _field_of(loc: Iterable[Any]) -> str:
    """The request field an error is about: the last named part of its location (body, query or path)."""
    parts = [str(p) for p in loc if not isinstance(p, int)]
    names = [p for p in parts if p not in {"body", "query", "path", "payload", "filters", "page"}]
    return names[-1] if names else "body"


def body(detail: str, errors: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {"detail": detail, "errors": errors or []}


def validation_body(errors: list[dict[str, str]]) -> dict[str, Any]:
    first = errors[0] if errors else {"field": "", "message": "Dữ liệu không hợp lệ."}
    return body(f"Trường «{first['field']}»: {first['message']}", errors)


def form_errors(form: forms.BaseForm, names: Mapping[str, str] | None = None) -> list[dict[str, str]]:
    """A bound form's errors as field/message pairs; `names` maps a form field to its API name."""
    out = []
    names = names or {}
    for field, messages in form.errors.items():
        api_field = names.get(field, field) if field != "__all__" else "body"
        label = form.fields[field].label if field in form.fields else None
        for message in messages:
            text = strip_tags(str(message))
            out.append({"field": api_field, "message": f"{label}: {text}" if label else text})
    return out


def django_validation_errors(exc: DjangoValidationError) -> list[dict[str, str]]:
    if hasattr(exc, "error_dict"):
        return [
            {"field": "body" if f == "__all__" else f, "message": strip_tags(m)}
            for f, messages in exc.message_dict.items()
            for m in messages
        ]
    return [{"field": "body", "message": strip_tags(m)} for m in exc.messages]


def install(api: NinjaAPI) -> None:
    """Replace ninja's English error bodies by the Vietnamese ones above."""

    @api.exception_handler(NinjaValidationError)
    def _validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [{"field": _field_of(e.get("loc", ())), "message": _pydantic_message(e)} for e in exc.errors]
        for e in errors:
            e["message"] = f"«{e['field']}» {e['message']}."
        return api.create_response(request, validation_body(errors), status=422)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(request, body(UNAUTHENTICATED), status=401)

    @api.exception_handler(HttpError)
    def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        message = BAD_BODY if exc.status_code == 400 else str(exc)
        return api.create_response(request, body(message), status=exc.status_code)

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, body(NOT_FOUND), status=404)

    @api.exception_handler(PermissionDenied)
    def _denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        message = str(exc) or "Bạn không có quyền thực hiện chức năng này."
        return api.create_response(request, body(message), status=403)

    @api.exception_handler(StaleEdit)
    def _stale(request: HttpRequest, exc: StaleEdit) -> HttpResponse:
        return api.create_response(
            request, body(exc.messages[0], [{"field": "version", "message": exc.messages[0]}]), status=409
        )

    @api.exception_handler(RequestDataTooBig)
    def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return api.create_response(request, body(too_big()), status=413)

    @api.exception_handler(DjangoValidationError)
    def _invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return api.create_response(request, validation_body(django_validation_errors(exc)), status=422)


def too_big() -> str:
    return TOO_BIG.format(mb=settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024))


class JsonErrorsMiddleware:
    """Under the API's prefix, every error answers in the API's JSON shape, including those made before or around
    the API's own handlers (Django's 404 for an unknown address, its 400 for a body over
    DATA_UPLOAD_MAX_MEMORY_SIZE, a 500): an HTML error page is replaced by `{"detail", "errors"}`."""

    PREFIX = "/api/v1/"

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            not request.path.startswith(self.PREFIX)
            or response.status_code < 400
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        status = response.status_code
        message = STATUS_MESSAGES.get(status) or STATUS_MESSAGES[500 if status >= 500 else 400]
        if (
            status == 400
            and int(request.META.get("CONTENT_LENGTH") or 0) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        ):
            status, message = 413, too_big()
        out = JsonResponse(body(message), status=status, json_dumps_params={"ensure_ascii": False})
        for header in ("Allow", "WWW-Authenticate", "Retry-After"):
            if header in response:
                out[header] = response[header]
        return out
