"""The speakers list: present members ask to speak on the item in progress, staff order the list,
give the floor and end speeches; bad requests are refused and change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from core.errors import DomainError
from core.models import AuditEvent
from meetings.models import SpeakerRequest
from meetings.selectors import speakers as speaker_selectors
from meetings.services import agenda as agenda_services
from meetings.services import attendance as attendance_services
from meetings.services import speakers as speaker_services
from tests import factories
from tests.shared.errors import code_of


@pytest.fixture
def items(staff, sitting):
    debate = agenda_services.agenda_item_add(by=staff, sitting=sitting, title="Mobilités rurales", kind="debate")
    other = agenda_services.agenda_item_add(by=staff, sitting=sitting, title="Budget", kind="vote")
    agenda_services.agenda_item_make_current(by=staff, item=debate)
    debate.refresh_from_db()
    return debate, other


@pytest.fixture
def debate(items):
    return items[0]


def _snapshot():
    return list(SpeakerRequest.objects.order_by("pk").values()), AuditEvent.objects.count()


def _present(staff, sitting, user):
    attendance_services.attendance_mark_present(by=staff, sitting=sitting, user=user)
    return user


# --- asking and withdrawing ----------------------------------------------------------------------


def test_a_present_member_asks_to_speak_and_is_put_at_the_end(staff, sitting, debate, present_members):
    first, second = present_members[:2]
    one = speaker_services.speaker_request(by=first, item=debate)
    two = speaker_services.speaker_request(by=second, item=debate)
    assert (one.state, two.state) == ("waiting", "waiting")
    assert [r.person_id for r in speaker_selectors.waiting_list(debate)] == [first.pk, second.pk]
    assert AuditEvent.objects.filter(action="meetings.speaker_request").count() == 2


def test_an_absent_member_is_refused_and_nothing_changes(sitting, debate, member):
    before = _snapshot()
    with translation.override("fr"), pytest.raises(DomainError) as info:
        speaker_services.speaker_request(by=member, item=debate)
    assert info.value.code == "not_present"
    assert str(info.value.message).startswith("Émargez d’abord\u202f: seules les personnes présentes")
    assert _snapshot() == before


def test_a_member_who_checked_out_is_absent(staff, sitting, debate, member):
    _present(staff, sitting, member)
    attendance_services.attendance_check_out(by=staff, sitting=sitting, user=member)
    assert code_of(lambda: speaker_services.speaker_request(by=member, item=debate)) == "not_present"
    assert not SpeakerRequest.objects.exists()


def test_a_partner_asks_only_when_staff_allow_it(staff, sitting, debate, partner):
    _present(staff, sitting, partner)
    before = _snapshot()
    assert code_of(lambda: speaker_services.speaker_request(by=partner, item=debate)) == "partners_not_allowed"
    assert _snapshot() == before
    speaker_services.speakers_configure(by=staff, sitting=sitting, partners_may_speak=True, speaking_seconds=120)
    request = speaker_services.speaker_request(by=partner, item=debate)
    assert request.state == "waiting"


def test_staff_and_strangers_do_not_ask_to_speak(staff, sitting, debate):
    stranger = factories.MandateFactory(
        assembly=factories.AssemblyFactory(slug="pmer", short_name="PMer", name="Parlement de la Mer")
    ).user
    for person in (staff, stranger):
        assert code_of(lambda person=person: speaker_services.speaker_request(by=person, item=debate)) == "forbidden"
    assert not SpeakerRequest.objects.exists()


def test_asking_on_an_item_not_in_progress_is_refused(sitting, items, present_members):
    _debate, other = items
    before = _snapshot()
    assert code_of(lambda: speaker_services.speaker_request(by=present_members[0], item=other)) == (
        "agenda_item_not_current"
    )
    assert _snapshot() == before


def test_asking_twice_is_refused(debate, present_members):
    speaker_services.speaker_request(by=present_members[0], item=debate)
    before = _snapshot()
    assert code_of(lambda: speaker_services.speaker_request(by=present_members[0], item=debate)) == "already_asked"
    assert _snapshot() == before


def test_a_member_withdraws_their_own_request_only(debate, present_members):
    mine = speaker_services.speaker_request(by=present_members[0], item=debate)
    before = _snapshot()
    assert code_of(lambda: speaker_services.speaker_withdraw(by=present_members[1], request=mine)) == "forbidden"
    assert _snapshot() == before
    speaker_services.speaker_withdraw(by=present_members[0], request=mine)
    assert SpeakerRequest.objects.get(pk=mine.pk).state == "withdrawn"
    # Withdrawn, they may ask again: a new request at the end of the list.
    again = speaker_services.speaker_request(by=present_members[0], item=debate)
    assert again.pk != mine.pk and again.position > mine.position


# --- order and floor (staff) ---------------------------------------------------------------------


def test_staff_reorder_the_list(staff, debate, present_members):
    a, b, c = (speaker_services.speaker_request(by=p, item=debate) for p in present_members[:3])
    speaker_services.speaker_move(by=staff, request=c, direction="up")
    assert [r.pk for r in speaker_selectors.waiting_list(debate)] == [a.pk, c.pk, b.pk]
    before = _snapshot()
    assert code_of(lambda: speaker_services.speaker_move(by=staff, request=a, direction="up")) == "speaker_at_end"
    assert code_of(lambda: speaker_services.speaker_move(by=staff, request=a, direction="sideways")) == "invalid"
    assert code_of(lambda: speaker_services.speaker_move(by=present_members[0], request=b, direction="up")) == (
        "forbidden"
    )
    assert _snapshot() == before


def test_staff_give_the_floor_and_the_previous_speaker_is_done(staff, sitting, debate, present_members):
    a, b = (speaker_services.speaker_request(by=p, item=debate) for p in present_members[:2])
    speaker_services.speaker_give_floor(by=staff, request=a)
    a.refresh_from_db()
    assert a.state == "speaking" and a.granted_seconds == sitting.speaking_seconds == 180
    speaker = speaker_selectors.live_speaker(debate)
    assert speaker is not None and speaker.pk == a.pk
    assert 175 <= speaker_selectors.seconds_left(speaker) <= 180
    speaker_services.speaker_give_floor(by=staff, request=b, seconds=60)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.state, b.state, b.granted_seconds) == ("done", "speaking", 60)
    assert a.ended_at is not None
    speaker_services.speaker_end(by=staff, item=debate)
    b.refresh_from_db()
    assert b.state == "done" and speaker_selectors.live_speaker(debate) is None


def test_a_member_cannot_give_the_floor(debate, present_members):
    a = speaker_services.speaker_request(by=present_members[0], item=debate)
    before = _snapshot()
    assert code_of(lambda: speaker_services.speaker_give_floor(by=present_members[0], request=a)) == "forbidden"
    assert _snapshot() == before


def test_giving_the_floor_twice_or_with_a_bad_time_is_refused(staff, debate, present_members):
    a = speaker_services.speaker_request(by=present_members[0], item=debate)
    speaker_services.speaker_give_floor(by=staff, request=a)
    before = _snapshot()
    assert code_of(lambda: speaker_services.speaker_give_floor(by=staff, request=a)) == "speaker_not_waiting"
    b = speaker_services.speaker_request(by=present_members[1], item=debate)
    before = _snapshot()
    for seconds in (0, 5, 99_999, "60"):
        assert (
            code_of(lambda s=seconds: speaker_services.speaker_give_floor(by=staff, request=b, seconds=s)) == "invalid"
        )
    assert _snapshot() == before


def test_the_database_holds_one_speaker_per_item(staff, debate, present_members):
    a, b = (speaker_services.speaker_request(by=p, item=debate) for p in present_members[:2])
    speaker_services.speaker_give_floor(by=staff, request=a)
    with pytest.raises(IntegrityError), transaction.atomic():
        SpeakerRequest.objects.filter(pk=b.pk).update(state="speaking", started_at=timezone.now(), granted_seconds=60)
    with pytest.raises(IntegrityError), transaction.atomic():
        SpeakerRequest.objects.create(agenda_item=debate, person=present_members[1], position=9)


def test_ending_when_nobody_speaks_is_refused(staff, debate):
    before = _snapshot()
    assert code_of(lambda: speaker_services.speaker_end(by=staff, item=debate)) == "nobody_speaking"
    assert _snapshot() == before


def test_moving_to_another_item_ends_the_speech(staff, items, present_members):
    debate, other = items
    a = speaker_services.speaker_request(by=present_members[0], item=debate)
    speaker_services.speaker_give_floor(by=staff, request=a)
    agenda_services.agenda_item_make_current(by=staff, item=other)
    a.refresh_from_db()
    assert a.state == "done" and a.ended_at is not None


def test_closing_the_item_ends_the_speech(staff, debate, present_members):
    a = speaker_services.speaker_request(by=present_members[0], item=debate)
    speaker_services.speaker_give_floor(by=staff, request=a)
    agenda_services.agenda_item_finish(by=staff, item=debate)
    a.refresh_from_db()
    assert a.state == "done"
    # The item is over: nobody may ask to speak on it.
    assert code_of(lambda: speaker_services.speaker_request(by=present_members[1], item=debate)) == (
        "agenda_item_not_current"
    )


def test_every_change_is_announced_after_commit(staff, debate, present_members, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        request = speaker_services.speaker_request(by=present_members[0], item=debate)
    assert callbacks
    with django_capture_on_commit_callbacks() as callbacks:
        speaker_services.speaker_give_floor(by=staff, request=request)
    assert callbacks


# --- parity ------------------------------------------------------------------------------------


def test_parity_counts_speaking_time_by_college_and_gender(staff, sitting, debate, present_members, partner):
    now = timezone.now()
    elected_woman, elected_man, citizen_woman, _citizen_man = present_members
    _present(staff, sitting, partner)
    for person, seconds in ((elected_woman, 120), (citizen_woman, 60), (elected_man, 30), (partner, 45)):
        SpeakerRequest.objects.create(
            agenda_item=debate,
            person=person,
            position=person.pk,
            state="done",
            started_at=now - dt.timedelta(seconds=seconds),
            ended_at=now,
            granted_seconds=180,
        )
    parity = speaker_selectors.speaking_parity(sitting, now=now)
    cells = {(r["college"], r["gender"]): r["seconds"] for r in parity["rows"]}
    assert cells[("elected", "woman")] == 120
    assert cells[("elected", "man")] == 30
    assert cells[("citizen", "woman")] == 60
    assert cells[("citizen", "man")] == 0
    assert parity["by_college"] == {"elected": 150, "citizen": 60, "partner": 45}
    assert parity["by_gender"] == {"woman": 180, "man": 30}
    assert parity["total"] == 255
    assert parity["running"] is None


def test_parity_names_the_speech_in_progress(staff, sitting, debate, present_members):
    citizen_man = present_members[3]
    request = speaker_services.speaker_request(by=citizen_man, item=debate)
    speaker_services.speaker_give_floor(by=staff, request=request)
    parity = speaker_selectors.speaking_parity(sitting)
    assert parity["running"] == {"college": "citizen", "gender": "man"}
    assert parity["at"]


def test_the_floor_in_the_live_state(staff, sitting, debate, present_members):
    a, b = (speaker_services.speaker_request(by=p, item=debate) for p in present_members[:2])
    speaker_services.speaker_give_floor(by=staff, request=a, seconds=90)
    public, staff_part = speaker_selectors.floor(sitting, debate.pk)
    assert public["speaker"]["name"] == present_members[0].display_name
    assert public["speaker"]["seconds"] == 90 and public["speaker"]["ends_at"]
    assert public["waiting"] == [present_members[1].pk] and public["queue_length"] == 1
    assert "queue" not in public and "parity" not in public
    assert staff_part["queue"] == [
        {"request": b.pk, "person": present_members[1].pk, "name": present_members[1].display_name}
    ]
    assert staff_part["parity"]["total"] >= 0
