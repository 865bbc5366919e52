"""Writing proposals: a new one (a draft, or published at once) and changes to its content.

A file uploaded with the form is attached in the same transaction; if anything is refused,
nothing is written and the file is removed. Publishing goes through `lifecycle`.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assembly.models import Assembly, Mandate, Territory, User
from assembly.selectors import default_assembly
from core.audit import record
from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.services import require
from proposals.markdown import render
from proposals.models import Attachment, Proposal, ProposalVersion, Theme
from proposals.services._common import THEMES_REQUIRED, clean_body, clean_reason, clean_title, lock, require_visible
from proposals.services.attachments import attachment_add
from proposals.services.lifecycle import _announce, _publish


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
    title = clean_title(title, required=publish)
    body = clean_body(body, required=publish)
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
        draft = proposal.status == Proposal.Status.DRAFT
        new_title = clean_title(title, required=not draft) if title is not None else proposal.title
        new_body = clean_body(body, required=not draft) if body is not None else proposal.body
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
