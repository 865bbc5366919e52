"""Every write of the assembly app: sign-in links, invitations and imports, mandates, erasure, tokens.

Each service takes keyword-only arguments (the acting person first), checks its named rule,
runs in one transaction, records an audit event and raises `core.errors` on bad input.
Emails leave only after the transaction commits, so a rolled-back change sends nothing.

- `sign_in`: by password (throttled) or by an emailed single-use link, and the links' errors;
- `mandates`: `mandate_start`, `mandate_end`, with the seats left per territory and college;
- `invitations`: `member_invite` and `members_import` (every row or none, `ImportRejected`);
- `copresidency`: `copresidency_replace` (a proclaimed co-presidency replaces the current one as a
  whole), `copresidency_start` (a free seat), both under the assembly's rule set;
- `erasure`: `person_erase` (RGPD);
- `profile`: a person's language and personal API token.

Callers import from this package; its sub-modules import each other directly.
"""

from assembly.services.copresidency import check_copresidency_rules, copresidency_replace, copresidency_start
from assembly.services.erasure import person_erase
from assembly.services.invitations import ImportRejected, member_invite, members_import
from assembly.services.mandates import mandate_end, mandate_start
from assembly.services.profile import api_token_issue, api_token_revoke, user_language_set
from assembly.services.sign_in import (
    LinkExpired,
    LinkInvalid,
    LinkUsed,
    sign_in_link_consume,
    sign_in_link_inspect,
    sign_in_link_request,
    sign_in_with_password,
)

__all__ = [
    "ImportRejected",
    "LinkExpired",
    "LinkInvalid",
    "LinkUsed",
    "api_token_issue",
    "api_token_revoke",
    "check_copresidency_rules",
    "copresidency_replace",
    "copresidency_start",
    "mandate_end",
    "mandate_start",
    "member_invite",
    "members_import",
    "person_erase",
    "sign_in_link_consume",
    "sign_in_link_inspect",
    "sign_in_link_request",
    "sign_in_with_password",
    "user_language_set",
]
