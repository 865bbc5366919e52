"""Every French catalogue of the project is complete, and each shipped .mo matches its .po."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
SKIP = {".venv", "var", "node_modules", ".git"}


def _catalogues() -> list[Path]:
    found = []
    for po in BASE_DIR.glob("**/locale/fr/LC_MESSAGES/*.po"):
        if not SKIP.intersection(po.relative_to(BASE_DIR).parts):
            found.append(po)
    return sorted(found)


CATALOGUES = _catalogues()
IDS = [str(path.relative_to(BASE_DIR)) for path in CATALOGUES]


def test_the_project_and_the_assembly_have_french_catalogues():
    assert "locale/fr/LC_MESSAGES/django.po" in IDS
    assert "assembly/locale/fr/LC_MESSAGES/django.po" in IDS


@pytest.mark.parametrize("path", CATALOGUES, ids=IDS)
def test_french_catalogue_is_complete(path):
    catalogue = polib.pofile(str(path))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == [], f"untranslated in {path}"
    assert fuzzy == [], f"fuzzy in {path}"


def _messages(catalogue) -> dict:
    result = {}
    for entry in catalogue.translated_entries():
        key = (entry.msgctxt, entry.msgid, entry.msgid_plural)
        result[key] = tuple(sorted(entry.msgstr_plural.items())) if entry.msgid_plural else entry.msgstr
    return result


@pytest.mark.parametrize("path", CATALOGUES, ids=IDS)
def test_compiled_catalogue_matches_its_source(path):
    """The .mo holds exactly what compiling the .po gives (compiled in memory here)."""
    mo_path = path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run compilemessages"
    source = polib.pofile(str(path))
    compiled = polib.mofile(str(mo_path))
    in_memory = polib.mofile(source.to_binary())
    assert _messages(compiled) == _messages(in_memory), f"{mo_path} is out of date: run compilemessages"
