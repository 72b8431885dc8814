"""Reads for the organisations feature: what the pages and the API show."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Max, OuterRef, QuerySet, Subquery
from django.utils import timezone, translation
from django.utils.formats import date_format, get_format
from django.utils.functional import cached_property
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from startklar.accounts.models import User
from startklar.accounts.queries import confirmed_authenticators
from startklar.core import kept, links
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
from startklar.core.statements import Kind, Statement

from .engine import SizeAssessment
from .forms import AuditFilterForm, unfilled_key
from .models import ApiToken, AuditAction, AuditEvent, Invitation, Membership, Role, TokenScope
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


@dataclass(frozen=True)
class MemberRow:
    """A member as the members page lists them."""

    pk: int
    key: str  # the id as text, for the element ids
    name: str  # the person's display name
    email: str
    role_label: str
    roles: tuple[tuple[str, str, bool], ...]  # the role choices: value, label, selected
    since: str  # the day they joined, as the page shows it
    two_factor: bool  # their sign-in asks for a code
    you: bool  # the signed-in member
    role_url: str
    remove_url: str
    role_of: str  # "Role of <name>", the label of the role choice
    remove_question: str  # "Remove <name> from this organisation?"


@dataclass(frozen=True)
class InvitationRow:
    """An open invitation as the members page lists it."""

    pk: int
    email: str
    role_label: str
    valid_until: str  # the day it expires, as the page shows it
    revoke_url: str


@dataclass(frozen=True)
class MembersPage:
    """The members page: the members, the open invitations and (for owners) the security."""

    members: tuple[MemberRow, ...]
    invitations: tuple[InvitationRow, ...]
    security: Security | None  # owners only


def shown_dates() -> Callable[[datetime], str]:
    """``{{ value|date:"SHORT_DATE_FORMAT" }}`` for the dates of a list (in the current time
    zone, as the template shows an aware date-time), each day formatted once."""
    known: dict[date, str] = {}
    zone = timezone.get_current_timezone()

    def shown(value: datetime) -> str:
        local = timezone.localtime(value, zone) if timezone.is_aware(value) else value
        day = local.date()
        if day not in known:
            known[day] = date_format(local, "SHORT_DATE_FORMAT")
        return known[day]

    return shown


# The members page's reads, written by the ORM once per process (``core.statements``).
_MEMBER_ROWS = Statement(
    lambda organisation_id: (
        Membership.objects.filter(organisation=organisation_id)
        .annotate(two_factor=confirmed_authenticators())
        .order_by("user__full_name", "user__email")
        .values_list(
            "pk", "user_id", "user__full_name", "user__email", "role", "created_at", "two_factor"
        )
    ),
    int,
)
_OPEN_INVITATIONS = Statement(
    lambda organisation_id, now: open_invitations(organisation_id, now).values_list(
        "pk", "email", "role", "expires_at"
    ),
    int,
    datetime,
)


def open_invitations(organisation_id: int, now: datetime) -> QuerySet[Invitation]:
    """The invitations of an organisation that can still be accepted, newest first."""
    return Invitation.objects.filter(
        organisation=organisation_id,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=now,
    ).order_by("-created_at")


def _filled(sentence: str, **values: str) -> str:
    """What ``{% blocktranslate with name=… %}`` gives for a translated ``sentence``: the
    values escaped, the sentence not."""
    return mark_safe(sentence % {k: conditional_escape(v) for k, v in values.items()})  # noqa: S308


def members_page(tenant: Tenant) -> MembersPage:
    """Read in two queries: the members with their two-factor state (the security section
    counts them), and the open invitations."""
    organisation = tenant.organisation
    slug, you = organisation.slug, tenant.membership.user_id
    labels = {role.value: str(role.label) for role in Role}
    choices = {  # the role choices with one of them selected, for each role
        role: tuple((value, label, value == role) for value, label in labels.items())
        for role in labels
    }
    shown = shown_dates()
    role_of, remove_question = _("Role of %(name)s"), _("Remove %(name)s from this organisation?")
    role_url = links.for_each("organisations:role", slug)
    remove_url = links.for_each("organisations:remove", slug)
    members = tuple(
        MemberRow(
            pk=pk,
            key=str(pk),
            name=full_name or email,  # User.display_name
            email=email,
            role_label=labels.get(role, role),
            roles=choices.get(role) or tuple((v, label, False) for v, label in labels.items()),
            since=shown(created_at),
            two_factor=two_factor,
            you=user_id == you,
            role_url=role_url(pk),
            remove_url=remove_url(pk),
            role_of=_filled(role_of, name=full_name or email),
            remove_question=_filled(remove_question, name=full_name or email),
        )
        for pk, user_id, full_name, email, role, created_at, two_factor in _MEMBER_ROWS.rows(
            organisation.pk
        )
    )
    revoke_url = links.for_each("organisations:revoke", slug)
    invitations = tuple(
        InvitationRow(pk, email, labels.get(role, role), shown(expires_at), revoke_url(pk))
        for pk, email, role, expires_at in _OPEN_INVITATIONS.rows(organisation.pk, timezone.now())
    )
    security = None
    if tenant.is_owner:
        security = Security(
            two_factor_required=organisation.require_two_factor,
            member_count=len(members),
            members_with_two_factor=sum(1 for m in members if m.two_factor),
            you_have_two_factor=any(m.two_factor for m in members if m.you),
        )
    return MembersPage(members, invitations, security)


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

    @cached_property
    def notices_key(self) -> str:
        """A key of everything the list of notices shows (``core.kept``)."""
        shown = tuple((str(n.text), str(n.url), str(n.level)) for n in self.notices)
        return kept.content_key("overview-notices", OVERVIEW_VERSION, get_language(), shown)

    @cached_property
    def profile_key(self) -> str:
        """A key of everything the company profile, the team and the modules show: the
        figures (the size class and its explanation follow from them), the team's counts, the
        reader's role and rights, the modules, the language and the time zone (the date)."""
        organisation = self.tenant.organisation
        return kept.content_key(
            "overview-profile",
            OVERVIEW_VERSION,
            get_language(),
            timezone.get_current_timezone_name(),
            organisation.slug,
            organisation.headcount,
            organisation.annual_turnover,
            organisation.balance_sheet_total,
            organisation.created_at,
            self.member_count,
            tuple((role.value, count) for role, count in self.role_counts.items()),
            self.open_invitation_count,
            self.tenant.membership.role,
            self.tenant.can_administer,
            tuple(
                (m.key, m.icon, m.url_name, str(m.label), str(m.description)) for m in self.modules
            ),
        )


# Part of the keys of the overview's kept parts: raise it when a part shows something new from
# the same data (the kept parts live in each process's memory, so a deployment starts afresh).
OVERVIEW_VERSION = 1
_MEMBER_ROLES = Statement(
    lambda organisation_id: (
        Membership.objects.filter(organisation=organisation_id).order_by().values_list("role")
    ),
    int,
)


def overview(tenant: Tenant) -> Overview:
    organisation_id = tenant.organisation.pk
    roles = Counter(Role(role) for (role,) in _MEMBER_ROLES.rows(organisation_id))
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
        open_invitation_count=len(_OPEN_INVITATIONS.rows(organisation_id, timezone.now())),
        modules=modules,
        headlines=headlines,
        focus=focus,
        notices=tuple(n for m in modules if m.notices for n in m.notices(tenant)),
        first_steps=tuple(a for m in modules if m.start for a in [m.start(tenant)] if a),
    )


# Audit log ------------------------------------------------------------------------------------

AUDIT_PAGE_SIZE = 50
# Part of the kept table's key: raise it when the table shows something new from the same
# entries (the kept parts live in each process's memory, so a deployment starts afresh anyway).
AUDIT_TABLE_VERSION = 1
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
class AuditPageRow:
    """An entry as the audit-log page shows it: every value as it reads there."""

    at: str  # when, in the current time zone
    iso: str  # when, for ``<time datetime>``
    actor: str  # "–" without one
    action: str
    kind: str
    label: str
    summary: str
    source: str  # "from <address>" ("" without an address); marked safe as blocktranslate's


@dataclass(frozen=True)
class AuditLog:
    """The audit-log page: the filter form, one page of rows, and where the pages are."""

    form: AuditFilterForm
    page: Page[tuple[Any, ...]]  # of the entries' values (``AUDIT_VALUES``)
    total: int
    filtered: bool
    retention_days: int
    query_string: str  # the filters, for the export link and the page links
    language: str

    @cached_property
    def rows(self) -> tuple[AuditPageRow, ...]:
        """The page's rows as shown; worked out only when the kept table is not at hand."""
        return audit_page_rows(self.page.object_list, self.language)

    @cached_property
    def filter_key(self) -> str:
        """The filters' key while they are unfilled (their choices), else "" (``forms``)."""
        return unfilled_key(self.form, "audit-log filters")

    @cached_property
    def key(self) -> str:
        """A key of everything the table shows (``core.kept``): the entries' values, the
        language and the time zone they are shown in."""
        return kept.content_key(
            "audit-log",
            AUDIT_TABLE_VERSION,
            self.language,
            timezone.get_current_timezone_name(),
            self.page.object_list,
        )


def _kind_label(object_type: str) -> str:
    if not object_type:
        return ""
    try:
        return str(capfirst(apps.get_model(object_type)._meta.verbose_name))
    except (LookupError, ValueError):
        return object_type


_AUDIT_CHOICES = Statement(  # what the filters offer: each combination once, newest first
    lambda organisation_id: (
        AuditEvent.objects.filter(organisation=organisation_id)
        .values("action", "actor_id", "actor_name", "object_type")
        .annotate(newest=Max("at"), newest_pk=Max("pk"))
        .order_by("-newest", "-newest_pk")
        .values_list("action", "actor_id", "actor_name", "object_type")
    ),
    int,
)


def audit_filters(tenant: Tenant, data: Mapping[str, Any] | None) -> AuditFilterForm:
    combinations = _AUDIT_CHOICES.rows(tenant.organisation.pk)
    present = {action for action, *_rest in combinations}
    actions = [(value, str(label)) for value, label in AuditAction.choices if value in present]
    actors: dict[str, str] = {}
    for _action, actor_id, name, _kind in combinations:  # an actor's newest name
        if actor_id is None:
            if name:
                actors[DELETED_ACTOR] = _("deleted account")
        else:
            actors.setdefault(str(actor_id), name)
    kinds = {t: _kind_label(t) for t in dict.fromkeys(t for *_rest, t in combinations)}
    return AuditFilterForm(
        data or None,
        actions=actions,
        actors=sorted(actors.items(), key=lambda item: item[1].lower()),
        kinds=sorted(((t, label) for t, label in kinds.items() if t), key=lambda i: i[1]),
    )


# The filters in the order of their values in a read; "deleted" (entries of deleted accounts)
# takes no value.
_FILTER_KINDS: dict[str, Kind] = {
    "action": str,
    "actor": int,
    "deleted": bool,
    "kind": str,
    "since": datetime,
    "until": datetime,
}


def _filter_values(form: AuditFilterForm) -> dict[str, Any]:
    """The valid filters of ``form`` as values to narrow the entries by (none if invalid)."""
    if not form.is_valid():
        return {}
    data = form.cleaned_data
    found: dict[str, Any] = {}
    if data["action"]:
        found["action"] = data["action"]
    if data["actor"] == DELETED_ACTOR:
        found["deleted"] = True
    elif data["actor"]:
        found["actor"] = int(data["actor"])
    if data["kind"]:
        found["kind"] = data["kind"]
    zone = timezone.get_current_timezone()
    if data["since"]:
        found["since"] = datetime.combine(data["since"], time.min, zone)
    if data["until"]:
        found["until"] = datetime.combine(data["until"] + timedelta(days=1), time.min, zone)
    return found


def _narrowed(events: QuerySet[AuditEvent], filters: Mapping[str, Any]) -> QuerySet[AuditEvent]:
    if "action" in filters:
        events = events.filter(action=filters["action"])
    if "deleted" in filters:
        events = events.filter(actor__isnull=True).exclude(actor_name="")
    elif "actor" in filters:
        events = events.filter(actor_id=filters["actor"])
    if "kind" in filters:
        events = events.filter(object_type=filters["kind"])
    if "since" in filters:
        events = events.filter(at__gte=filters["since"])
    if "until" in filters:
        events = events.filter(at__lt=filters["until"])
    return events


def audit_events(tenant: Tenant, form: AuditFilterForm) -> QuerySet[AuditEvent]:
    """The organisation's entries, newest first, narrowed by the valid filters of ``form``."""
    return _narrowed(tenant.scoped(AuditEvent.objects).order_by("-at", "-pk"), _filter_values(form))


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


AUDIT_VALUES = (
    "at",
    "actor_name",
    "action",
    "object_type",
    "object_label",
    "summary",
    "ip_address",
)


def _valued(shape: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(name for name in shape if _FILTER_KINDS[name] is not bool)


@functools.lru_cache(maxsize=64)
def _audit_count(shape: tuple[str, ...]) -> Statement:
    """How many entries the filters named in ``shape`` leave (one row: organisation, count)."""
    names = _valued(shape)

    def make(organisation_id: int, *values: Any) -> QuerySet[Any]:
        filters = {**dict.fromkeys(shape, True), **dict(zip(names, values, strict=True))}
        return (
            _narrowed(AuditEvent.objects.filter(organisation=organisation_id), filters)
            .order_by()
            .values("organisation")  # one group: the entries are the organisation's
            .annotate(count=Count("pk"))
            .values_list("organisation", "count")
        )

    return Statement(make, int, *(_FILTER_KINDS[name] for name in names))


@functools.lru_cache(maxsize=256)
def _audit_page(shape: tuple[str, ...], start: int, stop: int) -> Statement:
    """The values of the entries ``start`` to ``stop`` (newest first) the filters leave."""
    names = _valued(shape)

    def make(organisation_id: int, *values: Any) -> QuerySet[Any]:
        filters = {**dict.fromkeys(shape, True), **dict(zip(names, values, strict=True))}
        events = AuditEvent.objects.filter(organisation=organisation_id).order_by("-at", "-pk")
        return _narrowed(events, filters).values_list(*AUDIT_VALUES)[start:stop]

    return Statement(make, int, *(_FILTER_KINDS[name] for name in names))


def shown_times() -> Callable[[datetime], tuple[str, str]]:
    """``|date:"SHORT_DATETIME_FORMAT"`` and ``|date:"c"`` of the date-times of a list, in the
    current time zone as the template shows an aware date-time; where the format shows no
    seconds, each minute is formatted once."""
    pattern = str(get_format("SHORT_DATETIME_FORMAT"))
    by_minute = not set(pattern) & set("suvUcr\\")
    known: dict[tuple[datetime, timedelta | None], str] = {}
    zone = timezone.get_current_timezone()

    def shown(value: datetime) -> tuple[str, str]:
        local = timezone.localtime(value, zone) if timezone.is_aware(value) else value
        if not by_minute:
            return date_format(local, "SHORT_DATETIME_FORMAT"), local.isoformat()
        minute = (local.replace(second=0, microsecond=0), local.utcoffset())
        if minute not in known:
            known[minute] = date_format(local, "SHORT_DATETIME_FORMAT")
        return known[minute], local.isoformat()

    return shown


def audit_page_rows(values: Iterable[tuple[Any, ...]], language: str) -> tuple[AuditPageRow, ...]:
    """The rows of the page from the entries' ``AUDIT_VALUES``, as ``audit_rows`` and the
    template show them."""
    choices = dict(AuditAction.choices)
    labels: dict[str, str] = {}  # each action's and kind's label looked up once
    kinds: dict[str, str] = {}
    shown = shown_times()
    source = _("from %(address)s")  # the template's {% blocktranslate %}, once
    rows = []
    for at, actor, action, object_type, label, summary, ip_address in values:
        when, iso = shown(at)
        if action not in labels:
            labels[action] = str(choices.get(action, action))
        if object_type not in kinds:
            kinds[object_type] = _kind_label(object_type)
        rows.append(
            AuditPageRow(
                at=when,
                iso=iso,
                actor=actor or "–",
                action=labels[action],
                kind=kinds[object_type],
                label=label,
                summary=summary.get(language, "") if isinstance(summary, dict) else "",
                source=_filled(source, address=ip_address) if ip_address else "",
            )
        )
    return tuple(rows)


def audit_log(tenant: Tenant, data: Mapping[str, Any], page_number: str | None) -> AuditLog:
    """The page in three reads: what the filters offer, how many entries they leave, and the
    entries of the page."""
    form = audit_filters(tenant, {k: v for k, v in data.items() if k != "page"})
    found = _filter_values(form)
    shape = tuple(name for name in _FILTER_KINDS if name in found)
    values = [found[name] for name in _valued(shape)]
    organisation_id = tenant.organisation.pk
    counted = _audit_count(shape).rows(organisation_id, *values)
    paginator: Paginator[Any] = Paginator(range(counted[0][1] if counted else 0), AUDIT_PAGE_SIZE)
    numbers = paginator.get_page(page_number)  # Django's choice of page: the first, the last
    bounds = numbers.object_list
    assert isinstance(bounds, range)
    entries = (
        _audit_page(shape, bounds.start, bounds.stop).rows(organisation_id, *values)
        if bounds
        else []
    )
    filters = {k: v for k, v in data.items() if k != "page" and v}
    return AuditLog(
        form=form,
        page=Page(entries, numbers.number, paginator),
        total=paginator.count,
        filtered=bool(filters),
        retention_days=settings.STARTKLAR_AUDIT_RETENTION_DAYS,
        query_string=urlencode(filters),
        language=translation.get_language() or "de",
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


@dataclass(frozen=True)
class ApiTokenRow:
    """An API token as its page lists it."""

    pk: int
    name: str
    scope_label: str
    writes: bool  # the token may write
    prefix: str  # "sk_AbCd1234…", to recognise the token
    created_by: str
    created: str  # the day it was made, as the page shows it
    last_used: str  # date and time of the last request, "" if never used
    revoked: str  # the day it was revoked, "" while it works
    revoked_by: str
    works: bool  # not revoked and its creator is still an owner or editor
    revoke_url: str
    revoke_question: str  # "Revoke the token <name>? …"


@dataclass(frozen=True)
class ApiTokensPage:
    """The API access page (owners only): the tokens, working ones first."""

    tokens: tuple[ApiTokenRow, ...]
    api_base: str  # the API's path, e.g. /api/v1/
    docs_url: str

    @property
    def open_count(self) -> int:
        return sum(1 for token in self.tokens if not token.revoked)


def api_tokens_page(tenant: Tenant) -> ApiTokensPage:
    """One query: the tokens with their creator's name and current role."""
    creator_role = Membership.objects.filter(
        organisation=OuterRef("organisation"), user=OuterRef("created_by")
    ).values("role")[:1]
    rows = (
        tenant.scoped(ApiToken.objects)
        .annotate(creator_role=Subquery(creator_role))
        .order_by(F("revoked_at").desc(nulls_first=True), "-created_at", "-pk")
        .values_list(
            "pk",
            "name",
            "scope",
            "prefix",
            "created_by__full_name",
            "created_by__email",
            "created_at",
            "last_used_at",
            "revoked_at",
            "revoked_by__full_name",
            "revoked_by__email",
            "creator_role",
        )
    )
    shown = shown_dates()
    zone = timezone.get_current_timezone()
    scopes = {scope.value: str(scope.label) for scope in TokenScope}
    revoke_url = links.for_each("organisations:api_token_revoke", tenant.organisation.slug)
    question = _(
        "Revoke the token “%(name)s”? Programs that use it can no longer reach the API, at once."
    )
    working_roles = {Role.EDITOR.value, Role.OWNER.value}
    tokens = tuple(
        ApiTokenRow(
            pk=pk,
            name=name,
            scope_label=scopes.get(scope, scope),
            writes=scope == TokenScope.WRITE,
            prefix=f"sk_{prefix}…",
            created_by=full_name or email or _("deleted account"),
            created=shown(created_at),
            last_used=(
                date_format(timezone.localtime(last_used_at, zone), "SHORT_DATETIME_FORMAT")
                if last_used_at
                else ""
            ),
            revoked=shown(revoked_at) if revoked_at else "",
            revoked_by=revoked_name or revoked_email or "",
            works=revoked_at is None and role in working_roles,
            revoke_url=revoke_url(pk),
            revoke_question=question % {"name": name},
        )
        for (
            pk,
            name,
            scope,
            prefix,
            full_name,
            email,
            created_at,
            last_used_at,
            revoked_at,
            revoked_name,
            revoked_email,
            role,
        ) in rows
    )
    return ApiTokensPage(tokens=tokens, api_base="/api/v1/", docs_url="/api/v1/docs")
