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


def _regex_reading(monkeypatch) -> dict[str, int]:
    """Count the characters handed to the module-level regex functions (re.search, re.finditer, ...) and to the
    task model's syllable reader: the real functions run, only their input is measured."""
    import re

    from dondoc.drafting import taskmodel

    read = {"chars": 0}
    for name in ("search", "match", "fullmatch", "finditer", "findall", "sub", "split"):
        real = getattr(re, name)

        def spy(pattern, string, *args, _real=real, **kwargs):
            read["chars"] += len(string)
            return _real(pattern, string, *args, **kwargs)

        monkeypatch.setattr(re, name, spy)

    class Syllables:
        def __init__(self, real):
            self.real = real

        def findall(self, string, pos=0, endpos=None):
            read["chars"] += (len(string) if endpos is None else endpos) - pos
            return self.real.findall(string, pos, len(string) if endpos is None else endpos)

    monkeypatch.setattr(taskmodel, "_SYLLABLE", Syllables(taskmodel._SYLLABLE))
    return read


def _work(shape: str, n: int, monkeypatch) -> tuple[int, int]:
    read = _regex_reading(monkeypatch)
    doc = ex.extract(shape * n)
    monkeypatch.undo()
    return read["chars"], len(doc.tasks)


@pytest.mark.parametrize(
    "shape",
    [
        # issue 17: one task per "giao" and no stop: the task model read the whole sentence before every clause
        # (2.1 s of CPU at 32,000 characters, minutes at the form's 300,000), the performer's antecedent was
        # looked for in all the text before each task, each trigger searched back for a comma and a past verb
        "giao Sở Y tế và ",
    ],
)
def test_the_reading_around_each_task_grows_with_the_text_not_its_square(shape: str, monkeypatch) -> None:
    small, _ = _work(shape, 250, monkeypatch)
    large, _ = _work(shape, 1000, monkeypatch)
    # linear reading: 4 times the text, about 4 times the characters read (the square would be 16 times)
    assert large <= 5 * small, (small, large)


def test_a_text_of_many_tasks_keeps_each_of_them(monkeypatch) -> None:
    doc = ex.extract("giao Sở Y tế và " * 1000)
    assert len(doc.tasks) == 1000 and all(t.lead == "Sở Y tế" for t in doc.tasks)


@pytest.mark.parametrize("shape", ["Sở Y tế, ", "UBND quận Ba Đình, Hoàn Kiếm, "])
def test_a_long_list_of_bodies_is_read_once_not_again_from_each_member(shape: str, monkeypatch) -> None:
    # "Sở Y tế, " × 900 (8,000 characters) took 8.5 s of CPU: every comma opens a clause and the list was read
    # again from each member to its end. Count the members the unit reader is asked for.
    def units(n: int) -> int:
        calls = {"unit": 0}
        real = ex._unit

        def spy(toks, i):
            calls["unit"] += 1
            return real(toks, i)

        monkeypatch.setattr(ex, "_unit", spy)
        ex.extract(shape * n)
        monkeypatch.undo()
        return calls["unit"]

    small, large = units(100), units(400)
    assert large <= 5 * small, (small, large)


def test_a_list_read_from_a_later_member_is_the_end_of_the_whole_list(monkeypatch) -> None:
    text = "Sở Y tế, Sở Xây dựng, UBND quận Ba Đình, Hoàn Kiếm và Công an thành phố kiểm tra"
    monkeypatch.setattr(ex._SOURCE, "text", text, raising=False)  # the text being read, as extract() sets it
    folded = ex.fold_keep(text)
    toks = ex.tokenize(text, folded)
    whole = ex.parse_performers(toks, 0)
    assert whole is not None
    k = next(i for i, t in enumerate(toks) if t.text == "UBND")
    again = ex.parse_performers(toks, k)  # from the list read above
    fresh = ex.parse_performers(list(toks), k)  # a new token list: read afresh
    assert again is not None and fresh is not None
    assert (again.start, again.end, again.end_tok, again.collective) == (
        fresh.start,
        fresh.end,
        fresh.end_tok,
        fresh.collective,
    )
    assert again.names == fresh.names == ["UBND quận Ba Đình", "UBND quận Hoàn Kiếm", "Công an thành phố"]
    assert again.items == fresh.items and again.siblings == fresh.siblings == {1}


def _steps(text: str) -> int:
    """Python calls (generator steps included) made in the extractor's own code while reading `text`: a count of
    the work that does not depend on the machine or its load."""
    import sys

    count = [0]

    def hook(frame, event, arg):
        if event == "call" and "dondoc/drafting" in frame.f_code.co_filename:
            count[0] += 1

    sys.setprofile(hook)
    try:
        ex.extract(text)
    finally:
        sys.setprofile(None)
    return count[0]


@pytest.mark.parametrize(
    "shape",
    [
        # many clauses cut by ';' in one sentence: each clause was compared with every anchor found before it
        "Sở Y tế báo cáo trước ngày 15/9/2024; ",
        # clauses after commas: each searched the rest of the sentence for its ';'
        "Sở Y tế, Sở Xây dựng kiểm tra; ",
        "giao Sở Y tế và ",
        "Giao Sở Y tế kiểm tra. ",
        "- Sở Y tế kiểm tra\n",
    ],
)
def test_the_extractors_steps_grow_with_the_text_not_its_square(shape: str) -> None:
    small, large = _steps(shape * 200), _steps(shape * 800)
    assert large <= 5 * small, (small, large)
