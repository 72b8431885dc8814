"""A pulse's results as the organisation sees them: by group only where anonymity holds, the
change since the previous pulse, themes, acceptance, and comments only once checked."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.http import Http404
from django.utils import translation

from startklar.organisations.models import Role
from startklar.organisations.tenancy import Tenant
from startklar.people import queries, services
from startklar.people.models import CommentReview, Pulse, PulseAnswer, PulseLink
from startklar.testing import add_member, make_organisation, tenant_of

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 9, 1)


@pytest.fixture(autouse=True)
def _german() -> Iterator[None]:
    with translation.override("de"):
        yield


@pytest.fixture
def tenant() -> Tenant:
    organisation = make_organisation()
    return tenant_of(add_member(organisation, role=Role.OWNER), organisation)


def answers(pulse: Pulse, group: str | None, n: int, comment: str = "", **points: str) -> None:
    links = PulseLink.objects.filter(pulse=pulse)
    token = (links.get(group__name=group) if group else links.get(group=None)).token
    for _ in range(n):
        services.submit_answer(token, points, comment=comment, today=DAY)


def pulse_with(tenant: Tenant, title: str, day: datetime.date = DAY) -> Pulse:
    made = services.create_pulse(tenant, title, ["Produktion", "Verwaltung", "Vertrieb"])
    return services.open_pulse(tenant, made, day)


def test_results_by_group_where_anonymity_holds_and_the_change_since_last_time(
    tenant: Tenant,
) -> None:
    spring = pulse_with(tenant, "Frühjahr")
    answers(spring, "Produktion", 6, kontrolle="5", plaene="2")
    answers(spring, "Verwaltung", 5, kontrolle="4", plaene="2")
    summer = pulse_with(tenant, "Sommer", DAY + datetime.timedelta(days=91))
    answers(summer, "Produktion", 7, kontrolle="2", plaene="4")
    answers(summer, "Verwaltung", 6, kontrolle="1", plaene="5")
    answers(summer, "Vertrieb", 2, kontrolle="5", plaene="1")
    answers(summer, None, 4, comment="Bitte Schulungen", kontrolle="3", plaene="3")

    found = queries.results(tenant, summer)
    assert found.previous == spring
    assert queries.results(tenant, spring).previous is None
    assert services.create_pulse(tenant, "Entwurf").previous_of() is None
    assert (found.respondents, found.k, found.shown) == (19, 5, True)
    # Vertrieb (2) is under 5, the general link's four with it are 6: no more withheld.
    assert [(g.name, g.people) for g in found.groups] == [
        ("Produktion", 7),
        ("Verwaltung", 6),
        ("Vertrieb", None),
    ]
    control = next(q for q in found.questions if q.key == "kontrolle")
    assert control.text.startswith("Ich befürchte")
    assert control.points[0] == "Trifft gar nicht zu"
    assert control.total is not None
    assert control.total.answered == 19
    assert dict(control.by_group)["Vertrieb"] is None
    assert control.change is not None
    assert control.change.before == 1.0
    assert control.change.after == pytest.approx(2 / 19)
    assert control.change.better is True
    assert found.concerned_before == 1.0
    assert found.concerned == pytest.approx(2 / 19)
    # Spring raised the theme of control; summer does not.
    assert [t.key for t in queries.results(tenant, spring).themes] == [
        "sorge_kontrolle",
        "plaene_unbekannt",
    ]
    assert found.themes == ()
    assert found.acceptance is not None
    assert found.acceptance.score > 50


def test_comments_only_once_checked_and_their_group_only_where_shown(tenant: Tenant) -> None:
    pulse = pulse_with(tenant, "Kommentare")
    answers(pulse, "Produktion", 6, comment="Mehr Zeit zum Ausprobieren", plaene="4")
    answers(pulse, "Verwaltung", 5, plaene="3")
    answers(pulse, "Vertrieb", 1, comment="Ich bin Petra aus dem Vertrieb", plaene="1")
    found = queries.results(tenant, pulse)
    assert found.comments == ()
    assert found.unchecked_comments == 7
    # Vertrieb (1) is withheld, and Verwaltung with it (one alone would be the difference).
    assert [g.people for g in found.groups] == [6, None, None]
    production = PulseAnswer.objects.filter(group__name="Produktion").first()
    sales = PulseAnswer.objects.get(group__name="Vertrieb")
    assert production is not None
    services.review_comment(tenant, production, CommentReview.SHOWN)
    services.review_comment(tenant, sales, CommentReview.HIDDEN)
    found = queries.results(tenant, pulse)
    assert found.comments == (queries.Comment("Mehr Zeit zum Ausprobieren", "Produktion"),)
    assert found.unchecked_comments == 5


def test_too_few_answers_show_nothing_but_their_number(tenant: Tenant) -> None:
    pulse = pulse_with(tenant, "Wenige")
    answers(pulse, "Produktion", 3, comment="Gut", plaene="5")
    for stored in PulseAnswer.objects.all():
        services.review_comment(tenant, stored, CommentReview.SHOWN)
    found = queries.results(tenant, pulse)
    assert (found.respondents, found.shown) == (3, False)
    assert all(g.people is None for g in found.groups)
    assert all(q.total is None for q in found.questions)
    assert found.comments == ()
    assert found.acceptance is None
    assert found.concerned is None


def test_another_organisation_cannot_read_the_results(tenant: Tenant) -> None:
    pulse = pulse_with(tenant, "Fremd")
    other = make_organisation()
    with pytest.raises(Http404):
        queries.results(tenant_of(add_member(other), other), pulse)
