"""Named rules of the votes app, checked the same way by pages, the API and the websocket consumers.

- `votes.view_ballot`: follow a sitting's ballots and its live room (members, partners, staff).
- `votes.cast_ballot`: cast a vote — a member of the ballot's assembly today, never staff.
  Every vote asks it in `votes.services.decide`, with the roles a vote batch reads for all its
  voters at once (`predicates.casting_right`), after the replay check and before the ballot's
  state, the electorate and the proxy.
- `votes.manage_ballot`: prepare, open, extend, close and cancel ballots (staff).
"""

import rules

from votes.predicates import can_manage, can_view, can_vote

rules.add_perm("votes.view_ballot", can_view)
rules.add_perm("votes.cast_ballot", can_vote)
rules.add_perm("votes.manage_ballot", can_manage)
