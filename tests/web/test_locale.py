"""The English catalogue is complete and its compiled form matches the source."""

from __future__ import annotations

import gettext
from pathlib import Path

import polib

import jamsos

LOCALE = Path(jamsos.__file__).parent / "locale"


def test_every_message_has_an_english_translation_in_the_compiled_catalogue():
    po = polib.pofile(str(LOCALE / "en/LC_MESSAGES/django.po"))
    untranslated = [e.msgid for e in po if not e.msgstr or "fuzzy" in e.flags]
    assert untranslated == []
    compiled = gettext.GNUTranslations((LOCALE / "en/LC_MESSAGES/django.mo").open("rb"))
    stale = [e.msgid for e in po if compiled.gettext(e.msgid) != e.msgstr]
    assert stale == [], "django.mo is out of date: recompile it from django.po"
