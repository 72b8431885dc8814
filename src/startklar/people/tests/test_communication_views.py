"""The communication page as an owner and a viewer use it: an empty plan explains why and
offers the starter plan; steps are added, changed, marked done, opened again and deleted; late
steps are marked; the FAQ is filled, reordered and emptied. Invalid input answers 422 with the
message at the field and saves nothing; viewers see everything and change nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from startklar.organisations.models import Role
from startklar.organisations.tenancy import Tenant
from startklar.people import communication_services as services
from startklar.people.models import CommunicationItem, FaqEntry
from startklar.testing import add_member, client_for, make_organisation, make_user, tenant_of

pytestmark = pytest.mark.django_db
INVALID = 422


@pytest.fixture
def world() -> tuple[Tenant, Client, Client]:
    organisation = make_organisation("Kommunikation GmbH")
    owner = add_member(organisation, role=Role.OWNER)
    viewer = add_member(organisation, make_user(), role=Role.VIEWER)
    return (
        tenant_of(owner, organisation),
        client_for(owner, "en"),
        client_for(viewer, "en"),
    )


def url(tenant: Tenant, name: str, *args: object) -> str:
    return reverse(f"people:{name}", args=[tenant.organisation.slug, *args])


def valid(**changes: Any) -> dict[str, str]:
    data = {
        "kind": "announcement",
        "audience": "All staff",
        "message": "What we plan with AI, and that nobody's work is monitored.",
        "channel": "staff_meeting",
        "due_on": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
    }
    data.update(changes)
    return data


def made(tenant: Tenant) -> CommunicationItem:
    return services.create_item(
        tenant,
        kind="announcement",
        audience="All staff",
        message="What we plan with AI.",
        channel="staff_meeting",
        due_on=timezone.localdate(),
    )


def test_an_empty_plan_explains_why_and_the_starter_plan_fills_it(
    world: tuple[Tenant, Client, Client],
) -> None:
    tenant, owner, _viewer = world
    page = owner.get(url(tenant, "communication"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="plan-empty"' in html
    assert "monitored" in html
    assert "losing their job" in html
    assert url(tenant, "communication_starter") in html
    assert url(tenant, "faq_starter") in html

    adopted = owner.post(url(tenant, "communication_starter"))
    assert adopted.status_code == 302
    assert CommunicationItem.objects.filter(organisation=tenant.organisation).count() >= 5
    html = owner.get(url(tenant, "communication")).content.decode()
    assert 'id="plan-empty"' not in html
    assert "Works council (if there is one)" in html
    assert "staff_meeting" not in html.replace('value="staff_meeting"', "")  # words, not codes
    assert "staff meeting" in html
    # A second click adds nothing.
    again = owner.post(url(tenant, "communication_starter"), follow=True)
    assert "has steps already" in again.content.decode()
    assert CommunicationItem.objects.filter(organisation=tenant.organisation).count() == 6

    owner.post(url(tenant, "faq_starter"))
    assert FaqEntry.objects.filter(organisation=tenant.organisation).count() == 5
    again = owner.post(url(tenant, "faq_starter"), follow=True)
    assert "has questions already" in again.content.decode()
    assert FaqEntry.objects.filter(organisation=tenant.organisation).count() == 5


def test_a_step_is_added_changed_marked_done_and_deleted(
    world: tuple[Tenant, Client, Client],
) -> None:
    tenant, owner, _viewer = world
    form = owner.get(url(tenant, "communication_new") + "?kind=results")
    assert form.status_code == 200
    assert '<option value="results" selected>' in form.content.decode()
    created = owner.post(url(tenant, "communication_new"), valid())
    assert created.status_code == 302
    item = CommunicationItem.objects.get(organisation=tenant.organisation)
    assert owner.get(url(tenant, "communication_edit", item.pk)).status_code == 200
    changed = owner.post(
        url(tenant, "communication_edit", item.pk), valid(audience="The shop floor")
    )
    assert changed.status_code == 302
    item.refresh_from_db()
    assert item.audience == "The shop floor"

    done = owner.post(url(tenant, "communication_done", item.pk), {"done": "1"})
    assert done.status_code == 302
    assert done["Location"].endswith(f"#step-{item.pk}")
    item.refresh_from_db()
    assert item.done_on == timezone.localdate()
    html = owner.get(url(tenant, "communication")).content.decode()
    assert "done on" in html
    assert "Open again" in html
    owner.post(url(tenant, "communication_done", item.pk), {"done": "0"})
    item.refresh_from_db()
    assert item.done_on is None
    refused = owner.post(url(tenant, "communication_done", item.pk), {"done": "maybe"})
    assert refused.status_code == INVALID
    item.refresh_from_db()
    assert item.done_on is None

    confirm = owner.get(url(tenant, "communication_delete", item.pk))
    assert confirm.status_code == 200
    assert "The shop floor" in confirm.content.decode()
    assert owner.post(url(tenant, "communication_delete", item.pk)).status_code == 302
    assert not CommunicationItem.objects.exists()


def test_a_late_step_is_marked_late(world: tuple[Tenant, Client, Client]) -> None:
    tenant, owner, _viewer = world
    services.create_item(
        tenant,
        kind="results",
        audience="All teams",
        message="The pulse's results",
        channel="team_meeting",
        due_on=timezone.localdate() - datetime.timedelta(days=4),
    )
    html = owner.get(url(tenant, "communication")).content.decode()
    assert "late by 4 days" in html
    assert "1 late" in html


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"audience": ""}, "audience", "Please say who is told."),
        ({"message": "  "}, "message", "Please say what they are told."),
        ({"kind": "rumour"}, "kind", "Please choose what kind of step this is."),
        ({"channel": "pigeon"}, "channel", "Please choose how staff are told."),
        ({"due_on": "31.02.2027"}, "due_on", "Please enter a date, e.g. 31.03.2027."),
        ({"due_on": ""}, "due_on", "Please enter the date by which they are told."),
        ({"due_on": "1850-01-01"}, "due_on", "Please enter a date between"),
        ({"audience": "x" * 500}, "audience", "at most 120 characters"),
    ],
)
def test_invalid_input_answers_422_with_the_message_at_the_field(
    world: tuple[Tenant, Client, Client], changes: dict[str, str], field: str, message: str
) -> None:
    tenant, owner, _viewer = world
    answer = owner.post(url(tenant, "communication_new"), valid(**changes))
    assert answer.status_code == INVALID
    assert message in answer.content.decode()
    assert field in answer.context["form"].errors
    assert not CommunicationItem.objects.exists()
    item = made(tenant)
    edited = owner.post(url(tenant, "communication_edit", item.pk), valid(**changes))
    assert edited.status_code == INVALID
    item.refresh_from_db()
    assert item.audience == "All staff"


def test_the_faq_is_filled_reordered_and_emptied(world: tuple[Tenant, Client, Client]) -> None:
    tenant, owner, _viewer = world
    assert owner.get(url(tenant, "faq_new")).status_code == 200
    for question in ("Will AI monitor my work?", "Will my job go?"):
        added = owner.post(url(tenant, "faq_new"), {"question": question, "answer": "No."})
        assert added.status_code == 302
        assert added["Location"].endswith("#faq")
    first, second = FaqEntry.objects.order_by("position")
    moved = owner.post(url(tenant, "faq_move", second.pk), {"direction": "up"})
    assert moved.status_code == 302
    assert list(FaqEntry.objects.order_by("position").values_list("pk", flat=True)) == [
        second.pk,
        first.pk,
    ]
    assert owner.post(url(tenant, "faq_move", second.pk), {"direction": "x"}).status_code == (
        INVALID
    )
    html = owner.get(url(tenant, "communication")).content.decode()
    assert html.index("Will my job go?") < html.index("Will AI monitor my work?")

    missing = owner.post(url(tenant, "faq_new"), {"question": "", "answer": "No."})
    assert missing.status_code == INVALID
    assert "Please write the question." in missing.content.decode()
    assert owner.get(url(tenant, "faq_edit", first.pk)).status_code == 200
    blank = owner.post(url(tenant, "faq_edit", first.pk), {"question": "Q?", "answer": " "})
    assert blank.status_code == INVALID
    assert "Please write the answer." in blank.content.decode()
    saved = owner.post(
        url(tenant, "faq_edit", first.pk), {"question": "Will AI watch me?", "answer": "No."}
    )
    assert saved.status_code == 302
    first.refresh_from_db()
    assert first.question == "Will AI watch me?"
    assert owner.get(url(tenant, "faq_delete", first.pk)).status_code == 200
    assert owner.post(url(tenant, "faq_delete", first.pk)).status_code == 302
    assert list(FaqEntry.objects.values_list("pk", flat=True)) == [second.pk]


def test_viewers_see_everything_and_change_nothing(world: tuple[Tenant, Client, Client]) -> None:
    tenant, _owner, viewer = world
    item = made(tenant)
    entry = services.create_faq(tenant, "Will my job go?", "No.")
    page = viewer.get(url(tenant, "communication"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "All staff" in html
    assert "Will my job go?" in html
    assert "Mark done" not in html
    assert url(tenant, "communication_new") not in html
    for name, args in (
        ("communication_new", ()),
        ("communication_edit", (item.pk,)),
        ("communication_delete", (item.pk,)),
        ("faq_new", ()),
        ("faq_edit", (entry.pk,)),
        ("faq_delete", (entry.pk,)),
    ):
        assert viewer.get(url(tenant, name, *args)).status_code == 403, name
    for name, args, data in (
        ("communication_new", (), valid()),
        ("communication_done", (item.pk,), {"done": "1"}),
        ("communication_starter", (), {}),
        ("communication_delete", (item.pk,), {}),
        ("faq_starter", (), {}),
        ("faq_move", (entry.pk,), {"direction": "up"}),
        ("faq_delete", (entry.pk,), {}),
    ):
        assert viewer.post(url(tenant, name, *args), data).status_code == 403, name
    item.refresh_from_db()
    assert item.done_on is None
    assert FaqEntry.objects.count() == 1
    assert CommunicationItem.objects.count() == 1
