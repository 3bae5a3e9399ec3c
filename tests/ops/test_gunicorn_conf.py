"""gunicorn's settings (`dondoc/gunicorn_conf.py`): what gunicorn itself reads from them is what README promises,
`make run` starts gunicorn with them, and a value that cannot be read stops the start naming the variable."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
SHAPE = ("BIND", "WEB_WORKERS", "WEB_THREADS", "WEB_KEEPALIVE")


def printed_config(**env: str) -> dict[str, str]:
    """gunicorn's own view of the settings (`--print-config`), with the shape's variables unset but `env`."""
    clean = {k: v for k, v in os.environ.items() if k not in SHAPE}
    done = subprocess.run(
        [str(GUNICORN), "dondoc.wsgi", "-c", "python:dondoc.gunicorn_conf", "--print-config"],
        cwd=ROOT,
        env={**clean, "SECRET_KEY": "x", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    out = {}
    for line in done.stdout.splitlines():
        name, sep, value = line.partition(" = ")
        if sep:
            out[name.strip()] = value.strip()
    return out | {"returncode": str(done.returncode), "stderr": done.stderr}


def test_gunicorn_reads_the_defaults_readme_promises() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    row = re.search(r"^\| `BIND`, `WEB_WORKERS`, `WEB_THREADS`, `WEB_KEEPALIVE` \| ([^|]+) \|", readme, re.M)
    assert row, "README's table of variables has no row for gunicorn's shape"
    bind, workers, threads, keepalive = (v.strip(" `") for v in row.group(1).split(","))
    config = printed_config()
    assert config["returncode"] == "0", config["stderr"]
    assert config["bind"] == f"['{bind}']"
    assert (config["workers"], config["threads"], config["keepalive"]) == (workers, threads, keepalive)
    assert config["worker_class"] == "gthread"
    production = readme.split("## Running in production", 1)[1].split("\n## ", 1)[0]
    assert f"{workers} worker processes × {threads} threads, keep-alive {keepalive} s" in production
    assert "gunicorn dondoc.wsgi -c python:dondoc.gunicorn_conf" in production


def test_the_environment_changes_the_shape() -> None:
    config = printed_config(BIND="127.0.0.1:8123", WEB_WORKERS="3", WEB_THREADS="3", WEB_KEEPALIVE="10")
    assert (config["bind"], config["workers"], config["threads"], config["keepalive"]) == (
        "['127.0.0.1:8123']",
        "3",
        "3",
        "10",
    )


def test_a_value_that_cannot_be_read_stops_the_start_naming_it() -> None:
    config = printed_config(WEB_THREADS="bốn")
    assert config["returncode"] != "0"
    assert "WEB_THREADS='bốn': expected an integer" in config["stderr"]
    config = printed_config(WEB_WORKERS="0")
    assert config["returncode"] != "0"
    assert "WEB_WORKERS='0': must be at least 1" in config["stderr"]


def test_make_run_and_make_load_start_gunicorn_with_the_settings() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "gunicorn dondoc.wsgi -c python:dondoc.gunicorn_conf" in run
    assert "--workers" not in run and "--threads" not in run  # no second default beside the settings'
    load = (ROOT / "bench/load/run.py").read_text(encoding="utf-8")
    assert '"python:dondoc.gunicorn_conf"' in load


def test_a_worker_freezes_what_it_loaded_out_of_the_collectors_sight() -> None:
    """The objects a worker loads with the application live as long as it: gunicorn's `post_worker_init` moves them out
    of the collector's generations, so a request's collections no longer walk them (issue 19)."""
    code = (
        "import gc, sys; sys.argv = ['gunicorn', 'dondoc.wsgi', '-c', 'python:dondoc.gunicorn_conf']; "
        "from gunicorn.app.wsgiapp import WSGIApplication; hook = WSGIApplication().cfg.post_worker_init; "
        "import dondoc.wsgi; before = gc.get_freeze_count(); hook(None); print(before, gc.get_freeze_count())"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "SECRET_KEY": "x"},
        capture_output=True,
        text=True,
    )
    before, frozen = (int(x) for x in done.stdout.split())
    assert before == 0 and frozen > 10_000, done.stderr
