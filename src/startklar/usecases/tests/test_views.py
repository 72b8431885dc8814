"""Use cases through the pages: create, score, status, search, pain points, plan, workshop."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from startklar.accounts.models import User
from startklar.organisations.models import Membership, Organisation, Role
from startklar.organisations.tenancy import Tenant
from startklar.testing import add_member, client_for
from startklar.usecases import services
from startklar.usecases.content import load_criteria
from startklar.usecases.models import CriterionScore, Status, StatusChange, UseCase, Vote, Workshop

pytestmark = pytest.mark.django_db


def base(organisation: Organisation) -> str:
    return f"/o/{organisation.slug}/usecases"


def tenant_of(user: User, organisation: Organisation) -> Tenant:
    return Tenant(organisation, Membership.objects.get(user=user, organisation=organisation))


def make(
    owner: User, organisation: Organisation, title: str = "Angebote", **extra: object
) -> UseCase:
    data: dict[str, object] = {"title": title, "problem": "Dauert zu lange.", **extra}
    return services.create_use_case(tenant_of(owner, organisation), data)


ALL_FOUR = {c.id: 4 for c in load_criteria()}


def test_creating_from_the_catalogue_takes_its_starting_values(
    organisation: Organisation, owner_client: Client
) -> None:
    page = owner_client.get(f"{base(organisation)}/new/?from=administration.eingangsrechnungen")
    assert page.status_code == 200
    form = page.context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(catalogue_id="administration.eingangsrechnungen", classic_enough="unklar")
    data["estimated_cost"] = str(data["estimated_cost"]).replace(".", ",")
    data["person_days"] = str(data["person_days"]).replace(".", ",")
    response = owner_client.post(f"{base(organisation)}/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    use_case = UseCase.objects.get()
    assert use_case.catalogue_id == "administration.eingangsrechnungen"
    assert (use_case.estimated_cost or 0) > 0
    assert StatusChange.objects.get().to_status == Status.IDEE


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", ""),
        ("estimated_cost", "viel"),
        ("estimated_cost", "-5"),
        ("goal_date", "31.02.2026"),
    ],
)
def test_bad_use_case_input_is_shown_at_the_field(
    organisation: Organisation, owner_client: Client, field: str, value: str
) -> None:
    data = {"title": "X", "problem": "Y", "classic_enough": "unklar", field: value}
    response = owner_client.post(f"{base(organisation)}/new/", data)
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert not UseCase.objects.exists()


def test_scoring_every_criterion_assesses_an_idea_and_fills_the_matrix(
    organisation: Organisation, owner: User, owner_client: Client
) -> None:
    use_case = make(owner, organisation)
    response = owner_client.post(
        f"{base(organisation)}/{use_case.pk}/scores/", {k: str(v) for k, v in ALL_FOUR.items()}
    )
    assert response.status_code == 302
    use_case.refresh_from_db()
    assert use_case.status == Status.BEWERTET
    page = owner_client.get(f"{base(organisation)}/")
    assert 'data-chart="matrix-spec"' in page.content.decode()
    [row] = page.context["rows"]
    assert (row.value, row.feasibility) == (75.0, 75.0)


def test_a_score_outside_the_scale_is_rejected(
    organisation: Organisation, owner: User, owner_client: Client
) -> None:
    use_case = make(owner, organisation)
    data = dict.fromkeys(ALL_FOUR, "4") | {"daten": "9"}
    response = owner_client.post(f"{base(organisation)}/{use_case.pk}/scores/", data)
    assert response.status_code == 400
    assert not CriterionScore.objects.filter(source=CriterionScore.Source.MANUAL).exists()


def test_discarding_needs_a_reason_and_every_change_is_recorded(
    organisation: Organisation, owner: User, owner_client: Client
) -> None:
    use_case = make(owner, organisation)
    url = f"{base(organisation)}/{use_case.pk}/status/"
    assert owner_client.post(url, {"status": "verworfen", "reason": " "}).status_code == 422
    use_case.refresh_from_db()
    assert use_case.status == Status.IDEE
    assert owner_client.post(url, {"status": "verworfen", "reason": "Zu teuer"}).status_code == 302
    change = StatusChange.objects.filter(use_case=use_case).first()
    assert change is not None
    assert (change.from_status, change.to_status, change.reason) == (
        "idee",
        "verworfen",
        "Zu teuer",
    )
    assert change.changed_by == owner
    assert owner_client.post(url, {"status": "admin"}).status_code == 400


def test_readiness_informs_the_default_scores(organisation: Organisation, owner: User) -> None:
    from startklar.readiness import services as readiness
    from startklar.readiness.content import load_bank

    tenant = tenant_of(owner, organisation)
    round_ = readiness.open_round(tenant, "R")
    readiness.add_respondent(tenant, round_, tenant.membership, "it")
    for question in load_bank().questions:
        readiness.save_answer(tenant, round_, question, 1 if question.startswith("daten.") else 4)
    readiness.submit(tenant, round_)
    use_case = make(owner, organisation)
    scores = dict(use_case.scores.values_list("criterion_id", "score"))
    assert scores["daten"] == 1  # weak data dimension (score 0) → low data availability
    assert scores["integration"] == 4  # infrastructure at 75


def test_catalogue_search_is_live_and_filtered(
    organisation: Organisation, owner_client: Client
) -> None:
    url = f"{base(organisation)}/catalogue/"
    page = owner_client.get(url, {"q": "Rechnungen erfassen"}, HTTP_HX_REQUEST="true")
    html = page.content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert html.index("administration.eingangsrechnungen") < html.index("controlling.")
    filtered = owner_client.get(url, {"q": "", "function": "logistik"})
    assert all(h.entry.function == "logistik" for h in filtered.context["hits"])
    assert owner_client.get(url, {"technique": "telepathie"}).status_code == 400


def test_pain_points_give_ranked_matches_with_reasons(
    organisation: Organisation, owner_client: Client
) -> None:
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-0-description": "Wir tippen jeden Tag Eingangsrechnungen ab",
        "form-0-hours_per_week": "12",
        "form-0-frequency": "daily",
        "form-0-error_prone": "4",
        "form-0-tedious": "5",
    }
    page = owner_client.get(f"{base(organisation)}/pain-points/", data)
    assert page.status_code == 200
    [first, *_rest] = page.context["matches"]
    assert first.entry.id == "administration.eingangsrechnungen"
    assert {r.kind.value for r in first.reasons} >= {"words", "time", "monotony"}
    data["form-0-hours_per_week"] = "500"
    assert owner_client.get(f"{base(organisation)}/pain-points/", data).status_code == 422


def test_the_optimiser_explains_an_impossible_budget(
    organisation: Organisation, owner: User, owner_client: Client
) -> None:
    use_case = make(owner, organisation, estimated_cost=Decimal(20000), person_days=Decimal(10))
    services.set_scores(tenant_of(owner, organisation), use_case, ALL_FOUR)
    url = f"{base(organisation)}/plan/"
    response = owner_client.get(url, {"budget": "1000", "capacity": "50"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert not response.context["plan"].feasible
    fits = owner_client.get(url, {"budget": "25.000", "capacity": "50"}, HTTP_HX_REQUEST="true")
    assert [c.id for c in fits.context["plan"].chosen] == [str(use_case.pk)]
    assert owner_client.get(url, {"budget": "-1", "capacity": "x"}).status_code == 422


def test_a_blind_workshop_reveals_median_and_disputes_and_records_the_agreed_score(
    organisation: Organisation, owner: User, owner_client: Client
) -> None:
    use_case = make(owner, organisation)
    staff = add_member(organisation, role=Role.VIEWER)
    response = owner_client.post(
        f"{base(organisation)}/workshops/", {"title": "Workshop", "use_cases": [use_case.pk]}
    )
    workshop = Workshop.objects.get()
    url = f"{base(organisation)}/workshops/{workshop.pk}"
    assert response["Location"] == f"{url}/"
    for client, score in [(owner_client, "2"), (client_for(staff), "5")]:
        vote = {"use_case": use_case.pk, "criterion": "daten", "score": score}
        assert client.post(f"{url}/vote/", vote, HTTP_HX_REQUEST="true").status_code == 200
    before = owner_client.get(f"{url}/").context["state"]
    assert before.participants == 2
    assert client_for(staff).post(f"{url}/reveal/").status_code == 403
    owner_client.post(f"{url}/reveal/")
    state = owner_client.get(f"{url}/").context["state"]
    daten = next(c for c in state.items[0].criteria if c.criterion.id == "daten")
    assert (daten.summary.median, daten.summary.disputed) == (3.5, True)
    late = {"use_case": use_case.pk, "criterion": "daten", "score": "1"}
    assert client_for(staff).post(f"{url}/vote/", late).status_code == 409
    owner_client.post(
        f"{url}/agree/", {"use_case": use_case.pk, "criterion": "daten", "score": "3"}
    )
    score = CriterionScore.objects.get(use_case=use_case, criterion_id="daten")
    assert (score.score, score.source) == (3, "workshop")


def test_votes_for_foreign_use_cases_or_bad_scores_are_400(
    organisation: Organisation, owner: User, owner_client: Client
) -> None:
    use_case = make(owner, organisation)
    other = make(owner, organisation, "Nicht im Workshop")
    workshop = services.open_workshop(tenant_of(owner, organisation), "W", [use_case])
    url = f"{base(organisation)}/workshops/{workshop.pk}/vote/"
    for data in (
        {"use_case": other.pk, "criterion": "daten", "score": "3"},
        {"use_case": use_case.pk, "criterion": "daten", "score": "7"},
        {"use_case": use_case.pk, "criterion": "laune", "score": "3"},
    ):
        assert owner_client.post(url, data).status_code == 400
    assert not Vote.objects.exists()
