"""A closed round's result is stored and read back equal to a fresh assessment; what it depends
on changing (the engine or bank, the round's identity, its text) makes it computed again."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from startklar.accounts.models import User
from startklar.organisations import archive
from startklar.organisations import services as organisations
from startklar.organisations.models import Membership, Organisation, Role
from startklar.organisations.tenancy import Tenant
from startklar.readiness import charts, engine, journey, queries, services, stored
from startklar.readiness.content import load_bank
from startklar.readiness.models import Respondent, Round
from startklar.testing import add_member, client_for, demo_company, make_user, tenant_of

pytestmark = pytest.mark.django_db


# How the pages assessed rounds before results were stored: every round from its answers. -----


def fresh_responses(rounds: Sequence[Round]) -> dict[int, list[engine.Response]]:
    submitted = (
        Respondent.objects.filter(round__in=rounds, submitted_at__isnull=False)
        .prefetch_related("answers")
        .order_by("perspective", "user__full_name", "pk")
    )
    found: dict[int, list[engine.Response]] = {}
    for r in submitted:
        found.setdefault(r.round_id, []).append(
            engine.Response(
                respondent=str(r.pk),
                perspective=r.perspective,
                answers={a.question_id: a.level for a in r.answers.all()},
            )
        )
    return found


def fresh_result(round_: Round) -> engine.RoundResult:
    bank = load_bank(round_.bank_version)
    return engine.assess_round(bank, fresh_responses([round_]).get(round_.pk, []))


def fresh_trend(organisation: Organisation) -> list[tuple[Round, engine.Assessment]]:
    rounds = list(Round.objects.filter(organisation=organisation).order_by("created_at", "pk"))
    return [(r, a) for r in rounds if (a := fresh_result(r).combined).rated]


def fresh_previous(organisation: Organisation, round_: Round) -> Round | None:
    dimensions = [d.id for d in load_bank(round_.bank_version).dimensions]
    earlier = [
        r
        for r, _a in fresh_trend(organisation)
        if r.created_at < round_.created_at
        and [d.id for d in load_bank(r.bank_version).dimensions] == dimensions
    ]
    return earlier[-1] if earlier else None


def owner_of(organisation: Organisation) -> Tenant:
    owner = Membership.objects.get(organisation=organisation, role=Role.OWNER).user
    return tenant_of(owner, organisation)


def reloaded(round_: Round) -> Round:
    return Round.objects.get(pk=round_.pk)


# The demo at once and at ten times its data ----------------------------------------------------


@pytest.mark.parametrize("times", [1, 10])
def test_the_pages_show_what_a_fresh_assessment_of_every_round_shows(times: int) -> None:
    organisation = demo_company(copies=times - 1)
    tenant = owner_of(organisation)
    rounds = list(Round.objects.filter(organisation=organisation).order_by("pk"))
    assert len(rounds) == 2 * times
    if times > 1:  # copies have ids of their own: their results are computed when first read
        assert stored.result(rounds[-1]) is None
    expected = fresh_trend(organisation)
    assert len(expected) == 2 * times

    # The trend (the rounds page, the overview, the use cases' suggestions) ...
    trend = queries.trend(tenant)
    assert [(p.round.pk, p.assessment) for p in trend] == [(r.pk, a.scores) for r, a in expected]
    latest = [(r.pk, a.scores) for r, a in expected[::-1]]
    assert [(p.round.pk, p.assessment) for p in queries.latest(tenant, 2)] == latest[:2]
    last_round, last = expected[-1]
    assert queries.latest_scores(tenant) == (
        last_round.title,
        {d.dimension.id: d.score for d in last.dimensions},
    )
    # ... each round's result, read back from what is stored now ...
    for round_ in rounds:
        round_ = reloaded(round_)
        fresh = fresh_result(round_)
        assert stored.result(round_) == fresh
        assert queries.result(round_) == fresh
        previous = queries.previous_result(tenant, round_)
        expected_previous = fresh_previous(organisation, round_)
        assert (previous.round.pk if previous else None) == (
            expected_previous.pk if expected_previous else None
        )
    # ... and the results page with its radar against the round before.
    latest_round = reloaded(last_round)
    with translation.override("en"):
        page = queries.results_page(tenant, latest_round, "en")
    before = fresh_previous(organisation, latest_round)
    assert page.result == fresh_result(latest_round)
    assert before is not None
    series = [
        ("This round", [s.median for s in fresh_result(latest_round).spreads]),
        (before.title, [d.score for d in fresh_result(before).combined.dimensions]),
    ]
    with translation.override("en"):
        assert page.radar == charts.radar(load_bank().dimensions, series, "en")


def test_the_overview_headline_and_the_pages_need_as_many_queries_at_ten_times_the_data() -> None:
    organisation = demo_company()
    tenant = owner_of(organisation)
    latest_round = Round.objects.filter(organisation=organisation).latest("created_at", "pk")

    def count() -> list[int]:
        counts = []
        for read in (
            lambda: queries.trend(tenant),
            lambda: journey.headline(tenant),
            lambda: queries.latest_scores(tenant),
            lambda: queries.results_page(tenant, reloaded(latest_round), "de"),
            lambda: queries.rounds_page(tenant, "de"),
        ):
            read()  # the first read stores what it had to compute
            with CaptureQueriesContext(connection) as captured:
                read()
            counts.append(len(captured))
        return counts

    once = count()
    archive.copy_into(organisation, 9)
    assert count() == once
    assert once[:3] == [1, 1, 1]  # the stored scores of the rounds, in one query


# Stored when closed, and read without queries -------------------------------------------------


def answered_round(tenant: Tenant, *people: tuple[Tenant, str, int]) -> Round:
    """A round answered by each (member, perspective, level) on every question."""
    round_ = services.open_round(tenant, "Runde")
    for member, perspective, level in people:
        services.add_respondent(tenant, round_, member.membership, perspective)
        for question in load_bank().questions:
            services.save_answer(member, round_, question, level)
        services.submit(member, round_)
    return round_


def test_closing_a_round_stores_its_result_and_reading_it_needs_no_query(
    organisation: Organisation, owner: User
) -> None:
    tenant = tenant_of(owner, organisation)
    round_ = answered_round(tenant, (tenant, "geschaeftsfuehrung", 4))
    assert (round_.result_scores, round_.result_details) == ("", "")
    services.close_round(tenant, round_)
    round_ = reloaded(round_)
    assert round_.result_scores
    assert round_.result_details
    with CaptureQueriesContext(connection) as captured:
        found = queries.result(round_)
    assert len(captured) == 0
    assert found == fresh_result(round_)
    assert found.combined.rated


def test_an_open_round_stores_nothing_and_shows_each_new_submission(
    organisation: Organisation, owner: User
) -> None:
    tenant = tenant_of(owner, organisation)
    colleague = tenant_of(
        add_member(organisation, make_user("it@example.com"), Role.EDITOR), organisation
    )
    round_ = answered_round(tenant, (tenant, "geschaeftsfuehrung", 5))
    before = queries.result(round_)
    assert before.respondents == 1
    services.add_respondent(tenant, round_, colleague.membership, "it")
    for question in load_bank().questions:
        services.save_answer(colleague, round_, question, 1)
    services.submit(colleague, round_)
    after = queries.result(reloaded(round_))
    assert after.respondents == 2
    assert after == fresh_result(round_) != before
    assert [p.assessment for p in queries.trend(tenant)] == [after.combined.scores]
    assert reloaded(round_).result_scores == ""


def test_a_round_closed_meanwhile_takes_no_more_answers(
    organisation: Organisation, owner: User
) -> None:
    tenant = tenant_of(owner, organisation)
    round_ = answered_round(tenant)
    services.add_respondent(tenant, round_, tenant.membership, "geschaeftsfuehrung")
    question = next(iter(load_bank().questions))
    seen_open = Round.objects.get(pk=round_.pk)  # a request that loaded the round while open
    services.close_round(tenant, reloaded(round_))
    with pytest.raises(services.ReadinessError):
        services.save_answer(tenant, seen_open, question, 3)
    with pytest.raises(services.ReadinessError):
        services.submit(tenant, seen_open)
    assert not Respondent.objects.get(round=round_).answers.exists()


# What makes a stored result count as not stored ------------------------------------------------


@pytest.fixture
def closed(organisation: Organisation, owner: User) -> Round:
    tenant = tenant_of(owner, organisation)
    colleague = tenant_of(
        add_member(organisation, make_user("ma@example.com"), Role.VIEWER), organisation
    )
    round_ = answered_round(
        tenant, (tenant, "geschaeftsfuehrung", 4), (colleague, "mitarbeitende", 1)
    )
    services.close_round(tenant, round_)
    return reloaded(round_)


def test_a_new_engine_or_bank_version_computes_the_result_again_and_stores_it(
    closed: Round, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert stored.result(closed) is not None
    monkeypatch.setattr(stored, "version", lambda bank_version: "another engine")
    assert stored.result(closed) is None
    assert stored.scores(closed) is None
    assert queries.result(closed) == fresh_result(closed)
    again = reloaded(closed)
    assert '"version": "another engine"' in again.result_scores
    assert stored.result(again) == fresh_result(closed)


def test_the_version_names_the_engine_and_the_bank() -> None:
    version = stored.version(load_bank().version)
    assert len(version) == 24
    assert stored.SOURCES[0].name == "engine.py"
    assert {p.exists() for p in stored.SOURCES} == {True}


@pytest.mark.parametrize(
    "change",
    [
        lambda text: text.replace('"overall": ', '"overall": 1', 1),  # a number changed
        lambda text: text.replace('"stage": ', '"stage": "x', 1),  # a broken id
        lambda text: text[:70],  # cut off
        lambda text: "",
        lambda text: "no seal",
    ],
)
def test_a_stored_text_changed_by_hand_is_not_believed(
    closed: Round, organisation: Organisation, owner: User, change: object
) -> None:
    assert callable(change)
    Round.objects.filter(pk=closed.pk).update(result_scores=change(closed.result_scores))
    round_ = reloaded(closed)
    assert stored.result(round_) is None
    page = client_for(owner).get(f"/o/{organisation.slug}/readiness/{closed.pk}/results/")
    assert page.status_code == 200
    assert stored.result(reloaded(closed)) == fresh_result(closed)  # stored again


def test_a_result_belongs_to_its_round(
    closed: Round, organisation: Organisation, owner: User
) -> None:
    tenant = tenant_of(owner, organisation)
    other = answered_round(tenant, (tenant, "geschaeftsfuehrung", 2))
    services.close_round(tenant, other)
    Round.objects.filter(pk=other.pk).update(
        result_scores=closed.result_scores, result_details=closed.result_details
    )
    assert stored.result(reloaded(other)) is None
    assert queries.result(reloaded(other)) == fresh_result(other) != fresh_result(closed)


def test_an_imported_round_computes_its_result_again(
    closed: Round, organisation: Organisation, owner: User
) -> None:
    content = organisations.export_archive(tenant_of(owner, organisation))
    imported = organisations.import_archive(make_user("neu@example.com"), io.BytesIO(content))
    copy = Round.objects.get(organisation=imported.organisation)
    assert copy.result_scores == closed.result_scores  # travelled, but sealed to the original
    assert stored.result(copy) is None
    assert queries.result(copy) == fresh_result(closed)
    assert stored.result(reloaded(copy)) == fresh_result(closed)


def test_the_results_page_of_a_stored_round_shows_the_same_in_german_and_english(
    closed: Round, organisation: Organisation, owner: User
) -> None:
    url = f"/o/{organisation.slug}/readiness/{closed.pk}/results/"

    def page(client: Client) -> str:
        html = client.get(url).content.decode()
        return re.sub(
            r'(X-CSRFToken": "|csrfmiddlewaretoken" value=")[^"]+', "", html
        )  # masked anew

    pages = {}
    for language in ("de", "en"):
        client = client_for(owner, language)
        from_store = page(client)
        Round.objects.filter(pk=closed.pk).update(result_scores="", result_details="")
        assert page(client) == from_store  # computed again (and stored again)
        assert reloaded(closed).result_scores
        pages[language] = from_store
    assert 'id="hurdles-heading"' in pages["de"]
    assert pages["de"] != pages["en"]


def test_a_client_sees_no_difference_between_a_stored_and_a_fresh_export(
    closed: Round, organisation: Organisation, owner: User
) -> None:
    client: Client = client_for(owner)
    url = f"/o/{organisation.slug}/readiness/{closed.pk}/export.json"
    stored_export = client.get(url).json()
    Round.objects.filter(pk=closed.pk).update(result_scores="", result_details="")
    assert client.get(url).json() == stored_export


def test_a_submitted_respondent_without_answers_counts_like_before(
    organisation: Organisation, owner: User
) -> None:
    """Only an archive can hold one (the services refuse to submit nothing)."""
    tenant = tenant_of(owner, organisation)
    round_ = answered_round(tenant, (tenant, "geschaeftsfuehrung", 4))
    other = add_member(organisation, make_user("leer@example.com"), Role.VIEWER)
    Respondent.objects.create(
        organisation=organisation,
        round=round_,
        user=other,
        perspective="mitarbeitende",
        submitted_at=Respondent.objects.get(round=round_).submitted_at,
    )
    assert queries.responses(round_) == fresh_responses([round_])[round_.pk]
    assert queries.result(round_) == fresh_result(round_)
    assert queries.result(round_).respondents == 2


def test_pages_without_results_show_no_parts(organisation: Organisation, owner: User) -> None:
    tenant = tenant_of(owner, organisation)
    assert queries.latest_scores(tenant) is None
    assert journey.headline(tenant) is None
    round_ = services.open_round(tenant, "Runde", "geschaeftsfuehrung")
    page = queries.results_page(tenant, round_, "de")  # nobody submitted: nothing to see
    assert page.result is None
    assert page.key is None
    assert (page.radar, page.dimensions, page.first_steps) == (None, (), ())
    assert (page.gaps, page.more_gaps, page.findings, page.more_findings) == ((), (), (), ())
    answered = answered_round(tenant, (tenant, "geschaeftsfuehrung", 3))
    rounds_page = queries.rounds_page(tenant, "de")
    assert [p.round.pk for p in rounds_page.points] == [answered.pk]
    assert (rounds_page.trend_key, rounds_page.trend) == (None, None)  # a chart from two on
