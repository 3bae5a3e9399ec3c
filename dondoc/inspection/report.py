"""The inspection section of the monthly report (dispatch 3031 §6; issue 6 item 6), from `summary.inspection_summary`.

`report_section(period, ref)` gives the section's blocks — one table per inspection whose visiting dates overlap the
period: decision, mode, units, tasks checked, count per verdict, notice, remedies (done/overdue), accountability
proposals (decided/past the handling deadline) — and the same figures as one row per inspection for the XLSX
appendix. No inspection in the period: nothing (the report then omits the section).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from dondoc.documents import layout as L
from dondoc.inspection.models import Verdict
from dondoc.inspection.summary import InspectionSummary, inspection_summary


class PeriodLike(Protocol):
    @property
    def start(self) -> date: ...

    @property
    def end(self) -> date: ...


SECTION_TITLE = "KẾT QUẢ THANH TRA, KIỂM TRA CÔNG VỤ"

APPENDIX_HEADER = [
    "STT",
    "Quyết định",
    "Tên đợt kiểm tra",
    "Hình thức",
    "Đơn vị được kiểm tra",
    "Số nhiệm vụ đã kiểm tra",
    *[str(label) for _v, label in Verdict.choices],
    "Thông báo kết quả",
    "Biện pháp khắc phục",
    "Đã hoàn thành",
    "Quá hạn",
    "Đề nghị kiểm điểm",
    "Trong đó cá nhân",
    "Đã quyết định",
    "Quá thời hạn xử lý",
]
APPENDIX_KINDS = ["int", "text", "text", "text", "text", "int", *(["int"] * len(Verdict.choices)), "text"] + [
    "int"
] * 7


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def summary_table(s: InspectionSummary) -> L.Table:
    """One inspection's figures as a two-column table (Nội dung | Kết quả)."""
    rows = [
        ["Quyết định thành lập đoàn", s.decision],
        ["Hình thức", s.mode],
        ["Đơn vị được kiểm tra", ", ".join(s.units) or "—"],
        ["Số nhiệm vụ đã kiểm tra", _n(s.findings)],
        *[[f"– {label}", _n(count)] for label, count in s.by_verdict.items()],
        ["Thông báo kết quả kiểm tra", f"Số {s.notice}" if s.notice else "Chưa ban hành"],
        [
            "Biện pháp khắc phục",
            f"{_n(s.remedies)} (đã hoàn thành {_n(s.remedies_completed)}, quá hạn {_n(s.remedies_overdue)})",
        ],
        [
            "Đề nghị kiểm điểm trách nhiệm",
            f"{_n(s.proposals)} (cá nhân {_n(s.proposals_individual)}; đã có quyết định "
            f"{_n(s.proposals_decided)}; quá thời hạn xử lý {_n(s.proposals_overdue)})",
        ],
    ]
    return L.Table(header=["Nội dung", "Kết quả"], rows=rows, widths_mm=[70, 90], align=["left", "left"])


def appendix_row(i: int, s: InspectionSummary) -> list[Any]:
    return [
        i,
        s.decision,
        s.plan.title,
        s.mode,
        ", ".join(s.units),
        s.findings,
        *s.by_verdict.values(),
        s.notice or "",
        s.remedies,
        s.remedies_completed,
        s.remedies_overdue,
        s.proposals,
        s.proposals_individual,
        s.proposals_decided,
        s.proposals_overdue,
    ]


def report_section(period: PeriodLike, ref: date) -> tuple[list[L.Block], list[list[Any]]]:
    """(blocks of the section, appendix rows) for the inspections visiting in the period; ([], []) if none.
    Remedies and handling deadlines are judged as of `ref`, the report's reference date."""
    summaries = inspection_summary(period.start, period.end, ref=ref)
    if not summaries:
        return [], []
    blocks: list[L.Block] = [
        L.Paragraph(
            f"Trong kỳ có {len(summaries)} đợt kiểm tra công vụ việc thực hiện nhiệm vụ được giao (số liệu tính "
            f"đến ngày {ref:%d/%m/%Y}):"
        )
    ]
    for i, s in enumerate(summaries, 1):
        blocks.append(L.Heading(f"{i}. {s.plan.title}", 2))
        blocks.append(summary_table(s))
    return blocks, [appendix_row(i, s) for i, s in enumerate(summaries, 1)]
