"""Use cases of an organisation, their status history, criterion scores, weights and workshops."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from startklar.core import numbers
from startklar.organisations.models import Organisation

MAX_EUR = Decimal(1_000_000_000)
GOAL_LIMIT = Decimal(10) ** 13


class Status(models.TextChoices):
    IDEA = "idee", _("Idea")
    ASSESSED = "bewertet", _("Assessed")
    SELECTED = "ausgewaehlt", _("Selected")
    PILOT = "pilot", _("Pilot")
    SCALING = "skalierung", _("Scaling")
    IN_OPERATION = "regelbetrieb", _("In operation")
    POSTPONED = "zurueckgestellt", _("Postponed")
    DISCARDED = "verworfen", _("Discarded")


PIPELINE = [
    Status.IDEA,
    Status.ASSESSED,
    Status.SELECTED,
    Status.PILOT,
    Status.SCALING,
    Status.IN_OPERATION,
]
NEEDS_REASON = {Status.POSTPONED, Status.DISCARDED}
# Reached only through a pilot's scale decision (or an owner's override with a reason).
GATED = {Status.SCALING, Status.IN_OPERATION}
LIVE = {Status.PILOT, Status.SCALING, Status.IN_OPERATION}


def is_backward(old: str, new: str) -> bool:
    """An earlier pipeline step, or out of pilot, scaling or operation: needs a reason."""
    if old in PIPELINE and new in PIPELINE:
        return PIPELINE.index(Status(new)) < PIPELINE.index(Status(old))
    return old in LIVE and new not in PIPELINE


class ClassicAnswer(models.TextChoices):
    UNCLEAR = "unklar", _("Not yet checked")
    YES = "ja", _("Yes, process improvement would be enough")
    NO = "nein", _("No, AI adds something process work cannot")


# The fields a user edits (forms, services, Excel import).
USE_CASE_FIELDS = (
    "title",
    "problem",
    "goal_metric",
    "goal_unit",
    "goal_baseline_value",
    "goal_target_value",
    "goal_date",
    "process_owner",
    "department",
    "affected_roles",
    "data_sources",
    "classic_enough",
    "classic_note",
    "estimated_cost",
    "person_days",
)


class UseCase(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="use_cases"
    )
    title = models.CharField(_("title"), max_length=160)
    catalogue_id = models.CharField(_("catalogue entry"), max_length=80, blank=True)
    problem = models.TextField(_("problem"), max_length=4000)
    goal_metric = models.CharField(_("goal: metric"), max_length=160, blank=True)
    goal_unit = models.CharField(_("goal: unit"), max_length=30, blank=True)
    goal_baseline_value = models.DecimalField(
        _("goal: baseline"),
        max_digits=18,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(-GOAL_LIMIT), MaxValueValidator(GOAL_LIMIT)],
    )
    goal_target_value = models.DecimalField(
        _("goal: target"),
        max_digits=18,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(-GOAL_LIMIT), MaxValueValidator(GOAL_LIMIT)],
    )
    goal_date = models.DateField(_("goal: by"), null=True, blank=True)
    # A goal once written as text that could not be read as numbers ("halbieren"): kept and
    # shown until the numbers are entered.
    goal_unparsed = models.CharField(_("goal: as written before"), max_length=200, blank=True)
    process_owner = models.CharField(_("process owner"), max_length=120, blank=True)
    department = models.CharField(_("department"), max_length=120, blank=True)
    affected_roles = models.CharField(_("affected roles"), max_length=300, blank=True)
    data_sources = models.CharField(_("data sources"), max_length=300, blank=True)
    classic_enough = models.CharField(
        _("would classic process improvement be enough?"),
        max_length=10,
        choices=ClassicAnswer,
        default=ClassicAnswer.UNCLEAR,
    )
    classic_note = models.CharField(_("reasoning"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.IDEA)
    estimated_cost = models.DecimalField(
        _("estimated cost (EUR)"),
        max_digits=13,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(MAX_EUR)],
    )
    person_days = models.DecimalField(
        _("effort (person-days)"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100_000))],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    # The axes of the potential analysis (0–100, None: no criterion of the axis scored), kept
    # by the services from the scores and weights, sealed (``axes.py``).
    value = models.FloatField(_("value"), null=True, editable=False)
    feasibility = models.FloatField(_("feasibility"), null=True, editable=False)
    axes_seal = models.CharField(max_length=32, blank=True, editable=False)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("use case")
        verbose_name_plural = _("use cases")

    def __str__(self) -> str:
        return self.title

    @property
    def has_numeric_goal(self) -> bool:
        """A metric with a target value (what a pilot's KPI can start from)."""
        return bool(self.goal_metric) and self.goal_target_value is not None

    @property
    def goal_sentence(self) -> str:
        """E.g. "Bearbeitungszeit je Rechnung: 12 → 4 min bis 31.03.2027", in the reader's
        number and date formats; "" without a metric or values."""
        language = get_language() or "de"
        values = [
            "?" if v is None else numbers.format_input(v, language)
            for v in (self.goal_baseline_value, self.goal_target_value)
        ]
        change = "" if values == ["?", "?"] else " → ".join(values)
        if change and self.goal_unit:
            change = f"{change} {self.goal_unit}"
        if change and self.goal_date:
            change = _("%(change)s by %(date)s") % {
                "change": change,
                "date": date_format(self.goal_date, "SHORT_DATE_FORMAT"),
            }
        if self.goal_metric and change:
            return f"{self.goal_metric}: {change}"
        return self.goal_metric or change


class StatusChange(models.Model):
    """Every status change: who, when, from, to and why.

    ``reason`` is what a person wrote; a change the application makes by itself names its
    ``cause`` instead, shown in the reader's language.
    """

    class Cause(models.TextChoices):
        POTENTIAL_COMPLETE = "potential_complete", _("Potential analysis complete")
        EXCEL_IMPORT = "excel_import", _("Excel import")
        PILOT_STARTED = "pilot_started", _("Pilot started")
        SCALE_DECISION = "scale_decision", _("Scale decision")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    use_case = models.ForeignKey(UseCase, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=20, choices=Status, blank=True)
    to_status = models.CharField(max_length=20, choices=Status)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    cause = models.CharField(max_length=30, choices=Cause, blank=True)
    # Scaling or operation set by an owner without a scale decision (``reason`` says why).
    override = models.BooleanField(default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.use_case}: {self.from_status or '–'} → {self.to_status}"


class CriterionScore(models.Model):
    """The agreed score 1–5 of a use case on one criterion of the potential analysis."""

    class Source(models.TextChoices):
        DEFAULT = "default", _("suggested")
        MANUAL = "manual", _("entered")
        WORKSHOP = "workshop", _("agreed in workshop")
        DATA_CHECK = "data_check", _("suggested by the data check")

    # Scores nobody gave yet: a use case counts as assessed once people scored every criterion.
    SUGGESTED = (Source.DEFAULT, Source.DATA_CHECK)

    use_case = models.ForeignKey(UseCase, on_delete=models.CASCADE, related_name="scores")
    criterion_id = models.CharField(max_length=40)
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    source = models.CharField(max_length=10, choices=Source, default=Source.MANUAL)
    # The version of the criteria (``content/<version>/criteria.yaml``) the score was given
    # with, set by the services; scores from before it was stored (and archives made then)
    # were given with 2026.1, the only version there was.
    criteria_version = models.CharField(max_length=20, default="2026.1")

    class Meta:
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        constraints = [
            models.UniqueConstraint(fields=["use_case", "criterion_id"], name="one_score"),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="score_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}={self.score}"


class CriterionWeight(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    criterion_id = models.CharField(max_length=40)
    weight = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(10))],
    )

    class Meta:
        verbose_name = _("criterion weight")
        verbose_name_plural = _("criterion weights")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "criterion_id"], name="one_weight")
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}×{self.weight}"


class Workshop(models.Model):
    """A scoring session: participants score blind, the facilitator reveals and records."""

    class Phase(models.TextChoices):
        SCORING = "scoring", _("scoring")
        REVEALED = "revealed", _("revealed")
        CLOSED = "closed", _("closed")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=120)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    phase = models.CharField(max_length=10, choices=Phase, default=Phase.SCORING)
    use_cases = models.ManyToManyField(UseCase, related_name="workshops")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Vote(models.Model):
    """One participant's blind score for one use case and criterion."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="votes")
    use_case = models.ForeignKey(UseCase, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    criterion_id = models.CharField(max_length=40)
    score = models.PositiveSmallIntegerField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("workshop vote")
        verbose_name_plural = _("workshop votes")
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "use_case", "user", "criterion_id"], name="one_vote"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="vote_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}={self.score}"
