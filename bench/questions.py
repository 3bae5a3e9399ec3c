"""`make bench` (the peer's five questions, issue 19): Q1–Q5 asked of a running server through the REST API, with one
client and with 8 concurrent clients, medians over repetitions, the answers' counts checked against the database.

1. A PostgreSQL database of each size (bench/run.py's generator; `--reuse` keeps and reuses it), a tracking officer
   of the City Office and an officer of one unit with API tokens (the generator makes people without accounts).
2. gunicorn (dondoc/gunicorn_conf.py, as `make run` and `make load`; `--web-workers`, `--web-threads`) on a free
   loopback port; Q4 and Q5 also say how many cores the client (this process) and the server used meanwhile.
3. The questions, as issue 19 defines them:
   Q1 one unit's overdue tasks, first 25 (`/tasks?unit=U&bucket=overdue&limit=25`, units in turn);
   Q2 three counts for every unit (`/evaluation?by=unit`, one call);
   Q3 every open task due in the next 3 days (`/tasks?state=open&due_from=…&due_to=…`): one streamed CSV call, and
      keyset pages of 200;
   Q4 create a task (create the draft + assign), 8 clients;
   Q5 close a task (submit the result + confirm), 8 clients, on the tasks Q4 made.

    python bench/questions.py [--sizes 100000] [--reuse] [--keep] [--reps 15]
"""

from __future__ import annotations

import csv
import io
import json
import os
import shlex
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import timedelta
from pathlib import Path
from typing import Any

import requests

from dondoc import gunicorn_conf  # the production shape of the server

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("BENCH_PG_NAME", "dondoc_bench_questions")
import common  # noqa: E402 — bench/common.py
import run as base  # noqa: E402 — bench/run.py

CLIENTS = 8
MARK = "QUESTIONS-RESULT "


def main() -> int:
    parser = common.parser(__doc__, db="postgres")
    parser.add_argument("--reps", type=int, default=15, help="repetitions of each read with one client")
    parser.add_argument("--writes", type=int, default=160, help="tasks created (Q4) and closed (Q5)")
    parser.add_argument(
        "--web-workers",
        type=int,
        default=gunicorn_conf.WORKERS,
        help="gunicorn worker processes (default: dondoc/gunicorn_conf.py's, as `make run` and `make load`)",
    )
    parser.add_argument(
        "--web-threads", type=int, default=gunicorn_conf.THREADS, help="threads of each gunicorn worker"
    )
    parser.add_argument(
        "--gunicorn", default="", help="more of gunicorn's options, e.g. '--max-requests 500'"
    )
    for flag, text in (
        ("--writes-only", "ask only Q4 and Q5 (comparing server shapes back to back)"),
        (
            "--new-connections",
            "a new connection for every request (`Connection: close`) instead of each client's keep-alive one",
        ),
        (
            "--split",
            "Q4/Q5: split each write request's time (bench/timed_wsgi.py) and sample PostgreSQL's waits",
        ),
    ):
        parser.add_argument(flag, action="store_true", help=text)
    args = parser.parse_args()
    if args.worker:
        return worker(args)
    pairs = common.targets("postgres", args.sizes)
    extra = [
        "--reps",
        str(args.reps),
        "--writes",
        str(args.writes),
        "--web-workers",
        str(args.web_workers),
        "--web-threads",
        str(args.web_threads),
        f"--gunicorn={args.gunicorn}",
        *common.flags(
            keep=args.keep,
            reuse=args.reuse,
            split=args.split,
            writes_only=args.writes_only,
            new_connections=args.new_connections,
        ),
    ]
    results = common.drive(__file__, MARK, "=== five questions, {db}, {size:,} tasks ===", pairs, extra)
    print()
    for r in results:
        print(f"{r['size']:,} tasks (load average before: {r['load']}; gunicorn {r['web']}):")
        for name, figure in r["figures"].items():
            print(f"  {name:<58} {figure}")
    return 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare() -> dict[str, Any]:
    """The accounts and tokens the questions use; the unit Q4/Q5 write for."""
    from django.contrib.auth import get_user_model

    from dondoc.api.models import ApiToken
    from dondoc.directives.models import Directive
    from dondoc.org.models import Person, Unit

    User = get_user_model()
    office = Unit.objects.filter(code="VPUBND").first() or Unit.objects.assignable().order_by("id").first()
    tracker_user, _ = User.objects.get_or_create(username="bench.theodoi")
    tracker, _ = Person.objects.get_or_create(
        user=tracker_user,
        defaults={
            "full_name": "Chuyên viên theo dõi (bench)",
            "unit": office,
            "role": Person.Role.TRACKING_OFFICER,
            "position": Person.Position.OFFICER,
            "cleared_for_secrets": True,
        },
    )
    officer = Person.objects.filter(user__username="bench.chuyenvien").first()
    if officer is None:  # a kept database has it from the previous run
        officers = Person.objects.filter(role=Person.Role.UNIT_OFFICER).order_by("id")
        officer = officers.filter(user__isnull=True).first()
        if officer is None:  # a load database (bench/load) gives every officer an account: one of them
            officer = officers.first()
        else:
            officer.user = User.objects.create(username="bench.chuyenvien")
            officer.save()
    return {
        "tracker": ApiToken.issue(tracker_user, "bench")[1],
        "officer": ApiToken.issue(officer.user, "bench")[1],
        "officer_user": officer.user,  # bench.chuyenvien, or a load database's first unit officer
        "tracker_user": tracker_user,
        "unit": officer.unit_id,
        "directive": Directive.objects.order_by("-id").values_list("id", flat=True).first(),
        "units": list(Unit.objects.assignable().order_by("id").values_list("id", flat=True)),
    }


class Client:
    def __init__(self, port: int, token: str, *, new_connections: bool = False) -> None:
        self.base = f"http://127.0.0.1:{port}/api/v1"
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        if new_connections:  # the server closes the connection after its answer; the next request opens one
            self.session.headers["Connection"] = "close"

    def get(self, path: str, **params: Any) -> requests.Response:
        r = self.session.get(self.base + path, params=params, timeout=120)
        r.raise_for_status()
        return r

    def post(self, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        r = self.session.post(self.base + path, data=json.dumps(body or {}), timeout=120)
        if r.status_code != 200 and r.status_code != 201:
            raise RuntimeError(f"{path}: {r.status_code} {r.text[:300]}")
        return r.json()


def timed(fn: Any, reps: int) -> float:
    """Median milliseconds of `reps` calls of fn(i)."""
    out = []
    for i in range(reps):
        t0 = time.perf_counter()
        fn(i)
        out.append((time.perf_counter() - t0) * 1000)
    return statistics.median(out)


def concurrent(fn: Any, calls: int, clients: int = CLIENTS) -> tuple[float, int]:
    """Questions per second with `clients` threads sharing `calls` calls of fn(i, client_no); errors counted."""
    errors = [0]
    counter = iter(range(calls))
    lock = threading.Lock()

    def loop(no: int) -> None:
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            try:
                fn(i, no)
            except Exception as exc:  # counted, and the first few shown
                errors[0] += 1
                if errors[0] <= 3:
                    print(f"    error: {exc}", flush=True)

    threads = [threading.Thread(target=loop, args=(n,)) for n in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return calls / (time.perf_counter() - t0), errors[0]


def server_cpu(master: int) -> dict[int, float]:
    """CPU seconds (user + system) used so far by the gunicorn master `master` and by each of its workers (Linux
    /proc), by pid."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        if pid == master or int(fields[1]) == master:  # fields[1]: the parent's pid
            out[pid] = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return out


def cpu_share(fn: Any, master: int, calls: int) -> tuple[Any, str]:
    """fn()'s result, and how many of the machine's cores the bench's client (this process) and the server used
    meanwhile (CPU seconds over wall seconds): whether the client is itself a bottleneck on a small machine; each
    worker's share (a worker is one process, one GIL: one that carries most of the connections holds the requests
    back while the other core idles); and the server's CPU per question of the `calls` (a figure that the
    machine's other work changes less than q/s)."""
    t0, c0, s0 = time.perf_counter(), time.process_time(), server_cpu(master)
    out = fn()
    wall = time.perf_counter() - t0
    s1 = server_cpu(master)
    spent = {pid: s1[pid] - s0.get(pid, 0.0) for pid in s1 if pid != master}
    total = sum(s1.values()) - sum(s0.values())
    client, server = (time.process_time() - c0) / wall, total / wall
    workers = " + ".join(f"{v / wall:.2f}" for v in sorted(spent.values(), reverse=True))
    return out, (
        f"client {client:.2f} cores, server {server:.2f} cores (workers {workers}), of {os.cpu_count()};"
        f" server {total * 1000 / calls:.1f} ms CPU a question"
    )


def ask_read(figures: dict[str, str], name: str, fn: Any, reps: int, rounds: int, master: int) -> None:
    """A read question `fn(i, client_no)` asked with one client (median ms of `reps`) and with 8 (q/s over
    `reps` × `rounds` calls), each with the server's CPU a question; untimed, two calls per client first, as for
    the writes: each worker's first requests (its statements built, its caches filled) would otherwise count in
    the CPU per question."""
    concurrent(fn, 2 * CLIENTS)
    ms, used = cpu_share(lambda: timed(fn, reps), master, reps)
    figures[f"{name} (1 client)"] = f"{ms:.0f} ms ({used})"
    (qps, errors), used = cpu_share(lambda: concurrent(fn, reps * rounds), master, reps * rounds)
    figures[f"{name} with 8 clients"] = f"{qps:.1f} q/s, {errors} errors ({used})"


def timing_file() -> str:
    return f"/tmp/bench-questions-{os.getpid()}.tsv"


class Split:
    """With `--split`, around Q4 or Q5: the write requests' time split as the server saw it (bench/timed_wsgi.py's
    lines of the window; median ms per request kind: wall, the thread's CPU, the statements as the application
    waited for them, of which COMMIT, and the rest — waiting for the GIL or a core outside the statements), and
    what PostgreSQL's backends of this database did meanwhile: their CPU (`/proc`) per question and how they were
    found when sampled every 5 ms (`pg_stat_activity`: running, idle, or waiting on what)."""

    def __init__(self, on: bool, figures: dict[str, str], name: str, qps: Any) -> None:
        self.on, self.figures, self.name, self.qps = on, figures, name, qps
        self.samples: dict[str, int] = {}

    def __enter__(self) -> Split:
        if not self.on:
            return self
        import psycopg

        self.stop = threading.Event()
        self.conn = psycopg.connect(base.database_url("postgres", 0), autocommit=True)
        self.t0 = time.time()
        self.cpu0 = self._backend_cpu()
        self.sampler = threading.Thread(target=self._sample)
        self.sampler.start()
        return self

    def _backends(self) -> list[tuple[int, str, str]]:
        return self.conn.execute(
            "SELECT pid, coalesce(state, ''), coalesce(wait_event_type || ':' || wait_event, '')"
            " FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()

    def _backend_cpu(self) -> dict[int, float]:
        tick = os.sysconf("SC_CLK_TCK")
        out = {}
        for pid, _state, _wait in self._backends():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            out[pid] = (int(fields[11]) + int(fields[12])) / tick
        return out

    def _sample(self) -> None:
        while not self.stop.wait(0.005):
            for _pid, state, wait in self._backends():
                key = f"{state} {wait}".strip() if state != "idle" else "idle"
                self.samples[key] = self.samples.get(key, 0) + 1

    def __exit__(self, *exc: Any) -> None:
        if not self.on or exc[0] is not None:
            return
        self.stop.set()
        self.sampler.join()
        t1, cpu1 = time.time(), self._backend_cpu()
        self.conn.close()
        wall = t1 - self.t0
        db_cpu = sum(cpu1[p] - self.cpu0.get(p, 0.0) for p in cpu1)
        questions = self.qps() * wall
        total = sum(self.samples.values()) or 1
        waits = ", ".join(
            f"{k} {n * 100 // total}%" for k, n in sorted(self.samples.items(), key=lambda kv: -kv[1])[:6]
        )
        self.figures[f"{self.name} PostgreSQL backends"] = (
            f"{db_cpu / wall:.2f} cores, {db_cpu * 1000 / questions:.1f} ms CPU a question; sampled: {waits}"
        )
        rows: dict[str, list[list[float]]] = {}
        for line in Path(timing_file()).read_text().splitlines():
            _pid, started, request, *numbers = line.split("\t")
            if self.t0 <= float(started) <= t1 and request.startswith("POST"):
                kind = request.rsplit("/", 1)[1]
                rows.setdefault("create" if kind == "tasks" else kind, []).append([float(n) for n in numbers])
        for kind, values in rows.items():
            wall_ms, cpu, db, n, commit = (statistics.median(col) for col in zip(*values, strict=True))
            rest = statistics.median(v[0] - v[1] - v[2] - v[4] for v in values)
            self.figures[f"{self.name} {kind} ({len(values)}), median ms"] = (
                f"wall {wall_ms:.1f} = CPU {cpu:.1f} + statements {db:.1f} ({n:.0f}) + COMMIT {commit:.1f}"
                f" + other {rest:.1f}"
            )


def worker(args: Any) -> int:
    reused = common.open_database("postgres", args.size, reuse=args.reuse)
    common.fill(args.size, reused=reused)
    from django.db import connection
    from django.db.models import Count

    from dondoc.core.dates import today
    from dondoc.tracking import timeliness as tl
    from dondoc.tracking.models import Task
    from dondoc.tracking.timeliness import soon_limit

    ctx = prepare()
    connection.close()
    load = os.getloadavg()[0]
    port = free_port()
    env = dict(os.environ, LOG_LEVEL="WARNING", ALLOWED_HOSTS="127.0.0.1,localhost")
    app = ["dondoc.wsgi"]
    if args.split:  # the application wrapped to split each request's time (bench/timed_wsgi.py)
        env["BENCH_TIMING_FILE"] = timing_file()
        Path(timing_file()).unlink(missing_ok=True)
        app = ["--pythonpath", str(HERE), "timed_wsgi"]
    server = subprocess.Popen(
        [str(base.ROOT / ".venv/bin/gunicorn"), *app, "-c", "python:dondoc.gunicorn_conf"]
        + [
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.web_workers),
            "--threads",
            str(args.web_threads),
        ]
        + shlex.split(args.gunicorn),
        cwd=base.ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    figures: dict[str, str] = {}
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/dang-nhap/", timeout=2)
                break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError(
                        f"gunicorn stopped (exit {server.returncode}) before answering"
                    ) from None
                time.sleep(0.5)
        fresh = args.new_connections
        tracker = [Client(port, ctx["tracker"], new_connections=fresh) for _ in range(CLIENTS)]
        officer = [Client(port, ctx["officer"], new_connections=fresh) for _ in range(CLIENTS)]
        units = ctx["units"]
        ref = today()
        if not args.writes_only:
            visible = Task.objects.visible_to(ctx["tracker_user"])

            # Q1: the answer's count checked for every unit asked (the expected counts read once, before timing).
            overdue = dict(
                visible.in_bucket(tl.OVERDUE, ref, soon_limit(ref))
                .values_list("lead_unit_id")
                .annotate(n=Count("id"))
                .values_list("lead_unit_id", "n")
            )
            connection.close()

            def q1(i: int, no: int = 0) -> None:
                unit = units[i % len(units)]
                page = tracker[no].get("/tasks", unit=unit, bucket=tl.OVERDUE, limit=25).json()
                assert page["count"] == overdue.get(unit, 0), (unit, page["count"], overdue.get(unit, 0))

            ask_read(figures, "Q1 one unit's overdue tasks, first 25", q1, args.reps, 8, server.pid)

            def q2(i: int, no: int = 0) -> None:
                groups = tracker[no].get("/evaluation", by="unit").json()
                assert groups, "no figures"

            ask_read(figures, "Q2 three counts for every unit", q2, args.reps, 4, server.pid)

            # Q3 on the dataset's "today" (bench/run.py's REF), as the peer was asked.
            days = (base.REF, base.REF + timedelta(days=3))
            window = {"state": "open", "due_from": days[0].isoformat(), "due_to": days[1].isoformat()}
            expected3 = visible.filter(state__in=tl.OPEN_STATES, due_date__range=days).count()
            connection.close()

            def q3_csv(i: int) -> None:
                rows = list(csv.reader(io.StringIO(tracker[0].get("/tasks", format="csv", **window).text)))
                assert len(rows) - 1 == expected3, (len(rows) - 1, expected3)

            def q3_pages(i: int) -> None:
                page = tracker[0].get("/tasks", limit=200, **window).json()
                seen = len(page["items"])
                while page["next"]:
                    page = tracker[0].get("/tasks", limit=200, after=page["next"], **window).json()
                    seen += len(page["items"])
                assert seen == expected3, (seen, expected3)

            reps3 = max(3, args.reps // 3)
            ms, used = cpu_share(lambda: timed(q3_csv, reps3), server.pid, reps3)
            figures[f"Q3 open tasks due in 3 days ({expected3:,}), one CSV call"] = f"{ms:.0f} ms ({used})"
            figures[f"Q3 the same in keyset pages of 200 ({-(-expected3 // 200)} calls)"] = (
                f"{timed(q3_pages, reps3):.0f} ms"
            )

        made: list[int] = []
        due = (ref + timedelta(days=30)).strftime("%d/%m/%Y")

        def q4(i: int, no: int) -> None:
            task = tracker[no].post(
                f"/directives/{ctx['directive']}/tasks",
                {"content": f"Nhiệm vụ đo hiệu năng số {i}", "lead_unit": ctx["unit"], "deadline": due},
            )
            tracker[no].post(f"/tasks/{task['id']}/assign")
            made.append(task["id"])

        def q5(i: int, no: int) -> None:
            pk = made[i]
            body = {"document_number": f"{i}/BC-BENCH", "document_date": ref.isoformat()}
            officer[no].post(f"/tasks/{pk}/submit_result", body)
            tracker[no].post(f"/tasks/{pk}/confirm_completion")

        def acknowledge() -> None:
            """The lead unit takes the tasks up (not timed): a result is submitted for a task in progress."""
            for pk in made:
                officer[0].post(f"/tasks/{pk}/acknowledge")

        # Untimed, two of each write per client first: every worker's first writes (its statements compiled, its
        # caches filled) would otherwise count in the first shape's CPU per question, and more in a shape of more
        # workers.
        concurrent(q4, 2 * CLIENTS)
        acknowledge()
        concurrent(q5, len(made))
        made.clear()
        with Split(args.split, figures, "Q4", qps=lambda: qps):
            (qps, errors), used = cpu_share(lambda: concurrent(q4, args.writes), server.pid, args.writes)
        figures["Q4 create a task (draft + assign), 8 clients"] = f"{qps:.1f} q/s, {errors} errors ({used})"

        acknowledge()
        with Split(args.split, figures, "Q5", qps=lambda: qps):
            (qps, errors), used = cpu_share(lambda: concurrent(q5, len(made)), server.pid, len(made))
        figures["Q5 close a task (submit result + confirm), 8 clients"] = (
            f"{qps:.1f} q/s, {errors} errors ({used})"
        )
    finally:
        server.terminate()
        server.wait()
    for name, figure in figures.items():
        base.log(f"{name}: {figure}")
    common.finish(
        "postgres",
        args.size,
        keep=args.keep,
        mark=MARK,
        result={
            "size": args.size,
            "load": f"{load:.1f}",
            "web": f"{args.web_workers} workers × {args.web_threads} threads {args.gunicorn}".strip()
            + (", a new connection a request" if args.new_connections else ""),
            "figures": figures,
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
