"""Every write of the proposals app. Keyword-only, the acting user first (`by`), one transaction each.

Public contract used by later apps (votes, recommendations):
`proposal_study`, `proposal_put_to_vote`, `proposal_record_verdict` (and `proposal_adopt`),
`proposal_check_votable` (a ballot or an agenda item may decide this proposal).

- `writing`: `proposal_create`, `proposal_update`;
- `lifecycle`: every status change (`TRANSITIONS`): publish, withdraw, study, put to the vote,
  the verdict, merge;
- `cosignatures`: `proposal_cosign`, `proposal_uncosign`;
- `conversation`: comments, supports, partners' avis, follows, notification settings;
- `moderation`: reports, hiding and unhiding, review requests, themes;
- `attachments`: files attached to a proposal;
- `notifications`: who is told of a change (`stakeholders`, `notify`) and the email digests.

Callers import from this package; its sub-modules import each other directly.
"""

from proposals.services.attachments import attachment_add, attachment_remove
from proposals.services.conversation import (
    comment_edit,
    comment_edit_window,
    comment_post,
    notification_setting_set,
    opinion_post,
    proposal_follow,
    proposal_unfollow,
    support_give,
    support_withdraw,
)
from proposals.services.cosignatures import proposal_cosign, proposal_uncosign
from proposals.services.lifecycle import (
    TRANSITIONS,
    proposal_adopt,
    proposal_check_votable,
    proposal_merge,
    proposal_publish,
    proposal_put_to_vote,
    proposal_record_verdict,
    proposal_study,
    proposal_withdraw,
)
from proposals.services.moderation import (
    comment_hide,
    comment_unhide,
    proposal_hide,
    proposal_unhide,
    report_dismiss,
    report_file,
    review_request,
    theme_create,
    theme_set_priority,
)
from proposals.services.notifications import notify, send_digests, stakeholders
from proposals.services.writing import proposal_create, proposal_update

__all__ = [
    "TRANSITIONS",
    "attachment_add",
    "attachment_remove",
    "comment_edit",
    "comment_edit_window",
    "comment_hide",
    "comment_post",
    "comment_unhide",
    "notification_setting_set",
    "notify",
    "opinion_post",
    "proposal_adopt",
    "proposal_check_votable",
    "proposal_cosign",
    "proposal_create",
    "proposal_follow",
    "proposal_hide",
    "proposal_merge",
    "proposal_publish",
    "proposal_put_to_vote",
    "proposal_record_verdict",
    "proposal_study",
    "proposal_uncosign",
    "proposal_unfollow",
    "proposal_unhide",
    "proposal_update",
    "proposal_withdraw",
    "report_dismiss",
    "report_file",
    "review_request",
    "send_digests",
    "stakeholders",
    "support_give",
    "support_withdraw",
    "theme_create",
    "theme_set_priority",
]
