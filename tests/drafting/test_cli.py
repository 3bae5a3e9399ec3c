"""The `checkdraft` command behind `dondoc check FILE`: output, JSON, exit codes, DOCX and the seed dispatch."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.helpers import pdf_bytes

DATA = Path(__file__).with_name("data")
GOOD = (
    "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI\nSố: 12/UBND-TKBT\nHà Nội, ngày 10 tháng 7 năm 2020\n"
    "Giao Sở Xây dựng chủ trì, phối hợp với Sở Tài chính kiểm tra, báo cáo UBND Thành phố trước ngày 30/9/2020.\n"
)


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("checkdraft", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_clean_draft_exits_zero(tmp_path: Path) -> None:
    f = tmp_path / "ok.txt"
    f.write_text(GOOD, encoding="utf-8")
    code, out, _ = run(str(f))
    assert code == 0 and "Sở Xây dựng" in out


def test_broken_rule_exits_one(tmp_path: Path) -> None:
    f = tmp_path / "bad.txt"
    f.write_text(GOOD.replace(" trước ngày 30/9/2020", ""), encoding="utf-8")
    code, out, _ = run(str(f))
    assert code == 1 and "no_deadline" in out and "no_report_deadline" in out


def test_json(tmp_path: Path) -> None:
    f = tmp_path / "ok.txt"
    f.write_text(GOOD, encoding="utf-8")
    code, out, _ = run("--format", "json", str(f))
    data = json.loads(out)
    assert code == 0 and data["tasks"][0]["lead_list"] == ["Sở Xây dựng"]
    assert data["tasks"][0]["coordinators"] == ["Sở Tài chính"]


def test_min_working_days(tmp_path: Path) -> None:
    f = tmp_path / "short.txt"
    f.write_text(GOOD.replace("30/9/2020", "14/7/2020"), encoding="utf-8")
    assert run("--min-working-days", "5", str(f))[0] == 1
    assert run("--min-working-days", "0", str(f))[0] == 0


def test_unreadable_file_exits_two(tmp_path: Path) -> None:
    code, _, err = run(str(tmp_path / "missing.txt"))
    assert code == 2 and "không đọc được" in err
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    code, _, err = run(str(bad))
    assert code == 2 and "Traceback" not in err


def test_docx_input(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for line in GOOD.strip().split("\n"):
        document.add_paragraph(line)
    f = tmp_path / "draft.docx"
    document.save(str(f))
    code, out, _ = run("--format", "json", str(f))
    data = json.loads(out)
    assert code == 0 and data["number"] == "12/UBND-TKBT"
    assert data["tasks"][0]["deadline"]["value"] == "2020-09-30"


def test_seed_dispatch_lists_its_own_tasks() -> None:
    code, out, _ = run("--format", "json", str(DATA / "seed_3031.txt"))
    data = json.loads(out)
    assert data["number"] == "3031/UBND-TKBT" and data["issue_date"] == "2020-07-10"
    leads = [t["lead_list"] for t in data["tasks"]]
    assert ["Văn phòng UBND Thành phố"] in leads and ["Sở Nội vụ"] in leads
    heads = [t for t in data["tasks"] if "collective_lead" in t["issues"]]
    assert heads and any("Thủ trưởng các sở" in t["lead"] for t in heads)
    snv = next(t for t in data["tasks"] if t["lead_list"] == ["Sở Nội vụ"])
    assert snv["report"]["required"] and snv["report"]["deadline"]["value"] == "monthly; day 25"
    assert code == 1  # the heads' task and the City Office's tasks carry no deadline


def test_pdf_with_text_layer_is_checked_like_the_text(tmp_path: Path) -> None:
    f = tmp_path / "3031.pdf"
    f.write_bytes(pdf_bytes((DATA / "seed_3031.txt").read_text(encoding="utf-8")))
    code, out, _ = run(str(f))
    assert code == 1
    assert out.splitlines()[0] == "Văn bản 3031/UBND-TKBT, ngày 10/07/2020: 4 nhiệm vụ, 5 lỗi."
    assert "[4] chủ trì: Sở Nội vụ | thời hạn: định kỳ hằng tháng, trước ngày 25" in out


def test_scanned_pdf_exits_two(tmp_path: Path) -> None:
    f = tmp_path / "scan.pdf"
    f.write_bytes(pdf_bytes(None))
    code, _, err = run(str(f))
    assert code == 2 and "không có lớp chữ" in err


def test_json_and_text_show_low_confidence_fields(tmp_path: Path) -> None:
    f = tmp_path / "unsure.txt"
    # A news item with no year anywhere: the date is read without its year, so the deadline is to be checked.
    f.write_text(
        "Lãnh đạo thành phố giao Sở Xây dựng kiểm tra các công trình, xong trước ngày 15/9.\n", "utf-8"
    )
    code, out, _ = run("--format", "json", str(f))
    task = json.loads(out)["tasks"][0]
    assert task["deadline"]["value"] == "--09-15"
    assert task["confidence"]["deadline"] < 0.7 <= task["confidence"]["lead"]
    # (a one-line text: the task model may also leave the clause itself to check)
    assert "deadline" in task["low_confidence"] and "lead" not in task["low_confidence"]
    _code, text, _ = run(str(f))
    assert "[1] cần kiểm tra (máy đọc chưa chắc): " in text and "thời hạn" in text.split("cần kiểm tra")[1]
    clean = tmp_path / "ok.txt"
    clean.write_text(GOOD, encoding="utf-8")
    _code, out, _ = run("--format", "json", str(clean))
    assert json.loads(out)["tasks"][0]["low_confidence"] == []


def test_console_check_starts_without_the_apps_it_does_not_need(tmp_path: Path) -> None:
    """`dondoc check FILE` (the console command) reads the file with the extractor alone: no URL conf, API or
    tracking app is imported, which is what kept its start at several seconds."""
    import subprocess
    import sys

    f = tmp_path / "ok.txt"
    f.write_text(GOOD, encoding="utf-8")
    probe = (
        "import sys\nfrom dondoc.cli import main\nsys.argv = ['dondoc', 'check', sys.argv[1]]\n"
        "try:\n    main()\nexcept SystemExit as exc:\n"
        "    loaded = sorted(m for m in sys.modules if m.split('.')[:2] in (['dondoc', 'api'], "
        "['dondoc', 'tracking'], ['dondoc', 'directives']))\n"
        "    print('EXIT', exc.code, loaded)\n"
    )
    run_ = subprocess.run(
        [sys.executable, "-c", probe, str(f)], capture_output=True, text=True, timeout=120, check=False
    )
    assert "Sở Xây dựng" in run_.stdout
    assert run_.stdout.strip().endswith("EXIT 0 []"), run_.stdout + run_.stderr
