"""Next year's priority themes, from the ranking question of a closed questionnaire."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from assembly.models import User
from core.audit import record
from core.errors import Conflict, ValidationFailed
from core.services import require
from proposals import services as proposal_services
from proposals.models import Theme
from questionnaires.models import Question, Questionnaire
from questionnaires.selectors import ranking_scores


def themes_seed_from_ranking(*, by: User, question: Question, top: int = 5) -> list[Theme]:
    """Make the TOP choices of a closed questionnaire's ranking question next year's priority themes.

    A choice linked to an existing theme is reused; others become new themes (through the
    proposals service). Returns the themes, best ranked first.
    """
    require(by, "questionnaires.manage_questionnaire", question.questionnaire)
    if question.kind != Question.Kind.RANKING:
        raise ValidationFailed(_("Only a ranking question can seed themes."), field="question")
    if question.questionnaire.state != Questionnaire.State.CLOSED:
        raise Conflict(_("Close the questionnaire first."), code="questionnaire_not_closed")
    if not 1 <= top <= 20:
        raise ValidationFailed(_("Choose between 1 and 20 themes."), field="top")
    ranked = ranking_scores(question)[:top]
    themes = []
    with transaction.atomic():
        for row in ranked:
            choice = row["choice"]
            theme = choice.theme if choice.theme_id else Theme.objects.filter(name__iexact=choice.label).first()
            if theme is None:
                themes.append(proposal_services.theme_create(by=by, name=choice.label, is_priority=True))
            else:
                themes.append(proposal_services.theme_set_priority(by=by, theme=theme, is_priority=True))
        record(
            actor=by,
            action="questionnaires.questionnaire_seed_themes",
            target=question.questionnaire,
            data={"question": question.pk, "themes": [t.pk for t in themes]},
        )
    return themes
