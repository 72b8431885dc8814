"""What the data check tells the rest of the product: the suggested score of the use case's
criterion "Datenverfügbarkeit" (the portfolio's feasibility axis), and the readiness
dimension "Daten" as a suggestion with its reason."""

from __future__ import annotations

import pytest
from django.utils import timezone

from startklar.datacheck import services
from startklar.datacheck.models import DataCheck, DataSource, Status
from startklar.organisations.models import Membership, Role
from startklar.organisations.tenancy import Tenant
from startklar.readiness.models import Round
from startklar.testing import client_for, demo_company
from startklar.usecases import services as usecase_services
from startklar.usecases.models import CriterionScore, UseCase

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> Tenant:
    organisation = demo_company()
    membership = Membership.objects.select_related("user").get(
        organisation=organisation, role=Role.OWNER
    )
    return Tenant(organisation=organisation, membership=membership)


def _forecast(tenant: Tenant) -> UseCase:
    return tenant.scoped(UseCase.objects).get(catalogue_id="einkauf.bedarfsprognose")


def _data_score(use_case: UseCase) -> CriterionScore | None:
    return CriterionScore.objects.filter(use_case=use_case, criterion_id="daten").first()


def _check_score(tenant: Tenant, use_case: UseCase) -> int:
    from startklar.datacheck import queries

    found = queries.data_scores(tenant.organisation.pk, [use_case.pk])[use_case.pk]
    assert found is not None
    return found


def _refeed(tenant: Tenant, use_case: UseCase) -> None:
    """Let the data check speak again (an answer given is one of the moments it does)."""
    services.answer(tenant, use_case, "special_events", "yes")


def test_the_page_names_what_the_check_suggests_beside_a_score_people_gave(
    demo: Tenant,
) -> None:
    use_case = _forecast(demo)
    given = _data_score(use_case)
    assert given is not None
    assert given.source == CriterionScore.Source.MANUAL
    level = usecase_services.data_level(_check_score(demo, use_case))
    assert level != given.score
    client = client_for(demo.membership.user, "en")
    page = client.get(f"/o/{demo.organisation.slug}/usecases/{use_case.pk}/").content.decode()
    assert f"the data check suggests {level}: ERP-Verkaufsexport" in page


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        (CriterionScore.Source.MANUAL, True),
        (CriterionScore.Source.WORKSHOP, True),
        (CriterionScore.Source.DEFAULT, False),
    ],
)
def test_a_score_people_gave_stays_and_a_readiness_suggestion_gives_way(
    demo: Tenant, given: str, kept: bool
) -> None:
    use_case = _forecast(demo)
    CriterionScore.objects.filter(use_case=use_case, criterion_id="daten").update(
        score=1, source=given
    )
    usecase_services.suggest_from_data_check(demo.organisation.pk, {use_case.pk: 100})
    score = _data_score(use_case)
    assert score is not None
    if kept:
        assert (score.score, score.source) == (1, given)
    else:
        assert (score.score, score.source) == (5, CriterionScore.Source.DATA_CHECK)


def test_a_suggestion_follows_the_checks_and_goes_with_the_last_one(demo: Tenant) -> None:
    use_case = _forecast(demo)
    CriterionScore.objects.filter(use_case=use_case, criterion_id="daten").update(
        score=1, source=CriterionScore.Source.DEFAULT
    )
    _refeed(demo, use_case)
    score = _data_score(use_case)
    assert score is not None
    assert score.source == CriterionScore.Source.DATA_CHECK
    use_case.refresh_from_db()
    before = use_case.feasibility
    client = client_for(demo.membership.user, "en")
    page = client.get(f"/o/{demo.organisation.slug}/usecases/{use_case.pk}/").content.decode()
    assert f"suggested {score.score} by the data check: ERP-Verkaufsexport" in page
    source = DataSource.objects.get(organisation=demo.organisation, use_cases=use_case)
    for check in DataCheck.objects.filter(source=source):
        services.delete_check(demo, check)
    assert _data_score(use_case) is None
    use_case.refresh_from_db()
    assert use_case.feasibility != before


def test_another_organisations_use_case_is_not_touched(demo: Tenant) -> None:
    use_case = _forecast(demo)
    CriterionScore.objects.filter(use_case=use_case, criterion_id="daten").delete()
    usecase_services.suggest_from_data_check(demo.organisation.pk + 1000, {use_case.pk: 100})
    assert _data_score(use_case) is None


def test_the_readiness_results_show_the_data_check_beside_the_dimension(demo: Tenant) -> None:
    round_ = (
        Round.objects.filter(organisation=demo.organisation, status=Round.Status.CLOSED)
        .order_by("-created_at")
        .first()
    )
    assert round_ is not None
    client = client_for(demo.membership.user, "en")
    url = f"/o/{demo.organisation.slug}/readiness/{round_.pk}/results/"
    page = client.get(url).content.decode()
    assert 'id="measured"' in page
    assert "Data check" in page
    assert "this round:" in page
    # without a finished check the data check suggests nothing (the staff pulse still may)
    DataCheck.objects.filter(organisation=demo.organisation).update(status=Status.FAILED)
    after = client.get(url).content.decode()
    measured = after.partition('id="measured"')[2].partition("</section>")[0]
    assert "Data check" not in measured


def test_personal_data_in_the_file_links_to_the_gdpr_screening_and_names_a_wrong_no(
    demo: Tenant,
) -> None:
    from startklar.compliance.models import Assessment

    maintenance = DataCheck.objects.get(
        organisation=demo.organisation, file_name="wartungsprotokoll.xlsx"
    )
    client = client_for(demo.membership.user, "en")
    url = f"/o/{demo.organisation.slug}/data-check/checks/{maintenance.pk}/"
    page = client.get(url).content.decode()
    assert "Personal data: yes – found in the columns “Techniker”, “Telefon”" in page
    use_case = maintenance.source.use_cases.get()
    assessment = Assessment.objects.filter(use_case=use_case).first()
    if assessment is None:
        assert f"#use-case-{use_case.pk}" in page  # where its screening is started
        return
    assert f"/compliance/assessments/{assessment.pk}/" in page
    assessment.answers = {**assessment.answers, "personal_data": "no"}
    assessment.save(update_fields=["answers"])
    assert "says the use case processes no personal data" in client.get(url).content.decode()


def test_the_sources_history_shows_the_mended_export_scoring_higher(demo: Tenant) -> None:
    from startklar.datacheck import queries

    source = DataSource.objects.get(organisation=demo.organisation, name="ERP-Verkaufsexport")
    page = queries.source_page(demo, source, timezone.now())
    assert page.chart is not None
    points = page.chart["data"]["values"]
    assert [p["file"] for p in points] == ["verkauf_export_alt.csv", "verkauf_export.csv"]
    assert points[0]["score"] < points[1]["score"]  # the export was mended
    assert "Material- und Einkaufsbedarf vorhersagen" in page.checks[0].scores
