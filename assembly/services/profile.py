"""What a person changes of their own account: the language of the pages, their personal API token."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from assembly.models import User
from core import audit
from core.errors import ValidationFailed
from core.services import require


def user_language_set(*, user: User, language: str) -> User:
    if language not in dict(settings.LANGUAGES):
        raise ValidationFailed(_("Unknown language."), field="language")
    with transaction.atomic():
        user.language = language
        user.save(update_fields=["language"])
        audit.record(actor=user, action="assembly.user_language_set", target=user, data={"language": language})
    return user


def api_token_issue(*, user: User) -> Token:
    """A new personal API token for USER; any previous one stops working."""
    require(user, "assembly.manage_api_token")
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        token = Token.objects.create(user=user)
        audit.record(actor=user, action="assembly.api_token_issue", target=user)
    return token


def api_token_revoke(*, user: User) -> None:
    require(user, "assembly.manage_api_token")
    with transaction.atomic():
        deleted, _details = Token.objects.filter(user=user).delete()
        if deleted:
            audit.record(actor=user, action="assembly.api_token_revoke", target=user)
