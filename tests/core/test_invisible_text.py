"""Free texts that show nothing are refused on their field; unbalanced bidirectional controls are dropped."""

from __future__ import annotations

import datetime as dt

import pytest

from core.errors import ValidationFailed
from core.services import clean_text
from meetings.services import sittings as sitting_services
from proposals import services as proposal_services
from recommendations import services as recommendation_services
from tests.factories import ProposalFactory, RecommendationFactory
from votes import services as vote_services

INVISIBLE = [
    "\u200b\u200b\u200b",  # zero-width spaces
    "\u202e",  # a lone right-to-left override
    "\ufeff",  # a byte order mark
    "\u2066\u2069",  # an empty isolate
    "\u2067 \u2069\u200d",
    "\u3164\u3164",  # Hangul fillers
    "\x00\x01",
]


@pytest.mark.parametrize("value", INVISIBLE)
def test_text_without_a_visible_character_is_refused_on_its_field(value):
    with pytest.raises(ValidationFailed) as caught:
        clean_text(value, field="title", max_length=200)
    assert caught.value.field == "title"
    assert "visible" in str(caught.value.message)


@pytest.mark.parametrize("value", INVISIBLE)
def test_required_text_without_a_visible_character_is_refused(value):
    with pytest.raises(ValidationFailed) as caught:
        clean_text(value, field="title", max_length=200, required=True)
    assert caught.value.field == "title"


def test_unbalanced_bidirectional_controls_are_dropped_and_balanced_ones_kept():
    assert clean_text("Budget \u202etransports", field="t", max_length=200) == "Budget transports"
    assert clean_text("a\u202cb\u2069c", field="t", max_length=200) == "abc"
    assert clean_text("Lo \u2067عربي\u2069 ok", field="t", max_length=200) == "Lo \u2067عربي\u2069 ok"
    # An override does not reach past the end of its line.
    assert clean_text("x\u202ey\nz\u202c", field="t", max_length=200) == "xy\nz"


def test_invisible_edges_are_stripped_and_inner_text_kept():
    assert clean_text("\ufeff\u200b Mobilités \u200b", field="t", max_length=200) == "Mobilités"
    assert clean_text("", field="t", max_length=200) == ""


def test_invisible_proposal_title_is_refused(member):
    with pytest.raises(ValidationFailed) as caught:
        proposal_services.proposal_create(by=member, title="\u200b\u202e", body="Un texte visible.")
    assert caught.value.field == "title"


def test_invisible_comment_is_refused(assembly, member):
    proposal = ProposalFactory(assembly=assembly)
    with pytest.raises(ValidationFailed) as caught:
        proposal_services.comment_post(by=member, proposal=proposal, body="\ufeff\u2066\u2069")
    assert caught.value.field == "body"
    assert not proposal.comments.exists()


def test_invisible_recommendation_title_is_refused(assembly, staff):
    recommendation = RecommendationFactory(assembly=assembly, title="Avant")
    with pytest.raises(ValidationFailed) as caught:
        recommendation_services.recommendation_update(
            by=staff, recommendation=recommendation, title="\u200b\u200b", text="Un texte."
        )
    assert caught.value.field == "title"
    recommendation.refresh_from_db()
    assert recommendation.title == "Avant"


def test_invisible_meeting_title_is_refused(assembly, staff):
    with pytest.raises(ValidationFailed) as caught:
        sitting_services.meeting_create(
            by=staff, assembly=assembly, kind="plenary", title="\u202e", date=dt.date(2027, 1, 5)
        )
    assert caught.value.field == "title"
    assert not assembly.meetings.exists()


def test_too_long_meeting_title_is_refused_not_cut(assembly, staff):
    with pytest.raises(ValidationFailed) as caught:
        sitting_services.meeting_create(
            by=staff, assembly=assembly, kind="plenary", title="x" * 201, date=dt.date(2027, 1, 5)
        )
    assert caught.value.field == "title"


def test_invisible_ballot_title_is_refused(sitting, staff):
    with pytest.raises(ValidationFailed) as caught:
        vote_services.ballot_create(by=staff, sitting=sitting, title="\u2068\u200b\u2069")
    assert caught.value.field == "title"
    assert not sitting.ballots.exists()


@pytest.mark.parametrize(
    "question",
    [
        {"kind": "text", "text": "\u200b\u202e"},
        {"kind": "single", "text": "Format", "choices": ["Plénière", "\ufeff"]},
    ],
    ids=["question", "choice"],
)
def test_invisible_questionnaire_texts_are_refused(assembly, staff, question):
    from questionnaires import services as questionnaire_services
    from questionnaires.models import Questionnaire

    with pytest.raises(ValidationFailed) as caught:
        questionnaire_services.questionnaire_create(
            by=staff, assembly=assembly, title="Évaluation", questions=[question]
        )
    assert caught.value.field == "questions"
    assert not Questionnaire.objects.exists()
