"""Criterion scores keep the version of the criteria they were given with, however they are
written: entered, suggested at creation, or imported from Excel."""

from __future__ import annotations

import io

import pytest

from startklar.accounts.models import User
from startklar.organisations.models import Membership, Organisation
from startklar.organisations.tenancy import Tenant
from startklar.testing import make_organisation
from startklar.usecases import excel, services
from startklar.usecases.engine.portfolio import DefaultScore
from startklar.usecases.models import CriterionScore, UseCase

pytestmark = pytest.mark.django_db


# A version other than the model's default for old rows, so the tests see the services set it.
CURRENT_VERSION = "2027.1"


@pytest.fixture(autouse=True)
def later_criteria(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "CURRENT_VERSION", CURRENT_VERSION)


@pytest.fixture
def tenant(organisation: Organisation, owner: User) -> Tenant:
    return Tenant(organisation, Membership.objects.get(user=owner))


def versions(use_case: UseCase) -> dict[str, tuple[int, str]]:
    return {
        s.criterion_id: (s.score, s.criteria_version)
        for s in CriterionScore.objects.filter(use_case=use_case)
    }


def test_entered_scores_carry_the_current_version(tenant: Tenant) -> None:
    use_case = services.create_use_case(tenant, {"title": "Angebote", "problem": "Dauert."})
    services.set_scores(tenant, use_case, {"daten": 2, "geschaeftswert": 5})
    assert versions(use_case) == {
        "daten": (2, CURRENT_VERSION),
        "geschaeftswert": (5, CURRENT_VERSION),
    }


def test_a_score_confirmed_under_new_criteria_takes_their_version(tenant: Tenant) -> None:
    use_case = services.create_use_case(tenant, {"title": "Angebote", "problem": "Dauert."})
    services.set_scores(tenant, use_case, {"daten": 2, "geschaeftswert": 5})
    CriterionScore.objects.filter(criterion_id="daten").update(criteria_version="2025.1")
    services.set_scores(tenant, use_case, {"daten": 2})
    assert versions(use_case)["daten"] == (2, CURRENT_VERSION)


def test_suggested_scores_carry_the_current_version(tenant: Tenant) -> None:
    suggested = {"daten": DefaultScore(2, "daten", 30.0), "risiko": DefaultScore(3, None, None)}
    use_case = services.create_use_case(tenant, {"title": "A", "problem": "p"}, defaults=suggested)
    assert versions(use_case) == {"daten": (2, CURRENT_VERSION)}  # only reasoned suggestions


def test_imported_scores_carry_the_current_version(tenant: Tenant, owner: User) -> None:
    use_case = services.create_use_case(tenant, {"title": "Angebote", "problem": "Dauert."})
    services.set_scores(tenant, use_case, {"daten": 2, "geschaeftswert": 5})
    other = make_organisation("Zweitfirma GmbH")
    membership = Membership.objects.create(organisation=other, user=owner, role="owner")
    excel.import_rows(Tenant(other, membership), io.BytesIO(excel.export(tenant)))
    imported = UseCase.objects.get(organisation=other)
    assert versions(imported) == versions(use_case)
