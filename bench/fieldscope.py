"""Where the deadline, report and submit errors of the TUNING part come from, and what a learned choice could learn.

    python bench/fieldscope.py --corpus ../shared/corpus/dev --corpus bench/corpus/ext --split bench/corpus/split.tsv

Only the documents whose site is in the `tune` part of the split are read (the held-out part is never opened).

1. Field F1 as bench/extract.py scores it (over the pairs of matched tasks only: a field of a missed or spurious task
   counts neither way) against end to end (a missed gold task that carries the field is a false negative, a spurious
   task that carries it a false positive): how much of each field's error is task detection's.
2. The deadline choice a learned component would make: for every matched task, the distinct times the deadline
   grammar reads in the clauses of its own text (a contested choice when there are two or more) and, for a task left
   undated, the first time in the text after it up to the next task (at most 400 characters): how many such choices
   there are, how many the rules get right, how many a perfect chooser could get right. Few contested choices means
   nothing for a model to learn or to be validated on, whatever its features.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from extract import PRF, gold_span, load_corpus, match_tasks, read_split, value_match  # noqa: E402

from dondoc.drafting import deadlines as dl  # noqa: E402
from dondoc.drafting.deadlines import fold_keep  # noqa: E402
from dondoc.drafting.extract import extract  # noqa: E402

FIELDS = ("deadline value", "report flag", "submit flag")


def _has(field: str, t: dict) -> bool:
    if field == "deadline value":
        return t["deadline"]["kind"] != "none"
    if field == "report flag":
        return bool(t["report"]["required"])
    return bool(t.get("submit"))


def _right(field: str, g: dict, p: dict) -> bool:
    if field == "deadline value":
        return g["deadline"]["kind"] == p["deadline"]["kind"] and value_match(g["deadline"], p["deadline"])
    return _has(field, g) == _has(field, p)


def _times(folded: str, text: str, a: int, b: int, ref) -> list[dl.Deadline]:
    out = []
    for m in re.finditer(r"[^.;\n]+", folded[a:b]):
        s, e = a + m.start(), a + m.end()
        d = dl.parse_folded(folded[s:e], text[s:e], ref)
        if d.kind != "none" and not d.vague:
            out.append(d)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", action="append", required=True)
    ap.add_argument("--split", required=True)
    args = ap.parse_args()
    parts = read_split(Path(args.split))
    items = [
        i for c in args.corpus for i in load_corpus(Path(c), False, lambda site: parts.get(site) == "tune")
    ]
    matched = {f: PRF() for f in FIELDS}
    e2e = {f: PRF() for f in FIELDS}
    contested = contested_right = contested_possible = 0
    following = following_right = following_taken = 0
    n_pairs = 0
    for item in items:
        doc = extract(item["text"])
        text, folded = doc.text, fold_keep(doc.text)
        pj = doc.as_json()["tasks"]
        pred = [(p, (t.start, t.end)) for p, t in zip(pj, doc.tasks, strict=True)]
        gold = [(g, gold_span(text, g["text"])) for g in item["label"]["tasks"]]
        pairs = match_tasks(gold, pred)
        n_pairs += len(pairs)
        mg, mp = {gi for gi, _ in pairs}, {pi for _, pi in pairs}
        for f in FIELDS:
            for gi, (g, _s) in enumerate(gold):
                if gi not in mg and _has(f, g):
                    e2e[f].add(fn=1)
            for pi, (p, _s) in enumerate(pred):
                if pi not in mp and _has(f, p):
                    e2e[f].add(fp=1)
            for gi, pi in pairs:
                g, p = gold[gi][0], pred[pi][0]
                gh, ph, ok = _has(f, g), _has(f, p), _right(f, g, p)
                for prf in (matched[f], e2e[f]):
                    prf.add(
                        tp=int(gh and ph and ok),
                        fp=int(ph and not (gh and ok)),
                        fn=int(gh and not (ph and ok)),
                    )
        for gi, pi in pairs:
            g, task = gold[gi][0], doc.tasks[pi]
            own = {str(d.value): d for d in _times(folded, text, task.start, task.end, doc.meta.date)}
            if len(own) >= 2:
                contested += 1
                contested_right += value_match(g["deadline"], pj[pi]["deadline"])
                contested_possible += any(value_match(g["deadline"], d.as_json()) for d in own.values())
            if task.deadline.kind == "none" and not task.deadline.vague:
                upto = min([task.end + 400, len(text)] + [u.start for u in doc.tasks if u.start > task.start])
                after = _times(folded, text, task.end, upto, doc.meta.date)
                if after:
                    following += 1
                    following_right += g["deadline"]["kind"] == "none"  # the rules leave it undated
                    following_taken += value_match(g["deadline"], after[0].as_json())
    sites = len({i["site"] for i in items})
    print(f"TUNING part: {len(items)} documents, {sites} sites, {n_pairs} matched tasks")
    print(f"{'field':<22} {'P':>6} {'R':>6} {'F1':>6}")
    for f in FIELDS:
        print(matched[f].row(f + " (matched)"))
        print(e2e[f].row(f + " (end to end)"))
    print(
        f"deadline choice: {contested} matched tasks with two or more distinct times in their clauses; the rules "
        f"right on {contested_right}, a perfect chooser on {contested_possible}"
    )
    print(
        f"undated tasks with a time in the text after them: {following}; left undated rightly "
        f"(gold has none) {following_right}; the first of those times is the gold deadline in {following_taken}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
