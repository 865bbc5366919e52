"""Named rules of the votes app, checked the same way by pages, the API and the websocket consumers.

`votes.cast_ballot` is the coarse right (a member of the ballot's assembly, not staff);
`votes.services.vote_cast` then checks the electorate, the proxy and the ballot state, with
fresh roles, so that a mandate ending mid-sitting stops the member at the next vote.
"""

import rules

from votes.predicates import ballot_is_draft, ballot_is_open, can_manage, can_view, can_vote

rules.add_perm("votes.view_ballot", can_view)
rules.add_perm("votes.cast_ballot", can_vote)
rules.add_perm("votes.manage_ballot", can_manage)
rules.add_perm("votes.prepare_ballot", can_manage & ballot_is_draft)
rules.add_perm("votes.control_ballot", can_manage & ballot_is_open)
