"""ballot_create refuses what is too long, on the field it concerns, and never cuts it."""

from __future__ import annotations

import pytest

from core.errors import ValidationFailed
from votes import services
from votes.models import Ballot, BallotOption


def _create(staff, sitting, **kwargs):
    return services.ballot_create(by=staff, sitting=sitting, **{"title": "Adoptez-vous ?", **kwargs})


def test_a_title_of_300_characters_is_kept_whole(staff, sitting):
    title = "Q" * 299 + "?"
    assert _create(staff, sitting, title=title).title == title


def test_a_title_over_300_characters_is_refused_not_cut(staff, sitting):
    with pytest.raises(ValidationFailed) as error:
        _create(staff, sitting, title="Q" * 301)
    assert error.value.field == "title"
    assert not Ballot.objects.exists()


def test_a_blank_title_is_refused(staff, sitting):
    with pytest.raises(ValidationFailed) as error:
        _create(staff, sitting, title="   ")
    assert error.value.field == "title"


def test_an_option_label_of_200_characters_is_kept_whole(staff, sitting):
    label = "L" * 200
    ballot = _create(staff, sitting, kind=Ballot.Kind.SINGLE, options=[label, "Autre"])
    assert list(BallotOption.objects.filter(ballot=ballot).values_list("label", flat=True)) == [label, "Autre"]


def test_an_option_label_over_200_characters_is_refused_not_cut(staff, sitting):
    with pytest.raises(ValidationFailed) as error:
        _create(staff, sitting, kind=Ballot.Kind.RANKING, options=["Logement", "L" * 201])
    assert error.value.field == "options"
    assert not Ballot.objects.exists() and not BallotOption.objects.exists()


def test_labels_are_stripped_and_blank_lines_left_out(staff, sitting):
    ballot = _create(staff, sitting, kind=Ballot.Kind.SINGLE, options=["  Logement ", "", "   ", "Santé"])
    assert list(BallotOption.objects.filter(ballot=ballot).values_list("label", flat=True)) == ["Logement", "Santé"]


def test_a_yes_no_ballot_ignores_the_options_given(staff, sitting):
    ballot = _create(staff, sitting, options=["L" * 500])
    assert list(BallotOption.objects.filter(ballot=ballot).values_list("code", flat=True)) == ["yes", "no", "abstain"]


def test_the_page_refuses_a_title_over_300_characters(staff_client, sitting):
    response = staff_client.post(
        f"/votes/gestion/seances/{sitting.pk}/scrutins/",
        {"title": "Q" * 301, "kind": "yes_no", "max_choices": 1, "majority": "simple"},
    )
    assert response.status_code == 200 and not Ballot.objects.exists()


def test_the_api_refuses_an_option_label_over_200_characters(staff_client, sitting):
    response = staff_client.post(
        f"/api/v1/sittings/{sitting.pk}/ballots/",
        {"title": "Priorités", "kind": "ranking", "options": ["Logement", "L" * 201]},
        content_type="application/json",
    )
    assert response.status_code == 400 and "options" in response.json()["error"]["fields"]
    assert not Ballot.objects.exists()
