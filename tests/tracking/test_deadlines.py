from datetime import date

import pytest

from dondoc.tracking.deadlines import DeadlineError, resolve_deadline, resolve_report_deadline
from dondoc.workdays.arith import WorkCalendar
from dondoc.workdays.csvdata import load_csv_entries

CAL = WorkCalendar(load_csv_entries())


def test_date_written_dd_mm_yyyy_is_that_date():
    assert resolve_deadline("30/09/2026", date(2026, 9, 1), CAL) == date(2026, 9, 30)


def test_working_days_skip_the_tet_break():
    # 5 working days after Thursday 12/02/2026 is Thursday 26/02/2026 (Tết 14–22/02).
    assert resolve_deadline("5 ngày làm việc", date(2026, 2, 12), CAL) == date(2026, 2, 26)
    assert resolve_deadline("trong 5 ngay lam viec", date(2026, 2, 12), CAL) == date(2026, 2, 26)


def test_days_period_rolls_off_a_non_working_last_day():
    # Civil Code Art. 148: 10 days after 10/02/2026 ends on 20/02 (Tết), so it ends on Monday 23/02/2026.
    assert resolve_deadline("10 ngày", date(2026, 2, 10), CAL) == date(2026, 2, 23)


def test_empty_deadline_means_no_deadline():
    assert resolve_deadline("  ", date(2026, 2, 10), CAL) is None


@pytest.mark.parametrize("text", ["31/02/2026", "kịp thời", "0 ngày làm việc", "theo quy định"])
def test_unreadable_deadline_is_refused_with_a_vietnamese_message(text):
    with pytest.raises(DeadlineError) as exc:
        resolve_deadline(text, date(2026, 2, 10), CAL)
    assert "«" in str(exc.value) or "ngày" in str(exc.value)


def test_monthly_report_deadline_is_a_day_of_every_month():
    assert resolve_report_deadline("trước ngày 25 hằng tháng", date(2026, 2, 10), CAL) == (None, 25)
    assert resolve_report_deadline("15/03/2026", date(2026, 2, 10), CAL) == (date(2026, 3, 15), None)


def test_monthly_report_day_out_of_range_is_refused():
    with pytest.raises(DeadlineError):
        resolve_report_deadline("trước ngày 32 hằng tháng", date(2026, 2, 10), CAL)
