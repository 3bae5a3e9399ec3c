"""Fixtures of the documents tests: a private MEDIA_ROOT and a unit with tasks in every timeliness bucket."""

from __future__ import annotations

from datetime import date

import pytest

from dondoc.tracking import actions


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Files issued by a test go to its own folder, never to the operator's var/files."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def overdue_tasks(make_task, personas, frozen):
    """Sở Xây dựng's tasks on 10/03/2026 (due soon = deadline within 3 working days, up to 13/03/2026).

    Listed in a letter: `late_7` (due 27/02, 7 working days late), `late_3` (due 05/03, 3 late, in progress),
    `soon` (due 12/03). Not listed: a task within its deadline, a completed one, one whose result (dated 09/03,
    after its deadline 05/03) awaits the City Office's confirmation — judged by its document's date, completed late,
    never urged (issue 14) —, a secret one, a draft, a cancelled one, one with no deadline, and Sở Y tế's overdue
    task.
    """
    tracker, lead = personas["tracker"].user, personas["lead_officer"].user
    tasks = {
        "late_7": make_task(content="Hoàn thiện đề án cải tạo chung cư cũ", due_date=date(2026, 2, 27)),
        "late_3": make_task(
            content="Báo cáo rà soát công trình xây dựng trái phép", due_date=date(2026, 3, 5)
        ),
        "soon": make_task(content="Lập kế hoạch chỉnh trang vỉa hè", due_date=date(2026, 3, 12)),
        "submitted": make_task(content="Báo cáo kiểm tra an toàn cầu đường bộ", due_date=date(2026, 3, 5)),
        "in_deadline": make_task(content="Quy hoạch bến xe liên tỉnh", due_date=date(2026, 4, 30)),
        "completed": make_task(content="Thẩm định dự án cầu vượt", due_date=date(2026, 2, 20)),
        "secret": make_task(
            content="Nhiệm vụ mật về an ninh công trình", due_date=date(2026, 2, 26), secret=True
        ),
        "draft": make_task(content="Dự thảo chưa giao", due_date=date(2026, 2, 25), assign=False),
        "cancelled": make_task(content="Nhiệm vụ đã rút", due_date=date(2026, 2, 25)),
        "no_deadline": make_task(content="Theo dõi thường xuyên trật tự xây dựng"),
        "other_unit": make_task(
            lead="SYT", coordinators=(), content="Kiểm tra an toàn thực phẩm", due_date=date(2026, 3, 2)
        ),
    }
    actions.acknowledge(tasks["late_3"], lead)
    actions.acknowledge(tasks["submitted"], lead)
    actions.submit_result(
        tasks["submitted"], lead, document_number="12/BC-SXD", document_date=date(2026, 3, 9)
    )
    done = actions.acknowledge(tasks["completed"], lead)
    actions.submit_result(done, lead, document_number="10/BC-SXD", document_date=date(2026, 2, 25))
    actions.confirm_completion(done, tracker)
    actions.cancel(tasks["cancelled"], personas["leader"].user, reason="Không còn phù hợp")
    return tasks
