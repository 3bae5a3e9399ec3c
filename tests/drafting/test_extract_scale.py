"""Work of the extractor on a long text with no sentence break: it must grow with the text, not its square."""

from __future__ import annotations

import pytest

from dondoc.drafting import extract as ex


@pytest.mark.parametrize("n", [250, 1000])
def test_assigner_checks_read_each_clause_a_bounded_number_of_times(n: int, monkeypatch) -> None:
    # A reviewer's denial of service: "… công văn gửi Sở Xây dựng" repeated with no '.', ',' or ';' made every
    # "gửi" re-read the whole clause before it for an assigner (0.26 / 0.92 / 3.56 s for n = 250 / 500 / 1000).
    # Count the characters the assigner checks are handed: the real functions run, only their input is measured.
    read = {"chars": 0}
    for name, at in (("_assigner_ok", 0), ("_place_assigner", 0), ("_directs_own", 1)):
        real = getattr(ex, name)

        def spy(*args, _real=real, _at=at, **kwargs):
            read["chars"] += len(args[_at])  # the clause before the trigger
            return _real(*args, **kwargs)

        monkeypatch.setattr(ex, name, spy)
    text = "UBND thành phố đã có công văn gửi Sở Xây dựng " * n
    doc = ex.extract(text)
    assert read["chars"] <= 2 * len(text), read
    # the result the unbounded reading gave too (as for n = 3): one clause, from the third "gửi" on, led by the Sở
    assert [(t.start, t.end, t.lead) for t in doc.tasks] == [(0, len(text) - 1, "Sở Xây dựng")]


@pytest.mark.parametrize("n", [300, 1200])
def test_a_text_of_many_tasks_compares_each_task_with_a_bounded_number_of_others(n: int, monkeypatch) -> None:
    # "giao Sở Y tế và " repeated: one task per "giao", and the pass that drops a news lead restated in the body
    # compared every task with every later one (7.8 s of CPU at n = 2000, minutes at the form's 300,000
    # characters); the trigger checks of a sentence compared each trigger with every anchor before it.
    calls = {"restated": 0}
    real = ex._restated

    def spy(task, later):
        calls["restated"] += 1
        return real(task, later)

    monkeypatch.setattr(ex, "_restated", spy)
    doc = ex.extract("giao Sở Y tế và " * n)
    assert calls["restated"] <= ex._RESTATED_WINDOW * max(len(doc.tasks), n), (calls, len(doc.tasks))
