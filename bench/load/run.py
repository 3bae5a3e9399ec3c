"""`make load`: a bounded load test of the personas' journeys (bench/load/locustfile.py, journeys.py) against
gunicorn on PostgreSQL, on loopback, and a summary: requests per second, p50/p95 per page and per journey, errors,
and the writes that succeeded (as the harness saw them, and as the database counts them).

1. A database of its own (LOAD_PG_URL/LOAD_PG_NAME, default dondoc_load), migrated and filled once with the demo
   data at LOAD_TASKS tasks (default 100000; kept between runs, rebuilt when LOAD_REBUILD=1). The journeys write
   (progress reports, confirmations, urging letters), so a kept database drifts a little from run to run.
2. gunicorn (LOAD_WORKERS workers × LOAD_THREADS threads) on a free loopback port, and the job worker (`dondoc
   worker`, which draws the urging letters' files) beside it as `make run` starts it; their logs in var/load/.
   LOAD_TIMING=1 wraps the application (bench/timed_wsgi.py) and prints each page's CPU in gunicorn's threads.
3. locust headless: LOAD_USERS users, spawned LOAD_SPAWN a second, for LOAD_TIME, signing in with the accounts of
   the database (every unit officer, the City Office's trackers, the leaders: var/load/accounts.json); CSV stats
   (and the failures and exceptions CSVs) kept in var/load/, parsed and printed: each page kind's count, errors,
   p50 and p95, the logins summed apart from every other request, and the busy hour's targets (issue 19: 0 errors,
   p95 ≤ 300 ms for every page but the login, ≥ 100 requests/s).

The busy hour of a city (README "Kiểm thử tải"): LOAD_TASKS=1000000 LOAD_USERS=50 LOAD_TIME=5m make load. Above
100,000 tasks the database is built by bench/load/build.py (COPY, people in every ward; LOAD_FAST=0: loaddemo).
Exit status 1 when any request failed or a journey raised.
"""

from __future__ import annotations

import json
import os
import re
import resource
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from dondoc import gunicorn_conf  # the production shape of the server (workers, threads, keep-alive)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from journeys import DEFAULT_WAIT  # noqa: E402 — the simulated users' think time, one default for both

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG_URL = os.environ.get("LOAD_PG_URL", "postgres://postgres@127.0.0.1:5432")
PG_NAME = os.environ.get("LOAD_PG_NAME", "dondoc_load")
OUT = ROOT / "var" / "load"
# What the database counts of the journeys' writes: one history row per write (tracking.actions) and, for an
# urging letter, one register row (its history rows, one per listed task, are not the letter's count).
DB_COUNTS = {
    "báo cáo tiến độ": "SELECT count(*) FROM tracking_taskevent WHERE action = 'progress'",
    "xác nhận hoàn thành": "SELECT count(*) FROM tracking_taskevent WHERE action = 'confirm'",
    "công văn đôn đốc": "SELECT count(*) FROM documents_outgoingdocument WHERE doc_type = 'don_doc'",
}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def dondoc(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([str(BIN / "dondoc"), *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"dondoc {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def psql(sql: str, database: str = "postgres") -> str:
    return subprocess.run(
        ["psql", f"{PG_URL}/{database}", "-Atqc", sql], capture_output=True, text=True, check=True
    ).stdout.strip()


def prepare(env: dict[str, str], tasks: int) -> None:
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{PG_NAME}'") == "1"
    if exists and os.environ.get("LOAD_REBUILD") == "1":
        psql(f"DROP DATABASE {PG_NAME} WITH (FORCE)")
        exists = False
    if not exists:
        psql(f"CREATE DATABASE {PG_NAME}")
    dondoc(env, "migrate", "--noinput", "-v0")
    have = psql("SELECT count(*) FROM tracking_task", PG_NAME)
    if have == "0":
        started = time.monotonic()
        fast = os.environ.get("LOAD_FAST", "1" if tasks > 100_000 else "0") == "1"
        print(f"Nạp dữ liệu mẫu: {tasks} nhiệm vụ{' (COPY, mọi phường xã)' if fast else ''} ...", flush=True)
        if fast:
            subprocess.run(
                [sys.executable, str(Path(__file__).with_name("build.py")), str(tasks)],
                cwd=ROOT,
                env=env,
                check=True,
            )
        else:
            dondoc(env, "loaddemo", "--tasks", str(tasks))
            psql("ANALYZE", PG_NAME)
        print(f"  xong sau {time.monotonic() - started:.0f} s", flush=True)
    print(
        f"Cơ sở dữ liệu {PG_NAME}: {psql('SELECT count(*) FROM tracking_task', PG_NAME)} nhiệm vụ", flush=True
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


ACCOUNTS_SQL = """
    SELECT p.role, u.username FROM org_person p JOIN auth_user u ON u.id = p.user_id
    WHERE u.is_active AND p.role IN ('unit_officer', 'tracking_officer', 'leader') ORDER BY p.role, u.username
"""
P95_TARGET_MS, RPS_TARGET = 300, 100


def write_accounts(path: Path) -> dict[str, int]:
    """The accounts the simulated users sign in with, by role, from the database (the demo's password)."""
    accounts: dict[str, list[str]] = {}
    for line in psql(ACCOUNTS_SQL, PG_NAME).splitlines():
        role, username = line.split("|", 1)
        accounts.setdefault(role, []).append(username)
    path.write_text(json.dumps(accounts, ensure_ascii=False), encoding="utf-8")
    return {role: len(names) for role, names in accounts.items()}


def db_counts() -> dict[str, int]:
    return {kind: int(psql(sql, PG_NAME)) for kind, sql in DB_COUNTS.items()}


def children_cpu() -> float:
    """The CPU seconds (user + system) of this process's children that have ended, theirs included (gunicorn's
    workers are counted in gunicorn's once it has waited for them)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def process_tree_cpu(pid: int) -> float:
    """The CPU seconds so far of a running process and of its descendants (/proc), e.g. gunicorn and its workers."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        children = []
        for task in Path(f"/proc/{pid}/task").iterdir():
            children += [int(c) for c in (task / "children").read_text(encoding="ascii").split()]
    except OSError:
        return 0.0
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
    return own + sum(process_tree_cpu(child) for child in children)


def database_pids(name: str) -> list[int]:
    """The PostgreSQL server processes serving database `name` now (a backend's title names its database:
    "postgres: [cluster:] user database address state"); none where /proc shows none (a server on another machine)."""
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            title = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").split()
        except OSError:
            continue
        if title[1:2] and title[1].endswith(":"):  # the cluster's name ("15/main:"), when it has one
            del title[1]
        if title[:1] == ["postgres:"] and title[2:3] == [name]:
            pids.append(int(proc.name))
    return pids


class BackendWatch:
    """The CPU of the load database's backends over the run, those that end before it included: gunicorn closes a
    connection older than DB_CONN_MAX_AGE (60 s by default) and opens another, so most of a run's backends end before
    it does, and an ended backend is gone from /proc (its CPU reaches the postmaster's ended children, with every
    other database's). Each backend's CPU is read when the run starts, every `every` seconds (a thread), and at the
    end; one that ended is counted up to its last reading (at most `every` seconds of it lost). A reading scans
    /proc: ~3 ms of CPU (195 processes), 0.3 % of a core at one a second."""

    def __init__(self, name: str, every: float = 1.0) -> None:
        self.name, self.every = name, every
        self.start = {pid: process_tree_cpu(pid) for pid in database_pids(name)}
        self.last = dict(self.start)
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def read(self) -> None:
        for pid in database_pids(self.name):
            cpu = process_tree_cpu(pid)
            if cpu:
                self.last[pid] = cpu

    def _watch(self) -> None:
        while not self.stopped.wait(self.every):
            self.read()

    def stop(self) -> tuple[float, float]:
        """The backends' CPU seconds during the run: all of it, and the part of those that ended before the end."""
        self.stopped.set()
        self.thread.join()
        self.read()
        alive = set(database_pids(self.name))
        spent = {pid: cpu - self.start.get(pid, 0.0) for pid, cpu in self.last.items()}
        return sum(spent.values()), sum(v for pid, v in spent.items() if pid not in alive)


# name, parent pid, own CPU s (all its threads), its ended children's CPU s
Process = tuple[str, int, float, float]


def processes() -> dict[int, Process]:
    """Every process now (/proc/PID/stat): its name, its parent, its own CPU seconds (user + system, all its
    threads) and the CPU seconds of its children that have ended and that it has waited for (cutime + cstime)."""
    tick = os.sysconf("SC_CLK_TCK")
    table = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            raw = (proc / "stat").read_text(encoding="ascii", errors="replace")
        except OSError:
            continue
        name = raw[raw.index("(") + 1 : raw.rindex(")")]
        f = raw[raw.rindex(")") + 1 :].split()
        table[int(proc.name)] = (
            name,
            int(f[1]),
            (int(f[11]) + int(f[12])) / tick,
            (int(f[13]) + int(f[14])) / tick,
        )
    return table


def descendants(table: dict[int, Process], roots: set[int]) -> set[int]:
    """`roots` and every process under them in `table`."""
    found, grew = set(roots), True
    while grew:
        grew = False
        for pid, (_name, parent, _own, _ended) in table.items():
            if parent in found and pid not in found:
                found.add(pid)
                grew = True
    return found


def kernel_ticks() -> float:
    """The CPU seconds the kernel has spent in interrupts and soft interrupts (the loopback's packets among them),
    which /proc counts to no process (/proc/stat: irq, softirq, steal)."""
    with open("/proc/stat", encoding="ascii") as f:
        ticks = [int(x) for x in f.readline().split()[1:9]]
    return (ticks[5] + ticks[6] + ticks[7]) / os.sysconf("SC_CLK_TCK")


def rest_of_machine(
    before: dict[int, Process],
    after: dict[int, Process],
    counted: set[int],
    kernel: float,
    ended_load: float = 0.0,
) -> list[tuple[str, float]]:
    """Where the CPU counted to none of the run's processes went, largest first: every process alive at the end by
    name (its own CPU during the run), the kernel's interrupts, and the PostgreSQL backends of other databases that
    ended during the run (the postmaster's ended children but the load database's, `ended_load`, counted already).
    What else ended during the run is in none (the caller's "unknown": an ended child's CPU reaches its parent whole,
    its life before the run included, so it is not added). `counted`: the processes the run counts already (gunicorn,
    the job worker, the load database's backends alive at the end, this harness)."""
    by_name: dict[str, float] = {"kernel (irq, softirq)": kernel}
    for pid, (name, parent, own, ended) in after.items():
        if pid in counted:
            continue
        was = before.get(pid)
        same = was is not None and was[0] == name
        if name == "postgres" and after.get(parent, ("",))[0] != "postgres":  # the postmaster
            other = ended - (was[3] if was and same else 0.0) - ended_load
            by_name["postgres: ended backends of other databases"] = max(other, 0.0)
        name = name.split("/")[0]  # a kernel thread's name carries its CPU and job (kworker/u8:3-events)
        by_name[name] = by_name.get(name, 0.0) + own - (was[2] if was and same else 0.0)
    return sorted(((k, v) for k, v in by_name.items() if v >= 0.05), key=lambda kv: -kv[1])


def machine_cpu() -> float:
    """The CPU seconds the whole machine has been busy since it started (/proc/stat: all but idle and I/O wait)."""
    with open("/proc/stat", encoding="ascii") as f:
        ticks = [int(x) for x in f.readline().split()[1:9]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def cpu_shares(
    server: float,
    worker: float,
    client: float,
    database: float,
    machine: float,
    wall: float,
    results: Path,
    ended_backends: float = 0.0,
    others: list[tuple[str, float]] | None = None,
) -> str:
    """Where the machine's CPU went during the run: the server (gunicorn), the job worker (the urging letters' files),
    the load generator (locust) — on one machine they share the cores, so the client's share is not the server's —,
    PostgreSQL for this database (its backends' CPU, `ended_backends` of it those that ended during the run), the rest
    (anything else running: the largest by name); with the server's and the database's CPU per request (and the load
    generator's: it shares the cores)."""
    requests = json.loads(results.read_text(encoding="utf-8"))["total"]["requests"] if results.exists() else 0
    postgres = database  # the ended backends' included
    per = (
        f"; mỗi yêu cầu: gunicorn {server * 1000 / requests:.1f} ms, PostgreSQL {postgres * 1000 / requests:.1f} ms, "
        f"locust {client * 1000 / requests:.1f} ms"
        if requests
        else ""
    )
    rest = max(machine - server - worker - client - postgres, 0)
    named = sum(v for _k, v in others or [])
    where = (
        " ("
        + ", ".join(f"{k} {v:.1f} s" for k, v in (others or [])[:6])
        + f"; đã kết thúc, không rõ {rest - named:.1f} s)"
        if others is not None
        else ""
    )
    return (
        f"CPU trong lượt chạy ({wall:.0f} s × {os.cpu_count()} lõi): gunicorn {server:.0f} s, "
        f"dondoc worker {worker:.0f} s, locust {client:.0f} s, "
        f"PostgreSQL ({PG_NAME}) {postgres:.0f} s (kết nối đã đóng trong lượt {ended_backends:.0f} s), "
        f"phần còn lại của máy (việc khác) {rest:.0f} s{where}{per}."
    )


def main() -> int:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="dondoc.settings",
        DATABASE_URL=f"{PG_URL}/{PG_NAME}",
        SECRET_KEY=os.environ.get("SECRET_KEY", "load-test-only-" + "z" * 40),
        DEBUG="0",
        DEMO="0",
        LOG_LEVEL="WARNING",
        # The load comes from one address: lift the per-address lockout for this run only.
        LOGIN_FAILURE_LIMIT_PER_ADDRESS="1000000",
    )
    prepare(env, env_int("LOAD_TASKS", 100_000))
    OUT.mkdir(parents=True, exist_ok=True)
    prefix = OUT / "locust"
    for old in [*OUT.glob("locust*"), OUT / "access.log"]:
        old.unlink(missing_ok=True)
    results = OUT / "journeys.json"
    results.unlink(missing_ok=True)
    accounts = OUT / "accounts.json"
    print(f"Tài khoản đăng nhập: {write_accounts(accounts)}", flush=True)
    server_log = OUT / "gunicorn.log"
    port = free_port()
    before = db_counts()
    children_before = children_cpu()
    # The job worker beside the server, as `make run` starts it: an issued urging letter's DOCX and PDF are drawn by
    # it (documents.register.draw_files), so its CPU is the busy hour's too.
    with (
        server_log.open("w", encoding="utf-8") as log,
        (OUT / "worker.log").open("w", encoding="utf-8") as wlog,
    ):
        worker = subprocess.Popen(
            [str(BIN / "dondoc"), "worker"], cwd=ROOT, env=env, stdout=wlog, stderr=subprocess.STDOUT
        )
        # LOAD_TIMING=1: the application wrapped to write each request's thread CPU and statements' time
        # (bench/timed_wsgi.py), summed by page at the end (`timing_summary`).
        timing = OUT / "timing.tsv"
        timing.unlink(missing_ok=True)
        timed = os.environ.get("LOAD_TIMING") == "1"
        app = ["--pythonpath", str(ROOT / "bench"), "timed_wsgi"] if timed else ["dondoc.wsgi"]
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                *app,
                "-c",
                "python:dondoc.gunicorn_conf",  # the production shape; LOAD_WORKERS etc. override it
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(env_int("LOAD_WORKERS", gunicorn_conf.WORKERS)),
                "--threads",
                str(env_int("LOAD_THREADS", gunicorn_conf.THREADS)),
                # An idle keep-alive connection is kept longer than a simulated user ever waits between two
                # requests (≤ 2 s). With gunicorn's default of 2 s the server may close a connection at the very
                # moment the client reuses it, which the client sees as "connection reset" — one candidate for the
                # reset of an earlier run, not reproduced since (a proxy in front, e.g. nginx, does this job in
                # production).
                "--keep-alive",
                str(env_int("LOAD_KEEPALIVE", gunicorn_conf.KEEPALIVE)),
                "--access-logfile",
                str(OUT / "access.log"),
                "--access-logformat",
                '%(h)s "%(r)s" %(s)s %(b)s %(M)sms',
            ],
            cwd=ROOT,
            env={**env, "BENCH_TIMING_FILE": str(timing)} if timed else env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            for _ in range(120):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/dang-nhap/", timeout=2)
                    break
                except OSError:
                    time.sleep(0.5)
            # the figures count from here: the server's start (imports, workers) is not the load's
            started, machine_before, kernel_before = time.monotonic(), machine_cpu(), kernel_ticks()
            server_ready, backends = process_tree_cpu(server.pid), BackendWatch(PG_NAME)
            worker_ready, table_before = process_tree_cpu(worker.pid), processes()
            users, spawn, duration = (
                env_int("LOAD_USERS", 20),
                env_int("LOAD_SPAWN", 5),
                os.environ.get("LOAD_TIME", "60s"),
            )
            wait = os.environ.get("LOAD_WAIT", DEFAULT_WAIT)
            print(
                f"locust: {users} người dùng, {duration}, chờ {wait} s, gunicorn 127.0.0.1:{port}", flush=True
            )
            locust = subprocess.run(
                [
                    str(BIN / "locust"),
                    "-f",
                    str(Path(__file__).with_name("locustfile.py")),
                    "--headless",
                    "-u",
                    str(users),
                    "-r",
                    str(spawn),
                    "-t",
                    duration,
                    "--host",
                    f"http://127.0.0.1:{port}",
                    "--csv",
                    str(prefix),
                    # At the end each user finishes the journey it is in (then stops): a write in flight is then
                    # counted by the harness as well as by the database, instead of landing unseen.
                    "--stop-timeout",
                    str(env_int("LOAD_STOP_TIMEOUT", 60)),
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                cwd=ROOT,
                env={**os.environ, "LOAD_RESULTS_FILE": str(results), "LOAD_ACCOUNTS": str(accounts)},
                check=False,
                stdout=subprocess.DEVNULL,
            )
            # Every figure at one instant, the users done and the server still up (its connections open): the
            # machine's, each process's, and the rest's by name.
            client_cpu = children_cpu() - children_before
            machine, wall = machine_cpu() - machine_before, time.monotonic() - started
            server_cpu = process_tree_cpu(server.pid) - server_ready  # its workers included
            database, ended_backends = backends.stop()  # before gunicorn's connections close
            worker_cpu = process_tree_cpu(worker.pid) - worker_ready
            table_after, kernel = processes(), kernel_ticks() - kernel_before
            counted = descendants(table_after, {server.pid, worker.pid, os.getpid()}) | set(
                database_pids(PG_NAME)
            )
            others = rest_of_machine(table_before, table_after, counted, kernel, ended_backends)
        finally:
            worker.terminate()
            server.terminate()
            try:
                server.wait(timeout=30)  # gunicorn's graceful stop lets the requests in flight finish
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            try:
                worker.wait(timeout=30)  # the worker finishes the job in hand
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
    shares = cpu_shares(
        server_cpu, worker_cpu, client_cpu, database, machine, wall, results, ended_backends, others
    )
    after = db_counts()
    status = report(results, {k: after[k] - before[k] for k in after}, server_log, locust.returncode)
    print(shares)
    if timing.exists():
        print(timing_summary(timing))
    return status


def page_of(method_path: str) -> str:
    """A request's page as the summary names it: its numbers replaced ("GET /nhiem-vu/{id}/")."""
    return re.sub(r"/\d+(?=/|$)", "/{id}", method_path)


def timing_summary(path: Path) -> str:
    """The CPU of gunicorn's threads by page (bench/timed_wsgi.py's lines: the thread's CPU while the application
    answered, and its statements' wall time): requests, median and mean CPU ms, the page's share of all the
    application's CPU, median statements' ms — the steadier measure on a shared machine (wall time is mostly waiting
    there)."""
    by_page: dict[str, list[tuple[float, float]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        _pid, _start, request, _wall, cpu, statements, *_ = line.split("\t")
        by_page.setdefault(page_of(request), []).append((float(cpu), float(statements)))
    total = sum(cpu for rows in by_page.values() for cpu, _ in rows) or 1.0
    lines = [
        f"\n{'CPU của luồng gunicorn theo trang':44} {'số':>6} {'trung vị':>8} {'TB ms':>6} {'phần':>5} {'SQL ms':>7}"
    ]
    for page, rows in sorted(by_page.items(), key=lambda kv: -sum(c for c, _ in kv[1])):
        cpus = [c for c, _ in rows]
        lines.append(
            f"{page[:44]:44} {len(rows):>6} {statistics.median(cpus):8.1f} {sum(cpus) / len(cpus):6.1f} "
            f"{sum(cpus) / total:5.0%} {statistics.median(s for _, s in rows):7.1f}"
        )
    return "\n".join(lines)


def percentile(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def report(results: Path, added: dict[str, int], server_log: Path, locust_status: int = 0) -> int:
    """Print the pages, the journeys, the writes and the errors (from the figures the locustfile wrote at the end);
    1 when a request failed, a journey raised, or locust itself ended in error."""
    if not results.exists():
        print(
            f"locust kết thúc (mã {locust_status}) mà không ghi kết quả: xem {server_log} và thông báo ở trên."
        )
        return 1
    data = json.loads(results.read_text(encoding="utf-8"))
    print(f"\n{'Trang':44} {'số':>6} {'lỗi':>4} {'req/s':>6} {'p50 ms':>7} {'p95 ms':>7}")
    total = data["total"]
    apart = [
        {**data[key], "name": label}
        for key, label in (("logins", "đăng nhập (cộng lại)"), ("without_logins", "TỔNG không kể đăng nhập"))
        if key in data
    ]
    for row in [*data["pages"], *apart, {**total, "name": "TỔNG"}]:
        label = f"{row['method']} {row['name']}".strip()
        print(
            f"{label[:44]:44} {row['requests']:>6} {row['failures']:>4} {row['rps']:6.1f} "
            f"{row['p50']:>7.0f} {row['p95']:>7.0f}"
        )
    print(
        f"\n{'Hành trình (mọi yêu cầu của một lượt, không kể thời gian chờ)':62} {'lượt':>5} {'p50 ms':>7} {'p95 ms':>7}"
    )
    for name, times in sorted(data["journeys"].items()):
        print(f"{name[:62]:62} {len(times):>5} {percentile(times, 50):7.0f} {percentile(times, 95):7.0f}")
    writes: dict[str, dict[str, int]] = {}
    for kind, outcome, n in data["writes"]:
        writes.setdefault(kind, {})[outcome] = n
    print(f"\n{'Ghi':24} {'thành công':>10} {'xung đột':>9} {'lỗi':>5} {'CSDL thêm':>10}")
    for kind in DB_COUNTS:
        seen = writes.get(kind, {})
        print(
            f"{kind:24} {seen.get('ok', 0):>10} {seen.get('conflict', 0):>9} {seen.get('failed', 0):>5} "
            f"{added.get(kind, 0):>10}"
        )
    failures = int(total["failures"])
    raised = sum(int(count) for count, _message in data["exceptions"])
    print(
        f"\nTổng: {total['requests']} yêu cầu, {total['rps']:.1f} req/s, p50 {total['p50']:.0f} ms, "
        f"p95 {total['p95']:.0f} ms; {failures} yêu cầu lỗi; {raised} lỗi trong hành trình; "
        f"{sum(w.get('ok', 0) for w in writes.values())} lần ghi thành công."
    )
    if "without_logins" in data:
        rest = data["without_logins"]
        slow = [
            f"{p['method']} {p['name']} ({p['p95']:.0f} ms)"
            for p in data["pages"]
            if not p["name"].startswith("/dang-nhap/") and p["p95"] > P95_TARGET_MS
        ]
        print(
            f"Mục tiêu giờ cao điểm (không kể đăng nhập): lỗi {failures} (0); "
            f"{rest['rps']:.1f} req/s (≥ {RPS_TARGET}); p95 ≤ {P95_TARGET_MS} ms ở mọi trang: "
            + ("đạt" if not slow else "chưa đạt — " + ", ".join(slow))
        )
    for method, name, error, occurrences in data["errors"]:
        print(f"  lỗi: {method} {name}: {error} (×{occurrences})")
    for count, message in data["exceptions"]:
        print(f"  lỗi trong hành trình: {message} (×{count})")
    problems = [
        line
        for line in server_log.read_text(encoding="utf-8").splitlines()
        if "[CRITICAL]" in line or "[ERROR]" in line
    ]
    for line in problems[:10]:
        print(f"  gunicorn: {line}")
    print(f"Chi tiết: {OUT}/ (CSV của locust, gunicorn.log, access.log)")
    return 1 if failures or raised or locust_status != 0 else 0


if __name__ == "__main__":
    sys.exit(main())
