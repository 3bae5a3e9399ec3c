"""edXML in the REST API: import a package, download a directive's status message (DOMAIN.md §10)."""

from __future__ import annotations

from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import strip_tags
from ninja import File, Path, Router, Schema
from ninja.files import UploadedFile

from dondoc.api import edxml, errors
from dondoc.api.edxml_views import DUPLICATE_RACE, XML, _initial
from dondoc.api.schemas import MAX_ID
from dondoc.audit import record_export
from dondoc.directives.models import Directive
from dondoc.org import roles
from dondoc.org.access import has_role

router = Router(tags=["edXML"])
DirectiveId = Annotated[int, Path(..., ge=1, le=MAX_ID, description="Mã (id) văn bản")]


class EdxmlOut(Schema):
    id: int
    document_id: str
    business_type: int
    directive_id: int
    notation: str
    note: str
    tasks_to_confirm: int
    confirm_url: str


@router.post(
    "",
    response={200: EdxmlOut, **errors.error_responses(400, 401, 403, 404, 409, 422)},
    summary="Nhận một gói edXML",
)
def import_edxml(request: HttpRequest, file: File[UploadedFile]) -> dict[str, Any]:
    """Register (or revoke, update, replace) from an edXML package, all or nothing; the extracted tasks are confirmed
    on the page at `confirm_url`. Only the City Office's tracking officers and administrators may."""
    if not has_role(request.user, roles.CITY_OFFICE):
        raise PermissionDenied("Chỉ cán bộ theo dõi của Văn phòng UBND và quản trị viên được nhận gói edXML.")
    try:
        package = edxml.import_package(file.read(), request.user)
    except edxml.EdxmlError as exc:
        raise ValidationError({"file": strip_tags(str(exc.args[0]))}) from None
    except IntegrityError:
        raise ValidationError({"file": DUPLICATE_RACE}) from None
    return {
        "id": package.pk,
        "document_id": package.document_id,
        "business_type": package.business_type,
        "directive_id": package.directive_id,
        "notation": package.directive.notation,
        "note": package.note,
        "tasks_to_confirm": len(_initial(package)) if package.business_type in (0, 3) else 0,
        "confirm_url": reverse("api:edxml_package", args=[package.pk]),
    }


@router.get(
    "/directives/{directive_id}/status/{code}",
    response={200: None, **errors.error_responses(400, 401, 403, 404, 422)},
    summary="Thông điệp trạng thái edXML của văn bản (03, 04, 06)",
    openapi_extra={
        "responses": {200: {"description": "Thông điệp trạng thái edXML", "content": {"application/xml": {}}}}
    },
)
def status_message(request: HttpRequest, directive_id: DirectiveId, code: str) -> HttpResponse:
    directive = get_object_or_404(
        Directive.objects.visible_to(request.user).select_related("issuer"), pk=directive_id
    )
    if not edxml.may_answer(request.user, code):
        raise PermissionDenied(edxml.REFUSED_STATUS.format(code=code))
    found = next((s for s in edxml.statuses(directive) if s.code == code), None)
    if found is None:
        raise Http404
    content = edxml.status_xml(directive, found)
    record_export(request, f"Thông điệp trạng thái edXML {code} (API)", obj=directive)
    return HttpResponse(content, content_type=XML)
