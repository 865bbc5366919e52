"""The shared PDF set-up: values are escaped (never markup), French text survives, bytes are reproducible."""

import io

import pytest
from pypdf import PdfReader

from core import pdf
from meetings.exports import sign_in_sheet_pdf
from questionnaires.exports import results_pdf
from tests import factories
from tests.shared.documents import pdf_text
from tests.shared.samples import questionnaire_result


def test_markup_characters_are_text_in_the_pdf():
    styles = pdf.styles()
    data = pdf.build([pdf.para("Eau & forêts <b>œuvre</b> > 3 <img src='x'/>", styles["Title"])], title="T & <T>")
    text = pdf_text(data)
    assert "Eau & forêts <b>œuvre</b> > 3 <img src='x'/>" in text
    assert PdfReader(io.BytesIO(data)).metadata.title == "T & <T>"


def test_same_story_gives_the_same_bytes():
    styles = pdf.styles()
    story = lambda: [pdf.para("Plénière n° 3", styles["Normal"])]  # noqa: E731
    assert pdf.build(story(), title="x") == pdf.build(story(), title="x")


@pytest.mark.django_db
def test_sign_in_sheet_with_an_ampersand_in_the_title_builds_and_reads_back():
    meeting = factories.MeetingFactory(title="Eau & <i>climat</i>", place="Salle <Nord> & Sud")
    registration = factories.RegistrationFactory(meeting=meeting, user=factories.UserFactory(last_name="Lœuvre"))
    entries = [{"user": registration.user, "mandate": None, "registration": registration}]
    text = pdf_text(sign_in_sheet_pdf(meeting, entries))
    assert "Eau & <i>climat</i>" in text and "Salle <Nord> & Sud" in text and "Lœuvre" in text


def test_questionnaire_pdf_with_markup_in_labels_builds_and_reads_back():
    result = questionnaire_result(text="Choix <a href='x'>lien</a> & co", label="A < B", answer="R&D <font>")
    text = pdf_text(results_pdf(result))
    assert "Q & R <b>" in text and "Choix <a href='x'>lien</a> & co" in text
    assert "A < B" in text and "R&D <font>" in text
