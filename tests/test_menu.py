"""The top menu grouped by role (issue 20, point 10): at most seven entries on the bar (the rest under "Khác"),
"Khóa API" only for those whose systems talk to the API, never for a ward's or a department's officers."""

from __future__ import annotations

import re

from dondoc.menu import MAX_ON_BAR, menu_for
from dondoc.org.models import Person
from tests.helpers import PASSWORD, make_person


def _bar_of(page: str) -> list[str]:
    """The entries on the bar: its links, "Khác" included (the dropdown's own items are not on the bar)."""
    start = page.index('id="menu-chinh"')
    bar = page[start : page.index("</ul>", start)]
    return re.findall(r'class="nav-link[^"]*"[^>]*>([^<]+)</a>', bar)


def test_every_role_has_at_most_seven_entries_on_the_bar_and_the_rest_under_khac(client, personas):
    for name, person in personas.items():
        menu = menu_for(person.user)
        assert len(menu["bar"]) <= MAX_ON_BAR, name
        client.force_login(person.user)
        page = client.get("/").content.decode()
        entries = _bar_of(page)
        assert len(entries) <= 7 and entries[: len(menu["bar"])] == [e.label for e in menu["bar"]], name
        assert (entries[-1] == "Khác") == bool(menu["more"]), (name, entries)
        for entry in menu["more"]:  # everything the role may open is somewhere in the menu
            assert f'href="{entry.url}">{entry.label}</a>' in page, (name, entry)


def test_the_tracker_keeps_everything_within_reach(personas):
    menu = menu_for(personas["tracker"].user)
    labels = [e.label for part in menu.values() for e in part]
    for label in (
        "Nhiệm vụ",
        "Kiểm tra dự thảo",
        "Nhập từ Excel",
        "Nhận edXML",
        "Khóa API",
        "Kiểm tra công vụ",
    ):
        assert label in labels
    assert [e.label for e in menu["account"]] == ["Khóa API"]


def test_ward_and_unit_officers_have_no_api_keys_in_their_menu(client, registry, personas):
    ward = make_person("hoangmai.cv", registry["00331"], Person.Role.UNIT_OFFICER)
    for person in (ward, personas["lead_officer"], personas["lead_head"]):
        client.login(username=person.user.username, password=PASSWORD)
        page = client.get("/").content.decode()
        assert "Khóa API" not in page and "/api/khoa/" not in page, person.user.username
    client.force_login(personas["tracker"].user)
    assert "Khóa API" in client.get("/").content.decode()
