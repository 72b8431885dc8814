"""The use-case page as the hub of the journey, and the overview's "what is next?"."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client

from startklar.accounts.models import User
from startklar.organisations.models import Organisation
from startklar.testing import client_for, tenant_of
from startklar.usecases import services
from startklar.usecases.content import load_criteria
from startklar.usecases.models import Status, UseCase

pytestmark = pytest.mark.django_db


def next_action(html: str) -> tuple[str, str]:
    """The label and target of the next-step button on a use-case page."""
    section = html[html.index('id="next-step"') :]
    section = section[: section.index("</section>")]
    link = re.search(r'<a class="btn btn-primary\s*" href="([^"]+)">([^<]+)</a>', section)
    if link:
        return link.group(2), link.group(1)
    form = re.search(
        r'<form method="post" action="([^"]+)".*?<button[^>]*>([^<]+)</button>', section, re.S
    )
    assert form, section
    return form.group(2), form.group(1)


@pytest.fixture
def use_case(organisation: Organisation, owner: User) -> UseCase:
    return services.create_use_case(
        tenant_of(owner, organisation),
        {"title": "Rechnungen", "problem": "Abtippen."},
        "administration.eingangsrechnungen",
    )


def test_the_next_step_buttons_lead_through_the_journey(
    organisation: Organisation, owner: User, owner_client: Client, use_case: UseCase
) -> None:
    page = f"/o/{organisation.slug}/usecases/{use_case.pk}/"
    label, url = next_action(owner_client.get(page).content.decode())
    assert label == "Messbares Ziel festlegen"
    assert url.endswith(f"/usecases/{use_case.pk}/edit/#goal")
    use_case.goal_metric, use_case.goal_target_value = "Minuten je Rechnung", Decimal(2)
    use_case.save()

    label, url = next_action(owner_client.get(page).content.decode())
    assert label == "Potenzial bewerten"
    services.set_scores(
        tenant_of(owner, organisation), use_case, {c.id: 4 for c in load_criteria()}
    )

    label, url = next_action(owner_client.get(page).content.decode())
    assert label == "Business Case anlegen"
    editor = owner_client.post(url)
    assert editor.status_code == 302

    label, url = next_action(owner_client.get(page).content.decode())
    assert label == "Make, Buy oder Partner klären"
    assert owner_client.post(url, {"differenzierung": "1"}).status_code == 302
    decide = url.replace("/decision/", "/decide/")
    assert (
        owner_client.post(decide, {"decision": "buy", "rationale": "Standard"}).status_code == 302
    )

    label, url = next_action(owner_client.get(page).content.decode())
    assert label == "Einstufung starten"
    assessment = owner_client.post(url)
    assert assessment.status_code == 302
    label, _url = next_action(owner_client.get(page).content.decode())
    assert label == "Einstufung fortsetzen"


def test_the_page_shows_the_business_case_and_classification_of_the_use_case(
    organisation: Organisation, owner: User, owner_client: Client, use_case: UseCase
) -> None:
    owner_client.post(f"/o/{organisation.slug}/business-cases/for/{use_case.pk}/")
    html = owner_client.get(f"/o/{organisation.slug}/usecases/{use_case.pk}/").content.decode()
    assert "Kapitalwert P50" in html
    assert "Noch nicht eingestuft" in html
    assert "noch nicht bewertet" in html  # criteria nobody scored are not shown as numbers


def test_a_postponed_use_case_has_no_next_step(
    organisation: Organisation, owner: User, owner_client: Client, use_case: UseCase
) -> None:
    services.change_status(tenant_of(owner, organisation), use_case, Status.POSTPONED, "2027")
    html = owner_client.get(f"/o/{organisation.slug}/usecases/{use_case.pk}/").content.decode()
    assert "Kein nächster Schritt" in html


def test_a_viewer_sees_the_next_step_without_a_button(
    organisation: Organisation, viewer: User, use_case: UseCase
) -> None:
    html = client_for(viewer).get(f"/o/{organisation.slug}/usecases/{use_case.pk}/")
    text = html.content.decode()
    assert "Nächster Schritt" in text
    assert "Messbares Ziel festlegen" not in text


def test_an_empty_organisation_sees_its_first_steps_and_no_score(
    organisation: Organisation, owner_client: Client
) -> None:
    html = owner_client.get(f"/o/{organisation.slug}/").content.decode()
    assert 'id="first-steps"' in html
    assert "Reifegrad-Check starten" in html
    assert "Use Cases im Katalog finden" in html
    assert 'id="headlines"' not in html
    assert "von 100" not in html


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_overview_lists_the_focus_with_its_figures_and_next_steps(
    organisation: Organisation, owner: User, use_case: UseCase, language: str
) -> None:
    client = client_for(owner, language)
    tenant = tenant_of(owner, organisation)
    services.set_scores(tenant, use_case, {c.id: 5 for c in load_criteria()})
    client.post(f"/o/{organisation.slug}/business-cases/for/{use_case.pk}/")
    html = client.get(f"/o/{organisation.slug}/").content.decode()
    focus = html[html.index('id="focus"') :]
    assert "Rechnungen" in focus
    assert ("Kapitalwert P50" if language == "de" else "NPV P50") in focus
    assert ("Messbares Ziel festlegen" if language == "de" else "Set a measurable goal") in focus
