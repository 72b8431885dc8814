"""The compliance pages as a DPO or managing director sees them: the data protection officer,
the read page of a register entry, empty organisations, labels instead of internal ids."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import pytest
from django import forms
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from startklar.accounts.models import User
from startklar.compliance import services
from startklar.compliance.forms import DpoForm, PersonForm, SystemForm
from startklar.compliance.models import AISystem, Person, PrivacyFacts, TrainingRecord
from startklar.organisations.models import Organisation, Role
from startklar.organisations.tenancy import Tenant
from startklar.testing import add_member, client_for, demo_company, make_organisation, tenant_of
from startklar.usecases import services as usecases

from .test_classification import BASE, annex3

pytestmark = pytest.mark.django_db


def base(organisation: Organisation) -> str:
    return f"/o/{organisation.slug}/compliance"


def text(response: Any) -> str:
    """The page's visible text with tags removed and white space folded."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def tenant(organisation: Organisation, owner: User) -> Tenant:
    return tenant_of(owner, organisation)


@pytest.fixture
def en_client(owner: User) -> Client:
    return client_for(owner, "en")


# The data protection officer ---------------------------------------------------------------

DPO = {
    "dpo_name": "Leyla Yilmaz",
    "dpo_kind": "internal",
    "dpo_email": "l.yilmaz@example.com",
    "dpo_phone": "+49 711 555-0142",
    "dpo_appointed": "2024-04-01",
}


def test_the_dpo_is_recorded_and_shown_on_the_privacy_page(
    organisation: Organisation, owner_client: Client
) -> None:
    url = f"{base(organisation)}/privacy/"
    assert owner_client.post(f"{url}dpo/", DPO).status_code == 302
    facts = PrivacyFacts.objects.get(organisation=organisation)
    assert (facts.dpo_name, facts.dpo_kind, facts.dpo_email) == (
        "Leyla Yilmaz",
        "internal",
        "l.yilmaz@example.com",
    )
    assert facts.dpo_appointed == datetime.date(2024, 4, 1)
    page = owner_client.get(url).content.decode()
    assert "Leyla Yilmaz" in page
    assert 'href="mailto:l.yilmaz@example.com"' in page
    assert 'href="tel:+497115550142"' in page
    assert "01.04.2024" in page
    assert "intern" in page  # the kind's label, not the id alone


def test_saving_the_facts_keeps_the_dpo_and_saving_the_dpo_keeps_the_facts(
    organisation: Organisation, owner_client: Client
) -> None:
    url = f"{base(organisation)}/privacy/"
    owner_client.post(f"{url}dpo/", DPO)
    assert owner_client.post(url, {"people_processing": "25"}).status_code == 302
    facts = PrivacyFacts.objects.get(organisation=organisation)
    assert (facts.dpo_name, facts.people_processing) == ("Leyla Yilmaz", 25)
    owner_client.post(f"{url}dpo/", {**DPO, "dpo_name": "Dr. Jana Berg", "dpo_kind": "external"})
    facts.refresh_from_db()
    assert (facts.dpo_name, facts.people_processing) == ("Dr. Jana Berg", 25)
    empty = dict.fromkeys(DPO, "")
    assert owner_client.post(f"{url}dpo/", empty).status_code == 302  # nobody named any more
    facts.refresh_from_db()
    assert (facts.dpo_name, facts.dpo_email, facts.dpo_appointed) == ("", "", None)
    assert owner_client.get(url).context["dpo"].state == "missing"


@pytest.mark.parametrize(
    ("change", "field", "english"),
    [
        ({"dpo_email": "leyla-at-example"}, "dpo_email", "valid email"),
        ({"dpo_phone": "call me maybe"}, "dpo_phone", "phone number"),
        ({"dpo_phone": "+49 " + "1" * 40}, "dpo_phone", "at most 40"),
        ({"dpo_name": "x" * 121}, "dpo_name", "at most 120"),
        ({"dpo_appointed": "yesterday"}, "dpo_appointed", "valid date"),
        ({"dpo_name": ""}, "dpo_name", "name"),
        ({"dpo_email": "", "dpo_phone": ""}, "dpo_email", "e-mail address or a phone number"),
        ({"dpo_kind": ""}, "dpo_kind", "internal or external"),
        ({"dpo_appointed": "2999-01-01"}, "dpo_appointed", "cannot be in the future"),
    ],
)
def test_invalid_dpo_details_answer_422_name_the_field_and_save_nothing(
    organisation: Organisation,
    owner: User,
    en_client: Client,
    change: dict[str, str],
    field: str,
    english: str,
) -> None:
    url = f"{base(organisation)}/privacy/dpo/"
    for client in (client_for(owner), en_client):
        response = client.post(url, {**DPO, **change})
        assert response.status_code == 422
        assert field in response.context["dpo_form"].errors
        assert f'id="id_{field}_error"' in response.content.decode()
    assert english in " ".join(response.context["dpo_form"].errors[field])
    assert not PrivacyFacts.objects.filter(organisation=organisation).exists()


def test_an_unknown_dpo_kind_is_refused_and_saves_nothing(
    organisation: Organisation, owner_client: Client
) -> None:
    response = owner_client.post(f"{base(organisation)}/privacy/dpo/", {**DPO, "dpo_kind": "boss"})
    assert response.status_code == 422
    assert not PrivacyFacts.objects.filter(organisation=organisation).exists()


def test_viewers_cannot_name_a_dpo(organisation: Organisation, viewer: User) -> None:
    response = client_for(viewer).post(f"{base(organisation)}/privacy/dpo/", DPO)
    assert response.status_code == 403
    assert not PrivacyFacts.objects.exists()


@pytest.mark.parametrize(
    ("people", "named", "state", "english"),
    [
        (25, True, "named", "Leyla Yilmaz"),
        (25, False, "missing", "nobody is named"),
        (5, False, "not_required", "not mandatory"),
        (5, True, "not_required", "Leyla Yilmaz"),
        (None, False, "unchecked", "Enter the facts"),
    ],
)
def test_the_privacy_page_has_a_clear_state(
    organisation: Organisation,
    tenant: Tenant,
    en_client: Client,
    people: int | None,
    named: bool,
    state: str,
    english: str,
) -> None:
    if people is not None:
        services.save_privacy_facts(tenant, PrivacyFacts(people_processing=people))
    if named:
        services.save_dpo(tenant, PrivacyFacts(dpo_name="Leyla Yilmaz", dpo_kind="internal"))
    response = en_client.get(f"{base(organisation)}/privacy/")
    assert response.context["dpo"].state == state
    page = response.content.decode()
    assert f'data-state="{state}"' in page
    assert english in text(response)
    if state == "missing":
        assert "Next step" in text(response)
    overview = en_client.get(f"{base(organisation)}/")
    assert f'data-state="{state}"' in overview.content.decode()


def test_the_demo_names_its_dpo() -> None:
    organisation = demo_company()
    facts = PrivacyFacts.objects.get(organisation=organisation)
    assert (facts.dpo_name, facts.dpo_kind) == ("Leyla Yilmaz", "internal")
    assert facts.dpo_email
    assert facts.dpo_appointed


# The read page of an AI-register entry -------------------------------------------------------


@pytest.fixture
def system(tenant: Tenant) -> AISystem:
    use_case = usecases.create_use_case(
        tenant, {"title": "Bewerbungen vorsortieren", "problem": "p"}
    )
    found = services.save_system(
        tenant,
        AISystem(
            name="Bewerbermanagement",
            owner="Martina Keller",
            purpose="Bewerbungen vorsortieren",
            vendor="HR-Anbieter",
            capability="recruiting",
            hosting="saas_non_eu",
            data_location="USA",
            personal_data="Bewerbungsunterlagen",
            status="planned",
            dpia_status="in_progress",
            dpa_status="requested",
            next_review=timezone.localdate() - datetime.timedelta(days=3),
        ),
        [use_case],
    )
    services.import_answers(
        tenant, services.start(tenant, found), annex3("beschaeftigung", "a", derog_profiling="yes")
    )
    trained = services.save_person(tenant, Person(name="Anna Trained", role_level="user"), [found])
    services.record_training(
        tenant,
        TrainingRecord(
            person=trained,
            measure="Einweisung",
            date=timezone.localdate(),
            evidence="Liste",
            ai_system=found,
        ),
    )
    services.save_person(tenant, Person(name="Bernd Untrained", role_level="user"), [found])
    return found


def test_a_register_entry_has_a_read_page(
    organisation: Organisation, owner_client: Client, system: AISystem
) -> None:
    response = owner_client.get(f"{base(organisation)}/systems/{system.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<form" not in page.split('id="system-facts"')[1].split("</section>")[0]
    shown = text(response)
    for expected in (
        "Martina Keller",
        "Bewerbungen vorsortieren",
        "HR-Anbieter",
        "Recruiting",  # capability label
        "USA",
        "Bewerbungsunterlagen",
        "Anna Trained",
        "Bernd Untrained",
        "1/2",
    ):
        assert expected in shown, expected
    use_case = system.use_cases.get()
    assert f'href="/o/{organisation.slug}/usecases/{use_case.pk}/"' in page
    assessment = system.assessment
    assert f'href="{base(organisation)}/assessments/{assessment.pk}/"' in page
    assert "Hohes Risiko" in shown
    assert 'id="review-overdue"' in page
    assert f'href="{base(organisation)}/systems/{system.pk}/edit/"' in page
    for raw in ("saas_non_eu", "in_progress", "requested", "recruiting", "planned"):
        assert raw not in shown, raw


def test_the_read_page_in_english_shows_english_labels(
    organisation: Organisation, en_client: Client, system: AISystem
) -> None:
    shown = text(en_client.get(f"{base(organisation)}/systems/{system.pk}/"))
    for expected in ("Cloud service, data outside the EU", "in progress", "requested", "overdue"):
        assert expected in shown, expected
    assert "High risk" in shown
    register = en_client.get(f"{base(organisation)}/systems/")
    assert register.context["page"].systems[0].review_overdue
    assert "overdue" in text(register)


def test_a_review_in_the_future_is_not_overdue(
    organisation: Organisation, owner_client: Client, system: AISystem
) -> None:
    AISystem.objects.filter(pk=system.pk).update(
        next_review=timezone.localdate() + datetime.timedelta(days=30)
    )
    page = owner_client.get(f"{base(organisation)}/systems/{system.pk}/").content.decode()
    assert 'id="review-overdue"' not in page


def test_a_person_page_says_what_is_missing(
    organisation: Organisation, owner_client: Client, system: AISystem
) -> None:
    people = {p.name: p for p in Person.objects.all()}
    url = f"{base(organisation)}/literacy/people"
    missing = owner_client.get(f"{url}/{people['Bernd Untrained'].pk}/")
    assert [s.pk for s in missing.context["gap"].missing_systems] == [system.pk]
    assert f'href="{base(organisation)}/systems/{system.pk}/"' in missing.content.decode()
    trained = owner_client.get(f"{url}/{people['Anna Trained'].pk}/")
    assert trained.context["gap"] is None
    assert "alert-success" in trained.content.decode()


def test_viewers_read_the_entry_without_an_edit_button(
    organisation: Organisation, system: AISystem, viewer: User
) -> None:
    page = client_for(viewer).get(f"{base(organisation)}/systems/{system.pk}/").content.decode()
    assert "Bernd Untrained" in page
    assert "/edit/" not in page


SYSTEM = {
    "name": "Assistent",
    "owner": "IT",
    "purpose": "Texte",
    "capability": "chat_assistant",
    "hosting": "saas_eu",
    "status": "in_use",
    "dpia_status": "open",
    "dpa_status": "missing",
}


def test_the_edit_form_has_its_own_url_and_returns_to_the_read_page(
    organisation: Organisation, owner_client: Client, system: AISystem
) -> None:
    url = f"{base(organisation)}/systems/{system.pk}/edit/"
    assert "<form" in owner_client.get(url).content.decode()
    response = owner_client.post(url, {**SYSTEM, "name": "Neuer Name"})
    assert response.status_code == 302
    assert response["Location"] == f"{base(organisation)}/systems/{system.pk}/"
    system.refresh_from_db()
    assert system.name == "Neuer Name"
    assert system.use_cases.count() == 0


def test_the_read_page_does_not_change_anything(
    organisation: Organisation, owner_client: Client, system: AISystem
) -> None:
    response = owner_client.post(f"{base(organisation)}/systems/{system.pk}/", SYSTEM)
    assert response.status_code == 405
    system.refresh_from_db()
    assert system.name == "Bewerbermanagement"


@pytest.mark.parametrize(
    ("change", "field", "status"),
    [
        ({"name": ""}, "name", 422),
        ({"purpose": "x" * 301}, "purpose", 422),
        ({"next_review": "bald"}, "next_review", 422),
        ({"capability": "telepathy"}, "capability", 422),
        ({"hosting": "moon"}, "hosting", 422),
        ({"dpa_status": "maybe"}, "dpa_status", 422),
        ({"use_cases": ["999999"]}, "use_cases", 422),
        ({"use_cases": ["abc"]}, "use_cases", 422),
    ],
)
def test_invalid_register_input_is_422_also_hand_made_values(
    organisation: Organisation,
    owner_client: Client,
    system: AISystem,
    change: dict[str, Any],
    field: str,
    status: int,
) -> None:
    for url in (
        f"{base(organisation)}/systems/",
        f"{base(organisation)}/systems/{system.pk}/edit/",
    ):
        response = owner_client.post(url, {**SYSTEM, **change})
        assert response.status_code == status, url
        if status == 422:
            assert field in response.context["form"].errors
    assert AISystem.objects.count() == 1
    system.refresh_from_db()
    assert system.name == "Bewerbermanagement"


def test_a_foreign_use_case_is_refused(
    organisation: Organisation, owner_client: Client, system: AISystem
) -> None:
    other = make_organisation()
    foreign_owner = add_member(other, role=Role.OWNER)
    foreign = usecases.create_use_case(
        tenant_of(foreign_owner, other), {"title": "Fremd", "problem": "p"}
    )
    url = f"{base(organisation)}/systems/{system.pk}/edit/"
    assert owner_client.post(url, {**SYSTEM, "use_cases": [foreign.pk]}).status_code == 422
    assert system.use_cases.get().title == "Bewerbungen vorsortieren"


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"name": ""}, 422),
        ({"role_level": "king"}, 422),
        ({"ai_systems": ["abc"]}, 422),
        ({"ai_systems": ["999999"]}, 422),
    ],
)
def test_invalid_people_are_not_saved(
    organisation: Organisation, owner_client: Client, change: dict[str, Any], status: int
) -> None:
    url = f"{base(organisation)}/literacy/people/"
    response = owner_client.post(url, {"name": "Anna", "role_level": "user", **change})
    assert response.status_code == status
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"date": "gestern"}, 422),
        ({"date": "2999-01-01"}, 422),  # a training in the future is no evidence
        ({"evidence": ""}, 422),
        ({"measure": "x" * 201}, 422),
        ({"person": "999999"}, 422),
        ({"person": "abc"}, 422),
        ({"ai_system": "999999"}, 422),
    ],
)
def test_invalid_training_records_are_not_saved(
    organisation: Organisation,
    tenant: Tenant,
    owner_client: Client,
    change: dict[str, Any],
    status: int,
) -> None:
    anna = services.save_person(tenant, Person(name="Anna", role_level="user"), [])
    today = timezone.localdate().isoformat()
    record = {"person": anna.pk, "measure": "Grundlagen", "date": today, "evidence": "Liste"}
    response = owner_client.post(f"{base(organisation)}/literacy/records/", {**record, **change})
    assert response.status_code == status
    assert not TrainingRecord.objects.exists()


def test_the_multi_selects_use_standard_django_widgets(tenant: Tenant) -> None:
    assert isinstance(
        SystemForm(tenant=tenant).fields["use_cases"].widget, forms.CheckboxSelectMultiple
    )
    assert isinstance(
        PersonForm(tenant=tenant).fields["ai_systems"].widget, forms.CheckboxSelectMultiple
    )
    assert isinstance(DpoForm().fields["dpo_kind"].widget, forms.RadioSelect)


# An organisation without anything yet --------------------------------------------------------


@pytest.fixture
def empty() -> tuple[Organisation, Client]:
    organisation = make_organisation("Leer GmbH")
    return organisation, client_for(add_member(organisation, role=Role.OWNER), "en")


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("", "No use cases yet"),
        ("", "add the people who use AI systems"),
        ("systems/", "The register is empty"),
        ("literacy/", "add the people who use AI systems"),
        ("literacy/", "No training recorded yet"),
        ("privacy/", "Enter the facts"),
    ],
)
def test_an_empty_organisation_sees_what_to_do_first(
    empty: tuple[Organisation, Client], page: str, expected: str
) -> None:
    organisation, client = empty
    response = client.get(f"{base(organisation)}/{page}")
    assert response.status_code == 200
    shown = text(response)
    assert expected in shown
    assert "Nobody is missing anything" not in shown
    assert "0 people not reached" not in shown


def test_an_empty_literacy_page_offers_adding_people_not_recording_training(
    empty: tuple[Organisation, Client],
) -> None:
    organisation, client = empty
    page = client.get(f"{base(organisation)}/literacy/").content.decode()
    assert f'action="{base(organisation)}/literacy/people/"' in page
    assert f'action="{base(organisation)}/literacy/records/"' not in page


def test_a_person_without_records_and_a_system_without_users_say_so(
    organisation: Organisation, tenant: Tenant, en_client: Client
) -> None:
    system = services.save_system(tenant, AISystem(**SYSTEM), [])
    person = services.save_person(tenant, Person(name="Anna", role_level="user"), [])
    shown = text(en_client.get(f"{base(organisation)}/systems/{system.pk}/"))
    assert "Nobody is recorded as using this system" in shown
    assert "not yet assessed" in shown
    assert "No training recorded yet" in text(
        en_client.get(f"{base(organisation)}/literacy/people/{person.pk}/")
    )


# Labels instead of internal ids --------------------------------------------------------------


def test_the_why_trail_shows_answer_labels_not_ids(
    organisation: Organisation, tenant: Tenant, owner_client: Client, en_client: Client
) -> None:
    use_case = usecases.create_use_case(tenant, {"title": "Bewerbungen", "problem": "p"})
    assessment = services.import_answers(
        tenant, services.start(tenant, use_case), annex3("beschaeftigung", "a")
    )
    url = f"{base(organisation)}/assessments/{assessment.pk}/"
    german = text(owner_client.get(url))
    english = text(en_client.get(url))
    for shown in (german, english):
        for raw in ("→ yes", "→ no", "→ a (", "→ unknown", "→ beschaeftigung", "→ deployer"):
            assert raw not in shown, raw
    assert "→ Nein" in german
    assert "→ No" in english
    assert "→ Personalgewinnung und -auswahl" in german  # the label of option "a"
    assert "→ Recruitment and selection" in english


def test_an_unanswered_question_in_the_trail_reads_open(
    organisation: Organisation, tenant: Tenant, en_client: Client
) -> None:
    use_case = usecases.create_use_case(tenant, {"title": "Offen", "problem": "p"})
    answers = {k: v for k, v in BASE.items() if not k.startswith("art5_")}
    assessment = services.import_answers(tenant, services.start(tenant, use_case), answers)
    shown = text(en_client.get(f"{base(organisation)}/assessments/{assessment.pk}/"))
    assert "→ not answered yet" in shown
    assert "→ unknown" not in shown


@pytest.mark.parametrize(
    ("language", "headers", "values"),
    [
        ("de", ["Name", "Verantwortlich", "Zweck"], ["Hohes Risiko", "Recruiting", "geplant"]),
        ("en", ["Name", "Responsible", "Purpose"], ["High risk", "Recruiting", "planned"]),
    ],
)
def test_the_excel_export_is_in_the_users_language(
    organisation: Organisation,
    owner: User,
    system: AISystem,
    language: str,
    headers: list[str],
    values: list[str],
) -> None:
    client = client_for(owner, language)
    response = client.get(f"{base(organisation)}/systems/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert [c.value for c in sheet[1]][:3] == headers
    row = [str(c.value) for c in sheet[2]]
    for value in values:
        assert any(value in cell for cell in row), (value, row)
    for raw in ("hochrisiko", "saas_non_eu", "in_progress", "recruiting"):
        assert raw not in row, raw
