"""Reads for the organisations feature: what the pages and the API show."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from startklar.accounts.models import User
from startklar.accounts.queries import confirmed_authenticators, has_two_factor, with_two_factor
from startklar.core.deletion import Consequence, counted
from startklar.core.modules import (
    Action,
    Headline,
    Module,
    Notice,
    Step,
    built_modules,
    journey,
    next_step,
)

from .engine import SizeAssessment
from .forms import AuditFilterForm
from .models import AuditAction, AuditEvent, Invitation, Membership, Role
from .tenancy import Tenant


def memberships_of(user: User) -> QuerySet[Membership]:
    """The organisations a user belongs to, for the switcher and the list page."""
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def members(tenant: Tenant) -> QuerySet[Membership]:
    """The members, each with ``two_factor``: whether their sign-in asks for a code."""
    return (
        tenant.scoped(Membership.objects)
        .select_related("user")
        .annotate(two_factor=confirmed_authenticators())
        .order_by("user__full_name", "user__email")
    )


@dataclass(frozen=True)
class Security:
    """The "Security" section of the members page (owners only)."""

    two_factor_required: bool
    member_count: int
    members_with_two_factor: int
    you_have_two_factor: bool

    @property
    def members_without_two_factor(self) -> int:
        return self.member_count - self.members_with_two_factor


def security(tenant: Tenant) -> Security:
    people = User.objects.filter(memberships__organisation=tenant.organisation)
    return Security(
        two_factor_required=tenant.organisation.require_two_factor,
        member_count=people.count(),
        members_with_two_factor=with_two_factor(people).count(),
        you_have_two_factor=has_two_factor(tenant.membership.user),
    )


def open_invitations(tenant: Tenant) -> QuerySet[Invitation]:
    return (
        tenant.scoped(Invitation.objects)
        .filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())
        .select_related("invited_by")
        .order_by("-created_at")
    )


@dataclass(frozen=True)
class FocusRow:
    """A use case of the focus set with its figures and its next step."""

    use_case: Any
    values: dict[str, str]  # step key → short figure (e.g. "business_case" → "59.023 €")
    next_step: Step | None


@dataclass(frozen=True)
class Overview:
    """ "Wo stehen wir, was ist als Nächstes dran?" """

    tenant: Tenant
    size: SizeAssessment
    member_count: int
    role_counts: dict[Role, int]
    open_invitation_count: int
    modules: tuple[Module, ...]
    headlines: tuple[Headline, ...]
    focus: tuple[FocusRow, ...]
    notices: tuple[Notice, ...]
    first_steps: tuple[Action, ...]  # what an empty organisation does first


def overview(tenant: Tenant) -> Overview:
    roles = Counter(Role(r) for r in members(tenant).values_list("role", flat=True))
    modules = built_modules()
    headlines = tuple(h for m in modules if m.headline for h in [m.headline(tenant)] if h)
    focus_cases = [uc for m in modules if m.focus for uc in m.focus(tenant)]
    steps = journey(tenant, focus_cases)
    focus = tuple(
        FocusRow(
            use_case=uc,
            values={s.key: s.value for s in steps[uc.pk] if s.value},
            next_step=next_step(steps[uc.pk]),
        )
        for uc in focus_cases
    )
    return Overview(
        tenant=tenant,
        size=tenant.organisation.size,
        member_count=sum(roles.values()),
        role_counts={role: roles.get(role, 0) for role in reversed(Role)},
        open_invitation_count=open_invitations(tenant).count(),
        modules=modules,
        headlines=headlines,
        focus=focus,
        notices=tuple(n for m in modules if m.notices for n in m.notices(tenant)),
        first_steps=tuple(a for m in modules if m.start for a in [m.start(tenant)] if a),
    )


# Audit log ------------------------------------------------------------------------------------

AUDIT_PAGE_SIZE = 50
DELETED_ACTOR = "deleted"


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    actor: str
    action: str
    kind: str
    label: str
    summary: str
    ip_address: str


@dataclass(frozen=True)
class AuditLog:
    """The audit-log page: the filter form, one page of rows, and where the pages are."""

    form: AuditFilterForm
    rows: tuple[AuditRow, ...]
    page: Page[AuditEvent]
    total: int
    filtered: bool
    retention_days: int
    query_string: str  # the filters, for the export link and the page links


def _kind_label(object_type: str) -> str:
    if not object_type:
        return ""
    try:
        return str(capfirst(apps.get_model(object_type)._meta.verbose_name))
    except (LookupError, ValueError):
        return object_type


def audit_filters(tenant: Tenant, data: Mapping[str, Any] | None) -> AuditFilterForm:
    events = tenant.scoped(AuditEvent.objects)
    present = set(events.values_list("action", flat=True).distinct())
    actions = [(value, str(label)) for value, label in AuditAction.choices if value in present]
    actors: dict[str, str] = {}
    for actor_id, name in events.values_list("actor_id", "actor_name").distinct():
        if actor_id is None:
            if name:
                actors[DELETED_ACTOR] = _("deleted account")
        else:
            actors.setdefault(str(actor_id), name)
    kinds = {t: _kind_label(t) for t in events.values_list("object_type", flat=True).distinct()}
    return AuditFilterForm(
        data or None,
        actions=actions,
        actors=sorted(actors.items(), key=lambda item: item[1].lower()),
        kinds=sorted(((t, label) for t, label in kinds.items() if t), key=lambda i: i[1]),
    )


def audit_events(tenant: Tenant, form: AuditFilterForm) -> QuerySet[AuditEvent]:
    """The organisation's entries, newest first, narrowed by the valid filters of ``form``."""
    events = tenant.scoped(AuditEvent.objects).order_by("-at", "-pk")
    if not form.is_valid():
        return events
    data = form.cleaned_data
    if data["action"]:
        events = events.filter(action=data["action"])
    if data["actor"] == DELETED_ACTOR:
        events = events.filter(actor__isnull=True).exclude(actor_name="")
    elif data["actor"]:
        events = events.filter(actor_id=int(data["actor"]))
    if data["kind"]:
        events = events.filter(object_type=data["kind"])
    zone = timezone.get_current_timezone()
    if data["since"]:
        events = events.filter(at__gte=datetime.combine(data["since"], time.min, zone))
    if data["until"]:
        end = datetime.combine(data["until"] + timedelta(days=1), time.min, zone)
        events = events.filter(at__lt=end)
    return events


def audit_rows(events: Iterable[AuditEvent], language: str) -> tuple[AuditRow, ...]:
    labels = dict(AuditAction.choices)
    kinds: dict[str, str] = {}
    return tuple(
        AuditRow(
            at=event.at,
            actor=event.actor_name,
            action=str(labels.get(event.action, event.action)),
            kind=kinds.setdefault(event.object_type, _kind_label(event.object_type)),
            label=event.object_label,
            summary=event.summary.get(language, "") if isinstance(event.summary, dict) else "",
            ip_address=event.ip_address or "",
        )
        for event in events
    )


def audit_log(tenant: Tenant, data: Mapping[str, Any], page_number: str | None) -> AuditLog:
    form = audit_filters(tenant, {k: v for k, v in data.items() if k != "page"})
    events = audit_events(tenant, form)
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(page_number)
    filters = {k: v for k, v in data.items() if k != "page" and v}
    return AuditLog(
        form=form,
        rows=audit_rows(page.object_list, translation.get_language() or "de"),
        page=page,
        total=page.paginator.count,
        filtered=bool(filters),
        retention_days=settings.STARTKLAR_AUDIT_RETENTION_DAYS,
        query_string=urlencode(filters),
    )


# Data page ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DataPage:
    """The Data page: what an export holds, and the state of a deletion."""

    tenant: Tenant
    owned: tuple[Consequence, ...]  # what the organisation holds (and a deletion removes)
    grace_days: int
    due_at: datetime | None
    requested_at: datetime | None
    requested_by: str


def data_page(tenant: Tenant) -> DataPage:
    organisation = tenant.organisation
    requested_by = organisation.deletion_requested_by
    return DataPage(
        tenant=tenant,
        owned=counted(organisation),
        grace_days=settings.STARTKLAR_DELETION_GRACE_DAYS,
        due_at=organisation.deletion_due_at,
        requested_at=organisation.deletion_requested_at,
        requested_by=requested_by.display_name if requested_by else "",
    )
