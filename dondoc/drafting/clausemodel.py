"""The sentence model: a logistic regression that reads every sentence the rules of `extract.py` left without a task
and proposes it as a task when it reads like an assignment (GUIDE §2).

The rules find tasks through anchors (a trigger word, a performer as subject, a bullet under a performer); a task
written in a shape no anchor knows ("Thành phố yêu cầu Sở X …" in a news item, a passive "Danh sách gửi về Sở Z
trước ngày …", a report schedule in bullets) is missed whatever the task model (`taskmodel.py`) makes of the rest.
This model looks at every sentence of the body instead, with generic features of its structure only: where it
stands (bullet, after an action line ending in ':', in the operative part), whether and where a performer is named
and what kind, its first syllables and those after the performer (the verb), mood and reporting words, a date or a
"before" phrase, its length, and the document's shape. It is trained on ALL sentences of the tuning part (label:
the sentence overlaps a gold task), not on the rules' leftovers, so it learns what a task sentence looks like and
not what the rules happen to miss; at run time it is asked only about the sentences no rule task covers, with a
threshold chosen by cross-validation by site (`bench/clausemodel.py`, `make train-clausemodel`).

Pure Python at run time: the weights are a dictionary (`clausemodel.json`), the features a few regular expressions.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from dondoc.drafting import taskmodel

WEIGHTS = Path(__file__).with_name("clausemodel.json")

_SYLLABLE = re.compile(r"[a-z0-9]+")
_MARKER = re.compile(r"\s*(?:[-–—•+*]+|\(?\d{1,2}(?:\.\d{1,2})*[.)]|\(?[a-zđ][).]|[ivx]{1,4}[.)])\s")
_DATE = re.compile(
    r"\d{1,2}\s*[/.-]\s*\d{1,2}|\bngay\s+\d|\bthang\s+\d|\bquy\s+(?:[iv]{1,3}|\d)\b|\bnam\s+(?:19|20)\d\d"
    r"|\bhang\s+(?:nam|thang|quy|tuan)|\bdinh ky\b"
)
_BEFORE = re.compile(r"\b(?:truoc|cham nhat|han chot|thoi han|han cuoi|xong truoc|hoan thanh)\b")
_SENDS = re.compile(r"\b(?:gui|nop)\s+(?:ve|den|toi|cho)?\s*(?:so|bo|ubnd|uy ban|van phong|ban|cuc|phong)\b")
_PAST = re.compile(r"\b(?:da|vua|dang)\s+[a-z]")
ASKS = re.compile(
    r"\b(?:yeu\s*cau|giao(?!\s+(?:duc|thong|dich|luu|ban|nhan|hang|tiep|vien|su|trinh|an|hoi|khu))|de\s*nghi|chi\s*dao|phan\s*cong)\b"
)
_MOODS = (
    "phai",
    "can",
    "khan truong",
    "kip thoi",
    "nghiem tuc",
    "tiep tuc",
    "tang cuong",
    "chu dong",
    "khong",
)


def _bucket(x: float, edges: tuple[float, ...]) -> int:
    return sum(x >= e for e in edges)


def features(
    folded: str,
    s: int,
    e: int,
    *,
    doc: list[str],
    bullet: bool,
    operative: bool,
    lead: tuple[int, int] | None,
    collective: bool,
    index: int,
) -> list[str]:
    """The features of the sentence folded[s:e] (binary, by name). `lead`: the span of the performer named in it
    (None when none); `index`: its place among the document's sentences."""
    sf = folded[s:e]
    m = _MARKER.match(sf)
    head_from = s + (m.end() if m else 0)
    feats = list(doc)
    if bullet or m:
        feats.append("bullet")
    if operative:
        feats.append("operative")
    before = folded[max(0, s - 3) : s].rstrip()
    feats.append("after=" + (before[-1] if before and before[-1] in ".;:" else "other"))
    end = sf.rstrip()[-1:]
    feats.append("end=" + (end if end in ".;:?" else "other"))
    feats.append(f"len={_bucket(len(sf.split()), (6, 12, 25, 50))}")
    feats.append(f"index={_bucket(index, (1, 3, 8))}")
    words = _SYLLABLE.findall(folded[head_from:e])
    if words:
        feats.append("h1=" + words[0])
        feats.append("h2=" + " ".join(words[:2]))
    for w in words[:10]:
        feats.append("w=" + w)
    for a, b in zip(words[:12], words[1:12], strict=False):
        feats.append(f"b={a} {b}")
    if lead is None:
        feats.append("lead=none")
    else:
        at = len(_SYLLABLE.findall(folded[head_from : lead[0]]))
        feats.append(f"lead@{_bucket(at, (1, 4, 10))}")
        if collective:
            feats.append("lead:collective")
        pre = _SYLLABLE.findall(folded[max(head_from, lead[0] - 30) : lead[0]])
        if pre:
            feats.append("lead-after=" + pre[-1])
        verb = _SYLLABLE.findall(folded[lead[1] : min(e, lead[1] + 60)])
        if verb:
            feats.append("v1=" + verb[0])
            feats.append("v2=" + " ".join(verb[:2]))
    head = " ".join(words[:8])
    for w in _MOODS:
        if re.search(rf"(?<![a-z]){w}(?![a-z])", head):
            feats.append("mood=" + w)
    if _PAST.search(head):
        feats.append("past")
    for w in taskmodel._CONTEXT_WORDS:
        if re.search(rf"(?<![a-z]){w}(?![a-z])", sf):
            feats.append("in=" + w)
    if _DATE.search(sf):
        feats.append("date")
        if _BEFORE.search(sf):
            feats.append("date:before")
    if _SENDS.search(sf):
        feats.append("sends")
    if "?" in sf:
        feats.append("question")
    if re.search(r"\d+(?:[.,]\d+)?\s*%", sf):
        feats.append("percent")
    return feats


def fit(samples: list[tuple[list[str], int]], l2: float, epochs: int = 150) -> dict[str, Any]:
    """The task model's logistic regression (deterministic, pure Python) on the sentences."""
    return taskmodel.fit(samples, l2, epochs)


@lru_cache(maxsize=1)
def weights() -> dict[str, Any]:
    """The stored model: {"bias": b, "threshold": t, "weights": {feature: w}} (empty model when absent: then no
    sentence is proposed)."""
    if not WEIGHTS.exists():
        return {"bias": 0.0, "threshold": 1.0, "weights": {}}
    return json.loads(WEIGHTS.read_text(encoding="utf-8"))


def probability(feats: list[str], model: dict[str, Any] | None = None) -> float:
    return taskmodel.probability(feats, model or weights())
