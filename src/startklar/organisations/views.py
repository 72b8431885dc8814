"""Pages of the organisations feature. Each view parses, calls one service or query, renders.

htmx requests get the same view with a template partial (``template#partial``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from startklar.accounts.models import User
from startklar.core import htmx
from startklar.core.forms import INVALID
from startklar.core.htmx import HtmxHttpRequest
from startklar.core.uploads import too_large

from . import archive, queries, services
from .forms import (
    ApiTokenForm,
    ArchiveForm,
    DeletionForm,
    InvitationForm,
    OrganisationForm,
    PasswordConfirmForm,
    RoleForm,
    SignupForm,
    TwoFactorRequirementForm,
    unfilled_key,
)
from .models import ApiToken, Invitation, Membership, Role
from .tenancy import Tenant, last_used_organisation_slug, org_view


def _user(request: HtmxHttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@require_GET
def home(request: HtmxHttpRequest) -> HttpResponse:
    """Back to the organisation used last, else the first one, else the list."""
    memberships = list(queries.memberships_of(_user(request)))
    last = last_used_organisation_slug(request)
    slugs = [m.organisation.slug for m in memberships]
    if last in slugs:
        return redirect("organisations:overview", org_slug=last)
    if len(slugs) == 1:
        return redirect("organisations:overview", org_slug=slugs[0])
    return redirect("organisations:list")


@require_GET
def organisation_list(request: HtmxHttpRequest) -> HttpResponse:
    memberships = queries.memberships_of(_user(request))
    return render(request, "organisations/list.html", {"memberships": memberships})


@require_http_methods(["GET", "POST"])
def organisation_create(request: HtmxHttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            organisation = services.create_organisation(_user(request), form.cleaned_data)
        except services.MembershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(name)s has been created.") % {"name": organisation.name})
            return redirect("organisations:overview", org_slug=organisation.slug)
    status = INVALID if form.is_bound else 200
    return render(request, "organisations/form.html", {"form": form}, status=status)


@org_view()
@require_GET
def overview(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    return render(request, "organisations/overview.html", {"overview": queries.overview(tenant)})


@org_view(write_role=Role.OWNER)
@require_http_methods(["GET", "POST"])
def profile_edit(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = OrganisationForm(data, instance=tenant.organisation)
    if form.is_bound and form.is_valid():
        services.update_profile(tenant, form.cleaned_data)
        messages.success(request, _("The company profile has been saved."))
        return redirect("organisations:overview", org_slug=tenant.organisation.slug)
    status = INVALID if form.is_bound else 200
    context = {"form": form, "tenant": tenant}
    return render(request, "organisations/form.html", context, status=status)


def _redirect(request: HtmxHttpRequest, url: str) -> HttpResponse:
    """A redirect that htmx follows with a full page load instead of swapping it in."""
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _members_page(
    request: HtmxHttpRequest, tenant: Tenant, status: int = 200, **extra: object
) -> HttpResponse:
    invite_form = extra.pop("invite_form", None)
    if not isinstance(invite_form, InvitationForm):
        invite_form = InvitationForm()
    security_form = extra.pop("security_form", None)
    if not isinstance(security_form, TwoFactorRequirementForm):
        security_form = TwoFactorRequirementForm(
            initial={"require_two_factor": tenant.organisation.require_two_factor}
        )
    context = {
        "tenant": tenant,
        "page": queries.members_page(tenant),
        "invite_form": invite_form,
        "invite_key": unfilled_key(invite_form, "invitation"),  # unfilled: kept rendered
        "security_form": security_form,
        "security_key": unfilled_key(security_form, "two-factor requirement"),
        # What a change of one member says at that member's row (each row asks).
        "member_error": None,
        "member_changed": None,
        "role_error": None,
        **extra,
    }
    return htmx.render(
        request, "organisations/members.html", context, partial="member-area", status=status
    )


@org_view()
@require_GET
def members(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    return _members_page(request, tenant)


@org_view(write_role=Role.OWNER)
@require_POST
def security(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    """Owners require two-factor sign-in of all members, or stop requiring it."""
    form = TwoFactorRequirementForm(request.POST)
    if not form.is_valid():
        return _members_page(request, tenant, INVALID, security_form=form)
    required = form.cleaned_data["require_two_factor"]
    try:
        services.set_two_factor_requirement(tenant, required)
    except services.TwoFactorRequirementError as error:
        form.add_error("require_two_factor", str(error))
        return _members_page(request, tenant, 422, security_form=form)
    if required:
        messages.success(request, _("Two-factor sign-in is required of all members."))
    else:
        messages.success(request, _("Two-factor sign-in is not required; each member decides."))
    url = reverse("organisations:members", args=[tenant.organisation.slug])
    return redirect(f"{url}#security")


@org_view(write_role=Role.OWNER)
@require_POST
def invitation_create(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    form = InvitationForm(request.POST)
    if not form.is_valid():
        return _members_page(request, tenant, INVALID, invite_form=form)
    try:
        invitation, link = services.invite_member(
            tenant,
            form.cleaned_data["email"],
            form.cleaned_data["role"],
            link_for=lambda token: request.build_absolute_uri(
                reverse("organisations:invitation", args=[token])
            ),
        )
    except services.MembershipError as error:
        form.add_error("email", str(error))
        return _members_page(request, tenant, 422, invite_form=form)
    return _members_page(request, tenant, new_invitation=invitation, new_link=link)


@org_view(write_role=Role.OWNER)
@require_POST
def invitation_revoke(request: HtmxHttpRequest, tenant: Tenant, invitation_id: int) -> HttpResponse:
    services.revoke_invitation(tenant, tenant.get(Invitation.objects, pk=invitation_id))
    return _members_page(request, tenant)


@org_view(write_role=Role.OWNER)
@require_POST
def member_role(request: HtmxHttpRequest, tenant: Tenant, membership_id: int) -> HttpResponse:
    membership = tenant.get(Membership.objects.select_related("user"), pk=membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        return _members_page(request, tenant, INVALID, role_error=membership.pk)
    try:
        services.change_role(tenant, membership, form.cleaned_data["role"])
    except services.MembershipError as error:
        return _members_page(request, tenant, 422, member_error=(membership.pk, str(error)))
    changed = _("%(name)s is now %(role)s.") % {
        "name": membership.user.display_name,
        "role": membership.get_role_display(),
    }
    if membership.user_id == request.user.pk:  # own rights changed: reload the whole page
        messages.success(request, changed)
        return _redirect(request, reverse("organisations:members", args=[tenant.organisation.slug]))
    return _members_page(request, tenant, member_changed=(membership.pk, changed))


@org_view(write_role=Role.OWNER)
@require_POST
def member_remove(request: HtmxHttpRequest, tenant: Tenant, membership_id: int) -> HttpResponse:
    membership = tenant.get(Membership.objects.select_related("user"), pk=membership_id)
    try:
        services.remove_member(tenant, membership)
    except services.MembershipError as error:
        return _members_page(request, tenant, 422, member_error=(membership.pk, str(error)))
    if membership.user_id == request.user.pk:
        messages.info(request, _("You have left %(name)s.") % {"name": tenant.organisation})
        return _redirect(request, reverse("organisations:list"))
    return _members_page(request, tenant)


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The page behind an invitation link: join as the signed-in user, or sign up first."""
    try:
        return _accept(request, token)
    except services.InvitationUnavailable as problem:
        status = UNAVAILABLE_STATUS.get(problem.problem, 410)
        return render(
            request,
            "organisations/invitation_unavailable.html",
            {"problem": problem.problem.value, "invitation": problem.invitation},
            status=status,
        )


UNAVAILABLE_STATUS = {
    services.InvitationProblem.UNKNOWN: 404,
    services.InvitationProblem.WRONG_ACCOUNT: 403,
    services.InvitationProblem.ALREADY_MEMBER: 409,
}


def _accept(request: HtmxHttpRequest, token: str) -> HttpResponse:
    invitation = services.find_invitation(token)
    signed_in = request.user.is_authenticated
    if signed_in and request.method == "GET":
        services.check_invitee(invitation, _user(request))  # say so before anyone clicks
    has_account = signed_in or services.has_account(invitation.email)
    data = request.POST if request.method == "POST" else None
    signup = None if has_account else SignupForm(data, email=invitation.email)
    if data is not None and (signed_in or (signup is not None and signup.is_valid())):
        if signed_in:
            membership = services.accept_invitation(token, _user(request))
        else:
            assert signup is not None
            user, membership = services.create_account_and_accept(
                token, signup.cleaned_data["full_name"], signup.cleaned_data["password1"]
            )
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to %(name)s!") % {"name": membership.organisation})
        return redirect("organisations:overview", org_slug=membership.organisation.slug)
    context: dict[str, object] = {
        "invitation": invitation,
        "signup": signup,
        "has_account": has_account,
    }
    status = 422 if signup is not None and signup.is_bound else 200
    return render(request, "organisations/invitation_accept.html", context, status=status)


# API access: tokens for other programs ---------------------------------------------------------


def _api_tokens_page(
    request: HtmxHttpRequest,
    tenant: Tenant,
    status: int = 200,
    form: ApiTokenForm | None = None,
    **extra: object,
) -> HttpResponse:
    slug = tenant.organisation.slug
    context = {
        "tenant": tenant,
        "page": queries.api_tokens_page(tenant),
        "form": form or ApiTokenForm(),
        "api_url": request.build_absolute_uri(reverse("api:organisation", args=[slug])),
        "docs_url": reverse("api:openapi-view"),
        **extra,
    }
    return htmx.render(
        request, "organisations/api_tokens.html", context, partial="token-area", status=status
    )


@org_view(read_role=Role.OWNER, write_role=Role.OWNER)
@require_GET
def api_tokens(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    return _api_tokens_page(request, tenant)


@org_view(read_role=Role.OWNER, write_role=Role.OWNER)
@require_POST
def api_token_create(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _api_tokens_page(request, tenant, INVALID, form)
    try:
        token, secret = services.create_api_token(
            tenant, form.cleaned_data["name"], form.cleaned_data["scope"]
        )
    except services.ApiTokenError as error:
        form.add_error(None, str(error))
        return _api_tokens_page(request, tenant, 422, form)
    response = _api_tokens_page(request, tenant, new_token=token, new_secret=secret)
    response["Cache-Control"] = "no-store"  # the secret is in this answer only
    return response


@org_view(read_role=Role.OWNER, write_role=Role.OWNER)
@require_POST
def api_token_revoke(request: HtmxHttpRequest, tenant: Tenant, apitoken_id: int) -> HttpResponse:
    token = tenant.get(ApiToken.objects, pk=apitoken_id)
    services.revoke_api_token(tenant, token)
    return _api_tokens_page(request, tenant, revoked=token)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@org_view(read_role=Role.OWNER)
@require_GET
def audit_log(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    log = queries.audit_log(tenant, request.GET, request.GET.get("page"))
    status = 422 if log.form.is_bound and not log.form.is_valid() else 200
    context = {"tenant": tenant, "log": log}
    return render(request, "organisations/audit_log.html", context, status=status)


@org_view(read_role=Role.OWNER)
@require_GET
def audit_export(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    content = services.export_audit_log(tenant, request.GET.dict())
    response = HttpResponse(content, content_type=XLSX)
    filename = f"audit-log-{tenant.organisation.slug}-{timezone.localdate():%Y-%m-%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Data: export, import, deletion ----------------------------------------------------------------


@org_view(read_role=Role.OWNER, write_role=Role.OWNER)
@require_GET
def data(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    context = {"tenant": tenant, "page": queries.data_page(tenant), "form": DeletionForm()}
    return render(request, "organisations/data.html", context)


@org_view(read_role=Role.OWNER)
@require_GET
def archive_export(_request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    content = services.export_archive(tenant)
    response = HttpResponse(content, content_type="application/zip")
    filename = f"startklar-{tenant.organisation.slug}-{timezone.localdate():%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@org_view(read_role=Role.OWNER, write_role=Role.OWNER)
@require_http_methods(["GET", "POST"])
def delete(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    form = DeletionForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        link = request.build_absolute_uri(
            reverse("organisations:data", args=[tenant.organisation.slug])
        )
        try:
            services.request_deletion(tenant, form.cleaned_data["confirmation"], link)
        except services.DeletionError as error:
            form.add_error("confirmation", str(error))
        else:  # the banner and the page say when, and how to stop it
            return redirect("organisations:data", org_slug=tenant.organisation.slug)
    status = INVALID if form.is_bound else 200
    context = {"tenant": tenant, "page": queries.data_page(tenant), "form": form}
    return render(request, "organisations/data.html", context, status=status)


@org_view(read_role=Role.OWNER, write_role=Role.OWNER, open_while_locked=True)
@require_POST
def cancel_deletion(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    services.cancel_deletion(tenant)
    messages.success(request, _("The deletion has been stopped; everything stays as it was."))
    return redirect("organisations:data", org_slug=tenant.organisation.slug)


@require_http_methods(["GET", "POST"])
def archive_import(request: HtmxHttpRequest) -> HttpResponse:
    """A new organisation from an archive of another installation (or this one)."""
    posted = request.method == "POST"
    form = ArchiveForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        too_large=too_large(request, "file"),
    )
    problems: list[str] = []
    if posted and form.is_valid():
        try:
            imported = services.import_archive(_user(request), form.cleaned_data["file"])
        except archive.ArchiveError as error:
            problems = error.problems
        else:
            done = {"result": imported}
            return render(request, "organisations/import_done.html", done)
    status = 422 if posted else 200
    context = {"form": form, "problems": problems}
    return render(request, "organisations/import.html", context, status=status)


@org_view(write_role=Role.VIEWER)
@require_http_methods(["GET", "POST"])
def leave(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    """A member leaves on their own (any role; the last owner hands over first)."""
    problem = ""
    if request.method == "POST":
        try:
            services.leave(tenant)
        except services.MembershipError as error:
            problem = str(error)
        else:
            messages.info(request, _("You have left %(name)s.") % {"name": tenant.organisation})
            return redirect("organisations:list")
    context = {"tenant": tenant, "problem": problem}
    return render(request, "organisations/leave.html", context, status=422 if problem else 200)


# A person's own data and account ---------------------------------------------------------------


@require_GET
def my_data(request: HtmxHttpRequest) -> HttpResponse:
    data = services.export_personal_data(_user(request))
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2}, safe=True)
    response["Content-Disposition"] = (
        f'attachment; filename="startklar-my-data-{timezone.localdate():%Y-%m-%d}.json"'
    )
    return response


@require_http_methods(["GET", "POST"])
def delete_account(request: HtmxHttpRequest) -> HttpResponse:
    user = _user(request)
    form = PasswordConfirmForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.delete_account(user, form.cleaned_data["password"])
        except services.AccountDeletionError as error:
            form.add_error("password", str(error))
        else:
            logout(request)
            messages.success(request, _("Your account has been deleted."))
            return redirect("accounts:login")
    status = INVALID if form.is_bound else 200
    context = {"form": form, "plan": services.account_deletion(user)}
    return render(request, "organisations/delete_account.html", context, status=status)
