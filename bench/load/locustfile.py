"""The personas' real journeys for `make load` (locust, headless): each simulated user logs in through the
Vietnamese form once, then repeats its role's journey. Accounts are the demo ones (`dondoc loaddemo`)."""

from __future__ import annotations

import random
import re

from locust import HttpUser, between, task

PASSWORD = "dondoc-demo-2026"
TASK_LINK = re.compile(r'href="/nhiem-vu/(\d+)/"')
DIRECTIVE_LINK = re.compile(r'href="/van-ban/(\d+)/"')


class Persona(HttpUser):
    abstract = True
    wait_time = between(0.5, 2)
    usernames: tuple[str, ...] = ()

    def on_start(self) -> None:
        self.client.get("/dang-nhap/", name="/dang-nhap/ (form)")
        token = self.client.cookies.get("csrftoken", "")
        response = self.client.post(
            "/dang-nhap/",
            {"username": random.choice(self.usernames), "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="/dang-nhap/ (post)",
            allow_redirects=False,
        )
        if response.status_code != 302:
            response.failure(f"login refused: {response.status_code}")

    def open_some(self, page: str, pattern: re.Pattern[str], name: str) -> None:
        ids = pattern.findall(page)
        if ids:
            self.client.get(name.replace("[id]", random.choice(ids)), name=name)


class UnitOfficer(Persona):
    """An officer of a department: the unit's worklist, the task list, a task."""

    weight = 5
    usernames = ("sxd.cv1", "sxd.cv2", "snv.cv1", "snv.cv2", "stc.cv1", "syt.cv1")

    @task(3)
    def worklist(self) -> None:
        page = self.client.get("/", name="/ (đơn vị)").text
        self.open_some(page, TASK_LINK, "/nhiem-vu/[id]/")

    @task(2)
    def task_list(self) -> None:
        page = self.client.get("/nhiem-vu/?bucket=overdue", name="/nhiem-vu/?bucket=…").text
        self.open_some(page, TASK_LINK, "/nhiem-vu/[id]/")


class TrackingOfficer(Persona):
    """The City Office: its worklist, the whole task list, the directives."""

    weight = 3
    usernames = ("vp.theodoi1", "vp.theodoi2")

    @task(3)
    def worklist(self) -> None:
        page = self.client.get("/", name="/ (VP UBND)").text
        self.open_some(page, TASK_LINK, "/nhiem-vu/[id]/")

    @task(2)
    def all_tasks(self) -> None:
        self.client.get("/nhiem-vu/", name="/nhiem-vu/")
        self.client.get("/nhiem-vu/?trang=3", name="/nhiem-vu/?trang=…")

    @task(1)
    def directives(self) -> None:
        page = self.client.get("/van-ban/", name="/van-ban/").text
        self.open_some(page, DIRECTIVE_LINK, "/van-ban/[id]/")


class Leader(Persona):
    """A city leader: the summary home page and the dashboard."""

    weight = 1
    usernames = ("lanhdao.chutich", "lanhdao.pct")

    @task(2)
    def summary(self) -> None:
        self.client.get("/", name="/ (lãnh đạo)")

    @task(1)
    def dashboard(self) -> None:
        self.client.get("/danh-gia/", name="/danh-gia/")
