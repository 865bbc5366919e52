"""Results built by hand (no database) for the export writers' tests."""

from __future__ import annotations

from types import SimpleNamespace

from assembly.models import College, Gender


def questionnaire_result(text="+Question", label="-Choix", answer="=réponse") -> dict:
    """A questionnaire's results as the results writers take them: one question, one row, one free answer."""
    counts = {"all": 1} | dict.fromkeys(list(College.values) + list(Gender.values), 0)
    return {
        "questionnaire": SimpleNamespace(title="Q & R <b>"),
        "sheets": 1,
        "questions": [
            {"question": SimpleNamespace(text=text), "rows": [{"label": label, "counts": counts}], "texts": [answer]},
        ],
    }
