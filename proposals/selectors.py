"""Reads of the proposals app, with bounded query counts (lists never query per row)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypedDict

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from assembly.models import User
from assembly.selectors import roles_of
from core.errors import NotFound
from proposals.models import (
    VOTABLE_STATUSES,
    Comment,
    Follow,
    Opinion,
    Proposal,
    ProposalVersion,
    Report,
    Support,
    Theme,
)
from proposals.predicates import PUBLIC_STATUSES
from proposals.search_sql import full_text_match

S = Proposal.Status


def search(queryset: QuerySet[Proposal], text: str) -> QuerySet[Proposal]:
    """Full-text search on PostgreSQL (French stemming, web-search syntax); icontains elsewhere."""
    text = (text or "").strip()[:200]
    if not text:
        return queryset
    if connection.vendor == "postgresql":
        return queryset.alias(_match=full_text_match(text)).filter(_match=True)
    condition = Q()
    for word in text.split()[:8]:
        condition &= Q(title__icontains=word) | Q(body__icontains=word)
    return queryset.filter(condition)


def visible_proposals(user: User | AnonymousUser | None) -> QuerySet[Proposal]:
    """What USER may see: public proposals, their own (drafts included); staff also see hidden ones."""
    public = Q(status__in=PUBLIC_STATUSES)
    roles = roles_of(user)
    if not (roles.is_staff or roles.is_admin):
        public &= Q(is_hidden=False)
    if user is not None and user.is_authenticated:
        public |= Q(author=user)
    return Proposal.objects.filter(public)


def for_list(queryset: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """Everything a list row shows, in a constant number of queries whatever the page size."""
    # The texts are not shown in lists: leave them in the database.
    return (
        queryset.select_related("author", "territory__departement")
        .defer("body", "body_html", "review_request")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("position", "name")))
    )


def proposal_list(user: User | AnonymousUser | None) -> QuerySet[Proposal]:
    """The published (or own) proposals USER may see, newest first, ready for filtering."""
    return for_list(visible_proposals(user).exclude(status=S.DRAFT)).order_by("-published_at", "-id")


def drafts_of(user: User) -> QuerySet[Proposal]:
    return for_list(Proposal.objects.filter(author=user, status=S.DRAFT)).order_by("-updated_at")


def get_visible(user: User | AnonymousUser | None, pk: int) -> Proposal:
    """The proposal PK if USER may see it; NotFound otherwise (another member's draft is a 404)."""
    try:
        return (
            visible_proposals(user)
            .select_related("author", "territory__departement", "merged_into", "assembly")
            .prefetch_related("themes")
            .get(pk=pk)
        )
    except (Proposal.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(_not_found()) from exc


def get_for_action(user: User | AnonymousUser | None, pk: int) -> Proposal:
    """A proposal someone acts on: any non-draft one (services say whether the action is allowed), or
    their own draft. Hidden proposals are found, so that acting on them gets a 409 that explains why."""
    condition = ~Q(status=S.DRAFT)
    if user is not None and user.is_authenticated:
        condition |= Q(author=user)
    try:
        return Proposal.objects.filter(condition).get(pk=pk)
    except (Proposal.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(_not_found()) from exc


def _not_found() -> str:
    from django.utils.translation import gettext as _

    return _("This proposal does not exist.")


def comments_of(proposal: Proposal, user: User | AnonymousUser | None) -> list[Comment]:
    """Top-level comments with their replies (hidden ones show as hidden, with the public reason)."""
    replies = Comment.objects.select_related("author").order_by("created_at", "id")
    return list(
        Comment.objects.filter(proposal=proposal, parent__isnull=True)
        .select_related("author")
        .prefetch_related(Prefetch("replies", queryset=replies))
        .order_by("created_at", "id")
    )


def opinions_of(proposal: Proposal) -> list[Opinion]:
    return list(Opinion.objects.filter(proposal=proposal, is_hidden=False).select_related("organisation", "author"))


class ViewerState(TypedDict):
    supported: bool
    following: bool
    cosigned: bool


def viewer_state(proposal: Proposal, user: User | AnonymousUser | None) -> ViewerState:
    """What the viewer did on PROPOSAL (supports, follows, co-signs), in one query."""
    if user is None or not user.is_authenticated:
        return {"supported": False, "following": False, "cosigned": False}
    row = (
        Proposal.objects.filter(pk=proposal.pk)
        .annotate(
            supported=Exists(Support.objects.filter(proposal=OuterRef("pk"), user=user)),
            following=Exists(Follow.objects.filter(proposal=OuterRef("pk"), user=user)),
            cosigned=Exists(proposal.cosignatures.model.objects.filter(proposal=OuterRef("pk"), user=user)),
        )
        .values("supported", "following", "cosigned")
        .first()
    )
    return row or {"supported": False, "following": False, "cosigned": False}


def cosigners_of(proposal: Proposal) -> list[User]:
    return [c.user for c in proposal.cosignatures.select_related("user").order_by("created_at")]


def recent_proposals(user: User | AnonymousUser | None, limit: int = 5) -> list[Proposal]:
    return list(proposal_list(user)[:limit])


def active_themes() -> QuerySet[Theme]:
    return Theme.objects.filter(is_active=True).order_by("position", "name")


def themes_from_slugs(slugs: Iterable[object] | None) -> list[Theme]:
    """The active themes named by SLUGS; ValidationFailed (field "themes") for an unknown one."""
    from django.utils.translation import gettext as _

    from core.errors import ValidationFailed

    names = [str(s) for s in (slugs or []) if str(s).strip()]
    if len(names) > 10:
        raise ValidationFailed(_("Choose at most 10 themes."), field="themes")
    found = {t.slug: t for t in Theme.objects.filter(slug__in=names, is_active=True)}
    unknown = [s for s in names if s not in found]
    if unknown:
        raise ValidationFailed(_("Unknown theme: %(theme)s.") % {"theme": unknown[0][:50]}, field="themes")
    return [found[s] for s in dict.fromkeys(names)]


def open_reports() -> QuerySet[Report]:
    return Report.objects.filter(status=Report.Status.OPEN).select_related(
        "reporter", "proposal", "comment__proposal", "comment__author"
    )


def review_requests() -> dict[str, list[Proposal] | list[Comment]]:
    return {
        "proposals": list(Proposal.objects.filter(is_hidden=True, review_requested_at__isnull=False)),
        "comments": list(
            Comment.objects.filter(is_hidden=True, review_requested_at__isnull=False).select_related(
                "proposal", "author"
            )
        ),
    }


def versions_of(proposal: Proposal) -> QuerySet[ProposalVersion]:
    return proposal.versions.select_related("edited_by")


def votable_proposals(assembly_id: int) -> QuerySet[Proposal]:
    """The assembly's proposals a ballot may decide (the choices of the agenda and ballot forms)."""
    return Proposal.objects.filter(assembly_id=assembly_id, status__in=VOTABLE_STATUSES, is_hidden=False).order_by(
        "-status_changed_at", "-pk"
    )
