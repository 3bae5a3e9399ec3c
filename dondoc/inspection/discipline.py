"""Disciplinary forms for civil servants (*hình thức kỷ luật công chức*) and the handling clock (DOMAIN.md §8).

Pure: no database, importable without Django settings.

- Decree 112/2020/NĐ-CP, Art. 8 (civil servants), in force until 30/06/2025: khiển trách, cảnh cáo, hạ bậc lương,
  giáng chức, cách chức, buộc thôi việc.
- Decree 172/2025/NĐ-CP, in force from 01/07/2025 (it replaced Decree 112/2020): khiển trách, cảnh cáo, cách chức,
  buộc thôi việc — salary-step reduction and demotion no longer exist.
- The time limit for handling discipline (*thời hạn xử lý kỷ luật*) is 90 days; in complicated cases it may be
  extended, to at most 150 days in total (Decree 112/2020 Art. 14, kept by Decree 172/2025). The product records
  the outcome; it does not decide it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

REPRIMAND = "khien_trach"
WARNING = "canh_cao"
SALARY_REDUCTION = "ha_bac_luong"
DEMOTION = "giang_chuc"
REMOVAL = "cach_chuc"
DISMISSAL = "buoc_thoi_viec"

FORM_LABELS = {
    REPRIMAND: "Khiển trách",
    WARNING: "Cảnh cáo",
    SALARY_REDUCTION: "Hạ bậc lương",
    DEMOTION: "Giáng chức",
    REMOVAL: "Cách chức",
    DISMISSAL: "Buộc thôi việc",
}
FORM_CHOICES = list(FORM_LABELS.items())

DECREE_172_FROM = date(2025, 7, 1)


@dataclass(frozen=True)
class Decree:
    name: str
    forms: tuple[str, ...]


DECREE_112 = Decree(
    "Nghị định số 112/2020/NĐ-CP",
    (REPRIMAND, WARNING, SALARY_REDUCTION, DEMOTION, REMOVAL, DISMISSAL),
)
DECREE_172 = Decree("Nghị định số 172/2025/NĐ-CP", (REPRIMAND, WARNING, REMOVAL, DISMISSAL))

HANDLING_DAYS = 90
HANDLING_MAX_DAYS = 150


class FormNotInForce(ValueError):
    """The disciplinary form did not exist on the decision date; `message` is the Vietnamese refusal."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def decree_on(day: date) -> Decree:
    """The decree on civil-servant discipline in force on `day`: Decree 172/2025 from 01/07/2025, else 112/2020."""
    return DECREE_172 if day >= DECREE_172_FROM else DECREE_112


def forms_on(day: date) -> tuple[str, ...]:
    """The disciplinary forms that exist on `day`, mildest first."""
    return decree_on(day).forms


def check_form(form: str, decided_on: date) -> None:
    """Refuse a form that did not exist on the decision date, naming the decree in force and the forms it allows."""
    if form not in FORM_LABELS:
        raise FormNotInForce(f"Hình thức kỷ luật «{form}» không hợp lệ.")
    decree = decree_on(decided_on)
    if form not in decree.forms:
        allowed = ", ".join(FORM_LABELS[f].lower() for f in decree.forms)
        raise FormNotInForce(
            f"Hình thức kỷ luật «{FORM_LABELS[form]}» không có trong {decree.name} đang có hiệu lực "
            f"vào ngày quyết định {decided_on:%d/%m/%Y}; chỉ được chọn: {allowed}."
        )


def handling_deadline(started_on: date, extension_days: int = 0) -> date:
    """The last day to decide: 90 days from the start of handling, plus an extension that may bring the total to
    at most 150 days. Refuses a negative extension or one beyond the 150-day cap (ValueError, in Vietnamese)."""
    if extension_days < 0:
        raise ValueError("Số ngày gia hạn xử lý kỷ luật không được âm.")
    if HANDLING_DAYS + extension_days > HANDLING_MAX_DAYS:
        raise ValueError(
            f"Thời hạn xử lý kỷ luật tối đa {HANDLING_MAX_DAYS} ngày: chỉ được gia hạn thêm tối đa "
            f"{HANDLING_MAX_DAYS - HANDLING_DAYS} ngày."
        )
    return started_on + timedelta(days=HANDLING_DAYS + extension_days)
