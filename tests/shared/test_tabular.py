"""The shared spreadsheet policy: formula guard, one delimiter, a BOM, and every writer uses it."""

import csv
import io

import pytest
from openpyxl import load_workbook

from assembly.models import College, Gender
from core.tabular import cell_safe, csv_bytes, xlsx_bytes
from meetings.exports import registrations_csv
from questionnaires.exports import results_csv, results_xlsx
from tests import factories

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
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows == [["Nom", "Avis"], ["Dupont", "'=1+1"], ["Durand", "Très bien"]]


def test_xlsx_cells_are_guarded_text_never_formulas():
    data = xlsx_bytes(["Avis"], [["=cmd|' /C calc'!A0"], ["ok\x01"]], title="Résultats: 2026/27")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == "'=cmd|' /C calc'!A0" and sheet["A2"].data_type == "s"
    assert sheet["A3"].value == "ok"


@pytest.mark.django_db
def test_meeting_registrations_csv_neutralises_a_name_that_is_a_formula():
    registration = factories.RegistrationFactory(
        user=factories.UserFactory(last_name="=IMPORTXML(A1)", first_name="@Jo")
    )
    entries = [{"user": registration.user, "mandate": None, "registration": registration}]
    text = registrations_csv(registration.meeting, entries).decode("utf-8-sig")
    row = list(csv.reader(io.StringIO(text), delimiter=";"))[1]
    assert row[:2] == ["'=IMPORTXML(A1)", "'@Jo"]


def _result(text="+Question", label="-Choix", answer="=réponse"):
    class Obj:
        def __init__(self, **kw):
            self.__dict__.update(kw)

    counts = {"all": 1} | dict.fromkeys(list(College.values) + list(Gender.values), 0)
    return {
        "questionnaire": Obj(title="Q & R <b>"),
        "sheets": 1,
        "questions": [
            {"question": Obj(text=text), "rows": [{"label": label, "counts": counts}], "texts": [answer]},
        ],
    }


def test_questionnaire_csv_and_xlsx_use_the_same_guard():
    rows = list(csv.reader(io.StringIO(results_csv(_result()).decode("utf-8-sig")), delimiter=";"))
    assert rows[1][:2] == ["'+Question", "'-Choix"] and rows[2][1] == "'=réponse"
    sheet = load_workbook(io.BytesIO(results_xlsx(_result()))).active
    assert sheet["A2"].value == "'+Question" and sheet["B3"].value == "'=réponse"
