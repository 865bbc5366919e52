"""Free texts have a maximum length: the service refuses a longer one on its field, in French,
and saves nothing; the staff forms carry the same limits."""

from __future__ import annotations

import pytest
from django.utils import translation

from core.errors import ValidationFailed
from core.models import AuditEvent
from recommendations import services
from recommendations.forms import AnswerForm, DossierForm, EditForm
from recommendations.models import Dossier, Recommendation, RecommendationVersion, RegionAnswer


def _refused(call, field: str) -> None:
    with translation.override("fr"), pytest.raises(ValidationFailed) as error:
        call()
    assert error.value.field == field
    with translation.override("fr"):
        assert "trop long" in str(error.value.message)


def test_a_too_long_answer_text_is_refused_and_nothing_is_recorded(staff, transmitted, adopted):
    _refused(
        lambda: services.answer_record(
            by=staff,
            recommendation=adopted,
            status="accepted",
            text="x" * (RegionAnswer.TEXT_MAX_LENGTH + 1),
            answered_on="2026-05-01",
        ),
        "text",
    )
    assert not RegionAnswer.objects.exists()
    adopted.refresh_from_db()
    assert adopted.status == Recommendation.Status.TRANSMITTED


def test_a_too_long_answer_reference_is_refused_not_cut(staff, transmitted, adopted):
    _refused(
        lambda: services.answer_record(
            by=staff,
            recommendation=adopted,
            status="accepted",
            text="Acceptée.",
            answered_on="2026-05-01",
            reference="D" * (RegionAnswer.REFERENCE_MAX_LENGTH + 1),
        ),
        "reference",
    )
    assert not RegionAnswer.objects.exists()


def test_a_too_long_edit_reason_is_refused_and_nothing_changes(staff, adopted):
    _refused(
        lambda: services.recommendation_update(
            by=staff,
            recommendation=adopted,
            title="Nouveau titre",
            text=adopted.text,
            reason="r" * (Recommendation.REASON_MAX_LENGTH + 1),
        ),
        "reason",
    )
    adopted.refresh_from_db()
    assert adopted.title == "Relier les villes moyennes" and adopted.version == 1
    assert not RecommendationVersion.objects.exists()
    assert not AuditEvent.objects.filter(action="recommendations.recommendation_update").exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("introduction", "i" * (Dossier.INTRODUCTION_MAX_LENGTH + 1)),
        ("title", "t" * (Dossier.TITLE_MAX_LENGTH + 1)),
        ("recipient", "r" * (Dossier.RECIPIENT_MAX_LENGTH + 1)),
    ],
)
def test_a_too_long_dossier_text_is_refused_not_cut_and_no_dossier_is_made(staff, assembly, adopted, field, value):
    fields = {"title": "Cahier", "recipient": "Région", "introduction": ""} | {field: value}
    _refused(
        lambda: services.dossier_create(
            by=staff, assembly=assembly, date="2026-04-01", recommendations=[adopted], **fields
        ),
        field,
    )
    assert not Dossier.objects.exists()


def test_the_forms_carry_the_same_limits(assembly, adopted):
    assert AnswerForm().fields["text"].max_length == RegionAnswer.TEXT_MAX_LENGTH
    assert AnswerForm().fields["reference"].max_length == RegionAnswer.REFERENCE_MAX_LENGTH
    edit = EditForm(recommendation=adopted)
    assert edit.fields["reason"].max_length == Recommendation.REASON_MAX_LENGTH
    assert edit.fields["text"].max_length == Recommendation.TEXT_MAX_LENGTH
    dossier = DossierForm(adopted=Recommendation.objects.none())
    assert dossier.fields["introduction"].max_length == Dossier.INTRODUCTION_MAX_LENGTH
    assert dossier.fields["recipient"].max_length == Dossier.RECIPIENT_MAX_LENGTH


def test_the_answer_page_refuses_a_too_long_text_and_records_nothing(staff_client, transmitted, adopted):
    response = staff_client.post(
        f"/recommandations/{adopted.pk}/reponse/",
        {"status": "accepted", "text": "x" * (RegionAnswer.TEXT_MAX_LENGTH + 1), "answered_on": "2026-05-01"},
        follow=True,
    )
    assert "au plus" in response.content.decode()
    assert not RegionAnswer.objects.exists()
