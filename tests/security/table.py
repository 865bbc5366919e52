"""The declared answer of every route for every role (see test_route_matrix.py).

Objects belong to someone else than the actor (`w.other_member`), so a "member" row says what
a member may do to ANOTHER member's proposal. Writes carry a valid body, so a denial is the
rules' answer, not a validation error.
"""

from __future__ import annotations

import uuid

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.security.matrix import ALLOW, HIDDEN, every, members_only, route, signed_in, staff_only

PROPOSAL = lambda w: {"pk": w.proposal.pk}  # noqa: E731
DRAFT = lambda w: {"pk": w.draft.pk}  # noqa: E731
COMMENT = lambda w: {"pk": w.comment.pk}  # noqa: E731
ATTACHMENT = lambda w: {"pk": w.attachment.pk}  # noqa: E731
REPORT = lambda w: {"pk": w.report.pk}  # noqa: E731
MEMBER = lambda w: {"pk": w.other_member.pk}  # noqa: E731
REASON = lambda w: {"reason": "Motif de test"}  # noqa: E731
API_ANON = 403  # DRF with session authentication first answers 403 to an anonymous caller

SITTING = lambda w: {"pk": w.sitting.pk}  # noqa: E731
LIVE = lambda w: {"sitting_id": w.sitting.pk}  # noqa: E731
BALLOT = lambda w: {"pk": w.ballot.pk}  # noqa: E731
PROXY = lambda w: {"pk": w.proxy.pk}  # noqa: E731


def a_vote(w) -> dict:
    return {"vote_id": str(uuid.uuid4()), "choice": w.ballot.options.get(code="yes").pk}


ENTRIES = [
    # --- project-level ---------------------------------------------------------------------------
    route("healthz", get=every(200), why="load balancer probe"),
    route("set_language", post=every(302)),
    route("schema", get=every(200)),
    route("api-docs", get=every(200)),
    route("api-redoc", get=every(200)),
    route("admin", url=lambda w: "/admin/", get=every(302, staff=200, admin=200), why="admin summarised: its index"),
    route("^media/(?P<path>.*)$", url=lambda w: "/media/none.pdf", get=every(404), why="DEBUG-only file serving"),
    # --- assembly --------------------------------------------------------------------------------
    route("assembly:home", get=every(200)),
    route("assembly:sign_in", get=every(302, anonymous=200)),
    route("assembly:sign_in_link_request", get=every(200)),
    route("assembly:sign_in_link", kwargs=lambda w: {"token": "not-a-token"}, get=every(404)),
    route("assembly:sign_out", post=every(302)),
    route("assembly:composition", get=staff_only()),
    route("assembly:members", get=staff_only()),
    route("assembly:invite", get=staff_only()),
    route("assembly:import", get=staff_only()),
    route("assembly:member_detail", kwargs=MEMBER, get=staff_only()),
    route("assembly:profile", get=signed_in(200)),
    route("assembly:profile_data", get=signed_in(200)),
    route("assembly:profile_language", post=signed_in(302)),
    route("assembly:profile_token", post=signed_in(302)),
    route("api:me", get=every(200, anonymous=API_ANON)),
    # --- proposals: pages ------------------------------------------------------------------------
    route("proposals:list", get=every(200)),
    route("proposals:new", get=members_only(200, others=302)),
    route("proposals:drafts", get=signed_in(200)),
    route("proposals:moderation", get=staff_only(200, others=404)),
    route("proposals:preferences", get=signed_in(200)),
    route("proposals:detail", kwargs=PROPOSAL, get=every(200)),
    route(
        "proposals:edit",
        kwargs=PROPOSAL,
        get=signed_in(403, staff=200, admin=200),
        why="only the author (and staff, to moderate) may open another member's proposal for editing",
    ),
    # Page buttons always come back to the detail page (302) with a message; what they changed is
    # checked in test_object_level.py.
    route("proposals:action", kwargs=lambda w: {"pk": w.proposal.pk, "name": "support"}, post=signed_in(302)),
    route("proposals:comment_action", kwargs=lambda w: {"pk": w.comment.pk, "name": "report"}, post=signed_in(302)),
    # --- proposals: API --------------------------------------------------------------------------
    route("api:theme-list", get=every(200)),
    route(
        "api:proposal-list",
        get=every(200),
        post=members_only(201, others=403, anonymous=API_ANON),
        data=lambda w: {
            "title": "Une navette pour les villages",
            "body": "Relier les villages au marché chaque samedi.",
        },
    ),
    route("api:proposal-drafts", get=every(200, anonymous=API_ANON)),
    route("api:proposal-report-queue", get=staff_only(200, anonymous=API_ANON)),
    route("api:proposal-report-dismiss", kwargs=REPORT, post=staff_only(200, anonymous=API_ANON)),
    route("api:proposal-notification-setting", get=every(200, anonymous=API_ANON)),
    route(
        "api:proposal-detail",
        kwargs=PROPOSAL,
        get=every(200),
        patch=every(403, anonymous=API_ANON, staff=ALLOW, admin=ALLOW),
        data=lambda w: {"title": "Titre changé par un autre"},
        why="staff may edit a proposal to moderate it (with a reason)",
    ),
    route("api:proposal-publish", kwargs=DRAFT, post=every(HIDDEN, anonymous=API_ANON)),
    route("api:proposal-withdraw", kwargs=PROPOSAL, post=every(403, anonymous=API_ANON)),
    route("api:proposal-study", kwargs=PROPOSAL, post=staff_only(200, anonymous=API_ANON)),
    route("api:proposal-put-to-vote", kwargs=PROPOSAL, post=staff_only(200, anonymous=API_ANON)),
    route(
        "api:proposal-verdict",
        kwargs=PROPOSAL,
        post=staff_only(ALLOW, anonymous=API_ANON),
        data=lambda w: {"adopted": True, "reason": "Vote de la plénière"},
    ),
    route(
        "api:proposal-merge",
        kwargs=PROPOSAL,
        post=staff_only(ALLOW, anonymous=API_ANON),
        data=lambda w: {"into": w.other_proposal.pk, "reason": "Doublon"},
    ),
    route("api:proposal-hide", kwargs=PROPOSAL, post=staff_only(200, anonymous=API_ANON), data=REASON),
    route("api:proposal-unhide", kwargs=PROPOSAL, post=staff_only(ALLOW, anonymous=API_ANON)),
    route("api:proposal-support", kwargs=PROPOSAL, post=members_only(204, anonymous=API_ANON)),
    route("api:proposal-cosign", kwargs=PROPOSAL, post=members_only(204, anonymous=API_ANON)),
    route("api:proposal-follow", kwargs=PROPOSAL, post=every(204, anonymous=API_ANON)),
    route(
        "api:proposal-comments",
        kwargs=PROPOSAL,
        get=every(200),
        post=every(201, anonymous=API_ANON, former_member=403),
        data=lambda w: {"body": "Un commentaire de test."},
    ),
    route(
        "api:proposal-opinions",
        kwargs=PROPOSAL,
        get=every(200),
        post=every(403, anonymous=API_ANON, partner=201),
        data=lambda w: {"body": "Avis de l'organisation partenaire."},
    ),
    route("api:proposal-versions", kwargs=PROPOSAL, get=every(200)),
    route(
        "api:proposal-attachments",
        kwargs=PROPOSAL,
        post=every(403, anonymous=API_ANON),
        data=lambda w: {"file": SimpleUploadedFile("note.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")},
    ),
    route("api:proposal-report", kwargs=PROPOSAL, post=every(201, anonymous=API_ANON), data=REASON),
    route(
        "api:proposal-request-review",
        kwargs=PROPOSAL,
        post=every(403, anonymous=API_ANON),
        data=lambda w: {"text": "Merci de revoir la décision."},
    ),
    route(
        "api:proposal-comment-detail",
        kwargs=COMMENT,
        patch=every(403, anonymous=API_ANON),
        data=lambda w: {"body": "Réécrit par un autre."},
    ),
    route("api:proposal-comment-hide", kwargs=COMMENT, post=staff_only(200, anonymous=API_ANON), data=REASON),
    route("api:proposal-comment-unhide", kwargs=COMMENT, post=staff_only(ALLOW, anonymous=API_ANON)),
    route("api:proposal-comment-report", kwargs=COMMENT, post=every(201, anonymous=API_ANON), data=REASON),
    route(
        "api:proposal-comment-request-review",
        kwargs=COMMENT,
        post=every(HIDDEN, anonymous=API_ANON),
        why="only the author of a hidden comment may ask for a review; a visible one has nothing to review",
        data=lambda w: {"text": "Merci de revoir la décision."},
    ),
    route("api:proposal-attachment-detail", kwargs=ATTACHMENT, delete=every(403, anonymous=API_ANON)),
]

ENTRIES += [
    # --- meetings: API ---------------------------------------------------------------------------
    route("api:sitting-detail", kwargs=SITTING, get=every(200, anonymous=API_ANON, former_member=403)),
    route("api:sitting-quorum", kwargs=SITTING, get=every(200, anonymous=API_ANON, former_member=403)),
    route("api:sitting-check-in-token", kwargs=SITTING, get=staff_only(200, anonymous=API_ANON)),
    route("api:sitting-check-in", post=every(400, anonymous=API_ANON), data=lambda w: {"token": "forged"}),
    route(
        "api:sitting-check-out",
        kwargs=SITTING,
        post=every(409, anonymous=API_ANON, member=200, copresident=200, former_member=403),
        why="a member checks themself out; someone not checked in gets a conflict",
    ),
    route(
        "api:sitting-attendance",
        kwargs=SITTING,
        post=staff_only(ALLOW, anonymous=API_ANON),
        data=lambda w: {"user": w.other_member.pk},
    ),
    route(
        "api:sitting-proxies",
        kwargs=SITTING,
        get=every(200, anonymous=API_ANON, former_member=403),
        post=every(403, anonymous=API_ANON, member=ALLOW, copresident=ALLOW),
        data=lambda w: {"holder": w.users["copresident"].pk},
        why="partners and former members never vote, so never give a proxy; staff record paper ones with giver=",
    ),
    route("api:proxy-validate", kwargs=PROXY, post=staff_only(200, anonymous=API_ANON)),
    route("api:proxy-refuse", kwargs=PROXY, post=staff_only(200, anonymous=API_ANON)),
    route(
        "api:proxy-withdraw",
        kwargs=PROXY,
        post=staff_only(200, anonymous=API_ANON),
        why="the giver (not in the cast) or staff withdraw a proxy",
    ),
    # --- votes: API ------------------------------------------------------------------------------
    route("api:sitting-live", kwargs=SITTING, get=every(200, anonymous=API_ANON, former_member=403)),
    route(
        "api:ballot-create",
        kwargs=SITTING,
        post=staff_only(201, anonymous=API_ANON),
        data=lambda w: {"title": "Adoptez-vous le rapport ?"},
    ),
    route("api:ballot-snapshot", kwargs=BALLOT, get=every(200, anonymous=API_ANON, former_member=403)),
    route(
        "api:ballot-vote",
        kwargs=BALLOT,
        post=members_only(201, others=403, anonymous=API_ANON),
        data=a_vote,
        why="only a checked-in member votes; staff run the ballot but never vote",
    ),
    route("api:ballot-open", kwargs=lambda w: {"pk": w.draft_ballot.pk}, post=staff_only(200, anonymous=API_ANON)),
    route("api:ballot-extend", kwargs=BALLOT, post=staff_only(200, anonymous=API_ANON), data=lambda w: {"seconds": 30}),
    route("api:ballot-close", kwargs=BALLOT, post=staff_only(200, anonymous=API_ANON)),
    route("api:ballot-cancel", kwargs=BALLOT, post=staff_only(200, anonymous=API_ANON), data=REASON),
    # --- votes: live-room pages ------------------------------------------------------------------
    route("votes:live_phone", kwargs=LIVE, get=signed_in(200, former_member=404)),
    route(
        "votes:live_projector",
        kwargs=LIVE,
        get=every(404),
        why="the room screen opens with its signed screen token (?t=) only; see test_object_level.py",
    ),
    route("votes:live_control", kwargs=LIVE, get=staff_only(200, others=404)),
    route("votes:live_state", kwargs=LIVE, get=signed_in(200, former_member=404)),
    route("votes:live_vote", kwargs=LIVE, post=signed_in(ALLOW)),
    route("votes:manage_ballots", kwargs=LIVE, get=staff_only()),
    route("votes:manage_ballot_action", kwargs=BALLOT, post=staff_only(302)),
    # --- meetings: pages -------------------------------------------------------------------------
    route("meetings:manage_sittings", get=staff_only()),
    route("meetings:manage_sitting", kwargs=SITTING, get=staff_only()),
    route("meetings:manage_proxy", kwargs=PROXY, post=staff_only(302)),
    route("meetings:check_in", kwargs=SITTING, get=signed_in(200), why="the page explains who may check in"),
]

TABLE = {entry.name: entry for entry in ENTRIES}

# Answers that differ from the declared ones today, each with the fix it waits for. The test
# expects them to be wrong (strictly: once fixed, the test fails until the line is removed).
KNOWN_GAPS: dict[tuple[str, str, str], str] = {
    (name, "GET", role): "proposals/views.py edit(): a non-author non-staff gets the edit form (should be 403)"
    for name in ["proposals:edit"]
    for role in ["partner", "member", "former_member", "copresident"]
}
assert len(TABLE) == len(ENTRIES), "a route is declared twice"
