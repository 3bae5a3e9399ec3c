"""Import of directives and their tasks from an XLSX tracker (*nhập từ Excel*).

Rules:
1. One row per task; the directive's columns repeat on each of its rows (same number/symbol, issuer, year).
2. Every row is checked by the same forms as the pages (`DirectiveForm`, `NewTaskForm`): units by name,
   abbreviation or code; dates dd/mm/yyyy; exactly one lead unit; coordinators never include the lead.
3. A file with any bad row imports nothing; every bad row is reported with its reason.
4. The import runs in one transaction and is idempotent: a directive already in the register is reused (its unique
   key: number, symbol, issuer, year) and a task already there (same directive, lead unit, clause and content) is
   skipped, so importing the same file twice creates nothing the second time.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from dondoc.api.models import ImportRun
from dondoc.audit.context import acting_as
from dondoc.core import jobs
from dondoc.core.text import fold
from dondoc.core.uploads import BrokenZip, UnpackError, unpacked_size
from dondoc.directives.forms import DirectiveForm, symbol_of
from dondoc.directives.models import Authority, Directive
from dondoc.directives.notation import NotationError, parse_notation, symbol_key
from dondoc.org.models import Unit
from dondoc.tracking import actions
from dondoc.tracking.forms import NewTaskForm
from dondoc.tracking.models import Task
from dondoc.workdays import calendar

# (key, Vietnamese header, example)
COLUMNS: list[tuple[str, str, str]] = [
    ("notation", "Số, ký hiệu văn bản", "15/CT-UBND"),
    ("issued_on", "Ngày ban hành (dd/mm/yyyy)", "02/02/2026"),
    ("issuer", "Cơ quan ban hành", "UBND Thành phố Hà Nội"),
    ("authority", "Cấp giao", "UBND Thành phố"),
    ("subject", "Trích yếu", "Chỉ thị về tăng cường kỷ luật, kỷ cương hành chính"),
    ("clause", "Điều, khoản, mục", "1.a"),
    ("content", "Nội dung nhiệm vụ", "Rà soát, công khai thủ tục hành chính"),
    ("lead_unit", "Đơn vị chủ trì", "Sở Xây dựng"),
    ("coordinating_units", "Đơn vị phối hợp (cách nhau bởi dấu ;)", "Sở Tài chính; Sở Nội vụ"),
    ("deadline", "Thời hạn hoàn thành", "31/03/2026"),
    ("report_deadline", "Thời hạn báo cáo", "trước ngày 25 hằng tháng"),
    ("requirements", "Yêu cầu, sản phẩm", "Báo cáo kết quả rà soát"),
    ("must_submit", "Phải trình (x)", ""),
    ("must_report", "Phải báo cáo (x)", "x"),
    ("parent", "Nhiệm vụ cha (số dòng trong tệp)", ""),
]
HEADERS = [h for _, h, _ in COLUMNS]
OPTIONAL = {"parent"}  # a file made from an older template has no such column
MAX_ROWS = 5000
MAX_SHEET_ROWS = 2 * MAX_ROWS  # rows read, empty ones included, before the file is refused
NOT_XLSX = "Tệp không phải bảng tính Excel (.xlsx) hợp lệ."
READ_SECONDS = 30  # reading the sheet takes ~1 s per 5,000 rows; a file that takes longer is refused
MAX_BYTES = 5 * 1024 * 1024


class ImportFileError(ValueError):
    """The file itself cannot be read (not XLSX, wrong headers, too large)."""


@dataclass
class RowError:
    row: int
    message: str


@dataclass
class PlannedTask:
    row: int
    directive_key: tuple[int, str, int, int]
    form: NewTaskForm
    duplicate: bool = False
    parent_row: int | None = None  # the file's row of its parent task (the task tree)


@dataclass
class Plan:
    directives: dict[tuple[int, str, int, int], Directive | DirectiveForm] = field(default_factory=dict)
    tasks: list[PlannedTask] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def new_directives(self) -> int:
        return sum(1 for d in self.directives.values() if isinstance(d, DirectiveForm))

    @property
    def new_tasks(self) -> int:
        return sum(1 for t in self.tasks if not t.duplicate)


def template() -> bytes:
    """The blank template: Vietnamese headers, one example row, and a sheet that explains each column."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Nhiệm vụ"
    ws.append(HEADERS)
    ws.append([example for _, _, example in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for i, (_, header, _) in enumerate(COLUMNS):
        ws.column_dimensions[ws.cell(1, i + 1).column_letter].width = max(14, min(45, len(header) + 4))
    help_ws = wb.create_sheet("Hướng dẫn")
    help_ws.append(["Cột", "Cách ghi"])
    notes = {
        "notation": "Số, ký hiệu như trên văn bản, ví dụ 15/CT-UBND hoặc 19/2022/QĐ-UBND.",
        "issued_on": "Ngày theo dạng dd/mm/yyyy (hoặc ô kiểu ngày của Excel).",
        "issuer": "Tên, tên viết tắt hoặc mã định danh của cơ quan ban hành.",
        "authority": "Một trong: " + "; ".join(str(label) for _, label in Authority.choices),
        "lead_unit": "Đúng một đơn vị: tên, tên viết tắt hoặc mã định danh.",
        "coordinating_units": "Không bắt buộc; nhiều đơn vị cách nhau bởi dấu chấm phẩy (;).",
        "deadline": "dd/mm/yyyy, «N ngày làm việc» hoặc «N ngày»; để trống nếu không có thời hạn.",
        "report_deadline": "dd/mm/yyyy, «N ngày làm việc» hoặc «trước ngày 25 hằng tháng».",
        "must_submit": "Ghi x nếu nhiệm vụ phải trình.",
        "must_report": "Ghi x nếu nhiệm vụ phải báo cáo.",
        "parent": (
            "Không bắt buộc. Nhiệm vụ con (Văn phòng UBND giao cho một đơn vị một phần của nhiệm vụ cấp trên giao): "
            "số dòng của nhiệm vụ cha ở phía trên trong tệp này, cùng văn bản; thời hạn hoàn thành của nhiệm vụ con "
            "không được sau thời hạn của nhiệm vụ cha."
        ),
    }
    for key, header, _ in COLUMNS:
        help_ws.append([header, notes.get(key, "")])
    help_ws.append([])
    help_ws.append(
        ["Mỗi dòng là một nhiệm vụ; các nhiệm vụ của cùng một văn bản lặp lại các cột của văn bản."]
    )
    help_ws.column_dimensions["A"].width = 40
    help_ws.column_dimensions["B"].width = 100
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\x00", "").strip()


ABBREVIATIONS = {
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "tp": "thanh pho",
    "tp.": "thanh pho",
}


def _key(text: str) -> str:
    """A unit name as compared: folded (no accents, lower case), common abbreviations written out."""
    return " ".join(ABBREVIATIONS.get(word, word) for word in fold(text).split())


class UnitIndex:
    """Units found by name, abbreviation or code, accent- and case-insensitively; current units win."""

    def __init__(self) -> None:
        self.by_key: dict[str, list[Unit]] = {}
        for unit in Unit.objects.order_by("valid_to", "id"):
            for key in {_key(unit.name), fold(unit.abbr), fold(unit.code), fold(unit.identifier)} - {""}:
                self.by_key.setdefault(key, []).append(unit)

    def find(self, text: str) -> tuple[Unit | None, str]:
        found = self.by_key.get(fold(text)) or self.by_key.get(_key(text), [])
        current = [u for u in found if u.valid_to is None] or found
        if not current:
            return None, f"không tìm thấy đơn vị «{text}» theo tên, tên viết tắt hoặc mã"
        if len({u.pk for u in current}) > 1:
            return None, f"«{text}» trùng với nhiều đơn vị; hãy ghi mã định danh"
        return current[0], ""


def _authority(text: str) -> str | None:
    key = fold(text)
    for value, label in Authority.choices:
        if key in {fold(value), fold(str(label))}:
            return str(value)
    short = {
        "ubnd thanh pho": Authority.CITY_COMMITTEE,
        "chinh phu": Authority.GOVERNMENT,
        "thu tuong": Authority.PRIME_MINISTER,
    }
    return str(short[key]) if key in short else None


def read(content: bytes) -> list[tuple[int, dict[str, str]]]:
    """The rows of the first sheet as {column key: text}, numbered as Excel numbers them.

    Bounded before and while parsing: the file's size (MAX_BYTES), what its parts unpack to
    (`uploads.unpacked_size`, UPLOAD_UNPACKED_MAX_MB: a small XLSX can hold a 300 MB cell), then, streaming the
    sheet row by row, the rows read — empty ones too — (MAX_SHEET_ROWS) and the time spent (READ_SECONDS)."""
    if len(content) > MAX_BYTES:
        raise ImportFileError(f"Tệp lớn quá {MAX_BYTES // (1024 * 1024)} MB.")
    try:
        unpacked_size(content, "bảng tính")
    except BrokenZip:
        raise ImportFileError(NOT_XLSX) from None
    except UnpackError as exc:
        raise ImportFileError(str(exc)) from None
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not XLSX
        raise ImportFileError(NOT_XLSX) from exc
    try:
        return _rows(wb)
    except ImportFileError:
        raise
    except Exception as exc:  # a part that lies about its size fails its CRC check while streaming, etc.
        raise ImportFileError("Tệp bảng tính bị hỏng: không đọc được hết các dòng.") from exc
    finally:
        wb.close()


def _rows(wb: Any) -> list[tuple[int, dict[str, str]]]:
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [_text(v) for v in next(rows, ())]
    missing = [h for key, h, _ in COLUMNS if h not in header and key not in OPTIONAL]
    if missing:
        raise ImportFileError("Thiếu cột: " + ", ".join(f"«{h}»" for h in missing) + ". Hãy dùng tệp mẫu.")
    position = {key: header.index(h) if h in header else len(header) + 10**6 for key, h, _ in COLUMNS}
    out = []
    until = time.monotonic() + READ_SECONDS
    for number, values in enumerate(rows, start=2):
        if number > MAX_SHEET_ROWS:
            raise ImportFileError(f"Tệp có quá {MAX_ROWS} dòng; hãy chia thành nhiều tệp.")
        if number % 100 == 0 and time.monotonic() > until:
            raise ImportFileError(f"Đọc tệp quá {READ_SECONDS} giây: hãy chia thành nhiều tệp nhỏ hơn.")
        cells = {key: _text(values[i]) if i < len(values) else "" for key, i in position.items()}
        if not any(cells.values()):
            continue
        out.append((number, cells))
        if len(out) > MAX_ROWS:
            raise ImportFileError(f"Tệp có quá {MAX_ROWS} dòng; hãy chia thành nhiều tệp.")
    return out


def plan(content: bytes, user: Any, progress: Callable[[int, int], None] | None = None) -> Plan:
    """Check every row and plan what the import would create, without writing anything. `progress(done, total)`,
    if given, is called about every 2 % of the rows (the background import writes it to its run)."""
    result = Plan()
    units = UnitIndex()
    cal = calendar.current()
    rows = read(content)
    step = max(1, len(rows) // 50)
    for done, (row, cells) in enumerate(rows):
        if progress is not None and done % step == 0:
            progress(done, len(rows))
        problems: list[str] = []
        issuer, why = units.find(cells["issuer"]) if cells["issuer"] else (None, "thiếu cơ quan ban hành")
        if issuer is None:
            problems.append(f"Cơ quan ban hành: {why}")
        authority = _authority(cells["authority"])
        if authority is None:
            problems.append(f"Cấp giao: «{cells['authority']}» không hợp lệ")
        directive_form = DirectiveForm(
            {
                "notation": cells["notation"],
                "issued_on": cells["issued_on"],
                "issuer": str(issuer.pk) if issuer else "",
                "authority": authority or "",
                "subject": cells["subject"],
            },
            reader=user,
        )
        key: tuple[int, str, int, int] | None = None
        directive: Directive | DirectiveForm | None = None
        try:
            parsed = parse_notation(cells["notation"])
        except NotationError as exc:
            problems.append(f"Số, ký hiệu: {exc}")
        else:
            year = parsed.year or _year(cells["issued_on"])
            if issuer is not None and year:
                key = (parsed.number, symbol_key(symbol_of(parsed)), issuer.pk, year)  # one row, any spelling
                directive = result.directives.get(key)
                if directive is None:
                    directive = Directive.objects.same_notation(*key).first()
                if isinstance(directive, Directive) and not Directive.objects.may_see(user, directive):
                    # the notation is unique (the refusal cannot be helped), but nothing of a secret directive is
                    # shown to one who may not see it, and no task is added to it
                    problems.append(
                        f"Số, ký hiệu: văn bản {cells['notation']} của {issuer} năm {year} đã có trong sổ"
                    )
                    directive = None
                elif directive is None:
                    if directive_form.is_valid():
                        directive = directive_form
                    else:
                        problems += _messages(directive_form)
                elif _issued(directive) != _date(cells["issued_on"]):
                    problems.append(
                        f"Ngày ban hành: văn bản {cells['notation']} đã có ngày ban hành "
                        f"{_issued(directive):%d/%m/%Y}, khác với dòng này"
                    )
                    directive = None
            if key is None and not problems:
                problems += _messages(directive_form) or [
                    "Ngày ban hành: không xác định được năm của văn bản"
                ]
        if key is not None and directive is not None:
            result.directives[key] = directive
        task_form = None
        if directive is not None:
            task_form, task_problems = _task_form(cells, units, _issued(directive), cal)
            problems += task_problems
        if problems or key is None or task_form is None:
            result.errors.append(RowError(row, "; ".join(problems) + "."))
            continue
        parent_row, why = _parent_row(cells["parent"], row, key, task_form, result.tasks)
        if why:
            result.errors.append(RowError(row, f"Nhiệm vụ cha: {why}."))
            continue
        duplicate = isinstance(directive, Directive) and _existing(directive, task_form) is not None
        result.tasks.append(PlannedTask(row, key, task_form, duplicate, parent_row))
    return result


def _parent_row(
    text: str, row: int, key: tuple[int, str, int, int], form: NewTaskForm, planned: list[PlannedTask]
) -> tuple[int | None, str]:
    """The row of the parent named in the column (None when empty), or why it cannot be: the rules of the task tree
    (`actions.parent_errors`) on a parent that is itself a row of the file, above this one."""
    if not text:
        return None, ""
    if not text.isdigit() or len(text) > 7:
        return None, f"«{text}» không phải là số dòng"
    parent = next((p for p in planned if p.row == int(text)), None)
    if parent is None:
        return None, f"dòng {text} không phải là một nhiệm vụ hợp lệ ở phía trên dòng {row} trong tệp"
    if parent.directive_key != key:
        return (
            None,
            f"nhiệm vụ ở dòng {text} thuộc văn bản khác; nhiệm vụ con thuộc cùng văn bản với nhiệm vụ cha",
        )
    if parent.parent_row is not None:
        return None, f"nhiệm vụ ở dòng {text} đã là nhiệm vụ con; chỉ giao nhiệm vụ con từ nhiệm vụ gốc"
    late = actions.child_deadline_error(parent.form.cleaned_data["due_date"], form.cleaned_data["due_date"])
    return (None, late.rstrip(".")) if late else (parent.row, "")


def _date(text: str) -> date | None:
    try:
        return datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        return None


def _year(text: str) -> int | None:
    day = _date(text)
    return day.year if day else None


def _issued(directive: Directive | DirectiveForm) -> date:
    if isinstance(directive, Directive):
        return directive.issued_on
    return directive.cleaned_data["issued_on"]  # type: ignore[no-any-return]


def _messages(form: Any) -> list[str]:
    out = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        out += [f"{label}: {e}" if label else str(e) for e in errors]
    return out


class _DirectiveStub:
    def __init__(self, issued_on: date) -> None:
        self.issued_on = issued_on


def _task_form(
    cells: dict[str, str], units: UnitIndex, issued: date, cal: Any
) -> tuple[NewTaskForm, list[str]]:
    problems = []
    data = QueryDict(mutable=True)
    lead_text = cells["lead_unit"]
    if not lead_text:
        problems.append("Đơn vị chủ trì: mỗi nhiệm vụ phải có một đơn vị chủ trì")
    elif ";" in lead_text or "\n" in lead_text:
        problems.append(
            "Đơn vị chủ trì: mỗi nhiệm vụ chỉ có đúng một đơn vị chủ trì; các đơn vị khác là phối hợp"
        )
    else:
        lead, why = units.find(lead_text)
        if lead is None:
            problems.append(f"Đơn vị chủ trì: {why}")
        else:
            data["lead_unit"] = str(lead.pk)
    coordinators = []
    for name in filter(None, (p.strip() for p in cells["coordinating_units"].split(";"))):
        unit, why = units.find(name)
        if unit is None:
            problems.append(f"Đơn vị phối hợp: {why}")
        else:
            coordinators.append(str(unit.pk))
    data.setlist("coordinating_units", coordinators)
    for name in ("content", "clause", "deadline", "report_deadline", "requirements"):
        data[name] = cells[name]
    for name in ("must_submit", "must_report"):
        if fold(cells[name]) in {"x", "co", "1", "true"}:
            data[name] = "on"
    form = NewTaskForm(data, directive=_DirectiveStub(issued), calendar=cal)
    if not problems and not form.is_valid():
        problems += _messages(form)
    return form, problems


def _existing(directive: Directive, form: NewTaskForm) -> Task | None:
    """The task already registered that is the same: same directive, lead unit, clause and content (accents and
    case aside)."""
    d = form.cleaned_data
    same = Task.objects.filter(directive=directive, lead_unit=d["lead_unit"], clause=d["clause"].strip())
    content = fold(d["content"])
    return next((t for t in same.only("content", "due_date") if fold(t.content) == content), None)


@transaction.atomic
def run(content: bytes, user: Any) -> Plan:
    """Check the file again and, if every row is good, create what is new in one transaction."""
    result = plan(content, user)
    if result.errors:
        return result
    saved: dict[tuple[int, str, int, int], Directive] = {}
    for key, item in result.directives.items():
        saved[key] = item.save() if isinstance(item, DirectiveForm) else item
    seen: dict[tuple[Any, ...], Task] = {}
    by_row: dict[int, Task] = {}  # the task of each row, new or already there: the parents of the rows below
    for planned in result.tasks:
        directive = saved[planned.directive_key]
        d = planned.form.cleaned_data
        identity = (directive.pk, d["lead_unit"].pk, d["clause"].strip(), fold(d["content"]))
        existing = seen.get(identity) or _existing(directive, planned.form)
        if existing is not None:
            planned.duplicate = True
            by_row[planned.row] = existing
            continue
        planned.form.directive = directive
        planned.form.cleaned_data["secret"] = planned.form.cleaned_data.get("secret") or directive.is_secret
        if planned.parent_row is not None:
            planned.form.parent_task = Task.objects.get(pk=by_row[planned.parent_row].pk)
        seen[identity] = by_row[planned.row] = planned.form.save(user)
    return result


# ------------------------------------------------------------------------------------- background import


BACKOFF = (timedelta(minutes=1), timedelta(minutes=5))  # an import that breaks is tried three times in all


def queue(content: bytes, user: Any, rows: int) -> ImportRun:
    """Keep the file and queue its import as a job (a file of more than IMPORT_INLINE_MAX_ROWS rows), in the
    caller's transaction: `dondoc worker` does it."""
    run = ImportRun(created_by=user, rows=rows)
    run.file.save("nhap.xlsx", ContentFile(content), save=False)
    run.save()
    import_file.enqueue(run.pk)
    return run


def _finish(run_id: int, **fields: Any) -> None:
    fields["finished_at"] = timezone.now()
    ImportRun.objects.filter(pk=run_id).update(**fields)


def _failed(run_id: int, *, attempt: int, exc: BaseException) -> None:
    _finish(run_id, status=ImportRun.Status.FAILED, stage="", error=jobs.reason(exc))


def _bad_rows(run_id: int, errors: list[Any]) -> None:
    _finish(
        run_id,
        status=ImportRun.Status.FAILED,
        stage="",
        row_errors=[[e.row, e.message] for e in errors],
        error=f"Tệp có {len(errors)} dòng sai; chưa nhập gì.",
    )


@jobs.job(backoff=BACKOFF, on_retry=jobs.waiting_again(ImportRun), on_give_up=_failed)
def import_file(run_id: int) -> None:
    """The queue's job for a queued import (README "Nhập từ Excel").

    Rule: all or nothing. Every row is first checked outside any transaction, the progress (0-90 %) being written
    as it goes so the page polling it sees it (on SQLite a write inside a long transaction would block the
    readers). A file with bad rows fails with every bad row listed and imports nothing (no retry: the file is what
    it is). A good file is then imported by `run` in one transaction (which checks the rows again), and only then
    marked done at 100 %. Only a queued run is started, so an import is never done twice."""
    started = ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.QUEUED).update(
        status=ImportRun.Status.RUNNING, started_at=timezone.now(), progress=1, stage="Bắt đầu kiểm tra tệp"
    )
    if not started:
        return
    job = ImportRun.objects.select_related("created_by").get(pk=run_id)

    def progress(done: int, total: int) -> None:
        jobs.step(job, 1 + (done * 89) // max(total, 1), f"Đã kiểm tra {done}/{total} dòng")

    with job.file.open("rb") as handle:
        content = handle.read()
    try:
        checked = plan(content, job.created_by, progress)
    except ImportFileError as exc:
        raise jobs.Refused(str(exc)) from exc
    if checked.errors:
        return _bad_rows(run_id, checked.errors)
    jobs.step(job, 90, "Đang ghi vào cơ sở dữ liệu")
    with acting_as(job.created_by):  # the audit trail names who queued the import, not "the system"
        result = run(content, job.created_by)
    if result.errors:  # the register changed between the check and the import
        return _bad_rows(run_id, result.errors)
    _finish(
        run_id,
        status=ImportRun.Status.DONE,
        progress=100,
        stage="",
        error="",
        new_directives=result.new_directives,
        new_tasks=result.new_tasks,
        skipped=len(result.tasks) - result.new_tasks,
    )
