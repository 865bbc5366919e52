"""Pages of the proposals app. Thin: they read through selectors and write through services."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assembly.selectors import active_mandate, default_assembly
from core.errors import DomainError, NotFound
from core.forms import add_domain_error
from core.http import AuthenticatedHttpRequest
from proposals import selectors, services
from proposals.filters import ProposalFilter
from proposals.forms import CommentForm, NotificationSettingForm, OpinionForm, ProposalForm, ReasonForm
from proposals.models import Attachment, Comment, NotificationSetting, Proposal, Report

PAGE_SIZE = 20


def _visible_or_404(request: HttpRequest, pk: int) -> Proposal:
    try:
        return selectors.get_visible(request.user, pk)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


def proposal_list(request: HttpRequest) -> HttpResponse:
    filterset = ProposalFilter(request.GET or None, queryset=selectors.proposal_list(request.user), request=request)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "proposals/list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "can_submit": request.user.has_perm("proposals.submit_proposal"),
        },
    )


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _visible_or_404(request, pk)
    user = request.user
    comments = selectors.comments_of(proposal, user)
    context = {
        "proposal": proposal,
        "comments": comments,
        # Per comment, the rule's answer: who may ask for a review of a hidden comment.
        "reviewable_comments": {
            c.pk
            for top in comments
            for c in (top, *top.replies.all())
            if c.is_hidden and user.has_perm("proposals.request_review", c)
        },
        "opinions": selectors.opinions_of(proposal),
        "cosigners": selectors.cosigners_of(proposal),
        "attachments": list(proposal.attachments.all()),
        "versions": list(selectors.versions_of(proposal)),
        "merged_from": list(proposal.merged_from.all()),
        "viewer": selectors.viewer_state(proposal, user),
        "comment_form": CommentForm(),
        "opinion_form": OpinionForm(),
        "reason_form": ReasonForm(),
        "can": {
            name: user.has_perm(f"proposals.{name}", proposal)
            for name in (
                "edit_proposal",
                "staff_edit_proposal",
                "publish_proposal",
                "withdraw_proposal",
                "change_status",
                "cosign_proposal",
                "support_proposal",
                "comment_proposal",
                "post_opinion",
                "follow_proposal",
                "report_content",
                "moderate",
                "request_review",
            )
        },
    }
    return render(request, "proposals/detail.html", context)


def attachment_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """An attachment's file, for those who may see its proposal (others get 404, as if it did not exist).

    Behind nginx (settings.MEDIA_ACCEL_REDIRECT), the file is handed over with X-Accel-Redirect to an
    `internal` location; otherwise Django streams it.
    """
    attachment = Attachment.objects.select_related("proposal").filter(pk=pk).first()
    if attachment is None or not request.user.has_perm("proposals.view_proposal", attachment.proposal):
        raise Http404
    inline = attachment.kind == Attachment.Kind.IMAGE
    if settings.MEDIA_ACCEL_REDIRECT:
        response: HttpResponseBase = HttpResponse(content_type=attachment.content_type)
        response["X-Accel-Redirect"] = f"/{settings.MEDIA_URL.strip('/')}/{attachment.file.name}"
        response["Content-Disposition"] = content_disposition_header(not inline, attachment.original_name)  # type: ignore[assignment]  # None only for an inline file without a name
    else:
        try:
            handle = attachment.file.open("rb")
        except OSError as exc:
            raise Http404 from exc
        response = FileResponse(
            handle, as_attachment=not inline, filename=attachment.original_name, content_type=attachment.content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


def _territory_default(user):
    assembly = default_assembly()
    mandate = active_mandate(user, assembly) if assembly else None
    return mandate.territory if mandate else None


@login_required
def edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    """Write a new proposal or change one (author or staff). The page's JS also autosaves drafts."""
    proposal = _visible_or_404(request, pk) if pk else None
    if proposal is None and not request.user.has_perm("proposals.submit_proposal"):
        messages.error(request, _("Only members can write proposals."))
        return redirect("proposals:list")
    can_edit = proposal is not None and request.user.has_perm("proposals.edit_proposal", proposal)
    is_staff_edit = (
        proposal is not None and not can_edit and request.user.has_perm("proposals.staff_edit_proposal", proposal)
    )
    if proposal is not None and not (can_edit or is_staff_edit):
        raise Http404
    if request.method == "POST":
        form = ProposalForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            publish = "publish" in request.POST
            fields = {
                "kind": data["kind"],
                "title": data["title"],
                "body": data["body"],
                "themes": list(data["themes"]),
                "territory": data["territory"],
                "upload": data.get("file") or None,
                "publish": publish,
            }
            try:
                # One service call, one transaction: a refused file or publication leaves nothing behind.
                if proposal is None:
                    proposal = services.proposal_create(by=request.user, **fields)
                else:
                    proposal = services.proposal_update(
                        by=request.user, proposal=proposal, reason=data["reason"] if is_staff_edit else "", **fields
                    )
                if publish and not proposal.is_draft:
                    messages.success(request, _("Your proposal is published."))
                else:
                    messages.success(request, _("Saved."))
                return (
                    redirect("proposals:detail", pk=proposal.pk)
                    if not proposal.is_draft or publish
                    else redirect("proposals:edit", pk=proposal.pk)
                )
            except DomainError as exc:
                add_domain_error(form, exc)
    else:
        initial = {"territory": _territory_default(request.user)}
        if proposal is not None:
            initial = {
                "kind": proposal.kind,
                "title": proposal.title,
                "body": proposal.body,
                "themes": list(proposal.themes.all()),
                "territory": proposal.territory,
            }
        form = ProposalForm(initial=initial)
    return render(
        request,
        "proposals/edit.html",
        {"form": form, "proposal": proposal, "is_staff_edit": is_staff_edit},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def drafts(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "proposals/drafts.html", {"drafts": selectors.drafts_of(request.user)})


# action name -> (service, form fields passed on)
_ACTIONS = {
    "publish": ("proposal_publish", ()),
    "withdraw": ("proposal_withdraw", ("reason",)),
    "study": ("proposal_study", ("reason",)),
    "put_to_vote": ("proposal_put_to_vote", ("reason",)),
    "adopt": ("proposal_adopt", ("reason",)),
    "hide": ("proposal_hide", ("reason",)),
    "unhide": ("proposal_unhide", ("reason",)),
    "support": ("support_give", ()),
    "unsupport": ("support_withdraw", ()),
    "cosign": ("proposal_cosign", ()),
    "uncosign": ("proposal_uncosign", ()),
    "follow": ("proposal_follow", ()),
    "unfollow": ("proposal_unfollow", ()),
}


@login_required
@require_POST
def action(request: AuthenticatedHttpRequest, pk: int, name: str) -> HttpResponse:
    """One button on the detail page: runs the matching service and comes back with its outcome."""
    try:
        proposal = selectors.get_for_action(request.user, pk)
        post = request.POST
        if name == "reject":
            services.proposal_record_verdict(
                by=request.user, proposal=proposal, adopted=False, reason=post.get("reason", "")
            )
        elif name == "merge":
            into = selectors.get_for_action(request.user, int(post.get("into") or 0))
            services.proposal_merge(by=request.user, proposal=proposal, into=into, reason=post.get("reason", ""))
        elif name == "comment":
            form = CommentForm(post)
            parent = None
            if form.is_valid() and form.cleaned_data.get("parent"):
                parent = Comment.objects.filter(pk=form.cleaned_data["parent"], proposal=proposal).first()
            services.comment_post(by=request.user, proposal=proposal, body=post.get("body", ""), parent=parent)
        elif name == "opinion":
            services.opinion_post(by=request.user, proposal=proposal, body=post.get("body", ""))
        elif name == "report":
            services.report_file(by=request.user, proposal=proposal, reason=post.get("reason", ""))
            messages.success(request, _("Thank you: the moderators will look at it."))
        elif name == "request_review":
            services.review_request(by=request.user, proposal=proposal, text=post.get("reason", ""))
        elif name in _ACTIONS:
            service, fields = _ACTIONS[name]
            getattr(services, service)(by=request.user, proposal=proposal, **{f: post.get(f, "") for f in fields})
        else:
            raise Http404
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    except (DomainError, ValueError) as exc:
        messages.error(request, str(getattr(exc, "message", _("This request cannot be carried out."))))
        return redirect("proposals:detail", pk=pk)
    if name not in {"report"}:
        messages.success(request, _("Done."))
    return redirect("proposals:detail", pk=pk)


@login_required
@require_POST
def comment_action(request: AuthenticatedHttpRequest, pk: int, name: str) -> HttpResponse:
    comment = Comment.objects.select_related("proposal").filter(pk=pk).first()
    if comment is None or not request.user.has_perm("proposals.view_proposal", comment.proposal):
        raise Http404
    reason = request.POST.get("reason", "")
    try:
        if name == "report":
            services.report_file(by=request.user, comment=comment, reason=reason)
        elif name == "hide":
            services.comment_hide(by=request.user, comment=comment, reason=reason)
        elif name == "unhide":
            services.comment_unhide(by=request.user, comment=comment, reason=reason)
        elif name == "edit":
            services.comment_edit(by=request.user, comment=comment, body=request.POST.get("body", ""))
        elif name == "request_review":
            services.review_request(by=request.user, comment=comment, text=reason)
        else:
            raise Http404
        messages.success(request, _("Done."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("proposals:detail", pk=comment.proposal_id)


@login_required
def moderation(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not request.user.has_perm("proposals.moderate"):
        raise Http404
    if request.method == "POST":
        report = Report.objects.filter(pk=request.POST.get("report") or 0).first()
        if report is not None:
            try:
                services.report_dismiss(by=request.user, report=report, reason=request.POST.get("reason", ""))
                messages.success(request, _("Report dismissed."))
            except DomainError as exc:
                messages.error(request, str(exc.message))
        return redirect("proposals:moderation")
    return render(
        request,
        "proposals/moderation.html",
        {"reports": list(selectors.open_reports()), "reviews": selectors.review_requests()},
    )


@login_required
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    setting = NotificationSetting.objects.filter(user=request.user).first()
    current = setting.frequency if setting else NotificationSetting.Frequency.IMMEDIATE
    form = NotificationSettingForm(request.POST or None, initial={"frequency": current})
    if request.method == "POST" and form.is_valid():
        services.notification_setting_set(by=request.user, frequency=form.cleaned_data["frequency"])
        messages.success(request, _("Saved."))
        return redirect("proposals:preferences")
    return render(request, "proposals/preferences.html", {"form": form})


def home_panel(request: HttpRequest) -> dict | None:
    """Context of the "recent proposals" panel of the home page."""
    return {"recent_proposals": selectors.recent_proposals(request.user, limit=5)}
