"""The shared spreadsheet policy: formula guard, one delimiter, a BOM, and every writer uses it."""

import pytest

from core.tabular import cell_safe, csv_bytes, xlsx_bytes
from meetings.exports import registrations_csv
from questionnaires.exports import results_csv, results_xlsx
from tests import factories
from tests.shared.documents import csv_rows, xlsx_sheet
from tests.shared.samples import questionnaire_result

DANGEROUS = ['=HYPERLINK("http://x")', "+33 6", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_text_that_a_spreadsheet_would_run_gets_an_apostrophe(value):
    assert cell_safe(value) == "'" + value


@pytest.mark.parametrize("value", ["Mobilités", "", "1 = 1", 12, -3, None, 2.5])
def test_plain_text_and_numbers_are_left_alone(value):
    assert cell_safe(value) == value


def test_csv_has_a_bom_semicolons_and_guarded_cells():
    data = csv_bytes(["Nom", "Avis"], [["Dupont", "=1+1"], ["Durand", "Très bien"]])
    assert data.startswith("\ufeff".encode())
    rows = csv_rows(data)
    assert rows == [["Nom", "Avis"], ["Dupont", "'=1+1"], ["Durand", "Très bien"]]


def test_xlsx_cells_are_guarded_text_never_formulas():
    data = xlsx_bytes(["Avis"], [["=cmd|' /C calc'!A0"], ["ok\x01"]], title="Résultats: 2026/27")
    sheet = xlsx_sheet(data)
    assert sheet["A2"].value == "'=cmd|' /C calc'!A0" and sheet["A2"].data_type == "s"
    assert sheet["A3"].value == "ok"


@pytest.mark.django_db
def test_meeting_registrations_csv_neutralises_a_name_that_is_a_formula():
    registration = factories.RegistrationFactory(
        user=factories.UserFactory(last_name="=IMPORTXML(A1)", first_name="@Jo")
    )
    entries = [{"user": registration.user, "mandate": None, "registration": registration}]
    row = csv_rows(registrations_csv(registration.meeting, entries))[1]
    assert row[:2] == ["'=IMPORTXML(A1)", "'@Jo"]


def test_questionnaire_csv_and_xlsx_use_the_same_guard():
    rows = csv_rows(results_csv(questionnaire_result()))
    assert rows[1][:2] == ["'+Question", "'-Choix"] and rows[2][1] == "'=réponse"
    sheet = xlsx_sheet(results_xlsx(questionnaire_result()))
    assert sheet["A2"].value == "'+Question" and sheet["B3"].value == "'=réponse"
