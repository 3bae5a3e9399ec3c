"""What every page pays before its own work (issue 19): the process's CPU per request of two views added for the
measure — `/__bare/` (login required, answers "ok": the middleware, the session, the user) and `/__base/` (renders
`base.html`: the context processors too, the menu and the unread count) — through Django's test client, signed in
with force_login, N requests per round, the minimum over ROUNDS rounds; and the statements of one request.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dondoc_load SECRET_KEY=x ALLOWED_HOSTS=127.0.0.1 \\
        .venv/bin/python bench/load/fixed_cost.py

WHO: officer (default: the unit officer of UNIT, as bench/load/pages.py), tracker or leader. PROFILE=K: one more
round under cProfile, its K functions of most cumulative time.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import sys
import time
import types
from pathlib import Path

import django


def main() -> None:
    from django.conf import settings
    from django.contrib.auth.decorators import login_required
    from django.db import connection
    from django.http import HttpRequest, HttpResponse
    from django.shortcuts import render
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import path

    import dondoc.urls

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from pages import readers

    @login_required
    def base(request: HttpRequest) -> HttpResponse:
        return render(request, "base.html")

    @login_required
    def bare(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")

    urls = types.ModuleType("fixed_cost_urls")
    urls.urlpatterns = [path("__bare/", bare), path("__base/", base), *dondoc.urls.urlpatterns]  # type: ignore[attr-defined]
    sys.modules[urls.__name__] = urls
    settings.ROOT_URLCONF = urls.__name__

    tracker, leader, officer = readers()
    person = {"tracker": tracker, "leader": leader, "officer": officer}[os.environ.get("WHO", "officer")]
    n, rounds, top = (int(os.environ.get(k, d)) for k, d in (("N", "300"), ("ROUNDS", "3"), ("PROFILE", "0")))
    for url in ("/__bare/", "/__base/"):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(person.user)
        for _ in range(3):  # warm-up: the statements built, the session's user known to the process
            assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
            statements = len(ctx.captured_queries)
        cpus = []
        for _ in range(rounds):
            started = time.process_time()
            for _ in range(n):
                client.get(url)
            cpus.append((time.process_time() - started) / n * 1000)
        print(
            f"{url} {person.role}: cpu {min(cpus):.2f} ms per request (min of {rounds} rounds of {n}: "
            f"{', '.join(f'{c:.2f}' for c in cpus)}), {statements} statements",
            flush=True,
        )
        if top:
            profile = cProfile.Profile(time.process_time)
            profile.enable()
            for _ in range(n):
                client.get(url)
            profile.disable()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(top)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dondoc.settings")
    django.setup()
    main()
