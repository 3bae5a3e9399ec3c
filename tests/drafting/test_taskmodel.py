"""The task model (issue 17): a logistic regression over the rules' task clauses, trained by bench/taskmodel.py on
the tuning part of the labelled corpus. Its probability is the task's confidence; with a threshold it drops the
clauses below it. Sentences written for these tests."""

from __future__ import annotations

import json

from dondoc.drafting import taskmodel
from dondoc.drafting.deadlines import fold_keep
from dondoc.drafting.extract import LOW_CONFIDENCE, extract

HEAD = "ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\nSố: 123/UBND-KT\nNghệ An, ngày 10 tháng 3 năm 2021\n"
ORDER = "Giao Sở Giao thông vận tải chủ trì, phối hợp với Sở Tài chính rà soát các tuyến đường, báo cáo UBND tỉnh trước ngày 30/4/2021."


def probabilities(text: str, loose: bool = False) -> dict[str, float]:
    """Each clause the rules read (all candidates when loose) with the stored model's probability."""
    document = extract(text, loose=loose, model=False)
    folded = fold_keep(document.text)
    doc = taskmodel.document_features(document.text, folded, document.meta)
    return {
        t.text: taskmodel.probability(taskmodel.features(t, document.text, folded, doc, k))
        for k, t in enumerate(document.tasks)
    }


def test_the_stored_model_is_plain_data_and_small() -> None:
    model = json.loads(taskmodel.WEIGHTS.read_text(encoding="utf-8"))
    assert 0 <= model["threshold"] < 1 and isinstance(model["bias"], float)
    assert 50 <= len(model["weights"]) <= 5000
    assert all(isinstance(w, float) for w in model["weights"].values())
    assert taskmodel.WEIGHTS.stat().st_size < 100_000


def test_the_task_confidence_is_the_models_probability() -> None:
    (task,) = extract(HEAD + ORDER).tasks
    (p,) = probabilities(HEAD + ORDER).values()
    assert task.confidence["task"] == p
    # without the model the rules' own confidence stands (by how the clause was anchored)
    (rules,) = extract(HEAD + ORDER, model=False).tasks
    assert rules.confidence["task"] == 0.9


def test_a_dated_order_to_a_named_department_is_sure() -> None:
    (p,) = probabilities(HEAD + ORDER).values()
    assert p >= LOW_CONFIDENCE


def test_an_account_of_what_a_body_did_scores_below_an_order() -> None:
    # A news item: the department's past acts, then the order it gave. The loose reading proposes both clauses.
    text = (
        "Sở Y tế tỉnh đã tổ chức hội nghị tổng kết công tác phòng chống dịch năm 2020.\n"
        "Tại hội nghị, Sở Y tế vừa có văn bản gửi các bệnh viện về việc chuẩn bị thuốc.\n"
        "Giám đốc Sở Y tế yêu cầu các bệnh viện tuyến huyện bố trí đủ giường bệnh, báo cáo Sở Y tế trước "
        "ngày 15/3/2021.\n"
    )
    scored = probabilities(text, loose=True)
    past = [p for clause, p in scored.items() if "đã tổ chức" in clause or "vừa có văn bản" in clause]
    order = [p for clause, p in scored.items() if "bố trí đủ giường" in clause]
    assert past and order
    assert max(past) < 0.5 <= order[0]


def test_a_threshold_drops_the_clauses_below_it() -> None:
    text = HEAD + ORDER + "\nCác cấp, các ngành tiếp tục phát huy vai trò trong cải cách hành chính.\n"
    document = extract(text, model=False)
    folded = fold_keep(document.text)
    model = dict(taskmodel.weights())
    scored = probabilities(text)
    assert len(scored) == 2
    cut = (max(scored.values()) + min(scored.values())) / 2
    kept = taskmodel.judge(document.tasks, document.text, folded, document.meta, {**model, "threshold": cut})
    assert [t.text for t in kept] == [max(scored, key=scored.__getitem__)]
    assert kept[0].confidence["task"] == max(scored.values())


def test_the_loose_reading_keeps_what_the_hand_filters_set_aside() -> None:
    # A meeting the department held, reported: no task of the product; a candidate of the loose reading.
    text = HEAD + "Sở Y tế tổ chức hội nghị tổng kết công tác phòng chống dịch năm 2020.\n" + ORDER + "\n"
    strict = [t.text for t in extract(text).tasks]
    loose = [t.text for t in extract(text, loose=True).tasks]
    assert strict == [ORDER]
    assert len(loose) == 2 and ORDER in loose


def test_fitting_is_deterministic_and_learns_the_signal() -> None:
    samples = [(["anchor=trigger", "dl=date", f"w{k % 3}"], 1) for k in range(12)]
    samples += [(["anchor=subject", "mood=da", f"w{k % 3}"], 0) for k in range(12)]
    first, again = taskmodel.fit(samples, l2=1.0), taskmodel.fit(samples, l2=1.0)
    assert first == again
    assert first["weights"]["anchor=trigger"] > 0 > first["weights"]["mood=da"]
    assert taskmodel.probability(["anchor=trigger", "dl=date"], {**first, "threshold": 0}) > 0.9
