"""Numbering and storing outgoing documents (*đăng ký văn bản đi*).

`allocate_number` takes the next number of an issuer's register; `issue` numbers an `OfficialDocument`, fixes its
content and files its DOCX and PDF with the register row — drawn at once, or by the worker (`draw_files`). Callers:
urging letters (drawn by the worker), the monthly report, the inspection notice.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce

from dondoc.audit import bulk
from dondoc.core import jobs
from dondoc.documents.layout import OfficialDocument, document_from_json, document_to_json
from dondoc.documents.models import IssuedContent, NumberCounter, OutgoingDocument
from dondoc.org.models import Unit


def issuer(setting: str, document: str) -> Unit:
    """The unit that signs one kind of outgoing document: the unit whose code is the setting `setting` (the
    environment variable of the same name). Urging letters, inspection notices and the monthly report all find
    their issuer here; a code with no unit is refused naming the document and the variable."""
    code = getattr(settings, setting)
    try:
        return Unit.objects.select_related("parent").get(code=code)
    except Unit.DoesNotExist:
        raise ValidationError(
            f"Chưa có đơn vị ban hành {document} (mã «{code}», biến môi trường {setting}) trong danh mục đơn vị."
        ) from None


def allocate_number(
    issuer: Unit,
    year: int,
    symbol: str,
    *,
    doc_type: str,
    subject: str,
    created_by: Any = None,
    issued_on: date,
    recipient_unit: Unit | None = None,
) -> OutgoingDocument:
    """Take the next number of `issuer`'s register for `year` and save the register row.

    Rule (Decree 30/2020, Art. 15): numbers start at 01 on 1 January and run up without gaps per issuer. The
    issuer's counter row for the year is locked (SELECT ... FOR UPDATE) while the number is taken, so concurrent
    issuers wait rather than read the same last number; the unique constraint on (issuer, year, number) is the
    backstop. The number is never lower than a number already in the register (an administrator may raise the
    counter to continue a paper register started before the product).
    """
    _check(symbol, year, issued_on)
    with transaction.atomic():
        counter, number = _next_number(issuer, year)
        return _record(
            issuer,
            counter,
            number,
            symbol,
            doc_type=doc_type,
            subject=subject,
            created_by=created_by,
            issued_on=issued_on,
            recipient_unit=recipient_unit,
        )


def _check(symbol: str, year: int, issued_on: date) -> None:
    if not symbol.strip():
        raise ValidationError({"symbol": "Ký hiệu văn bản không được để trống."})
    if issued_on.year != year:
        raise ValidationError({"issued_on": f"Ngày ban hành {issued_on:%d/%m/%Y} không thuộc năm {year}."})


def lock_counter(issuer: Unit, year: int) -> NumberCounter:
    """Lock `issuer`'s counter row for `year` (created when missing) until the caller's transaction ends, and
    return it with `used`, the highest number already in the register for that year (0: none): one statement
    when the row exists."""
    used = OutgoingDocument.objects.filter(issuer_id=OuterRef("issuer_id"), year=OuterRef("year"))
    counters = (
        NumberCounter.objects.select_for_update()
        .filter(issuer=issuer, year=year)
        .annotate(used=Coalesce(Subquery(used.order_by("-number").values("number")[:1]), 0))
    )
    counter = counters.first()
    if counter is None:
        NumberCounter.objects.get_or_create(issuer=issuer, year=year)
        counter = counters.get()
    return counter


def _next_number(issuer: Unit, year: int) -> tuple[NumberCounter, int]:
    """Lock `issuer`'s counter row for `year` (until the caller's transaction ends); the row and the next number."""
    counter = lock_counter(issuer, year)
    return counter, max(counter.last, getattr(counter, "used", 0)) + 1


def _record(
    issuer: Unit, counter: NumberCounter, number: int, symbol: str, *, created_by: Any, **fields: Any
) -> OutgoingDocument:
    """Move the counter (locked by `_next_number`) to `number` and save the register row: the row is audited, so
    from here to the commit the transaction holds the audit trail's lock (dondoc.audit.chain)."""
    counter.last = number
    counter.save(update_fields=["last"])
    return OutgoingDocument.objects.create(
        issuer=issuer,
        year=counter.year,
        number=number,
        symbol=symbol,
        notation=f"{number:02d}/{symbol}",
        created_by=created_by if getattr(created_by, "pk", None) else None,
        **fields,
    )


def issue(
    doc: OfficialDocument,
    *,
    issuer: Unit,
    doc_type: str,
    created_by: Any = None,
    tasks: Iterable[Any] = (),
    recipient_units: Iterable[Unit] = (),
    recipient_unit: Unit | None = None,
    later: bool = False,
) -> OutgoingDocument:
    """Number `doc` in its issuer's register, fix its content (`IssuedContent`, its SHA-256 on the register row),
    file its DOCX and PDF and link the tasks concerned; `recipient_units` are the units of "Nơi nhận" that may open
    it (`OutgoingQuerySet.visible_to`).

    `later`: the files are drawn by the worker (`draw_files`, queued in this transaction) from the fixed content —
    the same bytes as drawn here (`layout.document_from_json` gives back an equal document) — and the document's
    page says so until they exist; an urging letter of 200 rows takes ~60 ms of CPU to draw (issue 19).
    Otherwise all or nothing: if rendering or storing fails, no number is consumed and the files written are
    removed (files of a transaction rolled back later by the caller stay on disk, unreferenced). `doc.day` (the
    date of issue) must be set; `doc.number` is filled in.
    """
    if doc.day is None:
        raise ValidationError({"day": "Văn bản ban hành phải có ngày ban hành."})
    _check(doc.symbol, doc.day.year, doc.day)
    with transaction.atomic():
        # The number is taken under the register's row lock, the document rendered with it, and only then the
        # register row saved. Rendering takes seconds (a PDF of a long letter or report); saving the row appends to
        # the audit trail, whose lock every audited write in the system (logins included) waits for until this
        # transaction commits — so it must come after the rendering, not before (`make load` found the stall).
        counter, doc.number = _next_number(issuer, doc.day.year)
        content = document_to_json(doc)
        try:
            # Render both before writing either, so a failing renderer leaves no file behind.
            drawn = None if later else _draw(doc)
        except BaseException:
            doc.number = None
            raise
        record = _record(
            issuer,
            counter,
            doc.number,
            doc.symbol,
            doc_type=doc_type,
            subject=doc.subject,
            created_by=created_by,
            issued_on=doc.day,
            recipient_unit=recipient_unit,
            content_sha256=content_hash(content),
            files=OutgoingDocument.Files.QUEUED if later else OutgoingDocument.Files.READY,
        )
        IssuedContent.objects.create(document=record, content=content)
        try:
            if drawn is None:
                draw_files.enqueue(record.pk)
            else:
                _file(record, *drawn)
            _link(record, "tasks", tasks)
            _link(record, "recipient_units", recipient_units)
        except BaseException:
            doc.number = None
            _remove_files(record)
            raise
    return record


def _link(record: OutgoingDocument, name: str, targets: Iterable[Any]) -> None:
    """Link the register row just created to `targets` through its many-to-many field `name`: one INSERT, and
    the audit trail's entry of the change as `add` records it (no ids before) — `add` read the links three times
    (the missing ones, and the audit's before and after: issue 19)."""
    ids = sorted({target.pk for target in targets})
    if not ids:
        return
    field: Any = OutgoingDocument._meta.get_field(name)
    through = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    through.objects.bulk_create([through(**{f"{source}_id": record.pk, f"{target}_id": pk}) for pk in ids])
    bulk.record_m2m(record, field, before=[], after=ids)


def content_hash(content: dict[str, Any]) -> str:
    """The SHA-256 of an issued document's content (keys sorted, so the JSON column's own order does not count)."""
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _draw(doc: OfficialDocument) -> tuple[bytes, bytes]:
    from dondoc.documents.render import render_docx, render_pdf

    return render_docx(doc), render_pdf(doc)


def _file(record: OutgoingDocument, docx_bytes: bytes, pdf_bytes: bytes, **fields: Any) -> None:
    """Store both files under the register's number and save them on the row (with `fields`)."""
    stem = f"{record.number:04d}-{_slug(record.symbol)}"
    record.docx.save(f"{stem}.docx", ContentFile(docx_bytes), save=False)
    record.pdf.save(f"{stem}.pdf", ContentFile(pdf_bytes), save=False)
    for name, value in fields.items():
        setattr(record, name, value)
    record.save(update_fields=["docx", "pdf", *fields])


def _remove_files(record: OutgoingDocument) -> None:
    for stored in (record.docx, record.pdf):
        if stored.name:
            stored.storage.delete(stored.name)


# --------------------------------------------------------------------------------------------- the worker's part

BACKOFF = (timedelta(minutes=1), timedelta(minutes=5))  # drawing is tried three times in all


def _retrying(record_id: int, *, attempt: int, when: datetime, exc: BaseException) -> None:
    OutgoingDocument.objects.filter(pk=record_id).update(
        files=OutgoingDocument.Files.QUEUED, files_error=jobs.retry_note(attempt, when, exc)
    )


def _gave_up(record_id: int, *, attempt: int, exc: BaseException) -> None:
    OutgoingDocument.objects.filter(pk=record_id).update(
        files=OutgoingDocument.Files.FAILED, files_error=jobs.reason(exc)
    )


@jobs.job(backoff=BACKOFF, on_retry=_retrying, on_give_up=_gave_up)
def draw_files(record_id: int) -> None:
    """The worker's job (`dondoc worker`): draw the DOCX and PDF of an issued document from its fixed content.

    Taken by a conditional update (queued → running), so two workers never draw the same document; a content that
    no longer matches the hash of its issue is refused (nothing drawn, the page says why)."""
    Files = OutgoingDocument.Files
    if not OutgoingDocument.objects.filter(pk=record_id, files=Files.QUEUED).update(files=Files.RUNNING):
        return
    record = OutgoingDocument.objects.select_related("issued_content").get(pk=record_id)
    content = record.issued_content.content
    if content_hash(content) != record.content_sha256:
        raise jobs.Refused(
            f"nội dung văn bản {record.notation} không còn khớp mã băm lúc ban hành: không tạo tệp từ nội dung này."
        )
    drawn = _draw(document_from_json(content))
    try:
        _file(record, *drawn, files=Files.READY, files_error="")
    except BaseException:
        _remove_files(record)
        raise


def draw_again(record: OutgoingDocument) -> bool:
    """Queue the drawing of a document whose files could not be drawn (its three attempts failed): the files are
    drawn again from the content fixed at issue, never from anything newer (a content that no longer matches its
    hash is refused again). An audited change of the row; False, nothing changed, when its files are not failed."""
    Files = OutgoingDocument.Files
    with transaction.atomic():
        locked = OutgoingDocument.objects.select_for_update().filter(pk=record.pk, files=Files.FAILED).first()
        if locked is None:
            return False
        locked.files, locked.files_error = Files.QUEUED, ""
        locked.save(update_fields=["files", "files_error"])
        draw_files.enqueue(locked.pk)
    return True


def header_for(unit: Unit) -> tuple[str, str]:
    """(parent body, issuing body) in caps for the header: "UBND THÀNH PHỐ HÀ NỘI" over "VĂN PHÒNG".

    A unit named after its parent drops the parent's name ("Văn phòng UBND Thành phố" under the city's committee
    prints "VĂN PHÒNG"); the city committee itself has no parent body.
    """
    parent = unit.parent
    if parent is None:
        return "", _caps(unit.name)
    parent_name = "UBND THÀNH PHỐ HÀ NỘI" if parent.kind == Unit.Kind.CITY_COMMITTEE else _caps(parent.name)
    name = unit.name
    for suffix in (" UBND Thành phố", " Ủy ban nhân dân Thành phố"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return parent_name, _caps(name)


def _caps(text: str) -> str:
    return text.upper()


def _slug(symbol: str) -> str:
    """A file-name-safe form of a symbol: "VP-TKBT" stays, "BC-SNV" stays, Đ becomes D, slashes become dashes."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", symbol.replace("Đ", "D").replace("đ", "d"))
    ascii_text = ascii_text.encode("ascii", "ignore").decode()
    return "".join(c if c.isalnum() else "-" for c in ascii_text)
