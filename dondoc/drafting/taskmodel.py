"""The task model: a logistic regression that judges each task clause the rules of `extract.py` found.

The rules propose; the model keeps a clause when it is likely an assignment (GUIDE §2) and drops it otherwise, and
its probability is the task's confidence (`Task.confidence["task"]`, shown as "check first" below LOW_CONFIDENCE).

Features are read from the clause as the rules left it (how it was anchored, what was found in it) and from the
words around it: the first syllables of the action, what ends the text before it, mood and tense markers (đã,
vừa, đang, sẽ, phải), assigner and reporting words (yêu cầu, giao, chỉ đạo, cho biết, theo), the place in the
document, the length, and whether the document reads like a letter (number, "Nơi nhận") or a news item.

Training: `make train-taskmodel` (bench/taskmodel.py; see bench/README.md) reads the rules' LOOSE candidates (the clauses
the hand filters would set aside kept as well, `extract(..., loose=True)`) of the tuning part of the labelled
corpus, labels each by the bench's matching with the gold tasks, fits the weights and writes `taskmodel.json`
beside this file. Pure Python at run time: a dictionary of weights and a sum.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_left
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dondoc.drafting.extract import Task
    from dondoc.drafting.reader import Metadata

WEIGHTS = Path(__file__).with_name("taskmodel.json")

_SYLLABLE = re.compile(r"[a-z0-9]+")
_MOODS = ("da", "vua", "dang", "se", "phai", "can", "khong", "tiep tuc", "khan truong", "kip thoi")
_CONTEXT_WORDS = (
    "yeu cau",
    "giao",
    "de nghi",
    "chi dao",
    "ket luan",
    "de xuat",
    "kien nghi",
    "cho biet",
    "theo",
    "truoc do",
    "theo do",
    "dong thoi",
    "ngoai ra",
    "ben canh do",
    "nhan manh",
    "luu y",
    "quyet dinh",
    "van ban",
    "cong van",
    "ke hoach",
)
_MARKER = re.compile(r"\s*(?:[-–—•+*]+|\(?\d{1,2}(?:\.\d{1,2})*[.)]|\(?[a-zđ][).])\s")


def _bucket(x: float, edges: tuple[float, ...]) -> int:
    return sum(x >= e for e in edges)


def _has(words: str, w: str) -> bool:
    return re.search(rf"(?<![a-z]){w}(?![a-z])", words) is not None


def document_features(text: str, folded: str, meta: Metadata) -> list[str]:
    """What the whole text looks like: a letter or a news item (shared by every clause of it)."""
    feats = [f"date={meta.date_source or 'none'}", f"doclen={_bucket(len(text), (800, 2000, 5000))}"]
    head = folded[:400]
    if re.search(r"\bso\s*:", head):
        feats.append("doc:number")
    if re.search(r"(?m)^\s*noi nhan\s*:", folded):
        feats.append("doc:noinhan")
    if re.search(r"\bcho biet\b|\bphong vien\b|\banh\s*:", folded):
        feats.append("doc:news")
    return feats


class Layout:
    """Where the lines, sentence stops and quotation marks of one document are, listed once: `features` looks up
    the place of every clause in them instead of searching back through the text for each (a text of thousands of
    clauses on one line cost time growing with the square of its length, issue 17)."""

    def __init__(self, text: str, folded: str) -> None:
        self.newlines = [m.start() for m in re.finditer(r"\n", folded)]
        self.stops = [m.start() for m in re.finditer(r"[.;:\n]", folded)]
        self.quotes = {q: [m.start() for m in re.finditer(q, text)] for q in ("“", "”", '"')}
        lead = re.match(r"\s*", folded)
        self.first_word = lead.end() if lead else 0  # the first character that is no blank
        self.paragraphs = folded.strip().count("\n") > 1

    @staticmethod
    def last_before(positions: list[int], at: int) -> int:
        k = bisect_left(positions, at)
        return positions[k - 1] if k else -1

    def count(self, quote: str, a: int, b: int) -> int:
        found = self.quotes[quote]
        return bisect_left(found, b) - bisect_left(found, a)


#: The syllables before a clause that the features look at (the last 12 of its sentence).
_PREFIX_SYLLABLES = 12


def _prefix_syllables(folded: str, sent_from: int, s: int, layout: Layout) -> list[str]:
    """The last syllables of folded[sent_from:s] (at least _PREFIX_SYLLABLES of them, or all): read from a window
    before s that widens until it holds more than that many, so a clause deep in a long sentence reads a few
    hundred characters, not the whole sentence before it. A window cut inside a word spoils only its first
    syllable, which is never among the last ones kept."""
    width = 256
    while True:
        a = max(sent_from, s - width)
        found = _SYLLABLE.findall(folded, a, s)
        if a == sent_from or len(found) > _PREFIX_SYLLABLES:
            return found if a == sent_from else found[-_PREFIX_SYLLABLES:]
        width *= 4


def features(
    task: Task, text: str, folded: str, doc: list[str], tasks_before: int, layout: Layout | None = None
) -> list[str]:
    """The features of one task clause (binary, by name). `layout`: the document's `Layout` (made here if not
    given; give it when reading many clauses of one text)."""
    layout = layout or Layout(text, folded)
    s, e = task.start, task.end
    tf = folded[s:e]
    body = folded[max(task.body_start, s) : e]
    feats = list(doc)
    feats.append("anchor=" + task.anchor)
    if task.lead is None:
        feats.append("lead=none")
    else:
        feats.extend(sorted({"lead=" + r.status for r in task.resolutions}))
        if task.collective:
            feats.append("lead:collective")
        feats.append(f"leadn={min(len(task.lead_names), 3)}")
    feats.append("dl=" + task.deadline.kind + (":vague" if task.deadline.vague else ""))
    if task.report.get("required"):
        feats.append("report")
    if task.submit:
        feats.append("submit")
    if task.coordinators:
        feats.append("coord")
    if task.requirements:
        feats.append("requirements")
    # Where it stands: the start of its paragraph or inside a sentence, a list item, the first clause found.
    line_from = layout.last_before(layout.newlines, s) + 1
    k = s
    while k > line_from and folded[k - 1].isspace():
        k -= 1
    feats.append("at=line" if k == line_from else "at=inside")  # only blanks before it on its line
    if _MARKER.match(folded, line_from):
        feats.append("bullet")
    sent_from = layout.last_before(layout.stops, s) + 1
    p_syl = _prefix_syllables(folded, sent_from, s, layout)
    if p_syl:
        feats.append("after=" + (folded[sent_from - 1] if sent_from else "^"))
    feats.append(f"first={min(tasks_before, 2)}")
    if layout.paragraphs:  # a place in a text of one paragraph tells nothing
        feats.append(f"pos={_bucket(s / max(len(folded), 1), (0.1, 0.3, 0.6))}")
        if layout.first_word >= line_from:
            feats.append("first paragraph")
    n_words = len(tf.split())
    feats.append(f"len={_bucket(n_words, (8, 15, 30, 60))}")
    end = text[s:e].rstrip()[-1:]
    feats.append("end=" + (end if end in ".;:" else "other"))
    quotes = (
        layout.count("“", line_from, s)
        - layout.count("”", line_from, s)
        + layout.count('"', line_from, s) % 2
    )
    if quotes > 0:
        feats.append("quoted")
    # The action: its first syllables, its mood, what it talks about.
    b_syl = _SYLLABLE.findall(body)
    if b_syl:
        feats.append("h1=" + b_syl[0])
        feats.append("h2=" + " ".join(b_syl[:2]))
    for a, b in zip(b_syl[:8], b_syl[1:8], strict=False):
        feats.append(f"b2={a} {b}")
    for w in p_syl[-3:]:
        feats.append("p1=" + w)
    head = " ".join(b_syl[:6])
    for w in _MOODS:
        if _has(head, w):
            feats.append("mood=" + w)
    around = " ".join(p_syl[-12:])
    for w in _CONTEXT_WORDS:
        if _has(around, w):
            feats.append("pre=" + w)
        if _has(tf, w):
            feats.append("in=" + w)
    if re.search(r"\d+(?:[.,]\d+)?\s*%", tf):
        feats.append("percent")
    if re.search(r"\b(?:ty|trieu|nghin)\s+dong\b", tf):
        feats.append("money")
    return feats


MIN_COUNT = 2


def fit(samples: list[tuple[list[str], int]], l2: float, epochs: int = 300) -> dict[str, Any]:
    """Logistic regression by full-batch gradient descent (Adagrad steps, from zero, in a fixed order: the same
    samples give the same weights) on the total log loss + l2/2 |w|²; a feature seen in fewer than MIN_COUNT
    samples gets no weight. Used by bench/taskmodel.py."""
    counts: dict[str, int] = {}
    for feats, _y in samples:
        for f in set(feats):
            counts[f] = counts.get(f, 0) + 1
    names = sorted(f for f, c in counts.items() if c >= MIN_COUNT)
    index = {f: i for i, f in enumerate(names)}
    rows = [(sorted({index[f] for f in feats if f in index}), y) for feats, y in samples]
    w = [0.0] * len(names)
    b = 0.0
    gsq = [1e-8] * len(names)
    bsq = 1e-8
    rate = 0.5
    for _ in range(epochs):
        grad = [l2 * x for x in w]
        gb = 0.0
        for idx, y in rows:
            z = b + sum(w[i] for i in idx)
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            d = p - y
            gb += d
            for i in idx:
                grad[i] += d
        for i, g in enumerate(grad):
            gsq[i] += g * g
            w[i] -= rate * g / math.sqrt(gsq[i])
        bsq += gb * gb
        b -= rate * gb / math.sqrt(bsq)
    return {
        "bias": round(b, 4),
        "weights": {f: round(w[i], 4) for f, i in index.items() if abs(w[i]) >= 0.005},
    }


@lru_cache(maxsize=1)
def weights() -> dict[str, Any]:
    """The stored model: {"bias": b, "threshold": t, "weights": {feature: w}} (empty model when absent)."""
    if not WEIGHTS.exists():
        return {"bias": 0.0, "threshold": 0.0, "weights": {}}
    return json.loads(WEIGHTS.read_text(encoding="utf-8"))


def probability(feats: list[str], model: dict[str, Any] | None = None) -> float:
    model = model or weights()
    w = model["weights"]
    z = model["bias"] + sum(w.get(f, 0.0) for f in feats)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def judge(
    tasks: list[Task], text: str, folded: str, meta: Metadata, model: dict[str, Any] | None = None
) -> list[Task]:
    """Keep the clauses the model (the stored one by default) finds likely, probability at least its threshold
    (0 when cross-validation found no threshold that beats the rules: then it only sets confidence); each kept
    clause takes the probability as its task confidence."""
    model = model or weights()
    if not model["weights"]:
        return tasks
    doc = document_features(text, folded, meta)
    layout = Layout(text, folded)
    kept = []
    for k, task in enumerate(tasks):
        if task.anchor == "sentence":
            kept.append(task)  # proposed by the sentence model (clausemodel.py), which judged it already
            continue
        p = probability(features(task, text, folded, doc, k, layout), model)
        if p < model["threshold"]:
            continue
        task.confidence["task"] = p
        kept.append(task)
    return kept
