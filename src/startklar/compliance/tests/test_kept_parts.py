"""The compliance pages keep their long parts rendered (``compliance.kept``): the overview's and
the register's rows, the literacy coverage and gaps, the training records, an assessment's
result and the unfilled forms, each under a key of everything it shows. A kept part is the part
rendered afresh, at once and at ten times the data, in German and English, for editors and
viewers; every kind of change shows at once; filled-in forms and CSRF tokens are never kept; and
leaving out any part of a key serves a stale page, so each part is needed."""

from __future__ import annotations

import datetime
import pickle
import re
from collections.abc import Callable
from typing import Any, cast

import pytest
from django.core.cache import cache
from django.forms import BaseForm
from django.test import Client
from django.utils import timezone

from startklar.accounts.models import User
from startklar.compliance import kept, queries, services
from startklar.compliance.forms import PersonForm, SystemForm, TrainingForm
from startklar.compliance.models import AISystem, Assessment, Person, PrivacyFacts, TrainingRecord
from startklar.organisations import services as organisations
from startklar.organisations.models import Membership, Organisation, Role
from startklar.organisations.tenancy import Tenant
from startklar.testing import client_for, demo_company, nothing_kept, tenant_of
from startklar.usecases import services as usecases
from startklar.usecases.models import UseCase

pytestmark = pytest.mark.django_db

# What differs between two responses of the same page: the masked CSRF token, the CSP nonce.
TOKEN = re.compile(r'csrfmiddlewaretoken" value="[^"]+"|CSRFToken": "[^"]+"|nonce="[^"]+"')
KEPT = re.compile(r"template\.cache\.(\w+)\.")

SYSTEM = {
    "name": "Aaa Neues System",
    "owner": "IT",
    "purpose": "Texte",
    "capability": "chat_assistant",
    "hosting": "saas_eu",
    "status": "in_use",
    "dpia_status": "open",
    "dpa_status": "missing",
}


def html(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return TOKEN.sub("X", response.content.decode())


def fresh(client: Client, url: str) -> str:
    """The page rendered without anything kept."""
    with nothing_kept():
        return html(client, url)


def member(organisation: Organisation, role: Role) -> User:
    return Membership.objects.filter(organisation=organisation, role=role).order_by("pk")[0].user


def the_system(organisation: Organisation) -> AISystem:
    """An assessed AI system with users."""
    found = AISystem.objects.filter(
        organisation=organisation, users__isnull=False, assessment__isnull=False
    )
    return found.order_by("pk")[0]


def the_person(organisation: Organisation) -> Person:
    """A person using :func:`the_system`."""
    return Person.objects.filter(ai_systems=the_system(organisation)).order_by("pk")[0]


def use_case_check(organisation: Organisation) -> Assessment:
    found = Assessment.objects.filter(organisation=organisation, use_case__isnull=False)
    return found.order_by("pk")[0]


def pages(organisation: Organisation) -> dict[str, str]:
    """Every compliance page with a kept part."""
    base = f"/o/{organisation.slug}/compliance"
    system = the_system(organisation)
    return {
        "overview": f"{base}/",
        "register": f"{base}/systems/",
        "system": f"{base}/systems/{system.pk}/",
        "edit": f"{base}/systems/{system.pk}/edit/",
        "literacy": f"{base}/literacy/",
        "person": f"{base}/literacy/people/{the_person(organisation).pk}/",
        "privacy": f"{base}/privacy/",
        "use case check": f"{base}/assessments/{use_case_check(organisation).pk}/",
        "system check": f"{base}/assessments/{Assessment.objects.get(ai_system=system).pk}/",
    }


def kept_parts() -> dict[str, str]:
    """The parts in the cache (LocMemCache's store): their values by their key."""
    store = cast(Any, cache)._cache
    return {
        key: pickle.loads(value)  # noqa: S301 - the test's own cache
        for key, value in store.items()
        if KEPT.search(key)
    }


# A kept part is the part rendered afresh ------------------------------------------------------


@pytest.mark.parametrize("times", [1, 10])
def test_kept_parts_are_the_parts_rendered_afresh(times: int) -> None:
    organisation = demo_company(copies=times - 1)
    urls = pages(organisation)
    cache.clear()
    shown: dict[tuple[str, str], str] = {}
    for role in (Role.OWNER, Role.VIEWER):
        for language in ("de", "en"):
            client = client_for(member(organisation, role), language)
            for name, url in urls.items():
                first = html(client, url)  # renders and keeps
                assert html(client, url) == first, (role, language, name)  # read back
                assert fresh(client, url) == first, (role, language, name)
                shown[role, language + name] = first
    names = {KEPT.search(key).group(1) for key in kept_parts()}  # type: ignore[union-attr]
    assert names == {
        "compliance_overview_rows",
        "compliance_register_rows",
        "compliance_system_fields",  # the register's new system, the edit page's system
        "compliance_literacy_coverage",
        "compliance_training_records",
        "compliance_form",  # the literacy page's two, a person's, the privacy page's two
        "compliance_assessment_result",
    }
    # Kept per language and per role: the buttons are the editors' only.
    assert shown[Role.OWNER, "deoverview"] != shown[Role.OWNER, "enoverview"]
    assert 'form="start-assessment"' in shown[Role.OWNER, "deoverview"]
    assert 'form="start-assessment"' not in shown[Role.VIEWER, "deoverview"]
    assert 'form="delete-record"' in shown[Role.OWNER, "deliteracy"]
    assert 'form="delete-record"' not in shown[Role.VIEWER, "deliteracy"]


def test_the_buttons_of_kept_rows_send_the_form_outside_them_with_the_token(
    organisation: Organisation, owner: User, owner_client: Client
) -> None:
    """A button of a kept row names its address; the form it sends carries the CSRF token."""
    tenant = tenant_of(owner, organisation)
    use_case = usecases.create_use_case(tenant, {"title": "Angebote", "problem": "Zu langsam"})
    system = services.save_system(tenant, AISystem(**SYSTEM), [])
    person = services.save_person(tenant, Person(name="Anna", role_level="user"), [system])
    record = services.record_training(
        tenant,
        TrainingRecord(person=person, measure="Kurs", date=timezone.localdate(), evidence="Liste"),
    )
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    base = f"/o/{organisation.slug}/compliance"
    for url, button in (
        (f"{base}/", f"{base}/usecase/{use_case.pk}/assess/"),
        (f"{base}/systems/", f"{base}/systems/{system.pk}/assess/"),
        (f"{base}/literacy/", f"{base}/literacy/records/{record.pk}/delete/"),
    ):
        page = client.get(url).content.decode()
        form = re.search(r'<form[^>]* id="([\w-]+)"[^>]*>(.*?)</form>', page, re.S)
        assert form is not None
        assert f'form="{form.group(1)}" formaction="{button}"' in " ".join(page.split())
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(2))
        assert token is not None
        response = client.post(button, {"csrfmiddlewaretoken": token.group(1)})
        assert response.status_code == 302, url
    assert Assessment.objects.filter(use_case=use_case).exists()
    assert Assessment.objects.filter(ai_system=system).exists()
    assert not TrainingRecord.objects.filter(pk=record.pk).exists()


# Every change shows at once --------------------------------------------------------------------

Change = Callable[[Tenant, Organisation], Any]


def rename_system(tenant: Tenant, organisation: Organisation) -> None:
    system = the_system(organisation)
    system.name = "Zz umbenannt"
    services.save_system(tenant, system, list(system.use_cases.all()))


def delete_other_system(tenant: Tenant, organisation: Organisation) -> None:
    other = AISystem.objects.filter(organisation=organisation).exclude(
        pk=the_system(organisation).pk
    )
    services.delete_system(tenant, other.order_by("name")[0])


def answer_use_case_check(tenant: Tenant, organisation: Organisation) -> None:
    assessment = use_case_check(organisation)
    before = list(assessment.labels)
    changed = services.answer(tenant, assessment, "art5_manipulation", "yes")
    assert changed.labels != before


def answer_on_the_trail(tenant: Tenant, organisation: Organisation) -> None:
    """An answer that the why-trail shows, with the same class, duties and verdict."""
    assessment = use_case_check(organisation)
    before = (list(assessment.labels), assessment.gdpr_verdict)
    assert assessment.answers["art50_generates"] == "yes"
    changed = services.answer(tenant, assessment, "art50_generates", "no")
    assert (changed.labels, changed.gdpr_verdict) == before


def answer_system_check(tenant: Tenant, organisation: Organisation) -> None:
    assessment = Assessment.objects.get(ai_system=the_system(organisation))
    before = list(assessment.labels)
    changed = services.answer(tenant, assessment, "art5_manipulation", "yes")
    assert changed.labels != before


def start_check(tenant: Tenant, organisation: Organisation) -> None:
    unassessed = UseCase.objects.filter(organisation=organisation, assessment__isnull=True)
    services.start(tenant, unassessed.order_by("pk")[0])


def record_training(tenant: Tenant, organisation: Organisation) -> None:
    """An instruction for the system for someone who uses it without one."""
    system = the_system(organisation)
    untrained = Person.objects.filter(ai_systems=system).exclude(records__ai_system=system)
    record = TrainingRecord(
        person=untrained.order_by("pk")[0],
        measure="Einweisung",
        date=timezone.localdate(),
        evidence="Liste",
        ai_system=system,
    )
    services.record_training(tenant, record)


def delete_training(tenant: Tenant, organisation: Organisation) -> None:
    record = TrainingRecord.objects.filter(person=the_person(organisation)).order_by("pk")[0]
    services.delete_training(tenant, record)


def add_person(tenant: Tenant, organisation: Organisation) -> None:
    person = Person(name="Aaron Neu", role_level="user")
    services.save_person(tenant, person, [the_system(organisation)])


def rename_person(tenant: Tenant, organisation: Organisation) -> None:
    person = the_person(organisation)
    person.name = "Aaa umbenannt"
    services.save_person(tenant, person, list(person.ai_systems.all()))


def delete_other_person(tenant: Tenant, organisation: Organisation) -> None:
    others = Person.objects.filter(organisation=organisation).exclude(
        pk=the_person(organisation).pk
    )
    services.delete_person(tenant, others.order_by("name")[0])


def rename_use_case(tenant: Tenant, organisation: Organisation) -> None:
    use_case = UseCase.objects.filter(organisation=organisation).order_by("title")[0]
    data = {f: getattr(use_case, f) for f in usecases.FIELDS}
    usecases.update_use_case(tenant, use_case, {**data, "title": "Aaa umbenannt"})


def save_facts(tenant: Tenant, organisation: Organisation) -> None:
    facts = PrivacyFacts.objects.get(organisation=organisation)
    facts.people_processing += 7
    services.save_privacy_facts(tenant, facts)


def to_viewer(tenant: Tenant, organisation: Organisation) -> None:
    """The pages are looked at as the editor, who becomes a viewer."""
    editor = Membership.objects.get(
        organisation=organisation, user=member(organisation, Role.EDITOR)
    )
    owner = tenant_of(member(organisation, Role.OWNER), organisation)
    organisations.change_role(owner, editor, Role.VIEWER)


CHANGES: dict[str, tuple[Change, tuple[str, ...]]] = {
    "new system": (
        lambda tenant, _o: services.save_system(tenant, AISystem(**SYSTEM), []),
        ("register", "literacy", "person"),  # the forms offer it too
    ),
    "edited system": (rename_system, ("register", "system", "edit", "literacy", "person")),
    "deleted system": (delete_other_system, ("register", "literacy", "person")),
    "answer (use case)": (answer_use_case_check, ("overview", "use case check")),
    "answer on the why-trail": (answer_on_the_trail, ("use case check",)),
    "answer (AI system)": (answer_system_check, ("register", "system", "system check")),
    "new assessment": (start_check, ("overview",)),
    "training record": (record_training, ("literacy", "system")),
    "deleted training record": (delete_training, ("literacy", "person")),
    "new person": (add_person, ("literacy", "system")),
    "edited person": (rename_person, ("literacy", "person", "system")),
    "deleted person": (delete_other_person, ("literacy",)),
    "renamed use case": (rename_use_case, ("overview", "register", "edit")),
    "privacy facts": (save_facts, ("privacy",)),
    "role changed to viewer": (
        to_viewer,
        ("overview", "register", "edit", "literacy", "person", "privacy", "use case check"),
    ),
}


@pytest.mark.parametrize("name", list(CHANGES))
def test_every_change_shows_at_once(name: str) -> None:
    change, changed = CHANGES[name]
    organisation = demo_company()
    editor = member(organisation, Role.EDITOR)
    client = client_for(editor, "de")
    urls = pages(organisation)
    before = {page: html(client, url) for page, url in urls.items()}  # kept
    change(tenant_of(member(organisation, Role.OWNER), organisation), organisation)
    for page, url in urls.items():
        after = html(client, url)
        assert after == fresh(client, url), page
        if page in changed:  # where the change shows (in a kept part or next to one)
            assert after != before[page], page


def test_another_day_shows_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Which reviews are overdue, the training form's date and the duties in force."""
    organisation = demo_company()
    client = client_for(member(organisation, Role.OWNER), "de")
    assessments = Assessment.objects.filter(organisation=organisation).order_by("pk")
    high_risk = next(a for a in assessments if "hochrisiko" in a.labels)
    check = f"/o/{organisation.slug}/compliance/assessments/{high_risk.pk}/"
    urls = {**pages(organisation), "high-risk check": check}
    before = {page: html(client, url) for page, url in urls.items()}
    today = timezone.localdate()
    later = today + datetime.timedelta(days=800)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
    for page, url in urls.items():
        after = html(client, url)
        assert after == fresh(client, url), page
        if page in ("register", "literacy", "high-risk check"):
            assert after != before[page], page


# Never kept: filled-in forms, CSRF tokens ------------------------------------------------------


def test_filled_in_forms_and_csrf_tokens_are_never_kept() -> None:
    organisation = demo_company()
    client = client_for(member(organisation, Role.OWNER), "de")
    urls = pages(organisation)
    cache.clear()
    for url in urls.values():
        html(client, url)
    marker = "Zz-nicht-behalten"
    base = f"/o/{organisation.slug}/compliance"
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    sent = {
        f"{base}/systems/": {**SYSTEM, "name": "", "vendor": marker},
        urls["edit"]: {**SYSTEM, "name": "", "vendor": marker},
        f"{base}/literacy/people/": {"name": "", "department": marker, "role_level": "user"},
        urls["person"]: {"name": "", "department": marker, "role_level": "user"},
        f"{base}/literacy/records/": {"measure": marker, "date": future, "evidence": "x"},
        urls["privacy"]: {"people_processing": marker},
        f"{base}/privacy/dpo/": {"dpo_name": marker},
    }
    for url, data in sent.items():
        response = client.post(url, data)
        assert response.status_code == 422, url
        assert marker in response.content.decode(), url
    parts = kept_parts()
    assert parts
    for key, part in parts.items():
        assert "csrfmiddlewaretoken" not in part, key
        assert marker not in part, key
    for url in urls.values():  # and the unfilled forms are shown again
        assert marker not in html(client, url)


# Each part of a key is needed --------------------------------------------------------------------


def stale_pages(organisation: Organisation) -> list[str]:
    """Walks the pages as kept parts get used – again, in English, as a viewer, another person's
    page, after changes, at another address – and names each page served otherwise than it is
    rendered afresh."""
    found: list[str] = []

    def check(step: str, client: Client, urls: dict[str, str]) -> None:
        for name, url in urls.items():
            if html(client, url) != fresh(client, url):
                found.append(f"{step}: {name}")

    owner = member(organisation, Role.OWNER)
    tenant = tenant_of(owner, organisation)
    cache.clear()
    urls = pages(organisation)
    client = client_for(owner, "de")
    for url in urls.values():
        html(client, url)  # renders and keeps
    check("again", client, urls)
    check("in English", client_for(owner, "en"), urls)
    check("as a viewer", client_for(member(organisation, Role.VIEWER), "de"), urls)
    other = Person.objects.filter(organisation=organisation).exclude(pk=the_person(organisation).pk)
    check(
        "another person",
        client,
        {
            "person": urls["person"].replace(
                f"/{the_person(organisation).pk}/", f"/{other.order_by('pk')[0].pk}/"
            )
        },
    )
    services.save_system(tenant, AISystem(**SYSTEM), [])
    rename_system(tenant, organisation)
    check("after changes", client, urls)
    Organisation.objects.filter(pk=organisation.pk).update(slug="anders-gmbh")
    organisation.refresh_from_db()
    check("at another address", client, pages(organisation))
    return found


def test_the_walk_finds_no_stale_page() -> None:
    assert stale_pages(demo_company()) == []


def without(found: dict[str, object], part: str) -> dict[str, object]:
    assert part in found
    return {name: value for name, value in found.items() if name != part}


LEFT_OUT = [
    *(("reader", part) for part in ("language", "address", "editing")),
    ("shown", "rows"),
    *(("form", part) for part in ("language", "fields", "choices")),
]


@pytest.mark.parametrize(("where", "part"), LEFT_OUT)
def test_leaving_out_any_part_of_a_key_serves_a_stale_page(
    where: str, part: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    reader, form_parts = kept.reader, kept.form_parts
    if where == "reader":
        monkeypatch.setattr(kept, "reader", lambda tenant: without(reader(tenant), part))
    elif where == "form":
        monkeypatch.setattr(kept, "form_parts", lambda form: without(form_parts(form), part))
    else:
        monkeypatch.setattr(
            kept,
            "part_key",
            lambda tenant, name, *_shown: kept.content_key(name, kept.VERSION, reader(tenant)),
        )
    assert stale_pages(demo_company())


# The page queries read what they read before ----------------------------------------------------


@pytest.mark.parametrize("times", [1, 10])
def test_forms_offer_what_they_would_read_themselves(times: int) -> None:
    organisation = demo_company(copies=times - 1)
    tenant = tenant_of(member(organisation, Role.OWNER), organisation)
    literacy = queries.literacy(tenant)
    people = [(p.pk, p.name) for p in literacy.people]
    day = {"date": timezone.localdate()}
    given: list[BaseForm] = [
        PersonForm(tenant=tenant, systems=literacy.systems),
        TrainingForm(tenant=tenant, initial=day, people=people, systems=literacy.systems),
    ]
    read: list[BaseForm] = [PersonForm(tenant=tenant), TrainingForm(tenant=tenant, initial=day)]
    # a person's form the AI systems, the AI system forms (new, and of each system with use
    # cases) the use cases
    assert queries.system_choices(tenant) == literacy.systems
    for person in Person.objects.filter(organisation=organisation, ai_systems__isnull=False):
        given.append(PersonForm(instance=person, tenant=tenant, systems=literacy.systems))
        read.append(PersonForm(instance=person, tenant=tenant))
    use_cases = queries.use_case_choices(tenant)
    given.append(SystemForm(tenant=tenant, use_cases=use_cases))
    read.append(SystemForm(tenant=tenant))
    for system in AISystem.objects.filter(organisation=organisation, use_cases__isnull=False):
        given.append(SystemForm(instance=system, tenant=tenant, use_cases=use_cases))
        read.append(SystemForm(instance=system, tenant=tenant))
    for mine, theirs in zip(given, read, strict=True):
        assert str(mine) == str(theirs)
        assert kept.form_key(mine) == kept.form_key(theirs)


def users_before(tenant: Tenant, system: AISystem) -> list[tuple[Any, ...]]:
    """A system's users as its page read them before: people with their records."""
    people = (
        tenant.scoped(Person.objects)
        .filter(ai_systems=system)
        .prefetch_related("records")
        .order_by("name", "pk")
    )
    return [
        (
            p.pk,
            p.name,
            p.get_role_level_display(),
            p.department,
            any(r.ai_system_id == system.pk for r in p.records.all()),
            bool(p.records.all()),
        )
        for p in people
    ]


def test_a_systems_page_shows_what_it_showed_before() -> None:
    organisation = demo_company(copies=9)
    tenant = tenant_of(member(organisation, Role.OWNER), organisation)
    systems = AISystem.objects.filter(organisation=organisation).select_related("assessment")
    for system in systems:
        detail = queries.system_detail(tenant, system)
        users = [(*u.person, u.instructed, u.basics) for u in detail.users]
        assert users == users_before(tenant, system)
        linked = UseCase.objects.filter(ai_systems=system).order_by("title", "pk")
        assert [(u.pk, u.title) for u in detail.use_cases] == [(u.pk, u.title) for u in linked]
        found = Assessment.objects.filter(ai_system=system).first()
        assert (detail.result.assessment if detail.result else None) == found
    assert any(queries.system_detail(tenant, s).users for s in systems)


def test_a_system_read_without_its_assessment_finds_it(
    organisation: Organisation, owner: User
) -> None:
    tenant = tenant_of(owner, organisation)
    system = services.save_system(tenant, AISystem(**SYSTEM), [])
    assessment = services.start(tenant, system)
    found = queries.system_detail(tenant, AISystem.objects.get(pk=system.pk)).result
    assert found is not None
    assert found.assessment == assessment


def test_the_privacy_facts_are_read_as_the_orm_reads_them(
    organisation: Organisation, owner: User
) -> None:
    tenant = tenant_of(owner, organisation)
    assert queries.privacy_facts(tenant) is None
    services.save_dpo(
        tenant, PrivacyFacts(dpo_name="Leyla", dpo_kind="internal", dpo_phone="+49 711 555-0142")
    )
    services.save_privacy_facts(tenant, PrivacyFacts(people_processing=25, works_council=True))
    found = queries.privacy_facts(tenant)
    orm = PrivacyFacts.objects.get(organisation=organisation)
    assert found is not None
    assert found.pk == orm.pk
    assert not found._state.adding
    fields = PrivacyFacts._meta.concrete_fields
    assert [getattr(found, f.attname) for f in fields] == [getattr(orm, f.attname) for f in fields]
    assert found.facts_saved_at is not None
