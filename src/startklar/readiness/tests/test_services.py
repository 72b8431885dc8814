"""The rules of the readiness services that the pages do not reach on their own."""

from __future__ import annotations

import pytest

from startklar.accounts.models import User
from startklar.organisations.models import Organisation, Role
from startklar.readiness import services, stored
from startklar.readiness.content import load_bank
from startklar.readiness.models import Answer, Respondent, Round
from startklar.testing import add_member, make_user, tenant_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(organisation: Organisation, owner: User) -> Round:
    """An open round the owner answers and submits."""
    tenant = tenant_of(owner, organisation)
    round_ = services.open_round(tenant, "Runde", "geschaeftsfuehrung")
    for question in load_bank().questions:
        services.save_answer(tenant, round_, question, 3)
    services.submit(tenant, round_)
    return round_


def test_closing_a_closed_round_again_changes_nothing(
    organisation: Organisation, owner: User, answered: Round
) -> None:
    tenant = tenant_of(owner, organisation)
    services.close_round(tenant, answered)
    closed = Round.objects.get(pk=answered.pk)
    services.close_round(tenant, closed)
    again = Round.objects.get(pk=answered.pk)
    assert (again.closed_at, again.result_scores, again.result_details) == (
        closed.closed_at,
        closed.result_scores,
        closed.result_details,
    )


def test_answers_outside_the_bank_or_the_scale_are_refused(
    organisation: Organisation, owner: User
) -> None:
    tenant = tenant_of(owner, organisation)
    round_ = services.open_round(tenant, "Runde", "geschaeftsfuehrung")
    question = next(iter(load_bank().questions))
    with pytest.raises(ValueError, match="unknown question"):
        services.save_answer(tenant, round_, "gibt.es-nicht", 3)
    with pytest.raises(ValueError, match="1 to 5"):
        services.save_answer(tenant, round_, question, 6)
    with pytest.raises(ValueError, match="unknown perspective"):
        services.add_respondent(tenant, round_, tenant.membership, "niemand")
    with pytest.raises(services.ReadinessError):
        services.submit(tenant, round_)  # nothing answered yet
    assert not Answer.objects.exists()


def test_submitted_answers_stay_and_can_no_longer_be_changed(
    organisation: Organisation, owner: User, answered: Round
) -> None:
    tenant = tenant_of(owner, organisation)
    respondent = Respondent.objects.get(round=answered)
    with pytest.raises(services.ReadinessError):
        services.remove_respondent(tenant, respondent)
    with pytest.raises(services.ReadinessError):
        services.save_answer(tenant, answered, next(iter(load_bank().questions)), 1)
    assert services.submit(tenant, answered).submitted_at == respondent.submitted_at


def test_someone_not_asked_cannot_answer(organisation: Organisation, owner: User) -> None:
    tenant = tenant_of(owner, organisation)
    other = tenant_of(
        add_member(organisation, make_user("x@example.com"), Role.VIEWER), organisation
    )
    round_ = services.open_round(tenant, "Runde", "geschaeftsfuehrung")
    with pytest.raises(services.ReadinessError):
        services.save_answer(other, round_, next(iter(load_bank().questions)), 2)


def test_a_deleted_round_takes_its_stored_result_along(
    organisation: Organisation, owner: User, answered: Round
) -> None:
    tenant = tenant_of(owner, organisation)
    services.close_round(tenant, answered)
    assert stored.result(Round.objects.get(pk=answered.pk)) is not None
    services.delete_round(tenant, answered)
    assert not Round.objects.filter(pk=answered.pk).exists()
    assert not Answer.objects.exists()
