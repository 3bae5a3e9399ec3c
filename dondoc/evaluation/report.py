"""The periodic report (*báo cáo kết quả thực hiện nhiệm vụ*, dispatch 3031 §6; DOMAIN.md §8–9).

Sở Nội vụ (or the City Office) reports on the tasks assigned by the Government, the Prime Minister, Thành ủy, HĐND,
UBND and its Chairman, monthly before the 25th. Every number comes from `stats.evaluate` / `stats.count` /
`stats.tasks` — the functions behind the dashboard — with `user=stats.SYSTEM` (the whole city) and the run's reference
date, so the report and the dashboard never disagree.

Sections, in order (numbered I, II, ... as present):

I.   Overall results: the city's figures, then tables by assigning authority and by kind (dispatch 3031 §5).
II.  Results by unit: one row per reporting unit, ranked by on-time rate (`stats.rank`), and the city's total.
III. Overdue tasks (*quá hạn chưa hoàn thành*): the tasks due in the period and still open past their deadline on the
     reference date, with lead unit, accountable head (the head of the lead unit when the task was assigned) and
     working days overdue; the first `MAX_LISTED` in the document, all of them in the XLSX appendix. A sentence adds
     the tasks of earlier periods still overdue.
IV.  Units late repeatedly (*chậm muộn nhiều kỳ*): see `repeated_lateness`.
(V.) Public-service inspection (*thanh tra, kiểm tra công vụ*): only when inspections visited units in the period —
     one table per inspection from `dondoc.inspection.report.report_section` (decision, units, tasks checked,
     verdicts, notice, remedies done/overdue, proposals), and a sheet of the XLSX appendix with the same figures.
Last. Proposals (*đề xuất, kiến nghị*): the text typed on the form, or a default naming the units late repeatedly.

A draft has no number and no date; issuing (`issue_run`) numbers exactly the drafted text in the issuer's register
of outgoing documents (`dondoc.documents.register.issue`).
"""

from __future__ import annotations

import dataclasses
import io
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone

from dondoc.core import jobs
from dondoc.documents import layout as L
from dondoc.documents import register, wording
from dondoc.documents.layout import document_from_json, document_to_json
from dondoc.evaluation import periods as pr
from dondoc.evaluation import stats
from dondoc.evaluation.exports import Sheet, WorkingDayCounter, write_workbook
from dondoc.evaluation.report_models import ReportRun
from dondoc.org.models import Person, Unit
from dondoc.tracking import secrecy
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import Task
from dondoc.workdays import calendar

log = logging.getLogger(__name__)

MAX_LISTED = 200  # overdue tasks printed in the DOCX/PDF; the XLSX appendix lists them all
REPEAT_WINDOW = 3  # periods looked at (this one and the two before)
REPEAT_MIN = 2  # late in at least this many of them = late repeatedly
PLACE = "Hà Nội"
CITY_OFFICE_CODE = "VPUBND"  # the City Office's code: the focal point that urges (dispatch 3031 §4)
CENTER: L.Align = "center"


@dataclass(frozen=True)
class IssuerStyle:
    """How an issuing body signs and addresses its report."""

    symbol: str
    archive: str
    recipients: tuple[str, ...]


ISSUERS: dict[str, IssuerStyle] = {
    "SNV": IssuerStyle(
        symbol="BC-SNV",
        archive="TTr",
        recipients=(
            "UBND Thành phố (để báo cáo)",
            "Chủ tịch UBND Thành phố (để báo cáo)",
            "Văn phòng UBND Thành phố",
            "Các sở, ban, ngành Thành phố",
            "UBND các xã, phường",
        ),
    ),
    "VPUBND": IssuerStyle(
        symbol="BC-VP",
        archive="TKBT",
        recipients=(
            "Chủ tịch UBND Thành phố (để báo cáo)",
            "Các Phó Chủ tịch UBND Thành phố",
            "Sở Nội vụ",
            "Các sở, ban, ngành Thành phố",
            "UBND các xã, phường",
        ),
    ),
}


def default_issuer() -> Unit | None:
    """The issuer of the automatic draft: the unit whose code is the REPORT_ISSUER setting (default SNV); None when
    the registry has no such unit."""
    try:
        return register.issuer("REPORT_ISSUER", "báo cáo")
    except ValidationError:
        return None


# --------------------------------------------------------------------------------------------- the data


#: What the report prints for a secret directive's notation (the report leaves for any reader).
SECRET_DIRECTIVE = "Văn bản mật"


@dataclass
class OverdueRow:
    task_id: int
    notation: str
    issued_on: date | None  # None for a secret directive (its date would point at it)
    content: str
    unit: str
    head: str
    due_date: date
    days_overdue: int
    secret: bool = False  # a secret task or a task of a secret directive: gathered by unit (`SecretLine`)


#: What the report prints for a unit's secret overdue tasks, in place of their rows.
SECRET_LINE = "{n} nhiệm vụ thuộc văn bản mật"


@dataclass
class SecretLine:
    """A lead unit's overdue tasks that are secret (or of a secret directive), as one line with no date.

    Rule: the report's file is one for every reader (cleared or not), so it lists a secret task neither by its
    deadline nor by its days overdue — they would single it out by unit and date, which the cut-off rule hides
    elsewhere (`tracking.secrecy.fixed_reference`). The totals count them (DOMAIN.md §8); this line says how many
    of the unit's are secret, as the unit table's totals already imply."""

    unit: str
    count: int

    @property
    def text(self) -> str:
        return SECRET_LINE.format(n=num(self.count))


def secret_lines(rows: list[OverdueRow]) -> list[SecretLine]:
    """The secret rows gathered into one line per lead unit, by unit name."""
    counts: dict[str, int] = {}
    for r in rows:
        if r.secret:
            counts[r.unit] = counts.get(r.unit, 0) + 1
    return [SecretLine(unit, n) for unit, n in sorted(counts.items())]


@dataclass
class RepeatRow:
    """A unit's overdue tasks (of those due in the period, open past the deadline at its cut-off) per period."""

    unit: Unit
    per_period: list[int]

    @property
    def late_periods(self) -> int:
        return sum(1 for n in self.per_period if n > 0)


@dataclass
class ReportData:
    period: pr.Period
    ref: date
    evaluation: stats.Evaluation
    overdue_total: int
    overdue: list[OverdueRow]  # the first MAX_LISTED
    older_overdue: int
    window: list[pr.Period]
    repeated: list[RepeatRow]
    inspection: list[L.Block] = field(default_factory=list)
    inspection_rows: list[list[Any]] = field(default_factory=list)  # the appendix's inspection sheet
    overdue_all: list[OverdueRow] = field(
        default_factory=list
    )  # every plain one (the appendix, the snapshot)
    overdue_secret: list[SecretLine] = field(default_factory=list)  # the secret ones, by lead unit, undated
    measure_tasks: dict[str, list[int]] = field(default_factory=dict)  # the city's numbers: the task ids


def overdue_count(counts: stats.Counts) -> int:
    """The figure that makes a unit late in a period: its tasks due in the period still open past their deadline
    at the period's cut-off (*quá hạn chưa hoàn thành*)."""
    return counts.overdue


def repeated_lateness(period: pr.Period, ref: date) -> tuple[list[pr.Period], list[RepeatRow]]:
    """Units late repeatedly (*chậm muộn nhiều kỳ*).

    Rule: a unit is *overdue in a period* when at least one of its tasks due in that period was still open past its
    deadline at the period's cut-off (`overdue_count` > 0: the "quá hạn chưa hoàn thành" column of that period's
    table; for the report's own period the cut-off is the report's reference date, for earlier ones their last
    day). A task finished late but before the cut-off does not count. A unit is *late repeatedly* when it was
    overdue in at least REPEAT_MIN (2) of the REPEAT_WINDOW (3) periods ending with the report's period. Earlier
    periods' units are carried to their successors in the report's period, so a merger does not hide a record.
    Sorted by periods overdue, then overdue tasks, then name.
    """
    window = pr.previous(period, REPEAT_WINDOW)
    mapping = stats.reporting_units(period, ref)
    totals: dict[int, list[int]] = {}
    for i, p in enumerate(window):
        p_ref = ref if p == period else min(p.end, ref)
        for unit_id, counts in stats.count(
            p, stats.SYSTEM, by=stats.BY_UNIT, ref=p_ref, no_deadline=False
        ).items():
            key = mapping.get(unit_id, unit_id)
            totals.setdefault(key, [0] * len(window))[i] += overdue_count(counts)
    units = Unit.objects.in_bulk([k for k, v in totals.items() if sum(1 for n in v if n) >= REPEAT_MIN])
    rows = [RepeatRow(units[k], totals[k]) for k in units]
    rows.sort(key=lambda r: (-r.late_periods, -sum(r.per_period), r.unit.name))
    return window, rows


def overdue_rows(period: pr.Period, ref: date, limit: int | None = None) -> Iterator[OverdueRow]:
    """The tasks behind the city's "overdue" number (`stats.tasks(OVERDUE, ...)`), by deadline, secret content
    masked, each under its reporting unit with its accountable head and working days overdue on `ref`."""
    counter = WorkingDayCounter(calendar.current())
    mapping = stats.reporting_units(period, ref)
    names = dict(Unit.objects.values_list("id", "name"))
    day = stats.unit_day(period, ref)
    overdue = stats.tasks(stats.OVERDUE, period, stats.SYSTEM, ref=ref)
    lead, head = "lead_unit_id", "accountable_head__full_name"
    if stats.as_of(ref).lead_moved_after(day):  # the lead and its head on the unit day, as the counts have it
        overdue, lead, head = overdue.with_lead_on(day).with_head_name_on(day), "lead_then", "head_then"
    # The deadline in force on `ref`: a later extension does not change the report.
    dated = overdue.with_deadline_on(ref)
    qs = dated.values_list(
        "id",
        "directive__notation",
        "directive__issued_on",
        "directive__secrecy",
        "content",
        "secret",
        lead,
        head,
        "due_then",  # type: ignore[misc]  # annotated by TaskQuerySet.with_deadline_on, unseen by the stubs
    )  # plain values: the appendix lists every overdue task (6,000 at 10^6 tasks), model instances cost seconds
    if limit is not None:
        qs = qs[:limit]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # iterator() reads through a server-side cursor, which PostgreSQL plans for its first 10% of rows
            # (cursor_tuple_fraction): a nested-loop plan, 3× slower than the hash joins of the whole list.
            with connection.cursor() as cur:
                cur.execute("SET LOCAL cursor_tuple_fraction = 1.0")
        rows = qs.iterator(chunk_size=2000)
        for pk, notation, issued_on, secrecy_level, content, secret, lead_id, head, due in rows:
            assert due is not None  # an overdue task has a deadline
            yield OverdueRow(
                task_id=pk,
                # a secret directive's number is kept from the uncleared (`Directive.objects.visible_to`)
                notation=SECRET_DIRECTIVE if secrecy_level else notation,
                issued_on=None if secrecy_level else issued_on,
                content=secrecy.shown_content(
                    pk, content, secret
                ),  # the one mask: the report leaves for any reader
                unit=names.get(mapping.get(lead_id, lead_id), ""),
                head=head or "",
                due_date=due,
                days_overdue=counter.between(tl.effective_deadline(due, counter.rule) or due, ref),
                secret=bool(secret or secrecy_level),
            )


def older_overdue(period: pr.Period, ref: date) -> int:
    """Tasks due before the period and still overdue on `ref` (the same definition, over earlier deadlines).

    Counted as the length of the list behind that number (`stats.tasks(OVERDUE, ...)`: the WHERE clause of the
    count's overdue flag, `stats.measure_q`) rather than by `stats.count`, which computes every figure and the
    working-day sums of all the earlier tasks — a year of deadlines at 10^6 tasks, 3× slower — to keep one.
    """
    first = Task.objects.filter(due_date__isnull=False).aggregate(m=Min("due_date"))["m"]
    if first is None or first >= period.start:
        return 0
    earlier = pr.custom(first, period.start - timedelta(days=1))
    return stats.tasks(stats.OVERDUE, earlier, stats.SYSTEM, ref=ref).order_by().count()


def inspection_section(period: pr.Period, ref: date) -> tuple[list[L.Block], list[list[Any]]]:
    """The inspection section's body and the appendix rows, or ([], []) (section omitted): from
    `dondoc.inspection.report.report_section` when the inspection app is installed."""
    if not apps.is_installed("dondoc.inspection"):
        return [], []
    from dondoc.inspection.report import report_section

    return report_section(period, ref)


Progress = Callable[[int, str], None]


def collect(period: pr.Period, ref: date, progress: Progress | None = None) -> ReportData:
    """Everything the report shows, counted in the database (a handful of grouped queries)."""
    tick = progress or (lambda pct, stage: None)
    tick(10, "Đang đếm số liệu toàn Thành phố, theo cấp giao, loại nhiệm vụ và đơn vị")
    evaluation = stats.evaluate(period, stats.SYSTEM, ref=ref)
    tick(40, "Đang lập danh sách nhiệm vụ quá hạn")
    earlier = older_overdue(period, ref)
    tick(50, "Đang xác định đơn vị chậm muộn nhiều kỳ")
    window, repeated = repeated_lateness(period, ref)
    tick(55, "Đang tổng hợp kết quả kiểm tra công vụ")
    inspection, inspection_rows = inspection_section(period, ref)
    every_overdue = list(overdue_rows(period, ref))
    plain = [r for r in every_overdue if not r.secret]
    tick(60, "Đang soạn văn bản")
    return ReportData(
        period=period,
        ref=ref,
        evaluation=evaluation,
        overdue_total=evaluation.city.overdue,
        overdue=plain[:MAX_LISTED],
        overdue_all=plain,
        overdue_secret=secret_lines(every_overdue),
        measure_tasks=measure_tasks(period, ref),
        older_overdue=earlier,
        window=window,
        repeated=repeated,
        inspection=inspection,
        inspection_rows=inspection_rows,
    )


# The city's numbers whose tasks the snapshot lists (the four buckets of the tasks due, the extended ones and
# the open ones with no deadline): what each printed number stood for on the day it was counted.
LISTED_MEASURES = (
    stats.ON_TIME,
    stats.LATE,
    stats.IN_DEADLINE,
    stats.OVERDUE,
    stats.EXTENDED,
    stats.NO_DEADLINE,
)
SNAPSHOT_VERSION = 1


def measure_tasks(period: pr.Period, ref: date) -> dict[str, list[int]]:
    """The ids of the tasks behind each of the city's numbers (`stats.tasks`, the lists the dashboard links to)."""
    return {
        m: list(stats.tasks(m, period, stats.SYSTEM, ref=ref).values_list("id", flat=True))
        for m in LISTED_MEASURES
    }


def _counts_json(c: stats.Counts) -> dict[str, int]:
    return dataclasses.asdict(c)


def snapshot(data: ReportData) -> dict[str, Any]:
    """The figures the report prints and the tasks behind them, as plain JSON (`ReportRun.figures`).

    Rule: an issued report never changes. Its page and its files show this snapshot, taken when the draft was
    counted; later decisions (a completion, an extension, a withdrawal) change the dashboard of later dates, never
    what was signed.
    """
    ev = data.evaluation
    return {
        "version": SNAPSHOT_VERSION,
        "period": {
            "kind": data.period.kind,
            "label": data.period.label,
            "start": data.period.start.isoformat(),
            "end": data.period.end.isoformat(),
        },
        "ref": data.ref.isoformat(),
        "city": _counts_json(ev.city),
        "by_authority": [
            {"key": g.key, "label": g.label, "counts": _counts_json(g.counts)} for g in ev.by_authority
        ],
        "by_kind": [{"key": g.key, "label": g.label, "counts": _counts_json(g.counts)} for g in ev.by_kind],
        "by_unit": [
            {
                "unit": r.unit.pk,
                "name": r.unit.name,
                "short": r.unit.short,
                "rank": r.rank,
                "counts": _counts_json(r.counts),
            }
            for r in ev.by_unit
        ],
        "overdue_total": data.overdue_total,
        "older_overdue": data.older_overdue,
        "overdue": [
            {**dataclasses.asdict(r), "issued_on": dmy(r.issued_on), "due_date": dmy(r.due_date)}
            for r in data.overdue_all
        ],
        "overdue_secret": [dataclasses.asdict(line) for line in data.overdue_secret],
        "window": [p.name for p in data.window],
        "repeated": [
            {
                "unit": r.unit.pk,
                "name": r.unit.name,
                "per_period": r.per_period,
                "late_periods": r.late_periods,
            }
            for r in data.repeated
        ],
        "tasks": data.measure_tasks,
    }


@dataclass
class FrozenLine:
    """A row of a stored snapshot: its key (unit id, authority, kind), label, rank and counts."""

    key: str
    label: str
    counts: stats.Counts
    rank: int | None = None


@dataclass
class Frozen:
    """`ReportRun.figures` read back for the report's page."""

    city: stats.Counts
    by_authority: list[FrozenLine]
    by_kind: list[FrozenLine]
    by_unit: list[FrozenLine]
    overdue_total: int
    older_overdue: int
    tasks: dict[str, list[int]]


def frozen(figures: dict[str, Any]) -> Frozen | None:
    """The stored figures of a run (None for a run made before snapshots were kept, or not yet generated)."""
    if not figures or figures.get("version") != SNAPSHOT_VERSION:
        return None

    def counts(raw: dict[str, int]) -> stats.Counts:
        return stats.Counts(**raw)

    return Frozen(
        city=counts(figures["city"]),
        by_authority=[FrozenLine(g["key"], g["label"], counts(g["counts"])) for g in figures["by_authority"]],
        by_kind=[FrozenLine(g["key"], g["label"], counts(g["counts"])) for g in figures["by_kind"]],
        by_unit=[
            FrozenLine(str(u["unit"]), u["name"], counts(u["counts"]), u["rank"]) for u in figures["by_unit"]
        ],
        overdue_total=figures["overdue_total"],
        older_overdue=figures["older_overdue"],
        tasks=figures["tasks"],
    )


# --------------------------------------------------------------------------------------------- formatting


def num(n: int | None) -> str:
    """Thousands with a dot, as Vietnamese documents write them: 1.234."""
    return "—" if n is None else f"{n:,}".replace(",", ".")


def pct(value: float | None) -> str:
    """A rate with a decimal comma: 85,7%; "—" when nothing was due."""
    return "—" if value is None else f"{value:.1f}".replace(".", ",") + "%"


def dmy(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def period_phrase(period: pr.Period) -> str:
    """ "tháng 3/2026", "quý I/2026", "6 tháng đầu năm 2026", "năm 2026", or "từ ngày 01/01/2026 đến ngày ..."."""
    if period.kind == pr.CUSTOM:
        return f"từ ngày {dmy(period.start)} đến ngày {dmy(period.end)}"
    return period.name[0].lower() + period.name[1:]


COUNT_HEADER = [
    "Đến hạn",
    "Hoàn thành đúng hạn",
    "Hoàn thành quá hạn",
    "Đang thực hiện trong hạn",
    "Quá hạn chưa hoàn thành",
    "Không có thời hạn",
    "Tỷ lệ hoàn thành",
    "Tỷ lệ đúng hạn",
]


def count_cells(c: stats.Counts) -> list[str]:
    return [
        num(c.due),
        num(c.on_time),
        num(c.late),
        num(c.in_deadline),
        num(c.overdue),
        num(c.no_deadline),
        pct(c.completion_rate),
        pct(c.on_time_rate),
    ]


def count_values(c: stats.Counts) -> list[Any]:
    """The same figures as numbers, for the XLSX appendix (rates in percent, None when nothing was due)."""
    return [
        c.due,
        c.on_time,
        c.late,
        c.in_deadline,
        c.overdue,
        c.no_deadline,
        c.completion_rate,
        c.on_time_rate,
    ]


def _count_table(first: str, first_mm: float, rows: list[tuple[str, str, stats.Counts]]) -> L.Table:
    rest = (160 - 10 - first_mm) / len(COUNT_HEADER)
    return L.Table(
        header=["STT", first, *COUNT_HEADER],
        rows=[[no, str(label), *count_cells(c)] for no, label, c in rows],
        widths_mm=[10, first_mm, *([rest] * len(COUNT_HEADER))],
        align=["center", "left", *([CENTER] * len(COUNT_HEADER))],
    )


def unit_table_rows(data: ReportData) -> list[tuple[str, str, stats.Counts]]:
    """Section II's rows: rank (or "" when nothing was due), unit name, figures; then the city's total."""
    rows = [(str(r.rank) if r.rank else "", r.unit.name, r.counts) for r in data.evaluation.by_unit]
    rows.append(("", "Tổng cộng", data.evaluation.city))
    return rows


def overall_paragraph(data: ReportData) -> str:
    c = data.evaluation.city
    text = (
        f"Trong kỳ báo cáo có {num(c.due)} nhiệm vụ đến hạn hoàn thành. Đã hoàn thành {num(c.completed)} nhiệm vụ "
        f"(tỷ lệ {pct(c.completion_rate)}), trong đó hoàn thành đúng hạn {num(c.on_time)} nhiệm vụ "
        f"(tỷ lệ {pct(c.on_time_rate)}), hoàn thành quá hạn {num(c.late)} nhiệm vụ; đang thực hiện trong hạn "
        f"{num(c.in_deadline)} nhiệm vụ; quá hạn chưa hoàn thành {num(c.overdue)} nhiệm vụ. "
        f"Có {num(c.extended)} nhiệm vụ phải điều chỉnh thời hạn; {num(c.no_deadline)} nhiệm vụ không có thời hạn "
        "đang thực hiện."
    )
    if c.avg_days_late is not None:
        text += f" Nhiệm vụ hoàn thành quá hạn chậm bình quân {str(c.avg_days_late).replace('.', ',')} ngày làm việc."
    return text


def default_proposals(data: ReportData, issuer: Unit) -> str:
    """The proposals offered when none were typed: name the units late repeatedly (dispatch 3031 §6); ask the City
    Office to keep urging — unless the City Office issues the report: it does not propose to itself, it says what
    it will do."""
    lines = []
    if data.repeated:
        names = ", ".join(r.unit.name for r in data.repeated)
        lines.append(
            "Đề nghị Chủ tịch UBND Thành phố yêu cầu thủ trưởng các đơn vị chậm muộn nhiều kỳ "
            f"({names}) kiểm điểm trách nhiệm, báo cáo nguyên nhân và giải pháp khắc phục."
        )
    if data.overdue_total or data.older_overdue:
        lines.append(
            "Đề nghị các đơn vị có nhiệm vụ quá hạn khẩn trương hoàn thành, báo cáo kết quả về UBND Thành phố "
            "(qua Văn phòng UBND Thành phố)."
        )
    if issuer.code == CITY_OFFICE_CODE:
        lines.append(
            f"{issuer.name} tiếp tục theo dõi, đôn đốc việc thực hiện nhiệm vụ theo {wording.DISPATCH_3031}; "
            "kịp thời báo cáo UBND Thành phố, Chủ tịch UBND Thành phố."
        )
    else:
        lines.append(
            "Đề nghị Văn phòng UBND Thành phố tiếp tục theo dõi, đôn đốc việc thực hiện nhiệm vụ theo "
            f"{wording.DISPATCH_3031}."
        )
    return "\n".join(lines)


ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]


def build_document(data: ReportData, issuer: Unit, proposals: str = "") -> L.OfficialDocument:
    """The report as an `OfficialDocument` (unnumbered and undated: a draft)."""
    from dondoc.documents.register import header_for

    style = ISSUERS.get(issuer.code, ISSUERS["SNV"])
    parent_body, issuing_body = header_for(issuer)
    period, c = data.period, data.evaluation.city
    phrase = period_phrase(period)
    blocks: list[L.Block] = [
        L.Paragraph(
            f"Thực hiện {wording.DISPATCH_3031}, "
            f"{issuer.name} báo cáo kết quả thực hiện nhiệm vụ {phrase} (nhiệm vụ có thời hạn từ ngày "
            f"{dmy(period.start)} đến ngày {dmy(period.end)}; số liệu tính đến ngày {dmy(data.ref)}) như sau:"
        )
    ]
    sections: list[tuple[str, list[L.Block]]] = []

    overall: list[L.Block] = [L.Paragraph(overall_paragraph(data)), L.Heading("1. Theo cấp giao nhiệm vụ", 2)]
    overall.append(
        _count_table(
            "Cấp giao",
            36,
            [(str(i), g.label, g.counts) for i, g in enumerate(data.evaluation.by_authority, 1)]
            + [("", "Tổng cộng", c)],
        )
    )
    overall.append(L.Heading("2. Theo loại nhiệm vụ", 2))
    overall.append(
        _count_table(
            "Loại nhiệm vụ",
            36,
            [(g.key, g.label, g.counts) for g in data.evaluation.by_kind] + [("", "Tổng cộng", c)],
        )
    )
    sections.append(("KẾT QUẢ CHUNG", overall))

    by_unit: list[L.Block] = [
        L.Paragraph(
            "Các đơn vị xếp hạng theo tỷ lệ hoàn thành đúng hạn (bằng nhau thì đơn vị ít nhiệm vụ quá hạn hơn "
            "xếp trên); đơn vị không có nhiệm vụ đến hạn trong kỳ không xếp hạng."
        ),
        _count_table("Đơn vị", 36, unit_table_rows(data)),
    ]
    sections.append(("KẾT QUẢ THEO ĐƠN VỊ", by_unit))

    overdue: list[L.Block] = []
    if data.overdue_total:
        listed = data.overdue
        text = (
            f"Có {num(data.overdue_total)} nhiệm vụ đến hạn trong kỳ đã quá hạn nhưng chưa hoàn thành "
            f"(tính đến ngày {dmy(data.ref)})"
        )
        plain_total = len(data.overdue_all)
        if len(listed) < plain_total:
            text += (
                f"; dưới đây là {num(len(listed))} nhiệm vụ quá hạn lâu nhất, danh sách đầy đủ tại Phụ lục"
            )
        if data.overdue_secret:
            text += "; nhiệm vụ thuộc văn bản mật chỉ ghi số lượng theo đơn vị chủ trì, không ghi thời hạn"
        overdue.append(L.Paragraph(text + ":"))
        overdue.append(
            L.Table(
                header=[
                    "STT",
                    "Văn bản giao",
                    "Nội dung nhiệm vụ",
                    "Đơn vị chủ trì",
                    "Thủ trưởng chịu trách nhiệm",
                    "Thời hạn",
                    "Số ngày làm việc quá hạn",
                ],
                rows=[
                    [
                        str(i),
                        r.notation if r.issued_on is None else f"{r.notation} ngày {dmy(r.issued_on)}",
                        r.content,
                        r.unit,
                        r.head,
                        dmy(r.due_date),
                        num(r.days_overdue),
                    ]
                    for i, r in enumerate(listed, 1)
                ]
                + [
                    [str(len(listed) + i), SECRET_DIRECTIVE, line.text, line.unit, "", "", ""]
                    for i, line in enumerate(data.overdue_secret, 1)
                ],
                # The deadline's column holds "16/11/2026" on one line (L.DATE_COLUMN_MM), never "16/11/20 / 26".
                widths_mm=[10, 24, 46 - (L.DATE_COLUMN_MM - 17), 26, 22, L.DATE_COLUMN_MM, 15],
                align=["center", "left", "left", "left", "left", "center", "center"],
            )
        )
    else:
        overdue.append(L.Paragraph("Không có nhiệm vụ đến hạn trong kỳ quá hạn chưa hoàn thành."))
    if data.older_overdue:
        overdue.append(
            L.Paragraph(
                f"Ngoài ra, còn {num(data.older_overdue)} nhiệm vụ có thời hạn trước ngày {dmy(period.start)} "
                "vẫn quá hạn chưa hoàn thành."
            )
        )
    sections.append(("NHIỆM VỤ QUÁ HẠN CHƯA HOÀN THÀNH", overdue))

    names = ", ".join(p.name for p in data.window)
    repeated: list[L.Block] = [
        L.Paragraph(
            "Đơn vị chậm muộn nhiều kỳ là đơn vị có nhiệm vụ quá hạn chưa hoàn thành (tính đến ngày cuối mỗi kỳ) "
            f"trong ít nhất {REPEAT_MIN} của {REPEAT_WINDOW} kỳ gần nhất ({names}); bảng dưới ghi số nhiệm vụ "
            "quá hạn chưa hoàn thành của đơn vị trong từng kỳ."
        )
    ]
    if data.repeated:
        repeated.append(
            L.Table(
                header=["STT", "Đơn vị", *[p.name for p in data.window], "Số kỳ chậm"],
                rows=[
                    [str(i), r.unit.name, *[num(n) for n in r.per_period], str(r.late_periods)]
                    for i, r in enumerate(data.repeated, 1)
                ],
                widths_mm=[10, 62, *([22] * len(data.window)), 22],
                align=["center", "left", *([CENTER] * len(data.window)), "center"],
            )
        )
    else:
        repeated.append(L.Paragraph("Không có đơn vị nào chậm muộn nhiều kỳ."))
    sections.append(("ĐƠN VỊ CHẬM MUỘN NHIỀU KỲ", repeated))

    if data.inspection:
        sections.append(("KẾT QUẢ THANH TRA, KIỂM TRA CÔNG VỤ", list(data.inspection)))

    text = proposals.strip() or default_proposals(data, issuer)
    sections.append(
        ("ĐỀ XUẤT, KIẾN NGHỊ", [L.Paragraph(line.strip()) for line in text.splitlines() if line.strip()])
    )

    for i, (title, body) in enumerate(sections):
        blocks.append(L.Heading(f"{ROMAN[i]}. {title}"))
        blocks.extend(body)

    return L.OfficialDocument(
        parent_body=parent_body,
        issuing_body=issuing_body,
        symbol=style.symbol,
        place=PLACE,
        day=None,
        subject=f"Kết quả thực hiện nhiệm vụ được giao {phrase}",
        kind="BÁO CÁO",
        title=f"Kết quả thực hiện nhiệm vụ do Chính phủ, Thủ tướng Chính phủ, Thành ủy, HĐND, UBND Thành phố và "
        f"Chủ tịch UBND Thành phố giao {phrase}",
        blocks=blocks,
        signature=wording.signature_for(issuer),
        recipients=list(style.recipients),
        archive=style.archive,
    )


# --------------------------------------------------------------------------------------------- DOCX of long tables

LONG_TABLE = 40  # rows from which a table's line breaks are written as spaces (as when its rows were cloned)


def render_report_docx(doc: L.OfficialDocument) -> bytes:
    """`render_docx` of the report, a line break inside a cell of a long table written as a space.

    The long tables were once written by cloning a rendered row after a DOCX round trip (python-docx's cell API
    cost 1–2 ms a cell); `render_docx` now writes every table that way itself (issue 19), so the round trip is
    gone and only the clone's handling of line breaks is kept, for the same XML as before."""
    from dondoc.documents.render import render_docx

    blocks: list[L.Block] = [
        dataclasses.replace(block, rows=[[str(v).replace("\n", " ") for v in row] for row in block.rows])
        if isinstance(block, L.Table) and len(block.rows) > LONG_TABLE
        else block
        for block in doc.blocks
    ]
    return render_docx(dataclasses.replace(doc, blocks=blocks))


# --------------------------------------------------------------------------------------------- XLSX appendix

COUNT_KINDS = ["int"] * 6 + ["rate", "rate"]
RATE_HEADER = [*COUNT_HEADER[:6], "Tỷ lệ hoàn thành (%)", "Tỷ lệ đúng hạn (%)"]


def appendix_sheets(data: ReportData) -> list[Sheet]:
    """The report's tables as sheets, numbers as numbers: city, by authority, by kind, by unit, overdue (all of
    them, not only those printed), units late repeatedly, and the inspections of the period when there are any."""
    ev = data.evaluation

    def counts_sheet(title: str, first: str, rows: list[tuple[Any, str, stats.Counts]]) -> Sheet:
        return Sheet(
            title,
            ["STT", first, *RATE_HEADER],
            [[no, label, *count_values(c)] for no, label, c in rows],
            kinds=["text", "text", *COUNT_KINDS],
            widths=[7, 40, *([13] * len(RATE_HEADER))],
        )

    def overdue_body() -> Iterator[list[Any]]:
        for i, r in enumerate(data.overdue_all, 1):
            yield [i, r.notation, r.issued_on, r.content, r.unit, r.head, r.due_date, r.days_overdue]
        for i, line in enumerate(data.overdue_secret, len(data.overdue_all) + 1):
            yield [i, SECRET_DIRECTIVE, None, line.text, line.unit, None, None, None]

    return [
        counts_sheet("Toàn Thành phố", "Phạm vi", [(1, "Toàn Thành phố", ev.city)]),
        counts_sheet(
            "Theo cấp giao", "Cấp giao", [(i, g.label, g.counts) for i, g in enumerate(ev.by_authority, 1)]
        ),
        counts_sheet("Theo loại nhiệm vụ", "Loại nhiệm vụ", [(g.key, g.label, g.counts) for g in ev.by_kind]),
        counts_sheet("Theo đơn vị", "Đơn vị", [(r.rank, r.unit.name, r.counts) for r in ev.by_unit]),
        Sheet(
            "Nhiệm vụ quá hạn",
            [
                "STT",
                "Số, ký hiệu văn bản",
                "Ngày văn bản",
                "Nội dung nhiệm vụ",
                "Đơn vị chủ trì",
                "Thủ trưởng chịu trách nhiệm",
                "Thời hạn",
                "Số ngày làm việc quá hạn",
            ],
            overdue_body(),
            kinds=["int", "text", "date", "text", "text", "text", "date", "int"],
            widths=[7, 18, 13, 70, 32, 26, 12, 12],
        ),
        Sheet(
            "Chậm muộn nhiều kỳ",
            ["STT", "Đơn vị", *[p.name for p in data.window], "Số kỳ chậm"],
            [[i, r.unit.name, *r.per_period, r.late_periods] for i, r in enumerate(data.repeated, 1)],
            kinds=["int", "text", *(["int"] * len(data.window)), "int"],
            widths=[7, 40, *([14] * len(data.window)), 12],
        ),
        *_inspection_sheet(data),
    ]


def _inspection_sheet(data: ReportData) -> list[Sheet]:
    if not data.inspection_rows:
        return []
    from dondoc.inspection.report import APPENDIX_HEADER, APPENDIX_KINDS

    return [
        Sheet(
            "Kiểm tra công vụ",
            APPENDIX_HEADER,
            data.inspection_rows,
            kinds=APPENDIX_KINDS,
            widths=[7, 30, 40, 14, 40, *([12] * (len(APPENDIX_HEADER) - 5))],
        )
    ]


def render_appendix(data: ReportData) -> bytes:
    out = io.BytesIO()
    write_workbook(out, appendix_sheets(data))
    return out.getvalue()


# --------------------------------------------------------------------------------------------- running


def period_of(run: ReportRun) -> pr.Period:
    if run.period_kind == pr.CUSTOM:
        return pr.custom(run.period_start, run.period_end)
    return pr.regular(run.period_kind, run.period_year, run.period_number)


def reference_for(period: pr.Period, today: date) -> date:
    """The default reference date of a report: the period's cut-off (its last day), or today for a period that
    has not ended yet."""
    return min(period.end, today)


def new_run(
    period: pr.Period,
    issuer: Unit,
    *,
    ref: date | None = None,
    proposals: str = "",
    user: Any = None,
    automatic: bool = False,
) -> ReportRun:
    """A queued run; `generate` (inline or by the worker) turns it into a draft."""
    return ReportRun.objects.create(
        period_kind=period.kind,
        period_start=period.start,
        period_end=period.end,
        period_year=period.year,
        period_number=period.number,
        reference_date=ref or reference_for(period, timezone.localdate()),
        issuer=issuer,
        proposals=proposals,
        automatic=automatic,
        created_by=user if getattr(user, "pk", None) else None,
    )


BACKOFF = (timedelta(minutes=1), timedelta(minutes=5))  # a failed generation is tried three times in all


def _step(run: ReportRun, progress: int, stage: str) -> None:
    jobs.step(run, progress, stage)


def _start(run_id: int) -> ReportRun | None:
    """Mark a queued run as being generated (None when it is not queued: already generated, or issued)."""
    started = ReportRun.objects.filter(pk=run_id, status=ReportRun.Status.QUEUED).update(
        status=ReportRun.Status.RUNNING, started_at=timezone.now(), progress=1, stage="Bắt đầu tạo báo cáo"
    )
    return ReportRun.objects.select_related("issuer").get(pk=run_id) if started else None


def _build(run: ReportRun) -> ReportRun:
    """Build a started run: counts → document (DOCX, PDF) → XLSX appendix, recording progress at each step. Raises
    on failure; nothing half-written is offered for download (the files are saved with the draft state)."""
    from dondoc.documents.render import render_pdf

    period = period_of(run)
    data = collect(period, run.reference_date, progress=lambda p, s: _step(run, p, s))
    doc = build_document(data, run.issuer, run.proposals)
    _step(run, 70, "Đang tạo tệp DOCX")
    docx = render_report_docx(doc)
    _step(run, 80, "Đang tạo tệp PDF")
    pdf = render_pdf(doc)
    _step(run, 90, "Đang tạo phụ lục XLSX")
    xlsx = render_appendix(data)
    stem = f"bao-cao-{period.start:%Y%m%d}-{period.end:%Y%m%d}-{run.pk}"
    run.docx.save(f"{stem}.docx", ContentFile(docx), save=False)
    run.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
    run.xlsx.save(f"{stem}-phu-luc.xlsx", ContentFile(xlsx), save=False)
    run.content = document_to_json(doc)
    run.figures = snapshot(data)
    run.status, run.progress, run.stage = ReportRun.Status.DRAFT, 100, "Đã tạo xong dự thảo"
    run.error = ""
    run.finished_at = timezone.now()
    run.save(
        update_fields=[
            "docx",
            "pdf",
            "xlsx",
            "content",
            "figures",
            "status",
            "progress",
            "stage",
            "error",
            "finished_at",
        ]
    )
    return run


def _failed(run_id: int, *, attempt: int, exc: BaseException) -> None:
    ReportRun.objects.filter(pk=run_id).update(
        status=ReportRun.Status.FAILED,
        error=jobs.reason(exc),
        finished_at=timezone.now(),
        stage="Không tạo được báo cáo",
    )


@jobs.job(backoff=BACKOFF, on_retry=jobs.waiting_again(ReportRun), on_give_up=_failed)
def generate_report(run_id: int) -> None:
    """The queue's job for a run too large for the request (and the 20th's draft): see `dondoc.core.jobs`."""
    run = _start(run_id)
    if run is not None:
        _build(run)


def queue(run: ReportRun) -> None:
    """Queue a run for the worker (`dondoc worker`), in the caller's transaction."""
    generate_report.enqueue(run.pk)


def generate(run: ReportRun) -> ReportRun:
    """Generate a queued run now, in this process (a small report while the user waits, `dondoc monthlyreport
    --kind`, the benchmark). A failure is recorded on the run at once, with its reason; no retry."""
    started = _start(run.pk)
    if started is None:
        run.refresh_from_db()
        return run
    try:
        return _build(started)
    except Exception as exc:
        log.exception("report run %s failed", run.pk)
        _failed(run.pk, attempt=1, exc=exc)
        started.refresh_from_db()
        return started


def due_tasks(period: pr.Period) -> int:
    """How many tasks the report's period concerns (decides inline or background generation)."""
    return stats.tasks(stats.DUE, period, stats.SYSTEM, ref=period.end).count()


#: Why a draft made before secret tasks were gathered by unit may not be issued (its text dates them).
OLD_DRAFT = (
    "Dự thảo này được tạo trước khi báo cáo gộp nhiệm vụ thuộc văn bản mật theo đơn vị chủ trì: danh sách nhiệm vụ "
    "quá hạn còn ghi thời hạn của nhiệm vụ mật. Đề nghị tạo lại báo cáo rồi ban hành."
)


def lists_secret_rows(figures: dict[str, Any]) -> bool:
    """Whether a draft's snapshot predates `SecretLine` and lists a secret overdue task on its own row (its
    notation or content masked): its text gives that task's unit and deadline to every reader of the report."""
    if not figures or "overdue_secret" in figures:
        return False
    return any(
        row.get("notation") == SECRET_DIRECTIVE or secrecy.masked(row.get("task_id")) in row.values()
        for row in figures.get("overdue", [])
    )


def issue_run(run: ReportRun, user: Any) -> ReportRun:
    """Issue a draft: number the drafted text in the issuer's register (dated today) and file DOCX and PDF there."""
    from django.core.exceptions import ValidationError

    from dondoc.documents.models import OutgoingDocument
    from dondoc.documents.register import issue

    with transaction.atomic():
        locked = ReportRun.objects.select_for_update().get(pk=run.pk)
        if locked.status != ReportRun.Status.DRAFT or not locked.content:
            raise ValidationError("Chỉ ban hành được báo cáo ở trạng thái dự thảo.")
        if lists_secret_rows(locked.figures):
            raise ValidationError(OLD_DRAFT)
        doc = document_from_json(locked.content)
        doc.day = timezone.localdate()
        record = issue(doc, issuer=locked.issuer, doc_type=OutgoingDocument.DocType.REPORT, created_by=user)
        locked.document = record
        locked.status = ReportRun.Status.ISSUED
        locked.content = document_to_json(doc)
        locked.stage = f"Đã ban hành số {record.notation}"
        locked.save(update_fields=["document", "status", "content", "stage"])
    return locked


def responsible_people(issuer: Unit) -> list[Person]:
    """Who must prepare and sign the report: the issuer's head and, for Sở Nội vụ, its inspectors; for the City
    Office, its tracking officers."""
    roles = {Person.Role.INSPECTOR} if issuer.code == "SNV" else {Person.Role.TRACKING_OFFICER}
    people = Person.objects.filter(unit=issuer, active=True).filter(role__in=roles) | Person.objects.filter(
        unit=issuer, active=True, position=Person.Position.HEAD
    )
    return list(people.distinct().order_by("id"))
