"""How a checked draft is shown: deadlines in Vietnamese words, the marked text (escaped, never losing a character)
and PDF lines joined back into paragraphs."""

from __future__ import annotations

import html
import re
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from dondoc.drafting import present
from dondoc.drafting.checks import check_document
from dondoc.drafting.deadlines import Deadline
from dondoc.drafting.extract import extract
from dondoc.drafting.reader import reflow_lines


def test_deadlines_read_as_an_office_writes_them() -> None:
    assert present.deadline_text(Deadline("date", "2020-09-30")) == "Ngày 30/09/2020"
    assert present.deadline_text(Deadline("date", "2020-04-27T10:00")) == "10:00 ngày 27/04/2020"
    assert present.deadline_text(Deadline("period", "2020-08")) == "Trong tháng 08/2020"
    assert present.deadline_text(Deadline("period", "2020-Q3")) == "Trong quý III/2020"
    assert present.deadline_text(Deadline("period", "2020-H2")) == "6 tháng cuối năm 2020"
    assert present.deadline_text(Deadline("period", "2021")) == "Trong năm 2021"
    relative = Deadline("period", "2020-07-24 (trong 10 ngày làm việc kể từ 2020-07-10)", working_days=10)
    assert (
        present.deadline_text(relative) == "Trong 10 ngày làm việc kể từ 10/07/2020, tức đến ngày 24/07/2020"
    )
    assert present.deadline_text(Deadline("recurring", "monthly; day 25")) == "Hằng tháng, trước ngày 25"
    assert present.deadline_text(Deadline("recurring", "quarterly")) == "Hằng quý"
    vague = Deadline("none", None, "theo đúng thời gian quy định", vague=True)
    assert present.deadline_text(vague) == "Không cụ thể: «theo đúng thời gian quy định»"
    assert present.deadline_text(Deadline()) == "Không có"


def _plain(marked: str) -> str:
    """The text a reader sees once the clause numbers and the tags are taken away."""
    no_numbers = re.sub(r'<a class="clause-no"[^>]*>\d+</a> ', "", marked)
    return html.unescape(re.sub(r"<[^>]+>", "", no_numbers))


PIECES = [
    "Giao Sở Y tế ",
    "Sở Xây dựng chủ trì, phối hợp với Sở Tài chính ",
    "kiểm tra, báo cáo UBND Thành phố ",
    "trước ngày 30/9/2020",
    "trong 10 ngày làm việc",
    "các sở, ban, ngành ",
    ". ",
    "; ",
    "\n",
    "\n\n1. ",
    "<script>alert(1)</script>",
    "&amp; <b>",
    "“",
    "Đ",
    " ",
]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_marked_text_keeps_every_character_and_escapes_them(pieces: list[str]) -> None:
    doc = extract("".join(pieces), ref_date=date(2020, 7, 10))
    clauses = present.clauses(doc, check_document(doc))
    marked = str(present.marked_text(doc, clauses))
    assert _plain(marked) == doc.text
    assert "<script>" not in marked and "<b>" not in marked
    assert len(re.findall(r"<mark ", marked)) <= len(doc.tasks)


def test_each_clause_is_marked_once_with_its_number() -> None:
    doc = extract(
        "Hà Nội, ngày 10 tháng 7 năm 2020\n\n1. Giao Sở Y tế kiểm tra trước ngày 30/9/2020.\n\n"
        "2. Giao các sở, ngành kiểm tra việc chấp hành.\n",
    )
    clauses = present.clauses(doc, check_document(doc))
    marked = str(present.marked_text(doc, clauses))
    assert re.findall(r'<mark class="clause (clause-\w+)" id="doan-(\d)">', marked) == [
        ("clause-ok", "1"),
        ("clause-error", "2"),
    ]
    assert '<span class="clause-deadline">trước ngày 30/9/2020</span>' in marked
    summary = present.summary(doc, check_document(doc))
    assert (summary.tasks, summary.clean_tasks) == (2, 1) and summary.errors >= 2


def test_pdf_lines_are_joined_into_paragraphs() -> None:
    lines = [
        "ỦY BAN NHÂN DÂN",
        "THÀNH PHỐ HÀ NỘI",
        "Giao Sở Nội vụ tổ chức các đoàn kiểm tra công vụ việc thực hiện các nhiệm vụ",
        "của Chính phủ; định kỳ báo cáo UBND thành phố kết quả thực hiện",
        "trước ngày 25 hằng tháng.",
        "1. Giao Sở Y tế kiểm tra an toàn thực phẩm trong dịp Tết Nguyên đán năm",
        "2026.",
    ]
    assert reflow_lines(lines).split("\n\n") == [
        "ỦY BAN NHÂN DÂN",
        "THÀNH PHỐ HÀ NỘI",
        "Giao Sở Nội vụ tổ chức các đoàn kiểm tra công vụ việc thực hiện các nhiệm vụ của Chính phủ; định kỳ "
        "báo cáo UBND thành phố kết quả thực hiện trước ngày 25 hằng tháng.",
        "1. Giao Sở Y tế kiểm tra an toàn thực phẩm trong dịp Tết Nguyên đán năm 2026.",
    ]


def test_a_task_given_to_a_former_district_is_an_error_naming_its_successors() -> None:
    """Issue 15: the districts ended on 01/07/2025; a task cannot be given to one (Resolution 1656/NQ-UBTVQH15)."""
    doc = extract(
        "Hà Nội, ngày 10 tháng 7 năm 2025\n\n1. Giao UBND quận Hoàn Kiếm kiểm tra trước ngày 30/9/2025.\n\n"
        "2. Giao UBND huyện Ba Vì rà soát trước ngày 30/9/2025.\n",
    )
    findings = [f for f in check_document(doc) if f.code == "former_unit"]
    assert [(f.task, f.severity) for f in findings] == [(1, "error"), (2, "error")]
    assert "UBND phường Hoàn Kiếm" in findings[0].message and "UBND phường Cửa Nam" in findings[0].message
    assert "«UBND huyện Ba Vì» không còn tồn tại" in findings[1].message  # successors not in the registry yet
    assert present.summary(doc, check_document(doc)).clean_tasks == 0
