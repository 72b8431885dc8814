"""The demo company's readiness check: a round a year ago and one a month ago, whose
respondents see things differently (management is more optimistic about acceptance and
leadership than the shop floor)."""

from __future__ import annotations

from datetime import timedelta

from startklar.core.demo import DemoCompany, days_ago, german_month
from startklar.organisations.tenancy import Tenant

from . import content, services
from .models import Answer, Respondent, Round

OWNER = "owner"  # stands for the demo company's owner in the lists below
READINESS_BASE = {
    "strategie": 3,
    "fuehrung": 3,
    "daten": 2,
    "infrastruktur": 3,
    "kompetenzen": 2,
    "akzeptanz": 3,
    "recht": 2,
    "finanzierung": 3,
}
PERSPECTIVE_SHIFT = {
    "geschaeftsfuehrung": {"*": 1},
    "it": {"infrastruktur": -1, "daten": 0, "*": 0},
    "mitarbeitende": {"akzeptanz": -2, "fuehrung": -2, "strategie": -1, "*": 0},
}
UNKNOWN_FOR = {"mitarbeitende": {"recht", "finanzierung"}}


def demo_level(question_id: str, perspective: str, progress: int) -> int | None:
    """A stable, plausible answer: base per dimension, shifted by perspective and round."""
    dimension = question_id.split(".")[0]
    if dimension in UNKNOWN_FOR.get(perspective, set()) and len(question_id) % 2:
        return None
    shifts = PERSPECTIVE_SHIFT[perspective]
    wobble = sum(map(ord, question_id)) % 3 - 1
    level = READINESS_BASE.get(dimension, 3) + shifts.get(dimension, shifts["*"]) + wobble
    return max(1, min(5, level + progress))


# (opened days ago, progress, respondents as (e-mail, perspective, submitted days after opening))
READINESS_ROUNDS: list[tuple[int, int, list[tuple[str, str, int]]]] = [
    (
        395,
        -1,
        [(OWNER, "geschaeftsfuehrung", 2), ("j.weber@startklar.example", "it", 6)],
    ),
    (
        35,
        0,
        [
            (OWNER, "geschaeftsfuehrung", 1),
            ("j.weber@startklar.example", "it", 4),
            ("t.becker@startklar.example", "mitarbeitende", 9),
        ],
    ),
]
ROUND_OPEN_DAYS = 14


def seed(company: DemoCompany) -> None:
    tenant: Tenant = company.owner
    organisation = tenant.organisation
    bank = content.load_bank()
    people = {**company.people, OWNER: company.people[company.owner_email]}
    for opened_days_ago, progress, respondents in READINESS_ROUNDS:
        opened = days_ago(opened_days_ago, hour=9)
        round_ = services.open_round(tenant, f"Reifegrad-Check {german_month(opened.date())}")
        for email, perspective, submitted_after in respondents:
            member = people[email]
            respondent = services.add_respondent(tenant, round_, member, perspective)
            as_member = Tenant(organisation, member)
            for question_id in bank.questions:
                level = demo_level(question_id, perspective, progress)
                services.save_answer(as_member, round_, question_id, level)
            services.submit(as_member, round_)
            submitted = opened + timedelta(days=submitted_after, hours=2)
            Answer.objects.filter(respondent=respondent).update(updated_at=submitted)
            Respondent.objects.filter(pk=respondent.pk).update(
                added_at=opened + timedelta(minutes=5), submitted_at=submitted
            )
        services.close_round(tenant, round_)
        Round.objects.filter(pk=round_.pk).update(
            created_at=opened, closed_at=opened + timedelta(days=ROUND_OPEN_DAYS, hours=7)
        )
