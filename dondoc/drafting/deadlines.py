"""Reading a completion or report deadline (thời hạn) out of a task clause.

Pure module. Every pattern runs on the accent-folded text (`fold_keep`: same length as the original, so spans map
back to the original words). The kinds follow the corpus guide (GUIDE §4.4):

* ``date``      — a calendar date: "trước ngày 30/9/2020", "chậm nhất 10h00' ngày 27/4/2020" (→ with hour),
  "trước ngày 15-12" (year taken from the document date). A date counts only with a deadline word in front of
  it (trước, chậm nhất, hoàn thành, hạn) or "là hạn cuối" after it, so that the dates of cited documents
  ("Công văn số 1017/BTNMT ngày 22/3/2013") and data cut-offs ("tính đến ngày 30-10") are not deadlines.
* ``period``    — a month ("trong tháng 8/2020" → 2020-08), a quarter ("trong quý III/2020" → 2020-Q3), a half-year
  ("trong 6 tháng cuối năm" → YYYY-H2), a year ("trong năm 2021"), a festival season ("trong dịp Tết ..."), a
  meeting ("trình tại kỳ họp ..." — event-anchored, hence vague), and the relative "trong 10 ngày làm việc",
  resolved with the working-day calendar from the document date (value "YYYY-MM-DD (rule)").
* ``recurring`` — "trước ngày 25 hằng tháng" (monthly, day 25), "hằng tháng/quý/năm", "định kỳ" (no frequency:
  vague).
* ``none``      — nothing usable; a stand-in phrase such as "theo đúng thời gian quy định", "trong thời hạn theo
  quy định", "theo yêu cầu ... tại Công văn" is kept in `raw` and makes the deadline vague.

Urgency words (khẩn trương, ngay, kịp thời) are not deadlines (GUIDE §4.4): they set `urgent` only.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from dondoc.workdays.arith import CalendarEntry, WorkCalendar

CALENDAR_CSV = Path(__file__).resolve().parent.parent / "workdays" / "vn_civil_service_calendar.csv"


_FOLD_CACHE: dict[int, str] = {}


def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", ch)[0].lower()
    return base if len(base) == 1 else ch


class _FoldTable(dict):  # type: ignore[type-arg]
    """str.translate table built lazily: one folded character per input character."""

    def __missing__(self, key: int) -> str:
        value = chr(key).lower() if key < 128 else _fold_char(chr(key))
        if len(value) != 1:
            value = chr(key)
        self[key] = value
        return value


_TABLE = _FoldTable()


def fold_keep(text: str) -> str:
    """Accent-fold and lower-case character by character, keeping the length (so spans stay valid)."""
    return text.translate(_TABLE)


@lru_cache(maxsize=1)
def default_calendar() -> WorkCalendar:
    """The civil-service calendar shipped with the package; other years fall back to the holidays package."""
    entries: list[CalendarEntry] = []
    with CALENDAR_CSV.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            entries.append(CalendarEntry(date.fromisoformat(row["date"]), row["kind"]))
    return WorkCalendar(entries)


@dataclass
class Deadline:
    kind: str = "none"  # date | period | recurring | none
    value: str | None = None
    raw: str | None = None
    start: int = -1  # span in the text the parser was given
    end: int = -1
    vague: bool = False  # a stand-in phrase or an event/unspecified cycle instead of a time
    day: date | None = None  # the last day the work may be done, when it is a calendar day
    working_days: int | None = None  # for "trong N ngày làm việc"
    extra: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {"kind": self.kind, "value": self.value}
        if self.raw:
            out["raw"] = self.raw
        return out


_ROMAN = {
    "i": 1,
    "ii": 2,
    "iii": 3,
    "iv": 4,
    "1": 1,
    "2": 2,
    "3": 3,
    "4": 4,
    "mot": 1,
    "hai": 2,
    "ba": 3,
    "bon": 4,
}
_ROMAN["tu"] = 4
_SP = r"\s*"

# A day and month in figures, with the year or without (three groups): 30/9/2020, 25.5.2017, 15-12.
DAY_MONTH_YEAR = r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{4}))?"
# A calendar date: 30/9/2020, 25.5.2017, 15-12, "20 tháng 12 năm 2013".
_DATE = re.compile(
    r"(?<![\d/.\-])" + DAY_MONTH_YEAR + r"(?![\d/\-])(?!\.\d)"
    r"|(?<!\d)(\d{1,2})\s*thang\s*(\d{1,2})(?:\s*nam\s*(\d{4}))?"
)
# What may stand between the deadline word and the date: "ngày", an hour ("14h00'", "14 giờ,").
_GAP = re.compile(
    r"^[\s,:]*(?:la\s+)?(?:vao\s+)?(?:luc\s+)?(?:thoi diem\s+)?(?:(\d{1,2})\s*(?:h|gio|g)\s*(\d{2})?\s*(?:phut)?\s*'?\s*,?\s*)?"
    r"(?:(?:buoi\s+)?(sang|trua|chieu|toi)\b\s*,?\s*)?(?:ngay\s*)?"
    r"(?:(?:thu\s+(?:hai|ba|tu|nam|sau|bay)|chu\s+nhat)\b\s*[,(]?\s*)?(?:ngay)?[\s,]*$"
)  # "chậm nhất là ngày 30/9", "trước 16 giờ, thứ Sáu, ngày 20/3", "chậm nhất 15h30 chiều ngày 22/3"
# A table's or list's time label: "Thời gian thực hiện: Quý II/2021", "Thời hạn hoàn thành: 30/6/2021".
# The label names the time and up to four words of what is timed: "Thời hạn nộp hồ sơ:", "Hạn gửi báo cáo:", "Tiến độ
# thực hiện:", "Thời điểm hoàn thành:".
_LABEL = r"(?:thoi gian|thoi han|thoi diem|tien do|\bhan)(?:\s+(?!trong\b)[a-z]+){0,4}?\s*:"
_CUE = re.compile(
    r"\b("
    + _LABEL
    + r"|truoc|cham nhat|muon nhat|khong (?:de |duoc )?(?:muon|cham|qua) (?:hon |qua )?|han chot|han cuoi"
    r"|thoi han|hoan thanh|xong|den het|den(?=\s*(?:ngay|\d|$))|(?<=tu nay )den|trong|vao|han)"
)
_STRONG_CUE = re.compile(
    r"(?:truoc|cham nhat|muon nhat|khong (?:de |duoc )?(?:muon|cham|qua)|han chot|han cuoi|thoi han|hoan thanh|xong|thoi gian)\b"
)
_DATA_PERIOD = re.compile(r"\b(?:so lieu|ket qua|tinh hinh|giai doan|ky bao cao|thoi ky)\b[^.;]*$")
_CUT_OFF = re.compile(
    r"(?:\btinh|\btu\b(?! nay\b)[^.;,]{0,40}|\b(?:so lieu|cap nhat|luy ke)\b[^.;,]{0,40})\s*$"
)  # "tính đến ngày", "từ đầu năm đến ngày", "số liệu (cập nhật) đến 30/4": data cut-offs
_AFTER_CUE = re.compile(r"^\s*(?:\(|,)?\s*la\s+(?:thoi\s+)?han(?:\s+cuoi|\s+chot)?")
# Recurring cycles with a day: "trước ngày 20 hằng tháng", "trước ngày 15/12 hằng năm", "từ ngày 1 đến ngày 5 hằng
# tháng" (the window's last day is the deadline), "hằng năm, trước ngày 15 tháng 01".
_RECURRING_DAY = re.compile(
    r"(?:(?:truoc|cham nhat)\s+)?(?:tu\s*ngay\s*\d{1,2}\s*(?:den|toi)\s*(?:het\s*)?)?"
    # the day with "ngày", or a day and month in figures after the deadline word ("trước 30/6 hằng năm")
    r"(?:ngay\s*(\d{1,2})(?:\s*(?:/|-|\.|thang)\s*(\d{1,2}))?"
    r"|(?<=truoc )(\d{1,2})\s*[/.\-]\s*(\d{1,2})|(?<=cham nhat )(\d{1,2})\s*[/.\-]\s*(\d{1,2}))"
    r"(?:\s*(?:,|va)\s*(?:ngay\s*)?\d{1,2}\s*(?:/|-|\.|thang)\s*\d{1,2})*"  # "05/6 và 05/12 hàng năm"
    r"\s*,?\s*(?:nam\s+)?(?:cua\s+)?(?:hang|moi)\s*(thang|quy|nam|tuan)"  # "... tháng 3 năm hàng năm"
)
# A monthly window written as two days joined by a dash: "từ ngày 01-05 hàng tháng" (the 1st to the 5th, not 1 May):
# its last day is the deadline.
_DAY_WINDOW_CYCLE = re.compile(
    r"\btu\s*(?:ngay\s*)?(\d{1,2})\s*[-–]\s*(\d{1,2})(?!\s*[/.\-]\s*\d)\s*,?\s*(?:cua\s+)?(?:hang|moi)\s*thang\b"
)
_RECURRING_LEAD = re.compile(
    r"\b(?:dinh\s*ky\s+)?(?:hang|moi)\s*(thang|quy|nam|tuan)\s*[,(:]?\s*"
    r"(?:truoc|cham nhat|vao|tu\s*ngay\s*\d{1,2}\s*(?:den|toi)\s*(?:het\s*)?)\s*(?:ngay\s*)?"
    r"(\d{1,2})(?:\s*(?:/|-|\.|thang)\s*(\d{1,2}))?(?!\s*(?:/|-|\.|nam)\s*\d)"
)
# A report named by its cycle, with a day and month and no year: the date of every cycle's report, "Báo cáo 6 tháng
# (đầu năm) gửi trước ngày 10/7", "báo cáo năm gửi trước ngày 15/01 năm sau" (annually), "báo cáo quý gửi trước ngày
# 20 tháng cuối quý" (quarterly), "báo cáo tháng gửi trước ngày 25" (monthly) — not one report of a period named
# ("báo cáo 6 tháng đầu năm 2021", "báo cáo tháng 4", "báo cáo năm nay").
_CYCLE_REPORT = re.compile(
    r"\bbao cao\s+(?:dinh ky\s+)?(6 thang|sau thang|ca nam|nam|quy|thang|tuan)"
    r"(?!\s*(?:\d|/|nay|truoc|sau|toi|qua|hoc|tai chinh|[ivx]+\b))(?:\s+(?:dau|cuoi)\s+nam)?(?!\s*\d)"
    r"[^.;:\d]{0,60}?\b(?:truoc|cham nhat|muon nhat)\s+(?:ngay\s*)?(\d{1,2})(?:\s*(?:/|-|\.|thang)\s*(\d{1,2}))?"
    r"(?!\s*(?:/|-|\.|nam)\s*\d)(?!\d)"
)
# A day of "the reporting month / year" is a cycle's: "chậm nhất ngày 16 (mười sáu) của tháng báo cáo" (monthly),
# "trước ngày 10/7 của năm báo cáo", "trước ngày 15/01 của năm liền kề năm báo cáo" (annually).
_REPORTING_CYCLE_DAY = re.compile(
    r"(?:(?:truoc|cham nhat|muon nhat)\s+)?ngay\s*(\d{1,2})(?:\s*(?:/|-|\.|thang)\s*(\d{1,2}))?(?!\s*(?:/|-|\.)\s*\d)"
    r"\s*(?:\([^()\d]{0,24}\)\s*)?(?:cua\s+)?(?:(thang)|(nam))\s+(?:(?:lien ke|tiep theo|sau)\s+(?:nam\s+)?)?bao cao\b"
)
# A range is a period (GUIDE §4.4): "từ ngày 09/4 đến hết ngày 11/4/2022", "từ 1/6 đến 30/6/2020".
# The first day may give the day alone when it shares the last one's month: "từ ngày 26 đến ngày 28/6/2017".
_RANGE = re.compile(
    r"(?<!tinh )\btu\s*(?:ngay\s*)?(\d{1,2})(?:\s*(?:[/.\-]|thang)\s*(\d{1,2})(?:\s*(?:[/.\-]|nam)\s*(\d{4}))?)?"
    + r"\s*(?:den|toi|[-–])\s*(?:het\s*)?(?:ngay\s*)?"
    + r"(\d{1,2})\s*(?:[/.\-]|thang)\s*(\d{1,2})(?:\s*(?:[/.\-]|nam)\s*(\d{4}))?"
)  # the day and month in words too: "từ ngày 20 tháng 4 đến ngày 25 tháng 5 năm 2021"
# Days named after their count: "trong 2 ngày 15 và 16/9", "trong 03 ngày 15, 16, 17/9/2022", "trong hai ngày
# 15-16/9": the days listed, a period (not "two days from the document's date"); without the count too: "trong các
# ngày 10, 11/5/2021", "vào các ngày 10 và 12/5".
_LISTED_DAYS = re.compile(
    r"\b(?:trong\s+(?:\d{1,2}|hai|ba|bon|nam)|(?:trong|vao)\s+cac)\s+ngay\s*(?:tu\s+)?(?:ngay\s*)?(\d{1,2})"
    r"(?:\s*(?:,|va|[-–]|den)\s*(?:ngay\s*)?\d{1,2})*\s*(?:,|va|[-–]|den)\s*(?:ngay\s*)?"
    r"(\d{1,2})\s*(?:[/.\-]|thang)\s*(\d{1,2})(?:\s*(?:[/.\-]|nam)\s*(\d{4}))?(?!\d)"
)
# A half-yearly cycle with its day: "định kỳ 6 tháng (trước ngày 15/6)", "6 tháng một lần, trước ngày 10/7".
_SEMIANNUAL_DAY = re.compile(
    r"\b(?:dinh ky\s+(?:6|sau)\s*thang(?:\s*(?:mot lan|/\s*lan))?|(?:6|sau)\s*thang\s*(?:mot lan|/\s*lan))"
    r"\s*[,(:]?\s*(?:truoc|cham nhat|vao)\s*(?:ngay\s*)?"
    r"(\d{1,2})(?!\d)\s*(?:/|-|\.|thang)\s*(\d{1,2})(?!\d)(?!\s*(?:/|-|\.|nam)\s*\d)"
)
# A range of months is a period (GUIDE §4.4): "từ tháng 4 đến tháng 6 năm 2021", "từ tháng 4/2021 - tháng 6/2021".
_MONTH_RANGE = re.compile(
    r"\btu\s+thang\s*(\d{1,2})(?:\s*(?:/|nam)\s*(\d{4}))?\s*(?:den|toi|[-–])\s*(?:het\s+)?thang\s*(\d{1,2})"
    r"(?:\s*(?:/|nam)\s*(\d{4}))?"
)
# What a relative time may be fronted by besides "trong": "không quá 30 ngày", "chậm nhất (là) (sau) 15 ngày".
_RELATIVE_FRONT = (
    r"|khong\s+qua\s+|cham\s+nhat\s+(?:la\s+)?(?:sau\s+)?"
    # counted after an event: "sau 30 ngày, kể từ ngày được giao đất"
    r"|sau\s+(?=\d{1,3}\s*ngay(?:\s*lam\s*viec)?\s*,?\s*ke\s+tu\b)"
)
# Months listed after "các tháng": "trong các tháng 4, 5 năm 2021", "các tháng 4 và 6/2021": the first to the last.
_LISTED_MONTHS = re.compile(
    r"\b(?:trong|vao)\s+cac\s+thang\s*(\d{1,2})(?:\s*(?:,|va)\s*\d{1,2})*\s*(?:,|va|[-–])\s*(\d{1,2})"
    r"\s*(?:/|nam)\s*(\d{4})(?!\d)"
)
# A date of an event the performer holds or attends, with "ngày" and no deadline word: "tổ chức Hội nghị ngày
# 28/3/2021", "tham dự phiên họp chất vấn cả ngày 5-12" (not a document's date: "Quyết định số 12 ngày ...").
_EVENT_DAY = re.compile(
    r"(?<!da )\b(?:to chuc|tham du|co mat|khai mac|dien ra"
    # a delivery on a day, with no deadline word: "báo cáo UBND tỉnh ngày 10/4/2021", "gửi về Sở Tài chính ngày …"
    # (not a letter named on the way: "Báo cáo số 12 ngày …", "gửi kèm Công văn ngày …")
    r"|(?<!cac )(?<!theo )(?<!tai )bao cao|gui(?:\s+ve)?|nop|trinh)\b"
    r"(?:(?!\bso\s*\d|\bngay\b|\b(?:cong van|van ban|quyet dinh|thong bao|ke hoach|kem)\b)[^.;,]){0,50}?"
    r"(?:\b(?:vao|ca|trong)\s+)?(ngay)\s*$"
)
# A year-less date of the next or the current year said in words: "trước ngày 15/01 năm sau", "... năm nay".
_YEAR_AFTER = re.compile(r"\s*,?\s*nam\s*(\d{4})(?!\d)")
_NEXT_YEAR = re.compile(r"\s*(?:cua\s+)?nam\s+(sau|toi|nay)\b")
# A stand-in time needs a completion to stand for: "hoàn thành ... đúng tiến độ", not a manner among others
# ("tổ chức đại hội trang trọng, tiết kiệm, hiệu quả và đúng tiến độ").
_COMPLETION = re.compile(r"\b(?:hoan thanh|xong|ban giao|dua vao|ket thuc|thuc hien|bao cao|gui|nop|trinh)\b")
_FREQ = re.compile(r"\b(hang|dinh ky hang|dinh ky)\s*(thang|quy|nam|tuan|ngay)\b")
# Every six months: "6 tháng một lần", "định kỳ 6 tháng", "6 tháng/lần".
_SEMIANNUAL = re.compile(r"\b(?:dinh ky\s+(?:6|sau)\s*thang|(?:6|sau)\s*thang\s*(?:mot lan|/\s*lan))\b")
# Every N months otherwise: "định kỳ 3 tháng", "3 tháng một lần", "định kỳ 01 tháng/lần".
_EVERY_MONTHS = re.compile(
    r"\b(?:dinh ky\s+0?(1|3|ba|12)\s*thang|0?(1|3|ba|12)\s*thang\s*(?:mot lan|/\s*lan))\b"
)
# The document's own year or month: "từ nay đến hết năm", "trong năm nay", "trong tháng này".
_THIS_YEAR = re.compile(
    r"\b(?:(?:tu nay\s+)?den\s+(?:het|cuoi)\s+nam(?:\s+nay)?(?!\s*\d)|trong\s+nam\s+nay"
    r"|(?:truoc|vao|trong)\s+(?:dip\s+)?cuoi\s+nam(?:\s+nay)?(?!\s*(?:\d|hoc)))\b"
)
_THIS_MONTH = re.compile(r"\b(?:trong|(?:tu nay\s+)?den\s+(?:het|cuoi))\s+thang\s+nay\b")
_THIS_QUARTER = re.compile(r"\b(?:trong|(?:tu nay\s+)?den\s+(?:het|cuoi))\s+quy\s+nay\b")
# A day of the month after the document's: "trước ngày 5 của tháng sau" (with "hằng tháng" it is a cycle).
_NEXT_MONTH_DAY = re.compile(
    r"\b(?:truoc|cham nhat|vao)\s+(?:ngay\s*)?(\d{1,2})\s+(?:cua\s+)?thang\s+(?:sau|tiep theo|toi)\b"
)
_DINH_KY = re.compile(r"\bdinh\s*ky\b")
# Months in words ("tháng Tư", "tháng Giêng"); not "năm" and "sáu", which fold like "year" and "after".
_MONTH_WORDS = {
    "gieng": 1, "hai": 2, "ba": 3, "tu": 4, "bay": 7, "tam": 8, "chin": 9, "muoi": 10,
    "muoi mot": 11, "muoi hai": 12, "chap": 12,
}  # fmt: skip
# "chậm nhất (là) (trong) tháng 6/2021", "muộn nhất quý II", "chậm nhất năm 2022": the latest time, a period.
_LATEST = r"(?:cham|muon) nhat(?:\s+la)?(?:\s+(?:trong|vao))?|"
# "tháng Sáu năm 2021", "tháng Năm/2021": the words that also mean "after" and "year" read as months only before a
# year.
_MONTH_BEFORE_YEAR = {"sau": 6, "nam": 5}
_MONTH = re.compile(
    r"\b(trong|vao|truoc|ngay trong|hoan thanh|xong|(?:cham nhat\s+(?:la\s+)?)?cuoi|den het|"
    + _LATEST
    + r"den(?=\s+thang\s*\d{1,2}\s*(?:/|nam)\s*\d{4})|"
    + _LABEL
    + r"(?:\s*trong)?|dau|giua)\s+thang\s*(\d{1,2}|"
    + "|".join(sorted(_MONTH_WORDS, key=len, reverse=True))
    + r"|(?:sau|nam)(?=\s*(?:/|nam)\s*\d{4}))\b"
    r"(?:\s*(?:/|nam)\s*(\d{4}))?\b"
)
_QUARTER = re.compile(
    r"\b(trong|vao|truoc|hoan thanh trong|hoan thanh|xong|cuoi|dau|den het|"
    + _LATEST
    + _LABEL
    + r"(?:\s*trong)?)\s+quy\s+(iv|i{1,3}|[1-4]|mot|hai|ba|bon|tu)\b"
    r"(?:\s*(?:/|nam)\s*(\d{4}))?"
    r"|\b()quy\s+(iv|i{1,3}|[1-4]|mot|hai|ba|bon|tu)\s*(?:/|nam)\s*(\d{4})"
)
_HALF = re.compile(
    r"\b(?:(?:trong|truoc|vao|"
    + _LABEL
    + r")\s+(?:6|sau)\s*thang|(?:trong\s+)?nua)\s*(cuoi|dau)\s*nam(?:\s*(\d{4}))?"
)
# A year as the period of the work: "trong năm 2009", "hoàn thành (trong) năm 2021", "cuối năm 2020", "đến hết năm
# 2020" — not a plan's horizon ("đến năm 2025, định hướng đến năm 2030", GUIDE §4.4).
_YEAR = re.compile(
    r"\b(?:trong|(?:hoan thanh|xong)(?:\s+trong)?|cuoi|den het|den cuoi|"
    + _LATEST
    + _LABEL
    + r"(?:\s*trong)?)"
    r"\s+nam\s+(\d{4})\b(?!\s*[-–]\s*\d{4})"
    # a year alone after a time label: "Thời gian thực hiện: 2021"
    r"|" + _LABEL + r"\s*(\d{4})\b(?!\s*[-–/.]\s*\d)"
)
# Several years as the period of the work: "trong giai đoạn 2021 - 2025", "Thời gian thực hiện: năm 2021-2022",
# "trong 2 năm 2021 - 2022" (GUIDE §4.4, a plan period: 2021/2025).
_YEARS = re.compile(
    r"\b(?:trong|"
    + _LABEL
    + r"(?:\s*trong)?)\s+(?:giai doan|(?:\d\s+)?nam(?:\s+hoc)?)\s+(\d{4})\s*[-–]\s*(\d{4})\b"
)
# A day of a quarter's first or last month: "trước ngày 10 của tháng cuối quý" (quarterly).
_QUARTER_DAY = re.compile(
    r"(?:(?:truoc|cham nhat)\s+)?ngay\s*(\d{1,2})\s+(?:cua\s+)?thang\s+(?:dau|cuoi)\s+(?:moi\s+|hang\s+)?quy\b"
)
# "trong 10 ngày làm việc", "trong vòng hai tuần (tới)": a time counted from the document's date (or a date given).
_NUMBER_WORDS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "sau": 6, "bay": 7, "tam": 8, "chin": 9, "muoi": 10}
_RELATIVE = re.compile(
    r"\b(?:trong\s+(?:vong|thoi han|thoi gian)?\s*"
    + _RELATIVE_FRONT
    + r"|(?=(?:\d{1,3}|mot|hai|ba|bon|sau|bay|tam|chin|muoi)\s*(?:ngay|tuan)"
    r"(?:\s*lam\s*viec)?\s+(?:toi|sap toi|tiep theo)\b))"
    r"(\d{1,3}|mot|hai|ba|bon|sau|bay|tam|chin|muoi)\s*(?:ngay|(tuan))"
    r"(\s*lam\s*viec)?(?:\s+(?:toi|sap toi|tiep theo)\b)?"
    r"(?:\s*(?:ke tu|tu)\s*(?:ngay)?\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4}))?"
)
# Months counted from the document's date: "trong vòng 01 tháng", "trong thời hạn 3 tháng kể từ ngày ký" — not the
# first or last months of a year ("trong 6 tháng đầu năm"), the months past ("3 tháng qua") nor a month named.
_RELATIVE_MONTHS = re.compile(
    r"\btrong\s+(?:vong\s+|thoi han\s+|thoi gian\s+)?(\d{1,2}|mot|hai|ba|sau)\s*thang\b"
    r"(?!\s*(?:dau|cuoi|qua|nam|truoc|\d|/))(?:\s+(?:toi|sap toi|tiep theo)\b)?"
)
_EVENT = re.compile(
    r"\b(?:trinh|bao cao|hoan thanh|xong|gui|nop)\b[^.;]{0,60}?\b(tai|truoc)\s+"
    r"(?:phien hop|ky hop|hoi nghi|(?:ngay\s+)?khai giang)[^.;,]{0,90}"
)
# The meeting a text's opening prepares for: only what is put to it ("trình / báo cáo tại kỳ họp").
_OPENING_EVENT = re.compile(
    r"\b(?:trinh|bao cao)\b[^.;]{0,60}?\b(tai|truoc)\s+(?:phien hop|ky hop|hoi nghi)[^.;,]{0,90}"
)
_SEASON = re.compile(
    r"\b(?:trong|vao)\s+dip\s+[^.;]{3,90}?(?:\d{4}|(?=[.;]))|\b(?:truoc|trong|vao)\s+(?:dip\s+)?tet\b[^.;,]{0,30}?(?:\d{4}|(?=[.;,]|$))"
    # a season of the year: "trước mùa mưa bão (năm 2021)", "trong mùa khô"
    r"|\b(?:truoc|trong|vao)\s+mua\s+(?:mua(?:\s+(?:bao|lu))?|bao|lu|kho|nang nong|chay rung)\b(?:\s+nam\s+\d{4})?"
    # the holiday the orders serve, named with its year: "(để) phục vụ / (cho người dân) đón Tết Nguyên đán Quý Mão
    # 2023", "vui Xuân – đón Tết Nguyên đán Canh Tý 2020"
    r"|\b(?:vui xuan\s*[-–]\s*)?(?:don|phuc vu|chao mung|mung)\s+tet\s+nguyen\s+dan\b[^.;,]{0,30}?\d{4}"
    # a holiday season right after the work, with no preposition: "phòng, chống dịch dịp nghỉ lễ 30/4 - 1/5/2021",
    # "kiểm tra … dịp cận Tết" (not the occasion of a gift or a visit: "nhân dịp Tết")
    r"|(?<!nhan )\bdip\s+(?:nghi\s+)?(?:le|tet|can\s+tet)\b[^.;,]{0,60}?(?:\d{4}|(?=[.;,]|$))"
)
# The arrival of a natural hazard as the time to finish by: "chằng chống nhà cửa trước khi bão đổ bộ", "sơ tán dân
# trước khi lũ về", "trước khi cơn bão số 5 ảnh hưởng trực tiếp" (GUIDE §4.4, an event; no calendar date).
_HAZARD = re.compile(
    r"\btruoc\s+khi\s+(?:con\s+)?(?:bao|lu|mua lu|lu quet|ap thap nhiet doi|trieu cuong)(?:\s+so\s+\d{1,2})?"
    r"\s+(?:do bo|anh huong|vao|den|ve|xay ra)\b[^.;,]{0,30}"
)
# The dry season as the time of the work (GUIDE notes: a season is a period): "trong suốt các tháng mùa khô", "trước
# mùa khô năm 2021", and, with its years, without a preposition: "phòng cháy, chữa cháy rừng mùa hanh khô 2021-2022".
_DRY_SEASON = re.compile(
    r"\b(?:(?:truoc|trong(?:\s+suot)?|vao|suot)\s+(?:cac\s+thang\s+)?(?=mua\s))?mua\s+(?:hanh\s+)?kho\b"
    r"(?:\s+(?:nam\s+)?(\d{4})(?:\s*[-–/]\s*(\d{4}))?\b)?"
)
# The subject of a cited document, up to the season: "Công văn số 736/BNN-TCTL ngày 03/02/2020 về việc … mùa khô
# năm 2020" (the season the cited letter was about, not the time of this order's work).
_CITED_SUBJECT = re.compile(r"\bso\s*\d+\s*/[^.;]*\bve\s+viec\b[^.;]*$")
# A named day the campaign marks: "hưởng ứng ngày Thế giới phòng, chống đuối nước 25 tháng 7", "chào mừng Ngày
# Pháp luật 9/11" — the day is the period of the campaign (GUIDE 4.4, an event).
_MARKED_DAY = re.compile(
    r"\b(?:huong ung|chao mung|ky niem)\s+(?:\d{1,3}\s+nam\s+)?(?:ngay|tuan le)\b[^.;:\d]{3,80}?"
    r"(?<![\d/])(\d{1,2})\s*(?:thang\s*|/\s*)(\d{1,2})(?!\s*[/.\-]?\s*\d{3})(?:\s*(?:/|nam)\s*(\d{4}))?(?!\d)"
)
# A holiday named with its day: "trong dịp nghỉ Lễ Quốc khánh 02/9 năm 2024", "dịp nghỉ lễ 30/4 - 1/5/2023".
_HOLIDAY_DAY = re.compile(r"(?<![\d/])(\d{1,2})\s*/\s*(\d{1,2})(?:\s*(?:/|nam)\s*(\d{4}))?(?![\d/])")
_EMPHASIS = re.compile(r"\b(?:nhat la|dac biet la|nhat la khi)\s*$")
_VAGUE = re.compile(
    r"\b(?:(?:theo\s+|dung\s+|trong\s+|bao dam\s+|dam bao\s+)+(?:thoi gian|thoi han)\s+(?:theo\s+)?(?:dung\s+)?quy dinh"
    r"|dung\s+(?:thoi han|thoi gian)\s*(?=[.;,]|$)"
    r"|trong\s+thoi\s+han\s+(?:theo\s+)?quy\s+dinh[^.;]{0,60}"
    r"|theo\s+(?:dung\s+)?tien\s+do\s+(?:duoc giao|de ra|quy dinh|yeu cau)|\bdung\s+tien\s+do\s*(?=[.;]|$)"
    r"|theo\s+yeu\s+cau\s+(?:va\s+huong\s+dan\s+)?tai\s+(?:cong van|van ban)(?:\s+tren|\s+nay|\s+neu tren)?"
    # the schedule kept or beaten, named but not dated: "bảo đảm (đúng) tiến độ", "vượt tiến độ (đề ra)"
    # ("nếu không bảo đảm tiến độ …" is a sanction's condition, not the work's time)
    r"|(?<!khong )\b(?:bao dam|dam bao)\s+(?:dung\s+)?tien\s+do\b|\bvuot\s+tien\s+do\b[^.;,]{0,30}"
    # finishing early, with no date: "sớm hoàn thành", "hoàn thành càng sớm càng tốt"
    r"|\bsom\s+(?:hoan\s+thanh|hoan\s+thien|xong)\b|\bcang\s+som\s+cang\s+tot\b"
    # until further notice: "cho đến khi UBND tỉnh có thông báo mới"
    r"|\b(?:cho\s+)?den\s+khi\s+(?:[^.;,]{0,40}\s)?co\s+thong\s+bao\s+moi\b)"
)


# The document's own day or the next, with a deadline word and maybe an hour: "trước 15h hôm nay", "chậm nhất 10 giờ
# sáng ngày mai", "trong ngày hôm nay" (resolved against the document date).
_TODAY = re.compile(
    r"\b(truoc|cham nhat|muon nhat|trong|xong)\s+(?:(\d{1,2})\s*(?:h|gio)\s*(\d{2})?\s*(?:phut)?\s*'?\s*,?\s*)?"
    r"(?:(?:buoi\s+)?(sang|trua|chieu|toi)\s+)?(?:ngay\s+)?(hom nay|ngay mai)\b"
)


# A period that runs on into the next ones ("trong tháng 5 và các tháng tiếp theo", "trong năm 2022, những năm
# tiếp theo", "trong quý III và thời gian tới"): the time the work starts in, open-ended, not a time to finish by.
_OPEN_ENDED = re.compile(
    r"\s*(?:,|va|cung nhu)\s*(?:(?:cac|nhung)\s+(?:thang|quy|nam)\s+(?:tiep theo|sau do|ke tiep|tiep)"
    r"|thoi gian\s+(?:toi|tiep theo|sau))\b"
)


# The year a month or quarter shares with the next one named: "trong tháng 11 và tháng 12/2021", "quý I, quý II năm
# 2022" (the first is of 2022, not of the document's year).
_SHARED_YEAR = re.compile(
    r"\s*(?:,|va|den|toi|hoac|[-–])\s*(?:(?:het|cuoi)\s+)?(?:thang|quy)\s*(\d{1,2}|iv|i{1,3})\s*(?:/|nam)\s*(\d{4})\b"
)  # only when the next is later in that year ("quý IV và quý I/2021": the first is of 2020)


def _mkdate(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _year_for(month: int, day: int, ref: date | None) -> int | None:
    """The year of a date written without one: the document's year, or the next when that would be long past."""
    if ref is None:
        return None
    candidate = _mkdate(ref.year, month, day)
    if candidate is not None and candidate < ref - timedelta(days=45):
        return ref.year + 1
    return ref.year


def find_dates(folded: str, original: str, ref: date | None) -> list[Deadline]:
    """Every date in the text that carries a deadline word, in order."""
    found = []
    for m in _DATE.finditer(folded):
        if m.group(1):
            d, mo, y = int(m.group(1)), int(m.group(2)), m.group(3)
        else:
            d, mo, y = int(m.group(4)), int(m.group(5)), m.group(6)
        if not (1 <= d <= 31 and 1 <= mo <= 12):
            continue
        before = folded[max(0, m.start() - 40) : m.start()]
        offset = m.start() - len(before)
        hour = minute = None
        cue_pos: int | None = None
        for cue in _CUE.finditer(before):
            g = _GAP.match(before[cue.end() :])
            if not g or (cue.group(1) in ("trong", "vao") and "ngay" not in g.group(0)):
                continue
            if cue.group(1) == "den" and _CUT_OFF.search(
                folded[max(0, offset + cue.start() - 50) : offset + cue.start()]
            ):
                continue
            cue_pos, hour, minute = offset + cue.start(), g.group(1), g.group(2)
            if hour is not None and g.group(3) in ("chieu", "toi") and int(hour) < 12:
                hour = str(int(hour) + 12)  # "3 giờ chiều": 15:00
            break
        end = m.end()
        event = None
        if cue_pos is None:
            tail = _AFTER_CUE.match(folded[m.end() : m.end() + 30])
            event = _EVENT_DAY.search(folded, max(0, m.start() - 90), m.start())
            if tail:
                end = m.end() + tail.end()
                ngay = folded.rfind("ngay", max(0, m.start() - 6), m.start())
                cue_pos = ngay if ngay >= 0 else m.start()
            elif event:
                cue_pos = event.start(1)
            else:
                continue
        stated = None if y else _YEAR_AFTER.match(folded, m.end())
        if stated:  # "trước ngày 15/9 năm 2014": the year in words after the day and month in figures
            y, end = stated.group(1), max(end, stated.end())
        said = None if y else _NEXT_YEAR.match(folded, m.end())
        if said and ref is not None:
            y = str(ref.year + (said.group(1) != "nay"))
            end = max(end, said.end())
        year = int(y) if y else _year_for(mo, d, ref)
        day = _mkdate(year, mo, d) if year else None
        if year and day is None:
            continue
        if event is not None and cue_pos == event.start(1) and day and ref and day < ref:
            continue  # an event held before the document's date is told of, not ordered
        value = day.isoformat() if day else f"--{mo:02d}-{d:02d}"
        if hour is not None and day is not None:
            value += f"T{int(hour):02d}:{int(minute or 0):02d}"
        kind = "date"
        if day is not None and _CAMPAIGN.search(folded, max(0, cue_pos - 12), cue_pos + 8):
            # "từ nay đến hết ngày 22/02/2019": a campaign running from the order's date through that day is a
            # period (GUIDE §4.4), its last day the value; "từ nay đến 30/6" is a date to finish by.
            kind, value = "period", f"{value} (từ nay đến hết ngày)"
        found.append(Deadline(kind, value, original[cue_pos:end].strip(), cue_pos, end, day=day))
    return found


_CAMPAIGN = re.compile(r"\btu\s+nay\s+den\s+het\b")
# Today and tomorrow, counted from the document's date: "trước 15h hôm nay", "trong ngày hôm nay", "trước 8 giờ sáng
# mai", "chậm nhất ngày mai".
_TODAY = re.compile(
    r"\b(?:truoc|cham nhat|muon nhat|trong)\s+(?:(\d{1,2})\s*(?:h|gio)\s*(\d{2})?\s*(?:phut)?\s*"
    r"(?:(sang|trua|chieu|toi)\s+)?)?(?:ngay\s+)?(hom nay|(?:(?<=sang )|(?<=trua )|(?<=chieu )|(?<=ngay ))mai)\b"
)


def _recurring(unit: str, day: str, month: str | None, text: str, start: int, end: int) -> Deadline:
    value = f"{_freq_value(unit)}; day {int(day)}"
    if month and unit == "nam" and 1 <= int(month) <= 12:
        value += f", month {int(month):02d}"
    return Deadline("recurring", value, text[start:end], start, end)


def _freq_value(unit: str) -> str:
    return {"thang": "monthly", "quy": "quarterly", "nam": "annually", "tuan": "weekly", "ngay": "daily"}[
        unit
    ]


def parse(text: str, ref: date | None, calendar: WorkCalendar | None = None) -> Deadline:
    """The task deadline of a clause (the first usable time phrase, by strength of the form)."""
    folded = fold_keep(text)
    return parse_folded(folded, text, ref, calendar)


def event_deadline(folded: str, text: str, start: int = 0, end: int | None = None) -> Deadline | None:
    """The meeting a text's opening names as the goal of the work, in what the text is about ("... về chuẩn bị
    nội dung trình tại kỳ họp thứ tư", "V/v chuẩn bị báo cáo tại Hội nghị"), not a planned one ("dự kiến trình
    tại kỳ họp") nor one the opening only tells of ("đã báo cáo tại hội nghị"): positions are of `text`."""
    end = len(folded) if end is None else end
    for m in _PREPARES.finditer(folded, start, end):
        # "Để chuẩn bị Phiên họp thứ 15 … dự kiến từ ngày 11-13/10/2017, …": the meeting the work prepares for,
        # with its dates: a period with calendar dates.
        d = parse_folded(folded[m.start() : m.end()], text[m.start() : m.end()], None)
        if d.kind in ("date", "period") and d.value and d.value[:1].isdigit():
            d.start += m.start()
            d.end += m.start()
            return d
    for m in _OPENING_EVENT.finditer(folded, start, end):
        if re.search(r"\bdu kien\b", folded[max(0, m.start() - 12) : m.start(1)]):
            continue
        if not _ABOUT.search(folded, max(start, m.start() - 40), m.start() + 1):
            continue
        return _event(m, text)
    return None


# A purpose clause naming the meeting the work prepares for ("Để chuẩn bị (cho) Phiên họp …", "Nhằm chuẩn bị kỳ họp …").
_PREPARES = re.compile(
    r"\b(?:de|nham)\s+chuan bi\s+(?:cho\s+|noi dung\s+)?(?:phien hop|ky hop|hoi nghi|cuoc hop)[^.;]{0,140}"
)
# What a text is about, before the meeting it prepares: "về (việc) chuẩn bị nội dung trình ...", "V/v ...".
_ABOUT = re.compile(
    r"\b(?:ve(?:\s+viec)?|v/v)\s+(?:chuan bi|xay dung|hoan thien)\b[^.;]{0,30}$|\bchuan bi\b[^.;]{0,30}$"
)


def _event(m: re.Match[str], text: str) -> Deadline:
    """The meeting an _EVENT match names: a period anchored on an event, vague (no calendar date)."""
    raw = text[m.start(1) : m.end()].strip(" ,")
    return Deadline(
        "period", f"{raw} (event-anchored, no calendar date)", raw, m.start(1), m.end(), vague=True
    )


def _dry_season(m: re.Match[str], text: str, ref: date | None) -> Deadline:
    """A _DRY_SEASON match as a period: December to April of the years named ("mùa hanh khô 2021-2022"); with no
    year, the season in progress at the document's date (from its month) or the next one."""
    raw = text[m.start() : m.end()].strip()
    y1, y2 = m.group(1), m.group(2)
    span: tuple[str, str] | None = None
    if y1 and y2:
        span = (f"{y1}-12", f"{y2}-04")
    elif y1:
        span = (f"{y1}-01", f"{y1}-04")
    elif ref is not None and ref.month <= 5:
        span = (f"{ref.year}-{ref.month:02d}", f"{ref.year}-{max(4, ref.month):02d}")
    elif ref is not None:
        span = (f"{ref.year}-12", f"{ref.year + 1}-04")
    if span is None:
        return Deadline("period", f"{raw} (dry season)", raw, m.start(), m.end())
    last_year, last_month = int(span[1][:4]), int(span[1][5:])
    last = _mkdate(last_year + last_month // 12, last_month % 12 + 1, 1)
    day = last - timedelta(days=1) if last else None
    return Deadline("period", f"{raw} (dry season, ≈ {span[0]}..{span[1]})", raw, m.start(), m.end(), day=day)


def _holiday_span(
    folded_season: str, ref: date | None, calendar: WorkCalendar | None
) -> tuple[date, date] | None:
    """The days off around the holiday a season names with its day ("dịp nghỉ Lễ Quốc khánh 02/9 năm 2024" →
    31/8..3/9/2024 by the civil-service calendar), or None when it names no day or no year can be had."""
    h = _HOLIDAY_DAY.search(folded_season)
    if h is None:
        return None
    d, mo = int(h.group(1)), int(h.group(2))
    years = re.findall(r"(?<![\d/])(\d{4})(?!\d)", folded_season)
    # "dịp nghỉ lễ 30/4 - 1/5/2021": a range's first day shares the year written after its last
    years += re.findall(r"\d{1,2}\s*/\s*\d{1,2}\s*/\s*(\d{4})(?!\d)", folded_season[h.end() :])[:1]
    year = int(h.group(3) or (years[-1] if years else 0)) or (
        _year_for(mo, d, ref) if 1 <= mo <= 12 else None
    )
    day = _mkdate(year, mo, d) if year else None
    if day is None:
        return None
    cal = calendar or default_calendar()
    first = last = day
    while not cal.is_working_day(first - timedelta(days=1)) and (day - first).days < 10:
        first -= timedelta(days=1)
    while not cal.is_working_day(last + timedelta(days=1)) and (last - day).days < 10:
        last += timedelta(days=1)
    if cal.is_working_day(day):
        return day, day
    return first, last


# A time window named by its noun and given earlier in the document: "… trong khung thời vụ từ 15/9 - 30/9 …" then
# "đề nghị các hộ dân … gieo trồng … nhằm đảm bảo khung thời vụ tốt nhất" (the task's time is the window stated).
_WINDOW_NOUN = re.compile(r"\b(khung thoi vu|khung thoi gian|thoi vu)\b")


def antecedent(
    folded: str, text: str, start: int, end: int, ref: date | None, calendar: WorkCalendar | None = None
) -> Deadline | None:
    """The time a task's window noun refers back to (positions of the document): the noun in the task
    (folded[start:end]) read the last time the document before the task gives it a date or a period right after it."""
    m = _WINDOW_NOUN.search(folded, start, end)
    if m is None:
        return None
    noun = m.group(1)
    for prior in reversed(list(re.compile(r"\b" + noun + r"\b").finditer(folded, 0, start))):
        stop = re.compile(r"[.;:](?=\s|$)|\n").search(folded, prior.end(), min(start, prior.end() + 80))
        upto = stop.start() if stop else min(start, prior.end() + 80)
        d = parse_folded(folded[prior.end() : upto], text[prior.end() : upto], ref, calendar)
        if d.kind in ("date", "period") and not d.vague and d.start >= 0 and d.start <= 20:
            d.start += prior.end()
            d.end += prior.end()
            return d
    return None


def _month_range(m: re.Match[str], text: str, ref: date | None) -> Deadline | None:
    """A _MONTH_RANGE match as a period "YYYY-MM/YYYY-MM" (the year of the first month from the last's)."""
    m1, m2 = int(m.group(1)), int(m.group(3))
    if not (1 <= m1 <= 12 and 1 <= m2 <= 12):
        return None
    y2 = int(m.group(4) or m.group(2) or 0) or (ref.year if ref else None)
    if y2 is None:
        return None
    y1 = int(m.group(2)) if m.group(2) else (y2 if m1 <= m2 else y2 - 1)
    if (y1, m1) > (y2, m2):
        return None
    nxt = _mkdate(y2 + m2 // 12, m2 % 12 + 1, 1)
    last = nxt - timedelta(days=1) if nxt else None
    raw = text[m.start() : m.end()]
    return Deadline("period", f"{y1}-{m1:02d}/{y2}-{m2:02d}", raw, m.start(), m.end(), day=last)


def parse_folded(folded: str, text: str, ref: date | None, calendar: WorkCalendar | None = None) -> Deadline:
    m = _DAY_WINDOW_CYCLE.search(folded)
    if m and int(m.group(1)) < int(m.group(2)) <= 31:
        return _recurring("thang", m.group(2), None, text, m.start(), m.end())
    m = _RECURRING_DAY.search(folded)
    if m:
        day, month = next((m.group(k), m.group(k + 1)) for k in (1, 3, 5) if m.group(k))
        return _recurring(m.group(7), day, month, text, m.start(), m.end())
    m = _RECURRING_LEAD.search(folded)
    semi = _SEMIANNUAL_DAY.search(folded, 0, m.start() if m else len(folded))
    if semi:  # the first cycle stated: "định kỳ 6 tháng (trước ngày 15/6) và hằng năm (trước ngày 15/12)"
        value = f"semiannually; day {int(semi.group(1))}, month {int(semi.group(2)):02d}"
        return Deadline("recurring", value, text[semi.start() : semi.end()], semi.start(), semi.end())
    if m:
        return _recurring(m.group(1), m.group(2), m.group(3), text, m.start(), m.end())
    m = _QUARTER_DAY.search(folded)
    if m:
        return _recurring("quy", m.group(1), None, text, m.start(), m.end())
    m = _REPORTING_CYCLE_DAY.search(folded)
    if m and (m.group(3) or m.group(2)):
        unit = "thang" if m.group(3) else "nam"
        return _recurring(unit, m.group(1), m.group(2), text, m.start(), m.end())
    m = _CYCLE_REPORT.search(folded)
    if m and (m.group(3) or m.group(1) in ("thang", "tuan", "quy")):
        unit = {"6 thang": "nam", "sau thang": "nam", "ca nam": "nam"}.get(m.group(1), m.group(1))
        return _recurring(unit, m.group(2), m.group(3), text, m.start(), m.end())
    dates = find_dates(folded, text, ref)
    strong = [d for d in dates if _STRONG_CUE.match(fold_keep(d.raw or ""))]
    if strong:
        return strong[
            0
        ]  # "chậm nhất ngày 27/4" beats the period a report covers ("từ ngày 30/01 đến ngày 24/4")
    m = _TODAY.search(folded) if ref is not None else None
    if m and ref is not None:
        day = ref + timedelta(days=m.group(4) != "hom nay")
        value = day.isoformat()
        if m.group(1):
            hour = int(m.group(1)) + (12 if m.group(3) in ("chieu", "toi") and int(m.group(1)) < 12 else 0)
            value += f"T{hour:02d}:{int(m.group(2) or 0):02d}"
        return Deadline("date", value, text[m.start() : m.end()], m.start(), m.end(), day=day)
    m = _LISTED_DAYS.search(folded)
    if m:
        d1, d2, mo = int(m.group(1)), int(m.group(2)), int(m.group(3))
        year = int(m.group(4)) if m.group(4) else (_year_for(mo, d2, ref) if 1 <= mo <= 12 else None)
        first = _mkdate(year, mo, d1) if year else None
        last = _mkdate(year, mo, d2) if year else None
        if first and last and first <= last:
            raw = text[m.start() : m.end()]
            return Deadline(
                "period", f"{first.isoformat()}/{last.isoformat()}", raw, m.start(), m.end(), day=last
            )
    m = _RANGE.search(folded)
    if m and not _DATA_PERIOD.search(folded[max(0, m.start() - 40) : m.start()]):
        d1, d2, m2 = int(m.group(1)), int(m.group(4)), int(m.group(5))
        m1 = int(m.group(2)) if m.group(2) else m2
        y2 = int(m.group(6)) if m.group(6) else _year_for(m2, d2, ref)
        y1 = int(m.group(3)) if m.group(3) else (y2 - 1 if y2 and (m1, d1) > (m2, d2) else y2)
        first = _mkdate(y1, m1, d1) if y1 else None
        last = _mkdate(y2, m2, d2) if y2 else None
        if first and last and first <= last:
            raw = text[m.start() : m.end()]
            return Deadline(
                "period", f"{first.isoformat()}/{last.isoformat()}", raw, m.start(), m.end(), day=last
            )
    if dates:
        return dates[0]
    m = _TODAY.search(folded)
    if m and ref is not None:
        day = ref + timedelta(days=m.group(5) == "ngay mai")
        value = day.isoformat()
        if m.group(2):
            hour = int(m.group(2)) + (12 if m.group(4) in ("chieu", "toi") and int(m.group(2)) < 12 else 0)
            value += f"T{hour:02d}:{int(m.group(3) or 0):02d}"
        return Deadline("date", value, text[m.start() : m.end()], m.start(), m.end(), day=day)
    m = _LISTED_MONTHS.search(folded)
    if m and 1 <= int(m.group(1)) < int(m.group(2)) <= 12:
        ly, m1, m2 = int(m.group(3)), int(m.group(1)), int(m.group(2))
        nxt = _mkdate(ly + m2 // 12, m2 % 12 + 1, 1)
        raw = text[m.start() : m.end()]
        return Deadline(
            "period",
            f"{ly}-{m1:02d}/{ly}-{m2:02d}",
            raw,
            m.start(),
            m.end(),
            day=nxt - timedelta(days=1) if nxt else None,
        )
    m = _MONTH_RANGE.search(folded)
    data = (
        -1,
        -1,
    )  # the months a report's data cover ("số liệu từ tháng 1 đến tháng 3"): no time of the work
    if m and _DATA_PERIOD.search(folded[max(0, m.start() - 40) : m.start()]):
        data = (m.start(), m.end())
    elif m:
        month_range = _month_range(m, text, ref)
        if month_range is not None:
            return month_range
    m = _RELATIVE.search(folded)
    if m:
        n = _NUMBER_WORDS.get(m.group(1)) or int(m.group(1))
        weeks = bool(m.group(2))
        working = bool(m.group(3)) and not weeks
        base = ref
        if m.group(4):
            base = _mkdate(int(m.group(6)), int(m.group(5)), int(m.group(4))) or ref
        rule = f"trong {n} tuần" if weeks else (f"trong {n} ngày làm việc" if working else f"trong {n} ngày")
        n = 7 * n if weeks else n
        dl = Deadline(
            "period", None, text[m.start() : m.end()], m.start(), m.end(), working_days=n if working else None
        )
        if base is not None and n > 0:
            cal = calendar or default_calendar()
            end = cal.working_period_end(base, n) if working else cal.period_end(base, n)
            dl.day = end
            dl.value = f"{end.isoformat()} ({rule} kể từ {base.isoformat()})"
        else:
            dl.value = rule
        return dl
    m = _RELATIVE_MONTHS.search(folded)
    if m and not _DATA_PERIOD.search(folded[max(0, m.start() - 40) : m.start()]):
        months = _NUMBER_WORDS.get(m.group(1)) or int(m.group(1))
        raw = text[m.start() : m.end()]
        if ref is None or not 0 < months <= 24:
            return Deadline("period", f"trong {months} tháng", raw, m.start(), m.end())
        years_on, month0 = divmod(ref.month - 1 + months, 12)
        # the same day N months on, or the month's last day when it has no such day (31/1 + 1 tháng → 28/2)
        end = _mkdate(ref.year + years_on, month0 + 1, ref.day) or (
            date(ref.year + years_on + (month0 == 11), (month0 + 1) % 12 + 1, 1) - timedelta(days=1)
        )
        value = f"{end.isoformat()} (trong {months} tháng kể từ {ref.isoformat()})"
        return Deadline("period", value, raw, m.start(), m.end(), day=end)
    m = _YEARS.search(folded)
    if m and int(m.group(1)) < int(m.group(2)):
        y1, y2 = int(m.group(1)), int(m.group(2))
        return Deadline(
            "period",
            f"{y1}/{y2}",
            text[m.start() : m.end()],
            m.start(),
            m.end(),
            day=_mkdate(y2, 12, 31),
        )
    for rx, kind in ((_MONTH, "month"), (_QUARTER, "quarter"), (_HALF, "half"), (_YEAR, "year")):
        m = next(
            (
                x
                for x in rx.finditer(folded)
                if not data[0] <= x.start() < data[1] and not _OPEN_ENDED.match(folded, x.end())
            ),
            None,
        )
        if not m:
            continue
        raw = text[m.start() : m.end()]
        if kind == "month":
            month = _MONTH_WORDS.get(m.group(2)) or _MONTH_BEFORE_YEAR.get(m.group(2)) or int(m.group(2))
            shared = None if m.group(3) else _SHARED_YEAR.match(folded, m.end())
            if shared and not (shared.group(1).isdigit() and int(shared.group(1)) >= month):
                shared = None
            year = int(m.group(3) or (shared and shared.group(2)) or 0) or (ref.year if ref else None)
            if not 1 <= month <= 12:
                continue
            value = f"{year}-{month:02d}" if year else f"--{month:02d}"
            last = (
                (_mkdate(year, month % 12 + 1, 1) if month < 12 else _mkdate(year + 1, 1, 1))
                if year
                else None
            )
            day = last - timedelta(days=1) if last else None
        elif kind == "quarter":
            q = _ROMAN[m.group(2) or m.group(5)]
            shared = _SHARED_YEAR.match(folded, m.end())
            if shared and _ROMAN.get(shared.group(1), 0) < q:
                shared = None
            y = m.group(3) or m.group(6) or (shared.group(2) if shared else None)
            year = int(y) if y else (ref.year if ref else None)
            value = f"{year}-Q{q}" if year else f"Q{q}"
            day = (_mkdate(year, 3 * q % 12 + 1, 1) if q < 4 else _mkdate(year + 1, 1, 1)) if year else None
            day = day - timedelta(days=1) if day else None
        elif kind == "half":
            half = 2 if m.group(1) == "cuoi" else 1
            year = int(m.group(2)) if m.group(2) else (ref.year if ref else None)
            value = f"{year}-H{half}" if year else f"H{half}"
            day = (_mkdate(year, 12, 31) if half == 2 else _mkdate(year, 6, 30)) if year else None
        else:
            year = int(m.group(1) or m.group(2))
            value, day = str(year), _mkdate(year, 12, 31)
        return Deadline("period", value, raw, m.start(), m.end(), day=day)
    m = _EVENT.search(folded)
    if m:
        return _event(m, text)
    m = _HAZARD.search(folded)
    if m:
        raw = text[m.start() : m.end()].strip(" ,")
        return Deadline("period", f"{raw} (the hazard's arrival; event)", raw, m.start(), m.end())
    # "…, nhất là trong mùa mưa bão", "đặc biệt là trong dịp lễ, tết": when to be most careful, not the work's period
    m = next(
        (
            x
            for x in _DRY_SEASON.finditer(folded)
            if (x.group(0)[:4] != "mua " or x.group(1))
            and not _EMPHASIS.search(folded, max(0, x.start() - 20), x.start())
            and not _CITED_SUBJECT.search(folded, max(0, folded.rfind(".", 0, x.start())), x.start())
        ),
        None,
    )
    if m:
        return _dry_season(m, text, ref)
    m = _MARKED_DAY.search(folded)
    if m:
        mo, d = int(m.group(2)), int(m.group(1))
        year = int(m.group(3)) if m.group(3) else (_year_for(mo, d, ref) if 1 <= mo <= 12 else None)
        day = _mkdate(year, mo, d) if year else None
        if day is not None:
            raw = text[m.start() : m.end()]
            return Deadline("period", f"{day.isoformat()} ({raw}; event)", raw, m.start(), m.end(), day=day)
    m = next(
        (
            x
            for x in _SEASON.finditer(folded)
            if not _EMPHASIS.search(folded, max(0, x.start() - 20), x.start())
        ),
        None,
    )
    if m:
        raw = text[m.start() : m.end()].strip(" ,")
        value = raw
        season_year = re.search(r"(\d{4})$", m.group(0))
        if season_year and re.search(r"\b(?:tet|le hoi xuan|mua xuan)\b", m.group(0)):
            # The Tết holiday and the spring festival season: the first quarter of the (solar) year named.
            value = f"{raw} (≈ {season_year.group(1)}-01..{season_year.group(1)}-03)"
        elif re.search(r"\btet\b", m.group(0)):
            # Tết named without its year: the coming one, from the document's date (its month: a text of the
            # autumn or winter prepares the next year's); with no date, the text's year is put in later.
            if ref is None:
                return Deadline("period", raw, raw, m.start(), m.end(), extra={"tet": "no year"})
            y = ref.year if ref.month <= 6 else ref.year + 1
            value = f"{raw} (≈ {y}-01..{y}-03)"
        else:
            span = _holiday_span(m.group(0), ref, calendar)
            if span is not None:
                value = f"{raw} (≈ {span[0].isoformat()}..{span[1].isoformat()})"
                return Deadline("period", value, raw, m.start(), m.end(), day=span[1])
            h = _HOLIDAY_DAY.search(m.group(0))
            if h is not None and 1 <= int(h.group(2)) <= 12 and 1 <= int(h.group(1)) <= 31:
                # the holiday's day with no year to be had: the day itself, its year left unstated
                value = (
                    f"{raw} (year not stated; the day itself --{int(h.group(2)):02d}-{int(h.group(1)):02d})"
                )
        return Deadline("period", value, raw, m.start(), m.end())
    if ref is not None:
        m = _NEXT_MONTH_DAY.search(folded)
        if m:
            day = _mkdate(ref.year + ref.month // 12, ref.month % 12 + 1, int(m.group(1)))
            if day is not None:
                return Deadline(
                    "date", day.isoformat(), text[m.start() : m.end()], m.start(), m.end(), day=day
                )
        m = _THIS_QUARTER.search(folded)
        if m:
            q = (ref.month - 1) // 3 + 1
            nxt = _mkdate(ref.year + (q == 4), 3 * q % 12 + 1, 1)
            last = nxt - timedelta(days=1) if nxt else None
            return Deadline(
                "period", f"{ref.year}-Q{q}", text[m.start() : m.end()], m.start(), m.end(), day=last
            )
        for rx, kind in ((_THIS_MONTH, "month"), (_THIS_YEAR, "year")):
            m = rx.search(folded)
            if m:
                raw = text[m.start() : m.end()]
                if kind == "year":
                    return Deadline(
                        "period", str(ref.year), raw, m.start(), m.end(), day=_mkdate(ref.year, 12, 31)
                    )
                nxt = _mkdate(ref.year + ref.month // 12, ref.month % 12 + 1, 1)
                last = nxt - timedelta(days=1) if nxt else None
                return Deadline("period", f"{ref.year}-{ref.month:02d}", raw, m.start(), m.end(), day=last)
    m = _SEMIANNUAL.search(folded)
    if m:
        return Deadline("recurring", "semiannually", text[m.start() : m.end()], m.start(), m.end())
    m = _EVERY_MONTHS.search(folded)
    if m:
        every = (m.group(1) or m.group(2)).replace("ba", "3")
        value = {"1": "monthly", "3": "quarterly", "12": "annually"}[every]
        return Deadline("recurring", value, text[m.start() : m.end()], m.start(), m.end())
    m = _FREQ.search(folded)
    if m:
        return Deadline("recurring", _freq_value(m.group(2)), text[m.start() : m.end()], m.start(), m.end())
    m = _DINH_KY.search(folded)
    if m:
        return Deadline(
            "recurring",
            "định kỳ (frequency not specified)",
            text[m.start() : m.end()],
            m.start(),
            m.end(),
            vague=True,
        )
    for m in _VAGUE.finditer(folded):
        if (
            m.group(0).startswith("dung ")
            and "quy dinh" not in m.group(0)
            and not _COMPLETION.search(
                folded, max(0, folded.rfind(";", 0, m.start()), folded.rfind(".", 0, m.start())), m.start()
            )
        ):
            continue  # "đúng tiến độ / thời hạn" as one manner among others, with no completion it stands for
        return Deadline("none", None, text[m.start() : m.end()].strip(), m.start(), m.end(), vague=True)
    return Deadline()
