"""The fold of the counted tables' pending rows (`core.counted_sql`, PostgreSQL), which the audit chainer runs after
every write: it reads the pending rows through their partial index, never a whole table — whatever the statistics
say (here taken while every row was pending, as after a bulk load) and however small the table."""

from __future__ import annotations

import random

import pytest
from django.db import connection

from dondoc.core import counted_sql
from dondoc.evaluation import counts
from dondoc.tracking import counted
from dondoc.tracking.models import Task
from tests.helpers import bucket_sums, random_task_fields

pytestmark = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="pending rows are PostgreSQL's")

TABLES = (
    "tracking_bucketcount",
    "tracking_citybucketcount",
    "evaluation_monthcount",
    "evaluation_trendcount",
)


def _seq_scans() -> dict[str, int]:
    """This transaction's whole-table reads of the counted tables so far."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT relname, seq_scan FROM pg_stat_xact_user_tables WHERE relname = ANY(%s)", [list(TABLES)]
        )
        found = dict(cur.fetchall())
    return {t: found.get(t, 0) for t in TABLES}


def test_the_fold_reads_only_the_pending_rows(db, registry, directive):
    rng = random.Random(5)
    tasks = Task.objects.bulk_create(
        [Task(**random_task_fields(rng, directive, registry)) for _ in range(60)]
    )
    with connection.cursor() as cur:
        cur.execute(f"ANALYZE {', '.join(TABLES)}")  # statistics of tables made of pending rows
    counted_sql.fold_all(connection)
    for task in tasks[:20]:  # a few writes: a few pending rows
        Task.objects.filter(pk=task.pk).update(**random_task_fields(rng, directive, registry))
    before = _seq_scans()
    counted_sql.fold_all(connection)
    assert _seq_scans() == before
    # Folded, and right: the sums equal a recount.
    kept = bucket_sums()
    counted.rebuild()
    counts.rebuild()
    assert kept == bucket_sums()
