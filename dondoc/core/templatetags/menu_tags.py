"""`{% menu_entries %}`: the top menu's entries (`dondoc.menu.main_menu`'s `menu`: the bar, then "Khác" with the
rest), as base.html's loops wrote them — every page writes them (~60 nodes through the template language, ~0.1 ms
a page, issue 19). The menu is the reader's own (built per request from their rights); nothing here is kept."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_MORE_HEAD = (
    '<li class="nav-item dropdown" id="menu-khac">\n'
    '          <a class="nav-link dropdown-toggle" href="#" role="button" data-bs-toggle="dropdown" '
    'aria-expanded="false">Khác</a>\n'
    '          <ul class="dropdown-menu">'
)


def _entries(menu: Any, part: str) -> Any:
    return (menu.get(part) if isinstance(menu, dict) else None) or ()


@register.simple_tag(takes_context=True)
def menu_entries(context: template.Context) -> SafeString:
    """The bar's entries (the current page's marked active), then "Khác" and its entries when there are any."""
    menu = context.get("menu")
    path = getattr(context.get("request"), "path", None)
    out = []
    for e in _entries(menu, "bar"):
        url = conditional_escape(e.url)
        here = e.url == path
        active, current = (" active", ' aria-current="page"') if here else ("", "")
        out.append(
            f'<li class="nav-item"><a class="nav-link{active}"{current} href="{url}">'
            f"{conditional_escape(e.label)}</a></li>\n        "
        )
    more = _entries(menu, "more")
    if more:
        out.append(_MORE_HEAD)
        out.extend(
            f'\n            <li><a class="dropdown-item" href="{conditional_escape(e.url)}">'
            f"{conditional_escape(e.label)}</a></li>"
            for e in more
        )
        out.append("\n          </ul>\n        </li>")
    return mark_safe("".join(out))  # noqa: S308 - every value is escaped
