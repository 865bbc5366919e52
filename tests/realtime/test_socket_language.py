"""Messages on the socket are in the person's language, chosen as the pages choose it: the language
cookie, else Accept-Language, else the site's default (French)."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings

from backend.asgi import application
from realtime.consumers import language_from_scope
from tests import factories
from tests.realtime.conftest import ORIGIN, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)

ENGLISH = "This message is not valid JSON."
FRENCH = "Ce message n’est pas du JSON valide."


def _scope(cookie: str = "", accept: str = "") -> dict:
    headers = []
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    if accept:
        headers.append((b"accept-language", accept.encode()))
    return {"headers": headers}


@pytest.mark.parametrize(
    ("cookie", "accept", "language"),
    [
        (f"{settings.LANGUAGE_COOKIE_NAME}=en", "fr-FR,fr;q=0.9", "en"),
        (f"{settings.LANGUAGE_COOKIE_NAME}=fr", "en-GB", "fr"),
        ("", "en-GB,en;q=0.8", "en"),
        ("", "de-DE", settings.LANGUAGE_CODE),
        (f"{settings.LANGUAGE_COOKIE_NAME}=xx", "", settings.LANGUAGE_CODE),
        ("", "", settings.LANGUAGE_CODE),
    ],
)
def test_the_socket_s_language_is_chosen_as_the_pages_choose_it(cookie, accept, language):
    assert language_from_scope(_scope(cookie, accept)) == language


@pytest.mark.parametrize(("language", "expected"), [("en", ENGLISH), ("fr", FRENCH)])
async def test_a_refusal_on_the_socket_is_in_the_member_s_language(assembly, language, expected):
    sitting = await sync_to_async(factories.SittingFactory)(meeting__assembly=assembly)
    member = await sync_to_async(lambda: factories.MandateFactory(assembly=assembly).user)()
    cookie = await sync_to_async(session_cookie)(member) + f"; {settings.LANGUAGE_COOKIE_NAME}={language}".encode()
    headers = [(b"host", b"testserver"), (b"origin", ORIGIN), (b"cookie", cookie)]
    ws = WebsocketCommunicator(application, f"/ws/v1/sittings/{sitting.pk}/", headers=headers)
    connected, _ = await ws.connect()
    assert connected
    while (await ws.receive_json_from())["type"] != "snapshot":
        pass
    await ws.send_to(text_data="{not json")
    error = await ws.receive_json_from()
    assert (error["code"], error["message"]) == ("bad_json", expected)
    await ws.disconnect()
