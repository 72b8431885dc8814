"""The audit log: written with the change, readable and exportable by owners, kept for a time."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone
from openpyxl import load_workbook

from startklar.accounts.models import User
from startklar.organisations import audit, services
from startklar.organisations.models import (
    AuditAction,
    AuditEvent,
    NaceSection,
    Organisation,
    Role,
)
from startklar.testing import add_member, client_for, make_organisation, make_user, tenant_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation() -> Organisation:
    return make_organisation("Holz & Form GmbH")


@pytest.fixture
def owner(organisation: Organisation) -> User:
    return add_member(organisation, make_user("chefin@example.com", name="Ina Chef"), Role.OWNER)


def actions(organisation: Organisation) -> list[str]:
    return list(
        AuditEvent.objects.filter(organisation=organisation)
        .order_by("at", "pk")
        .values_list("action", flat=True)
    )


def test_an_entry_reads_the_same_in_both_languages_later() -> None:
    organisation = make_organisation()
    user = make_user(name="Ina Chef")
    event = audit.record_for(
        organisation,
        user,
        AuditAction.ROLE_CHANGED,
        organisation,
        summary=lambda: str(Role.EDITOR.label),
    )
    assert event.summary == {"de": "Bearbeiter:in", "en": "Editor"}
    assert event.actor_name == "Ina Chef"
    assert event.object_type == "organisations.organisation"
    assert event.object_label == organisation.name


def test_member_changes_are_logged_with_the_change(organisation: Organisation, owner: User) -> None:
    tenant = tenant_of(owner, organisation)
    invitation, link = services.invite_member(
        tenant, "neu@example.com", Role.EDITOR, link_for=lambda t: t
    )
    services.revoke_invitation(tenant, invitation)
    _inv, link = services.invite_member(tenant, "zwei@example.com", Role.VIEWER, lambda t: t)
    user = make_user("zwei@example.com", name="Zwei")
    membership = services.accept_invitation(link, user)
    services.change_role(tenant, membership, Role.EDITOR)
    services.change_role(tenant, membership, Role.EDITOR)  # unchanged: no entry
    services.remove_member(tenant, membership)
    services.update_profile(
        tenant,
        {
            "name": organisation.name,
            "industry": NaceSection.C,
            "headcount": 41,
            "annual_turnover": organisation.annual_turnover,
            "balance_sheet_total": organisation.balance_sheet_total,
        },
    )
    assert actions(organisation) == [
        AuditAction.INVITED,
        AuditAction.INVITATION_REVOKED,
        AuditAction.INVITED,
        AuditAction.JOINED,
        AuditAction.ROLE_CHANGED,
        AuditAction.MEMBER_REMOVED,
        AuditAction.CHANGED,
    ]
    role = AuditEvent.objects.get(organisation=organisation, action=AuditAction.ROLE_CHANGED)
    assert role.summary["en"] == "From Viewer to Editor"
    assert role.object_label == "Zwei"
    joined = AuditEvent.objects.get(organisation=organisation, action=AuditAction.JOINED)
    assert joined.actor == user
    changed = AuditEvent.objects.get(organisation=organisation, action=AuditAction.CHANGED)
    assert "headcount" in changed.summary["en"].lower()


def test_a_failed_change_leaves_no_entry(organisation: Organisation, owner: User) -> None:
    tenant = tenant_of(owner, organisation)
    with pytest.raises(services.MembershipError):
        services.change_role(tenant, tenant.membership, Role.VIEWER)  # the last owner
    assert actions(organisation) == []


def test_owners_read_filter_and_export_the_log(organisation: Organisation, owner: User) -> None:
    tenant = tenant_of(owner, organisation)
    editor = add_member(organisation, make_user("ed@example.com", name="Ed Itor"), Role.EDITOR)
    client = client_for(owner, "en")  # signing in is logged too
    AuditEvent.objects.all().delete()
    for n in range(60):
        audit.record(tenant, AuditAction.CHANGED, organisation, summary=f"Change {n}")
    audit.record(tenant_of(editor, organisation), AuditAction.EXPORTED, organisation)
    old = audit.record(tenant, AuditAction.DELETED, organisation, label="Alter Eintrag")
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=40))
    base = f"/o/{organisation.slug}/audit/"

    page = client.get(base)
    assert page.status_code == 200
    text = page.content.decode()
    assert "62 entries" in text
    assert "Page 1 of 2" in text
    assert "Ed Itor" in text

    only_exports = client.get(base, {"action": "exported"}).content.decode()
    assert "1 matching entry" in only_exports
    by_person = client.get(base, {"actor": str(editor.pk)}).content.decode()
    assert "1 matching entry" in by_person
    since = (timezone.localdate() - timedelta(days=1)).isoformat()
    recent = client.get(base, {"since": since}).content.decode()
    assert "61 matching entries" in recent
    assert "Alter Eintrag" not in recent

    bad = client.get(base, {"since": "2026-13-45", "action": "nonsense"})
    assert bad.status_code == 422
    assert "Please enter a date" in bad.content.decode()

    export = client.get(f"/o/{organisation.slug}/audit/export.xlsx", {"action": "changed"})
    assert export.status_code == 200
    assert "no-store" in export["Cache-Control"]
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet is not None
    assert sheet.max_row == 61  # header and the 60 changes
    assert actions(organisation).count(AuditAction.EXPORTED) == 2  # the export is logged


def test_signing_in_is_logged_in_each_organisation_of_the_person() -> None:
    first, second = make_organisation(), make_organisation()
    user = make_user()
    add_member(first, user, Role.VIEWER)
    add_member(second, user, Role.OWNER)
    client_for(user)
    assert actions(first) == [AuditAction.SIGNED_IN]
    assert actions(second) == [AuditAction.SIGNED_IN]


def test_only_owners_see_the_log(organisation: Organisation, owner: User) -> None:
    editor = add_member(organisation, role=Role.EDITOR)
    assert client_for(editor).get(f"/o/{organisation.slug}/audit/").status_code == 403
    assert client_for(editor).get(f"/o/{organisation.slug}/audit/export.xlsx").status_code == 403


def test_a_summary_that_looks_like_a_formula_stays_text_in_the_export(
    organisation: Organisation, owner: User
) -> None:
    tenant = tenant_of(owner, organisation)
    audit.record(tenant, AuditAction.CREATED, organisation, label='=HYPERLINK("http://x","y")')
    content = services.export_audit_log(tenant, {})
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    labels = [c.value for c in sheet["E"]]
    assert '=HYPERLINK("http://x","y")' in labels
    assert all(c.data_type == "s" for c in sheet["E"][1:])


@override_settings(STARTKLAR_AUDIT_RETENTION_DAYS=30)
def test_entries_past_the_retention_period_are_deleted(
    organisation: Organisation, owner: User
) -> None:
    tenant = tenant_of(owner, organisation)
    kept = audit.record(tenant, AuditAction.CHANGED, organisation)
    gone = audit.record(tenant, AuditAction.CHANGED, organisation)
    AuditEvent.objects.filter(pk=gone.pk).update(at=timezone.now() - timedelta(days=31))
    assert audit.purge_expired() == 1
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [kept.pk]


def test_a_deleted_account_is_no_longer_named(organisation: Organisation, owner: User) -> None:
    editor = add_member(organisation, make_user(name="Ed Itor"), Role.EDITOR)
    audit.record(tenant_of(editor, organisation), AuditAction.EXPORTED, organisation)
    audit.forget_actor(editor)
    event = AuditEvent.objects.get(action=AuditAction.EXPORTED)
    assert event.actor is None
    assert event.actor_name in {"gelöschtes Konto", "deleted account"}


def test_money_and_names_in_the_profile_change_are_named_not_copied(
    organisation: Organisation, owner: User
) -> None:
    tenant = tenant_of(owner, organisation)
    services.update_profile(
        tenant,
        {
            "name": organisation.name,
            "industry": NaceSection.C,
            "headcount": organisation.headcount,
            "annual_turnover": Decimal("7000000"),
            "balance_sheet_total": organisation.balance_sheet_total,
        },
    )
    event = AuditEvent.objects.get(action=AuditAction.CHANGED)
    assert event.summary["en"] == "Changed: annual turnover (EUR)"
