"""The sentence model (issue 17): a logistic regression over every sentence of the body, trained by
bench/clausemodel.py on the tuning part of the labelled corpus; at run time it proposes the sentences no rule task
covers (a passive delivery, a report schedule, a news item's "Thành phố yêu cầu Sở X …") when cross-validation by
site found a threshold that beats the rules. Sentences written for these tests."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dondoc.drafting import clausemodel
from dondoc.drafting import extract as extractor
from dondoc.drafting.extract import LOW_CONFIDENCE, extract

HEAD = "ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\nSố: 123/UBND-KT\nNghệ An, ngày 10 tháng 3 năm 2021\n"
PASSIVE = "Bảng tổng hợp đề nghị khen thưởng của các huyện gửi về Sở Nội vụ trước ngày 15/5/2021."
TEXT = HEAD + "Về việc khen thưởng năm 2021.\n" + PASSIVE + "\n"
# A model that reads a dated delivery to a body as a task (what a trained model learns from "sends", "date:before").
DELIVERY = {"bias": -3.0, "threshold": 0.5, "weights": {"date:before": 2.0, "sends": 2.0}}


def use(monkeypatch: pytest.MonkeyPatch, model: dict[str, Any]) -> None:
    monkeypatch.setattr(clausemodel, "weights", lambda: model)


def test_the_stored_model_is_plain_data_and_small() -> None:
    model = json.loads(clausemodel.WEIGHTS.read_text(encoding="utf-8"))
    assert 0 <= model["threshold"] <= 1 and isinstance(model["bias"], float)
    assert all(isinstance(w, float) for w in model["weights"].values())
    assert "cross_validated" in model and clausemodel.WEIGHTS.stat().st_size < 200_000


def test_a_sentence_no_rule_reads_is_proposed_by_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    assert PASSIVE not in [t.text for t in extract(TEXT).tasks]  # the stored model (empty) proposes nothing
    use(monkeypatch, DELIVERY)
    (task,) = extract(TEXT).tasks
    assert task.text == PASSIVE and task.anchor == "sentence"
    # the rest of the reading applies to it as to any task: its deadline, its confidence shown as "check first"
    assert task.deadline.kind == "date" and task.deadline.as_json()["value"] == "2021-05-15"
    assert task.lead is None  # "về Sở Nội vụ": the addressee of the list, not its performer
    assert task.confidence["task"] < LOW_CONFIDENCE and "task" in task.low_confidence


def test_an_empty_model_proposes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    use(monkeypatch, {"bias": 0.0, "threshold": 1.0, "weights": {}})
    assert PASSIVE not in [t.text for t in extract(TEXT).tasks]


def test_below_the_threshold_nothing_is_proposed(monkeypatch: pytest.MonkeyPatch) -> None:
    use(monkeypatch, {**DELIVERY, "threshold": 0.99})
    assert PASSIVE not in [t.text for t in extract(TEXT).tasks]


def test_what_the_rules_read_and_set_aside_is_not_proposed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    # A general exhortation (GUIDE §2.4): the rules anchor it and drop it; a model that accepts every sentence
    # must not bring it back, nor a background sentence ("Trước đó, …").
    exhortation = "Yêu cầu UBND các xã phối hợp và tổ chức thực hiện."
    background = "Trước đó, UBND tỉnh đã có văn bản yêu cầu các huyện rà soát đất công."
    text = HEAD + background + "\n" + exhortation + "\n"
    use(monkeypatch, {"bias": 5.0, "threshold": 0.5, "weights": {"len=0": 0.0}})
    texts = [t.text for t in extract(text).tasks]
    assert exhortation not in texts and background not in texts


def test_the_loose_reading_and_the_rules_alone_are_left_as_they_were(monkeypatch: pytest.MonkeyPatch) -> None:
    use(monkeypatch, DELIVERY)
    assert PASSIVE not in [t.text for t in extract(TEXT, loose=True).tasks]
    assert PASSIVE not in [t.text for t in extract(TEXT, model=False).tasks]


@pytest.mark.parametrize(
    ("sentence", "performer"),
    [
        # news style: the body after the asking word, not the city that asks
        ("Thành phố yêu cầu Sở Xây dựng kiểm tra các công trình trên địa bàn.", "Sở Xây dựng"),
        ("Sở Y tế tổ chức tiêm chủng cho trẻ em trên địa bàn tỉnh.", "Sở Y tế"),
        # "Giáo dục" holds the syllable "giao" and asks nothing
        ("Sở Giáo dục và Đào tạo rà soát đội ngũ giáo viên.", "Sở Giáo dục và Đào tạo"),
        # a body after "về", "theo", "của": an addressee or a source, not the performer
        ("Báo cáo kết quả gửi về Sở Tài chính trước ngày 10/7.", None),
    ],
)
def test_the_performer_of_a_proposed_sentence(sentence: str, performer: str | None) -> None:
    folded = extractor.fold_keep(sentence)
    toks = extractor.tokenize(sentence, folded)
    extractor._SOURCE.text = sentence
    phrase = extractor._sentence_performer(folded, toks, 0, len(sentence))
    assert (sentence[phrase.start : phrase.end] if phrase else None) == performer


def test_the_features_read_the_structure_not_the_words_alone() -> None:
    folded = extractor.fold_keep(PASSIVE)
    feats = clausemodel.features(
        folded, 0, len(folded), doc=[], bullet=False, operative=True, lead=None, collective=False, index=2
    )
    assert {"date", "date:before", "sends", "lead=none", "operative", "end=."} <= set(feats)
