"""The personas' journeys for `make load`, written against a small browser-like client so that locust
(bench/load/locustfile.py) and a test on the live server (tests/test_load.py) run the very same steps.

A journey reads pages the way a person does (follows the links a page shows) and writes only through the forms a
page offers: every field the form carries (the CSRF token, the task's version) is sent back as the browser would,
multipart when the form says so. A write's outcome is one of:

- ``ok``: the server accepted it (a redirect, 302);
- ``conflict``: the server refused it because another user changed the same thing first — a task edited since the
  page was loaded (409, "Nhiệm vụ vừa được … Vui lòng tải lại trang") or a unit urged by the other clerk a moment
  before ("đã được gửi công văn đôn đốc … trong cùng ngày"). The product's answer is correct; it is counted and
  printed, apart from the writes that succeeded;
- ``failed``: anything else (a refusal that should not happen, a server error, a dropped connection). The client
  counts it as a failed request.
"""

from __future__ import annotations

import random
import re
import uuid
from collections import Counter
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from typing import Protocol
from urllib.parse import urlencode

PASSWORD = "dondoc-demo-2026"
TASK_LINK = re.compile(r'href="/nhiem-vu/(\d+)/"')
DIRECTIVE_LINK = re.compile(r'href="/van-ban/(\d+)/"')
EXPORT_LINK = re.compile(r'href="(/danh-gia/xuat/nhiem-vu\.csv[^"]*)"')
# A row of the urging page's overview (unit name, its preview link) and of the register (date issued, recipient).
OVERVIEW_ROW = re.compile(r'<tr><td>([^<]+)</td>.*?href="\?unit=(\d+)"', re.S)
REGISTER_ROW = re.compile(
    r"<tr><td><a [^>]*>[^<]*</a></td><td>([^<]*)</td><td>[^<]*</td>\s*<td>[^<]*</td><td>([^<]*)</td>"
)
AS_OF = re.compile(r"tính đến (?:ngày )?(\d{2}/\d{2}/\d{4})")
STALE = "Vui lòng tải lại trang"
URGED_TODAY = "trong cùng ngày"

OK, CONFLICT, FAILED = "ok", "conflict", "failed"

# The writes and their outcomes, in this process (locust runs the users of one run in one process).
WRITES: Counter[tuple[str, str]] = Counter()
PROGRESS, CONFIRM, URGE = "báo cáo tiến độ", "xác nhận hoàn thành", "công văn đôn đốc"


class Page(Protocol):
    status_code: int
    text: str


class Client(Protocol):
    """What a journey needs of a browser: read a page, and submit a form's fields (multipart or urlencoded; `files`
    are the form's file inputs, sent empty as a browser does when none is chosen).

    `submit` returns the response without following a redirect; `settle` tells the client the write's outcome
    (locust marks a failed one as a failed request)."""

    def get(self, url: str, *, name: str) -> Page: ...

    def submit(
        self, url: str, fields: list[tuple[str, str]], *, files: list[str], multipart: bool, name: str
    ) -> Page: ...

    def settle(self, page: Page, outcome: str, reason: str) -> None: ...


@dataclass
class Form:
    action: str
    method: str
    multipart: bool
    fields: list[tuple[str, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    selects: dict[str, list[str]] = field(default_factory=dict)

    def filled(self, **values: str) -> list[tuple[str, str]]:
        """The fields as the browser sends them: every carried value (hidden ones included), `values` replacing
        the field of the same name (the name without the form's prefix is enough: "percent" for
        "report_progress-percent")."""
        out = []
        for name, value in self.fields:
            short = name.rsplit("-", 1)[-1]
            out.append((name, values.get(name, values.get(short, value))))
        return out


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None
        self._selected: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = Form(
                action=a.get("action", ""),
                method=(a.get("method") or "get").lower(),
                multipart=a.get("enctype", "") == "multipart/form-data",
            )
            self.forms.append(self._form)
            return
        form = self._form
        if form is None or not a.get("name"):
            if tag == "option" and form is not None and self._select is not None:
                self._option(a)
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind == "file":
                form.files.append(name)
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    form.fields.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "reset", "image"):
                form.fields.append((name, a.get("value", "")))
        elif tag == "textarea":
            self._textarea, self._text = name, []
        elif tag == "select":
            self._select, self._selected = name, None
            form.selects[name] = []

    def _option(self, a: dict[str, str]) -> None:
        assert self._form is not None and self._select is not None
        value = a.get("value", "")
        self._form.selects[self._select].append(value)
        if "selected" in a or self._selected is None:
            self._selected = value

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._form is not None and self._textarea is not None:
            self._form.fields.append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None
        elif tag == "select" and self._form is not None and self._select is not None:
            self._form.fields.append((self._select, self._selected or ""))
            self._select = None
        elif tag == "form":
            self._form = None


def encoded(fields: list[tuple[str, str]], files: list[str], multipart: bool) -> tuple[bytes, str]:
    """The body of a POST that sends the fields as the browser would, and its Content-Type: multipart (every field a
    part, each file input an empty file part, as a browser sends a file input with no file chosen) or urlencoded.
    Written here, not by an HTTP library, so that any client sends the same bytes (locust's FastHttpUser has no
    multipart encoder)."""
    if not multipart:
        return urlencode(fields).encode(), "application/x-www-form-urlencoded"
    boundary = f"dondoc-{uuid.uuid4().hex}"

    def quoted(name: str) -> str:
        return name.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")

    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{quoted(k)}"\r\n\r\n{v}\r\n'
        for k, v in fields
    ]
    parts += [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{quoted(f)}"; filename=""\r\n'
        "Content-Type: application/octet-stream\r\n\r\n\r\n"
        for f in files
    ]
    parts.append(f"--{boundary}--\r\n")
    return "".join(parts).encode(), f"multipart/form-data; boundary={boundary}"


def forms_of(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def form_posting_to(html: str, path_part: str) -> Form | None:
    """The first POST form on the page whose action contains `path_part`."""
    for form in forms_of(html):
        if form.method == "post" and path_part in form.action:
            return form
    return None


def section(html: str, element_id: str) -> str:
    """The HTML of the <section id="element_id"> (to its closing tag), or "" when the page has none."""
    start = html.find(f'id="{element_id}"')
    if start < 0:
        return ""
    end = html.find("</section>", start)
    return html[start : end if end > 0 else len(html)]


def message_of(html: str) -> str:
    """The page's alert messages, for a failure's reason."""
    texts = re.findall(r'class="[^"]*alert[^"]*"[^>]*>(.*?)</', html, re.S)
    return " ".join(unescape(re.sub(r"\s+", " ", t)).strip() for t in texts)[:200]


def write(client: Client, kind: str, form: Form, fields: list[tuple[str, str]], name: str) -> str:
    """Submit `fields` through `form`, classify the answer (ok, conflict, failed), count it in WRITES and settle it
    with the client."""
    page = client.submit(form.action, fields, files=form.files, multipart=form.multipart, name=name)
    return settle_write(client, kind, page)


def settle_write(client: Client, kind: str, page) -> str:
    """Classify the answer to a write (ok, conflict, failed), count it in WRITES and settle it with the client."""
    text = page.text or ""
    if page.status_code == 302:
        outcome, reason = OK, ""
    elif page.status_code == 409 and STALE in text:
        outcome, reason = CONFLICT, message_of(text)
    elif kind == URGE and page.status_code == 400 and URGED_TODAY in text:
        outcome, reason = CONFLICT, message_of(text)
    else:
        outcome, reason = FAILED, f"{kind}: HTTP {page.status_code} {message_of(text)}"
    WRITES[(kind, outcome)] += 1
    client.settle(page, outcome, reason)
    return outcome


def login(client: Client, username: str, password: str = PASSWORD) -> bool:
    """Open the login page and post its form with the account's name and password."""
    page = client.get("/dang-nhap/", name="/dang-nhap/ (form)")
    form = next(
        (f for f in forms_of(page.text) if f.method == "post" and any(n == "password" for n, _ in f.fields)),
        Form("", "post", False),
    )
    result = client.submit(
        form.action or "/dang-nhap/",
        form.filled(username=username, password=password),
        files=[],
        multipart=form.multipart,
        name="/dang-nhap/ (post)",
    )
    ok = result.status_code == 302
    client.settle(
        result, OK if ok else FAILED, "" if ok else f"đăng nhập {username}: HTTP {result.status_code}"
    )
    return ok


def open_some(client: Client, html: str, pattern: re.Pattern[str], name: str) -> Page | None:
    """Open one of the links matching `pattern` on the page, chosen at random (None when there is none)."""
    ids = pattern.findall(html)
    if not ids:
        return None
    return client.get(name.replace("[id]", random.choice(ids)), name=name)


# --- A unit officer -------------------------------------------------------------------------------------------


def unit_worklist(client: Client) -> None:
    page = client.get("/", name="/ (đơn vị)")
    open_some(client, page.text, TASK_LINK, "/nhiem-vu/[id]/")


def unit_overdue_list(client: Client) -> None:
    page = client.get("/nhiem-vu/?bucket=overdue", name="/nhiem-vu/?bucket=…")
    open_some(client, page.text, TASK_LINK, "/nhiem-vu/[id]/")


def unit_export_overdue(client: Client) -> None:
    """The overdue list, then its "Xuất CSV" button (the file of the list as filtered)."""
    page = client.get("/nhiem-vu/?bucket=overdue", name="/nhiem-vu/?bucket=…")
    link = EXPORT_LINK.search(page.text)
    if link is not None:
        client.get(unescape(link.group(1)), name="/danh-gia/xuat/nhiem-vu.csv?…")


def report_progress(client: Client, tries: int = 3) -> str | None:
    """From the unit's worklist open tasks until one offers the progress form (a task in progress), and report:
    a sentence and a percentage. None when none of `tries` tasks offered the form (nothing written)."""
    home = client.get("/", name="/ (đơn vị)")
    ids = TASK_LINK.findall(home.text)
    random.shuffle(ids)
    for task_id in ids[:tries]:
        page = client.get(f"/nhiem-vu/{task_id}/", name="/nhiem-vu/[id]/")
        form = form_posting_to(page.text, "/thao-tac/report_progress/")
        if form is None:
            continue
        percent = str(random.randint(10, 95))
        text = f"Đã triển khai, hoàn thành khoảng {percent}% khối lượng; đang tổng hợp báo cáo (thử tải)."
        return write(
            client, PROGRESS, form, form.filled(text=text, percent=percent), "/nhiem-vu/[id]/ tiến độ (POST)"
        )
    return None


# --- The City Office --------------------------------------------------------------------------------------------


def office_worklist(client: Client) -> None:
    page = client.get("/", name="/ (VP UBND)")
    open_some(client, page.text, TASK_LINK, "/nhiem-vu/[id]/")


def office_all_tasks(client: Client) -> None:
    client.get("/nhiem-vu/", name="/nhiem-vu/")
    client.get("/nhiem-vu/?trang=3", name="/nhiem-vu/?trang=…")


def office_directives(client: Client) -> None:
    page = client.get("/van-ban/", name="/van-ban/")
    open_some(client, page.text, DIRECTIVE_LINK, "/van-ban/[id]/")


def confirm_result(client: Client) -> str | None:
    """Open a task from "Kết quả chờ xác nhận" on the worklist and confirm its completion. None when the list is
    empty, or the task was confirmed by the other officer before the page was loaded (nothing to do)."""
    home = client.get("/", name="/ (VP UBND)")
    page = open_some(client, section(home.text, "worklist-results"), TASK_LINK, "/nhiem-vu/[id]/")
    if page is None:
        return None
    form = form_posting_to(page.text, "/thao-tac/confirm_completion/")
    if form is None:
        return None
    return write(client, CONFIRM, form, form.filled(), "/nhiem-vu/[id]/ xác nhận (POST)")


def urge_overdue_unit(client: Client) -> str | None:
    """The urging page lists the units with overdue tasks; the register shows which were urged today. Preview a
    unit not urged yet and issue its letter. None when every listed unit has had its letter today."""
    page = client.get("/van-ban-di/don-doc/", name="/van-ban-di/don-doc/")
    as_of = AS_OF.search(page.text)
    listed = {
        unit_id: unescape(name).strip()
        for name, unit_id in OVERVIEW_ROW.findall(section(page.text, "tong-hop"))
    }
    if not listed or as_of is None:
        return None
    urged = urged_on(client, as_of.group(1))
    left = [unit_id for unit_id, name in listed.items() if name not in urged]
    if not left:
        return None
    preview = client.get(
        f"/van-ban-di/don-doc/?unit={random.choice(left)}", name="/van-ban-di/don-doc/?unit=…"
    )
    form = form_posting_to(preview.text, "/van-ban-di/don-doc/ban-hanh/")
    if form is None:
        return None
    return confirmed_write(client, URGE, form, form.filled(), "/van-ban-di/don-doc/ban-hanh/ (POST)")


def confirmed_write(client: Client, kind: str, form: Form, fields: list[tuple[str, str]], name: str) -> str:
    """Submit `fields` through `form` and, when the product asks for a confirmation first (a page whose form posts
    back to the same address), confirm it as the clerk does; the confirmed answer is the write's outcome."""
    page = client.submit(
        form.action, fields, files=form.files, multipart=form.multipart, name=f"{name} (hỏi lại)"
    )
    confirm = form_posting_to(page.text or "", form.action) if page.status_code == 200 else None
    if confirm is None:
        return settle_write(client, kind, page)
    return write(client, kind, confirm, [*confirm.filled(), ("confirm", "1")], name)


def urged_on(client: Client, day: str) -> set[str]:
    """The units that received an urging letter on `day` (dd/mm/yyyy), read from the register's urging letters of
    the year (newest first, 25 a page: read on while the last row of a page is still of that day)."""
    year = day.rsplit("/", 1)[-1]
    urged: set[str] = set()
    for number in range(1, 20):
        page = client.get(
            f"/van-ban-di/?doc_type=don_doc&year={year}&trang={number}", name="/van-ban-di/?doc_type=…"
        )
        rows = REGISTER_ROW.findall(page.text)
        urged.update(unescape(recipient).strip() for issued, recipient in rows if issued == day)
        if not rows or rows[-1][0] != day or f"trang={number + 1}" not in page.text:
            break
    return urged


# --- A leader ---------------------------------------------------------------------------------------------------


def leader_summary(client: Client) -> None:
    client.get("/", name="/ (lãnh đạo)")


def leader_dashboard(client: Client) -> None:
    client.get("/danh-gia/", name="/danh-gia/")


def leader_dashboard_filtered(client: Client) -> None:
    """Open the dashboard, then apply its filter form with one period and one authority or kind, as chosen."""
    page = client.get("/danh-gia/", name="/danh-gia/")
    form = next((f for f in forms_of(page.text) if f.method == "get" and "loai_ky" in f.selects), None)
    if form is None:
        return
    choice: dict[str, str] = {"loai_ky": random.choice(["thang", "quy"])}
    ky = [v for v in form.selects.get("ky", []) if v]
    if choice["loai_ky"] == "thang" and ky:
        choice["ky"] = random.choice(ky[:3])
    else:
        choice["ky"] = ""
    extra = random.choice(["authority", "kind"])
    choice[extra] = random.choice([v for v in form.selects.get(extra, [""]) if v] or [""])
    query = "&".join(f"{k}={v}" for k, v in form.filled(**choice) if v)
    client.get(f"/danh-gia/?{query}", name="/danh-gia/?bộ lọc")


# The seconds (min,max) a simulated user waits between two journeys, unless LOAD_WAIT says otherwise: the busy
# hour's mix (README "Kiểm thử tải"; the locustfile and bench/load/run.py both read it here). Issue 19's busy hour is
# ≥ 100 requests/s from 50 users, 2 a second each: a journey is ~2 requests, so a user's round (its wait and its
# answers) must last ≤ 1 s. 0.3–1.3 s (0.8 on average) asks ~125 requests/s of instant answers, ≥ 100 while a
# journey's answers take ≤ 0.2 s; the former 0.5–2 s asked ~80 at most (session 13: 75 req/s, the server idle a
# third of the time).
DEFAULT_WAIT = "0.3,1.3"
REQUESTS_PER_JOURNEY = 2.0  # the mix's average, logins apart (1.9–2.0 in the runs of 07/12/2026)


def wait_bounds(raw: str) -> tuple[float, float]:
    """LOAD_WAIT="MIN,MAX": the seconds a user waits between two journeys (default DEFAULT_WAIT). With U users and
    journeys of ~2 requests the harness asks at most about 2·U / (mean wait + answer time) requests a second."""
    try:
        low, high = (float(x) for x in raw.split(","))
    except ValueError:
        raise SystemExit(f"LOAD_WAIT: cần hai số giây 'MIN,MAX' (ví dụ 0.5,2), không phải {raw!r}") from None
    if not 0 <= low <= high:
        raise SystemExit(f"LOAD_WAIT: cần 0 ≤ MIN ≤ MAX, không phải {raw!r}")
    return low, high
