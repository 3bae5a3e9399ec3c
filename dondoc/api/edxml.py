"""edXML exchange (DOMAIN.md §10, QCVN 102:2016/BTTTT): import of packages, status messages, export.

Rules:
1. Lenient on import: elements are found by local name in or out of the namespace; dates in ``yyyy/MM/dd``,
   ``dd/MM/yyyy`` or ``yyyy-MM-dd`` (a time part is ignored); the document type by its name or its abbreviation.
2. Exact on export: namespace ``http://www.mic.gov.vn/TBT/QCVN_102_2016``, dates ``yyyy/MM/dd``, timestamps
   ``yyyy/MM/dd HH:mm:ss`` (Asia/Ho_Chi_Minh), ``DocumentId`` = ``<sender code>,<yyyy/MM/dd>,<number/notation>``.
3. Malformed XML, a missing required element or a bad attachment is refused with a Vietnamese message naming the
   element, and nothing is changed (one transaction). XML with a DTD or entities is refused (defusedxml).
4. A new document already received (same DocumentId) or already in the register (same number, symbol, issuer
   and year) is refused with a link to it.
5. BussinessDocType 1 revoke: every open or draft task of the linked directive is cancelled (``actions.cancel``,
   with the reason); 2 update: the directive's metadata is updated; 3 replace: the new directive is registered and
   every open or draft task of the replaced one is cancelled, naming its replacement (the register has no
   "superseded" state: a cancelled task keeps its history and leaves the counts, as a withdrawn one does).
"""

from __future__ import annotations

import base64
import binascii
import io
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath
from typing import Any
from xml.etree import ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from dondoc.api.models import EdxmlPackage
from dondoc.api.spreadsheet import UnitIndex
from dondoc.core.dates import out_of_range
from dondoc.core.text import fold
from dondoc.core.uploads import UnpackError, check_upload, sniff, unpacked_size
from dondoc.directives.forms import DirectiveForm, symbol_of
from dondoc.directives.models import Attachment, Directive
from dondoc.directives.notation import TYPE_NAMES, NotationError, parse_notation
from dondoc.drafting.reader import UnreadableFile, decode_text, read_bytes
from dondoc.drafting.registration import AUTHORITY_OF_KIND
from dondoc.org.models import Unit
from dondoc.tracking import actions
from dondoc.tracking import timeliness as tl

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
MAX_BYTES = 30 * 1024 * 1024
MAX_FILES = 50
CANCELLABLE = (tl.DRAFT, *tl.OPEN_STATES)
PRIORITY_URGENCY = {
    "0": Directive.Urgency.NORMAL,
    "1": Directive.Urgency.URGENT,
    "2": Directive.Urgency.VERY_URGENT,
    "3": Directive.Urgency.FLASH,
}
STATUS_TEXT = {
    "01": "Đã đến",
    "02": "Từ chối tiếp nhận",
    "03": "Đã vào sổ",
    "04": "Đã phân công xử lý",
    "05": "Đang xử lý",
    "06": "Đã hoàn thành",
}
SIGNER_PREFIXES = ("TUQ.", "TM.", "KT.", "TL.", "Q.")


class EdxmlError(ValueError):
    """The package cannot be imported; the message (Vietnamese, may hold a link) names the element."""


@dataclass
class EdxmlAttachment:
    name: str
    content: bytes


@dataclass
class Package:
    """What an edXML envelope says, as read leniently."""

    document_id: str
    business_type: int
    organ_id: str
    organ_name: str
    code_number: str
    code_notation: str
    promulgation_date: date | None
    place: str = ""
    type_name: str = ""
    subject: str = ""
    content: str = ""
    signer_competence: str = ""
    signer_position: str = ""
    signer_name: str = ""
    due_date: date | None = None
    to_places: list[str] = field(default_factory=list)
    priority: str = "0"
    reason: str = ""
    replaces: list[str] = field(default_factory=list)
    attachments: list[EdxmlAttachment] = field(default_factory=list)

    @property
    def notation(self) -> str:
        return f"{self.code_number}/{self.code_notation}" if self.code_notation else self.code_number


# ------------------------------------------------------------------------------------------------------ reading


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _find(node: ET.Element | None, *path: str) -> ET.Element | None:
    """The first descendant along `path` (local names, any namespace), each step searched at any depth."""
    for name in path:
        if node is None:
            return None
        node = next((e for e in node.iter() if e is not node and _local(e.tag) == name), None)
    return node


def _all(node: ET.Element | None, name: str) -> list[ET.Element]:
    return [] if node is None else [e for e in node.iter() if _local(e.tag) == name]


def _text(node: ET.Element | None, *path: str) -> str:
    found = _find(node, *path)
    return " ".join("".join(found.itertext()).split()) if found is not None else ""


def _require(node: ET.Element | None, *path: str) -> str:
    value = _text(node, *path)
    if not value:
        raise EdxmlError(f"Gói edXML thiếu phần tử bắt buộc «{'/'.join(path)}».")
    return value


def parse_date(value: str, element: str) -> date | None:
    """A date as senders write it: yyyy/MM/dd, dd/MM/yyyy or yyyy-MM-dd, with or without a time part."""
    value = value.strip().split("T")[0].split(" ")[0]
    if not value:
        return None
    for fmt in ("%Y/%m/%d", "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            day = datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        if far := out_of_range(day, value):
            raise EdxmlError(f"Phần tử «{element}»: {far[0].lower()}{far[1:]}")
        return day
    raise EdxmlError(f"Phần tử «{element}»: ngày «{value}» không hợp lệ (dùng yyyy/MM/dd hoặc dd/MM/yyyy).")


def type_name(value: str) -> str:
    """The document type by its name ("Chỉ thị") or its abbreviation ("CT"); unknown ones are kept as written."""
    key = fold(value)
    for abbr, name in TYPE_NAMES.items():
        if key in {fold(abbr), fold(name)}:
            return name
    return value.strip()


def parse(content: bytes) -> Package:
    """Read an edXML envelope; every problem is an EdxmlError naming the element."""
    if len(content) > MAX_BYTES:
        raise EdxmlError(f"Gói edXML lớn quá {MAX_BYTES // (1024 * 1024)} MB.")
    try:
        root = fromstring(content, forbid_dtd=True)
    except DefusedXmlException:
        raise EdxmlError("Gói edXML có khai báo DTD hoặc thực thể (entity): không được phép.") from None
    except ET.ParseError as exc:
        line, col = getattr(exc, "position", (0, 0))
        raise EdxmlError(f"Gói edXML không phải XML hợp lệ (dòng {line}, cột {col + 1}).") from None
    header = _find(root, "MessageHeader")
    if header is None:
        raise EdxmlError("Gói edXML thiếu phần tử bắt buộc «MessageHeader».")
    sender = _find(header, "From")
    if sender is None:
        raise EdxmlError("Gói edXML thiếu phần tử bắt buộc «MessageHeader/From».")
    organ_id = _text(sender, "OrganId")
    organ_name = _text(sender, "OrganName")
    if not organ_id and not organ_name:
        raise EdxmlError("Gói edXML thiếu phần tử bắt buộc «From/OrganId» (hoặc «From/OrganName»).")
    number = _require(header, "Code", "CodeNumber")
    raw_business = _text(root, "Bussiness", "BussinessDocType") or "0"
    if raw_business not in {"0", "1", "2", "3"}:
        raise EdxmlError(
            f"Phần tử «Bussiness/BussinessDocType»: giá trị «{raw_business}» không hợp lệ (0–3)."
        )
    promulgated = parse_date(_require(header, "PromulgationInfo", "PromulgationDate"), "PromulgationDate")
    raw_type = _text(header, "DocumentType", "TypeName") or _text(header, "DocumentType", "Type")
    signer = _find(header, "SignerInfo")
    other = _find(header, "OtherInfo")
    priority = _text(other, "Priority") or "0"
    if priority not in PRIORITY_URGENCY:
        raise EdxmlError(f"Phần tử «OtherInfo/Priority»: giá trị «{priority}» không hợp lệ (0–3).")
    business = _find(root, "Bussiness")
    replaces = [_text(r, "DocumentId") for r in _all(business, "ReplacementInfo")]
    pkg = Package(
        document_id=_require(header, "DocumentId"),
        business_type=int(raw_business),
        organ_id=organ_id,
        organ_name=organ_name,
        code_number=number,
        code_notation=_text(header, "Code", "CodeNotation"),
        promulgation_date=promulgated,
        place=_text(header, "PromulgationInfo", "Place"),
        type_name=type_name(raw_type) if raw_type else "",
        subject=_text(header, "Subject"),
        content=_content(header),
        signer_competence=_text(signer, "Competence"),
        signer_position=_text(signer, "Position"),
        signer_name=_text(signer, "FullName"),
        due_date=parse_date(_text(header, "DueDate"), "DueDate"),
        to_places=[t for t in (_text(p) for p in _all(_find(header, "ToPlaces"), "Place")) if t],
        priority=priority,
        reason=_text(business, "BussinessDocReason"),
        replaces=[r for r in replaces if r],
    )
    if pkg.business_type in (0, 3) and not pkg.subject:
        raise EdxmlError("Gói edXML thiếu phần tử bắt buộc «Subject» (trích yếu).")
    pkg.attachments = _attachments(root)
    return pkg


def _content(header: ET.Element) -> str:
    found = _find(header, "Content")
    if found is None:
        return ""
    return "\n".join(line.strip() for line in "".join(found.itertext()).strip().splitlines())


def _attachments(root: ET.Element) -> list[EdxmlAttachment]:
    """Base64 attachments (``AttachmentEncoded/Attachment``); a zip payload is unpacked into its files.

    What the whole package unpacks to is capped at MAX_BYTES, not each zip: every attachment counts its own bytes,
    a zip the sizes of its files, a DOCX/XLSX what its parts unpack to (`uploads.unpacked_size`), all read from
    the zip directories before anything is unpacked (50 attachments of 30 MB each would be 1.5 GB)."""
    out: list[EdxmlAttachment] = []
    budget = Budget()
    for node in _all(root, "Attachment"):
        name = PurePath(_text(node, "AttachmentName") or _text(node, "ContentId") or "tep-dinh-kem").name
        value = _find(node, "Value")
        encoded = "".join(value.itertext()) if value is not None else ""
        if not encoded.strip():
            raise EdxmlError(f"Tệp đính kèm «{name}»: thiếu nội dung (phần tử «Value»).")
        try:
            data = base64.b64decode("".join(encoded.split()), validate=True)
        except (binascii.Error, ValueError):
            raise EdxmlError(f"Tệp đính kèm «{name}»: nội dung không phải base64 hợp lệ.") from None
        if data.startswith(b"PK\x03\x04") and sniff(data[:8], io.BytesIO(data)) is None:
            out += _unzip(data, name, budget)
        else:
            budget.spend(_unpacked(data, name) if data.startswith(b"PK\x03\x04") else len(data), name)
            out.append(EdxmlAttachment(name, data))
        if len(out) > MAX_FILES:
            raise EdxmlError(f"Gói edXML có quá {MAX_FILES} tệp đính kèm.")
    return out


@dataclass
class Budget:
    """The bytes a package's attachments may still unpack to."""

    left: int = MAX_BYTES

    def spend(self, size: int, name: str) -> None:
        self.left -= size
        if self.left < 0:
            raise EdxmlError(
                f"Tệp đính kèm «{name}»: các tệp của gói edXML khi giải nén lớn quá "
                f"{MAX_BYTES // (1024 * 1024)} MB."
            )


def _unpacked(data: bytes, name: str) -> int:
    try:
        return unpacked_size(data, name, MAX_BYTES)
    except UnpackError as exc:
        raise EdxmlError(f"Tệp đính kèm: {exc}") from None


def _unzip(data: bytes, name: str, budget: Budget) -> list[EdxmlAttachment]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [info for info in archive.infolist() if not info.is_dir()]
    except zipfile.BadZipFile:
        raise EdxmlError(f"Tệp đính kèm «{name}»: tệp nén zip bị hỏng.") from None
    if len(infos) > MAX_FILES:
        raise EdxmlError(f"Tệp đính kèm «{name}»: tệp nén có quá {MAX_FILES} tệp.")
    for info in infos:  # the declared sizes, before unpacking anything: reading never yields more
        budget.spend(info.file_size, name)
    out: list[EdxmlAttachment] = []
    for info in infos:
        try:
            content = archive.read(info)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError):
            # e.g. a header that under-declares the size: the part fails its CRC check
            raise EdxmlError(f"Tệp đính kèm «{name}»: tệp nén zip bị hỏng (tệp «{info.filename}»).") from None
        member = PurePath(info.filename.replace("\\", "/")).name
        if content.startswith(b"PK\x03\x04"):
            budget.spend(_unpacked(content, member), member)
        out.append(EdxmlAttachment(member, content))
    return out


def _checked_file(att: EdxmlAttachment) -> ContentFile[bytes]:
    """An attachment as the register stores it: PDF, DOCX, XLSX, PNG, JPEG checked by content, or UTF-8 text."""
    file = ContentFile(att.content, name=att.name)
    if PurePath(att.name).suffix.lower() == ".txt":
        try:
            decode_text(att.content, att.name)
        except UnreadableFile:
            raise EdxmlError(f"Tệp đính kèm «{att.name}»: không phải văn bản UTF-8.") from None
        return file
    try:
        check_upload(file, "file")
    except ValidationError as exc:
        messages = " ".join(exc.messages)
        raise EdxmlError(f"Tệp đính kèm: {messages}") from None
    return file


def text_of(pkg: Package) -> str:
    """The text the extractor reads: the Content element, else the first readable DOCX, TXT or PDF attachment."""
    if pkg.content.strip():
        return pkg.content
    for att in pkg.attachments:
        if PurePath(att.name).suffix.lower() in (".docx", ".txt", ".pdf"):
            try:
                text = read_bytes(att.content, att.name)
            except UnreadableFile:
                continue
            if text.strip():
                return text
    return ""


# ----------------------------------------------------------------------------------------------------- importing


def _issuer(pkg: Package) -> Unit:
    if pkg.organ_id:
        unit = Unit.objects.by_organ_id(pkg.organ_id)
        if unit is not None:
            return unit
    found, why = UnitIndex().find(pkg.organ_name or pkg.organ_id)
    if found is None:
        raise EdxmlError(f"Phần tử «From»: cơ quan gửi «{pkg.organ_id or pkg.organ_name}» — {why}.")
    return found


def _signer_prefix(competence: str) -> str:
    for prefix in SIGNER_PREFIXES:
        if competence.upper().startswith(prefix.upper()):
            return prefix
    return ""


def _form_data(pkg: Package, issuer: Unit, authority: str) -> dict[str, Any]:
    return {
        "notation": pkg.notation,
        "issued_on": pkg.promulgation_date.strftime("%d/%m/%Y") if pkg.promulgation_date else "",
        "issuer": str(issuer.pk),
        "authority": authority,
        "subject": pkg.subject[:500],
        "signer_prefix": _signer_prefix(pkg.signer_competence),
        "signer_name": pkg.signer_name[:120],
        "signer_position": pkg.signer_position[:120],
        "recipients": "\n".join(pkg.to_places),
        "urgency": PRIORITY_URGENCY[pkg.priority],
        "secrecy": "",
        "full_text": pkg.content,
    }


FIELD_ELEMENT = {
    "notation": "Code",
    "issued_on": "PromulgationInfo/PromulgationDate",
    "issuer": "From",
    "authority": "From",
    "subject": "Subject",
    "signer_prefix": "SignerInfo/Competence",
    "signer_name": "SignerInfo/FullName",
    "signer_position": "SignerInfo/Position",
    "urgency": "OtherInfo/Priority",
}


def _form_error(form: DirectiveForm) -> EdxmlError:
    """The form's errors, each naming its element; DirectiveForm's duplicate message keeps its (safe) link."""
    parts = []
    for name, errors in form.errors.as_data().items():
        element = FIELD_ELEMENT.get(name)
        for error in errors:
            for message in error.messages:
                text = conditional_escape(message)
                parts.append(format_html("Phần tử «{}»: {}", element, text) if element else text)
    return EdxmlError(mark_safe(" ".join(parts)))  # noqa: S308 - every part escaped above


def _linked(document_id: str, user: Any) -> Directive:
    """The directive a revoke/update/replace refers to: the one received under that DocumentId, else the one its
    parts name (sender code → issuer, date → year, number/notation → number and symbol) — among those `user` may
    see (`Directive.objects.visible_to`), so that every edXML write path (page, API) refuses a secret directive to
    one not cleared for it with the very answer given for an unknown document, and changes nothing."""
    visible = Directive.objects.visible_to(user)
    known = EdxmlPackage.objects.filter(
        document_id=document_id, business_type__in=[0, 3], directive__in=visible
    ).first()
    if known is not None:
        return known.directive
    parts = [p.strip() for p in document_id.split(",", 2)]
    if len(parts) == 3:
        try:
            parsed = parse_notation(parts[2])
            day = parse_date(parts[1], "DocumentId")
        except (NotationError, EdxmlError):
            parsed, day = None, None
        issuer = Unit.objects.by_organ_id(parts[0])
        if parsed is not None and day is not None and issuer is not None:
            found = visible.same_notation(
                parsed.number, symbol_of(parsed), issuer, parsed.year or day.year
            ).first()
            if found is not None:
                return found
    raise EdxmlError(
        f"Phần tử «DocumentId»: không tìm thấy văn bản «{document_id}» trong sổ để thu hồi, cập nhật hoặc thay thế."
    )


def _cancel_open(directive: Directive, user: Any, reason: str) -> int:
    count = 0
    for task in directive.tasks.filter(state__in=CANCELLABLE).order_by("pk"):
        actions.cancel(task, user, reason=reason)
        count += 1
    return count


def _save_attachments(directive: Directive, pkg: Package) -> int:
    files = [(_checked_file(att), att.name) for att in pkg.attachments]
    for file, name in files:
        Attachment.objects.create(directive=directive, file=file, name=name[:200])
    return len(files)


@transaction.atomic
def import_package(content: bytes, user: Any) -> EdxmlPackage:
    """Import one package (rules 1–5 above). Raises EdxmlError, with nothing written, when it cannot."""
    pkg = parse(content)
    if pkg.business_type in (1, 2):
        return _revoke_or_update(pkg, user)
    known = EdxmlPackage.objects.filter(document_id=pkg.document_id, business_type__in=[0, 3]).first()
    if known is not None and not Directive.objects.may_see(user, known.directive):
        # the DocumentId is unique (the refusal cannot be helped), but nothing of a secret directive is shown
        raise EdxmlError(f"Gói edXML «{pkg.document_id}» đã được nhận.")
    if known is not None:
        raise EdxmlError(
            format_html(
                'Gói edXML «{}» đã được nhận ngày {}: <a href="{}">xem văn bản đã vào sổ</a>.',
                pkg.document_id,
                timezone.localtime(known.received_at).strftime("%d/%m/%Y"),
                reverse("directives:detail", args=[known.directive_id]),
            )
        )
    old = _linked(pkg.replaces[0], user) if pkg.business_type == 3 and pkg.replaces else None
    if pkg.business_type == 3 and old is None:
        raise EdxmlError("Gói thay thế thiếu phần tử «ReplacementInfoList/ReplacementInfo/DocumentId».")
    issuer = _issuer(pkg)
    authority = AUTHORITY_OF_KIND.get(issuer.kind)  # type: ignore[call-overload]
    if authority is None:
        raise EdxmlError(
            f"Phần tử «From»: «{issuer.name}» không phải cấp giao nhiệm vụ "
            "(Chính phủ, Thành ủy, HĐND, UBND hoặc Chủ tịch UBND Thành phố)."
        )
    form = DirectiveForm(_form_data(pkg, issuer, str(authority)), reader=user)
    if not form.is_valid():
        raise _form_error(form)
    directive = form.save()
    files = _save_attachments(directive, pkg)
    note = f"Vào sổ văn bản {directive.notation} với {files} tệp đính kèm."
    if old is not None:
        cancelled = _cancel_open(
            old, user, f"Văn bản {old.notation} bị thay thế bởi văn bản {directive.notation} (gói edXML)."
        )
        note += f" Thay thế văn bản {old.notation}: hủy {cancelled} nhiệm vụ chưa hoàn thành của văn bản cũ."
    return _received(pkg, directive, user, note, text=text_of(pkg))


def _revoke_or_update(pkg: Package, user: Any) -> EdxmlPackage:
    directive = _linked(pkg.document_id, user)
    if pkg.business_type == 1:
        reason = f"Văn bản {directive.notation} bị thu hồi (gói edXML {pkg.document_id})"
        reason += f": {pkg.reason}." if pkg.reason else "."
        count = _cancel_open(directive, user, reason)
        note = f"Thu hồi văn bản {directive.notation}: hủy {count} nhiệm vụ chưa hoàn thành."
    else:
        data = _form_data(pkg, directive.issuer, directive.authority)
        data["secrecy"] = directive.secrecy
        if not pkg.content:
            data["full_text"] = directive.full_text
        for key in ("subject", "signer_prefix", "signer_name", "signer_position", "recipients"):
            if not data[key]:
                data[key] = getattr(directive, key)
        form = DirectiveForm(data, instance=directive, reader=user)
        if not form.is_valid():
            raise _form_error(form)
        form.save()
        files = _save_attachments(directive, pkg)
        note = f"Cập nhật thông tin văn bản {directive.notation}; thêm {files} tệp đính kèm."
    return _received(pkg, directive, user, note)


def _received(pkg: Package, directive: Directive, user: Any, note: str, text: str = "") -> EdxmlPackage:
    """The package as kept in the received register: what it is, from whom, the directive it made or changed and
    what was done (`note`); `text` is the directive's text for extraction (a new directive only)."""
    return EdxmlPackage.objects.create(
        document_id=pkg.document_id,
        business_type=pkg.business_type,
        directive=directive,
        sender_code=pkg.organ_id[:60],
        sender_name=pkg.organ_name[:255],
        due_date=pkg.due_date,
        text=text,
        note=note,
        received_by=user,
    )


# --------------------------------------------------------------------------------------------------- writing


def _el(parent: ET.Element, name: str, text: str | None = None) -> ET.Element:
    node = ET.SubElement(parent, f"{{{NS}}}{name}")
    if text is not None:
        node.text = text
    return node


def _organ(parent: ET.Element, name: str, unit: Unit | None) -> None:
    node = _el(parent, name)
    _el(node, "OrganId", unit.organ_id if unit else "")
    _el(node, "OrganName", unit.name if unit else "")


def _stamp(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y/%m/%d %H:%M:%S")


def _serialize(root: ET.Element) -> bytes:
    ET.register_namespace("edXML", NS)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def document_id(sender_code: str, day: date, notation: str) -> str:
    """``<sender code>,<yyyy/MM/dd>,<number/notation>`` exactly."""
    return f"{sender_code},{day:%Y/%m/%d},{notation}"


def directive_document_id(directive: Directive) -> str:
    """The DocumentId a directive was received under, else the one its own fields give."""
    pkg = directive.edxml_packages.filter(business_type__in=[0, 3]).order_by("received_at").first()
    if pkg is not None:
        return pkg.document_id
    return document_id(directive.issuer.organ_id, directive.issued_on, directive.notation)


def our_organ() -> Unit | None:
    """The organ that answers: the City People's Committee of the registry."""
    return Unit.objects.filter(kind=Unit.Kind.CITY_COMMITTEE, valid_to__isnull=True).order_by("pk").first()


@dataclass
class Status:
    code: str
    at: datetime
    description: str


#: The status messages that count the directive's tasks — every one of them, secret tasks too (the issuer is owed the
#: true count). An uncleared reader is never given them, whether or not the directive has a secret task: a refusal
#: that depended on one would tell it exists, and "06" would tell when it was finished.
COUNTING_STATUSES = frozenset({"04", "06"})

REFUSED_STATUS = (
    "Thông điệp trạng thái {code} đếm mọi nhiệm vụ của văn bản, kể cả nhiệm vụ mật: "
    "chỉ người được xem tài liệu mật mới tải được."
)


def may_answer(user: Any, code: str) -> bool:
    """Whether `user` may be given the status message `code` of a directive they see."""
    from dondoc.tracking.secrecy import cleared

    return code not in COUNTING_STATUSES or cleared(user)


def statuses_for(directive: Directive, user: Any) -> list[Status]:
    """The status messages of `directive` that `user` may be given (see `may_answer`): the counting ones (04, 06)
    are computed only for a reader who may be given them."""
    counting = all(may_answer(user, code) for code in COUNTING_STATUSES)
    return [s for s in statuses(directive, counting=counting) if may_answer(user, s.code)]


def statuses(directive: Directive, *, counting: bool = True) -> list[Status]:
    """The status messages a directive can answer with now: 03 registered, 04 assigned, 06 completed (these two,
    which count every task of the directive, only with `counting`)."""
    from dondoc.tracking.models import TaskEvent

    out = [Status("03", directive.created_at, f"Đã vào sổ văn bản {directive.notation}.")]
    if not counting:
        return out
    tasks = directive.tasks.all()
    first_assign = (
        TaskEvent.objects.filter(task__directive=directive, action=TaskEvent.Action.ASSIGN)
        .order_by("at")
        .first()
    )
    if first_assign is not None:
        count = tasks.exclude(state__in=[tl.DRAFT]).count()
        out.append(Status("04", first_assign.at, f"Đã giao {count} nhiệm vụ cho đơn vị chủ trì."))
    live = tasks.exclude(state=tl.CANCELLED)
    if live.exists() and not live.exclude(state=tl.COMPLETED).exists():
        last = TaskEvent.objects.filter(task__in=live).order_by("-at").first()
        at = last.at if last is not None else timezone.now()
        out.append(Status("06", at, f"Đã hoàn thành {live.count()} nhiệm vụ của văn bản."))
    return out


def status_xml(directive: Directive, status: Status) -> bytes:
    """A status message (QCVN 102 ``Status``) about the directive, from our organ to its issuer."""
    root = ET.Element(f"{{{NS}}}Status")
    header = _el(root, "Header")
    _organ(header, "From", our_organ())
    _organ(header, "To", directive.issuer)
    response = _el(header, "ResponseFor")
    _el(response, "OrganId", directive.issuer.organ_id)
    _el(response, "Code", directive.notation)
    _el(response, "PromulgationDate", f"{directive.issued_on:%Y/%m/%d}")
    _el(response, "DocumentId", directive_document_id(directive))
    _el(header, "StatusCode", status.code)
    _el(header, "Description", f"{STATUS_TEXT[status.code]}: {status.description}")
    _el(header, "Timestamp", _stamp(status.at))
    return _serialize(root)


def export_outgoing(doc: Any) -> bytes:
    """An OutgoingDocument (letter or report the product wrote) as an edXML package, exact formats."""
    notation = doc.notation
    number, _, code_notation = notation.partition("/")
    root = ET.Element(f"{{{NS}}}edXMLEnvelope")
    header = _el(_el(root, "edXMLHeader"), "MessageHeader")
    _organ(header, "From", doc.issuer)
    if doc.recipient_unit is not None:
        _organ(header, "To", doc.recipient_unit)
    code = _el(header, "Code")
    _el(code, "CodeNumber", number)
    _el(code, "CodeNotation", code_notation)
    promulgation = _el(header, "PromulgationInfo")
    _el(promulgation, "Place", "Hà Nội")
    _el(promulgation, "PromulgationDate", f"{doc.issued_on:%Y/%m/%d}")
    doc_type = _el(header, "DocumentType")
    _el(doc_type, "Type", str(doc.doc_type))
    _el(doc_type, "TypeName", str(doc.get_doc_type_display()))
    _el(header, "Subject", doc.subject)
    to_places = _el(header, "ToPlaces")
    if doc.recipient_unit is not None:
        _el(to_places, "Place", doc.recipient_unit.name)
    other = _el(header, "OtherInfo")
    _el(other, "Priority", "0")
    _el(header, "DocumentId", document_id(doc.issuer.organ_id, doc.issued_on, notation))
    trace = root.find(f"{{{NS}}}edXMLHeader")
    assert trace is not None
    trace_list = _el(trace, "TraceHeaderList")
    hop = _el(trace_list, "TraceHeader")
    _el(hop, "OrganId", doc.issuer.organ_id)
    _el(hop, "Timestamp", _stamp(timezone.now()))
    _el(_el(trace_list, "Bussiness"), "BussinessDocType", "0")
    manifest = _el(root, "edXMLManifest")
    encoded = _el(root, "AttachmentEncoded")
    for kind, mime in (
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("pdf", "application/pdf"),
    ):
        stored = getattr(doc, kind)
        if not stored:
            continue
        with stored.open("rb") as handle:
            data = handle.read()
        name = f"{notation.replace('/', '-')}.{kind}"
        ref = _el(manifest, "Reference")
        _el(ref, "ContentId", name)
        _el(ref, "ContentType", mime)
        _el(ref, "AttachmentName", name)
        att = _el(encoded, "Attachment")
        _el(att, "ContentId", name)
        _el(att, "AttachmentName", name)
        _el(att, "ContentType", mime)
        _el(att, "ContentTransferEncoded", "base64")
        _el(att, "Value", base64.b64encode(data).decode("ascii"))
    return _serialize(root)
