"""Train and cross-validate the task model (dondoc/drafting/taskmodel.py) on the TUNING part of the labelled corpus.

    python bench/taskmodel.py --corpus ../shared/corpus/dev --corpus bench/corpus/ext --split bench/corpus/split.tsv
    python bench/taskmodel.py ... --frozen e357ae6:260-312 --write   # = make train-taskmodel: also write the weights

Only the documents whose site is in the `tune` part of the split are read (the held-out part is never opened).
Candidates: the tasks of `extract(text, loose=True)` (the rules with their hand filters off), each labelled 1 when
the bench's matching (bench/extract.py `match_tasks`) pairs it with a gold task, else 0. The model is a logistic
regression (L2, full-batch gradient descent from zero, fixed order: deterministic), pure Python.

Cross-validation: the sites are dealt into --folds groups (sorted, round robin); for each group the model is fitted
on the candidates of the other groups and judges the tasks of the rules as the product reads them
(`extract(text, model=False)`) in the documents of the group. Task detection P/R/F1 over all groups, rules only
against rules + model on the same documents, for each L2 strength and threshold of the grid, and the task confidence
(AUC) against the rules' own. --frozen REV:FIRST-LAST adds the rules of an earlier revision on the tuning documents
labelled after it (rules on sources they never saw), pooled with the cross-validation for the choice. --write stores
the pair with the best F1 when it beats the rules (ties: the smaller threshold, then the stronger L2), else threshold
0 with the L2 of the best confidence AUC when that beats the rules' confidence (see bench/README.md), and only when
the margin rule passes: its F1 at least --margin (0.01) above the stored model's, scored on the same documents, those
of the tuning part the stored model was NOT fitted on (its file's `fitted` record, which --write also stores: commit
and document ids; without a record, the --frozen rounds after the commit that stored it; else --write refuses).
--fresh FIRST-LAST keeps the tuning documents with those ids out of every fit and choice above, then scores them once:
the rules alone, the stored model and the retrained one (the chosen pair, fitted on the other documents), with the
margin rule on that set alone (a round labelled after the stored model was fitted: neither model saw it).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from extract import gold_span, load_corpus, match_tasks, read_split  # noqa: E402

from dondoc.drafting import taskmodel  # noqa: E402
from dondoc.drafting.deadlines import fold_keep  # noqa: E402
from dondoc.drafting.extract import extract  # noqa: E402

L2_GRID = (1.0, 3.0, 10.0)
THRESHOLD_GRID = (0.2, 0.3, 0.4, 0.5, 0.6)


def _read(item: dict, loose: bool) -> tuple[list[list[str]], list[tuple[int, int]], list[dict]]:
    document = extract(item["text"], loose=loose, model=False)
    folded = fold_keep(document.text)
    doc = taskmodel.document_features(document.text, folded, document.meta)
    layout = taskmodel.Layout(document.text, folded)
    feats = [
        taskmodel.features(t, document.text, folded, doc, k, layout) for k, t in enumerate(document.tasks)
    ]
    spans = [(t.start, t.end) for t in document.tasks]
    return feats, spans, [{"text": t.text, "hand": t.confidence.get("task", 1.0)} for t in document.tasks]


def prepare(items: list[dict]) -> list[dict]:
    """Per document: loose candidates with labels; the product's rule tasks with their features; the gold spans."""
    out = []
    for item in items:
        gold_tasks = item["label"]["tasks"]
        text = extract(item["text"], model=False).text
        gold = [(g, gold_span(text, g["text"])) for g in gold_tasks]
        lf, lspans, lj = _read(item, loose=True)
        pairs = match_tasks(gold, list(zip(lj, lspans, strict=True)))
        hit = {pi for _, pi in pairs}
        sf, sspans, sj = _read(item, loose=False)
        out.append(
            {
                "key": doc_key(item),
                "site": item["site"],
                "cands": [(f, int(k in hit)) for k, f in enumerate(lf)],
                "loose": list(zip(lf, lspans, lj, strict=True)),
                "tasks": list(zip(sf, sspans, sj, strict=True)),
                "gold": gold,
            }
        )
    return out


def detection(docs: list[dict], keep, which: str = "tasks") -> tuple[int, int, int]:
    tp = fp = fn = 0
    for d in docs:
        pred = [(j, span) for feats, span, j in d[which] if keep(feats)]
        pairs = match_tasks(d["gold"], pred)
        tp += len(pairs)
        fp += len(pred) - len(pairs)
        fn += len(d["gold"]) - len(pairs)
    return tp, fp, fn


def prf(tp: int, fp: int, fn: int) -> str:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"P {p:.3f} R {r:.3f} F1 {f:.3f}  (tp {tp} fp {fp} fn {fn})"


def f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def auc(scored: list[tuple[float, int]]) -> float:
    """The chance that a right task scores above a wrong one (ties count half)."""
    pos = [p for p, y in scored if y]
    neg = [p for p, y in scored if not y]
    if not pos or not neg:
        return 1.0
    wins = sum((p > q) + 0.5 * (p == q) for p in pos for q in neg)
    return wins / (len(pos) * len(neg))


_NAMES = {"tasks": "the product's tasks", "loose": "loose candidates"}


def _labelled(d: dict, which: str, whole: bool = False) -> list[tuple[Any, int]]:
    """The document's tasks (product) or loose candidates, each with 1 when the bench's matching pairs it with a
    gold task; `whole`: the (features, span, json) triple, else the json."""
    rows = d[which]
    hit = {pi for _, pi in match_tasks(d["gold"], [(j, span) for _f, span, j in rows])}
    return [(row if whole else row[2], int(k in hit)) for k, row in enumerate(rows)]


def out_of_fold(docs: list[dict], group: dict[str, int], folds: int, l2: float) -> dict[int, float]:
    """The probability of every product task and loose candidate from the model fitted without its site's group
    (keyed by the id of its feature list)."""
    oof: dict[int, float] = {}
    for g in range(folds):
        model = taskmodel.fit([c for d in docs if group[d["site"]] != g for c in d["cands"]], l2)
        for d in docs:
            if group[d["site"]] == g:
                for feats, _span, _j in d["tasks"] + d["loose"]:
                    oof[id(feats)] = taskmodel.probability(feats, model)
    return oof


def flagged(scored: list[tuple[float, int]], low: float = 0.7) -> str:
    """AUC, and how many wrong and right tasks fall below `low` (extract.LOW_CONFIDENCE: 'check first')."""
    wrong = [v for v, y in scored if not y]
    right = [v for v, y in scored if y]
    return (
        f"AUC {auc(scored):.3f}, below {low}: {sum(v < low for v in wrong)}/{len(wrong)} wrong, "
        f"{sum(v < low for v in right)}/{len(right)} right"
    )


# Run in a new process with the frozen tree first on sys.path: the rules of that revision read each text (given on
# stdin as {key: text}); the features are those of the current taskmodel.py, loaded from its file.
_FROZEN_READ = r"""
import importlib.util, json, sys
sys.path.insert(0, sys.argv[1])
from dondoc.drafting.deadlines import fold_keep
from dondoc.drafting.extract import extract
spec = importlib.util.spec_from_file_location("taskmodel_now", sys.argv[2])
M = importlib.util.module_from_spec(spec)
spec.loader.exec_module(M)
out = {}
for key, text in json.loads(sys.stdin.read()).items():
    d = extract(text)
    f = fold_keep(d.text)
    doc = M.document_features(d.text, f, d.meta)
    out[key] = [[M.features(t, d.text, f, doc, k), [t.start, t.end], t.text] for k, t in enumerate(d.tasks)]
print(json.dumps(out))
"""


def frozen_items(items: list[dict], spec: str) -> list[dict]:
    """The tuning documents a --frozen spec names ("REV:FIRST-LAST", several joined by commas), in its order."""
    chosen = []
    for part in spec.split(","):
        lo, hi = (int(x) for x in part.partition(":")[2].split("-"))
        chosen += [i for i in items if i["id"].isdigit() and lo <= int(i["id"]) <= hi]
    return chosen


def frozen_rules(items: list[dict], spec: str) -> list[dict]:
    """The tuning documents with ids FIRST-LAST as the rules of revision REV read them (spec "REV:FIRST-LAST",
    several joined by commas): documents labelled after that revision were never seen by its rules, so they score
    rules on unseen sources."""
    if "," in spec:
        return [d for part in spec.split(",") for d in frozen_rules(items, part)]
    rev = spec.partition(":")[0]
    chosen = frozen_items(items, spec)
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "archive", rev, "dondoc"], cwd=root, capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
        texts = {f"{i['corpus']}/{i['id']}": i["text"] for i in chosen}
        read = subprocess.run(
            [sys.executable, "-c", _FROZEN_READ, tmp, str(Path(taskmodel.__file__).resolve())],
            input=json.dumps(texts),
            capture_output=True,
            text=True,
            check=True,
        )
    tasks = json.loads(read.stdout)
    docs = []
    for i in chosen:
        text = extract(i["text"], model=False).text
        docs.append(
            {
                "key": doc_key(i),
                "site": i["site"],
                "gold": [(g, gold_span(text, g["text"])) for g in i["label"]["tasks"]],
                "tasks": [(f, tuple(sp), {"text": t}) for f, sp, t in tasks[f"{i['corpus']}/{i['id']}"]],
            }
        )
    return docs


MARGIN = 0.01  # bench/README.md, "margin rule": a retrained model must beat the stored one by this pooled F1


def margin_rule(
    new: tuple[int, int, int], stored: tuple[int, int, int], margin: float = MARGIN
) -> tuple[bool, str]:
    """Whether a retrained model's pooled detection (tp, fp, fn) beats the stored model's on the same pooled set by
    at least `margin` in F1 (the dev corpus's check, `make bench-extract`, is separate), and the line that says so."""
    gain = f1(*new) - f1(*stored)
    ok = gain >= margin - 1e-12
    return ok, (
        f"margin rule: retrained pooled F1 {f1(*new):.3f} - stored {f1(*stored):.3f} = {gain:+.3f} "
        f"({'passes' if ok else 'fails'}: at least {margin:+.3f} needed)"
    )


def write_arguments(ap: argparse.ArgumentParser) -> None:
    """--write and --margin, the same for both trainers."""
    ap.add_argument(
        "--write",
        action="store_true",
        help="fit on the whole tuning part and write the weights, when the margin rule passes",
    )
    ap.add_argument(
        "--margin",
        type=float,
        default=MARGIN,
        help="pooled F1 a retrained model must gain over the stored one before --write replaces it",
    )


def fresh_arguments(ap: argparse.ArgumentParser) -> None:
    """--fresh, the same for both trainers."""
    ap.add_argument(
        "--fresh",
        metavar="FIRST-LAST",
        help="keep the tuning documents with ids FIRST-LAST out of the fit and the choice, then score the stored and "
        "the retrained model on them and apply the margin rule there (no --write)",
    )


def fresh_split(items: list[dict], spec: str) -> tuple[list[dict], list[dict]]:
    """(the documents whose numeric id is outside FIRST-LAST, those inside), each in corpus order."""
    lo, hi = (int(x) for x in spec.split("-"))
    inside = [lo <= int(i["id"]) <= hi if i["id"].isdigit() else False for i in items]
    return [i for i, x in zip(items, inside, strict=True) if not x], [
        i for i, x in zip(items, inside, strict=True) if x
    ]


def pool(*counts: tuple[int, int, int]) -> tuple[int, int, int]:
    """(tp, fp, fn) summed over parts of the pooled set."""
    return tuple(sum(c[k] for c in counts) for k in range(3))  # type: ignore[return-value]


def tuning_items(corpus: list[str] | None, split: str) -> list[dict]:
    """The labelled documents of the corpora whose site is in the split's tuning part (the others are not opened)."""
    parts = read_split(Path(split))
    corpora = [Path(c) for c in (corpus or ["../shared/corpus/dev"])]
    return [i for c in corpora for i in load_corpus(c, False, keep=lambda site: parts.get(site) == "tune")]


def _norm(doc_id: str) -> str:
    return str(int(doc_id)) if doc_id.isdigit() else doc_id


def doc_key(item: dict) -> tuple[str, str]:
    """(corpus folder name, document id without leading zeros): how the fitted record names a document."""
    return item["corpus"], _norm(item["id"])


def id_ranges(ids: list[str]) -> str:
    """Document ids as compact ranges ("1-2,4,6-7"; non-numeric ids listed as they are, after the numbers)."""
    nums = sorted({int(i) for i in ids if i.isdigit()})
    runs: list[list[int]] = []
    for n in nums:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    parts = [f"{a}" if a == b else f"{a}-{b}" for a, b in runs]
    return ",".join(parts + sorted({i for i in ids if not i.isdigit()}))


def parse_ranges(text: str) -> set[str]:
    """The ids an `id_ranges` string names (numbers without leading zeros)."""
    out: set[str] = set()
    for part in filter(None, text.split(",")):
        lo, dash, hi = part.partition("-")
        if dash and lo.isdigit() and hi.isdigit():
            out |= {str(n) for n in range(int(lo), int(hi) + 1)}
        else:
            out.add(_norm(part))
    return out


def _git(*args: str) -> str:
    root = Path(__file__).resolve().parent.parent
    run = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    return run.stdout.strip() if run.returncode == 0 else ""


def fitted_record(items: list[dict]) -> dict[str, Any]:
    """What a written model was fitted on: the commit the trainer ran at and, per corpus, the document ids."""
    corpora = sorted({i["corpus"] for i in items})
    return {
        "commit": _git("rev-parse", "--short", "HEAD") or "unknown",
        "documents": {c: id_ranges([i["id"] for i in items if i["corpus"] == c]) for c in corpora},
    }


def fitted_keys(record: dict[str, Any]) -> set[tuple[str, str]]:
    return {(c, i) for c, text in record["documents"].items() for i in parse_ranges(text)}


def model_commit(path: Path, text: str) -> str:
    """The first commit where the model file had exactly this content (a model restored later keeps the commit it
    was fitted at), or "" when the content was never committed or git is not available."""
    root = Path(__file__).resolve().parent.parent
    rel = str(path.resolve().relative_to(root)) if path.resolve().is_relative_to(root) else ""
    if not rel:
        return ""
    for commit in _git("log", "--reverse", "--format=%H", "--", rel).split():
        if _git("show", f"{commit}:{rel}") == text.strip():
            return commit
    return ""


def unseen_keys(
    stored: dict[str, Any], items: list[dict], frozen: str | None, path: Path, text: str | None = None
) -> tuple[set[tuple[str, str]] | None, str]:
    """The tuning documents the stored model was not fitted on, which alone judge the margin rule, and how they were
    found: from the model file's `fitted` record; without one (files written before it), the --frozen rounds whose
    revision comes after the first commit that stored the file's content (`text`, else the file's); None when
    neither says."""
    if "fitted" in stored:
        seen = fitted_keys(stored["fitted"])
        keys = {doc_key(i) for i in items} - seen
        return (
            keys,
            f"the tuning documents the stored model was not fitted on (commit {stored['fitted']['commit']})",
        )
    if text is None and path.exists():
        text = path.read_text(encoding="utf-8")
    commit = model_commit(path, text) if text is not None else ""
    if not commit or not frozen:
        return (
            None,
            f"{path.name} records no fitted documents and its commit with later --frozen rounds is unknown",
        )
    root = Path(__file__).resolve().parent.parent
    rounds = [
        part
        for part in frozen.split(",")
        if subprocess.run(
            ["git", "merge-base", "--is-ancestor", commit, part.partition(":")[0]],
            cwd=root,
            capture_output=True,
        ).returncode
        == 0
    ]
    if not rounds:
        return (
            None,
            f"{path.name} records no fitted documents and no --frozen round comes after its commit {commit[:7]}",
        )
    keys = {doc_key(i) for i in frozen_items(items, ",".join(rounds))}
    return (
        keys,
        f"the --frozen rounds labelled after the stored model's commit {commit[:7]}: {','.join(rounds)}",
    )


def margin_decision(
    args: argparse.Namespace, score, sets: tuple, retrained: Any, unseen: set, stored_keep, pooled: tuple
) -> tuple[bool, str]:
    """The margin rule. With --write: on the documents the stored model never saw (`unseen` keys), the
    cross-validated and the frozen-rules documents (`sets`) each restricted to them and scored (`score(docs, keep)`
    gives tp, fp, fn) with the retrained model's keeps (`retrained`: out-of-fold probabilities, the model fitted
    without the frozen sites, `probability`, threshold; or True/False, the keep without a model) and the stored one's (`stored_keep`): the same
    readings as the pooled choice, but on its own fitted documents the stored model is in-sample. Without: the
    pooled counts (`pooled`: retrained, stored), for information."""
    if not args.write:
        ok, line = margin_rule(*pooled, args.margin)
        return (
            ok,
            line + " (pooled over the whole tuning part, for information: --write judges unseen documents)",
        )
    if isinstance(retrained, bool):
        keeps = (lambda feats: retrained,) * 2
    else:
        oof, model, probability, threshold = retrained
        keeps = (
            lambda feats: oof[id(feats)] >= threshold,
            lambda feats: probability(feats, model) >= threshold,
        )
    udocs, ufdocs = ([d for d in ds if d["key"] in unseen] for ds in sets)
    new = pool(score(udocs, keeps[0]), score(ufdocs, keeps[1]))
    old = pool(score(udocs, stored_keep), score(ufdocs, stored_keep))
    print(f"unseen by the stored model: {len(udocs)} documents + {len(ufdocs)} read by frozen rules")
    return margin_rule(new, old, args.margin)


def write_set(
    stored: dict[str, Any], items: list[dict], frozen: str | None, path: Path, margin: float
) -> set[tuple[str, str]]:
    """The documents the margin rule of --write is judged on (see `unseen_keys`); refuses (SystemExit) when they are
    unknown or none, unless --margin -1 turns the rule off."""
    keys, how = unseen_keys(stored, items, frozen, path)
    print(f"margin rule set: {how}: {len(keys or ())} documents")
    if not keys and margin > -1:
        why = how if keys is None else f"the stored model was fitted on every tuning document ({how}: none)"
        raise SystemExit(
            f"refused: {why}, so the margin rule has no document the stored model never saw. Hold a newly labelled "
            "round out with --fresh FIRST-LAST (no --write) and, if the retrained model wins there, write with "
            "--margin -1."
        )
    return keys or set()


def write_weights(path: Path, model: dict[str, Any], **about: Any) -> None:
    """Store a fitted model as plain JSON (its description first, then bias and weights, sorted: the same fit gives
    the same file). `fitted` (see `fitted_record`) names the documents; the product reads only bias, threshold and
    weights."""
    out = {**about, "bias": model["bias"], "weights": dict(sorted(model["weights"].items()))}
    text = json.dumps(out, ensure_ascii=False, indent=0) + "\n"
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path} ({len(out['weights'])} weights, {len(text)} bytes)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", action="append", help="a labelled corpus folder (repeatable)")
    ap.add_argument("--split", required=True, help="site -> part file: only the tune part is read")
    ap.add_argument(
        "--folds",
        type=int,
        default=0,
        help="groups of sites for the cross-validation (0: leave one site out)",
    )
    write_arguments(ap)
    ap.add_argument(
        "--frozen",
        metavar="REV:FIRST-LAST[,REV:FIRST-LAST]",
        help="also score the rules of git revision REV on the tuning documents FIRST-LAST labelled after it, alone "
        "and with the model fitted on the other sites; the choice then pools both scores",
    )
    fresh_arguments(ap)
    args = ap.parse_args()
    if args.fresh and args.write:
        ap.error("--fresh holds documents out of the fit: it does not go with --write")
    t0 = time.process_time()
    items = tuning_items(args.corpus, args.split)
    items, fresh = fresh_split(items, args.fresh) if args.fresh else (items, [])
    stored = dict(taskmodel.weights())  # the committed taskmodel.json, read before --write may replace it
    unseen = write_set(stored, items, args.frozen, taskmodel.WEIGHTS, args.margin) if args.write else set()
    docs = prepare(items)
    sites = sorted({d["site"] for d in docs})
    folds = args.folds or len(sites)
    group = {s: k % folds for k, s in enumerate(sites)}
    n_cands = sum(len(d["cands"]) for d in docs)
    n_pos = sum(y for d in docs for _f, y in d["cands"])
    print(
        f"tuning part: {len(docs)} documents, {len(sites)} sites, "
        f"{sum(len(d['gold']) for d in docs)} gold tasks; loose candidates {n_cands} ({n_pos} tasks, "
        f"{n_cands - n_pos} not); {folds} folds by site"
    )
    base = detection(docs, lambda feats: True)
    print(f"rules only (cross-validated = the rules themselves): {prf(*base)}")

    def keep_stored(feats: list[str]) -> bool:
        return not stored["weights"] or taskmodel.probability(feats, stored) >= stored["threshold"]

    stored_det = detection(docs, keep_stored)
    print(
        f"stored model (l2 {stored.get('l2')}, threshold {stored.get('threshold')}; fitted on the tuning part of its "
        f"day, so in-sample on those documents) on the same documents: {prf(*stored_det)}"
    )
    hand = {w: [(j["hand"], y) for d in docs for j, y in _labelled(d, w)] for w in ("tasks", "loose")}
    results: dict[tuple[float, float], tuple[int, int, int]] = {}
    aucs: dict[float, float] = {}
    oofs: dict[float, dict[int, float]] = {}
    fmodels: dict[float, dict[str, Any]] = {}
    fdocs: list[dict] = []
    for l2 in L2_GRID:
        oof = oofs[l2] = out_of_fold(docs, group, folds, l2)
        for thr in THRESHOLD_GRID:
            results[(l2, thr)] = detection(docs, lambda feats, t=thr, p=oof: p[id(feats)] >= t)
            loose = detection(docs, lambda feats, t=thr, p=oof: p[id(feats)] >= t, "loose")
            print(f"rules + model  l2 {l2:<5} threshold {thr:.1f}: {prf(*results[(l2, thr)])}")
            print(f"  loose rules + model (the model instead of the hand filters): {prf(*loose)}")
        for which in ("tasks", "loose"):
            scored = [(oof[id(feats)], y) for d in docs for (feats, _s, _j), y in _labelled(d, which, True)]
            if which == "tasks":
                aucs[l2] = auc(scored)
            print(
                f"  task confidence, {_NAMES[which]}: model {flagged(scored)}; rules {flagged(hand[which])}"
            )
    if args.frozen:
        fdocs = frozen_rules(items, args.frozen)
        fsites = {d["site"] for d in fdocs}
        fbase = detection(fdocs, lambda feats: True)
        print(
            f"frozen rules ({args.frozen}: {len(fdocs)} documents, {sum(len(d['gold']) for d in fdocs)} gold "
            f"tasks, labelled after the rules were written) alone: {prf(*fbase)}"
        )
        for l2 in L2_GRID:
            model = fmodels[l2] = taskmodel.fit(
                [c for d in docs if d["site"] not in fsites for c in d["cands"]], l2
            )
            for thr in THRESHOLD_GRID:
                c = detection(fdocs, lambda feats, m=model, t=thr: taskmodel.probability(feats, m) >= t)
                print(f"  frozen rules + model  l2 {l2:<5} threshold {thr:.1f}: {prf(*c)}")
                results[(l2, thr)] = tuple(a + b for a, b in zip(results[(l2, thr)], c, strict=True))
        fstored = detection(fdocs, keep_stored)
        print(f"  frozen rules + stored model: {prf(*fstored)}")
        base = pool(base, fbase)
        stored_det = pool(stored_det, fstored)
        print(f"pooled (cross-validation + frozen rules): rules only {prf(*base)}")
        print(f"pooled (cross-validation + frozen rules): stored model {prf(*stored_det)}")
    best = max(results, key=lambda k: (f1(*results[k]), -k[1], k[0]))
    print(f"best cross-validated filter: l2 {best[0]} threshold {best[1]}: {prf(*results[best])}")
    if f1(*results[best]) > f1(*base):
        l2, threshold = best
        verdict = f"filter and confidence: drops the rules' tasks below {threshold} ({prf(*results[best])})"
    elif max(aucs.values()) > auc(hand["tasks"]):
        l2, threshold = max(aucs, key=lambda k: (aucs[k], k)), 0.0
        verdict = (
            f"confidence only (no filter beats the rules): AUC {aucs[l2]:.3f} against the rules' "
            f"{auc(hand['tasks']):.3f} on the product's tasks"
        )
    else:
        print("the model beats the rules neither as a filter nor as a confidence: nothing written")
        l2 = threshold = -1.0
    if l2 >= 0:
        print(f"kept: l2 {l2}, threshold {threshold}: {verdict}")
    retrained = (oofs[l2], fmodels.get(l2), taskmodel.probability, threshold) if l2 >= 0 else True
    pooled = (results.get((l2, threshold), base), stored_det)
    passes, line = margin_decision(args, detection, (docs, fdocs), retrained, unseen, keep_stored, pooled)
    print(line)
    if fresh:
        fdocs = prepare(fresh)
        print(
            f"fresh documents ({args.fresh}: {len(fdocs)} documents, {len({d['site'] for d in fdocs})} sites, "
            f"{sum(len(d['gold']) for d in fdocs)} gold tasks; in no fit or choice above):"
        )
        print(f"  rules only: {prf(*detection(fdocs, lambda feats: True))}")
        fstored = detection(fdocs, keep_stored)
        print(f"  stored model (l2 {stored.get('l2')}, threshold {stored.get('threshold')}): {prf(*fstored)}")
        every = [c for d in docs for c in d["cands"]]
        for l2_ in L2_GRID:
            model = taskmodel.fit(every, l2_)
            for thr in THRESHOLD_GRID:
                c = detection(fdocs, lambda feats, m=model, t=thr: taskmodel.probability(feats, m) >= t)
                print(f"  (for information) retrained l2 {l2_:<5} threshold {thr:.1f}: {prf(*c)}")
        if l2 >= 0:
            model = taskmodel.fit(every, l2)
            fnew = detection(fdocs, lambda feats: taskmodel.probability(feats, model) >= threshold)
        else:
            fnew = detection(fdocs, lambda feats: True)
        print(f"  retrained, the chosen pair (l2 {l2}, threshold {threshold}): {prf(*fnew)}")
        print("  on the fresh documents: " + margin_rule(fnew, fstored, args.margin)[1])
    if args.write and l2 >= 0 and not passes:
        print("not written: the retrained model does not pass the margin rule over the stored one")
    if args.write and l2 >= 0 and passes:
        write_weights(
            taskmodel.WEIGHTS,
            taskmodel.fit([c for d in docs for c in d["cands"]], l2),
            about="task model of dondoc/drafting/taskmodel.py, written by bench/taskmodel.py --write",
            trained_on=f"{len(docs)} documents, {len(sites)} sites, {n_cands} candidates (tuning part)",
            fitted=fitted_record(items),
            cross_validated={"folds": folds, "rules": prf(*base), "kept": verdict},
            l2=l2,
            threshold=threshold,
        )
    print(f"cpu time {time.process_time() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
