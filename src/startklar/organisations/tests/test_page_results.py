"""The members page, the audit log and the overview show what they showed before they were made
fast (issue 12), on the demo at once and at ten times its data: the page queries equal the
computation from model instances and template filters they replaced, a kept part is the part
rendered afresh, and every change shows at once."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import QuerySet
from django.template import engines
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import conditional_escape

from startklar.accounts.models import Authenticator, User
from startklar.accounts.queries import has_two_factor, with_two_factor
from startklar.core import modules
from startklar.organisations import archive, audit, queries, services
from startklar.organisations.forms import (
    AuditFilterForm,
    InvitationForm,
    TwoFactorRequirementForm,
    unfilled_key,
)
from startklar.organisations.models import (
    AuditAction,
    AuditEvent,
    Invitation,
    Membership,
    Organisation,
    Role,
)
from startklar.organisations.tenancy import Tenant
from startklar.testing import (
    add_member,
    client_for,
    demo_company,
    make_user,
    nothing_kept,
    tenant_of,
)

pytestmark = pytest.mark.django_db

# What differs between two responses of the same page: the masked CSRF token, the CSP nonce.
TOKEN = re.compile(r'csrfmiddlewaretoken" value="[^"]+"|CSRFToken": "[^"]+"|nonce="[^"]+"')
LANGUAGES = ("de", "en")


@pytest.fixture(params=[1, 10], ids=["once", "ten times"])
def demo(request: pytest.FixtureRequest) -> Organisation:
    return demo_company(copies=request.param - 1)


def member(organisation: Organisation, role: Role) -> User:
    return Membership.objects.filter(organisation=organisation, role=role).first().user  # type: ignore[union-attr]


def owner_of(organisation: Organisation) -> Tenant:
    return tenant_of(member(organisation, Role.OWNER), organisation)


def html(client: Client, url: str, **extra: Any) -> str:
    response = client.get(url, **extra)
    assert response.status_code == 200
    return TOKEN.sub("X", response.content.decode())


def fresh(client: Client, url: str, **extra: Any) -> str:
    """The page rendered without anything kept."""
    with nothing_kept():
        return html(client, url, **extra)


def shown(source: str, **context: Any) -> str:
    """What a template shows (for the filters the pages used before)."""
    return engines["django"].from_string(source).render(context)


@pytest.fixture
def language() -> Iterator[Callable[[str], None]]:
    def activate(code: str) -> None:
        translation.activate(code)

    yield activate
    translation.deactivate()


# Members -----------------------------------------------------------------------------------


def with_two_factor_states(organisation: Organisation) -> None:
    """One editor with two-factor sign-in, one viewer who started setting it up, and
    invitations of every state (only the open one is listed)."""
    now = timezone.now()
    Authenticator.objects.create(
        user=member(organisation, Role.EDITOR), secret="A" * 32, confirmed_at=now
    )
    Authenticator.objects.create(user=member(organisation, Role.VIEWER), secret="B" * 32)
    owner = member(organisation, Role.OWNER)
    for n, state in enumerate(["open", "expired", "revoked", "accepted"]):
        Invitation.objects.create(
            organisation=organisation,
            email=f"{state}{n}@example.com",
            role=Role.VIEWER if n % 2 else Role.EDITOR,
            token_hash=f"hash-{organisation.pk}-{n}",
            invited_by=owner,
            expires_at=now + timedelta(days=-1 if state == "expired" else 3 + n),
            revoked_at=now if state == "revoked" else None,
            accepted_at=now if state == "accepted" else None,
        )


def members_before(tenant: Tenant) -> list[tuple[Any, ...]]:
    """The rows as the page showed them: from model instances and the template's filters."""
    slug = tenant.organisation.slug
    return [
        (
            m.pk,
            str(m.pk),
            m.user.display_name,
            m.user.email,
            m.get_role_display(),
            tuple((value, str(label), value == m.role) for value, label in Role.choices),
            shown('{{ d|date:"SHORT_DATE_FORMAT" }}', d=m.created_at),
            m.two_factor,  # type: ignore[attr-defined]
            m.user_id == tenant.membership.user_id,
            reverse("organisations:role", args=[slug, m.pk]),
            reverse("organisations:remove", args=[slug, m.pk]),
            shown(
                "{% blocktranslate with name=n trimmed %}Role of {{ name }}{% endblocktranslate %}",
                n=m.user.display_name,
            ),
            shown(
                "{% blocktranslate with name=n %}Remove {{ name }} from this organisation?"
                "{% endblocktranslate %}",
                n=m.user.display_name,
            ),
        )
        for m in queries.members(tenant)
    ]


def member_rows(page: queries.MembersPage) -> list[tuple[Any, ...]]:
    return [
        (
            r.pk,
            r.key,
            r.name,
            r.email,
            r.role_label,
            r.roles,
            r.since,
            r.two_factor,
            r.you,
            r.role_url,
            r.remove_url,
            str(conditional_escape(r.role_of)),
            str(conditional_escape(r.remove_question)),
        )
        for r in page.members
    ]


def security_before(tenant: Tenant) -> queries.Security:
    people = User.objects.filter(memberships__organisation=tenant.organisation)
    return queries.Security(
        two_factor_required=tenant.organisation.require_two_factor,
        member_count=people.count(),
        members_with_two_factor=with_two_factor(people).count(),
        you_have_two_factor=has_two_factor(tenant.membership.user),
    )


def open_invitations(tenant: Tenant) -> QuerySet[Invitation]:
    """The open invitations as the page read them."""
    return (
        tenant.scoped(Invitation.objects)
        .filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())
        .select_related("invited_by")
        .order_by("-created_at")
    )


def invitations_before(tenant: Tenant) -> list[tuple[Any, ...]]:
    slug = tenant.organisation.slug
    return [
        (
            i.pk,
            i.email,
            i.get_role_display(),
            shown('{{ d|date:"SHORT_DATE_FORMAT" }}', d=i.expires_at),
            reverse("organisations:revoke", args=[slug, i.pk]),
        )
        for i in open_invitations(tenant)
    ]


@pytest.mark.parametrize("role", [Role.OWNER, Role.EDITOR, Role.VIEWER])
def test_the_members_page_lists_what_the_models_say(
    demo: Organisation, role: Role, language: Callable[[str], None]
) -> None:
    with_two_factor_states(demo)
    add_member(demo, make_user("o.neil@example.com", name='Ä & <b>"O\'Neil"</b>'), Role.VIEWER)
    add_member(demo, make_user("ohne.namen@example.com", name=" "), Role.EDITOR)
    User.objects.filter(email="ohne.namen@example.com").update(full_name="")
    tenant = tenant_of(member(demo, role), demo)
    for code in LANGUAGES:
        language(code)
        page = queries.members_page(tenant)
        assert member_rows(page) == members_before(tenant)
        assert [tuple(vars(i).values()) for i in page.invitations] == invitations_before(tenant)
        assert {i.email for i in page.invitations if i.email.endswith("@example.com")} == {
            "open0@example.com"
        }
        assert page.security == (security_before(tenant) if role is Role.OWNER else None)
    assert {r.two_factor for r in page.members} == {True, False}


def test_the_security_counts_follow_the_members(demo: Organisation) -> None:
    tenant = owner_of(demo)
    with_two_factor_states(demo)
    Authenticator.objects.create(
        user=tenant.membership.user, secret="C" * 32, confirmed_at=timezone.now()
    )
    demo.require_two_factor = True
    demo.save()
    security = queries.members_page(tenant).security
    assert security == security_before(tenant)
    assert security is not None
    assert (security.member_count, security.members_with_two_factor) == (5, 2)
    assert security.you_have_two_factor


def test_the_pages_read_as_often_at_ten_times_the_data() -> None:
    organisation = demo_company()
    counts: list[list[int]] = []
    for times in (0, 9):
        if times:
            archive.copy_into(organisation, times)
        client = client_for(member(organisation, Role.OWNER), "de")
        counts.append([])
        for url in ("members/", "audit/", ""):
            html(client, f"/o/{organisation.slug}/{url}")  # stores what the copies lack
            with CaptureQueriesContext(connection) as found:
                html(client, f"/o/{organisation.slug}/{url}")
            counts[-1].append(len(found))
    assert counts[0] == counts[1]


# Audit log ---------------------------------------------------------------------------------


def filters_before(tenant: Tenant, data: dict[str, str] | None) -> AuditFilterForm:
    """The filter form as it was made: each value read from the entries, newest first."""
    events = tenant.scoped(AuditEvent.objects)  # ordered newest first
    present = set(events.values_list("action", flat=True).distinct())
    actions = [(value, str(label)) for value, label in AuditAction.choices if value in present]
    actors: dict[str, str] = {}
    for actor_id, name in events.values_list("actor_id", "actor_name").distinct():
        if actor_id is None:
            if name:
                actors[queries.DELETED_ACTOR] = str(translation.gettext("deleted account"))
        else:
            actors.setdefault(str(actor_id), name)
    kinds = {
        t: queries._kind_label(t) for t in events.values_list("object_type", flat=True).distinct()
    }
    return AuditFilterForm(
        data or None,
        actions=actions,
        actors=sorted(actors.items(), key=lambda item: item[1].lower()),
        kinds=sorted(((t, label) for t, label in kinds.items() if t), key=lambda i: i[1]),
    )


CELLS = (
    "{{ r.at|date:'SHORT_DATETIME_FORMAT' }}|{{ r.at|date:'c' }}|{{ r.actor|default:'–' }}|"
    "{% if r.ip_address %}{% blocktranslate with address=r.ip_address trimmed %}"
    "from {{ address }}{% endblocktranslate %}{% endif %}"
)


def audit_before(tenant: Tenant, data: dict[str, str], page_number: str | None) -> tuple[Any, ...]:
    """The page as it was computed: the entries as model instances, Django's paginator over
    the queryset, the rows of the export, and the template's filters."""
    form = filters_before(tenant, data)
    paginator = Paginator(queries.audit_events(tenant, form), queries.AUDIT_PAGE_SIZE)
    page = paginator.get_page(page_number)
    language = translation.get_language()
    rows = [
        (*shown(CELLS, r=r).split("|"), r.action, r.kind, r.label, r.summary)
        for r in queries.audit_rows(page.object_list, language)
    ]
    choices = [list(form.fields[name].choices) for name in ("action", "actor", "kind")]  # type: ignore[attr-defined]
    return (choices, form.is_valid(), page.number, paginator.num_pages, paginator.count, rows)


def audit_now(tenant: Tenant, data: dict[str, str], page_number: str | None) -> tuple[Any, ...]:
    log = queries.audit_log(tenant, {**data, "page": page_number or ""}, page_number)
    rows = [
        (r.at, r.iso, r.actor, str(r.source), r.action, r.kind, r.label, r.summary)
        for r in log.rows
    ]
    choices = [list(log.form.fields[name].choices) for name in ("action", "actor", "kind")]  # type: ignore[attr-defined]
    paginator = log.page.paginator
    return (choices, log.form.is_valid(), log.page.number, paginator.num_pages, log.total, rows)


def with_entries(organisation: Organisation) -> dict[str, str]:
    """Entries of every kind the page shows differently: a renamed person (the newest name is
    offered), a deleted account, addresses, an unknown object type, two entries in the same
    minute, and the hour that repeats when summer time ends (the same local minute twice)."""
    tenant = owner_of(organisation)
    editor = member(organisation, Role.EDITOR)
    old = audit.record_for(organisation, editor, AuditAction.EXPORTED, organisation)
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=3))
    editor.full_name = "Jonas Weber-Neu"
    editor.save()
    audit.record_for(organisation, editor, AuditAction.CHANGED, organisation, ip_address="10.0.0.7")
    gone = make_user(name="Ex Kollege")
    add_member(organisation, gone, Role.VIEWER)
    audit.record_for(organisation, gone, AuditAction.SIGNED_IN, None, ip_address="2001:db8::1")
    audit.forget_actor(gone)
    odd = audit.record(tenant, AuditAction.DELETED, organisation, label="Alt & <neu>")
    AuditEvent.objects.filter(pk=odd.pk).update(object_type="gone.model", summary={"de": "x"})
    for at in (
        datetime(2026, 10, 25, 0, 30, 5, tzinfo=UTC),  # 02:30 summer time in Berlin
        datetime(2026, 10, 25, 0, 30, 50, tzinfo=UTC),
        datetime(2026, 10, 25, 1, 30, 5, tzinfo=UTC),  # 02:30 winter time in Berlin
    ):
        e = audit.record(tenant, AuditAction.CHANGED, organisation, summary="Zeitumstellung")
        AuditEvent.objects.filter(pk=e.pk).update(at=at)
    return {"actor": str(editor.pk), "kind": "organisations.organisation"}


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_audit_log_shows_what_it_showed(
    demo: Organisation, code: str, language: Callable[[str], None]
) -> None:
    language(code)
    picked = with_entries(demo)
    tenant = owner_of(demo)
    today = timezone.localdate()
    cases: list[tuple[dict[str, str], str | None]] = [
        ({}, None),
        ({}, "2"),
        ({}, "999"),  # past the end: the last page
        ({}, "zwei"),  # not a number: the first page
        ({"action": "changed"}, None),
        ({"actor": picked["actor"]}, None),
        ({"actor": queries.DELETED_ACTOR}, None),
        ({"kind": picked["kind"]}, "1"),
        ({"kind": "gone.model"}, None),
        ({"since": "2026-10-24", "until": "2026-10-25"}, None),
        ({"since": (today - timedelta(days=1)).isoformat()}, None),
        ({"until": "2000-01-01"}, None),  # nothing
        ({"since": "bad", "action": "nonsense"}, None),  # invalid: every entry
        ({"since": "2026-10-26", "until": "2026-10-25"}, None),
        ({"action": "changed", "actor": picked["actor"], "until": today.isoformat()}, None),
    ]
    for data, page_number in cases:
        assert audit_now(tenant, data, page_number) == audit_before(tenant, data, page_number)
    first = audit_now(tenant, {}, None)
    assert first[3] >= 2  # more than one page
    assert {"Jonas Weber-Neu"} <= {name for _v, name in first[0][1]}
    assert "Jonas Weber" not in {name for _v, name in first[0][1]}


@pytest.mark.parametrize("pattern", ["d.m.Y, H:i", "H:i T", "H:i O", "H:i:s", r"H:i \s"])
def test_each_minute_is_formatted_once_unless_the_format_shows_seconds(
    pattern: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = formats.get_format

    def get_format(name: str, *args: Any, **kwargs: Any) -> Any:
        return pattern if name == "SHORT_DATETIME_FORMAT" else real(name, *args, **kwargs)

    monkeypatch.setattr(formats, "get_format", get_format)
    monkeypatch.setattr(queries, "get_format", get_format)
    times = [
        datetime(2026, 10, 25, 0, 30, 5, tzinfo=UTC),
        datetime(2026, 10, 25, 0, 30, 50, tzinfo=UTC),  # the same minute
        datetime(2026, 10, 25, 1, 30, 5, tzinfo=UTC),  # the same local minute, in winter time
    ]
    at = queries.shown_times()
    expected = [
        (shown("{{ t|date:'SHORT_DATETIME_FORMAT' }}", t=t), shown("{{ t|date:'c' }}", t=t))
        for t in times
    ]
    assert [at(t) for t in times] == expected


def test_the_kept_audit_table_is_the_table_rendered_afresh(demo: Organisation) -> None:
    with_entries(demo)
    tenant = owner_of(demo)
    base = f"/o/{demo.slug}/audit/"
    urls = [base, f"{base}?page=2", f"{base}?action=changed", f"{base}?actor=deleted"]
    cache.clear()
    for url in urls:
        pages = []
        for code in LANGUAGES:
            client = client_for(tenant.membership.user, code)  # signing in adds an entry
            first = html(client, url)  # renders and keeps
            assert html(client, url) == first, url  # read back
            assert fresh(client, url) == first, url
            pages.append(first)
        assert pages[0] != pages[1]
    kept = [k for k in cache._cache if "organisations_audit_table" in k]  # type: ignore[attr-defined]
    assert len(kept) >= len(urls) * 2


def rename_editor(organisation: Organisation) -> None:
    editor = member(organisation, Role.EDITOR)
    editor.full_name = "Anders Benannt"
    editor.save()
    audit.record_for(organisation, editor, AuditAction.CHANGED, organisation)


def forget_editor(organisation: Organisation) -> None:
    audit.forget_actor(member(organisation, Role.EDITOR))


def purge(organisation: Organisation) -> None:
    AuditEvent.objects.filter(organisation=organisation).order_by("-at", "-pk")[:1].get().delete()


@pytest.mark.parametrize(
    "change",
    [
        lambda o: audit.record(owner_of(o), AuditAction.EXPORTED, o),
        rename_editor,
        forget_editor,
        purge,
        lambda o: AuditEvent.objects.filter(organisation=o).update(summary={"de": "neu"}),
    ],
    ids=["new entry", "renamed actor", "deleted account", "entry purged", "summary"],
)
def test_every_change_shows_on_the_kept_audit_log(change: Callable[[Organisation], Any]) -> None:
    organisation = demo_company()
    client = client_for(member(organisation, Role.OWNER), "de")
    audit.record_for(organisation, member(organisation, Role.EDITOR), AuditAction.EXPORTED, None)
    url = f"/o/{organisation.slug}/audit/"
    before = html(client, url)
    change(organisation)
    after = html(client, url)
    assert after != before
    assert after == fresh(client, url)


def test_the_kept_audit_table_follows_the_time_zone() -> None:
    organisation = demo_company()
    client = client_for(member(organisation, Role.OWNER), "de")
    url = f"/o/{organisation.slug}/audit/"
    berlin = html(client, url)
    with override_settings(TIME_ZONE="America/New_York"):
        new_york = html(client, url)
        assert new_york == fresh(client, url)
    assert new_york != berlin


# Overview ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.OWNER, Role.EDITOR, Role.VIEWER])
def test_the_kept_overview_parts_are_the_parts_rendered_afresh(
    demo: Organisation, role: Role
) -> None:
    with_two_factor_states(demo)
    url = f"/o/{demo.slug}/"
    cache.clear()
    pages = []
    for code in LANGUAGES:
        client = client_for(member(demo, role), code)
        first = html(client, url)
        assert html(client, url) == first
        assert fresh(client, url) == first
        pages.append(first)
    assert pages[0] != pages[1]
    notices = 'id="notices"' in pages[0]
    assert notices or role is not Role.OWNER
    kept = [k for k in cache._cache if "organisations_overview" in k]  # type: ignore[attr-defined]
    assert len(kept) == 2 * (1 + notices)  # the profile part and the notices, in each language


def test_the_overview_counts_the_team_as_before(demo: Organisation) -> None:
    with_two_factor_states(demo)
    tenant = owner_of(demo)
    found = queries.overview(tenant)
    roles = [m.role for m in queries.members(tenant)]
    assert found.role_counts == {role: roles.count(role) for role in reversed(Role)}
    assert found.member_count == len(roles)
    assert found.open_invitation_count == open_invitations(tenant).count() == 2


def change_profile(organisation: Organisation) -> None:
    tenant = owner_of(organisation)
    services.update_profile(
        tenant,
        {
            "name": organisation.name,
            "industry": organisation.industry,
            "headcount": 400,  # now a large enterprise
            "annual_turnover": organisation.annual_turnover,
            "balance_sheet_total": organisation.balance_sheet_total,
        },
    )


def invite(organisation: Organisation) -> None:
    services.invite_member(
        owner_of(organisation), "neu@example.com", Role.VIEWER, link_for=lambda token: token
    )


def change_role(organisation: Organisation) -> None:
    tenant = owner_of(organisation)
    membership = Membership.objects.get(
        user=member(organisation, Role.VIEWER), organisation=organisation
    )
    services.change_role(tenant, membership, Role.EDITOR)


def new_member(organisation: Organisation) -> None:
    add_member(organisation, make_user(name="Neu Hinzu"), Role.VIEWER)


@pytest.fixture
def notices() -> Iterator[list[modules.Notice]]:
    """What a module of the test says on the overview (the features' notices stay)."""
    said: list[modules.Notice] = []
    modules.register(
        modules.Module(
            key="test-notices",
            label="Test",
            description="Test",
            url_name="organisations:members",
            icon="bell",
            order=999,
            notices=lambda _tenant: list(said),
        )
    )
    yield said
    modules._modules.pop("test-notices")


def more_notices(said: list[modules.Notice]) -> None:
    said.append(modules.Notice("Eine Prüfung ist fällig", "/o/x/", "danger"))


def another_notice_text(said: list[modules.Notice]) -> None:
    said[0] = modules.Notice("Zwei & mehr", said[0].url, said[0].level)


def another_notice_level(said: list[modules.Notice]) -> None:
    said[0] = modules.Notice(said[0].text, said[0].url, "info")


def another_notice_link(said: list[modules.Notice]) -> None:
    said[0] = modules.Notice(said[0].text, "/o/y/", said[0].level)


@pytest.mark.parametrize(
    "change",
    [
        change_profile,
        invite,
        change_role,
        new_member,
        more_notices,
        another_notice_text,
        another_notice_level,
        another_notice_link,
    ],
)
def test_every_change_shows_on_the_kept_overview(
    change: Callable[[Any], None], notices: list[modules.Notice]
) -> None:
    organisation = demo_company()
    notices.append(modules.Notice("Etwas ist offen", "/o/z/"))
    client = client_for(member(organisation, Role.OWNER), "en")
    url = f"/o/{organisation.slug}/"
    before = html(client, url)
    change(notices if change.__name__.startswith(("more", "another")) else organisation)
    organisation.refresh_from_db()
    after = html(client, url)
    assert after != before
    assert after == fresh(client, url)


# Unfilled forms kept ------------------------------------------------------------------------


def test_an_unfilled_form_is_kept_by_what_it_shows(language: Callable[[str], None]) -> None:
    language("de")
    plain = unfilled_key(InvitationForm(), "invitation")
    assert plain == unfilled_key(InvitationForm(), "invitation")
    assert plain != unfilled_key(InvitationForm(initial={"role": Role.VIEWER}), "invitation")
    assert plain != unfilled_key(InvitationForm(), "other")
    assert unfilled_key(InvitationForm({"email": "a@example.com"}), "invitation") == ""
    required = TwoFactorRequirementForm(initial={"require_two_factor": True})
    assert unfilled_key(required, "x") != unfilled_key(TwoFactorRequirementForm(), "x")
    choices = [("a", "A")]
    audit_form = AuditFilterForm(None, actions=choices, actors=choices, kinds=choices)
    other = AuditFilterForm(None, actions=choices, actors=[("b", "B")], kinds=choices)
    assert unfilled_key(audit_form, "f") != unfilled_key(other, "f")
    language("en")
    assert plain != unfilled_key(InvitationForm(), "invitation")


def test_the_kept_member_and_filter_forms_are_the_forms_rendered_afresh(
    demo: Organisation,
) -> None:
    with_entries(demo)
    owner = member(demo, Role.OWNER)
    cache.clear()
    urls = [f"/o/{demo.slug}/members/", f"/o/{demo.slug}/audit/", f"/o/{demo.slug}/audit/?page=2"]
    for code in LANGUAGES:
        client = client_for(owner, code)
        for url in urls:
            first = html(client, url)
            assert html(client, url) == first, url
            assert fresh(client, url) == first, url
            partial = html(client, url, HTTP_HX_REQUEST="true")
            assert partial == fresh(client, url, HTTP_HX_REQUEST="true")
    kept = {k.split(".")[2] for k in cache._cache if "organisations_" in k}  # type: ignore[attr-defined]
    assert {
        "organisations_invite_fields",
        "organisations_security_field",
        "organisations_audit_filter",
    } <= kept


def test_filled_in_forms_are_rendered_every_time() -> None:
    organisation = demo_company()
    owner = member(organisation, Role.OWNER)
    client = client_for(owner, "de")
    cache.clear()
    refused = client.post(f"/o/{organisation.slug}/invitations/", {"email": "kein", "role": "x"})
    assert refused.status_code == 422
    assert "kein" in refused.content.decode()
    filtered = client.get(f"/o/{organisation.slug}/audit/", {"action": "signed_in"})
    assert filtered.status_code == 200
    kept = {k.split(".")[2] for k in cache._cache if "organisations_" in k}  # type: ignore[attr-defined]
    assert "organisations_invite_fields" not in kept
    assert "organisations_audit_filter" not in kept
    assert 'value="kein"' in refused.content.decode()
    assert 'value="signed_in" selected' in filtered.content.decode()


def test_the_kept_forms_show_each_change() -> None:
    organisation = demo_company()
    owner = member(organisation, Role.OWNER)
    Authenticator.objects.create(user=owner, secret="D" * 32, confirmed_at=timezone.now())
    client = client_for(owner, "de")
    members_url, audit_url = f"/o/{organisation.slug}/members/", f"/o/{organisation.slug}/audit/"
    before = html(client, members_url)
    services.set_two_factor_requirement(owner_of(organisation), True)
    after = html(client, members_url)
    checkbox = re.compile(r'<input type="checkbox" name="require_two_factor"[^>]*>')
    assert [" checked" in box for box in checkbox.findall(before + after)] == [False, True]
    assert after != before
    assert after == fresh(client, members_url)
    filters = html(client, audit_url)
    newcomer = make_user(name="Neue Person")
    add_member(organisation, newcomer, Role.VIEWER)
    audit.record_for(organisation, newcomer, AuditAction.EXPORTED, organisation)
    changed = html(client, audit_url)
    assert "Neue Person</option>" in changed
    assert "Neue Person</option>" not in filters
    assert changed == fresh(client, audit_url)
