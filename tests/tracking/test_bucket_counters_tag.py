"""The bucket counters written by the `bucket_counters` tag (issue 19) are, byte for byte, what
tracking/_bucket_counters.html's loop wrote: with and without links, with the due-soon part, names to escape."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from dondoc.tracking import timeliness as tl
from dondoc.tracking.queries import Counter, counters

# tracking/_bucket_counters.html as it was, the reference
OLD = Template(
    '{% load tracking %}{# The bucket counters (tracking.queries.counters); `href`: the list\'s URL up to "bucket=" (none: no links). #}\n{% for c in counters %}<span class="bucket-counter d-inline-flex align-items-center gap-1">{% if href %}<a class="badge {{ c.key|bucket_class }} fs-6 bucket-chip" data-bucket="{{ c.key }}" href="{{ href }}{{ c.key }}">{% else %}<span class="badge {{ c.key|bucket_class }} fs-6 bucket-chip" data-bucket="{{ c.key }}">{% endif %}{{ c.label }}: <span class="count">{{ c.n }}</span>{% if href %}</a>{% else %}</span>{% endif %}{% if c.part %} <span class="small text-muted bucket-part">(trong đó {% if href %}<a data-bucket="{{ c.part.key }}" href="{{ href }}{{ c.part.key }}">{% endif %}{{ c.part.label|lower }}: <span class="count">{{ c.part.n }}</span>{% if href %}</a>{% endif %})</span>{% endif %}</span>\n{% endfor %}\n'
)


def _counts(n: int) -> dict[str, int]:
    return {key: n * (i + 1) for i, key in enumerate(tl.BUCKETS)}


@pytest.mark.parametrize(
    "context",
    [
        {"counters": counters(_counts(3)), "href": "?bucket="},
        {"counters": counters(_counts(1000), untracked=(tl.WITHDRAWN,)), "href": '?q=a&b="c"<d>&bucket='},
        {"counters": counters(_counts(0), nonzero=True), "href": "?bucket="},
        {"counters": counters(_counts(7))},
        {"counters": counters(_counts(7)), "href": ""},
        {"counters": counters(_counts(7)), "href": None},
        {"href": "?bucket="},
        {
            "counters": [
                Counter("a<b", 'Nhãn "lạ" & <mới>', 5, Counter("x&y", "PHẦN <Một>", 2)),
                Counter("s", mark_safe("<b>An toàn</b>"), 0, Counter("t", mark_safe("<I>Hai</I>"), 1)),
            ],
            "href": "/nhiem-vu/?bucket=",
        },
    ],
)
def test_the_counters_are_the_templates_text(context):
    new = get_template("tracking/_bucket_counters.html").template
    assert new.render(Context(context)) == OLD.render(Context(context))
    assert "bucket-counter" in new.render(Context(context)) or not context.get("counters")
