"""The demo company's staff pulses: one in spring and its repeat a quarter later, answered by the
shop floor and the office through their groups' links. Worries about being monitored and about
jobs fall between the two; the store (Lager) has too few answers in the second pulse to be
shown on its own. A few comments: checked and shown, one hidden because it names a colleague,
one not checked yet."""

from __future__ import annotations

import random

from startklar.core.demo import DemoCompany, days_ago

from . import communication_demo, council_demo, services
from .models import CommentReview, Pulse, PulseAnswer, PulseLink

# (group, answers) per pulse; "" answered through the general link.
SPRING = (("Produktion", 14), ("Verwaltung", 8), ("Vertrieb", 6), ("Lager", 5), ("", 2))
SUMMER = (("Produktion", 16), ("Verwaltung", 9), ("Vertrieb", 7), ("Lager", 3), ("", 3))
GROUPS = [name for name, _count in SPRING if name]
# Per question, the most likely point in spring and in summer (answers scatter around it).
LEANING = {
    "plaene": (2, 4),
    "nutzen": (3, 4),
    "arbeitsplatz": (3, 2),
    "kontrolle": (4, 2),
    "mithalten": (2, 2),
    "vertrauen": (3, 4),
    "einbezogen": (2, 3),
    "mitmachen": (4, 4),
    "nutzung": (2, 3),
    "schulung": (4, 4),
}
COMMENTS = (
    ("Bitte zeigen, was mit den Daten aus der Maschine passiert.", CommentReview.SHOWN),
    ("Schulung am besten direkt an der Anlage, nicht im Besprechungsraum.", CommentReview.SHOWN),
    ("Herr Krüger aus der Schicht B nutzt schon heimlich ChatGPT.", CommentReview.HIDDEN),
    ("Gute Idee, aber wer hat dafür Zeit?", CommentReview.UNCHECKED),
)


def _point(rng: random.Random, leaning: int) -> str:
    """A point near ``leaning``; now and then "keine Angabe" (empty)."""
    if rng.random() < 0.06:
        return ""
    return str(min(5, max(1, leaning + rng.choice((-2, -1, -1, 0, 0, 0, 0, 1, 1, 2)))))


def _answer(
    pulse: Pulse,
    plan: tuple[tuple[str, int], ...],
    season: int,
    days: int,
    comments: tuple[str, ...] = (),
) -> None:
    """The answers of ``plan``; the first of the shop floor's carry ``comments``."""
    rng = random.Random(f"startklar-demo-pulse-{season}")  # noqa: S311 - demo data, not secrets
    links = {
        (link.group.name if link.group else ""): link.token
        for link in PulseLink.objects.filter(pulse=pulse).select_related("group")
    }
    for group, count in plan:
        for index in range(count):
            given = {key: _point(rng, lean[season]) for key, lean in LEANING.items()}
            comment = comments[index] if group == "Produktion" and index < len(comments) else ""
            services.submit_answer(
                links[group], given, comment=comment, today=days_ago(days).date()
            )


def seed(company: DemoCompany) -> None:
    owner = company.owner
    spring = services.create_pulse(owner, "KI-Puls Frühjahr", GROUPS)
    services.open_pulse(owner, spring, days_ago(110).date())
    _answer(spring, SPRING, 0, 105)
    services.close_pulse(owner, spring, days_ago(98).date())
    summer = services.create_pulse(owner, "KI-Puls Sommer", GROUPS)
    services.open_pulse(owner, summer, days_ago(18).date())
    _answer(summer, SUMMER, 1, 12, tuple(text for text, _review in COMMENTS))
    reviews = dict(COMMENTS)
    for stored in PulseAnswer.objects.filter(pulse=summer).exclude(comment=""):
        if reviews[stored.comment] != CommentReview.UNCHECKED:
            services.review_comment(owner, stored, reviews[stored.comment])
    communication_demo.seed(company)
    council_demo.seed(company)
