"""Named rules of the proposals app, checked the same way by pages, API and services."""

import rules

from assembly.predicates import is_authenticated
from proposals.predicates import (
    can_contribute,
    can_see,
    is_author,
    is_comment_author,
    is_cosigner,
    is_draft,
    is_hidden,
    is_member,
    is_open,
    is_partner,
    is_published,
    is_staff_or_admin,
    is_untouched,
    is_withdrawable,
)

# Members write proposals and RETEX (in the assembly of the proposal, when there is one).
rules.add_perm("proposals.submit_proposal", is_member)
rules.add_perm("proposals.view_proposal", can_see)
# The author rewrites a draft freely, and a published proposal until its first comment or support.
rules.add_perm("proposals.edit_proposal", is_author & (is_draft | (is_published & is_untouched)))
# Staff change published content at any time, with a reason recorded in a version.
rules.add_perm("proposals.staff_edit_proposal", is_staff_or_admin & ~is_draft)
rules.add_perm("proposals.publish_proposal", is_author & is_draft)
rules.add_perm("proposals.withdraw_proposal", is_author & is_withdrawable)
rules.add_perm("proposals.change_status", is_staff_or_admin)
rules.add_perm("proposals.cosign_proposal", is_member & ~is_author & ~is_cosigner & is_open)
rules.add_perm("proposals.withdraw_cosignature", is_cosigner & is_open)
rules.add_perm("proposals.support_proposal", is_member & ~is_author & is_open)
rules.add_perm("proposals.comment_proposal", can_contribute & is_open)
rules.add_perm("proposals.edit_comment", is_comment_author)
rules.add_perm("proposals.post_opinion", is_partner & is_open)
rules.add_perm("proposals.follow_proposal", is_authenticated & can_see)
rules.add_perm("proposals.report_content", is_authenticated)
rules.add_perm("proposals.moderate", is_staff_or_admin)
rules.add_perm("proposals.request_review", (is_author | is_comment_author) & is_hidden)
rules.add_perm("proposals.manage_themes", is_staff_or_admin)
rules.add_perm("proposals.add_attachment", is_author & (is_draft | (is_published & is_untouched)))
