"""Pages of workshop tables, documents, proxies and leaving."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from meetings.models import Attendance, MeetingDocument, Proxy, TableContribution
from meetings.services import attendance as attendance_services
from meetings.services import proxies as proxy_services
from meetings.services import tables as tab
from tests import factories
from tests.workshops.conftest import make_sitting_with_present
from votes import services as vote_services
from votes.models import Ballot

pytestmark = pytest.mark.django_db


# --- tables --------------------------------------------------------------------------------------
def test_staff_splits_from_the_page_and_sees_rapporteurs(staff_client, assembly):
    sitting, _users = make_sitting_with_present(assembly, 24)
    response = staff_client.post(f"/reunions/gestion/seances/{sitting.pk}/tables/", {"seed": "2"})
    assert response.status_code == 302
    html = staff_client.get(f"/reunions/gestion/seances/{sitting.pk}/tables/").content.decode()
    assert "Table 1" in html and "Table 2" in html and "Rapporteur" in html


def test_member_cannot_open_the_tables_page(member_client, assembly):
    sitting, _users = make_sitting_with_present(assembly, 10)
    assert member_client.get(f"/reunions/gestion/seances/{sitting.pk}/tables/").status_code == 403


def test_rapporteur_captures_from_the_phone_page_and_others_cannot(client, staff, assembly, themes):
    sitting, _users = make_sitting_with_present(assembly, 20)
    tables = tab.tables_split(by=staff, sitting=sitting)
    table = tables[0]
    client.force_login(table.rapporteur)
    url = f"/reunions/seances/{sitting.pk}/ma-table/"
    assert 'name="title"' in client.get(url).content.decode()
    response = client.post(
        url, {"kind": "priority", "theme": themes[1].pk, "title": "Maisons de santé", "body": "Une par bassin."}
    )
    assert response.status_code == 302
    assert TableContribution.objects.get().table == table
    other = table.seats.exclude(user=table.rapporteur).first().user
    client.force_login(other)
    assert 'name="title"' not in client.get(url).content.decode()
    assert client.post(url, {"kind": "priority", "theme": themes[1].pk, "title": "x", "body": "y"}).status_code == 403
    assert TableContribution.objects.count() == 1


def test_priorities_ballot_open_ranks_the_tables_themes(staff, member, assembly, themes):
    sitting, _users = make_sitting_with_present(assembly, 30)
    tables = tab.tables_split(by=staff, sitting=sitting)
    with pytest.raises(Exception) as err:
        vote_services.priorities_ballot_open(by=staff, sitting=sitting)
    assert err.value.code == "not_enough_priorities"
    for table, theme in zip(tables, [themes[2], themes[0], themes[2]], strict=True):
        tab.table_contribute(by=table.rapporteur, table=table, kind="priority", title="P", body="B", theme=theme)
    with pytest.raises(Exception) as err:
        vote_services.priorities_ballot_open(by=member, sitting=sitting)
    assert err.value.code == "forbidden"
    ballot = vote_services.priorities_ballot_open(by=staff, sitting=sitting)
    assert ballot.kind == Ballot.Kind.RANKING and ballot.state == "open"
    # Most cited first: Alimentation (two tables), then Mobilités.
    assert list(ballot.options.order_by("position").values_list("label", flat=True)) == ["Alimentation", "Mobilités"]


def test_priorities_button_opens_the_ballot(staff_client, staff, assembly, themes):
    sitting, _users = make_sitting_with_present(assembly, 20)
    tables = tab.tables_split(by=staff, sitting=sitting)
    for table, theme in zip(tables, themes, strict=False):
        tab.table_contribute(by=table.rapporteur, table=table, kind="priority", title="P", body="B", theme=theme)
    html = staff_client.get(f"/reunions/gestion/seances/{sitting.pk}/tables/").content.decode()
    assert f"/votes/gestion/seances/{sitting.pk}/priorites/" in html
    response = staff_client.post(f"/votes/gestion/seances/{sitting.pk}/priorites/")
    assert response.status_code == 302
    assert Ballot.objects.get(sitting=sitting).state == "open"


# --- documents on the meeting page ---------------------------------------------------------------
def test_staff_uploads_a_document_from_the_meeting_page(
    staff_client, member_client, future_meeting, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    url = f"/reunions/calendrier/{future_meeting.pk}/"
    assert 'enctype="multipart/form-data"' in staff_client.get(url).content.decode()
    assert 'enctype="multipart/form-data"' not in member_client.get(url).content.decode()
    response = staff_client.post(
        f"{url}documents/",
        {"file": SimpleUploadedFile("p.pdf", b"%PDF-1.4\n%%EOF\n"), "kind": "programme", "title": "Programme"},
    )
    assert response.status_code == 302
    assert "Programme" in staff_client.get(url).content.decode()
    response = staff_client.post(
        f"{url}documents/", {"file": SimpleUploadedFile("x.pdf", b"MZ" + b"\0" * 100), "kind": "slides"}, follow=True
    )
    assert "Seuls les fichiers PDF et OpenDocument" in response.content.decode()
    assert MeetingDocument.objects.count() == 1
    assert (
        member_client.post(
            f"{url}documents/", {"file": SimpleUploadedFile("p.pdf", b"%PDF-1.4\n%%EOF\n"), "kind": "programme"}
        ).status_code
        == 302
    )
    assert MeetingDocument.objects.count() == 1


# --- member: leave and proxy ---------------------------------------------------------------------
def test_member_leaves_then_gives_a_proxy_to_a_present_member(client, assembly):
    sitting, users = make_sitting_with_present(assembly, 4)
    leaver, holder = users[0], users[1]
    client.force_login(leaver)
    assert client.post(f"/reunions/seances/{sitting.pk}/depart/").status_code == 302
    assert Attendance.objects.get(sitting=sitting, user=leaver).checked_out_at is not None
    page = client.get(f"/reunions/seances/{sitting.pk}/procuration/").content.decode()
    assert f'value="{holder.pk}"' in page and f'value="{leaver.pk}"' not in page
    response = client.post(f"/reunions/seances/{sitting.pk}/procuration/", {"holder": holder.pk})
    assert response.status_code == 302
    proxy = Proxy.objects.get(sitting=sitting)
    assert (proxy.giver, proxy.holder, proxy.state) == (leaver, holder, "pending")
    client.post(f"/reunions/seances/{sitting.pk}/procuration/{proxy.pk}/retrait/")
    assert Proxy.objects.get(pk=proxy.pk).state == "withdrawn"


def test_a_present_member_cannot_give_a_proxy(client, assembly):
    sitting, users = make_sitting_with_present(assembly, 4)
    client.force_login(users[0])
    response = client.post(f"/reunions/seances/{sitting.pk}/procuration/", {"holder": users[1].pk})
    assert response.status_code == 400 and "vous votez vous-même" in response.content.decode().lower()
    assert not Proxy.objects.exists()


def test_proxy_page_offers_exactly_the_holders_the_service_accepts(client, assembly):
    sitting, users = make_sitting_with_present(assembly, 4)
    absent = factories.MandateFactory(assembly=assembly).user
    gave_away = factories.MandateFactory(assembly=assembly).user
    proxy_services.proxy_give(by=gave_away, sitting=sitting, giver=gave_away, holder=users[1])
    outsider = factories.MandateFactory(
        assembly=factories.AssemblyFactory(slug="autre", name="Autre assemblée", short_name="AA")
    ).user
    attendance_services.attendance_check_out(by=users[0], sitting=sitting, user=users[0])
    client.force_login(users[0])
    page = client.get(f"/reunions/seances/{sitting.pk}/procuration/").content.decode()
    # An absent member may hold the proxy (it counts once they are in the room when a ballot opens).
    assert f'value="{absent.pk}"' in page and f'value="{users[1].pk}"' in page
    assert f'value="{gave_away.pk}"' not in page and f'value="{outsider.pk}"' not in page
    assert f'value="{users[0].pk}"' not in page
    response = client.post(f"/reunions/seances/{sitting.pk}/procuration/", {"holder": outsider.pk})
    assert response.status_code == 400 and not Proxy.objects.filter(giver=users[0]).exists()
    response = client.post(f"/reunions/seances/{sitting.pk}/procuration/", {"holder": absent.pk})
    assert response.status_code == 302
    assert Proxy.objects.get(giver=users[0]).holder == absent


def test_the_main_menu_links_to_meetings(anonymous_client):
    html = anonymous_client.get("/").content.decode()
    assert 'href="/reunions/calendrier/">Réunions<' in html
