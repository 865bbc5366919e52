"""Every write of the proposals app. Keyword-only, the acting user first (`by`), one transaction each.

Public contract used by later apps (votes, recommendations):
`proposal_study`, `proposal_put_to_vote`, `proposal_record_verdict` (and `proposal_adopt`).
"""

from proposals.services.attachments import *  # noqa: F403
from proposals.services.conversation import *  # noqa: F403
from proposals.services.lifecycle import *  # noqa: F403
from proposals.services.moderation import *  # noqa: F403
from proposals.services.notifications import notify as notify
from proposals.services.notifications import send_digests as send_digests
