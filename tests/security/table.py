"""The route × role contract: what each role gets from every route (run by test_route_matrix.py).

Entry: route(NAME, kwargs=kw("proposal"), data=body(title=…), get=ROW, post=ROW, why=…). kwargs fill the URL
from the world (world.py: kw("proposal") is {"pk": w.proposal.pk}); objects belong to someone else than the
actor and writes carry a valid body, so a refusal is the rules' answer. A ROW maps each role (matrix.ROLES) to a
status code, or LOGIN (sent to sign in), HIDDEN (404), DENY (401/403; LOGIN for a page), ALLOW (let through).
Rows (matrix.py): every(X, role=Y) is X but for the roles named; signed_in(X) sends anonymous to LOGIN;
staff_only(X), members_only(X): X for staff and admin, for members and the co-president, 403 (others=) for the
rest; current_roles(X) refuses former members (403); method_not_allowed(A) is 405, A for anonymous; API_ANON
(403) is the API's answer to anonymous. A new route fails test_every_route_has_an_entry with the line to add:
fill in each method's row, and say why= when the answer is not obvious.
"""

from __future__ import annotations

import uuid

from tests.security.matrix import (
    ALLOW,
    API_ANON,
    HIDDEN,
    LOGIN,
    at,
    body,
    current_roles,
    every,
    kw,
    members_only,
    method_not_allowed,
    route,
    signed_in,
    staff_only,
)
from tests.shared.files import pdf_upload

REASON = body(reason="Motif de test")
MISSING = 99_999  # an id that does not exist: the answer shows the role check that runs first


def a_vote(w) -> dict:
    return {"vote_id": str(uuid.uuid4()), "choice": w.ballot.options.get(code="yes").pk}


def an_assisted_vote_for_the_member(w) -> dict:
    """The checked-in member's vote, as staff record it at the desk (form fields fit the page and the API)."""
    return {
        "vote_id": str(uuid.uuid4()),
        "ballot": w.ballot.pk,
        "member": w.users["member"].pk,
        "choice": w.ballot.options.get(code="yes").pk,
        "confirm": "yes",
    }


def screen_checkin_url(w) -> str:
    from django.urls import reverse

    from votes.live.access import screen_token

    url = reverse("votes:live_projector_checkin", args=[w.sitting.pk])
    return url + "?t=" + screen_token(sitting=w.sitting)


def merge_into_the_other_proposal(w) -> dict:
    return {"into": w.other_proposal.pk, "reason": "Doublon"}


def another_member_present(w) -> dict:
    return {"user": w.other_member.pk}


def proxy_to_the_copresident(w) -> dict:
    return {"holder": w.users["copresident"].pk}


def a_pdf(w) -> dict:
    return {"file": pdf_upload("note.pdf", "application/pdf")}


ENTRIES = [
    # --- project-level ---------------------------------------------------------------------------
    route("healthz", get=every(200), why="load balancer probe"),
    route(
        "api:not_found",
        url=at("/api/v1/no-such-thing/"),
        get=every(404),
        post=every(404),
        why="the API's last route: an unmatched address is a JSON 404",
    ),
    route("favicon", get=every(301), why="browsers ask for it on every page: sent to the static icon"),
    route("set_language", post=every(302)),
    route("schema", get=every(200)),
    route("api-docs", get=every(200)),
    route("api-redoc", get=every(200)),
    route("admin", url=at("/admin/"), get=every(302, staff=200, admin=200), why="admin summarised: its index"),
    route("^media/(?P<path>.*)$", url=at("/media/none.pdf"), get=every(404), why="DEBUG-only file serving"),
    # --- assembly --------------------------------------------------------------------------------
    route("assembly:home", get=every(200)),
    route("assembly:sign_in", get=every(302, anonymous=200)),
    route("assembly:sign_in_link_request", get=every(200)),
    route("assembly:sign_in_link", kwargs=kw(token="not-a-token"), get=every(404)),
    route("assembly:sign_out", post=every(302)),
    route("assembly:composition", get=staff_only()),
    route("assembly:members", get=staff_only()),
    route("assembly:invite", get=staff_only()),
    route("assembly:import", get=staff_only()),
    route("assembly:member_detail", kwargs=kw("other_member"), get=staff_only()),
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
    route("proposals:detail", kwargs=kw("proposal"), get=every(200)),
    route(
        "proposals:edit",
        kwargs=kw("proposal"),
        get=signed_in(404, staff=200, admin=200),
        why="only the author (and staff, to moderate) may open a proposal for editing; others are told nothing",
    ),
    route(
        "proposals:attachment",
        kwargs=kw("attachment"),
        get=every(200),
        why="a published proposal's file; drafts' and hidden proposals' files are 404 (tests/proposals)",
    ),
    # Page buttons always come back to the detail page (302) with a message; what they changed is
    # checked in tests/proposals/test_pages.py.
    route("proposals:action", kwargs=kw("proposal", name="support"), post=signed_in(302)),
    route("proposals:comment_action", kwargs=kw("comment", name="report"), post=signed_in(302)),
    # --- proposals: API --------------------------------------------------------------------------
    route("api:theme-list", get=every(200)),
    route(
        "api:proposal-list",
        get=every(200),
        post=members_only(201, others=403, anonymous=API_ANON),
        data=body(title="Une navette pour les villages", body="Relier les villages au marché chaque samedi."),
    ),
    route("api:proposal-drafts", get=every(200, anonymous=API_ANON)),
    route("api:proposal-report-queue", get=staff_only(200, anonymous=API_ANON)),
    route("api:proposal-report-dismiss", kwargs=kw("report"), post=staff_only(200, anonymous=API_ANON)),
    route("api:proposal-notification-setting", get=every(200, anonymous=API_ANON)),
    route(
        "api:proposal-detail",
        kwargs=kw("proposal"),
        get=every(200),
        patch=every(403, anonymous=API_ANON, staff=ALLOW, admin=ALLOW),
        data=body(title="Titre changé par un autre"),
        why="staff may edit a proposal to moderate it (with a reason)",
    ),
    route("api:proposal-publish", kwargs=kw("draft"), post=every(HIDDEN, anonymous=API_ANON)),
    route("api:proposal-withdraw", kwargs=kw("proposal"), post=every(403, anonymous=API_ANON)),
    route("api:proposal-study", kwargs=kw("proposal"), post=staff_only(200, anonymous=API_ANON)),
    route("api:proposal-put-to-vote", kwargs=kw("proposal"), post=staff_only(200, anonymous=API_ANON)),
    route(
        "api:proposal-verdict",
        kwargs=kw("proposal"),
        post=staff_only(ALLOW, anonymous=API_ANON),
        data=body(adopted=True, reason="Vote de la plénière"),
    ),
    route(
        "api:proposal-merge",
        kwargs=kw("proposal"),
        post=staff_only(ALLOW, anonymous=API_ANON),
        data=merge_into_the_other_proposal,
    ),
    route("api:proposal-hide", kwargs=kw("proposal"), post=staff_only(200, anonymous=API_ANON), data=REASON),
    route("api:proposal-unhide", kwargs=kw("proposal"), post=staff_only(ALLOW, anonymous=API_ANON)),
    route("api:proposal-support", kwargs=kw("proposal"), post=members_only(204, anonymous=API_ANON)),
    route("api:proposal-cosign", kwargs=kw("proposal"), post=members_only(204, anonymous=API_ANON)),
    route("api:proposal-follow", kwargs=kw("proposal"), post=every(204, anonymous=API_ANON)),
    route(
        "api:proposal-comments",
        kwargs=kw("proposal"),
        get=every(200),
        post=every(201, anonymous=API_ANON, former_member=403),
        data=body(body="Un commentaire de test."),
    ),
    route(
        "api:proposal-opinions",
        kwargs=kw("proposal"),
        get=every(200),
        post=every(403, anonymous=API_ANON, partner=201),
        data=body(body="Avis de l'organisation partenaire."),
    ),
    route("api:proposal-versions", kwargs=kw("proposal"), get=every(200)),
    route(
        "api:proposal-attachments",
        kwargs=kw("proposal"),
        post=every(403, anonymous=API_ANON),
        data=a_pdf,
    ),
    route("api:proposal-report", kwargs=kw("proposal"), post=every(201, anonymous=API_ANON), data=REASON),
    route(
        "api:proposal-request-review",
        kwargs=kw("proposal"),
        post=every(403, anonymous=API_ANON),
        data=body(text="Merci de revoir la décision."),
    ),
    route(
        "api:proposal-comment-detail",
        kwargs=kw("comment"),
        patch=every(403, anonymous=API_ANON),
        data=body(body="Réécrit par un autre."),
    ),
    route("api:proposal-comment-hide", kwargs=kw("comment"), post=staff_only(200, anonymous=API_ANON), data=REASON),
    route("api:proposal-comment-unhide", kwargs=kw("comment"), post=staff_only(ALLOW, anonymous=API_ANON)),
    route("api:proposal-comment-report", kwargs=kw("comment"), post=every(201, anonymous=API_ANON), data=REASON),
    route(
        "api:proposal-comment-request-review",
        kwargs=kw("comment"),
        post=every(HIDDEN, anonymous=API_ANON),
        why="only the author of a hidden comment may ask for a review; a visible one has nothing to review",
        data=body(text="Merci de revoir la décision."),
    ),
    route("api:proposal-attachment-detail", kwargs=kw("attachment"), delete=every(403, anonymous=API_ANON)),
]

ENTRIES += [
    # --- meetings: API ---------------------------------------------------------------------------
    route("api:sitting-detail", kwargs=kw("sitting"), get=current_roles(200, anonymous=API_ANON)),
    route("api:sitting-quorum", kwargs=kw("sitting"), get=current_roles(200, anonymous=API_ANON)),
    route("api:sitting-check-in-token", kwargs=kw("sitting"), get=staff_only(200, anonymous=API_ANON)),
    route("api:sitting-check-in", post=every(400, anonymous=API_ANON), data=body(token="forged")),
    route(
        "api:sitting-check-out",
        kwargs=kw("sitting"),
        post=every(409, anonymous=API_ANON, member=200, copresident=200, former_member=403),
        why="a member checks themself out; someone not checked in gets a conflict",
    ),
    route(
        "api:sitting-attendance",
        kwargs=kw("sitting"),
        post=staff_only(ALLOW, anonymous=API_ANON),
        data=another_member_present,
    ),
    route(
        "api:sitting-proxies",
        kwargs=kw("sitting"),
        get=current_roles(200, anonymous=API_ANON),
        post=every(403, anonymous=API_ANON, member=ALLOW, copresident=ALLOW),
        data=proxy_to_the_copresident,
        why="partners and former members never vote, so never give a proxy; staff record paper ones with giver=",
    ),
    route(
        "api:sitting-agenda",
        kwargs=kw("sitting"),
        get=current_roles(200, anonymous=API_ANON),
        post=staff_only(201, anonymous=API_ANON),
        data=body(title="Point ajouté", kind="debate", planned_minutes=15),
    ),
    route("api:agenda-item", kwargs=kw("agenda_item"), delete=staff_only(ALLOW, anonymous=API_ANON)),
    route("api:agenda-item-make-current", kwargs=kw("agenda_item"), post=staff_only(ALLOW, anonymous=API_ANON)),
    route("api:agenda-item-finish", kwargs=kw("agenda_item"), post=staff_only(ALLOW, anonymous=API_ANON)),
    route("api:proxy-validate", kwargs=kw("proxy"), post=staff_only(200, anonymous=API_ANON)),
    route("api:proxy-refuse", kwargs=kw("proxy"), post=staff_only(200, anonymous=API_ANON)),
    route(
        "api:proxy-withdraw",
        kwargs=kw("proxy"),
        post=staff_only(200, anonymous=API_ANON),
        why="the giver (not in the cast) or staff withdraw a proxy",
    ),
    # --- votes: API ------------------------------------------------------------------------------
    route("api:sitting-live", kwargs=kw("sitting"), get=current_roles(200, anonymous=API_ANON)),
    route(
        "api:ballot-create",
        kwargs=kw("sitting"),
        post=staff_only(201, anonymous=API_ANON),
        data=body(title="Adoptez-vous le rapport ?"),
    ),
    route("api:ballot-snapshot", kwargs=kw("ballot"), get=current_roles(200, anonymous=API_ANON)),
    route(
        "api:ballot-vote",
        kwargs=kw("ballot"),
        post=members_only(201, others=403, anonymous=API_ANON),
        data=a_vote,
        why="only a checked-in member votes; staff run the ballot but never vote",
    ),
    route(
        "api:ballot-assisted-vote",
        kwargs=kw("ballot"),
        post=staff_only(201, anonymous=API_ANON),
        data=an_assisted_vote_for_the_member,
        why="staff record, at the desk, the vote of a present member without a phone; a member may not (rule)",
    ),
    route("api:ballot-open", kwargs=kw("draft_ballot"), post=staff_only(200, anonymous=API_ANON)),
    route("api:ballot-extend", kwargs=kw("ballot"), post=staff_only(200, anonymous=API_ANON), data=body(seconds=30)),
    route("api:ballot-close", kwargs=kw("ballot"), post=staff_only(200, anonymous=API_ANON)),
    route("api:ballot-cancel", kwargs=kw("ballot"), post=staff_only(200, anonymous=API_ANON), data=REASON),
    route("api:sitting-candidates", kwargs=kw("sitting"), get=staff_only(200, anonymous=API_ANON)),
    route(
        "api:ballot-proclaim",
        kwargs=kw("ballot"),
        post=staff_only(409, anonymous=API_ANON),
        why="staff proclaim a closed election; this ballot is an open yes/no one, so staff are refused with 409",
    ),
    # --- votes: live-room pages ------------------------------------------------------------------
    route("votes:live_phone", kwargs=kw("sitting", key="sitting_id"), get=signed_in(200, former_member=404)),
    route(
        "votes:live_projector",
        kwargs=kw("sitting", key="sitting_id"),
        get=every(404),
        why="the room screen opens with its signed screen token (?t=) only; see test_object_level.py",
    ),
    route("votes:live_control", kwargs=kw("sitting", key="sitting_id"), get=staff_only(200, others=404)),
    route(
        "votes:live_assisted_vote",
        kwargs=kw("sitting", key="sitting_id"),
        post=staff_only(302),
        data=an_assisted_vote_for_the_member,
        why="the control page's assisted-vote form: back to the page with a message",
    ),
    route("votes:live_state", kwargs=kw("sitting", key="sitting_id"), get=signed_in(200, former_member=404)),
    route("votes:live_vote", kwargs=kw("sitting", key="sitting_id"), post=signed_in(ALLOW)),
    route(
        "votes:live_projector_checkin",
        url=screen_checkin_url,
        get=every(200),
        why="the room screen's door code, with its signed screen token: whoever holds the screen link",
    ),
    route(
        "votes:live_speakers",
        kwargs=kw("sitting", key="sitting_id"),
        post=signed_in(ALLOW, former_member=404),
        why="the services refuse what the role may not do (a member giving the floor, a request with no item in progress)",
    ),
    route("votes:manage_ballots", kwargs=kw("sitting", key="sitting_id"), get=staff_only()),
    # --- votes: the results archive (votes.selectors.results_ballots) ----------------------------
    route("votes:results_list", get=every(200)),
    route(
        "votes:results_sitting",
        kwargs=kw("results_sitting", key="sitting_id"),
        get=every(200, anonymous=HIDDEN, former_member=HIDDEN),
        why="a sitting still open: its assembly's members, partners and staff read its results, the public not yet",
    ),
    route(
        "api:results-sittings",
        get=every(200),
        why="public: each caller gets the sittings whose results they may read",
    ),
    route(
        "api:results-sitting",
        kwargs=kw("results_sitting"),
        get=every(200, anonymous=HIDDEN, former_member=HIDDEN),
        why="the same rule as the page",
    ),
    route("votes:manage_ballot_action", kwargs=kw("ballot"), post=staff_only(302)),
    route(
        "votes:minutes_manage",
        kwargs=kw("sitting", key="sitting_id"),
        data=body(action="generate"),
        get=staff_only(),
        post=staff_only(302),
        why="generating is refused while the sitting is open: staff are sent back to the page with the message",
    ),
    route("votes:attendance_sheet", kwargs=kw("sitting", key="sitting_id", fmt="csv"), get=staff_only()),
    route("votes:minutes_published", get=every(200), why="adopted minutes are public"),
    route(
        "votes:minutes_download",
        kwargs=kw("draft_minutes", fmt="odt"),
        get=every(HIDDEN, staff=200, admin=200),
        why="a draft is for staff only; an adopted version is public (tests/votes/test_minutes.py)",
    ),
    route("votes:manage_election_proclaim", kwargs=kw("ballot"), post=staff_only(302)),
    # --- meetings: pages -------------------------------------------------------------------------
    route("meetings:manage_sittings", get=staff_only()),
    route("meetings:manage_sitting", kwargs=kw("sitting"), get=staff_only()),
    route("meetings:manage_sitting_checkin_qr", kwargs=kw("sitting"), get=staff_only()),
    route("meetings:manage_proxy", kwargs=kw("proxy"), post=staff_only(302)),
    route(
        "meetings:manage_agenda_item",
        kwargs=kw("agenda_item"),
        post=staff_only(302),
        data=body(action="make_current"),
        why="staff take an item up from the desk; a refusal is a message on the page it returns to",
    ),
    route("meetings:check_in", kwargs=kw("sitting"), get=signed_in(200), why="the page explains who may check in"),
]

# Workshops, calendar, questionnaires and recommendations: recorded from the implementation on 2026-11-26,
# then checked role by role (staff-only pages refuse every other role; drafts of recommendations and
# questionnaires are hidden from non-staff; members, not partners or former members, register, give proxies
# and answer). A change of answer fails until this table says it.
ENTRIES += [
    # --- meetings: API -----------------------------------------------------------------------------
    route("api:meeting-list", get=every(200), post=method_not_allowed(API_ANON)),
    route("api:meeting-detail", kwargs=kw("meeting"), get=every(200, anonymous=404), post=method_not_allowed(API_ANON)),
    route(
        "api:meeting-registration",
        kwargs=kw("meeting"),
        get=method_not_allowed(API_ANON),
        post=members_only(201, anonymous=API_ANON),
    ),
    route(
        "api:meeting-registrations",
        kwargs=kw("meeting"),
        get=staff_only(200, anonymous=API_ANON),
        post=method_not_allowed(API_ANON),
    ),
    route(
        "api:meeting-registrations-csv",
        kwargs=kw("meeting"),
        get=staff_only(200, anonymous=API_ANON),
        post=method_not_allowed(API_ANON),
    ),
    route(
        "api:meeting-documents",
        kwargs=kw("meeting"),
        get=every(200, anonymous=404),
        post=every(415, anonymous=API_ANON),
    ),
    route(
        "api:meeting-document",
        kwargs=kw("meeting", document_pk=MISSING),
        get=method_not_allowed(API_ANON),
        post=method_not_allowed(API_ANON),
    ),
    # --- workshops: API ----------------------------------------------------------------------------
    route(
        "api:sitting-tables",
        kwargs=kw("sitting"),
        get=current_roles(200, anonymous=API_ANON),
        post=staff_only(201, anonymous=API_ANON),
    ),
    route(
        "api:table-rapporteur",
        kwargs=kw("table"),
        get=method_not_allowed(API_ANON),
        post=every(400, anonymous=API_ANON),
    ),
    route(
        "api:table-contributions",
        kwargs=kw("table"),
        get=current_roles(200, anonymous=API_ANON),
        post=staff_only(400, anonymous=API_ANON),
    ),
    # --- questionnaires: API -----------------------------------------------------------------------
    route(
        "api:questionnaire-list",
        get=every(200, anonymous=API_ANON),
        post=staff_only(400, anonymous=API_ANON),
    ),
    route(
        "api:questionnaire-detail",
        kwargs=kw("questionnaire"),
        get=staff_only(200, others=404, anonymous=API_ANON),
        post=method_not_allowed(API_ANON),
    ),
    route(
        "api:questionnaire-draft",
        kwargs=kw("questionnaire"),
        get=method_not_allowed(API_ANON),
        post=method_not_allowed(API_ANON),
    ),
    route(
        "api:questionnaire-submit",
        kwargs=kw("questionnaire"),
        get=method_not_allowed(API_ANON),
        post=every(404, anonymous=API_ANON, staff=403, admin=403),
    ),
    route(
        "api:questionnaire-open",
        kwargs=kw("questionnaire"),
        get=method_not_allowed(API_ANON),
        post=staff_only(200, anonymous=API_ANON),
    ),
    route(
        "api:questionnaire-close",
        kwargs=kw("questionnaire"),
        get=method_not_allowed(API_ANON),
        post=staff_only(409, anonymous=API_ANON),
    ),
    route(
        "api:questionnaire-results",
        kwargs=kw("questionnaire"),
        get=staff_only(200, anonymous=API_ANON),
        post=method_not_allowed(API_ANON),
    ),
    route(
        "api:questionnaire-export",
        kwargs=kw("questionnaire", fmt="csv"),
        get=staff_only(200, anonymous=API_ANON),
        post=method_not_allowed(API_ANON),
    ),
    route(
        "api:sitting-priorities-ballot",
        kwargs=kw("sitting"),
        get=method_not_allowed(API_ANON),
        post=staff_only(400, anonymous=API_ANON),
    ),
    # --- recommendations: API ----------------------------------------------------------------------
    route("api:recommendations", get=every(200), post=staff_only(400, anonymous=API_ANON)),
    route("api:recommendation", kwargs=kw("recommendation"), get=staff_only(200, anonymous=API_ANON)),
    route("api:recommendation-adopt", kwargs=kw("recommendation"), post=staff_only(400, anonymous=API_ANON)),
    route("api:recommendation-answers", kwargs=kw("recommendation"), post=staff_only(400, anonymous=API_ANON)),
    route("api:dossiers", get=every(200), post=staff_only(400, anonymous=API_ANON)),
    route("api:dossier-transmit", kwargs=kw("dossier"), post=staff_only(400, anonymous=API_ANON)),
    route("api:dossier-export", kwargs=kw("dossier", fmt="pdf"), get=staff_only(400, anonymous=API_ANON)),
    # --- meetings: calendar and workshop pages -----------------------------------------------------
    route("meetings:calendar_list", get=every(200), post=every(200)),
    route("meetings:calendar_detail", kwargs=kw("meeting"), get=signed_in(200), post=signed_in(200)),
    route(
        "meetings:calendar_register",
        kwargs=kw("meeting"),
        get=method_not_allowed(LOGIN),
        post=signed_in(302),
    ),
    route(
        "meetings:calendar_export",
        kwargs=kw("meeting", fmt="csv"),
        get=staff_only(200, others=404),
        post=staff_only(200, others=404),
    ),
    route(
        "meetings:calendar_document_add",
        kwargs=kw("meeting"),
        get=method_not_allowed(LOGIN),
        post=signed_in(302),
    ),
    route(
        "meetings:calendar_document_remove",
        kwargs=kw("meeting", document_pk=MISSING),
        get=method_not_allowed(LOGIN),
        post=signed_in(404),
    ),
    route("meetings:calendar_feed_public", get=every(200), post=every(200)),
    route("meetings:calendar_feed_member", kwargs=kw(token="not-a-token"), get=every(404), post=every(404)),
    route("meetings:calendar_feed_address", get=signed_in(200), post=signed_in(200)),
    route("meetings:tables_manage", kwargs=kw("sitting"), get=staff_only(200), post=staff_only(200)),
    route("meetings:table_mine", kwargs=kw("sitting"), get=current_roles(200), post=signed_in(403)),
    route("meetings:sitting_proxy", kwargs=kw("sitting"), get=current_roles(200), post=current_roles(200)),
    route(
        "meetings:sitting_proxy_withdraw",
        kwargs=kw("sitting", proxy_pk=MISSING),
        get=method_not_allowed(LOGIN),
        post=signed_in(404),
    ),
    route(
        "meetings:sitting_leave",
        kwargs=kw("sitting"),
        get=current_roles(200),
        post=current_roles(200, member=302, copresident=302),
    ),
    # --- questionnaires: pages ---------------------------------------------------------------------
    route("questionnaires:questionnaire_list", get=signed_in(200), post=signed_in(200)),
    route("questionnaires:questionnaire_build", get=staff_only(200), post=staff_only(200)),
    route(
        "questionnaires:questionnaire_answer",
        kwargs=kw("questionnaire"),
        get=staff_only(200, others=404),
        post=staff_only(400, others=404),
    ),
    route(
        "questionnaires:questionnaire_results", kwargs=kw("questionnaire"), get=staff_only(200), post=staff_only(200)
    ),
    route(
        "questionnaires:questionnaire_state",
        kwargs=kw("questionnaire"),
        get=method_not_allowed(LOGIN),
        post=signed_in(302),
    ),
    route(
        "questionnaires:questionnaire_export",
        kwargs=kw("questionnaire", fmt="csv"),
        get=staff_only(200, others=404),
        post=staff_only(200, others=404),
    ),
    route(
        "votes:priorities_ballot",
        kwargs=kw("sitting", key="sitting_id"),
        get=method_not_allowed(LOGIN),
        post=signed_in(302),
    ),
    # --- recommendations: pages --------------------------------------------------------------------
    route("recommendations:follow_up", get=every(200), post=every(200)),
    route(
        "recommendations:detail",
        kwargs=kw("recommendation"),
        get=staff_only(200, anonymous=LOGIN),
        post=staff_only(200, anonymous=403),
        why="a draft: anonymous visitors are sent to sign in (a form post is refused)",
    ),
    route("recommendations:record_answer", kwargs=kw("recommendation"), post=staff_only(302)),
    route(
        "recommendations:dossier",
        kwargs=kw("dossier"),
        get=staff_only(200, anonymous=LOGIN),
        post=staff_only(200, anonymous=403),
        why="a draft: anonymous visitors are sent to sign in (a form post is refused)",
    ),
    route(
        "recommendations:dossier_export",
        kwargs=kw("dossier", fmt="pdf"),
        get=staff_only(302, anonymous=LOGIN),
        post=staff_only(302, anonymous=403),
        why="a draft: anonymous visitors are sent to sign in (a form post is refused)",
    ),
    route("recommendations:staff", get=staff_only(200), post=staff_only(200)),
    route("recommendations:compile", get=staff_only(200), post=staff_only(400)),
    route("recommendations:merge", get=staff_only(200), post=staff_only(400)),
    route("recommendations:edit", kwargs=kw("recommendation"), get=staff_only(200), post=staff_only(400)),
    route("recommendations:split", kwargs=kw("recommendation"), get=staff_only(200), post=staff_only(400)),
    route("recommendations:adopt", kwargs=kw("recommendation"), get=staff_only(200), post=staff_only(400)),
    route("recommendations:dossier_create", get=staff_only(200), post=staff_only(400)),
    route("recommendations:dossier_items", kwargs=kw("dossier"), post=staff_only(302)),
    route("recommendations:dossier_transmit", kwargs=kw("dossier"), post=staff_only(302)),
]

TABLE = {entry.name: entry for entry in ENTRIES}

# Answers that differ from the declared ones today, each with the fix it waits for. The test
# expects them to be wrong (strictly: once fixed, the test fails until the line is removed).
KNOWN_GAPS: dict[tuple[str, str, str], str] = {}
assert len(TABLE) == len(ENTRIES), "a route is declared twice"
