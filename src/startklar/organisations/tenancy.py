"""The one way in to organisation-owned data.

Every view under ``/o/<org_slug>/`` is wrapped in :func:`org_view`. It resolves the signed-in
user's membership of that organisation and answers

* **404** when the user is not a member: the same answer as for an unknown organisation, so
  outsiders learn nothing about which organisations exist;
* **403** when a state-changing request (POST, PUT, PATCH, DELETE) comes from a member whose role
  is below the view's ``write_role``;
* when the organisation requires two-factor sign-in and the member has not set it up: pages
  send them to the setup on their account page (other organisations keep working), the API
  answers **403** with a ``detail`` saying so (:class:`TwoFactorRequired`).

An API request signed in with an organisation token (``organisations.tokens``) is resolved
from the token instead of the session: the tenant is the token's organisation with its
creator's membership, any other ``org_slug`` answers **404**, and a read-only token answers
**403** (:class:`TokenReadOnly`) on a state-changing request.

The view receives a :class:`Tenant` and reaches objects only through :meth:`Tenant.scoped` and
:meth:`Tenant.get`, which filter by the organisation. The JSON API calls :func:`resolve_tenant`
directly. ``tests/test_tenant_isolation.py`` walks every URL pattern to prove all of this.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Concatenate, ParamSpec, TypeVar, cast

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from startklar.accounts.models import User
from startklar.accounts.queries import has_two_factor
from startklar.core import generation
from startklar.core.htmx import HtmxHttpRequest

from .models import ApiToken, Membership, Organisation, Role, TokenScope
from .tokens import access_of

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
SESSION_KEY = "startklar_last_organisation"

P = ParamSpec("P")
M = TypeVar("M", bound=models.Model)
T = TypeVar("T")


class ScheduledForDeletion(PermissionDenied):
    """A change to an organisation whose deletion is requested (it is read-only until then)."""

    code = "scheduled_for_deletion"

    def __init__(self, tenant: Tenant):
        super().__init__()
        self.tenant = tenant


@dataclass(frozen=True)
class Tenant:
    """The organisation a request works in, and the role the user has there."""

    organisation: Organisation
    membership: Membership
    token: ApiToken | None = None  # the API token the request signed in with, if any

    @property
    def role(self) -> Role:
        return self.membership.role_enum

    def can(self, role: Role) -> bool:
        return self.role.at_least(role)

    @property
    def locked(self) -> bool:
        """Deletion is requested: everything can be read and exported, nothing changed."""
        return self.organisation.deletion_due_at is not None

    @property
    def can_edit(self) -> bool:
        """Whether the pages offer changes (editors and owners, unless locked)."""
        return self.can(Role.EDITOR) and not self.locked

    @property
    def is_owner(self) -> bool:
        return self.can(Role.OWNER)

    @property
    def can_administer(self) -> bool:
        """Whether the pages offer an owner's changes (members, roles, profile), unless locked."""
        return self.is_owner and not self.locked

    def once(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per request for reads that several parts of one page need (the
        overview's headline and focus both read the portfolio), again after any write."""
        memo = self.__dict__.setdefault("_memo", {})
        stamp = (key, generation.writes())
        if stamp not in memo:
            memo[stamp] = compute()
        return cast(T, memo[stamp])

    def scoped(self, queryset: models.QuerySet[M] | models.Manager[M]) -> models.QuerySet[M]:
        """Objects of this organisation only (the model needs an ``organisation`` foreign key)."""
        return queryset.filter(organisation=self.organisation)

    def require(self, obj: models.Model) -> None:
        """Services that receive an object check it belongs here (404 otherwise), so a view
        that forgot :meth:`get` cannot act on another organisation's data."""
        if getattr(obj, "organisation_id", None) != self.organisation.pk:
            raise Http404

    def get(self, queryset: models.QuerySet[M] | models.Manager[M], **lookups: Any) -> M:
        """One object of this organisation, or 404 (also when it belongs to another one)."""
        try:
            return self.scoped(queryset).get(**lookups)
        except (ObjectDoesNotExist, ValueError) as exc:
            raise Http404 from exc


class TwoFactorRequired(PermissionDenied):
    """The organisation requires two-factor sign-in and this member has not set it up: pages
    send them to the setup on their account page, the API answers 403."""

    code = "two_factor_required"  # said in the API's answer

    def __init__(self, organisation: Organisation):
        super().__init__(
            _(
                "%(name)s requires two-factor sign-in for all members. Please set it up on your "
                "account page first."
            )
            % {"name": organisation.name}
        )
        self.organisation = organisation


class TokenReadOnly(PermissionDenied):
    """A change sent with an API token that may only read."""

    code = "token_read_only"  # said in the API's answer

    def __init__(self) -> None:
        super().__init__(
            _("This API token may only read. An owner can create a token that may also write.")
        )


def _token_tenant(request: HttpRequest, org_slug: str) -> Tenant | None:
    """The tenant of a request signed in with an API token (None for a session)."""
    access = access_of(request)
    if access is None:
        return None
    if access.token.organisation.slug != org_slug:
        raise Http404  # another organisation's data: as if it did not exist
    if request.method not in SAFE_METHODS and access.token.scope != TokenScope.WRITE:
        raise TokenReadOnly
    return Tenant(
        organisation=access.token.organisation, membership=access.membership, token=access.token
    )


def resolve_tenant(
    request: HttpRequest,
    org_slug: str,
    *,
    write_role: Role,
    read_role: Role = Role.VIEWER,
    open_while_locked: bool = False,
) -> Tenant:
    tenant = _token_tenant(request, org_slug)
    if tenant is None:
        tenant = _session_tenant(request, org_slug)
    if not tenant.can(read_role):
        raise PermissionDenied
    if request.method not in SAFE_METHODS and not tenant.can(write_role):
        raise PermissionDenied
    if request.method not in SAFE_METHODS and tenant.locked and not open_while_locked:
        raise ScheduledForDeletion(tenant)
    session = getattr(request, "session", None)
    if tenant.token is None and session is not None and session.get(SESSION_KEY) != org_slug:
        session[SESSION_KEY] = org_slug  # written only on a change: no write per page
    return tenant


def _session_tenant(request: HttpRequest, org_slug: str) -> Tenant:
    """The tenant of a signed-in person's request (a page, or the API by session)."""
    if not request.user.is_authenticated:
        raise Http404
    membership = next((m for m in memberships(request) if m.organisation.slug == org_slug), None)
    if membership is None:
        raise Http404
    if membership.organisation.require_two_factor and not has_two_factor(membership.user):
        raise TwoFactorRequired(membership.organisation)
    return Tenant(organisation=membership.organisation, membership=membership)


def memberships(request: HttpRequest) -> list[Membership]:
    """The signed-in user's memberships with their organisations, by organisation name: one
    query per request, shared by :func:`resolve_tenant` and the page shell's switcher."""
    found: list[Membership] | None = getattr(request, "_startklar_memberships", None)
    if found is None:
        user = request.user
        found = (
            list(user.memberships.select_related("organisation").order_by("organisation__name"))
            if isinstance(user, User)
            else []
        )
        request._startklar_memberships = found  # type: ignore[attr-defined]
    return found


OrgViewFunc = Callable[Concatenate[HtmxHttpRequest, Tenant, P], HttpResponse]


def org_view(
    *,
    write_role: Role = Role.EDITOR,
    read_role: Role = Role.VIEWER,
    open_while_locked: bool = False,
) -> Callable[[OrgViewFunc[P]], Callable[..., HttpResponse]]:
    """Wrap a view under ``/o/<org_slug>/``; it is called as ``view(request, tenant, **kwargs)``.

    ``write_role`` is the least role that may send state-changing requests. Viewers may only
    write where a view says ``write_role=Role.VIEWER`` explicitly. ``read_role`` is the least
    role that may see the page at all (e.g. the audit log: owners). While the organisation's
    deletion is requested it is read-only: state-changing requests answer 409 with an
    explanation, except in views marked ``open_while_locked`` (taking the request back).
    Put ``@org_view`` above every other decorator, so that outsiders get 404 before anything
    else is checked.
    """

    def decorator(view: OrgViewFunc[P]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(
            request: HtmxHttpRequest, org_slug: str, *args: P.args, **kwargs: P.kwargs
        ) -> HttpResponse:
            try:
                tenant = resolve_tenant(
                    request,
                    org_slug,
                    write_role=write_role,
                    read_role=read_role,
                    open_while_locked=open_while_locked,
                )
            except TwoFactorRequired as required:
                return _to_two_factor_setup(request, required.organisation)
            except ScheduledForDeletion as locked:
                return locked_response(request, locked.tenant)
            return view(request, tenant, *args, **kwargs)

        wrapper.startklar_org_scoped = True  # type: ignore[attr-defined]
        wrapper.startklar_write_role = write_role  # type: ignore[attr-defined]
        wrapper.startklar_read_role = read_role  # type: ignore[attr-defined]
        return wrapper

    return decorator


def _to_two_factor_setup(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """To the two-factor setup on the account page, and back to the page afterwards."""
    messages.warning(
        request,
        _(
            "%(name)s requires two-factor sign-in for all its members. Please set it up here; "
            "then you can continue in %(name)s."
        )
        % {"name": organisation.name},
    )
    htmx = bool(getattr(request, "htmx", False))
    back = request.get_full_path() if request.method == "GET" and not htmx else None
    back = back or reverse("organisations:overview", args=[organisation.slug])
    url = f"{reverse('accounts:account')}?{urlencode({'next': back})}#two-factor"
    return HttpResponseClientRedirect(url) if htmx else redirect(url)


def locked_response(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    """409 for a change to an organisation that is to be deleted: a page, or for htmx a line
    of text that the page shows as a message."""
    organisation = tenant.organisation
    due = formats.date_format(organisation.deletion_due_at) if organisation.deletion_due_at else ""
    message = _(
        "Nothing was changed: %(name)s is to be deleted on %(date)s and can only be read "
        "until then. An owner can stop the deletion on the Data page."
    ) % {"name": organisation.name, "date": due}
    if getattr(request, "htmx", False):
        return HttpResponse(message, status=409, content_type="text/plain; charset=utf-8")
    context = {"message": message, "organisation": organisation, "tenant": tenant}
    return render(request, "organisations/locked.html", context, status=409)


def last_used_organisation_slug(request: HttpRequest) -> str | None:
    value = request.session.get(SESSION_KEY)
    return value if isinstance(value, str) else None
