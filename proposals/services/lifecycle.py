"""Writing proposals and moving them through their life cycle.

    draft → published → under_study → put_to_vote → adopted | not_adopted
    draft | published | under_study → withdrawn (by the author)
    published | under_study | put_to_vote → merged (by staff, into another proposal)

Only the functions here change `Proposal.status`; each locks the row, checks the transition,
writes an audit record and notifies the author and co-signers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assembly.models import Assembly, Mandate, Territory, User
from assembly.selectors import default_assembly
from core.audit import record
from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.services import clean_text, require
from proposals.markdown import render
from proposals.models import Attachment, Cosignature, Follow, Proposal, ProposalVersion, Theme
from proposals.services._common import clean_reason, lock, require_visible
from proposals.services.attachments import attachment_add
from proposals.services.notifications import notify, stakeholders
from realtime.broadcast import broadcast_on_commit

S = Proposal.Status

TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.PUBLISHED, S.WITHDRAWN}),
    S.PUBLISHED: frozenset({S.UNDER_STUDY, S.PUT_TO_VOTE, S.ADOPTED, S.NOT_ADOPTED, S.WITHDRAWN, S.MERGED}),
    S.UNDER_STUDY: frozenset({S.PUT_TO_VOTE, S.ADOPTED, S.NOT_ADOPTED, S.WITHDRAWN, S.MERGED}),
    S.PUT_TO_VOTE: frozenset({S.ADOPTED, S.NOT_ADOPTED, S.MERGED}),
    S.ADOPTED: frozenset(),
    S.NOT_ADOPTED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.MERGED: frozenset(),
}

TITLE_REQUIRED = _("Please give a title.")
TITLE_TOO_LONG = _("The title is too long (%(max)s characters at most).")
BODY_REQUIRED = _("Please write the text of the proposal.")
BODY_TOO_LONG = _("The text is too long (%(max)s characters at most).")
THEMES_REQUIRED = _("Please choose at least one theme.")


def _clean_title(value: str | None, *, required: bool) -> str:
    return clean_text(
        value,
        field="title",
        max_length=Proposal.TITLE_MAX_LENGTH,
        required=required,
        required_message=TITLE_REQUIRED,
        too_long_message=TITLE_TOO_LONG,
    )


def _clean_body(value: str | None, *, required: bool) -> str:
    return clean_text(
        value,
        field="body",
        max_length=Proposal.BODY_MAX_LENGTH,
        required=required,
        required_message=BODY_REQUIRED,
        too_long_message=BODY_TOO_LONG,
    )


def _clean_themes(themes: Sequence[Theme] | None) -> list[Theme]:
    themes = list(themes or [])
    for theme in themes:
        if not isinstance(theme, Theme) or not theme.is_active:
            raise ValidationFailed(_("Unknown theme."), field="themes")
    return themes


def _check_territory(territory: Territory | None, assembly: Assembly) -> None:
    """A proposal's territory is one of its assembly's territories."""
    if territory is not None and not assembly.territories.filter(pk=territory.pk).exists():
        raise ValidationFailed(_("This territory is not part of the assembly."), field="territory")


def _attach_then(by: User, proposal: Proposal, upload: UploadedFile[bytes] | None, attached: list[Attachment]) -> None:
    if upload is not None:
        attached.append(attachment_add(by=by, proposal=proposal, upload=upload))


def _forget_files(attached: list[Attachment]) -> None:
    """The transaction was rolled back: the files written for it are removed too."""
    for attachment in attached:
        attachment.file.delete(save=False)


def _check_publishable(proposal: Proposal) -> None:
    _clean_title(proposal.title, required=True)
    _clean_body(proposal.body, required=True)
    if not proposal.themes.exists():
        raise ValidationFailed(THEMES_REQUIRED, field="themes")


def _announce(proposal: Proposal) -> None:
    broadcast_on_commit(
        f"proposals.{proposal.pk}",
        {"type": "proposal.changed", "id": proposal.pk, "status": proposal.status},
    )


def proposal_create(
    *,
    by: User,
    title: str = "",
    body: str = "",
    kind: str = Proposal.Kind.PROPOSAL,
    themes: Sequence[Theme] | None = None,
    territory: Territory | None = None,
    publish: bool = False,
    upload: UploadedFile[bytes] | None = None,
) -> Proposal:
    """A new proposal (or RETEX) by BY, as a draft, or published at once when PUBLISH.

    The author is always BY; the territory defaults to the one of BY's mandate and must be one
    of the assembly's. A draft may be incomplete (it is saved as it is typed); publishing
    requires a title, a text and a theme. UPLOAD is attached in the same transaction: if the
    file or the publication is refused, nothing is created.
    """
    require(by, "proposals.submit_proposal", message=_("Only members can write proposals."))
    if kind not in Proposal.Kind.values:
        raise ValidationFailed(_("Unknown kind."), field="kind")
    title = _clean_title(title, required=publish)
    body = _clean_body(body, required=publish)
    themes = _clean_themes(themes)
    if publish and not themes:
        raise ValidationFailed(THEMES_REQUIRED, field="themes")
    mandate = Mandate.objects.active_on().filter(user=by).select_related("territory").order_by("start_date").first()
    assembly = mandate.assembly if mandate else default_assembly()
    if assembly is None:
        raise ValidationFailed(_("No assembly is configured."))
    territory = territory or (mandate.territory if mandate else None)
    if territory is None:
        raise ValidationFailed(_("Please choose a territory."), field="territory")
    _check_territory(territory, assembly)
    attached: list[Attachment] = []
    try:
        return _create(
            by=by,
            assembly=assembly,
            mandate=mandate,
            kind=kind,
            title=title,
            body=body,
            themes=themes,
            territory=territory,
            publish=publish,
            upload=upload,
            attached=attached,
        )
    except Exception:
        _forget_files(attached)
        raise


def _create(
    *,
    by: User,
    assembly: Assembly,
    mandate: Mandate | None,
    kind: str,
    title: str,
    body: str,
    themes: list[Theme],
    territory: Territory,
    publish: bool,
    upload: UploadedFile[bytes] | None,
    attached: list[Attachment],
) -> Proposal:
    with transaction.atomic():
        now = timezone.now()
        proposal = Proposal.objects.create(
            assembly=assembly,
            kind=kind,
            title=title,
            body=body,
            body_html=render(body),
            author=by,
            author_college=mandate.college if mandate else "",
            territory=territory,
            created_at=now,
            updated_at=now,
        )
        proposal.themes.set(themes)
        record(actor=by, action="proposals.proposal_create", target=proposal, data={"kind": kind})
        _attach_then(by, proposal, upload, attached)
        if publish:
            proposal = _publish(by=by, proposal=lock(proposal))
    return proposal


def proposal_update(
    *,
    by: User,
    proposal: Proposal,
    title: str | None = None,
    body: str | None = None,
    kind: str | None = None,
    themes: Sequence[Theme] | None = None,
    territory: Territory | None = None,
    reason: str = "",
    upload: UploadedFile[bytes] | None = None,
    publish: bool = False,
) -> Proposal:
    """Change the content of PROPOSAL (None leaves a field as it is).

    The author edits a draft, or a published proposal until its first comment or support.
    Staff edit published proposals at any time with a REASON; the previous content is kept
    as a ProposalVersion (who, when, why). UPLOAD is attached and, for a draft, PUBLISH
    publishes it, all in the same transaction: a refused file or publication changes nothing.
    """
    require_visible(by, proposal)
    attached: list[Attachment] = []
    try:
        return _update(
            by=by,
            proposal=proposal,
            title=title,
            body=body,
            kind=kind,
            themes=themes,
            territory=territory,
            reason=reason,
            upload=upload,
            publish=publish,
            attached=attached,
        )
    except Exception:
        _forget_files(attached)
        raise


def _update(
    *,
    by: User,
    proposal: Proposal,
    title: str | None,
    body: str | None,
    kind: str | None,
    themes: Sequence[Theme] | None,
    territory: Territory | None,
    reason: str,
    upload: UploadedFile[bytes] | None,
    publish: bool,
    attached: list[Attachment],
) -> Proposal:
    with transaction.atomic():
        proposal = lock(proposal)
        as_author = by.has_perm("proposals.edit_proposal", proposal)
        as_staff = not as_author and by.has_perm("proposals.staff_edit_proposal", proposal)
        if not (as_author or as_staff):
            if proposal.author_id == by.pk:
                raise Conflict(_("This proposal can no longer be changed: it has been commented or supported."))
            raise PermissionDenied(_("You cannot change this proposal."))
        reason = clean_reason(reason, required=as_staff)
        draft = proposal.status == S.DRAFT
        new_title = _clean_title(title, required=not draft) if title is not None else proposal.title
        new_body = _clean_body(body, required=not draft) if body is not None else proposal.body
        if kind is not None and kind not in Proposal.Kind.values:
            raise ValidationFailed(_("Unknown kind."), field="kind")
        new_themes = _clean_themes(themes) if themes is not None else None
        if new_themes is not None and not new_themes and not draft:
            raise ValidationFailed(THEMES_REQUIRED, field="themes")
        _check_territory(territory, proposal.assembly)
        before_themes = sorted(proposal.themes.values_list("slug", flat=True))
        before_title = proposal.title
        if not draft:
            ProposalVersion.objects.create(
                proposal=proposal,
                edited_by=by,
                reason=reason,
                title=proposal.title,
                body=proposal.body,
                theme_slugs=before_themes,
                territory_id_before=proposal.territory_id,
            )
        proposal.title = new_title
        if new_body != proposal.body:
            proposal.body = new_body
            proposal.body_html = render(new_body)
        if kind is not None:
            proposal.kind = kind
        if territory is not None:
            proposal.territory = territory
        proposal.updated_at = timezone.now()
        proposal.save()
        if new_themes is not None:
            proposal.themes.set(new_themes)
        if not draft:
            record(
                actor=by,
                action="proposals.proposal_edit_by_staff" if as_staff else "proposals.proposal_edit",
                target=proposal,
                reason=reason,
                data={"title_before": before_title, "themes_before": before_themes},
            )
            _announce(proposal)
        _attach_then(by, proposal, upload, attached)
        if publish and draft:
            require(by, "proposals.publish_proposal", proposal)
            proposal = _publish(by=by, proposal=lock(proposal))
    return proposal


def _transition(
    *, by: User | None, proposal: Proposal, to: str, reason: str = "", extra: dict[str, Any] | None = None
) -> Proposal:
    """Move PROPOSAL (already locked) to TO, or raise Conflict; audit and notify."""
    before = proposal.status
    if to not in TRANSITIONS[before]:
        raise Conflict(
            _("A proposal cannot go from “%(before)s” to “%(after)s”.")
            % {"before": S(before).label, "after": S(to).label},
            field="status",
        )
    now = timezone.now()
    proposal.status = to
    proposal.status_changed_at = now
    proposal.status_reason = reason
    if to == S.PUBLISHED and proposal.published_at is None:
        proposal.published_at = now
    if to == S.WITHDRAWN and proposal.published_at is None:
        proposal.published_at = now
    for key, value in (extra or {}).items():
        setattr(proposal, key, value)
    proposal.save()
    record(
        actor=by,
        action=f"proposals.proposal_{to}" if to != S.PUBLISHED else "proposals.proposal_publish",
        target=proposal,
        reason=reason,
        data={"from": before, "to": to, **{k: getattr(v, "pk", v) for k, v in (extra or {}).items()}},
    )
    if before != S.DRAFT:
        notify(proposal=proposal, event="status", actor=by, reason=reason)
    _announce(proposal)
    return proposal


def _publish(*, by: User, proposal: Proposal) -> Proposal:
    _check_publishable(proposal)
    proposal = _transition(by=by, proposal=proposal, to=S.PUBLISHED)
    Follow.objects.get_or_create(proposal=proposal, user_id=proposal.author_id)
    return proposal


def proposal_publish(*, by: User, proposal: Proposal) -> Proposal:
    """The author publishes their draft (title, text and at least one theme required)."""
    require_visible(by, proposal)
    with transaction.atomic():
        proposal = lock(proposal)
        if proposal.status != S.DRAFT:
            raise Conflict(_("This proposal is already published."), field="status")
        require(by, "proposals.publish_proposal", proposal)
        return _publish(by=by, proposal=proposal)


def proposal_withdraw(*, by: User, proposal: Proposal, reason: str = "") -> Proposal:
    """The author withdraws their proposal (a draft, or one not yet put to the vote)."""
    require_visible(by, proposal)
    with transaction.atomic():
        proposal = lock(proposal)
        if proposal.author_id != by.pk:
            raise PermissionDenied(_("Only the author can withdraw a proposal."))
        reason = clean_reason(reason)
        return _transition(by=by, proposal=proposal, to=S.WITHDRAWN, reason=reason)


def _staff_transition(
    *, by: User | None, proposal: Proposal, to: str, reason: str, extra: dict[str, Any] | None = None
) -> Proposal:
    if by is not None:  # None is the system: a ballot's countdown closed it and its verdict is recorded here
        require(by, "proposals.change_status", proposal)
    reason = clean_reason(reason)
    with transaction.atomic():
        proposal = lock(proposal)
        return _transition(by=by, proposal=proposal, to=to, reason=reason, extra=extra)


def proposal_study(*, by: User | None, proposal: Proposal, reason: str = "") -> Proposal:
    """Staff take a published proposal under study (in a workshop or a sitting)."""
    return _staff_transition(by=by, proposal=proposal, to=S.UNDER_STUDY, reason=reason)


def proposal_put_to_vote(*, by: User | None, proposal: Proposal, reason: str = "") -> Proposal:
    """Staff (or the votes app, when a ballot opens) put a proposal to the vote."""
    return _staff_transition(by=by, proposal=proposal, to=S.PUT_TO_VOTE, reason=reason)


def proposal_record_verdict(
    *, by: User | None, proposal: Proposal, adopted: bool, reason: str = "", ballot_ref: str = ""
) -> Proposal:
    """Record the assembly's verdict: adopted or not adopted (from put_to_vote, published or under_study).

    BALLOT_REF names the ballot that decided (e.g. "ballot:12"), kept on the proposal and in the audit.
    """
    if len(ballot_ref) > 64:
        raise ValidationFailed(_("The ballot reference is too long."), field="ballot_ref")
    return _staff_transition(
        by=by,
        proposal=proposal,
        to=S.ADOPTED if adopted else S.NOT_ADOPTED,
        reason=reason,
        extra={"ballot_ref": ballot_ref} if ballot_ref else None,
    )


def proposal_adopt(*, by: User | None, proposal: Proposal, reason: str = "", ballot_ref: str = "") -> Proposal:
    return proposal_record_verdict(by=by, proposal=proposal, adopted=True, reason=reason, ballot_ref=ballot_ref)


def proposal_merge(*, by: User, proposal: Proposal, into: Proposal, reason: str = "") -> Proposal:
    """Staff merge PROPOSAL into INTO: PROPOSAL becomes `merged`, INTO lists it in `merged_from`."""
    require(by, "proposals.change_status", proposal)
    if into.pk == proposal.pk:
        raise ValidationFailed(_("A proposal cannot be merged into itself."), field="into")
    reason = clean_reason(reason)
    with transaction.atomic():
        # Lock both rows in id order, so that two opposite merges cannot deadlock or cross.
        locked = {
            p.pk: p for p in Proposal.objects.select_for_update().filter(pk__in=[proposal.pk, into.pk]).order_by("pk")
        }
        proposal, into = locked[proposal.pk], locked[into.pk]
        if into.status in {S.DRAFT, S.WITHDRAWN, S.MERGED} or into.is_hidden:
            raise Conflict(_("This proposal cannot receive a merge."), field="into")
        proposal = _transition(by=by, proposal=proposal, to=S.MERGED, reason=reason, extra={"merged_into": into})
        record(
            actor=by, action="proposals.proposal_merge_receive", target=into, reason=reason, data={"from": proposal.pk}
        )
        _announce(into)
    return proposal


def proposal_cosign(*, by: User, proposal: Proposal) -> Cosignature:
    """Another member co-signs a published proposal (once)."""
    require_visible(by, proposal)
    with transaction.atomic():
        proposal = lock(proposal)
        if proposal.cosignatures.filter(user=by).exists():
            raise Conflict(_("You have already co-signed this proposal."))
        require(by, "proposals.cosign_proposal", proposal)
        try:
            with transaction.atomic():
                cosignature = Cosignature.objects.create(proposal=proposal, user=by)
        except IntegrityError as exc:
            raise Conflict(_("You have already co-signed this proposal.")) from exc
        Follow.objects.get_or_create(proposal=proposal, user=by)
        record(actor=by, action="proposals.proposal_cosign", target=proposal)
    return cosignature


def proposal_uncosign(*, by: User, proposal: Proposal) -> None:
    """A co-signer withdraws their co-signature, while the proposal is still open (not voted, merged, hidden)."""
    require_visible(by, proposal)
    with transaction.atomic():
        # Locked like every status change: a co-signature cannot vanish while the proposal is being adopted.
        proposal = lock(proposal)
        if not proposal.cosignatures.filter(user=by).exists():
            raise Conflict(_("You have not co-signed this proposal."))
        if not by.has_perm("proposals.withdraw_cosignature", proposal):
            raise Conflict(_("The co-signatures of this proposal can no longer change."))
        Cosignature.objects.filter(proposal=proposal, user=by).delete()
        record(actor=by, action="proposals.proposal_uncosign", target=proposal)


__all__ = [
    "TRANSITIONS",
    "proposal_adopt",
    "proposal_cosign",
    "proposal_create",
    "proposal_merge",
    "proposal_publish",
    "proposal_put_to_vote",
    "proposal_record_verdict",
    "proposal_study",
    "proposal_uncosign",
    "proposal_update",
    "proposal_withdraw",
    "stakeholders",
]
