"""The margin rule of the extractor's learned parts (bench/README.md): a retrained task or sentence model replaces
the stored one only when its pooled detection F1 is at least 0.01 above the stored model's on the same pooled set;
bench/taskmodel.py and bench/clausemodel.py judge it with the same function."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(_BENCH))
_SPEC = importlib.util.spec_from_file_location("bench_taskmodel", _BENCH / "taskmodel.py")
assert _SPEC is not None and _SPEC.loader is not None
bench_taskmodel = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(bench_taskmodel)


def test_pool_sums_the_parts() -> None:
    assert bench_taskmodel.pool((281, 34, 49), (92, 38, 66)) == (373, 72, 115)


def test_a_gain_of_exactly_the_margin_passes() -> None:
    # F1 0.800 (tp 40, fp 10, fn 10) against 0.790 (tp 395, fp 105, fn 105)
    ok, line = bench_taskmodel.margin_rule((40, 10, 10), (395, 105, 105))
    assert ok
    assert "+0.010" in line and "passes" in line


def test_a_smaller_gain_or_a_loss_fails() -> None:
    # session 13's task model: retrained 0.807 against the stored model's 0.808 on the same pooled set
    ok, line = bench_taskmodel.margin_rule((371, 60, 117), (368, 55, 120))
    assert not ok
    assert "fails" in line
    assert not bench_taskmodel.margin_rule((398, 102, 102), (395, 105, 105))[0]  # +0.006


def test_the_margin_can_be_set() -> None:
    assert bench_taskmodel.margin_rule((398, 102, 102), (395, 105, 105), margin=0.005)[0]


def _items(*ids: str) -> list[dict]:
    return [{"id": i, "corpus": "ext"} for i in ids]


def test_fresh_split_holds_out_the_round_by_id() -> None:
    # --fresh 536-587: round 9's documents in no fit or choice, scored apart; the rest keep their order
    rest, fresh = bench_taskmodel.fresh_split(
        _items("001", "535", "536", "560", "587", "588", "x12"), "536-587"
    )
    assert [i["id"] for i in rest] == ["001", "535", "588", "x12"]
    assert [i["id"] for i in fresh] == ["536", "560", "587"]


def test_fresh_does_not_go_with_write(monkeypatch, capsys) -> None:
    monkeypatch.setattr(sys, "argv", ["taskmodel.py", "--split", "s.tsv", "--fresh", "536-587", "--write"])
    try:
        bench_taskmodel.main()
    except SystemExit as exit:
        assert exit.code == 2
    else:
        raise AssertionError("--fresh with --write was accepted")
    assert "does not go with --write" in capsys.readouterr().err
