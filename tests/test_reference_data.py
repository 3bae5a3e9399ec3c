"""Every install has the reference data that deadlines and counts rest on (issue 15): migrating an empty database
loads the official calendar 2025–2026 and Hanoi's unit registry; the demo only adds people and tasks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

QUESTION = """
import json
from datetime import date
from dondoc.org.models import Unit, Person
from dondoc.tracking.models import Task
from dondoc.workdays import calendar
cal = calendar.current()
print(json.dumps({
    "fri_02_01_2026_worked": cal.is_working_day(date(2026, 1, 2)),
    "sat_10_01_2026_worked": cal.is_working_day(date(2026, 1, 10)),
    "tet_17_02_2026_worked": cal.is_working_day(date(2026, 2, 17)),
    "units": Unit.objects.count(),
    "former": Unit.objects.filter(kind="historic_district", valid_to=date(2025, 7, 1)).count(),
    "hoan_kiem_after": sorted(Unit.objects.get(code="002").successors.values_list("name", flat=True)),
    "local_from_01_07_2025": Unit.objects.filter(valid_from=date(2025, 7, 1)).count(),
    "wards": Unit.objects.filter(kind="ward").count(),
    "communes": Unit.objects.filter(kind="commune").count(),
    "sxd_parent": Unit.objects.get(code="SXD").parent.code,
    "dong_da": Unit.objects.get(search__contains="phuong dong da").name,
    "people": Person.objects.count(),
    "tasks": Task.objects.count(),
}))
"""


def dondoc(tmp_path: Path, *args: str) -> str:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        "DONDOC_VAR_DIR": str(tmp_path),
        "SECRET_KEY": "fresh-install-test",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-m", "dondoc.cli", *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_migrating_an_empty_database_loads_the_official_calendar_and_the_registry(tmp_path):
    dondoc(tmp_path, "migrate", "--noinput")
    answer = json.loads(dondoc(tmp_path, "shell", "-c", QUESTION).strip().splitlines()[-1])
    assert answer == {
        "fri_02_01_2026_worked": False,  # swapped day off (12729/VPCP-KGVX)
        "sat_10_01_2026_worked": True,  # the make-up Saturday
        "tet_17_02_2026_worked": False,
        "units": 179,  # 149 today + the 30 districts and towns that ended on 01/07/2025
        "former": 30,
        "hoan_kiem_after": ["UBND phường Cửa Nam", "UBND phường Hoàn Kiếm"],  # Resolution 1656/NQ-UBTVQH15
        "local_from_01_07_2025": 126,
        "wards": 51,
        "communes": 75,
        "sxd_parent": "H26",
        "dong_da": "UBND phường Đống Đa",
        "people": 0,  # the demo, not the migrations, adds people and tasks
        "tasks": 0,
    }
