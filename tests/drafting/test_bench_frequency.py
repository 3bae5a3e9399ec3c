"""The extraction scorer (bench/extract.py) reads a recurring deadline's frequency: every six months is its own
frequency however a label or the extractor writes it, not a monthly one ("every 6 months") nor none
("semiannually")."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location(
    "bench_extract", Path(__file__).resolve().parents[2] / "bench" / "extract.py"
)
assert _SPEC is not None and _SPEC.loader is not None
bench_extract = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(bench_extract)


@pytest.mark.parametrize(
    ("value", "freq"),
    [
        ("every 6 months", "semiannually"),
        ("every 6 months (half-yearly)", "semiannually"),
        ("semiannually; day 15, month 06", "semiannually"),
        ("định kỳ 6 tháng", "semiannually"),
        ("annually, day 25, month 06 (6-month report); day 28, month 11 (annual report)", "annually"),
        ("monthly, day 15 (monthly reports); day 06 month 06 (6-month)", "monthly"),
        ("định kỳ (frequency not specified)", "unspecified"),
    ],
)
def test_recurring_frequency(value: str, freq: str) -> None:
    assert bench_extract.canon_value({"kind": "recurring", "value": value})[1] == freq


def test_every_six_months_matches_semiannually() -> None:
    assert bench_extract.value_match(
        {"kind": "recurring", "value": "every 6 months"}, {"kind": "recurring", "value": "semiannually"}
    )
