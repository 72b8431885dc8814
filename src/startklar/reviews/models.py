"""Quality reviews of AI output: a plan samples the output of one AI system of the register,
reviewers judge the items against the plan's rubric, and a period whose error rate is too high
raises an alert."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from startklar.compliance.models import AISystem
from startklar.organisations.models import Organisation

from . import engine

MAX_OUTPUT = 10_000  # characters of an AI output kept for review
MAX_CONTEXT = 5_000
MAX_ITEMS_PER_PERIOD = 2_000


class Cadence(models.TextChoices):
    WEEKLY = engine.Cadence.WEEKLY, _("weekly")
    MONTHLY = engine.Cadence.MONTHLY, _("monthly")


class Source(models.TextChoices):
    MANUAL = "manual", _("entered by hand")
    CSV = "csv", _("CSV upload")
    API = "api", _("API")


class Severity(models.TextChoices):
    OK = engine.Severity.OK, _("right")
    MINOR = engine.Severity.MINOR, _("minor flaws")
    ERROR = engine.Severity.ERROR, _("wrong")
    CRITICAL = engine.Severity.CRITICAL, _("dangerous")


def validate_rubric(value: object) -> None:
    try:
        engine.parse_rubric(value)
    except engine.RubricError as error:
        raise ValidationError(
            _("This is not a valid rubric (%(problem)s).") % {"problem": error}, code="rubric"
        ) from None


def validate_reasons(value: object) -> None:
    known = {str(reason) for reason in engine.AlertReason}
    if not isinstance(value, list) or not all(isinstance(v, str) and v in known for v in value):
        raise ValidationError(_("These are not reasons of an alert."), code="reasons")


def validate_levels(value: object) -> None:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and len(k) <= 40 and len(v) <= 40
        for k, v in value.items()
    ):
        raise ValidationError(_("This is not a verdict per criterion."), code="levels")


class ReviewPlan(models.Model):
    """How the output of one AI system is reviewed: what is sampled, how often, by whom, how
    exactly, and which error rate is acceptable."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="review_plans"
    )
    ai_system = models.ForeignKey(
        AISystem, on_delete=models.CASCADE, related_name="review_plans", verbose_name=_("AI system")
    )
    title = models.CharField(_("title"), max_length=120)
    sampled = models.TextField(_("what is sampled"), max_length=1000, blank=True)
    source = models.CharField(_("from which source"), max_length=300, blank=True)
    cadence = models.CharField(_("cadence"), max_length=10, choices=Cadence, default=Cadence.WEEKLY)
    items_per_period = models.PositiveIntegerField(
        _("items per period"),
        default=40,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_ITEMS_PER_PERIOD)],
    )
    double_share = models.DecimalField(
        _("share judged twice (%)"),
        max_digits=4,
        decimal_places=1,
        default=Decimal(20),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    margin = models.DecimalField(
        _("wanted precision (± percentage points)"),
        max_digits=4,
        decimal_places=1,
        default=Decimal(5),
        validators=[MinValueValidator(Decimal(1)), MaxValueValidator(Decimal(25))],
    )
    confidence = models.DecimalField(
        _("confidence (%)"),
        max_digits=4,
        decimal_places=1,
        default=Decimal(95),
        validators=[MinValueValidator(Decimal(80)), MaxValueValidator(Decimal("99.9"))],
    )
    expected_rate = models.DecimalField(
        _("expected error rate (%)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    threshold = models.DecimalField(
        _("agreed threshold (max. error rate, %)"),
        max_digits=4,
        decimal_places=1,
        default=Decimal(10),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    baseline_errors = models.PositiveIntegerField(_("baseline: errors"), null=True, blank=True)
    baseline_items = models.PositiveIntegerField(
        _("baseline: items"), null=True, blank=True, validators=[MaxValueValidator(10**7)]
    )
    baseline_note = models.CharField(_("baseline: where from"), max_length=300, blank=True)
    rubric = models.JSONField(_("rubric"), validators=[validate_rubric])
    rubric_version = models.CharField(max_length=20)
    active = models.BooleanField(_("active"), default=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("review plan")
        verbose_name_plural = _("review plans")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(baseline_items__isnull=True)
                | models.Q(baseline_errors__lte=models.F("baseline_items")),
                name="reviewplan_baseline_errors_within_items",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def engine_cadence(self) -> engine.Cadence:
        return engine.Cadence(self.cadence)

    @property
    def baseline(self) -> tuple[int, int] | None:
        if self.baseline_items and self.baseline_errors is not None:
            return (self.baseline_errors, self.baseline_items)
        return None

    @property
    def threshold_share(self) -> float:
        return float(self.threshold) / 100

    @property
    def required(self) -> int:
        """The sample size for the wanted precision at the plan's confidence."""
        expected = 0.5 if self.expected_rate is None else float(self.expected_rate) / 100
        return engine.sample_size(float(self.margin) / 100, float(self.confidence) / 100, expected)

    def parsed_rubric(self) -> engine.Rubric:
        return engine.parse_rubric(self.rubric)


class Reviewer(models.Model):
    """A person who judges a plan's items."""

    plan = models.ForeignKey(ReviewPlan, on_delete=models.CASCADE, related_name="reviewers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("reviewer")
        verbose_name_plural = _("reviewers")
        constraints = [models.UniqueConstraint(fields=["plan", "user"], name="one_reviewer")]

    def __str__(self) -> str:
        return f"{self.plan} · {self.user}"


class ReviewItem(models.Model):
    """One sampled AI output to judge. Its outcome (``error``, ``severity``) is the first
    verdict's, or the owner's where two reviewers disagreed and the owner settled it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(ReviewPlan, on_delete=models.CASCADE, related_name="items")
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    output = models.TextField(_("AI output or link"), max_length=MAX_OUTPUT)
    context = models.TextField(_("input or context"), max_length=MAX_CONTEXT, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source, default=Source.MANUAL)
    sampled_on = models.DateField(_("sampled on"))
    period = models.DateField()  # the first day of the plan's period the item belongs to
    position = models.PositiveIntegerField()  # the n-th item of the plan
    needs_second = models.BooleanField(default=False)  # chosen for double review
    awaiting_second = models.BooleanField(default=False)  # judged once, a second verdict due
    disputed = models.BooleanField(default=False)  # two verdicts disagree, not settled yet
    # The outcome, kept by the services: None until the first verdict.
    error = models.BooleanField(null=True, blank=True)
    severity = models.CharField(max_length=10, choices=Severity, blank=True)
    settled_error = models.BooleanField(null=True, blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    settled_at = models.DateTimeField(null=True, blank=True)
    settled_note = models.CharField(_("note"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["period", "position"]
        verbose_name = _("review item")
        verbose_name_plural = _("review items")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "reference"],
                condition=~models.Q(reference=""),
                name="unique_review_reference",
            ),
            models.UniqueConstraint(fields=["plan", "position"], name="unique_review_position"),
        ]
        indexes = [models.Index(fields=["plan", "period", "error"], name="review_item_period")]

    def __str__(self) -> str:
        return self.reference or f"#{self.position}"


class Verdict(models.Model):
    """One reviewer's judgement of one item: a level per criterion, and what follows from it."""

    item = models.ForeignKey(ReviewItem, on_delete=models.CASCADE, related_name="verdicts")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    levels = models.JSONField(validators=[validate_levels])
    error = models.BooleanField()
    severity = models.CharField(max_length=10, choices=Severity)
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("verdict")
        verbose_name_plural = _("verdicts")
        constraints = [
            models.UniqueConstraint(fields=["item", "reviewer"], name="one_verdict_per_reviewer")
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.severity}"


class ReviewAlert(models.Model):
    """A period whose error rate lay above the threshold with confidence, or rose against the
    baseline; the plan's owner is told by e-mail once."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(ReviewPlan, on_delete=models.CASCADE, related_name="alerts")
    period = models.DateField()
    reasons = models.JSONField(validators=[validate_reasons])
    rate = models.FloatField(validators=[MinValueValidator(0), MaxValueValidator(1)])
    low = models.FloatField(validators=[MinValueValidator(0), MaxValueValidator(1)])
    high = models.FloatField(validators=[MinValueValidator(0), MaxValueValidator(1)])
    items = models.PositiveIntegerField()
    errors = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("measure taken"), max_length=1000, blank=True)

    class Meta:
        ordering = ["-period"]
        verbose_name = _("review alert")
        verbose_name_plural = _("review alerts")
        constraints = [
            models.UniqueConstraint(fields=["plan", "period"], name="one_alert_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.period}"
