"""The register of outgoing documents: one gap-free number sequence per issuer and year (Decree 30/2020)."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from dondoc.documents import register
from dondoc.documents.layout import document_from_json
from dondoc.documents.models import NumberCounter, OutgoingDocument
from dondoc.documents.render import render_docx
from tests.helpers import snv_report


def _allocate(issuer, year=2026, day=None, symbol="BC-SNV"):
    return register.allocate_number(
        issuer,
        year,
        symbol,
        doc_type=OutgoingDocument.DocType.REPORT,
        subject="Báo cáo",
        issued_on=day or date(year, 3, 10),
    )


def test_numbers_run_from_01_per_issuer(registry):
    snv, vp = registry["SNV"], registry["VPUBND"]
    assert [_allocate(snv).notation for _ in range(3)] == ["01/BC-SNV", "02/BC-SNV", "03/BC-SNV"]
    assert _allocate(vp, symbol="VP-TKBT").notation == "01/VP-TKBT"
    assert _allocate(snv).number == 4


def test_numbering_starts_again_at_01_each_year(registry):
    snv = registry["SNV"]
    _allocate(snv, 2026, date(2026, 12, 31))
    _allocate(snv, 2026, date(2026, 12, 31))
    first_2027 = _allocate(snv, 2027, date(2027, 1, 4))
    assert (first_2027.year, first_2027.number) == (2027, 1)
    assert _allocate(snv, 2026, date(2026, 12, 31)).number == 3


def test_a_raised_counter_continues_a_paper_register(registry):
    snv = registry["SNV"]
    NumberCounter.objects.create(issuer=snv, year=2026, last=40)
    assert _allocate(snv).number == 41


def test_issue_date_outside_the_year_is_refused(registry):
    with pytest.raises(ValidationError, match="không thuộc năm 2026"):
        _allocate(registry["SNV"], 2026, date(2027, 1, 2))
    assert not OutgoingDocument.objects.exists()


def test_issue_numbers_renders_and_files_both_documents_and_links_tasks(
    registry, make_task, settings, frozen
):
    task = make_task(due_date=date(2026, 3, 1))
    record = register.issue(
        snv_report(), issuer=registry["SNV"], doc_type=OutgoingDocument.DocType.REPORT, tasks=[task]
    )
    assert record.notation == "01/BC-SNV" and record.issued_on == date(2026, 3, 20)
    for field, magic in ((record.docx, b"PK"), (record.pdf, b"%PDF")):
        path = Path(field.path)
        assert path.is_relative_to(Path(settings.MEDIA_ROOT) / "outgoing" / "2026")
        assert path.read_bytes().startswith(magic)
    assert list(record.tasks.all()) == [task]
    # Drawn at once (a report, a notice): the content fixed all the same, the files drawn from an equal document.
    assert record.files == OutgoingDocument.Files.READY
    content = record.issued_content.content
    assert record.content_sha256 == register.content_hash(content)
    assert render_docx(document_from_json(content)) == Path(record.docx.path).read_bytes()


def test_issue_without_a_date_is_refused_and_takes_no_number(registry):
    with pytest.raises(ValidationError, match="ngày ban hành"):
        register.issue(snv_report(day=None), issuer=registry["SNV"], doc_type=OutgoingDocument.DocType.REPORT)
    assert _allocate(registry["SNV"]).number == 1


def test_header_names_the_parent_body_and_the_issuer_in_caps(registry):
    assert register.header_for(registry["VPUBND"]) == ("UBND THÀNH PHỐ HÀ NỘI", "VĂN PHÒNG")
    assert register.header_for(registry["SNV"]) == ("UBND THÀNH PHỐ HÀ NỘI", "SỞ NỘI VỤ")
    assert register.header_for(registry["H26"]) == ("", "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI")


@pytest.mark.django_db(transaction=True)
def test_concurrent_issuers_never_get_the_same_number(registry):
    """Eight threads, each with its own connection, take five numbers each at the same moment."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SELECT ... FOR UPDATE) are a PostgreSQL matter; SQLite serialises writers")
    snv = registry["SNV"]
    start = threading.Barrier(8)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            for _ in range(5):
                _allocate(snv)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(OutgoingDocument.objects.filter(issuer=snv, year=2026).values_list("number", flat=True))
    assert numbers == list(range(1, 41))
    assert NumberCounter.objects.get(issuer=snv, year=2026).last == 40


def test_a_failing_renderer_consumes_no_number_and_leaves_no_file(registry, monkeypatch, settings):
    from dondoc.documents import render

    def broken(doc):
        raise RuntimeError("renderer failed")

    monkeypatch.setattr(render, "render_pdf", broken)
    doc = snv_report()
    with pytest.raises(RuntimeError):
        register.issue(doc, issuer=registry["SNV"], doc_type=OutgoingDocument.DocType.REPORT)
    assert doc.number is None and not OutgoingDocument.objects.exists()
    outgoing = Path(settings.MEDIA_ROOT) / "outgoing"
    assert not outgoing.exists() or not any(outgoing.rglob("*.*"))
    monkeypatch.undo()
    assert register.issue(doc, issuer=registry["SNV"], doc_type=OutgoingDocument.DocType.REPORT).number == 1


@pytest.mark.django_db(transaction=True)
def test_the_document_is_rendered_before_the_audit_trail_is_locked(registry, monkeypatch):
    """Rendering takes seconds; the register row is audited and the audit trail's lock (PostgreSQL: an advisory
    lock held to the commit) stops every other audited write, logins included. So while the real renderer runs,
    nothing of this document is in the audit trail yet and this transaction holds no audit lock (transactional
    test: the fixtures' audited rows are committed, not held in one enclosing transaction with their lock)."""
    from dondoc.audit.chain import ADVISORY_LOCK_KEY
    from dondoc.audit.models import AuditEntry
    from dondoc.documents import render

    real = render.render_pdf
    seen: list[tuple[int, int, int]] = []

    def observed(doc):
        held = 0
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
                    " AND ((classid::bigint << 32) | objid::bigint) = %s",
                    [ADVISORY_LOCK_KEY],
                )
                held = cursor.fetchone()[0]
        seen.append((AuditEntry.objects.count(), held, doc.number))
        return real(doc)

    monkeypatch.setattr(render, "render_pdf", observed)
    before = AuditEntry.objects.count()
    record = register.issue(snv_report(), issuer=registry["SNV"], doc_type=OutgoingDocument.DocType.REPORT)

    assert seen == [(before, 0, 1)]  # rendered with its number, before any audit row or lock
    assert record.number == 1 and Path(record.pdf.path).read_bytes().startswith(b"%PDF")
    assert AuditEntry.objects.filter(object_type__icontains="outgoing", object_id=str(record.pk)).exists()


def test_every_kind_of_document_finds_its_issuer_in_the_one_place(registry, settings):
    """Urging letters, inspection notices and the monthly report find their issuer through `register.issuer`: the
    unit of the setting's code, or a message naming the document and the variable."""
    from dondoc.documents import urging
    from dondoc.evaluation import report
    from dondoc.inspection import services

    settings.URGING_ISSUER_CODE, settings.INSPECTION_ISSUER_CODE, settings.REPORT_ISSUER = (
        "VPUBND",
        "SNV",
        "SNV",
    )
    assert urging.issuer_unit() == registry["VPUBND"]
    assert services.issuer_unit() == report.default_issuer() == registry["SNV"]
    settings.URGING_ISSUER_CODE = settings.INSPECTION_ISSUER_CODE = settings.REPORT_ISSUER = "KHONGCO"
    with pytest.raises(ValidationError, match="công văn đôn đốc .*URGING_ISSUER_CODE"):
        urging.issuer_unit()
    with pytest.raises(ValidationError, match="thông báo kết quả kiểm tra .*INSPECTION_ISSUER_CODE"):
        services.issuer_unit()
    assert report.default_issuer() is None
    with pytest.raises(ValidationError, match="báo cáo .*«KHONGCO».*REPORT_ISSUER"):
        register.issuer("REPORT_ISSUER", "báo cáo")
