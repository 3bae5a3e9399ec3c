"""The project's Vietnamese catalog (dondoc/locale): the admin site's sentences Django's own leaves in English."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

from django.utils import translation

import dondoc

CATALOG = Path(dondoc.__file__).parent / "locale" / "vi" / "LC_MESSAGES"


def _po_entries() -> list[tuple[str, str, str]]:
    """(singular, plural or "", Vietnamese) of every entry of the source catalog."""
    text = (CATALOG / "django.po").read_text(encoding="utf-8")
    return re.findall(r'^msgid "(.+)"\n(?:msgid_plural "(.+)"\n)?msgstr(?:\[0\])? "(.*)"', text, re.M)


def test_the_admin_error_note_is_in_vietnamese_in_singular_and_plural():
    """Django 5.2's Vietnamese catalog has "Please correct the error below." only as a singular message, while the
    admin's change form asks for it with its plural: the note above a refused form was in English."""
    with translation.override("vi"):
        for n in (1, 2):
            assert (
                translation.ngettext("Please correct the error below.", "Please correct the errors below.", n)
                == "Vui lòng sửa các lỗi được nêu dưới đây."
            )
        assert translation.ngettext("entry", "entries", 3) == "mục"
        assert translation.gettext("Show counts") == "Hiện số lượng"  # the admin's list filter, untranslated


def test_the_compiled_catalog_is_the_source_one():
    """django.mo is compiled from django.po (`msgfmt -o django.mo django.po`): every entry of the source reads the
    same from the compiled file."""
    compiled = gettext.GNUTranslations((CATALOG / "django.mo").open("rb"))
    entries = _po_entries()
    assert len(entries) == 30
    for singular, plural, vi in entries:
        assert (compiled.ngettext(singular, plural, 1) if plural else compiled.gettext(singular)) == vi
