"""Deleting an organisation: confirmed by name, read-only for a grace period in which any owner
can stop it, then gone with everything it owns; and people leaving or deleting their account."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.db import models
from django.utils import timezone

from startklar import housekeeping
from startklar.accounts.models import User
from startklar.organisations import archive, services
from startklar.organisations.models import (
    AuditAction,
    AuditEvent,
    Invitation,
    Membership,
    Organisation,
    Role,
)
from startklar.readiness.models import Respondent
from startklar.testing import (
    add_member,
    client_for,
    demo_company,
    make_organisation,
    make_user,
    tenant_of,
)
from startklar.usecases.models import UseCase, Vote

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[Organisation]:
    with django_db_blocker.unblock():
        yield demo_company()
        call_command("flush", interactive=False, verbosity=0)


def owner_of(organisation: Organisation) -> User:
    owner = Membership.objects.filter(organisation=organisation, role=Role.OWNER).first()
    assert owner is not None, f"{organisation} has no owner"
    return owner.user


def rows_of(organisation_id: int) -> dict[str, int]:
    """Rows anywhere that still belong to the organisation (directly or through a parent)."""
    found = {}
    for owned in archive.owned_models():
        lookup = owned.path.removesuffix("organisation") + "organisation_id"
        n = owned.model._default_manager.filter(**{lookup: organisation_id}).count()
        if n:
            found[owned.label] = n
    for model in (Membership, Invitation, AuditEvent):
        n = model._default_manager.filter(organisation_id=organisation_id).count()
        if n:
            found[model._meta.label_lower] = n
    return found


def test_deletion_needs_the_name_and_then_waits_read_only(
    world: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    owner = owner_of(world)
    other_owner = add_member(world, make_user("zweite@example.com"), Role.OWNER)
    client = client_for(owner, "en")
    base = f"/o/{world.slug}"
    wrong = client.post(f"{base}/data/delete/", {"confirmation": "Falscher Name"})
    assert wrong.status_code == 422
    assert "exactly as shown" in wrong.content.decode()
    world.refresh_from_db()
    assert world.deletion_due_at is None

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(f"{base}/data/delete/", {"confirmation": f"  {world.name.upper()} "})
    assert done.status_code == 302
    world.refresh_from_db()
    assert world.deletion_due_at is not None
    assert world.deletion_due_at - timezone.now() > timedelta(days=13)
    assert [m.to for m in mail.outbox] == [[other_owner.email]]
    assert f"{base}/data/" in mail.outbox[0].body

    page = client.get(f"{base}/")
    assert "will be deleted on" in page.content.decode()
    use_case = UseCase.objects.filter(organisation=world).first()
    assert use_case is not None
    before = use_case.title
    refused = client.post(f"/o/{world.slug}/usecases/{use_case.pk}/edit/", {"title": "Geändert"})
    assert refused.status_code == 409
    assert "Nothing was changed" in refused.content.decode()
    htmx = client.post(
        f"/o/{world.slug}/usecases/{use_case.pk}/status/",
        {"status": "pilot"},
        HTTP_HX_REQUEST="true",
    )
    assert htmx.status_code == 409
    assert htmx["Content-Type"].startswith("text/plain")
    use_case.refresh_from_db()
    assert use_case.title == before
    # Reading and exporting still work.
    assert client.get(f"{base}/data/archive.zip").status_code == 200
    assert client.get(f"/o/{world.slug}/usecases/export.xlsx").status_code == 200

    stop = client_for(other_owner).post(f"{base}/data/delete/cancel/")
    assert stop.status_code == 302
    world.refresh_from_db()
    assert world.deletion_due_at is None
    assert list(
        AuditEvent.objects.filter(
            organisation=world,
            action__in=[AuditAction.DELETION_REQUESTED, AuditAction.DELETION_CANCELLED],
        ).values_list("action", flat=True)
    ) == [AuditAction.DELETION_CANCELLED, AuditAction.DELETION_REQUESTED]


def test_after_the_grace_period_everything_of_the_organisation_is_gone(world: Organisation) -> None:
    keep = make_organisation("Bleibt GmbH")
    add_member(keep, owner_of(world), Role.OWNER)
    before_keep = rows_of(keep.pk)
    owner = owner_of(world)
    assert rows_of(world.pk)["usecases.usecase"] > 0
    services.request_deletion(tenant_of(owner, world), world.name, "http://x/")
    assert housekeeping.run().organisations == ()  # not yet
    Organisation.objects.filter(pk=world.pk).update(deletion_due_at=timezone.now())
    report = housekeeping.run()
    assert report.organisations == (world.name,)
    assert not Organisation.objects.filter(pk=world.pk).exists()
    assert rows_of(world.pk) == {}
    assert User.objects.filter(pk=owner.pk).exists()  # accounts stay
    assert rows_of(keep.pk) == before_keep
    trace = AuditEvent.objects.get(organisation=None, action=AuditAction.ORGANISATION_DELETED)
    assert trace.object_label == world.name
    assert trace.actor == owner


def test_viewers_and_editors_cannot_delete_the_organisation(world: Organisation) -> None:
    editor = add_member(world, role=Role.EDITOR)
    client = client_for(editor)
    assert (
        client.post(f"/o/{world.slug}/data/delete/", {"confirmation": world.name}).status_code
        == 403
    )
    world.refresh_from_db()
    assert world.deletion_due_at is None


def test_a_member_leaves_on_their_own_but_the_last_owner_cannot(world: Organisation) -> None:
    viewer = add_member(world, role=Role.VIEWER)
    client = client_for(viewer)
    assert client.get(f"/o/{world.slug}/leave/").status_code == 200
    assert client.post(f"/o/{world.slug}/leave/").status_code == 302
    assert not Membership.objects.filter(organisation=world, user=viewer).exists()
    assert AuditEvent.objects.filter(organisation=world, action=AuditAction.LEFT).exists()

    solo = make_organisation()
    owner = add_member(solo, role=Role.OWNER)
    add_member(solo, role=Role.EDITOR)
    refused = client_for(owner, "en").post(f"/o/{solo.slug}/leave/")
    assert refused.status_code == 422
    assert "last owner" in refused.content.decode()
    assert Membership.objects.filter(organisation=solo, user=owner).exists()


def everything_mentioning(*needles: str) -> list[str]:
    """Every row of the project's tables (and the sign-in records) that holds one of the
    needles in any text field."""
    found = []
    for model in apps.get_models():
        if not (model.__module__.startswith("startklar.") or model._meta.app_label == "axes"):
            continue
        text_fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField, models.JSONField))
        ]
        for row in model._default_manager.values(*text_fields):
            blob = " ".join(str(v) for v in row.values()).lower()
            if any(n.lower() in blob for n in needles):
                found.append(f"{model._meta.label}: {row}")
    return found


def test_deleting_an_account_leaves_nothing_that_names_the_person(world: Organisation) -> None:
    person = User.objects.get(email="j.weber@startklar.example")
    name = person.full_name
    respondents = Respondent.objects.filter(user=person).count()
    votes = Vote.objects.filter(user=person).count()
    assert respondents, "the demo has readiness answers of this person"
    assert votes, "the demo has workshop votes of this person"
    answers_before = Respondent.objects.count()
    person.set_password("Server-Raum-7!")
    person.save()
    client = client_for(person, "en")
    client.get("/me/data.json")  # their own export is logged under their name …
    page = client.get("/me/delete/")
    assert page.status_code == 200
    assert "You leave" in page.content.decode()
    wrong = client.post("/me/delete/", {"password": "nope"})
    assert wrong.status_code == 422
    assert User.objects.filter(pk=person.pk).exists()

    done = client.post("/me/delete/", {"password": "Server-Raum-7!"})
    assert done.status_code == 302
    assert not User.objects.filter(pk=person.pk).exists()
    left_over = everything_mentioning(person.email)
    assert left_over == [], "\n".join(left_over)
    # The organisation's own records about its staff (literacy records, who looks after an AI
    # system) are the organisation's data and stay; nothing that the account did names it.
    assert not AuditEvent.objects.filter(actor_name=name).exists()
    assert not Membership.objects.filter(user_id=person.pk).exists()
    assert Respondent.objects.count() == answers_before  # answers stay, without the name
    assert Respondent.objects.filter(user__isnull=True).count() == respondents
    assert not Vote.objects.filter(user_id=person.pk).exists()
    left = AuditEvent.objects.filter(organisation=world, action=AuditAction.LEFT).last()
    assert left is not None
    assert left.actor is None
    assert left.actor_name in {"deleted account", "gelöschtes Konto"}


def test_the_only_owner_hands_over_first_and_a_solo_organisation_goes_with_the_account() -> None:
    shared = make_organisation("Gemeinsam GmbH")
    solo = make_organisation("Allein GmbH")
    owner = add_member(shared, make_user(password="Kolben-Hub-42!"), Role.OWNER)
    add_member(shared, role=Role.EDITOR)
    add_member(solo, owner, Role.OWNER)
    client = client_for(owner, "en")
    page = client.get("/me/delete/").content.decode()
    assert "Gemeinsam GmbH" in page
    assert "Make another member owner first" in page
    refused = client.post("/me/delete/", {"password": "Kolben-Hub-42!"})
    assert refused.status_code == 422
    assert User.objects.filter(pk=owner.pk).exists()

    Membership.objects.filter(organisation=shared).exclude(user=owner).update(role=Role.OWNER)
    assert client.post("/me/delete/", {"password": "Kolben-Hub-42!"}).status_code == 302
    assert not Organisation.objects.filter(pk=solo.pk).exists()
    assert Organisation.objects.filter(pk=shared.pk).exists()


def test_a_person_downloads_what_startklar_holds_about_them(world: Organisation) -> None:
    person = User.objects.get(email="j.weber@startklar.example")
    response = client_for(person, "en").get("/me/data.json")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    data = response.json()
    assert data["account"]["email"] == person.email
    assert {m["organisation"] for m in data["memberships"]} == {world.name}
    kinds = set(data["data"])
    assert {"respondents", "readiness answers", "workshop votes"} <= kinds
    vote = data["data"]["workshop votes"][0]
    assert vote["organisation"] == world.name
    assert {"workshop", "use_case", "criterion_id", "score"} <= set(vote)
    text = response.content.decode()
    assert "password" not in text.lower() or "argon2" not in text
    assert person.password not in text
    assert AuditEvent.objects.filter(
        organisation=world, action=AuditAction.EXPORTED, actor=person
    ).exists()


def test_a_file_kept_in_the_database_is_named_with_its_size_not_dumped(world: Organisation) -> None:
    from startklar.reports.models import ReportRun

    run = ReportRun.objects.filter(organisation=world).select_related("requested_by").first()
    assert run is not None
    assert run.requested_by is not None
    ReportRun.objects.filter(pk=run.pk).update(pdf=b"%PDF-1.7 " + b"x" * 991)
    text = client_for(run.requested_by, "en").get("/me/data.json").content.decode()
    assert "(a file of 1000 bytes)" in text
    assert "%PDF" not in text
