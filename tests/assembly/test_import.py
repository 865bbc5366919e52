"""Import of a members file: every row checked first, every bad row reported in French, all or nothing."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from assembly import services
from assembly.models import College, Gender, Mandate, SignInLink, User
from core.errors import PermissionDenied
from core.models import AuditEvent
from tests import factories

HEADER = "Prénom;Nom;Courriel;Téléphone;Territoire;Collège;Genre;Titre du mandat;Date de début"


@pytest.fixture
def territories(assembly):
    gignac = factories.TerritoryFactory(name="Pays Cœur d'Hérault", slug="pays-coeur-d-herault")
    foix = factories.TerritoryFactory(name="PETR de l'Ariège", slug="petr-de-l-ariege")
    assembly.territories.add(gignac, foix)
    return gignac, foix


def _csv(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode("utf-8")


GOOD = [
    "Josiane;Marty;josiane.marty@example.org;06 11 22 33 44;Pays Cœur d'Hérault;élue;F;Maire de Gignac;01/03/2024",
    "Paul;Vidal;paul.vidal@example.org;;pays coeur d'herault;Élu;H;Adjoint au maire de Aniane;2024-03-01",
    "Inès;Puech;ines.puech@example.org;;PETR de l'Ariège;citoyenne;femme;;",
    "Marc;Rigal;MARC.RIGAL@example.org;+33 6 00 00 00 00;petr de l'ariege;Citoyen;homme;Citoyen engagé;15/04/2024",
]


def test_a_good_csv_file_creates_members_invites_them_and_is_audited(
    staff, assembly, territories, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mandates = services.members_import(by=staff, assembly=assembly, file_name="membres.csv", content=_csv(*GOOD))
    assert len(mandates) == 4
    josiane = Mandate.objects.get(user__email="josiane.marty@example.org")
    assert (josiane.college, josiane.gender, josiane.title) == (College.ELECTED, Gender.WOMAN, "Maire de Gignac")
    assert josiane.start_date.isoformat() == "2024-03-01"
    assert josiane.user.first_name == "Josiane" and josiane.user.phone == "06 11 22 33 44"
    assert Mandate.objects.get(user__email="marc.rigal@example.org").college == College.CITIZEN
    assert Mandate.objects.get(user__email="ines.puech@example.org").territory == territories[1]
    assert len(mail.outbox) == 4
    assert all(m.subject.startswith("Vous êtes invité") for m in mail.outbox)
    assert SignInLink.objects.filter(purpose=SignInLink.Purpose.INVITATION).count() == 4
    assert AuditEvent.objects.filter(action="assembly.member_invite").count() == 4
    assert AuditEvent.objects.filter(action="assembly.person_create").count() == 4
    assert AuditEvent.objects.filter(action="assembly.members_import").count() == 1


def test_a_good_xlsx_file_with_a_full_name_column_is_imported(staff, assembly, territories):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Nom complet", "E-mail", "Territoire", "Collège", "Sexe", "Mandat", "Date d'entrée"])
    import datetime as dt

    sheet.append(
        ["Hélène Cabrol", "helene@example.org", "Pays Cœur d'Hérault", "élue", "F", "Maire", dt.date(2024, 5, 2)]
    )
    sheet.append(["Joël Costes", "joel@example.org", "PETR de l'Ariège", "citoyen", "H", None, "03/05/2024"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    mandates = services.members_import(by=staff, assembly=assembly, file_name="membres.xlsx", content=buffer.getvalue())
    assert [(m.user.first_name, m.user.last_name) for m in mandates] == [("Hélène", "Cabrol"), ("Joël", "Costes")]
    assert mandates[0].start_date == dt.date(2024, 5, 2)
    assert mandates[1].start_date == dt.date(2024, 5, 3)


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_imported(staff, assembly, territories):
    factories.MandateFactory(
        assembly=assembly, territory=territories[1], user__email="deja@example.org", college=College.ELECTED
    )
    users_before = User.objects.count()
    content = _csv(
        GOOD[0],  # line 2: good
        "Anne;Roux;anne@example.org;;Pays Cœur d'Hérault;sénateur;F;;",  # 3: wrong college
        "Luc;Mas;luc@example.org;;Pays Imaginaire;élu;H;;",  # 4: unknown territory
        "Zoé;Bories;josiane.marty@example.org;;PETR de l'Ariège;citoyenne;F;;",  # 5: duplicate email in the file
        "Yves;Sarda;deja@example.org;;PETR de l'Ariège;citoyen;H;;",  # 6: already a member
        "Guy;Camps;guy@example.org;;PETR de l'Ariège;citoyen",  # 7: malformed line
        "Rose;;rose@example.org;;PETR de l'Ariège;citoyenne;F;;",  # 8: missing name
        "Léon;Pujol;leon@example.org;;PETR de l'Ariège;citoyen;H;;31/02/2024",  # 9: bad date
        "Eva;Lagarde;pas-une-adresse;;PETR de l'Ariège;citoyenne;X;;",  # 10: bad email and gender
    )
    with pytest.raises(services.ImportRejected) as caught:
        services.members_import(by=staff, assembly=assembly, file_name="membres.csv", content=content)
    problems = [str(p) for p in caught.value.problems]
    assert problems == [
        "Ligne 3 : collège « sénateur » inconnu (attendu : élu ou citoyen).",
        "Ligne 4 : territoire « Pays Imaginaire » inconnu dans AdT.",
        "Ligne 5 : l’adresse josiane.marty@example.org figure déjà à la ligne 2.",
        "Ligne 6 : deja@example.org est déjà membre.",
        "Ligne 7 : ligne mal formée : 6 champs au lieu de 9.",
        "Ligne 8 : le nom manque.",
        "Ligne 9 : « 31/02/2024 » n’est pas une date (attendu : JJ/MM/AAAA ou AAAA-MM-JJ).",
        "Ligne 10 : « pas-une-adresse » n’est pas une adresse e-mail valide.",
        "Ligne 10 : genre « X » inconnu (attendu : F ou H).",
    ]
    assert User.objects.count() == users_before
    assert Mandate.objects.count() == 1
    assert mail.outbox == []
    assert not AuditEvent.objects.exists()


def test_missing_columns_are_reported_on_the_header_line(staff, assembly, territories):
    content = b"Nom,Courriel\nMarty,josiane@example.org\n"
    with pytest.raises(services.ImportRejected) as caught:
        services.members_import(by=staff, assembly=assembly, file_name="m.csv", content=content)
    assert [str(p) for p in caught.value.problems] == ["Ligne 1 : Colonnes manquantes : territoire, collège, genre."]


def test_a_territory_cannot_get_more_seats_than_it_has(staff, assembly, territories):
    content = _csv(
        "A;Un;a1@example.org;;PETR de l'Ariège;élu;F;;",
        "B;Deux;a2@example.org;;PETR de l'Ariège;élu;H;;",
        "C;Trois;a3@example.org;;PETR de l'Ariège;élue;F;;",
    )
    with pytest.raises(services.ImportRejected) as caught:
        services.members_import(by=staff, assembly=assembly, file_name="m.csv", content=content)
    assert [str(p) for p in caught.value.problems] == [
        "Ligne 4 : PETR de l'Ariège n’a plus de siège libre dans le collège « élu »."
    ]


def test_a_file_that_is_not_a_table_is_refused(staff, assembly, territories):
    with pytest.raises(services.ImportRejected) as caught:
        services.members_import(by=staff, assembly=assembly, file_name="m.xlsx", content=b"PK\x03\x04 not a workbook")
    assert "classeur XLSX" in str(caught.value.problems[0])


def test_members_cannot_import(member, assembly, territories):
    with pytest.raises(PermissionDenied):
        services.members_import(by=member, assembly=assembly, file_name="m.csv", content=_csv(GOOD[0]))


def test_import_page_lists_every_problem(staff_client, assembly, territories):
    upload = SimpleUploadedFile("membres.csv", _csv(GOOD[0], "Anne;Roux;anne@example.org;;Nulle part;élue;F;;"))
    response = staff_client.post("/membres/importer/", {"file": upload})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Le fichier n’a pas été importé" in body
    assert "Ligne 3 : territoire « Nulle part » inconnu dans AdT." in body
    assert not User.objects.filter(email="josiane.marty@example.org").exists()


def test_import_page_imports_a_good_file(staff_client, assembly, territories):
    upload = SimpleUploadedFile("membres.csv", _csv(*GOOD))
    response = staff_client.post("/membres/importer/", {"file": upload}, follow=True)
    assert response.status_code == 200
    assert "4 membres importés et invités." in response.content.decode()


@pytest.mark.parametrize("client_name", ["member_client", "partner_client", "anonymous_client"])
def test_import_page_is_for_staff_only(request, client_name, assembly):
    client = request.getfixturevalue(client_name)
    response = client.get("/membres/importer/")
    assert response.status_code in (302, 403)
