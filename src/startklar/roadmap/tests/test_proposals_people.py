"""The people feature's proposals: each open step of the communication plan becomes a milestone
in the week it is due (at the roadmap's start when that has passed), each theme the latest
staff pulse raises becomes the step its content names, with a reason citing the pulse;
accepted ones are not proposed again and link back."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from startklar.organisations.models import Role
from startklar.organisations.tenancy import Tenant
from startklar.people import communication_services as communication
from startklar.people import services as people
from startklar.people.models import PulseLink
from startklar.roadmap import engine, proposals, queries, services
from startklar.roadmap.models import Item
from startklar.testing import add_member, make_organisation, tenant_of

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 7)  # a Monday
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def tenant() -> Tenant:
    organisation = make_organisation("Puls GmbH")
    return tenant_of(add_member(organisation, role=Role.OWNER), organisation)


def people_proposals(tenant: Tenant, language: str = "en") -> dict[str, proposals.Proposal]:
    found, _dismissed = proposals.proposals(tenant, language, queries.settings_of(tenant, TODAY))
    return {p.key: p for p in found if p.key.startswith("people:")}


def step(tenant: Tenant, kind: str, due: datetime.date, audience: str = "All staff") -> int:
    return communication.create_item(
        tenant,
        kind=kind,
        audience=audience,
        message="What we plan with AI.",
        channel="team_meeting",
        due_on=due,
        today=TODAY,
    ).pk


def test_open_steps_become_milestones_in_the_week_they_are_due(tenant: Tenant) -> None:
    thursday = step(tenant, "results", TODAY + 17 * DAY, "All teams")  # Thu 24.12.
    late = step(tenant, "announcement", TODAY - 10 * DAY)
    training = step(tenant, "training", TODAY + 42 * DAY)
    done = step(tenant, "faq", TODAY + 3 * DAY)
    communication.set_done(
        tenant, communication.CommunicationItem.objects.get(pk=done), True, TODAY
    )

    found = people_proposals(tenant)
    assert set(found) == {
        f"people:communication:{thursday}",
        f"people:communication:{late}",
        f"people:communication:{training}",
    }
    results = found[f"people:communication:{thursday}"]
    assert results.task.milestone
    assert results.task.kind is engine.Kind.ACTION
    assert results.placement.start == datetime.date(2026, 12, 21)  # the Monday of that week
    assert not results.late
    assert "All teams" in results.source.title
    assert "24/12/2026" in results.source.why
    assert "team meeting" in results.source.why
    assert results.source.url == reverse("people:communication", args=[tenant.organisation.slug])
    # Due before the roadmap starts: placed at its start (no "legal date" to be late for).
    assert found[f"people:communication:{late}"].placement.start == TODAY
    assert found[f"people:communication:{late}"].task.deadline is None
    assert found[f"people:communication:{training}"].task.kind is engine.Kind.LITERACY


def test_an_accepted_step_is_not_proposed_again_and_links_back(tenant: Tenant) -> None:
    key = f"people:communication:{step(tenant, 'results', TODAY + 7 * DAY)}"
    items = services.accept(tenant, [key], "en", TODAY)
    assert [i.source_key for i in items] == [key]
    assert items[0].milestone
    assert items[0].deadline is None
    assert items[0].start == TODAY + 7 * DAY  # a Monday
    assert key not in people_proposals(tenant)
    links = proposals.source_links(tenant, Item.objects.filter(organisation=tenant.organisation))
    assert links[items[0].pk] == reverse("people:communication", args=[tenant.organisation.slug])


def _pulse(tenant: Tenant, answers: list[dict[str, str]], opened: datetime.date) -> int:
    pulse = people.create_pulse(tenant, "AI pulse winter")
    people.open_pulse(tenant, pulse, opened)
    token = PulseLink.objects.get(pulse=pulse, group=None).token
    for given in answers:
        people.submit_answer(token, given, today=opened)
    return pulse.pk


def test_the_latest_pulses_themes_become_proposals_citing_it(tenant: Tenant) -> None:
    assert people_proposals(tenant) == {}  # no pulse, no plan: nothing
    worried = {"kontrolle": "5", "plaene": "1", "mithalten": "2", "arbeitsplatz": "1"}
    calm = {"kontrolle": "1", "plaene": "4", "mithalten": "2", "arbeitsplatz": "1"}
    pulse_id = _pulse(tenant, [worried] * 3 + [calm] * 3, TODAY - 20 * DAY)

    found = people_proposals(tenant)
    assert set(found) == {"people:theme:sorge_kontrolle", "people:theme:plaene_unbekannt"}
    control = found["people:theme:sorge_kontrolle"]
    assert control.source.title == "Agree the AI usage policy with the works council"
    assert "AI pulse winter" in control.source.why
    assert "Fear of being monitored" in control.source.why
    assert control.task.kind is engine.Kind.WORKS_COUNCIL
    assert control.task.effort > 0
    try:
        expected = reverse("people:results", args=[tenant.organisation.slug, pulse_id])
    except NoReverseMatch:
        expected = reverse("people:list", args=[tenant.organisation.slug])
    assert control.source.url == expected
    assert found["people:theme:plaene_unbekannt"].task.kind is engine.Kind.ACTION
    german = people_proposals(tenant, "de")["people:theme:sorge_kontrolle"]
    assert german.source.title == "Nutzungsrichtlinie für KI mit dem Betriebsrat abstimmen"

    items = services.accept(tenant, ["people:theme:sorge_kontrolle"], "en", TODAY)
    assert "people:theme:sorge_kontrolle" not in people_proposals(tenant)
    links = proposals.source_links(tenant, items)
    assert links[items[0].pk] == reverse("people:list", args=[tenant.organisation.slug])


def test_a_pulse_with_too_few_answers_raises_no_theme(tenant: Tenant) -> None:
    _pulse(tenant, [{"kontrolle": "5"}] * 4, TODAY - 3 * DAY)  # fewer than k = 5
    assert people_proposals(tenant) == {}


def test_the_page_shows_the_people_proposals(tenant: Tenant) -> None:
    from startklar.testing import client_for

    step(tenant, "results", TODAY + 7 * DAY, "All teams")
    owner = tenant.membership.user
    page = client_for(owner, "en").get(
        reverse("roadmap:proposals", args=[tenant.organisation.slug])
    )
    assert page.status_code == 200
    assert "All teams" in page.content.decode()
    assert "Communication plan" in page.content.decode()
