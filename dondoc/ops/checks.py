"""System checks about the database server the service runs on (`dondoc check --database default`, `migrate`).

The counted tables (`core.counted_sql`) take a pending row per write and fold it after commit: their dead row versions
are autovacuum's to clean. With autovacuum off they pile up until the folds and the counts read a table mostly dead
(bench/README.md, session 11: PostgreSQL's CPU per write ×2 after a bulk load), so an operator who turned it off hears
of it at every migrate and deploy check.
"""

from django.core import checks
from django.db import connections


def autovacuum_warnings(setting: str) -> list[checks.CheckMessage]:
    """The warnings for PostgreSQL's `autovacuum` setting as `SHOW autovacuum` gives it."""
    if setting.strip().lower() in ("on", "true", "1", "yes"):
        return []
    return [
        checks.Warning(
            f"PostgreSQL đang tắt autovacuum (autovacuum = {setting}): các bảng đếm sẽ phình to và chậm dần.",
            hint="Bật lại trong postgresql.conf (autovacuum = on, mặc định) rồi tải lại cấu hình; "
            "trong lúc chờ, chạy VACUUM ANALYZE định kỳ.",
            id="ops.W001",
        )
    ]


@checks.register(checks.Tags.database)
def check_autovacuum(app_configs=None, databases=None, **kwargs) -> list[checks.CheckMessage]:
    messages: list[checks.CheckMessage] = []
    for alias in databases or ():
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        with connection.cursor() as cursor:
            cursor.execute("SHOW autovacuum")
            messages += autovacuum_warnings(cursor.fetchone()[0])
    return messages
