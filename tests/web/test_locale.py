"""The English catalogue is complete and its compiled form matches the source."""

from __future__ import annotations

import gettext
from pathlib import Path

import polib

import jamsos

LOCALE = Path(jamsos.__file__).parent / "locale"


def test_every_message_has_an_english_translation_in_the_compiled_catalogue():
    po = [e for e in polib.pofile(str(LOCALE / "en/LC_MESSAGES/django.po")) if not e.obsolete]
    untranslated = [
        e.msgid for e in po
        if "fuzzy" in e.flags
        or (not e.msgid_plural and not e.msgstr)
        or (e.msgid_plural and not all(e.msgstr_plural.values()))
    ]
    assert untranslated == []
    compiled = gettext.GNUTranslations((LOCALE / "en/LC_MESSAGES/django.mo").open("rb"))
    stale = [e.msgid for e in po if not e.msgid_plural and compiled.gettext(e.msgid) != e.msgstr]
    stale += [e.msgid for e in po if e.msgid_plural and (
        compiled.ngettext(e.msgid, e.msgid_plural, 1) != e.msgstr_plural[0]
        or compiled.ngettext(e.msgid, e.msgid_plural, 5) != e.msgstr_plural[1])]
    assert stale == [], "django.mo is out of date: recompile it from django.po"
