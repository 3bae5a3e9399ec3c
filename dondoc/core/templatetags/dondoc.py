from django import template

from dondoc.tracking import timeliness as tl

register = template.Library()

_BUCKET_CLASS = {
    tl.COMPLETED_ON_TIME: "text-bg-success",
    tl.COMPLETED_LATE: "text-bg-warning",
    tl.IN_DEADLINE: "text-bg-primary",
    tl.DUE_SOON: "text-bg-info",
    tl.OVERDUE: "text-bg-danger",
    tl.NO_DEADLINE: "text-bg-secondary",
    tl.NOT_TRACKED: "text-bg-light",
}


@register.filter
def bucket_class(name: str) -> str:
    return _BUCKET_CLASS.get(name, "text-bg-light")


@register.filter
def bucket_label(name: str) -> str:
    return tl.BUCKET_LABELS.get(name, name)
