"""Pages of the assembly app. Thin: they read through selectors and write through services."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assembly import services
from assembly.forms import EndMandateForm, EraseForm, ImportForm, InviteForm, LanguageForm, LinkRequestForm, SignInForm
from assembly.models import Assembly, User
from assembly.selectors import (
    composition,
    current_copresidents,
    default_assembly,
    mandates_of,
    member_assemblies,
    members_list,
    personal_data,
)
from core.errors import DomainError
from core.forms import add_domain_error
from core.home import panels_for
from core.http import AuthenticatedHttpRequest


def _address(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


def _require(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise DjangoPermissionDenied


def _chosen_assembly(request: HttpRequest) -> Assembly:
    slug = request.GET.get("assemblee")
    if slug:
        return get_object_or_404(Assembly, slug=slug)
    assembly = default_assembly()
    if assembly is None:
        raise DjangoPermissionDenied(_("No assembly exists yet."))
    return assembly


def _sign_in(request: HttpRequest, user: User) -> HttpResponse:
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = settings.LOGIN_REDIRECT_URL
    response = redirect(target)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax")
    return response


# --- Home ---------------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "assembly/welcome.html", {"assembly": default_assembly()})
    mandates = member_assemblies(request.user)
    context = {
        "mandates": mandates,
        "assembly": mandates[0].assembly if mandates else default_assembly(),
        "panels": panels_for(request),
    }
    return render(request, "assembly/home.html", context)


# --- Sign-in ------------------------------------------------------------------------------


def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET":
        return redirect("assembly:home")
    form = SignInForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = services.sign_in_with_password(
                email=form.cleaned_data["email"], password=form.cleaned_data["password"], address=_address(request)
            )
        except DomainError as exc:
            form.add_error(None, str(exc.message))
            status = exc.status
        else:
            return _sign_in(request, user)
    context = {"form": form, "link_form": LinkRequestForm(auto_id="link_%s"), "next": request.GET.get("next", "")}
    return render(request, "assembly/sign_in.html", context, status=status)


def sign_in_link_request(request: HttpRequest) -> HttpResponse:
    form = LinkRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_in_link_request(email=form.cleaned_data["email"], address=_address(request))
        except DomainError as exc:
            form.add_error(None, str(exc.message))
            return render(request, "assembly/link_request.html", {"form": form}, status=exc.status)
        # The same answer whether or not the address belongs to someone.
        return render(request, "assembly/link_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "assembly/link_request.html", {"form": form}, status=400 if form.errors else 200)


def sign_in_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; only the POST uses the link (mail scanners that open links do not burn it)."""
    try:
        if request.method == "POST":
            user = services.sign_in_link_consume(token=token)
            return _sign_in(request, user)
        link = services.sign_in_link_inspect(token=token)
    except (services.LinkExpired, services.LinkUsed, services.LinkInvalid) as exc:
        form = LinkRequestForm()
        return render(
            request, "assembly/link_invalid.html", {"reason": exc.code, "error": exc, "form": form}, status=exc.status
        )
    return render(request, "assembly/link_confirm.html", {"link": link})


def sign_out(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        logout(request)
        messages.success(request, _("You are signed out."))
        return redirect("assembly:home")
    return render(request, "assembly/sign_out.html")


# --- Staff pages --------------------------------------------------------------------------


@login_required
def composition_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request, "assembly.view_composition")
    assembly = _chosen_assembly(request)
    context = {
        "assembly": assembly,
        "assemblies": Assembly.objects.all(),
        "composition": composition(assembly),
        "copresidents": current_copresidents(assembly),
    }
    return render(request, "assembly/composition.html", context)


@login_required
def members_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request, "assembly.view_members")
    assembly = _chosen_assembly(request)
    query = request.GET.get("q", "").strip()[:100]
    page = Paginator(members_list(assembly, query=query), 50).get_page(request.GET.get("page"))
    context = {"assembly": assembly, "page": page, "query": query, "today": timezone.localdate()}
    return render(request, "assembly/members.html", context)


@login_required
def member_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require(request, "assembly.view_members")
    person = get_object_or_404(User, pk=pk)
    end_form = EndMandateForm(person=person)
    erase_form = EraseForm()
    if request.method == "POST":
        try:
            if request.POST.get("action") == "end_mandate":
                end_form = EndMandateForm(request.POST, person=person)
                if end_form.is_valid():
                    services.mandate_end(
                        by=request.user,
                        mandate=end_form.cleaned_data["mandate"],
                        end_date=end_form.cleaned_data["end_date"],
                        reason=end_form.cleaned_data["reason"],
                    )
                    messages.success(request, _("The mandate has been ended."))
                    return redirect("assembly:member_detail", pk=person.pk)
            elif request.POST.get("action") == "erase":
                erase_form = EraseForm(request.POST)
                if erase_form.is_valid():
                    services.person_erase(by=request.user, person=person, reason=erase_form.cleaned_data["reason"])
                    messages.success(request, _("The personal data has been erased."))
                    return redirect("assembly:member_detail", pk=person.pk)
        except DomainError as exc:
            messages.error(request, str(exc.message))
    context = {
        "person": person,
        "mandates": mandates_of(person),
        "today": timezone.localdate(),
        "end_form": end_form,
        "erase_form": erase_form,
        "can_end": request.user.has_perm("assembly.end_mandate"),
        "can_erase": request.user.has_perm("assembly.erase_personal_data", person),
    }
    return render(request, "assembly/member_detail.html", context)


@login_required
def invite_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request, "assembly.invite_member")
    assembly = _chosen_assembly(request)
    form = InviteForm(request.POST or None, assembly=assembly)
    if request.method == "POST" and form.is_valid():
        try:
            mandate = services.member_invite(by=request.user, assembly=assembly, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("%(person)s is invited: a sign-in link has been sent to %(email)s.")
                % {"person": mandate.user.display_name, "email": mandate.user.email},
            )
            return redirect(f"{request.path}?assemblee={assembly.slug}")
    return render(request, "assembly/invite.html", {"form": form, "assembly": assembly})


@login_required
def import_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request, "assembly.import_members")
    assembly = _chosen_assembly(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = []
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            mandates = services.members_import(
                by=request.user, assembly=assembly, file_name=upload.name, content=upload.read()
            )
        except services.ImportRejected as exc:
            problems = exc.problems
            form.add_error(None, str(exc.message))
            status = 400
        except DomainError as exc:
            form.add_error(None, str(exc.message))
            status = exc.status
        else:
            messages.success(request, _("%(count)s members imported and invited.") % {"count": len(mandates)})
            return redirect(f"{request.path}?assemblee={assembly.slug}")
    context = {"form": form, "assembly": assembly, "problems": problems}
    return render(request, "assembly/import.html", context, status=status)


# --- Profile ------------------------------------------------------------------------------


def _profile_context(request: AuthenticatedHttpRequest, *, new_token: str | None = None) -> dict:
    from rest_framework.authtoken.models import Token  # DRF's models load after this module

    user = request.user
    return {
        "person": user,
        "mandates": user.mandates.select_related("assembly", "territory").order_by("-start_date"),
        "representations": user.representations.select_related("organisation__assembly").order_by("-start_date"),
        "language_form": LanguageForm(initial={"language": user.language}),
        "token": Token.objects.filter(user=user).first(),
        "new_token": new_token,
        "today": timezone.localdate(),
    }


@login_required
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request, "assembly.view_own_data")
    return render(request, "assembly/profile.html", _profile_context(request))


@login_required
def profile_data(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request, "assembly.view_own_data")
    body = json.dumps(personal_data(request.user), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="agora-mes-donnees.json"'
    return response


@login_required
@require_POST
def profile_language(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = LanguageForm(request.POST)
    if form.is_valid():
        services.user_language_set(user=request.user, language=form.cleaned_data["language"])
        response = redirect("assembly:profile")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, form.cleaned_data["language"], samesite="Lax")
        return response
    messages.error(request, _("Unknown language."))
    return redirect("assembly:profile")


@login_required
@require_POST
def profile_token(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Create, regenerate or revoke the personal API token; a new token is shown once, here."""
    action = request.POST.get("action")
    try:
        if action == "revoke":
            services.api_token_revoke(user=request.user)
            messages.success(request, _("Your API token has been revoked."))
            return redirect("assembly:profile")
        if action == "issue":
            token = services.api_token_issue(user=request.user)
            # Rendered, not redirected: the new key is shown once and never again.
            response = render(request, "assembly/profile.html", _profile_context(request, new_token=token.key))
            response["Cache-Control"] = "no-store"
            return response
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("assembly:profile")
