"""Every write of the quality reviews: plans, items (all or nothing), verdicts against the
rubric, double review and settlement, alerts with one e-mail, and tenancy."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import translation

from startklar.organisations.tenancy import Tenant
from startklar.reviews import csvfile, queries, services, views
from startklar.reviews.models import ReviewAlert, ReviewItem, ReviewPlan, Source, Verdict
from startklar.reviews.tasks import send_alert_email
from startklar.testing import add_member, make_organisation, make_user, tenant_of

from .conftest import RIGHT, WRONG, items

pytestmark = pytest.mark.django_db
YESTERDAY = datetime.date.today() - datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _english() -> Any:
    """The messages are matched in English (the catalogue says them in German)."""
    with translation.override("en"):
        yield


def test_a_plan_gets_a_copy_of_the_default_rubric_and_its_sample_size(
    world: dict[str, Any],
) -> None:
    plan: ReviewPlan = world["plan"]
    assert plan.rubric_version == "2026.1"
    assert [c.key for c in plan.parsed_rubric().criteria] == ["correct", "complete", "usable"]
    assert plan.required == 385  # ± 5 points at 95 %, rate unknown
    plan.expected_rate = Decimal(10)
    assert plan.required == 139


def test_reviewers_and_owner_must_be_members(world: dict[str, Any]) -> None:
    stranger = make_user()
    with pytest.raises(services.ReviewError) as found:
        services.update_plan(world["tenant"], world["plan"], [stranger])
    assert found.value.field == "reviewers"
    plan = world["plan"]
    plan.owner = stranger
    with pytest.raises(services.ReviewError) as found:
        services.update_plan(world["tenant"], plan, [])
    assert found.value.field == "owner"


@pytest.mark.parametrize(
    ("errors", "n", "field"),
    [(5, None, "baseline_items"), (5, 0, "baseline_items"), (9, 5, "baseline_errors")],
)
def test_a_baseline_needs_both_numbers_in_order(
    world: dict[str, Any], errors: int, n: int | None, field: str
) -> None:
    plan = world["plan"]
    plan.baseline_errors, plan.baseline_items = errors, n
    with pytest.raises(services.ReviewError) as found:
        services.update_plan(world["tenant"], plan, [])
    assert found.value.field == field


def test_items_are_added_all_or_nothing_with_every_problem_by_row(world: dict[str, Any]) -> None:
    plan = world["plan"]
    (existing,) = items(world["tenant"], plan, 1, YESTERDAY)
    future = datetime.date.today() + datetime.timedelta(days=3)
    rows = [
        services.NewItem("gut", YESTERDAY, "A"),
        services.NewItem(" ", YESTERDAY, "B"),
        services.NewItem("doppelt", YESTERDAY, "A"),
        services.NewItem("zukunft", future, "C"),
        services.NewItem("alt", datetime.date(1999, 1, 1), existing.reference),
        services.NewItem("x" * 10_001, YESTERDAY, "r" * 121, "k" * 5001),
    ]
    with pytest.raises(services.ItemsError) as found:
        services.add_items(world["tenant"], plan, rows, Source.CSV)
    problems = {(p.row, p.field) for p in found.value.problems}
    assert problems == {
        (2, "output"),
        (3, "reference"),
        (4, "sampled_on"),
        (5, "sampled_on"),
        (5, "reference"),
        (6, "output"),
        (6, "context"),
        (6, "reference"),
    }
    assert plan.items.count() == 1
    with pytest.raises(services.ItemsError):
        services.add_items(world["tenant"], plan, [], Source.API)
    with pytest.raises(services.ItemsError):
        services.add_items(world["tenant"], plan, rows[:1] * 1001, Source.API)


def test_the_share_judged_twice_is_spread_evenly() -> None:
    chosen = [n for n in range(1, 21) if services.second_review(n, Decimal(20))]
    assert chosen == [5, 10, 15, 20]
    assert not any(services.second_review(n, Decimal(0)) for n in range(1, 50))


def test_a_verdict_needs_a_level_for_every_criterion(world: dict[str, Any]) -> None:
    (item,) = items(world["tenant"], world["plan"], 1)
    with pytest.raises(services.ReviewError) as found:
        services.judge(world["tenant"], item, {"correct": "right"})
    assert found.value.field in {"complete", "usable"}
    with pytest.raises(services.ReviewError):
        services.judge(world["tenant"], item, {**RIGHT, "correct": "great"})
    assert not Verdict.objects.exists()
    verdict = services.judge(world["tenant"], item, {**RIGHT, "usable": "touch_up"}, " ok ")
    assert (verdict.error, verdict.severity, verdict.comment) == (False, "minor", "ok")
    item.refresh_from_db()
    assert (item.error, item.severity) == (False, "minor")


def test_only_reviewers_judge_each_item_once_and_only_while_the_plan_is_active(
    world: dict[str, Any],
) -> None:
    plan = world["plan"]
    first, second = items(world["tenant"], plan, 2)  # the 2nd is judged twice (50 %)
    outsider = add_member(world["organisation"])
    with pytest.raises(services.ReviewError, match="reviewers"):
        services.judge(tenant_of(outsider, world["organisation"]), first, RIGHT)
    services.judge(world["tenant"], first, RIGHT)
    with pytest.raises(services.ReviewError, match="already"):
        services.judge(world["tenant"], first, RIGHT)
    with pytest.raises(services.ReviewError, match="already"):
        services.judge(world["editor_tenant"], first, RIGHT)  # not chosen for a second verdict
    assert second.needs_second
    services.judge(world["viewer_tenant"], second, RIGHT)  # a viewer may review
    services.judge(world["editor_tenant"], second, RIGHT)
    with pytest.raises(services.ReviewError, match="already"):
        services.judge(world["tenant"], second, RIGHT)
    plan.active = False
    plan.save()
    (third,) = items(world["tenant"], plan, 1)
    with pytest.raises(services.ReviewError, match="paused"):
        services.judge(world["tenant"], third, RIGHT)


def test_two_reviewers_who_disagree_are_settled_by_the_owner(world: dict[str, Any]) -> None:
    _first, item = items(world["tenant"], world["plan"], 2)
    services.judge(world["editor_tenant"], item, RIGHT)
    with pytest.raises(services.ReviewError, match="differently"):
        services.settle(world["tenant"], item, True, "x")
    services.judge(world["viewer_tenant"], item, WRONG, "Betrag falsch")
    item.refresh_from_db()
    assert item.disputed
    assert item.error is False  # the first verdict counts until settled
    page = queries.plan_page(world["tenant"], world["plan"], views.chart_labels)
    assert [d.item_id for d in page.disagreements] == [item.pk]
    assert page.agreement is not None
    assert page.agreement.share == 0
    with pytest.raises(services.ReviewError, match="owner"):
        services.settle(world["editor_tenant"], item, True, "x")
    with pytest.raises(services.ReviewError) as found:
        services.settle(world["tenant"], item, True, " ")
    assert found.value.field == "note"
    services.settle(world["tenant"], item, True, "Betrag weicht ab")
    item.refresh_from_db()
    assert (item.error, item.severity, item.disputed, item.settled_error) == (
        True,
        "error",
        False,
        True,
    )
    assert item.settled_by == world["owner"]


def test_an_alerting_period_gets_one_alert_and_one_e_mail(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    plan = world["plan"]
    plan.double_share = Decimal(0)
    plan.save()
    found = items(world["tenant"], plan, 12)
    with django_capture_on_commit_callbacks(execute=True):
        for item in found[:2]:
            services.judge(world["tenant"], item, RIGHT)
        assert not ReviewAlert.objects.exists()
        for item in found[2:]:
            services.judge(world["tenant"], item, WRONG)
    alert = ReviewAlert.objects.get()
    assert (alert.items, alert.errors, alert.period) == (12, 10, found[0].period)
    assert set(alert.reasons) == {"above_threshold", "rise"}
    assert alert.emailed_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [world["owner"].email]
    assert "Belege" in mail.outbox[0].subject
    send_alert_email.call(alert.pk, "http://x/", "de")  # run again: nothing more is sent
    assert len(mail.outbox) == 1
    summary = queries.plan_summaries(world["tenant"], [world["system"].pk])[0]
    assert summary.open_alerts == 1
    assert summary.periods[-1].reasons
    services.acknowledge(world["tenant"], alert, "Anbieter informiert")
    with pytest.raises(services.ReviewError):
        services.acknowledge(world["tenant"], alert, "nochmal")
    assert queries.plan_summaries(world["tenant"], [world["system"].pk])[0].open_alerts == 0


def test_no_e_mail_for_an_owner_who_left(world: dict[str, Any]) -> None:
    plan = world["plan"]
    alert = ReviewAlert.objects.create(
        organisation=plan.organisation,
        plan=plan,
        period=YESTERDAY,
        reasons=["rise"],
        rate=0.5,
        low=0.3,
        high=0.7,
        items=10,
        errors=5,
    )
    plan.owner = make_user()
    plan.save()
    send_alert_email.call(alert.pk, "http://x/", "en")
    assert mail.outbox == []


def test_the_summary_counts_items_per_period_with_wilson_intervals(world: dict[str, Any]) -> None:
    plan = world["plan"]
    plan.double_share = Decimal(0)
    plan.save()
    monday = YESTERDAY - datetime.timedelta(days=YESTERDAY.weekday() + 7)
    for n, item in enumerate(items(world["tenant"], plan, 4, monday)):
        services.judge(world["tenant"], item, WRONG if n == 0 else RIGHT)
    for item in items(world["tenant"], plan, 2, YESTERDAY)[:1]:
        services.judge(world["tenant"], item, RIGHT)
    (summary,) = queries.plan_summaries(world["tenant"], [world["system"].pk])
    assert (summary.items_judged, summary.errors, summary.rate) == (5, 1, 0.2)
    assert sum(p.n for p in summary.periods) == 5
    assert summary.low < 0.2 < summary.high
    assert not summary.enough
    assert queries.plan_summaries(world["tenant"], []) == []


def test_due_and_overdue_for_the_reviewer(world: dict[str, Any]) -> None:
    plan = world["plan"]
    old = YESTERDAY - datetime.timedelta(days=21)
    items(world["tenant"], plan, 2, old)
    items(world["tenant"], plan, 1, datetime.date.today())
    (due,) = queries.due_for(world["tenant"], world["owner"])
    assert (due.open, due.overdue) == (3, 2)
    assert queries.next_item(plan, world["owner"]) is not None


def test_rubric_changes_keep_what_verdicts_used(world: dict[str, Any]) -> None:
    plan = world["plan"]
    data = plan.parsed_rubric().data()
    data["criteria"][0]["name"] = {"de": "Stimmt", "en": "Right"}
    services.update_rubric(world["tenant"], plan, data)
    assert plan.parsed_rubric().criteria[0].de == "Stimmt"
    with pytest.raises(services.ReviewError):
        services.update_rubric(world["tenant"], plan, {"criteria": []})
    (item,) = items(world["tenant"], plan, 1)
    services.judge(world["tenant"], item, RIGHT)
    data["criteria"] = data["criteria"][:2]
    with pytest.raises(services.ReviewError, match="not removed"):
        services.update_rubric(world["tenant"], plan, data)


def test_a_cadence_change_moves_the_items_into_the_new_periods(world: dict[str, Any]) -> None:
    plan = world["plan"]
    (item,) = items(world["tenant"], plan, 1, datetime.date(2025, 3, 13))
    plan.cadence = "monthly"
    services.update_plan(world["tenant"], plan, [world["owner"]])
    item.refresh_from_db()
    assert item.period == datetime.date(2025, 3, 1)
    assert list(plan.reviewers.values_list("user_id", flat=True)) == [world["owner"].pk]


def test_deleting_an_item_or_a_plan(world: dict[str, Any]) -> None:
    first, _second = items(world["tenant"], world["plan"], 2)
    services.delete_item(world["tenant"], first)
    assert world["plan"].items.count() == 1
    services.delete_plan(world["tenant"], world["plan"])
    assert not ReviewItem.objects.exists()


def test_another_organisations_objects_are_refused(world: dict[str, Any]) -> None:
    other = make_organisation()
    stranger = add_member(
        other, role=__import__("startklar.organisations.models").organisations.models.Role.OWNER
    )
    foreign: Tenant = tenant_of(stranger, other)
    (item,) = items(world["tenant"], world["plan"], 1)
    for call in (
        lambda: services.add_items(foreign, world["plan"], [], Source.API),
        lambda: services.judge(foreign, item, RIGHT),
        lambda: services.settle(foreign, item, True, "x"),
        lambda: services.update_plan(foreign, world["plan"], []),
        lambda: services.delete_plan(foreign, world["plan"]),
    ):
        with pytest.raises((Http404, ValueError, PermissionDenied, services.ItemsError)):
            call()
    assert ReviewPlan.objects.filter(pk=world["plan"].pk).exists()


def test_a_csv_file_reads_german_and_english_columns_with_its_lines() -> None:
    today = datetime.date(2026, 3, 10)
    data = "Referenz;Ausgabe;Datum\nA;gut;02.03.2026\n;;\nB;auch;2026-03-03\nC;x;gestern\nD;y;\n"
    rows, lines, problems = csvfile.read(data.encode("cp1252"), today)
    assert [r.reference for r in rows] == ["A", "B", "D"]
    assert lines == [2, 4, 6]
    assert rows[2].sampled_on == today
    assert [(p.row, p.field) for p in problems] == [(5, "sampled_on")]
    assert csvfile.read(b"", today)[2][0].field == "file"
    assert csvfile.read(b"a,b\n1,2\n", today)[2][0].field == "output"
    rows, _lines, problems = csvfile.read("output\n\ufeffeins\n".encode(), today)
    assert problems == []
    assert rows[0].output == "\ufeffeins"
