"""``{% load twofactor_tags %}{% if user|can_use_twofactor %}``: the navigation link to the enrolment page."""

from typing import Any

from django import template

from dondoc.accounts.twofactor import eligible

register = template.Library()


@register.filter
def can_use_twofactor(user: Any) -> bool:
    return eligible(user)
