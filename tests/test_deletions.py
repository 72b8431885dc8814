"""Every deletion page of the URL map: it says what goes with the object, deletes exactly that,
keeps what is only linked, and leaves an entry in the audit log.

Deletion routes are found in the URL map (``…/<model>_id/delete/``), so a deletion added later
is checked without editing this file.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.utils import translation

from startklar.core.deletion import preview
from startklar.organisations.models import AuditAction, AuditEvent, Membership, Role
from startklar.testing import client_for, demo_company

from . import urlmap
from .urlmap import ORG_ROUTES, Route

pytestmark = pytest.mark.django_db

# Rows of a list that are deleted right there (with the browser's confirmation question).
IN_PLACE = {"lineitem_id", "trainingrecord_id"}
DELETIONS = [r for r in ORG_ROUTES if r.template.endswith("/delete/") and len(r.params) == 2]


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    with django_db_blocker.unblock():
        organisation = demo_company()
        owner = Membership.objects.get(organisation=organisation, role=Role.OWNER).user
        yield {"organisation": organisation, "owner": owner, "ids": urlmap.ids_of(organisation)}
        call_command("flush", interactive=False, verbosity=0)


def counts() -> dict[type[models.Model], int]:
    return {
        m: m._default_manager.count()
        for m in apps.get_models()
        if m.__module__.startswith("startklar.") and m is not AuditEvent
    }


def test_the_walk_finds_the_deletions() -> None:
    found = {r.params[1] for r in DELETIONS}
    assert {
        "usecase_id",
        "workshop_id",
        "round_id",
        "businesscase_id",
        "aisystem_id",
        "person_id",
    } <= found


@pytest.mark.parametrize("route", DELETIONS, ids=str)
def test_a_deletion_says_what_goes_and_deletes_exactly_that(
    route: Route, world: dict[str, Any]
) -> None:
    organisation = world["organisation"]
    param = route.params[1]
    model = urlmap.org_owned_models()[param]
    obj = model._default_manager.get(pk=world["ids"][param])
    url = route.url(urlmap.values_for(route, world["ids"], organisation.slug))
    client = client_for(world["owner"], "en")

    with translation.override("en"):
        deleted, unlinked = preview(obj)
    page = client.get(url)
    if page.status_code == 405 and param in IN_PLACE:
        pytest.skip(f"{param[:-3]}: a row deleted in place from its list, without a page")
    assert page.status_code == 200
    text = page.content.decode()
    assert "will be deleted for good" in text
    for item in deleted:
        assert item.label in text
    for item in unlinked:
        assert f"{item.label}, without the link to it" in text

    links = {
        m2m.name: list(getattr(obj, m2m.name).values_list("pk", flat=True))
        for m2m in model._meta.many_to_many
    }
    before = counts()
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/o/{organisation.slug}/")
    after = counts()
    assert not model._default_manager.filter(pk=obj.pk).exists()
    gone = {
        m: before[m] - after[m]
        for m in before
        if before[m] != after[m] and not m._meta.auto_created
    }
    expected = {(item.label, item.count) for item in deleted}
    with translation.override("en"):
        found = {
            (str(m._meta.verbose_name if n == 1 else m._meta.verbose_name_plural), n)
            for m, n in gone.items()
            if m is not model
        }
    assert gone.get(model) == 1
    assert found == expected
    for name, pks in links.items():  # linked objects stay
        target = model._meta.get_field(name).related_model
        assert isinstance(target, type), name  # a model class, not "self" or None
        assert issubclass(target, models.Model), name
        assert target._default_manager.filter(pk__in=pks).count() == len(pks)
    entry = AuditEvent.objects.filter(organisation=organisation).order_by("-pk").first()
    assert entry is not None
    assert entry.action == AuditAction.DELETED
    assert entry.object_type == model._meta.label_lower
    assert entry.object_id == obj.pk


@pytest.mark.parametrize("route", DELETIONS, ids=str)
def test_viewers_see_no_deletion_and_cannot_delete(route: Route, world: dict[str, Any]) -> None:
    organisation = world["organisation"]
    viewer = Membership.objects.filter(organisation=organisation, role=Role.VIEWER).first()
    assert viewer is not None
    url = route.url(urlmap.values_for(route, world["ids"], organisation.slug))
    before = counts()
    assert client_for(viewer.user).post(url).status_code == 403
    assert counts() == before


def _removed(obj: models.Model) -> dict[str, int]:
    """How many rows of each kind deleting ``obj`` really removes (``obj`` itself and the
    audit log, which :func:`counts` leaves out, not counted), labelled as the pages do."""
    from startklar.core.deletion import _label

    before = counts()
    obj.delete()
    after = counts()
    removed = {m: before[m] - after[m] for m in before if not m._meta.auto_created}
    removed[type(obj)] -= 1
    return {_label(m, n): n for m, n in removed.items() if n > 0}


def test_counting_what_an_organisation_takes_with_it_is_what_its_deletion_removes() -> None:
    """The Data page counts each kind in one query (``counted``) instead of loading every
    object, at 10× the demo's data; the counts are what the deletion removes (a row reached
    along two paths, e.g. a vote through its use case and its workshop, counts once)."""
    from startklar.core.deletion import counted

    organisation = demo_company(copies=9)
    with translation.override("en"):
        use_case = organisation.use_cases.order_by("pk").first()
        assert use_case is not None
        assert {c.label: c.count for c in counted(use_case)} == _removed(use_case)
        said = {c.label: c.count for c in counted(organisation)}
        said.pop("audit log", None)  # left out of counts()
        assert said["workshop votes"] > 0
        assert said == _removed(organisation)
