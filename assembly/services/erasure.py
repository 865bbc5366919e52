"""The erasure of a person's personal data on request (RGPD)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from assembly.models import SignInLink, User
from assembly.selectors import erase_blocker, forget_roles
from core import audit
from core.errors import Conflict, PermissionDenied
from core.services import require


def person_erase(*, by: User, person: User, reason: str = "") -> User:
    """Erase PERSON's personal data on request (RGPD), keeping the row so contributions keep an author.

    Refused while PERSON holds a mandate or a partner role today or later. Name, email and
    phone are replaced, the password made unusable, API tokens and sign-in links deleted; the
    person's contributions then show as "ancien membre", and every count stays the same.
    """
    require(by, "assembly.erase_personal_data")
    if person.pk == by.pk:
        raise PermissionDenied(_("You cannot erase your own account."))
    with transaction.atomic():
        # Lock: a mandate started meanwhile must not be missed by the check below.
        person = User.objects.select_for_update().get(pk=person.pk)
        # The same checks as the rule's `is_erasable`, made again under the lock, each with its message.
        blocker = erase_blocker(person)
        if blocker == "already_erased":
            raise Conflict(_("This person's data has already been erased."), code="already_erased")
        if blocker == "staff":
            raise Conflict(_("Remove the staff rights of this account before erasing it."))
        if blocker == "mandate_active":
            raise Conflict(
                _("This person still holds a mandate: end it before erasing their data."), code="mandate_active"
            )
        if blocker == "partner_active":
            raise Conflict(_("This person still represents a partner: end that role first."), code="partner_active")
        person.first_name = ""
        person.last_name = ""
        person.phone = ""
        person.email = f"erased-{person.pk}@erased.invalid"
        person.erased_at = timezone.now()
        person.is_active = False
        person.set_unusable_password()
        person.save()
        Token.objects.filter(user=person).delete()
        SignInLink.objects.filter(user=person).delete()
        audit.record(actor=by, action="assembly.person_erase", target=person, reason=reason)
    forget_roles(person)
    return person
