"""Score the task extractor against a labelled corpus (GUIDE.md rules) and measure its speed.

    python bench/extract.py --corpus ../shared/corpus/dev --corpus bench/corpus/ext --split bench/corpus/split.tsv

Definitions
-----------
Task detection. Every gold task's `text` is located in its document (after collapsing whitespace) to get a
character span; every predicted task has its own span. A predicted and a gold task are a candidate pair when
their spans overlap by at least 50% of the shorter one; pairs are then taken one-to-one, best character IoU
first. Unmatched gold tasks are false negatives, unmatched predictions false positives: precision, recall, F1.

Per-field scores, over the matched pairs only (each a P/R/F1 with the "positive" defined per field):

* lead — positive = a lead is given. A pair is a true positive when both leads resolve to the same set of
  units (each member of `lead_list` resolved with the registry: person titles stripped, abbreviations
  expanded, former units mapped to successors, so "Giám đốc Sở Xây dựng" = "Sở Xây dựng"), or when both are
  collective and their wordings share at least half their words. A wrong lead counts as FP and FN.
* coordinators — micro-averaged over the listed bodies; a predicted body matches a gold one when they resolve to
  the same unit or share at least 60% of their words (one-to-one).
* deadline kind — positive = kind is not "none"; TP when both kinds are equal and not none.
* deadline value — positive = kind is not "none"; TP when kinds are equal and the canonical values are equal:
  the first ISO token of the value (YYYY-MM-DD[THH:MM], YYYY-Qn, YYYY-Hn, YYYY-MM, YYYY/YYYY, --MM-DD); for
  recurring deadlines the frequency (monthly, annually, ...) and the day of the month when both give one;
  values with no such token (an event, a season) match on the kind alone.
* report, submit — binary flags `report.required` and `submit`.
* issue flags — micro-averaged over (task, flag) for the GUIDE §4.7 vocabulary, with `collective_lead` counted
  as `multiple_leads` (GUIDE §4.3: a collective lead counts as several leads). Per-flag lines follow.

Blind diagnostic (printed for every part, the held-out one included: counts only, never an id, a text or a value).
Deadline outcome of the matched pairs: missing (gold has one, none predicted), other kind (date / period / recurring /
vague / none; a "none" deadline flagged vague_deadline is "vague"), wrong value, right, spurious (predicted where
gold has none), both none; the kind confusions gold>pred. For every gold deadline (and for the missing ones apart),
where its `raw` phrase sits, taking the occurrence nearest the gold task: inside the predicted task, inside the gold
task only, after it in the same sentence / in the same paragraph / in the next paragraph, before it in the same
paragraph / in the paragraph before, elsewhere, not found. Missed gold tasks by shape (first that applies): list
item, asking verb ("yêu cầu", "giao", "đề nghị") just before or at its start, performer at its start (the
extractor's parser), another ordering verb, no ordering verb.

Speed: documents per second over the whole corpus, single process, best of several passes. CLI start: the wall time
of `dondoc check FILE` (a new process: interpreter, imports, the database reads when there is one, one document).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dondoc.core.text import fold  # noqa: E402
from dondoc.drafting.extract import extract  # noqa: E402
from dondoc.drafting.registry import canon_key, get_registry  # noqa: E402

FLAGS = [
    "no_lead",
    "multiple_leads",
    "no_deadline",
    "vague_deadline",
    "no_report_deadline",
    "deadline_before_issue_date",
]


class PRF:
    def __init__(self) -> None:
        self.tp = self.fp = self.fn = 0

    def add(self, tp: int = 0, fp: int = 0, fn: int = 0) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    def row(self, name: str) -> str:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return f"{name:<22} {p:6.3f} {r:6.3f} {f:6.3f}   tp={self.tp:<4} fp={self.fp:<4} fn={self.fn:<4}"


def _norm_map(text: str) -> tuple[str, list[int]]:
    out: list[str] = []
    idx: list[int] = []
    prev_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if prev_space:
                continue
            out.append(" ")
            idx.append(i)
            prev_space = True
        else:
            out.append(ch)
            idx.append(i)
            prev_space = False
    return "".join(out), idx


def gold_span(doc: str, quote: str) -> tuple[int, int] | None:
    norm, idx = _norm_map(doc)
    q = " ".join(quote.split())
    pos = norm.find(q)
    if pos < 0:
        return None
    return idx[pos], idx[pos + len(q) - 1] + 1


def words(s: str | None) -> set[str]:
    return set(re.findall(r"\w+", fold(s or "")))


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


def unit_key(name: str) -> str:
    res = get_registry().resolve(name)
    return res.code or canon_key(res.name)


def lead_match(g: dict, p: dict) -> bool:
    gk = {unit_key(x) for x in g.get("lead_list") or [g["lead"]]}
    pk = {unit_key(x) for x in p.get("lead_list") or [p["lead"]]}
    if gk == pk:
        return True
    g_coll = "collective_lead" in g.get("issues", [])
    p_coll = "collective_lead" in p.get("issues", [])
    return g_coll and p_coll and jaccard(words(g["lead"]), words(p["lead"])) >= 0.5


_FREQUENCY = {
    "month": "monthly",
    "thang": "monthly",
    "quarter": "quarterly",
    "quy": "quarterly",
    "week": "weekly",
    "tuan": "weekly",
    "annual": "annually",
    "year": "annually",
    "nam": "annually",
}


def canon_value(d: dict | None) -> tuple[str, ...]:
    if not d or d.get("kind") in (None, "none"):
        return ("none",)
    kind = d["kind"]
    value = str(d.get("value") or "")
    if kind == "recurring":
        f = fold(value)
        # The frequency is the first frequency word of the value ("annually, day 10, month 07" is yearly, not
        # monthly: the month is the day's month).
        # Every six months is its own frequency, however written ("semiannually", "every 6 months", "half-yearly",
        # "6 tháng"), not a monthly one ("every 6 months" read as "month") nor an unspecified one.
        first = re.search(
            r"\b(semiannual|semi-annual|half-year|every (?:6|six) months?|dinh ky (?:6|sau) thang|(?:6|sau) thang (?:mot lan|/ ?lan)"
            r"|month|thang|quarter|quy|week|tuan|annual|year|nam)",
            f,
        )
        freq = _FREQUENCY.get(first.group(1), "semiannually") if first else "unspecified"
        day = re.search(r"(?:day|ngay)\s*(\d{1,2})|(\d{1,2})(?:st|nd|rd|th)", f)
        return (kind, freq, (day.group(1) or day.group(2)) if day else "")
    m = re.search(
        r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2})?|\d{4}-(?:Q[1-4]|H[12])|\d{4}-\d{2}|\d{4}/\d{4}|--\d{2}-\d{2}",
        value,
    )
    return (kind, m.group(0) if m else "")


def value_match(g: dict | None, p: dict | None) -> bool:
    cg, cp = canon_value(g), canon_value(p)
    if cg[0] != cp[0]:
        return False
    if cg[0] == "recurring":
        return cg[1] == cp[1] and (not cg[2] or not cp[2] or cg[2] == cp[2])
    return cg == cp


def flags(t: dict) -> set[str]:
    out = set(t.get("issues", []))
    if "collective_lead" in out:
        out.discard("collective_lead")
        out.add("multiple_leads")
    return out & set(FLAGS)


def match_tasks(gold: list[tuple[dict, tuple[int, int] | None]], pred: list[tuple[dict, tuple[int, int]]]):
    cands = []
    for gi, (g, gs) in enumerate(gold):
        for pi, (p, ps) in enumerate(pred):
            if gs is None:
                score = jaccard(words(g["text"]), words(p["text"]))
                if score >= 0.5:
                    cands.append((score, gi, pi))
                continue
            inter = max(0, min(gs[1], ps[1]) - max(gs[0], ps[0]))
            shorter = min(gs[1] - gs[0], ps[1] - ps[0]) or 1
            if inter / shorter >= 0.5:
                union = max(gs[1], ps[1]) - min(gs[0], ps[0])
                cands.append((inter / union, gi, pi))
    cands.sort(reverse=True)
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _score, gi, pi in cands:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gi, pi))
    return pairs


# ---------------------------------------------------------------------------------------------------------------
# Blind diagnostic: counts only (never a document id, a text or a value), so it may be printed for the held-out part.

DEADLINE_OUTCOMES = ("missing", "other kind", "wrong value", "right", "spurious", "both none")
RAW_PLACES = (
    "in predicted task",
    "in gold task only",
    "after, same sentence",
    "after, same paragraph",
    "next paragraph",
    "before, same paragraph",
    "earlier paragraph",
    "elsewhere",
    "raw not found",
)
MISSED_SHAPES = (
    "bullet item",
    "news-style verb",
    "performer first",
    "other ordering verb",
    "no ordering verb",
)

_ORDERING = re.compile(
    r"\b(?:yeu cau|de nghi|giao|chi dao|chu tri|co trach nhiem|chiu trach nhiem|phu trach|khan truong|phai|can"
    r"|tham muu|thuc hien|trien khai|to chuc|xay dung|hoan thanh|tang cuong|tiep tuc|bao cao|phoi hop)\b"
)
_NEWS_VERB = re.compile(r"\b(?:yeu cau|giao|de nghi)\b")
_SENTENCE_END = re.compile(r"[.;!?](?=\s)")


def deadline_kind(d: dict | None, issues: list[str] | None = None) -> str:
    """date / period / recurring / vague / none: a 'none' deadline with the vague_deadline flag counts as vague."""
    kind = (d or {}).get("kind") or "none"
    if kind == "none" and "vague_deadline" in (issues or []):
        return "vague"
    return str(kind)


def deadline_outcome(g: dict, p: dict) -> str:
    """One of DEADLINE_OUTCOMES for a matched (gold, predicted) pair."""
    gk, pk = deadline_kind(g["deadline"], g.get("issues")), deadline_kind(p["deadline"], p.get("issues"))
    if gk in ("none", "vague"):
        if pk in ("none", "vague"):
            return "both none" if gk == pk else "other kind"
        return "spurious"
    if pk == "none":
        return "missing"
    if pk != gk:
        return "other kind"
    return "right" if value_match(g["deadline"], p["deadline"]) else "wrong value"


def locate_near(doc: str, quote: str, near: tuple[int, int]) -> tuple[int, int] | None:
    """The occurrence of `quote` in `doc` (whitespace collapsed) that overlaps or lies closest to the span `near`."""
    norm, idx = _norm_map(doc)
    q = " ".join(quote.split())
    if not q:
        return None
    best: tuple[int, int] | None = None
    best_gap = 0
    pos = norm.find(q)
    while pos >= 0:
        s, e = idx[pos], idx[pos + len(q) - 1] + 1
        gap = max(0, near[0] - e, s - near[1])
        if best is None or gap < best_gap:
            best, best_gap = (s, e), gap
        pos = norm.find(q, pos + 1)
    return best


def raw_place(doc: str, raw: str | None, gs: tuple[int, int], ps: tuple[int, int] | None) -> str:
    """Where a gold deadline's raw phrase sits relative to the task: one of RAW_PLACES."""
    span = locate_near(doc, raw or "", gs)
    if span is None:
        return "raw not found"
    s, e = span
    if ps is not None and ps[0] <= s and e <= ps[1]:
        return "in predicted task"
    if gs[0] <= s and e <= gs[1]:
        return "in gold task only"
    if s >= gs[1] or (e > gs[1] and s >= gs[0]):
        between = doc[gs[1] : max(gs[1], s)]
        breaks = between.count("\n") if between.strip() else 0
        if breaks == 0:
            # the task's own last character counts: a task that ends with its sentence's full stop
            ended = _SENTENCE_END.search(doc[max(gs[0], gs[1] - 1) : max(gs[1], s)])
            return "after, same paragraph" if ended else "after, same sentence"
        # the next paragraph: one run of line breaks, no other text line between
        lines = [line for line in between.split("\n")[1:-1] if line.strip()]
        return "next paragraph" if not lines else "elsewhere"
    between = doc[min(e, gs[0]) : gs[0]]
    if "\n" not in between:
        return "before, same paragraph"
    return "earlier paragraph" if between.count("\n") <= 2 else "elsewhere"


def missed_shape(doc: str, g: dict, gs: tuple[int, int] | None) -> str:
    """The coarse shape of a missed gold task, from code-computed features only: one of MISSED_SHAPES (the first that
    applies): its line starts with a list marker; an asking verb ("yêu cầu", "giao", "đề nghị") in the 80 characters
    before it on its line or in its first 120; a performer (the extractor's own parser) at its start; an ordering
    verb anywhere in it; none of these."""
    from dondoc.drafting.deadlines import fold_keep
    from dondoc.drafting.extract import _MARKER, _SOURCE, parse_performers, tokenize

    text = " ".join(g["text"].split())
    line_head = doc[doc.rfind("\n", 0, gs[0]) + 1 : gs[0]] if gs is not None else ""
    if _MARKER.match(fold(line_head + " " + text)) and (
        not line_head.strip() or _MARKER.fullmatch(fold(line_head))
    ):
        return "bullet item"
    marker = _MARKER.match(fold_keep(text))
    body = text[marker.end() :] if marker else text
    if _NEWS_VERB.search(fold(line_head)[-80:] + " " + fold(body)[:120]):
        return "news-style verb"
    if body:
        # the parser reads the text being extracted from a thread-local; give it this sentence, then put it back
        saved = dict(vars(_SOURCE))
        _SOURCE.text, _SOURCE.loose = body, False
        try:
            performer = parse_performers(tokenize(body, fold_keep(body)), 0)
        finally:
            vars(_SOURCE).clear()
            vars(_SOURCE).update(saved)
        if performer is not None:
            return "performer first"
    return "other ordering verb" if _ORDERING.search(fold(body)) else "no ordering verb"


class Diagnostic:
    """The blind diagnostic's counters for one set of documents (see `diagnostic_rows`)."""

    def __init__(self) -> None:
        self.outcome = dict.fromkeys(DEADLINE_OUTCOMES, 0)
        self.confusion: dict[str, int] = {}
        self.raw_all = dict.fromkeys(RAW_PLACES, 0)
        self.raw_missing = dict.fromkeys(RAW_PLACES, 0)
        self.missed = dict.fromkeys(MISSED_SHAPES, 0)

    def pair(self, doc: str, g: dict, gs: tuple[int, int] | None, p: dict, ps: tuple[int, int]) -> None:
        out = deadline_outcome(g, p)
        self.outcome[out] += 1
        if out == "other kind":
            key = f"{deadline_kind(g['deadline'], g.get('issues'))}>{deadline_kind(p['deadline'], p.get('issues'))}"
            self.confusion[key] = self.confusion.get(key, 0) + 1
        if out in ("missing", "other kind", "wrong value", "right"):
            place = raw_place(doc, g["deadline"].get("raw"), gs or ps, ps)
            self.raw_all[place] += 1
            if out == "missing":
                self.raw_missing[place] += 1

    def miss(self, doc: str, g: dict, gs: tuple[int, int] | None) -> None:
        self.missed[missed_shape(doc, g, gs)] += 1

    def rows(self) -> list[str]:
        def line(counts: dict[str, int]) -> str:
            return " | ".join(f"{k} {v}" for k, v in counts.items() if v) or "-"

        return [
            "diagnostic (counts only) — deadline of matched tasks:",
            "  outcome: " + " | ".join(f"{k} {v}" for k, v in self.outcome.items()),
            "  other kind (gold>pred): " + line(dict(sorted(self.confusion.items()))),
            f"  gold raw, all with a gold deadline or vague stand-in ({sum(self.raw_all.values())}): "
            + line(self.raw_all),
            f"  gold raw, missing ones ({sum(self.raw_missing.values())}): " + line(self.raw_missing),
            f"  missed gold tasks by shape ({sum(self.missed.values())}): " + line(self.missed),
        ]


def _pdf_round_trip(text: str) -> str:
    """The text as the upload page reads it from a PDF of it (A4, DejaVu Serif 12 pt, one paragraph per line):
    what a text-layer PDF loses (line breaks inside paragraphs, page breaks) compared with the TXT."""
    import io
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from dondoc.drafting.reader import read_pdf

    pdfmetrics.registerFont(TTFont("DejaVuSerif", "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"))
    style = ParagraphStyle("vi", fontName="DejaVuSerif", fontSize=12, leading=15)
    buf = io.BytesIO()
    paragraphs = [Paragraph(escape(line), style) for line in text.split("\n") if line.strip()]
    SimpleDocTemplate(buf, pagesize=A4).build(paragraphs)
    return read_pdf(buf.getvalue(), "doc.pdf")


def _site(url: str) -> str:
    """The publisher of a document: the host of its source URL without "www." / "m." (the unit of the split)."""
    host = re.sub(r"^https?://([^/?#]+).*$", r"\1", url.strip()).lower()
    return re.sub(r"^(www\.|m\.)", "", host)


def load_corpus(corpus: Path, via_pdf: bool, keep: Callable[[str], bool] | None = None) -> list[dict]:
    """Every labelled document of a corpus folder (docs/NNN.txt, labels/NNN.json, sources.tsv); with `keep`, only
    those whose site it accepts (the others are not even read: the trainer never opens the held-out part)."""
    docs = sorted((corpus / "docs").glob("*.txt"))
    if not docs:
        raise SystemExit(f"{corpus}: no documents in {corpus / 'docs'}")
    sites: dict[str, str] = {}
    sources = corpus / "sources.tsv"
    if sources.exists():
        for line in sources.read_text(encoding="utf-8").splitlines()[1:]:
            cells = line.split("\t")
            if len(cells) > 1 and cells[1].startswith("http"):
                sites[cells[0]] = _site(cells[1])
    out = []
    for d in docs:
        label_path = corpus / "labels" / f"{d.stem}.json"
        if not label_path.exists() or keep is not None and not keep(sites.get(d.stem, "")):
            continue
        text = d.read_text(encoding="utf-8")
        out.append(
            {
                "corpus": corpus.name,
                "id": d.stem,
                "path": d,
                "text": _pdf_round_trip(text) if via_pdf else text,
                "label": json.loads(label_path.read_text(encoding="utf-8")),
                "site": sites.get(d.stem, ""),
            }
        )
    return out


def read_split(path: Path) -> dict[str, str]:
    """site -> part ("test" or "tune") from the split file (tab-separated, '#' comments)."""
    parts = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            cells = line.split("\t")
            parts[cells[0].strip()] = cells[1].strip()
    return parts


def score(items: list[dict], verbose: bool) -> list[str]:
    """The per-field table for a set of labelled documents (see the module docstring for the definitions)."""
    det, lead, coord, dkind, dval, rep, sub, iss = (PRF() for _ in range(8))
    # Confidence check: per field, [wrong and flagged low, wrong, right and flagged low, right].
    calib = {f: [0, 0, 0, 0] for f in ("task", "lead", "coordinators", "deadline", "report", "submit")}

    def judge(field: str, pred: dict, right: bool) -> None:
        low = field in pred.get("low_confidence", [])
        c = calib[field]
        if right:
            c[2] += low
            c[3] += 1
        else:
            c[0] += low
            c[1] += 1

    per_flag = {f: PRF() for f in FLAGS}
    diag = Diagnostic()
    for item in items:
        doc_id, label = item["id"], item["label"]
        document = extract(item["text"])
        pj = document.as_json()["tasks"]
        pred = [(p, (t.start, t.end)) for p, t in zip(pj, document.tasks, strict=True)]
        gold = [(g, gold_span(document.text, g["text"])) for g in label["tasks"]]
        pairs = match_tasks(gold, pred)
        det.add(tp=len(pairs), fp=len(pred) - len(pairs), fn=len(gold) - len(pairs))
        matched = {pi for _, pi in pairs}
        for gi in sorted(set(range(len(gold))) - {gi for gi, _ in pairs}):
            diag.miss(document.text, gold[gi][0], gold[gi][1])
        for gi, pi in pairs:
            diag.pair(document.text, gold[gi][0], gold[gi][1], pred[pi][0], pred[pi][1])
        for pi, (p, _s) in enumerate(pred):
            judge("task", p, pi in matched)
        if verbose:
            matched_g = {gi for gi, _ in pairs}
            matched_p = {pi for _, pi in pairs}
            for gi, (g, _s) in enumerate(gold):
                if gi not in matched_g:
                    print(f"[{doc_id}] MISSED  {g['id']}: {g['text'][:110]!r}")
            for pi, (p, _s) in enumerate(pred):
                if pi not in matched_p:
                    print(f"[{doc_id}] EXTRA   {p['text'][:110]!r}")
        for gi, pi in pairs:
            g, p = gold[gi][0], pred[pi][0]
            notes = []
            gl, pl = g["lead"] is not None, p["lead"] is not None
            ok = gl and pl and lead_match(g, p)
            lead.add(tp=int(ok), fp=int(pl and not ok), fn=int(gl and not ok))
            if not ok and (gl or pl):
                notes.append(f"lead gold={g.get('lead_list')} pred={p.get('lead_list')}")
            gc = list(g.get("coordinators") or [])
            used: set[int] = set()
            for pc in p.get("coordinators") or []:
                hit = None
                for k, gcn in enumerate(gc):
                    if k in used:
                        continue
                    if unit_key(pc) == unit_key(gcn) or jaccard(words(pc), words(gcn)) >= 0.6:
                        hit = k
                        break
                if hit is None:
                    coord.add(fp=1)
                else:
                    used.add(hit)
                    coord.add(tp=1)
            coord.add(fn=len(gc) - len(used))
            if len(used) != len(gc) or len(used) != len(p.get("coordinators") or []):
                notes.append(f"coord gold={gc} pred={p.get('coordinators')}")
            gk, pk = g["deadline"]["kind"], p["deadline"]["kind"]
            kok = gk == pk and gk != "none"
            dkind.add(tp=int(kok), fp=int(pk != "none" and not kok), fn=int(gk != "none" and not kok))
            vok = kok and value_match(g["deadline"], p["deadline"])
            dval.add(tp=int(vok), fp=int(pk != "none" and not vok), fn=int(gk != "none" and not vok))
            if not vok and (gk != "none" or pk != "none"):
                notes.append(f"deadline gold={g['deadline']} pred={p['deadline']}")
            gr, pr = bool(g["report"]["required"]), bool(p["report"]["required"])
            rep.add(tp=int(gr and pr), fp=int(pr and not gr), fn=int(gr and not pr))
            gs_, ps_ = bool(g.get("submit")), bool(p.get("submit"))
            sub.add(tp=int(gs_ and ps_), fp=int(ps_ and not gs_), fn=int(gs_ and not ps_))
            if gr != pr or gs_ != ps_:
                notes.append(f"report gold={gr} pred={pr} submit gold={gs_} pred={ps_}")
            judge("lead", p, bool(ok) or not (gl or pl))
            judge("coordinators", p, len(used) == len(gc) == len(p.get("coordinators") or []))
            judge("deadline", p, bool(vok) or (gk == "none" and pk == "none"))
            judge("report", p, gr == pr)
            judge("submit", p, gs_ == ps_)
            gf, pf = flags(g), flags(p)
            iss.add(tp=len(gf & pf), fp=len(pf - gf), fn=len(gf - pf))
            for f in FLAGS:
                per_flag[f].add(
                    tp=int(f in gf and f in pf),
                    fp=int(f in pf and f not in gf),
                    fn=int(f in gf and f not in pf),
                )
            if gf != pf:
                notes.append(f"issues gold={sorted(gf)} pred={sorted(pf)}")
            if verbose and notes:
                print(f"[{g['id']}] " + " | ".join(notes))
    tasks = sum(len(i["label"]["tasks"]) for i in items)
    rows = [
        f"documents: {len(items)}  labelled tasks: {tasks}",
        f"{'field':<22} {'P':>6} {'R':>6} {'F1':>6}",
        det.row("task detection"),
        lead.row("lead"),
        coord.row("coordinators"),
        dkind.row("deadline kind"),
        dval.row("deadline value"),
        rep.row("report flag"),
        sub.row("submit flag"),
        iss.row("issue flags"),
    ]
    rows += [per_flag[f].row("  " + f) for f in FLAGS]
    rows.append("confidence (fields shown as 'check first'): wrong ones flagged / right ones flagged")
    for f, (wl, w, rl, r) in calib.items():
        rows.append(f"  {f:<20} {wl}/{w} wrong flagged   {rl}/{r} right flagged")
    return rows + diag.rows()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--corpus",
        action="append",
        help="a labelled corpus folder (repeatable; default ../shared/corpus/dev)",
    )
    ap.add_argument(
        "--split",
        help="site -> part file (bench/corpus/split.tsv): score the held-out test part first, then the tuning part",
    )
    ap.add_argument(
        "--verbose", action="store_true", help="print every mismatch (tuning part only with --split)"
    )
    ap.add_argument(
        "--verbose-test",
        action="store_true",
        help="also print the mismatches of the held-out test part (only after the rules are frozen)",
    )
    ap.add_argument(
        "--via-pdf",
        action="store_true",
        help="print each document to a PDF and read it back with the checker's PDF reader first",
    )
    ap.add_argument(
        "--cli-runs",
        type=int,
        default=5,
        help="time `dondoc check FILE` this many times in a new process (0: skip)",
    )
    args = ap.parse_args()
    corpora = [Path(c) for c in (args.corpus or ["../shared/corpus/dev"])]
    items = [item for c in corpora for item in load_corpus(c, args.via_pdf)]

    if args.split:
        parts = read_split(Path(args.split))
        unassigned = sorted(
            {f"{i['corpus']}/{i['id']} ({i['site'] or 'no source'})" for i in items}
            - {f"{i['corpus']}/{i['id']} ({i['site']})" for i in items if i["site"] in parts}
        )
        if unassigned:
            raise SystemExit(f"{args.split}: no part for the site of " + ", ".join(unassigned))
        for part, title in (("test", "HELD-OUT TEST PART (sources never tuned on)"), ("tune", "TUNING PART")):
            chosen = [i for i in items if parts[i["site"]] == part]
            sites = sorted({i["site"] for i in chosen})
            print(f"== {title}: {len(sites)} sources")
            verbose = args.verbose_test if part == "test" else args.verbose
            print("\n".join(score(chosen, verbose)))
            print()
    for c in corpora:
        chosen = [i for i in items if i["corpus"] == c.name]
        print(f"== corpus: {c}")
        print("\n".join(score(chosen, args.verbose and not args.split)))
        print()

    texts = [i["text"] for i in items]
    best = 0.0
    for _ in range(5):
        t0 = time.perf_counter()
        for text in texts:
            extract(text)
        elapsed = time.perf_counter() - t0
        best = max(best, len(texts) / elapsed if elapsed else float("inf"))
    print(f"speed: {best:.0f} documents/second (one core, {len(texts)} documents, best of 5)")
    if args.cli_runs:
        print(cli_start(items[0]["path"], args.cli_runs))
    return 0


def cli_start(path: Path, runs: int) -> str:
    """Wall time of `dondoc check FILE` as an officer runs it (a new process each time: interpreter, imports,
    the database reads when there is one, one document); best and median of `runs`, with the load average."""
    import os
    import statistics
    import subprocess

    cmd = [sys.executable, "-m", "dondoc.cli", "check", str(path)]
    env = {**os.environ, "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-" + "x" * 50)}
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, capture_output=True, env=env, check=False)
        times.append(time.perf_counter() - t0)
    load = os.getloadavg()[0]
    db = "database " + (
        "DATABASE_URL" if os.environ.get("DATABASE_URL") else "default (SQLite file if present)"
    )
    return (
        f"cli start: dondoc check FILE best {min(times):.2f} s, median {statistics.median(times):.2f} s "
        f"({runs} runs, {db}, load average {load:.1f})"
    )


if __name__ == "__main__":
    raise SystemExit(main())
