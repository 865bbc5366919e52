"""Sign-in from a phone: password, emailed link (single use, short-lived), throttling, sign-out."""

from __future__ import annotations

import datetime as dt
import re
import threading

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone

from assembly import services
from assembly.models import SignInLink
from assembly.services import sign_in
from core.errors import ValidationFailed
from core.models import AuditEvent
from tests import factories

PASSWORD = "agora-test-password"


@pytest.fixture
def person(db):
    return factories.UserFactory(email="lea.fabre@agora.test", first_name="Léa")


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Post to the link-request form and run the after-commit callbacks (the email) at once."""

    def post(client, email):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/connexion/lien/", {"email": email})

    return post


def _link_from_mail(message) -> str:
    return re.search(r"https://agora\.example\.org(/connexion/lien/[^/\s]+/)", message.body).group(1)


def test_sign_in_with_password_opens_a_session(anonymous_client, person):
    response = anonymous_client.post("/connexion/", {"email": "Lea.Fabre@agora.test", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert anonymous_client.get("/").context["user"] == person


def test_sign_in_ignores_a_next_url_on_another_site(anonymous_client, person):
    response = anonymous_client.post(
        "/connexion/?next=https://evil.example/", {"email": person.email, "password": PASSWORD}
    )
    assert response["Location"] == "/"


def test_wrong_password_and_unknown_email_get_the_same_answer(anonymous_client, person):
    wrong = anonymous_client.post("/connexion/", {"email": person.email, "password": "nope"})
    unknown = anonymous_client.post("/connexion/", {"email": "nobody@agora.test", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 400
    assert "Adresse e-mail ou mot de passe incorrect." in wrong.content.decode()
    assert "Adresse e-mail ou mot de passe incorrect." in unknown.content.decode()
    assert "_auth_user_id" not in anonymous_client.session


def test_failed_sign_ins_are_throttled_per_account(settings, person):
    settings.SIGN_IN_MAX_FAILURES = 3
    for number in range(3):
        client = Client(REMOTE_ADDR=f"10.0.0.{number}")
        client.post("/connexion/", {"email": person.email, "password": "wrong"})
    client = Client(REMOTE_ADDR="10.0.0.99")
    response = client.post("/connexion/", {"email": person.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Trop de tentatives de connexion" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failed_sign_ins_are_throttled_per_address(settings, person):
    settings.SIGN_IN_MAX_FAILURES = 3
    settings.SIGN_IN_MAX_FAILURES_PER_ADDRESS = 4
    client = Client(REMOTE_ADDR="10.1.1.1")
    for number in range(4):
        client.post("/connexion/", {"email": f"guess{number}@agora.test", "password": "wrong"})
    response = client.post("/connexion/", {"email": person.email, "password": PASSWORD})
    assert response.status_code == 429
    # Another address is not blocked.
    assert (
        Client(REMOTE_ADDR="10.1.1.2").post("/connexion/", {"email": person.email, "password": PASSWORD}).status_code
        == 302
    )


def test_one_address_allows_more_failures_than_one_account(settings, person):
    """A room of phones behind one public address is not locked out by a few typos."""
    settings.SIGN_IN_MAX_FAILURES = 2
    client = Client(REMOTE_ADDR="10.2.2.2")
    for number in range(5):
        client.post("/connexion/", {"email": f"typo{number}@agora.test", "password": "wrong"})
    assert client.post("/connexion/", {"email": person.email, "password": PASSWORD}).status_code == 302


def test_a_successful_sign_in_resets_the_account_counter(settings, person):
    settings.SIGN_IN_MAX_FAILURES = 3
    for _ in range(2):
        services.sign_in_with_password(email=person.email, password=PASSWORD, address=None)
        with pytest.raises(ValidationFailed):
            services.sign_in_with_password(email=person.email, password="bad", address=None)
    assert services.sign_in_with_password(email=person.email, password=PASSWORD, address=None) == person


def test_link_request_sends_a_french_email_with_an_absolute_single_use_link(anonymous_client, person, send):
    response = send(anonymous_client, person.email)
    assert response.status_code == 200
    assert "Consultez votre messagerie" in response.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [person.email]
    assert message.subject == "Votre lien de connexion à Agora"
    assert "Bonjour Léa" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    path = _link_from_mail(message)
    assert f'href="https://agora.example.org{path}"' in html
    # Only the hash of the token is stored.
    token = path.rstrip("/").rsplit("/", 1)[1]
    link = SignInLink.objects.get(user=person)
    assert token not in link.token_hash
    assert len(link.token_hash) == 64
    assert (link.expires_at - link.created_at).total_seconds() == 15 * 60


def test_link_request_for_an_unknown_email_gives_the_same_page_and_sends_nothing(anonymous_client, db, send):
    response = send(anonymous_client, "nobody@agora.test")
    assert response.status_code == 200
    assert "Consultez votre messagerie" in response.content.decode()
    assert mail.outbox == []
    assert not SignInLink.objects.exists()


def test_link_requests_are_throttled(settings, anonymous_client, person, send):
    settings.SIGN_IN_MAX_FAILURES = 2
    send(anonymous_client, person.email)
    send(anonymous_client, person.email)
    response = send(anonymous_client, person.email)
    assert response.status_code == 429
    assert "Trop de liens de connexion" in response.content.decode()
    assert len(mail.outbox) == 2


def test_opening_a_link_does_not_use_it_and_the_button_signs_in(anonymous_client, person, send):
    send(anonymous_client, person.email)
    path = _link_from_mail(mail.outbox[0])
    page = anonymous_client.get(path)
    assert page.status_code == 200
    assert SignInLink.objects.get().used_at is None
    response = anonymous_client.post(path)
    assert response.status_code == 302
    assert anonymous_client.session["_auth_user_id"] == str(person.pk)
    assert SignInLink.objects.get().used_at is not None
    assert AuditEvent.objects.filter(action="assembly.sign_in_link_use").count() == 1


def test_a_used_link_says_so_and_offers_a_new_one(anonymous_client, person, send):
    send(anonymous_client, person.email)
    path = _link_from_mail(mail.outbox[0])
    anonymous_client.post(path)
    other = Client()
    response = other.post(path)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Ce lien a déjà été utilisé" in body
    assert 'action="/connexion/lien/"' in body
    assert "_auth_user_id" not in other.session


def test_an_expired_link_says_so_and_offers_a_new_one(anonymous_client, person, send):
    send(anonymous_client, person.email)
    path = _link_from_mail(mail.outbox[0])
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=15, seconds=1)):
        for response in (anonymous_client.get(path), anonymous_client.post(path)):
            assert response.status_code == 409
            assert "Ce lien a expiré" in response.content.decode()
            assert "Recevoir un nouveau lien" in response.content.decode()
    assert "_auth_user_id" not in anonymous_client.session


def test_an_unknown_link_is_not_valid(anonymous_client, db):
    response = anonymous_client.get("/connexion/lien/not-a-real-token/")
    assert response.status_code == 404
    assert "Ce lien n’est pas valide" in response.content.decode()


def test_a_link_cannot_be_consumed_twice(person):
    _link, token = sign_in._link_issue(user=person, purpose=SignInLink.Purpose.SIGN_IN, max_age=60)
    assert services.sign_in_link_consume(token=token) == person
    with pytest.raises(services.LinkUsed):
        services.sign_in_link_consume(token=token)


def test_a_click_that_read_the_link_before_another_used_it_is_refused(person, monkeypatch):
    """The conditional UPDATE, not the earlier read, decides: a stale read cannot sign in twice."""
    link, token = sign_in._link_issue(user=person, purpose=SignInLink.Purpose.SIGN_IN, max_age=60)
    stale = SignInLink.objects.select_related("user").get(pk=link.pk)
    assert services.sign_in_link_consume(token=token) == person
    monkeypatch.setattr(sign_in, "sign_in_link_inspect", lambda token: stale)
    with pytest.raises(services.LinkUsed):
        services.sign_in_link_consume(token=token)


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_clicks_sign_in_only_once():
    if connection.vendor == "sqlite":
        pytest.skip("the in-memory test database of SQLite locks whole tables; run on PostgreSQL")
    person = factories.UserFactory()
    _link, token = sign_in._link_issue(user=person, purpose=SignInLink.Purpose.SIGN_IN, max_age=60)
    results = []
    barrier = threading.Barrier(2)

    def click():
        try:
            barrier.wait()
            results.append(services.sign_in_link_consume(token=token).pk)
        except services.LinkUsed:
            results.append("used")
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(map(str, results)) == sorted([str(person.pk), "used"])


def test_erased_person_cannot_sign_in(person):
    person.erased_at = timezone.now()
    person.save()
    with pytest.raises(ValidationFailed):
        services.sign_in_with_password(email=person.email, password=PASSWORD, address=None)


def test_sign_out_ends_the_session(member_client):
    response = member_client.post("/deconnexion/")
    assert response.status_code == 302
    assert "_auth_user_id" not in member_client.session


def test_sign_in_page_is_in_french_with_labels(anonymous_client, db):
    body = anonymous_client.get("/connexion/").content.decode()
    assert '<label for="id_email"' in body
    assert '<label for="id_password"' in body
    assert '<label for="link_email"' in body
    assert "Mot de passe" in body
