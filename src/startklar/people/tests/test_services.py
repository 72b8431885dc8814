"""Every write of the staff pulses: pulses with groups and links, single-use codes, answers
without an account (all or nothing, one per code, nothing that says who answered), comments
checked before they are shown, and tenancy."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import models
from django.http import Http404
from django.utils import translation

from startklar.organisations.models import Role
from startklar.organisations.tenancy import Tenant
from startklar.people import services
from startklar.people.engine import codes
from startklar.people.models import (
    AnswerCode,
    CommentReview,
    Pulse,
    PulseAnswer,
    PulseGroup,
    PulseLink,
    PulseStatus,
)
from startklar.people.services import AnswerRefused, PulseError
from startklar.testing import add_member, make_organisation, tenant_of

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 7)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def tenant() -> Tenant:
    organisation = make_organisation()
    return tenant_of(add_member(organisation, role=Role.OWNER), organisation)


@pytest.fixture
def pulse(tenant: Tenant) -> Pulse:
    made = services.create_pulse(tenant, "KI-Puls Dezember", ["Produktion", "Verwaltung"])
    return services.open_pulse(tenant, made, TODAY)


def link(pulse: Pulse, group: str | None = None) -> str:
    found = PulseLink.objects.get(pulse=pulse, group__name=group) if group else None
    return (found or PulseLink.objects.get(pulse=pulse, group=None)).token


def answer(pulse: Pulse, token: str | None = None, **kwargs: Any) -> None:
    given = kwargs.pop("given", {"plaene": "4", "kontrolle": "2"})
    services.submit_answer(token or link(pulse), given, today=TODAY, **kwargs)


def test_a_pulse_asks_the_whole_bank_and_has_a_link_per_group(pulse: Pulse) -> None:
    assert pulse.status == PulseStatus.OPEN
    assert pulse.opened_on == TODAY
    assert pulse.k == 5
    assert pulse.questions[:2] == ["plaene", "nutzen"]
    assert [g.name for g in pulse.groups.all()] == ["Produktion", "Verwaltung"]
    tokens = set(PulseLink.objects.filter(pulse=pulse).values_list("token", flat=True))
    assert len(tokens) == 3  # the general link and one per group, all different


def test_a_pulse_can_ask_some_questions_and_wait_for_more_answers(tenant: Tenant) -> None:
    made = services.create_pulse(
        tenant, "  Kurz  ", questions=["kontrolle", "plaene"], k=8, ask_comment=False
    )
    assert made.title == "Kurz"
    assert made.questions == ["plaene", "kontrolle"]  # in the bank's order
    assert made.k == 8


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"title": " "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"k": 4}, "k"),
        ({"k": 51}, "k"),
        ({"k": True}, "k"),
        ({"questions": ["gehalt"]}, "questions"),
        ({"questions": []}, "questions"),
        ({"groups": ["Lager", " lager "]}, "groups"),
        ({"groups": ["x" * 81]}, "groups"),
        ({"groups": [f"G{i}" for i in range(31)]}, "groups"),
    ],
)
def test_a_pulse_that_breaks_a_rule_is_refused_and_nothing_saved(
    tenant: Tenant, arguments: dict[str, Any], field: str
) -> None:
    values: dict[str, Any] = {"title": "Puls", **arguments}
    title = values.pop("title")
    with pytest.raises(PulseError) as raised:
        services.create_pulse(tenant, title, **values)
    assert raised.value.field == field
    assert not Pulse.objects.exists()


def test_opening_and_closing_follow_the_order(tenant: Tenant, pulse: Pulse) -> None:
    with pytest.raises(PulseError, match="in preparation"):
        services.open_pulse(tenant, pulse, TODAY)
    services.close_pulse(tenant, pulse, TODAY)
    assert (pulse.status, pulse.closed_on) == (PulseStatus.CLOSED, TODAY)
    with pytest.raises(PulseError, match="open pulse"):
        services.close_pulse(tenant, pulse, TODAY)


def test_an_answer_keeps_points_group_and_day_and_nothing_that_names_the_person(
    pulse: Pulse,
) -> None:
    answer(pulse, link(pulse, "Produktion"), comment="  Mehr Schulung bitte  ")
    stored = PulseAnswer.objects.get()
    assert stored.group is not None
    assert stored.group.name == "Produktion"
    assert stored.answered_on == TODAY
    assert stored.points["plaene"] == 4
    assert stored.points["nutzen"] is None  # not answered: "keine Angabe"
    assert stored.comment == "Mehr Schulung bitte"
    assert stored.comment_review == CommentReview.UNCHECKED
    # No field could hold who answered or when to the minute.
    fields = {f.name for f in PulseAnswer._meta.concrete_fields}
    assert fields == {"id", "pulse", "group", "answered_on", "points", "comment", "comment_review"}
    assert not any(isinstance(f, models.DateTimeField) for f in PulseAnswer._meta.concrete_fields)


@pytest.mark.parametrize(
    ("given", "comment", "reason", "field"),
    [
        ({"plaene": "6"}, "", "point_invalid", "plaene"),
        ({"plaene": "0"}, "", "point_invalid", "plaene"),
        ({"plaene": "vier"}, "", "point_invalid", "plaene"),
        ({"plaene": "4.0"}, "", "point_invalid", "plaene"),
        ({"gehalt": "3"}, "", "point_invalid", "gehalt"),
        ({"plaene": "4"}, "x" * 1001, "comment_too_long", "comment"),
    ],
)
def test_an_answer_outside_the_rules_is_refused_and_nothing_stored(
    pulse: Pulse, given: dict[str, str], comment: str, reason: str, field: str
) -> None:
    with pytest.raises(AnswerRefused) as raised:
        answer(pulse, given=given, comment=comment)
    assert (raised.value.reason, raised.value.field) == (reason, field)
    assert not PulseAnswer.objects.exists()


def test_a_forged_link_or_a_pulse_not_open_takes_no_answer(tenant: Tenant, pulse: Pulse) -> None:
    for token in ("", "x" * 65, "forged-token"):
        with pytest.raises(AnswerRefused, match="unknown_link"):
            services.submit_answer(token, {"plaene": "3"}, today=TODAY)
    draft = services.create_pulse(tenant, "Noch nicht offen")
    with pytest.raises(AnswerRefused, match="not_open"):
        answer(draft, link(draft))
    services.close_pulse(tenant, pulse, TODAY)
    with pytest.raises(AnswerRefused, match="not_open"):
        answer(pulse)
    assert not PulseAnswer.objects.exists()


def test_without_a_comment_question_a_comment_is_not_kept(tenant: Tenant) -> None:
    quiet = services.open_pulse(
        tenant, services.create_pulse(tenant, "Ohne Kommentar", ask_comment=False), TODAY
    )
    answer(quiet, comment="Name: Petra")
    assert PulseAnswer.objects.get().comment == ""


def test_a_code_is_used_once_and_a_reused_or_forged_code_stores_nothing(
    tenant: Tenant,
) -> None:
    pulse = services.create_pulse(tenant, "Mit Codes", ["Lager"], codes_required=True)
    lager = pulse.groups.get()
    general = services.issue_codes(tenant, pulse, 2)
    for_store = services.issue_codes(tenant, pulse, 1, lager)[0]
    services.open_pulse(tenant, pulse, TODAY)
    assert len(general) == 2
    assert general[0].count("-") == 2
    # Only digests are kept.
    digests = set(AnswerCode.objects.values_list("digest", flat=True))
    assert not any(codes.normalise(code) in digests for code in general)

    with pytest.raises(AnswerRefused, match="code_missing"):
        answer(pulse)
    answer(pulse, code=general[0].lower())
    with pytest.raises(AnswerRefused, match="code_used"):
        answer(pulse, code=general[0])
    assert PulseAnswer.objects.count() == 1
    mistyped = general[1][:-1] + ("2" if general[1][-1] != "2" else "3")
    with pytest.raises(AnswerRefused, match="code_mistyped"):
        answer(pulse, code=mistyped)
    with pytest.raises(AnswerRefused, match="code_unknown"):
        answer(pulse, code=codes.shown(codes.new_code()))
    # A group's code counts for its group, also through the general link; the group's link
    # takes no code of another group.
    with pytest.raises(AnswerRefused, match="code_unknown"):
        answer(pulse, link(pulse, "Lager"), code=general[1])
    answer(pulse, code=for_store)
    assert PulseAnswer.objects.filter(group=lager).count() == 1
    assert AnswerCode.objects.filter(used=True).count() == 2
    # The answers do not say which code was used (no field refers to a code).
    assert not any(
        f.related_model is AnswerCode for f in PulseAnswer._meta.get_fields() if f.is_relation
    )


def test_a_code_may_be_given_where_none_is_needed_and_is_then_used_up(
    tenant: Tenant, pulse: Pulse
) -> None:
    code = services.issue_codes(tenant, pulse, 1)[0]
    answer(pulse, code=code)
    with pytest.raises(AnswerRefused, match="code_used"):
        answer(pulse, code=code)
    answer(pulse)  # without one, as the pulse allows
    assert PulseAnswer.objects.count() == 2


@pytest.mark.parametrize("count", [0, 2001, True])
def test_codes_are_issued_in_sensible_numbers(tenant: Tenant, pulse: Pulse, count: int) -> None:
    with pytest.raises(PulseError) as raised:
        services.issue_codes(tenant, pulse, count)
    assert raised.value.field == "count"
    assert not AnswerCode.objects.exists()


def test_no_codes_for_a_closed_pulse_or_another_pulses_group(tenant: Tenant, pulse: Pulse) -> None:
    other = services.create_pulse(tenant, "Anderer Puls", ["Lager"])
    with pytest.raises(PulseError, match="another pulse"):
        services.issue_codes(tenant, pulse, 1, other.groups.get())
    services.close_pulse(tenant, pulse, TODAY)
    with pytest.raises(PulseError, match="closed"):
        services.issue_codes(tenant, pulse, 1)


def test_a_comment_is_checked_before_it_is_shown(tenant: Tenant, pulse: Pulse) -> None:
    answer(pulse, comment="Bitte mehr erklären")
    answer(pulse)
    with_comment, without = PulseAnswer.objects.order_by("pk")
    services.review_comment(tenant, with_comment, CommentReview.SHOWN)
    with_comment.refresh_from_db()
    assert with_comment.comment_review == CommentReview.SHOWN
    services.review_comment(tenant, with_comment, CommentReview.SHOWN)  # unchanged: nothing to do
    with pytest.raises(PulseError, match="no comment"):
        services.review_comment(tenant, without, CommentReview.HIDDEN)


def test_another_organisations_pulse_is_out_of_reach(tenant: Tenant, pulse: Pulse) -> None:
    stranger_org = make_organisation()
    stranger = tenant_of(add_member(stranger_org, role=Role.OWNER), stranger_org)
    answer(pulse, comment="Hallo")
    with pytest.raises(Http404):
        services.open_pulse(stranger, pulse, TODAY)
    with pytest.raises(Http404):
        services.close_pulse(stranger, pulse, TODAY)
    with pytest.raises(Http404):
        services.issue_codes(stranger, pulse, 1)
    with pytest.raises(Http404):
        services.review_comment(stranger, PulseAnswer.objects.get(), CommentReview.SHOWN)
    assert PulseGroup.objects.filter(pulse__organisation=stranger_org).count() == 0


def test_own_questions_are_asked_after_the_banks_and_count_for_no_score(tenant: Tenant) -> None:
    made = services.create_pulse(
        tenant,
        "Puls",
        questions=["plaene"],
        own=[("  Die neue   Schichtplanung hilft. ", "agreement"), ("", "agreement")],
    )
    assert made.questions == ["plaene", "eigene_1"]
    assert made.own_questions == [
        {
            "id": "eigene_1",
            "text": "Die neue Schichtplanung hilft.",
            "scale": "agreement",
            "polarity": "neutral",
        }
    ]
    only_own = services.create_pulse(
        tenant, "Nur eigene", questions=[], own=[("Gut?", "frequency")]
    )
    assert only_own.questions == ["eigene_1"]


@pytest.mark.parametrize(
    "own",
    [
        [("Frage", "agreement")] * (services.MAX_OWN + 1),
        [("x" * (services.MAX_OWN_TEXT + 1), "agreement")],
        [("Frage", "stars")],
    ],
)
def test_own_questions_out_of_bounds_are_refused(
    tenant: Tenant, own: list[tuple[str, str]]
) -> None:
    with pytest.raises(PulseError) as refused:
        services.create_pulse(tenant, "Puls", own=own)
    assert refused.value.field == "own_questions"
    assert not Pulse.objects.exists()


def test_a_pulse_without_any_question_is_refused(tenant: Tenant) -> None:
    with pytest.raises(PulseError) as refused:
        services.create_pulse(tenant, "Puls", questions=[])
    assert refused.value.field == "questions"


def test_a_pulse_is_deleted_with_everything_of_it(tenant: Tenant, pulse: Pulse) -> None:
    answer(pulse)
    services.issue_codes(tenant, pulse, 2)
    services.delete_pulse(tenant, pulse)
    assert not Pulse.objects.exists()
    assert not PulseAnswer.objects.exists()
    assert not AnswerCode.objects.exists()
    assert not PulseLink.objects.exists()
