"""Files of a directive (its signed scan, appendices): attached by the City Office, checked by content and size,
downloaded only by those who see the directive, always as an attachment, each download in the audit trail."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dondoc.audit.models import AuditEntry
from dondoc.directives.models import Attachment

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def attach(client, person, directive, name="3031-UBND-TKBT.pdf", content=PDF):
    client.force_login(person.user)
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    return client.post(reverse("directives:attachment_add", args=[directive.pk]), {"file": upload})


def test_city_office_attaches_a_file_and_the_page_lists_it(client, personas, directive, frozen):
    response = attach(client, personas["tracker"], directive)
    assert response.status_code == 302
    attachment = Attachment.objects.get(directive=directive)
    assert attachment.name == "3031-UBND-TKBT.pdf"
    page = client.get(reverse("directives:detail", args=[directive.pk])).content.decode()
    assert (
        "3031-UBND-TKBT.pdf" in page
        and reverse("directives:attachment_file", args=[directive.pk, attachment.pk]) in page
    )
    assert AuditEntry.objects.filter(object_type="directives.attachment", action="create").count() == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("chi-thi.pdf", b"MZ\x90\x00 not a pdf", "không phải tệp PDF hợp lệ"),
        ("chi-thi.exe", b"MZ\x90\x00", "chỉ nhận PDF, DOCX, XLSX, PNG hoặc JPEG"),
    ],
)
def test_bad_files_are_refused_with_a_message_naming_the_field(
    client, personas, directive, name, content, message
):
    response = attach(client, personas["tracker"], directive, name=name, content=content)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and "Tệp văn bản:" in page
    assert not Attachment.objects.exists()


def test_too_large_a_file_is_refused(client, personas, directive, settings):
    settings.UPLOAD_MAX_MB = 1
    response = attach(client, personas["tracker"], directive, content=PDF + b"0" * (1024 * 1024))
    assert response.status_code == 400 and "quá lớn" in response.content.decode()
    assert not Attachment.objects.exists()


def test_no_file_chosen(client, personas, directive):
    client.force_login(personas["tracker"].user)
    response = client.post(reverse("directives:attachment_add", args=[directive.pk]), {})
    assert response.status_code == 400 and "Chưa chọn tệp." in response.content.decode()


def test_only_the_registrars_attach_or_delete(client, personas, directive):
    assert attach(client, personas["lead_officer"], directive).status_code == 403
    assert not Attachment.objects.exists()
    attach(client, personas["tracker"], directive)
    attachment = Attachment.objects.get()
    client.force_login(personas["leader"].user)
    url = reverse("directives:attachment_delete", args=[directive.pk, attachment.pk])
    assert client.post(url).status_code == 403
    client.force_login(personas["tracker"].user)
    assert client.post(url).status_code == 302
    assert not Attachment.objects.exists()


def test_download_is_an_attachment_for_those_who_see_the_directive_and_is_recorded(
    client, personas, directive, secret_directive
):
    attach(client, personas["tracker"], directive)
    attachment = Attachment.objects.get()
    url = reverse("directives:attachment_file", args=[directive.pk, attachment.pk])
    client.force_login(personas["lead_officer"].user)
    response = client.get(url, REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF
    entry = AuditEntry.objects.filter(action="export").latest("id")
    assert entry.username == "sxd.cv1" and entry.address == "10.0.0.7"
    # A secret directive's file: not for people without clearance (404, nothing recorded).
    secret = secret_directive
    attach(client, personas["tracker"], secret)
    hidden = Attachment.objects.get(directive=secret)
    exports = AuditEntry.objects.filter(action="export").count()
    client.force_login(personas["lead_officer"].user)
    assert client.get(reverse("directives:attachment_file", args=[secret.pk, hidden.pk])).status_code == 404
    # and not through another directive's address either
    assert (
        client.get(reverse("directives:attachment_file", args=[directive.pk, hidden.pk])).status_code == 404
    )
    assert AuditEntry.objects.filter(action="export").count() == exports
