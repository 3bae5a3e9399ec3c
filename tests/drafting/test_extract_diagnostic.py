"""The extraction scorer's blind diagnostic (bench/extract.py): counts of deadline outcomes over matched tasks, of
where the gold deadline's raw phrase sits relative to the task, and of the shapes of missed tasks — on hand-made
sentences, so the counting is checked without any corpus document."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location(
    "bench_extract", Path(__file__).resolve().parents[2] / "bench" / "extract.py"
)
assert _SPEC is not None and _SPEC.loader is not None
bx = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(bx)

DOC = (
    "Sở Alpha rà soát kinh phí. Hoàn thành trước ngày 15/3/2025.\n"
    "Sở Beta kiểm tra các cơ sở.\n"
    "Thời hạn: trước ngày 1/5/2025.\n"
    "\n"
    "Ghi chú khác.\n"
    "Một dòng nữa.\n"
    "Sở Gamma tổng hợp số liệu."
)


def span(text: str) -> tuple[int, int]:
    s = DOC.index(text)
    return s, s + len(text)


def task(kind: str = "none", value: str | None = None, raw: str | None = None, issues=()) -> dict:
    return {"text": "", "deadline": {"kind": kind, "value": value, "raw": raw}, "issues": list(issues)}


@pytest.mark.parametrize(
    ("gold", "pred", "raw", "place"),
    [
        (
            "Sở Alpha rà soát kinh phí. Hoàn thành trước ngày 15/3/2025.",
            None,
            "trước ngày 15/3/2025",
            "in predicted task",
        ),
        (
            "Sở Alpha rà soát kinh phí. Hoàn thành trước ngày 15/3/2025.",
            "Sở Alpha rà soát kinh phí.",
            "trước ngày 15/3/2025",
            "in gold task only",
        ),
        ("Sở Alpha rà soát kinh phí. Hoàn thành", None, "trước ngày 15/3/2025", "after, same sentence"),
        ("Sở Alpha rà soát kinh phí.", None, "trước ngày 15/3/2025", "after, same paragraph"),
        ("Sở Beta kiểm tra các cơ sở.", None, "trước ngày 1/5/2025", "next paragraph"),
        ("Sở Beta kiểm tra các cơ sở.", None, "trước ngày 15/3/2025", "earlier paragraph"),
        ("Hoàn thành trước ngày 15/3/2025.", None, "Sở Alpha", "before, same paragraph"),
        ("Sở Gamma tổng hợp số liệu.", None, "trước ngày 1/5/2025", "elsewhere"),
        ("Sở Alpha rà soát kinh phí.", None, "trước ngày 9/9/2099", "raw not found"),
    ],
)
def test_raw_place(gold: str, pred: str | None, raw: str, place: str) -> None:
    assert bx.raw_place(DOC, raw, span(gold), span(pred or gold)) == place


def test_raw_place_takes_the_occurrence_nearest_the_task() -> None:
    doc = "Sở A làm X trước ngày 1/1/2025.\nSở B làm Y.\nSở C làm Z trước ngày 1/1/2025."
    c = doc.index("Sở C")
    assert bx.raw_place(doc, "trước ngày 1/1/2025", (c, len(doc)), (c, len(doc))) == "in predicted task"


@pytest.mark.parametrize(
    ("gold", "pred", "outcome"),
    [
        (task("date", "2025-03-15"), task(), "missing"),
        (task("date", "2025-03-15"), task("period", "2025-Q1"), "other kind"),
        (task("date", "2025-03-15"), task(issues=["vague_deadline"]), "other kind"),
        (task("date", "2025-03-15"), task("date", "2025-03-16"), "wrong value"),
        (task("date", "2025-03-15"), task("date", "2025-03-15"), "right"),
        (task(), task("date", "2025-03-15"), "spurious"),
        (task(issues=["vague_deadline"]), task(), "other kind"),
        (task(), task(), "both none"),
        (task(issues=["vague_deadline"]), task(issues=["vague_deadline"]), "both none"),
    ],
)
def test_deadline_outcome(gold: dict, pred: dict, outcome: str) -> None:
    assert bx.deadline_outcome(gold, pred) == outcome


SHAPES = (
    "Kế hoạch triển khai.\n"
    "- Sở Tài chính bố trí kinh phí.\n"
    "Chủ tịch UBND tỉnh yêu cầu Sở Y tế kiểm tra các cơ sở.\n"
    "Sở Nội vụ rà soát biên chế.\n"
    "Khẩn trương hoàn thiện hồ sơ.\n"
    "Các hồ sơ còn lại của năm 2024."
)


@pytest.mark.parametrize(
    ("text", "shape"),
    [
        ("Sở Tài chính bố trí kinh phí.", "bullet item"),
        ("- Sở Tài chính bố trí kinh phí.", "bullet item"),
        ("Sở Y tế kiểm tra các cơ sở.", "news-style verb"),
        ("Sở Nội vụ rà soát biên chế.", "performer first"),
        ("Khẩn trương hoàn thiện hồ sơ.", "other ordering verb"),
        ("Các hồ sơ còn lại của năm 2024.", "no ordering verb"),
    ],
)
def test_missed_shape(text: str, shape: str) -> None:
    s = SHAPES.index(text)
    assert bx.missed_shape(SHAPES, {"text": text}, (s, s + len(text))) == shape


def test_diagnostic_counts_and_prints_no_text() -> None:
    d = bx.Diagnostic()
    alpha = span("Sở Alpha rà soát kinh phí. Hoàn thành trước ngày 15/3/2025.")
    missing = task("date", "2025-03-15", "trước ngày 15/3/2025")
    d.pair(DOC, missing, alpha, task(), span("Sở Alpha rà soát kinh phí."))
    d.pair(DOC, missing, alpha, task("date", "2025-03-15"), alpha)
    d.pair(DOC, task("period", "2025-Q1", "trong quý I"), alpha, task("date", "2025-03-31"), alpha)
    d.pair(DOC, task(), alpha, task(), alpha)
    d.miss(SHAPES, {"text": "Sở Nội vụ rà soát biên chế."}, None)
    rows = d.rows()
    assert 5 <= len(rows) <= 8
    assert d.outcome == {
        "missing": 1,
        "other kind": 1,
        "wrong value": 0,
        "right": 1,
        "spurious": 0,
        "both none": 1,
    }
    assert d.confusion == {"period>date": 1}
    assert d.raw_missing == {**dict.fromkeys(bx.RAW_PLACES, 0), "in gold task only": 1}
    assert d.raw_all["in predicted task"] == 1 and d.raw_all["raw not found"] == 1
    assert sum(d.raw_all.values()) == 3
    assert d.missed["performer first"] == 1
    text = "\n".join(rows)
    for secret in ("Alpha", "2025", "Nội vụ", "15/3"):
        assert secret not in text


def test_score_prints_the_diagnostic_consistently(tmp_path: Path) -> None:
    """Through the scorer on a tiny corpus: the outcomes add up to the matched tasks, the shapes to the missed ones."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "labels").mkdir()
    doc = (
        "UBND TỈNH ALPHA\nSố: 12/UBND-KT\nAlpha, ngày 02 tháng 01 năm 2025\n"
        "Chủ tịch UBND tỉnh yêu cầu:\n"
        "1. Sở Tài chính chủ trì rà soát kinh phí năm 2025, hoàn thành trước ngày 15/3/2025.\n"
        "2. Sở Y tế kiểm tra các cơ sở khám bệnh.\n"
        "Các hồ sơ còn lại của năm 2024.\n"
    )
    (tmp_path / "docs" / "001.txt").write_text(doc, encoding="utf-8")
    base = {"lead_list": None, "coordinators": [], "report": {"required": False}, "submit": False}
    tasks = [
        {
            **base,
            "id": "001-1",
            "text": "Sở Tài chính chủ trì rà soát kinh phí năm 2025, hoàn thành trước ngày 15/3/2025.",
            "lead": "Sở Tài chính",
            "deadline": {"kind": "date", "value": "2025-03-15", "raw": "trước ngày 15/3/2025"},
            "issues": [],
        },
        {
            **base,
            "id": "001-2",
            "text": "Sở Y tế kiểm tra các cơ sở khám bệnh.",
            "lead": "Sở Y tế",
            "deadline": {"kind": "none", "value": None, "raw": None},
            "issues": ["no_deadline"],
        },
        {
            **base,
            "id": "001-3",
            "text": "Các hồ sơ còn lại của năm 2024.",
            "lead": None,
            "deadline": {"kind": "none", "value": None, "raw": None},
            "issues": ["no_lead", "no_deadline"],
        },
    ]
    (tmp_path / "labels" / "001.json").write_text(json.dumps({"tasks": tasks}), encoding="utf-8")
    items = bx.load_corpus(tmp_path, via_pdf=False)
    rows = bx.score(items, verbose=False)
    det = next(r for r in rows if r.startswith("task detection"))
    tp = int(det.split("tp=")[1].split()[0])
    fn = int(det.split("fn=")[1].split()[0])
    outcome = next(r for r in rows if r.startswith("  outcome:"))
    counts = [int(x.strip().rsplit(" ", 1)[1]) for x in outcome.split(":", 1)[1].split("|")]
    assert sum(counts) == tp
    shapes = next(r for r in rows if r.startswith("  missed gold tasks by shape"))
    assert f"({fn})" in shapes
    assert fn >= 1  # the line with no ordering verb is not a task
    assert "no ordering verb 1" in shapes
