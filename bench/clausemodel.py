"""Train and cross-validate the sentence model (dondoc/drafting/clausemodel.py) on the TUNING part of the corpus.

    python bench/clausemodel.py --corpus ../shared/corpus/dev --corpus bench/corpus/ext --split bench/corpus/split.tsv
    ... --write   # = make train-clausemodel: also write the weights (clausemodel.json)

Only the documents whose site is in the `tune` part of the split are read (the held-out part is never opened).
Samples: every sentence the extractor reads in the body (`extract.py` `_sentence_tasks` with collection on), labelled
1 when it overlaps a gold task by at least half of the shorter span. The product (rules + task model) reads each
document with the sentence model off; the model then proposes the sentences no rule task covers.

Cross-validation by site: the sites are dealt into --folds groups (sorted, round robin); for each group the model is
fitted on the sentences of the other groups and proposes, in the documents of the group, the uncovered sentences
at or above the threshold. Task detection P/R/F1 over all groups, product alone against product + proposed
sentences, for each L2 strength and threshold of the grid; and the lead F1 of the proposed sentences that match a
gold task (the registry-resolved comparison of bench/extract.py). --write stores the best pair when its F1 beats
the product alone (ties: the higher threshold, then the stronger L2); otherwise an empty model (nothing proposed);
in both cases only when the margin rule passes over the stored model scored on the same documents, the tuning
documents it was not fitted on (`fitted` record, as in bench/taskmodel.py; bench/README.md).
--fresh FIRST-LAST as in bench/taskmodel.py: those tuning documents are in no fit or choice, then scored once.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from extract import gold_span, lead_match, match_tasks  # noqa: E402
from taskmodel import (  # noqa: E402
    doc_key,
    f1,
    fitted_record,
    fresh_arguments,
    fresh_split,
    frozen_items,
    frozen_rules,
    margin_decision,
    margin_rule,
    pool,
    prf,
    tuning_items,
    write_arguments,
    write_set,
    write_weights,
)

from dondoc.drafting import clausemodel  # noqa: E402
from dondoc.drafting import extract as extractor  # noqa: E402

L2_GRID = (1.0, 3.0, 10.0)
THRESHOLD_GRID = (0.5, 0.6, 0.7, 0.8, 0.9)
_EMPTY = {"bias": 0.0, "threshold": 1.0, "weights": {}}


def _overlaps(a: tuple[int, int], b: tuple[int, int] | None) -> bool:
    if b is None:
        return False
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    return inter / (min(a[1] - a[0], b[1] - b[0]) or 1) >= 0.5


def prepare(items: list[dict]) -> list[dict]:
    """Per document: the product's tasks (sentence model off), every sentence with its features, whether a rule
    task covers it and its label, and the gold tasks with their spans."""
    saved = clausemodel.weights
    clausemodel.weights = lambda: _EMPTY  # type: ignore[assignment]
    extractor._SOURCE.collect_sentences = True
    try:
        out = []
        for item in items:
            document = extractor.extract(item["text"])
            gold = [(g, gold_span(document.text, g["text"])) for g in item["label"]["tasks"]]
            sents = [
                (feats, task, covered, int(any(_overlaps((task.start, task.end), gs) for _g, gs in gold)))
                for task, feats, covered in extractor._SOURCE.sentences
            ]
            out.append(
                {
                    "key": doc_key(item),
                    "site": item["site"],
                    "tasks": document.tasks,
                    "sents": sents,
                    "gold": gold,
                    "text": document.text,
                }
            )
        return out
    finally:
        clausemodel.weights = saved  # type: ignore[assignment]
        extractor._SOURCE.collect_sentences = False


def _pred(tasks: list) -> list[tuple[dict, tuple[int, int]]]:
    return [({"text": t.text}, (t.start, t.end)) for t in tasks]


def evaluate(docs: list[dict], keep) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """Detection (tp, fp, fn) of the product plus the kept sentences; lead (tp, fp, fn) over the kept sentences
    that match a gold task."""
    tp = fp = fn = 0
    ltp = lfp = lfn = 0
    for d in docs:
        added = [task for feats, task, covered, _y in d["sents"] if not covered and keep(feats)]
        tasks = d["tasks"] + added
        pairs = match_tasks(d["gold"], _pred(tasks))
        tp += len(pairs)
        fp += len(tasks) - len(pairs)
        fn += len(d["gold"]) - len(pairs)
        n = len(d["tasks"])
        for gi, pi in pairs:
            if pi >= n:  # an added sentence: its lead as named (resolved with the registry by lead_match)
                g, task = d["gold"][gi][0], tasks[pi]
                gl, pl = g["lead"] is not None, task.lead is not None
                ok = gl and pl and lead_match(g, {"lead": task.lead, "lead_list": task.lead_names})
                ltp, lfp, lfn = ltp + int(ok), lfp + int(pl and not ok), lfn + int(gl and not ok)
    return (tp, fp, fn), (ltp, lfp, lfn)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", action="append", help="a labelled corpus folder (repeatable)")
    ap.add_argument("--split", required=True, help="site -> part file: only the tune part is read")
    ap.add_argument("--folds", type=int, default=10, help="groups of sites for the cross-validation")
    write_arguments(ap)
    ap.add_argument(
        "--frozen",
        metavar="REV:FIRST-LAST[,REV:FIRST-LAST]",
        help="also score the rules of git revision REV on the tuning documents FIRST-LAST labelled after it (rules on "
        "sources they never saw), alone and with the sentences proposed by the model fitted on the other sites; "
        "the choice then pools both scores",
    )
    fresh_arguments(ap)
    args = ap.parse_args()
    if args.fresh and args.write:
        ap.error("--fresh holds documents out of the fit: it does not go with --write")
    t0 = time.process_time()
    items = tuning_items(args.corpus, args.split)
    items, fresh = fresh_split(items, args.fresh) if args.fresh else (items, [])
    stored = dict(clausemodel.weights())  # the committed clausemodel.json, read before --write may replace it
    unseen = write_set(stored, items, args.frozen, clausemodel.WEIGHTS, args.margin) if args.write else set()
    docs = prepare(items)
    sites = sorted({d["site"] for d in docs})
    folds = min(args.folds, len(sites))
    group = {s: k % folds for k, s in enumerate(sites)}
    samples = [(feats, y) for d in docs for feats, _t, _c, y in d["sents"]]
    uncovered = [(feats, y) for d in docs for feats, _t, c, y in d["sents"] if not c]
    print(
        f"tuning part: {len(docs)} documents, {len(sites)} sites, {sum(len(d['gold']) for d in docs)} gold tasks; "
        f"{len(samples)} sentences ({sum(y for _f, y in samples)} in a gold task), {len(uncovered)} not covered by "
        f"a rule task ({sum(y for _f, y in uncovered)} in a gold task); {folds} folds by site"
    )
    base, _ = evaluate(docs, lambda feats: False)
    print(f"product alone (rules + task model): {prf(*base)}")

    def keep_stored(feats: list[str]) -> bool:
        return bool(stored["weights"]) and clausemodel.probability(feats, stored) >= stored["threshold"]

    stored_det, stored_lead = evaluate(docs, keep_stored)
    print(
        f"product + stored model (l2 {stored.get('l2')}, threshold {stored.get('threshold')}; fitted on the tuning "
        f"part of its day, so in-sample on those documents): {prf(*stored_det)}; lead of the added: {prf(*stored_lead)}"
    )
    results = {}
    oofs: dict[float, dict[int, float]] = {}
    fmodels: dict[float, dict] = {}
    fdocs: list[dict] = []
    for l2 in L2_GRID:
        oof: dict[int, float] = {}
        oofs[l2] = oof
        for g in range(folds):
            model = clausemodel.fit([s for d in docs if group[d["site"]] != g for s in _samples(d)], l2)
            for d in docs:
                if group[d["site"]] == g:
                    for feats, _t, _c, _y in d["sents"]:
                        oof[id(feats)] = clausemodel.probability(feats, model)
        for thr in THRESHOLD_GRID:
            det, lead = evaluate(docs, lambda feats, t=thr, p=oof: p[id(feats)] >= t)
            results[(l2, thr)] = det
            print(
                f"product + sentences  l2 {l2:<5} threshold {thr:.1f}: {prf(*det)}; lead of the added: {prf(*lead)}"
            )
    if args.frozen:
        fdocs = frozen_docs(items, docs, args.frozen)
        fsites = {d["site"] for d in fdocs}
        fbase, _ = evaluate(fdocs, lambda feats: False)
        print(
            f"frozen rules ({args.frozen}: {len(fdocs)} documents, {sum(len(d['gold']) for d in fdocs)} gold tasks, "
            f"labelled after the rules were written) alone: {prf(*fbase)}"
        )
        for l2 in L2_GRID:
            model = fmodels[l2] = clausemodel.fit(
                [s for d in docs if d["site"] not in fsites for s in _samples(d)], l2
            )
            for thr in THRESHOLD_GRID:
                det, lead = evaluate(
                    fdocs, lambda feats, m=model, t=thr: clausemodel.probability(feats, m) >= t
                )
                print(
                    f"  frozen rules + sentences  l2 {l2:<5} threshold {thr:.1f}: {prf(*det)}; lead of the added: {prf(*lead)}"
                )
                results[(l2, thr)] = tuple(a + b for a, b in zip(results[(l2, thr)], det, strict=True))
        fstored, flead = evaluate(fdocs, keep_stored)
        print(f"  frozen rules + stored model: {prf(*fstored)}; lead of the added: {prf(*flead)}")
        base = pool(base, fbase)
        stored_det = pool(stored_det, fstored)
        print(f"pooled (cross-validation + frozen rules): product alone {prf(*base)}")
        print(f"pooled (cross-validation + frozen rules): product + stored model {prf(*stored_det)}")
        for key, det in results.items():
            print(f"  pooled l2 {key[0]:<5} threshold {key[1]:.1f}: {prf(*det)}")
    best = max(results, key=lambda k: (f1(*results[k]), k[1], k[0]))
    print(f"best cross-validated: l2 {best[0]} threshold {best[1]}: {prf(*results[best])}")
    if f1(*results[best]) > f1(*base):
        l2, threshold = best
        verdict = f"proposes uncovered sentences at or above {threshold}: {prf(*results[best])}"
    else:
        l2, threshold = 0.0, 1.0
        verdict = "no threshold beats the product alone: nothing proposed"
    print("kept: " + verdict)
    retrained = (oofs[l2], fmodels.get(l2), clausemodel.probability, threshold) if threshold < 1.0 else False
    pooled = (results.get((l2, threshold), base), stored_det)
    passes, line = margin_decision(
        args, lambda ds, keep: evaluate(ds, keep)[0], (docs, fdocs), retrained, unseen, keep_stored, pooled
    )
    print(line)
    if fresh:
        fdocs = prepare(fresh)
        print(
            f"fresh documents ({args.fresh}: {len(fdocs)} documents, {len({d['site'] for d in fdocs})} sites, "
            f"{sum(len(d['gold']) for d in fdocs)} gold tasks; in no fit or choice above):"
        )
        print(f"  product alone: {prf(*evaluate(fdocs, lambda feats: False)[0])}")
        fstored, flead = evaluate(fdocs, keep_stored)
        print(f"  + stored model: {prf(*fstored)}; lead of the added: {prf(*flead)}")
        every = [s for d in docs for s in _samples(d)]
        for l2_ in L2_GRID:
            model = clausemodel.fit(every, l2_)
            for thr in THRESHOLD_GRID:
                det, lead = evaluate(
                    fdocs, lambda feats, m=model, t=thr: clausemodel.probability(feats, m) >= t
                )
                print(
                    f"  (for information) + retrained l2 {l2_:<5} threshold {thr:.1f}: {prf(*det)}; lead {prf(*lead)}"
                )
        model = clausemodel.fit(every, l2) if threshold < 1.0 else _EMPTY
        fnew, flead = evaluate(
            fdocs, lambda feats: threshold < 1.0 and clausemodel.probability(feats, model) >= threshold
        )
        print(
            f"  + retrained, the chosen pair (l2 {l2}, threshold {threshold}): {prf(*fnew)}; lead {prf(*flead)}"
        )
        print("  on the fresh documents: " + margin_rule(fnew, fstored, args.margin)[1])
    if args.write and not passes:
        print("not written: the retrained model does not pass the margin rule over the stored one")
    if args.write and passes:
        write_weights(
            clausemodel.WEIGHTS,
            clausemodel.fit(samples, l2) if threshold < 1.0 else {"bias": 0.0, "weights": {}},
            about="sentence model of dondoc/drafting/clausemodel.py, written by bench/clausemodel.py --write",
            trained_on=f"{len(docs)} documents, {len(sites)} sites, {len(samples)} sentences (tuning part)",
            fitted=fitted_record(items),
            cross_validated={"folds": folds, "product": prf(*base), "kept": verdict},
            l2=l2,
            threshold=threshold,
        )
    print(f"cpu time {time.process_time() - t0:.1f} s")
    return 0


def frozen_docs(items: list[dict], docs: list[dict], spec: str) -> list[dict]:
    """The tuning documents FIRST-LAST as the product of revision REV read them (bench/taskmodel.py), with the
    sentences of the current reading, covered or not by REV's tasks."""
    by_key = {f"{i['corpus']}/{i['id']}": d for i, d in zip(items, docs, strict=True)}
    chosen = frozen_items(items, spec)
    out = []
    for i, fd in zip(chosen, frozen_rules(items, spec), strict=True):
        d = by_key[f"{i['corpus']}/{i['id']}"]
        spans = [span for _f, span, _j in fd["tasks"]]
        tasks = [extractor.Task(a, b, d["text"][a:b]) for a, b in spans]
        sents = [
            (feats, task, any(a < task.end and task.start < b for a, b in spans), y)
            for feats, task, _c, y in d["sents"]
        ]
        out.append({"key": d["key"], "site": d["site"], "tasks": tasks, "sents": sents, "gold": d["gold"]})
    return out


def _samples(d: dict) -> list[tuple[list[str], int]]:
    return [(feats, y) for feats, _t, _c, y in d["sents"]]


if __name__ == "__main__":
    raise SystemExit(main())
