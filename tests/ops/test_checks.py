import pytest
from django.db import connection

from dondoc.ops.checks import autovacuum_warnings, check_autovacuum


def test_autovacuum_off_is_a_warning_naming_the_setting():
    [warning] = autovacuum_warnings("off")
    assert warning.id == "ops.W001"
    assert "autovacuum" in warning.msg and "tắt" in warning.msg
    assert autovacuum_warnings("on") == []


@pytest.mark.django_db
def test_the_check_reads_the_servers_setting():
    messages = check_autovacuum(databases=["default"])
    if connection.vendor != "postgresql":
        assert messages == []
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        setting = cursor.fetchone()[0]
    assert [m.id for m in messages] == (["ops.W001"] if setting == "off" else [])
