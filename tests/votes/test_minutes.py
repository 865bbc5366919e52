"""The minutes (procès-verbal) of a sitting: generated from the records, edited, adopted, published.

Each figure of the PDF and the ODT (present, represented, quorum, counts) is read back with the
formats' own libraries (pypdf, zipfile + XML) and checked against the database.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
import time_machine
from defusedxml import ElementTree
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from assembly.models import College, Gender
from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.models import AuditEvent
from meetings.models import AgendaItem, Sitting
from meetings.services import attendance as attendance_services
from meetings.services import sittings as sitting_services
from tests import factories
from tests.shared import files
from tests.shared.documents import csv_rows, pdf_text
from tests.votes.conftest import cast, option
from votes import minutes_document, services
from votes.models import Ballot, Minutes, Verdict

TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def odt_text(data: bytes) -> str:
    """The text of an ODT: every paragraph and heading of content.xml, one per line."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"
        root = ElementTree.fromstring(archive.read("content.xml"))
    lines = ["".join(el.itertext()) for el in root.iter() if el.tag in (f"{{{TEXT_NS}}}p", f"{{{TEXT_NS}}}h")]
    return "\n".join(lines)


def words(text: str) -> str:
    """TEXT with every run of white space (non-breaking ones too) as one space."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


@pytest.fixture
def held_sitting(assembly, sitting, staff, present_members):
    """A sitting held and closed: four members present, one represented by proxy, two absent (one a
    co-president), an item with a named ballot and an item with a secret ballot, both closed."""
    represented = factories.MandateFactory(assembly=assembly, college=College.CITIZEN, gender=Gender.WOMAN).user
    factories.ProxyFactory(sitting=sitting, giver=represented, holder=present_members[0])
    chair = factories.MandateFactory(assembly=assembly, is_copresident=True, college=College.ELECTED).user
    absent = factories.MandateFactory(assembly=assembly).user
    vote_item = factories.AgendaItemFactory(
        sitting=sitting, position=1, title="Transports scolaires", kind=AgendaItem.Kind.VOTE
    )
    secret_item = factories.AgendaItemFactory(
        sitting=sitting, position=2, title="Motion sur l'eau", kind=AgendaItem.Kind.DEBATE
    )
    named = services.ballot_open(
        by=staff, ballot=factories.BallotFactory(sitting=sitting, agenda_item=vote_item, title="Adoptez-vous le plan ?")
    )
    secret = services.ballot_open(
        by=staff,
        ballot=factories.BallotFactory(sitting=sitting, agenda_item=secret_item, secret=True, title="Motion secrète ?"),
    )
    yes, no = option(named, "yes"), option(named, "no")
    for person, choice in zip(present_members, [yes, yes, yes, no], strict=True):
        cast(person, named, choice)
    cast(present_members[0], named, yes, on_behalf_of=represented)
    s_yes, s_no = option(secret, "yes"), option(secret, "no")
    for person, choice in zip(present_members, [s_no, s_no, s_yes, s_no], strict=True):
        cast(person, secret, choice)
    services.ballot_close(by=staff, ballot=named)
    services.ballot_close(by=staff, ballot=secret)
    sitting_services.sitting_close(by=staff, sitting=sitting)
    return {
        "sitting": Sitting.objects.get(pk=sitting.pk),
        "named": Ballot.objects.get(pk=named.pk),
        "secret": Ballot.objects.get(pk=secret.pk),
        "present": present_members,
        "represented": represented,
        "chair": chair,
        "absent": absent,
    }


def _read(minutes: Minutes) -> tuple[str, str]:
    with minutes.pdf.open("rb") as handle:
        pdf = words(pdf_text(handle.read()))
    with minutes.odt.open("rb") as handle:
        odt = words(odt_text(handle.read()))
    return pdf, odt


def test_generated_minutes_hold_every_figure_of_the_database(held_sitting, staff):
    minutes = services.minutes_generate(by=staff, sitting=held_sitting["sitting"])
    assert (minutes.version, minutes.state, minutes.origin) == (1, "draft", "generated")
    for text in _read(minutes):
        assert "Procès-verbal de la séance" in text
        assert held_sitting["sitting"].assembly.name in text
        assert "Hôtel de Région, Montpellier" in text
        assert held_sitting["chair"].display_name in text
        # Attendance: 7 members, 4 present, 1 represented (with the holder named), 2 absent.
        assert "Membres de l'assemblée : 7" in text
        assert "Présents : 4" in text
        assert "Représentés par procuration : 1" in text
        assert "Absents non représentés : 2" in text
        assert held_sitting["represented"].display_name in text
        assert "n’enregistre pas les absences excusées" in text
        for item in ("Point 1 : Transports scolaires", "Point 2 : Motion sur l'eau"):
            assert item in text
        for key in ("named", "secret"):
            ballot = held_sitting[key]
            verdict = Verdict.objects.get(ballot=ballot)
            assert f"Scrutin n° {ballot.pk} : {ballot.title}" in text
            assert (
                f"membres : {verdict.members_count}, présents : {verdict.present_count}, "
                f"représentés par procuration : {verdict.represented_count} — quorum atteint"
            ) in text
            assert f"votes exprimés : {verdict.votes_cast}, électeurs : {verdict.electorate}" in text
            assert verdict.fingerprint in text
            assert verdict.get_outcome_display() in text
            options = list(ballot.options.order_by("position"))
            assert "Votants " + " ".join(o.label for o in options) in text
            total = " ".join(str(verdict.counts["options"][str(o.pk)]) for o in options)
            assert f"Ensemble des votants {total}" in text
            for college, counts in verdict.breakdown["results_by_college"].items():
                row = " ".join(str(counts["options"][str(o.pk)]) for o in options)
                label = {"elected": "élu", "citizen": "citoyen"}[college]
                assert f"collège : {label} {row}" in text
        assert "Règle de majorité : majorité simple" in text


def test_the_figures_match_the_verdicts(held_sitting, staff):
    named = Verdict.objects.get(ballot=held_sitting["named"])
    secret = Verdict.objects.get(ballot=held_sitting["secret"])
    # The fixture's own arithmetic, so that the text checks above check real numbers.
    assert (named.members_count, named.present_count, named.represented_count) == (7, 4, 1)
    assert named.votes_cast == 5 and named.outcome == Verdict.Outcome.ADOPTED
    assert secret.votes_cast == 4 and secret.outcome == Verdict.Outcome.REJECTED


def test_named_ballots_list_names_and_secret_ones_never_do(held_sitting, staff):
    minutes = services.minutes_generate(by=staff, sitting=held_sitting["sitting"])
    for text in _read(minutes):
        named_part, secret_part = text.split(f"Scrutin n° {held_sitting['secret'].pk}")
        for person in held_sitting["present"]:
            assert person.display_name in named_part.split("Votes nominatifs")[1]
        assert f"{held_sitting['represented'].display_name} Pour" in named_part
        assert "Scrutin secret : le procès-verbal ne nomme aucun votant." in secret_part
        secret_results = secret_part.split("À propos de ce procès-verbal")[0]
        for person in held_sitting["present"]:
            assert person.display_name not in secret_results
        assert "genre :" not in secret_results and "département :" not in secret_results


def test_reading_the_minutes_takes_a_fixed_number_of_queries(held_sitting, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        data = minutes_document.read_minutes(held_sitting["sitting"])
    with django_assert_max_num_queries(0):
        minutes_document.minutes_blocks(data)


def test_minutes_are_reproducible_from_the_same_records(held_sitting, staff):
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1), tick=False):
        first = services.minutes_generate(by=staff, sitting=held_sitting["sitting"])
        second = services.minutes_generate(by=staff, sitting=held_sitting["sitting"])
    assert second.version == 2
    assert first.odt_sha256 == second.odt_sha256
    with first.pdf.open("rb") as a, second.pdf.open("rb") as b:
        assert a.read() == b.read()


def test_generate_refused_while_the_sitting_is_open(sitting, staff):
    with pytest.raises(Conflict) as error:
        services.minutes_generate(by=staff, sitting=sitting)
    assert error.value.code == "sitting_not_closed"
    assert not Minutes.objects.exists()


def test_generate_refused_while_a_ballot_is_still_open(sitting, staff, present_members):
    services.ballot_open(by=staff, ballot=factories.BallotFactory(sitting=sitting))
    sitting_services.sitting_close(by=staff, sitting=sitting)
    with pytest.raises(Conflict) as error:
        services.minutes_generate(by=staff, sitting=sitting)
    assert error.value.code == "ballot_still_open"
    assert not Minutes.objects.exists()


def test_candidates_and_ranking_ballots_read_as_words(sitting, staff, present_members):
    candidates = services.ballot_open(
        by=staff,
        ballot=factories.BallotFactory(
            sitting=sitting, kind=Ballot.Kind.CANDIDATES, options=["Alice Martin", "Bruno Roux"], title="Validation ?"
        ),
    )
    alice, bruno = option(candidates, "Alice Martin"), option(candidates, "Bruno Roux")
    for person in present_members:
        cast(person, candidates, {str(alice): "yes", str(bruno): "no"})
    ranking = services.ballot_open(
        by=staff, ballot=factories.BallotFactory(sitting=sitting, kind=Ballot.Kind.RANKING, title="Priorités ?")
    )
    a, b, c = (option(ranking, label) for label in ("Option A", "Option B", "Option C"))
    for person in present_members:
        cast(person, ranking, [b, a, c])
    services.ballot_close(by=staff, ballot=candidates)
    services.ballot_close(by=staff, ballot=ranking)
    sitting_services.sitting_close(by=staff, sitting=sitting)
    for text in _read(services.minutes_generate(by=staff, sitting=sitting)):
        assert "Ensemble des votants Alice Martin 4 0 0" in text
        assert "Ensemble des votants Bruno Roux 0 4 0" in text
        assert "Alice Martin : pour, Bruno Roux : contre" in text
        assert "Votants Option A Option B Option C" in text
        assert "Ensemble des votants 0 4 0" in text
        assert "Option B > Option A > Option C" in text


def test_generate_refused_to_a_member(held_sitting):
    with pytest.raises(PermissionDenied):
        services.minutes_generate(by=held_sitting["present"][0], sitting=held_sitting["sitting"])
    assert not Minutes.objects.exists()


def test_adopted_minutes_are_frozen_regenerating_is_refused(held_sitting, staff):
    draft = services.minutes_generate(by=staff, sitting=held_sitting["sitting"])
    adopted = services.minutes_adopt(by=staff, minutes=draft)
    assert adopted.state == Minutes.State.ADOPTED and adopted.adopted_by == staff and adopted.adopted_at
    with pytest.raises(Conflict) as error:
        services.minutes_generate(by=staff, sitting=held_sitting["sitting"])
    assert error.value.code == "minutes_adopted"
    odt = SimpleUploadedFile("pv.odt", draft.odt.open("rb").read())
    with pytest.raises(Conflict):
        services.minutes_upload_edited(by=staff, sitting=held_sitting["sitting"], odt_file=odt)
    with pytest.raises(Conflict):
        services.minutes_adopt(by=staff, minutes=draft)
    assert Minutes.objects.count() == 1
    assert AuditEvent.objects.filter(action="votes.minutes_adopt").count() == 1


def test_the_database_holds_one_adopted_version_per_sitting(held_sitting, staff):
    first = services.minutes_generate(by=staff, sitting=held_sitting["sitting"])
    second = services.minutes_generate(by=staff, sitting=held_sitting["sitting"])
    services.minutes_adopt(by=staff, minutes=first)
    with pytest.raises(IntegrityError), transaction.atomic():
        Minutes.objects.filter(pk=second.pk).update(state="adopted", adopted_at=timezone.now(), adopted_by=staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        Minutes.objects.filter(pk=second.pk).update(version=first.version)


def test_staff_upload_an_edited_odt_as_a_new_version(held_sitting, staff):
    generated = services.minutes_generate(by=staff, sitting=held_sitting["sitting"])
    data = generated.odt.open("rb").read()
    edited = services.minutes_upload_edited(
        by=staff, sitting=held_sitting["sitting"], odt_file=SimpleUploadedFile("pv-corrigé.odt", data)
    )
    assert (edited.version, edited.origin, edited.state) == (2, "edited", "draft")
    assert not edited.pdf
    assert AuditEvent.objects.filter(action="votes.minutes_upload_edited", target_id=str(edited.pk)).exists()


def test_an_edited_version_may_come_with_its_pdf_checked_by_content(held_sitting, staff):
    services.minutes_generate(by=staff, sitting=held_sitting["sitting"])
    with pytest.raises(ValidationFailed) as error:
        services.minutes_upload_edited(
            by=staff,
            sitting=held_sitting["sitting"],
            odt_file=SimpleUploadedFile("pv.odt", files.odt()),
            pdf_file=SimpleUploadedFile("pv.pdf", b"not a pdf"),
        )
    assert error.value.field == "pdf" and Minutes.objects.count() == 1
    edited = services.minutes_upload_edited(
        by=staff,
        sitting=held_sitting["sitting"],
        odt_file=SimpleUploadedFile("pv.odt", files.odt()),
        pdf_file=SimpleUploadedFile("pv.pdf", files.PDF),
    )
    with edited.pdf.open("rb") as handle:
        assert handle.read() == files.PDF


def test_an_edited_version_needs_a_generated_one_first(held_sitting, staff):
    with pytest.raises(Conflict) as error:
        services.minutes_upload_edited(
            by=staff, sitting=held_sitting["sitting"], odt_file=SimpleUploadedFile("pv.odt", files.odt())
        )
    assert error.value.code == "minutes_not_generated"
    assert not Minutes.objects.exists()


@pytest.mark.parametrize(
    "name, content",
    [
        ("pv.odt", b"%PDF-1.4 not an odt"),
        ("pv.odt", b"just text"),
        ("pv.odt", b""),
        ("pv.docx", b"PK\x03\x04" + b"\x00" * 100),
    ],
    ids=["pdf", "text", "empty", "zip"],
)
def test_upload_of_a_non_odt_is_refused_and_changes_nothing(held_sitting, staff, name, content):
    services.minutes_generate(by=staff, sitting=held_sitting["sitting"])
    with pytest.raises(ValidationFailed) as error:
        services.minutes_upload_edited(
            by=staff, sitting=held_sitting["sitting"], odt_file=SimpleUploadedFile(name, content)
        )
    assert error.value.field == "odt"
    assert Minutes.objects.count() == 1


def test_attendance_sheet_csv_lists_every_member_with_their_status(held_sitting, staff_client):
    response = staff_client.get(
        reverse("votes:attendance_sheet", kwargs={"sitting_id": held_sitting["sitting"].pk, "fmt": "csv"})
    )
    assert response.status_code == 200
    rows = csv_rows(response.content)
    header, body = rows[0], rows[1:]
    assert header[:6] == ["Nom", "Prénom", "Collège", "Territoire", "Statut", "Représenté par"]
    by_name = {(row[0], row[1]): row for row in body}
    assert len(body) == 7
    for person in held_sitting["present"]:
        assert by_name[(person.last_name, person.first_name)][4] == "présent"
    giver = held_sitting["represented"]
    holder = held_sitting["present"][0]
    assert by_name[(giver.last_name, giver.first_name)][4:6] == ["représenté", holder.display_name]
    assert by_name[(holder.last_name, holder.first_name)][8] == giver.display_name
    assert by_name[(held_sitting["absent"].last_name, held_sitting["absent"].first_name)][4] == "absent"


def test_attendance_sheet_names_a_formula_as_text(assembly, sitting, staff, staff_client):
    person = factories.MandateFactory(assembly=assembly, user__last_name="=HYPERLINK(1)").user
    attendance_services.attendance_mark_present(by=staff, sitting=sitting, user=person)
    response = staff_client.get(reverse("votes:attendance_sheet", kwargs={"sitting_id": sitting.pk, "fmt": "csv"}))
    assert any(row[0] == "'=HYPERLINK(1)" for row in csv_rows(response.content))


def test_attendance_sheet_pdf_counts(held_sitting, staff_client, member_client):
    url = reverse("votes:attendance_sheet", kwargs={"sitting_id": held_sitting["sitting"].pk, "fmt": "pdf"})
    assert member_client.get(url).status_code == 403
    text = words(pdf_text(staff_client.get(url).content))
    assert "Présents : 4" in text and "Représentés par procuration : 1" in text
    assert held_sitting["represented"].display_name in text


def test_pages_generate_adopt_and_publish(held_sitting, staff_client, client):
    sitting = held_sitting["sitting"]
    manage = reverse("votes:minutes_manage", kwargs={"sitting_id": sitting.pk})
    assert staff_client.post(manage, {"action": "generate"}).status_code == 302
    minutes = Minutes.objects.get()
    download = reverse("votes:minutes_download", kwargs={"pk": minutes.pk, "fmt": "pdf"})
    assert client.get(download).status_code == 404  # a draft is not published
    assert staff_client.get(download).status_code == 200
    public = client.get(reverse("votes:minutes_published"))
    assert sitting.title not in public.content.decode()
    assert staff_client.post(manage, {"action": "adopt", "minutes": minutes.pk}).status_code == 302
    public = client.get(reverse("votes:minutes_published")).content.decode()
    assert download in public
    response = client.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")
    odt = client.get(reverse("votes:minutes_download", kwargs={"pk": minutes.pk, "fmt": "odt"}))
    assert odt.status_code == 200
    page = staff_client.get(manage).content.decode()
    assert "adoptée" in page


def test_present_means_checked_in_during_the_sitting_even_if_gone_since(held_sitting, staff, staff_client):
    sitting = held_sitting["sitting"]
    leaver = held_sitting["present"][1]
    sitting.attendances.filter(user=leaver).update(checked_out_at=timezone.now())
    rows = csv_rows(
        staff_client.get(reverse("votes:attendance_sheet", kwargs={"sitting_id": sitting.pk, "fmt": "csv"})).content
    )
    line = next(row for row in rows if row[:2] == [leaver.last_name, leaver.first_name])
    assert line[4] == "présent" and line[7]  # with the time of leaving


def test_page_uploads_an_edited_version(held_sitting, staff_client, staff):
    services.minutes_generate(by=staff, sitting=held_sitting["sitting"])
    manage = reverse("votes:minutes_manage", kwargs={"sitting_id": held_sitting["sitting"].pk})
    response = staff_client.post(manage, {"action": "upload", "odt": SimpleUploadedFile("pv.odt", files.odt())})
    assert response.status_code == 302
    assert Minutes.objects.get(version=2).origin == Minutes.Origin.EDITED


def test_page_shows_the_refusal_of_a_non_odt(held_sitting, staff_client, staff):
    services.minutes_generate(by=staff, sitting=held_sitting["sitting"])
    manage = reverse("votes:minutes_manage", kwargs={"sitting_id": held_sitting["sitting"].pk})
    response = staff_client.post(manage, {"action": "upload", "odt": SimpleUploadedFile("pv.odt", b"plain text")})
    assert response.status_code == 200
    assert "Seul un fichier texte OpenDocument (.odt) est accepté." in response.content.decode()
    assert Minutes.objects.count() == 1


@pytest.mark.parametrize("fmt", ["docx", "PDF", "odt.pdf", "xlsx"])
def test_minutes_download_answers_404_for_an_unknown_format(held_sitting, staff, staff_client, fmt):
    minutes = services.minutes_generate(by=staff, sitting=held_sitting["sitting"])
    response = staff_client.get(reverse("votes:minutes_download", kwargs={"pk": minutes.pk, "fmt": fmt}))
    assert response.status_code == 404
