"""Named rules of the votes app, checked the same way by pages, the API and the websocket consumers.

- `votes.view_ballot`: follow a sitting's ballots and its live room (members, partners, staff).
- `votes.cast_ballot`: cast a vote — a member of the ballot's assembly today, never staff.
  Every vote asks it in `votes.services.decide`, with the roles a vote batch reads for all its
  voters at once (`predicates.casting_right`), after the replay check and before the ballot's
  state, the electorate and the proxy.
- `votes.manage_ballot`: prepare, open, extend, close and cancel ballots (staff).
- `votes.assist_vote`: record, at the staff desk, the vote of a present member who has no phone
  (staff). Asked by `votes.services.vote_assist` (every path: the staff socket's `vote.assist`,
  the REST API, the staff control page) and, with fresh roles, by the socket for each message.
  Staff only today: every staff member already runs the ballots; a sitting's named assessor
  would narrow this predicate, nothing else.
- `votes.manage_minutes`: generate a sitting's minutes, upload a version staff edited, record
  their adoption, download drafts and the attendance sheet (staff). Asked by
  `votes.services.minutes_*` and the minutes page.
- `votes.proclaim_election`: proclaim those a closed election elected, which starts their
  co-presidency (staff, as for running the ballots). Asked by `election_proclaim`, the desk's
  button and the API.
"""

import rules

from votes.predicates import can_assist, can_manage, can_manage_minutes, can_view, can_vote

rules.add_perm("votes.view_ballot", can_view)
rules.add_perm("votes.cast_ballot", can_vote)
rules.add_perm("votes.manage_ballot", can_manage)
rules.add_perm("votes.assist_vote", can_assist)
rules.add_perm("votes.manage_minutes", can_manage_minutes)
rules.add_perm("votes.proclaim_election", can_manage)
