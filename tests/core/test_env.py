"""Settings from the environment: typed helpers that fail loudly, naming the variable, on a value they cannot read."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from dondoc.core.env import env_bool, env_int, env_list, env_str


@pytest.mark.parametrize("raw", ["1", "true", "TRUE", " yes ", "On"])
def test_env_bool_reads_true_values(monkeypatch, raw):
    monkeypatch.setenv("DONDOC_FLAG", raw)
    assert env_bool("DONDOC_FLAG", False) is True


@pytest.mark.parametrize("raw", ["0", "false", "No", "off", ""])
def test_env_bool_reads_false_values(monkeypatch, raw):
    monkeypatch.setenv("DONDOC_FLAG", raw)
    assert env_bool("DONDOC_FLAG", True) is False


@pytest.mark.parametrize("raw", ["maybe", "2", "yes please", "đúng"])
def test_env_bool_refuses_an_unreadable_value_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("DONDOC_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match="DONDOC_FLAG"):
        env_bool("DONDOC_FLAG", False)


def test_env_bool_unset_gives_the_default(monkeypatch):
    monkeypatch.delenv("DONDOC_FLAG", raising=False)
    assert env_bool("DONDOC_FLAG", True) is True
    assert env_bool("DONDOC_FLAG", False) is False


def test_env_int_reads_an_integer(monkeypatch):
    monkeypatch.setenv("DONDOC_N", " 42 ")
    assert env_int("DONDOC_N", 3) == 42


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_env_int_unset_or_empty_gives_the_default(monkeypatch, raw):
    if raw is None:
        monkeypatch.delenv("DONDOC_N", raising=False)
    else:
        monkeypatch.setenv("DONDOC_N", raw)
    assert env_int("DONDOC_N", 3) == 3


@pytest.mark.parametrize("raw", ["abc", "3.5", "1e3", "ba"])
def test_env_int_refuses_a_non_integer_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("DONDOC_N", raw)
    with pytest.raises(ImproperlyConfigured, match="DONDOC_N") as exc:
        env_int("DONDOC_N", 3)
    assert "integer" in str(exc.value)


def test_env_int_refuses_a_value_below_its_minimum_naming_the_variable(monkeypatch):
    monkeypatch.setenv("DUE_SOON_WORKING_DAYS", "-1")
    with pytest.raises(ImproperlyConfigured, match="DUE_SOON_WORKING_DAYS") as exc:
        env_int("DUE_SOON_WORKING_DAYS", 3, minimum=0)
    assert "at least 0" in str(exc.value)
    monkeypatch.setenv("DUE_SOON_WORKING_DAYS", "0")
    assert env_int("DUE_SOON_WORKING_DAYS", 3, minimum=0) == 0


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", " dondoc.hanoi.gov.vn, ,localhost ,")
    assert env_list("ALLOWED_HOSTS", ["x"]) == ["dondoc.hanoi.gov.vn", "localhost"]
    monkeypatch.delenv("ALLOWED_HOSTS")
    assert env_list("ALLOWED_HOSTS", ["x"]) == ["x"]


def test_env_str_reads_the_value_or_the_default(monkeypatch):
    monkeypatch.setenv("SITE_URL", "https://dondoc.example")
    assert env_str("SITE_URL", "http://127.0.0.1:8000") == "https://dondoc.example"
    monkeypatch.delenv("SITE_URL")
    assert env_str("SITE_URL", "http://127.0.0.1:8000") == "http://127.0.0.1:8000"
