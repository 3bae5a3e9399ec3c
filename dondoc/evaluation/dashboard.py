"""What the leaders' dashboard shows, built from `stats` only (so its numbers are the report's numbers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.urls import reverse

from dondoc.evaluation import cache, stats
from dondoc.evaluation import periods as pr
from dondoc.evaluation.workdays import ensure_ordinals
from dondoc.org.models import Unit
from dondoc.tracking import secrecy
from dondoc.tracking import timeliness as tl
from dondoc.tracking.timeliness import soon_limit

TREND_PERIODS = 12
# The city's figures, in the order of the cards (measure, css class of the card).
CITY_MEASURES = (
    (stats.DUE, "primary"),
    (stats.ON_TIME, "success"),
    (stats.LATE, "warning"),
    (stats.IN_DEADLINE, "info"),
    (stats.OVERDUE, "danger"),
    (stats.NO_DEADLINE, "secondary"),
    (stats.EXTENDED, "dark"),
)
# The columns of the tables (by unit, authority, kind) that are counts with a link.
TABLE_MEASURES = (
    stats.DUE,
    stats.ON_TIME,
    stats.LATE,
    stats.IN_DEADLINE,
    stats.OVERDUE,
    stats.NO_DEADLINE,
    stats.EXTENDED,
)


def counting_user(user: Any, *periods: pr.Period | None, ref: date) -> Any:
    """Whose tasks the dashboard counts for `user` over `periods` as of `ref`: every task (`stats.SYSTEM`) when the
    secret tasks count for the reader over each of them (`secrecy.counts_secret_share`) — a reader who sees every
    unit (leaders, the City Office, inspectors, administrators) cleared for secret documents, or not cleared over
    whole reporting windows as of a past cut-off (a 14th), so that every reader of a period sees the totals of the
    signed report (secret tasks counted; their content shown only to the cleared, through `Task.objects.visible_to`
    on every list). Anyone else, and the uncleared over a narrower window (a custom period, the days "due soon",
    the trend of a custom period; None: no window) or as of another day (today, any day: the day a secret task went
    overdue would show): their own visible tasks."""
    if periods and None not in periods:
        windows = [(p.start, p.end) for p in periods if p is not None]
        if secrecy.counts_secret_share(user, windows, ref):
            return stats.SYSTEM
    return user


def build_for(user: Any, period: pr.Period, *, ref: date, filters: stats.Filters) -> Dashboard:
    """The dashboard `user` reads: `build` over the tasks counted for them (`counting_user`), the period's, its
    trend's (`pr.previous`: a custom period's are ranges of its length, seldom reporting windows) and the due-soon
    days' (`due_soon_span`) each by its own windows."""
    return build(
        period,
        counting_user(user, period, ref=ref),
        ref=ref,
        filters=filters,
        soon_user=counting_user(user, due_soon_span(period, ref), ref=ref),
        trend_user=counting_user(user, *pr.previous(period, TREND_PERIODS), ref=ref),
    )


def dashboard_url(period: pr.Period, ref: date) -> str:
    """The dashboard at `period` and reference date `ref` (the report page links to it)."""
    url = reverse("evaluation:dashboard")
    if period.kind == pr.CUSTOM:
        return f"{url}?loai_ky={pr.CUSTOM}&tu_ngay={period.start:%d/%m/%Y}&den_ngay={period.end:%d/%m/%Y}&ngay={ref:%d/%m/%Y}"
    return f"{url}?loai_ky={period.kind}&ky={period.year}-{period.number}&ngay={ref:%d/%m/%Y}"


def due_soon_span(period: pr.Period, ref: date) -> pr.Period | None:
    """The days of `period` whose deadlines (as written) are due soon on `ref`, within the period (None when no day
    is): from the first one not yet overdue on `ref` — a deadline on the days off just before `ref` rolls to `ref`
    itself (the first working day after Tết) — to the last one whose effective deadline is within the limit; the
    bounds of `timeliness.bucket_filter(DUE_SOON)`, so the dashboard's number is the task list's."""
    rule = tl.current_rule()
    start = max(period.start, rule.overdue_before(ref))
    end = min(period.end, rule.soon_until(soon_limit(ref)))
    return pr.custom(start, end) if start <= end else None


def due_soon(
    period: pr.Period,
    user: Any,
    *,
    ref: date,
    filters: stats.Filters,
    by: str = stats.CITY,
    asof: stats.AsOf | None = None,
) -> dict[Any, int]:
    """*Trong đó sắp đến hạn*: of the tasks of `period` open within their deadline on `ref` (`in_deadline`), those
    due within DUE_SOON_WORKING_DAYS working days — the within-deadline count (`stats.count`) of the due-soon days
    of the period (`due_soon_span`), so it is a part of that number by construction, with the same definitions;
    only the open tasks are counted (`open_only`), so the counted tables answer for these few days."""
    span = due_soon_span(period, ref)
    if span is None:
        return {}
    counts = stats.count(span, user, by=by, ref=ref, filters=filters, open_only=True, asof=asof)
    return {key: c.in_deadline for key, c in counts.items()}


@dataclass
class Cell:
    """One number of the dashboard and the task list behind it."""

    measure: str
    value: int
    url: str


@dataclass
class Line:
    """A table row: its label, its counts and a linked cell per measure."""

    label: str
    counts: stats.Counts
    cells: list[Cell]
    rank: int | None = None
    short: str = ""  # a unit's abbreviation, where space demands (the chart's labels on a phone)


@dataclass
class Dashboard:
    evaluation: stats.Evaluation
    trend: list[stats.TrendPoint]
    cards: list[tuple[Cell, str, str]]  # cell, label, css class
    units: list[Line]
    authorities: list[Line]
    kinds: list[Line]
    chart: dict[str, Any]  # data for dashboard.js (json_script)
    due_soon: Cell | None = None  # the part of the city's "within deadline" due soon, linked to its list


# Characters of a unit's name beside its bar; a longer name is cut, the tooltip has it all.
CHART_LABEL_MAX = 36


def chart_label(name: str) -> str:
    """A unit's name beside its bar: in full (every bar labelled, no abbreviation such as "SQHKT"), cut at a word
    with "…" only when longer than CHART_LABEL_MAX (the bar's tooltip and the table below give it in full)."""
    if len(name) <= CHART_LABEL_MAX:
        return name
    return name[: name.rfind(" ", 0, CHART_LABEL_MAX - 1)] + " …"


def _cells(
    counts: stats.Counts,
    period: pr.Period,
    ref: date,
    filters: stats.Filters,
    unit_id: int | None = None,
) -> list[Cell]:
    return [
        Cell(m, counts.value(m), stats.list_url(m, period, ref=ref, unit_id=unit_id, filters=filters))
        for m in TABLE_MEASURES
    ]


def build(
    period: pr.Period,
    user: Any,
    *,
    ref: date,
    filters: stats.Filters,
    soon_user: Any = None,
    trend_user: Any = None,
) -> Dashboard:
    """Every figure of the dashboard for one period: evaluate() and trend(), plus the links and the chart data;
    "due soon" over the tasks of `soon_user`, the trend over those of `trend_user` (default: `user`; see
    `build_for`).
    The figures are served from the cache (`dondoc.evaluation.cache`) when the same question was asked on the same
    data; only plain numbers are cached (no model instances: unpickling those cost more than the rest). Computed
    now, the units `evaluate` read are used as they are (not read again); from the cache, their names are read
    (one statement)."""
    soon_user = user if soon_user is None else soon_user
    trend_user = user if trend_user is None else trend_user
    computed: list[tuple[stats.Evaluation, list[stats.TrendPoint]]] = []

    def figures() -> Figures:
        ev, points, soon = _computed(
            period, user, ref=ref, filters=filters, soon_user=soon_user, trend_user=trend_user
        )
        computed.append((ev, points))
        return _plain(ev, points, soon)

    city, units, by_authority, by_kind, trend_counts, soon = cache.cached(
        ("dashboard-5", period, ref, filters, TREND_PERIODS, cache.scope(soon_user), cache.scope(trend_user)),
        user,
        figures,
    )
    if computed:
        return _assemble(*computed[0], soon, filters)
    # what a row shows of its unit: its name and abbreviation (`_assemble`, the chart)
    unit_objects = Unit.objects.only("id", "name", "abbr").in_bulk([uid for uid, _c, _r in units])
    ev = stats.Evaluation(
        period=period,
        ref=ref,
        filters=filters,
        city=city,
        by_unit=[stats.UnitRow(unit_objects[uid], c, r) for uid, c, r in units if uid in unit_objects],
        by_authority=[stats.GroupRow(k, label, c) for k, label, c in by_authority],
        by_kind=[stats.GroupRow(k, label, c) for k, label, c in by_kind],
    )
    spans = pr.previous(period, TREND_PERIODS)
    points = [stats.TrendPoint(p, c) for p, c in zip(spans, trend_counts, strict=True)]
    return _assemble(ev, points, soon, filters)


Figures = tuple[
    stats.Counts,
    list[tuple[int, stats.Counts, int | None]],
    list[tuple[str, str, stats.Counts]],
    list[tuple[str, str, stats.Counts]],
    list[stats.Counts],
    int,
]


def _computed(
    period: pr.Period,
    user: Any,
    *,
    ref: date,
    filters: stats.Filters,
    soon_user: Any = None,
    trend_user: Any = None,
) -> tuple[stats.Evaluation, list[stats.TrendPoint], int]:
    """evaluate() over `user`'s tasks, trend() over `trend_user`'s and the due-soon part over `soon_user`'s (default:
    `user`; see `build_for`), run now: what happened after `ref` read once for the three (`stats.as_of`), their
    statements over the tasks, if any, in one transaction (`stats.counting`; the counted tables' need none). The
    working-day table is made to cover their days first, outside any transaction: this process then remembers
    that it does (`workdays.ensure_ordinals` remembers nothing inside one, which may yet roll back) and the counts
    do not ask again."""
    soon_user = user if soon_user is None else soon_user
    trend_user = user if trend_user is None else trend_user
    ensure_ordinals(min(pr.previous(period, TREND_PERIODS)[0].start, ref), max(period.end, ref))
    asof = stats.as_of(ref)
    with stats.counting():
        ev = stats.evaluate(period, user, ref=ref, filters=filters, asof=asof)
        points = stats.trend(period, trend_user, n=TREND_PERIODS, ref=ref, filters=filters, asof=asof)
        soon = due_soon(period, soon_user, ref=ref, filters=filters, asof=asof).get(None, 0)
    return ev, points, soon


def _plain(ev: stats.Evaluation, points: list[stats.TrendPoint], soon: int) -> Figures:
    """The numbers of the dashboard, as plain data (what the cache keeps)."""
    return (
        ev.city,
        [(r.unit.pk, r.counts, r.rank) for r in ev.by_unit],
        [(g.key, g.label, g.counts) for g in ev.by_authority],
        [(g.key, g.label, g.counts) for g in ev.by_kind],
        [p.counts for p in points],
        soon,
    )


def compute(period: pr.Period, user: Any, *, ref: date, filters: stats.Filters) -> Dashboard:
    """`build` without the cache: the statements of `stats`, run now."""
    return _assemble(*_computed(period, user, ref=ref, filters=filters), filters)


def _assemble(
    ev: stats.Evaluation, points: list[stats.TrendPoint], soon: int, filters: stats.Filters
) -> Dashboard:
    """The cards, the table lines with their links and the chart data of one evaluation."""
    period, ref = ev.period, ev.ref
    span = due_soon_span(period, ref)
    soon_cell = (
        Cell(stats.IN_DEADLINE, soon, stats.list_url(stats.IN_DEADLINE, span, ref=ref, filters=filters))
        if span is not None
        else None
    )
    cards = [
        (
            Cell(m, ev.city.value(m), stats.list_url(m, period, ref=ref, filters=filters)),
            stats.MEASURE_LABELS[m],
            css,
        )
        for m, css in CITY_MEASURES
    ]
    units = [
        Line(r.unit.name, r.counts, _cells(r.counts, period, ref, filters, r.unit.pk), r.rank, r.unit.short)
        for r in ev.by_unit
    ]
    authorities = [
        Line(g.label, g.counts, _cells(g.counts, period, ref, stats.Filters(g.key, filters.kind)))
        for g in ev.by_authority
        if not filters.authority or g.key == filters.authority
    ]
    kinds = [
        Line(g.label, g.counts, _cells(g.counts, period, ref, stats.Filters(filters.authority, g.key)))
        for g in ev.by_kind
        if not filters.kind or g.key == filters.kind
    ]
    # ranked first, then those with nothing come due yet
    charted = [line for line in units if line.counts.due]
    chart = {
        "units": {
            "labels": [chart_label(line.label) for line in charted],
            "names": [line.label for line in charted],
            "shorts": [line.short for line in charted],  # beside the bars on a phone, where space demands
            "on_time": [line.counts.on_time for line in charted],
            "late": [line.counts.late for line in charted],
            "in_deadline": [line.counts.in_deadline for line in charted],
            "overdue": [line.counts.overdue for line in charted],
        },
        "trend": {
            "labels": [p.period.short for p in points],
            "on_time_rate": [p.counts.on_time_rate for p in points],
            "completion_rate": [p.counts.completion_rate for p in points],
            "due": [p.counts.due for p in points],
        },
    }
    return Dashboard(ev, points, cards, units, authorities, kinds, chart, soon_cell)
