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


def test_apps_translate_a_shared_context_free_message_alike():
    """Django merges every app's catalogue: a msgid without context gets ONE French text at run time.

    When two apps translate the same context-free msgid differently (a proposal is « adoptée », a
    text put to the vote « adopté »), one of them shows the other's words: give the message a
    context (`pgettext`, `{% translate … context … %}`) or the same translation.
    """
    seen: dict[tuple[str, str], dict[str, object]] = {}
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)).translated_entries():
            if entry.msgctxt is not None:
                continue
            text = tuple(sorted(entry.msgstr_plural.items())) if entry.msgid_plural else entry.msgstr
            seen.setdefault((entry.msgid, entry.msgid_plural), {})[str(path.relative_to(BASE_DIR))] = text
    clashes = {msgid: by_app for (msgid, _plural), by_app in seen.items() if len(set(by_app.values())) > 1}
    assert clashes == {}, f"the same context-free msgid translated differently: {clashes}"


def test_a_ballot_verdict_reads_in_the_gender_of_the_text_put_to_the_vote():
    from django.utils import translation

    from votes.models import Verdict

    with translation.override("fr"):
        labels = [str(label) for label in Verdict.Outcome.labels]
    assert labels == ["adopté", "rejeté", "tranché", "quorum non atteint"]
