"""Business cases of use cases: settings, line items with three-point factors, actual values
and the make/buy/partner decision."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from startklar.organisations.models import Organisation
from startklar.usecases.engine.catalogue import ImplementationPath
from startklar.usecases.labels import PATHS
from startklar.usecases.models import UseCase

from .engine import ItemKind

# A business case starts in a month a plan can mean; with a horizon of up to 240 months its last
# month stays far inside what dates can hold (a start in the year 9999 broke every page).
FIRST_START = datetime.date(2000, 1, 1)
LAST_START = datetime.date(2099, 12, 1)

MAX_VALUE = Decimal(10**12)


class Kind(models.TextChoices):
    ONE_OFF = ItemKind.ONE_OFF, _("One-off cost")
    MONTHLY = ItemKind.MONTHLY, _("Monthly cost")
    INTERNAL_HOURS = ItemKind.INTERNAL_HOURS, _("Internal hours per month")
    TIME_SAVING = ItemKind.TIME_SAVING, _("Time saved")
    ERROR_AVOIDANCE = ItemKind.ERROR_AVOIDANCE, _("Errors avoided")
    EXTRA_REVENUE = ItemKind.EXTRA_REVENUE, _("Extra revenue")
    OTHER_SAVING = ItemKind.OTHER_SAVING, _("Other avoided costs")


class Option(models.TextChoices):
    """The make/buy/partner decision: the use-case catalogue's implementation paths."""

    MAKE = ImplementationPath.MAKE, PATHS[ImplementationPath.MAKE]
    BUY = ImplementationPath.BUY, PATHS[ImplementationPath.BUY]
    PARTNER = ImplementationPath.PARTNER, PATHS[ImplementationPath.PARTNER]


class BusinessCase(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="business_cases"
    )
    use_case = models.OneToOneField(UseCase, on_delete=models.CASCADE, related_name="business_case")
    horizon = models.PositiveSmallIntegerField(
        _("horizon (months)"), default=36, validators=[MinValueValidator(1), MaxValueValidator(240)]
    )
    discount_rate = models.DecimalField(
        _("discount rate (% per year)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(8),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(50))],
    )
    start = models.DateField(
        _("start month"),
        validators=[MinValueValidator(FIRST_START), MaxValueValidator(LAST_START)],
    )
    # Months after the start until the system is live; benefits follow it (0: live at once).
    go_live = models.PositiveSmallIntegerField(
        _("go-live (months after the start)"), default=0, validators=[MaxValueValidator(239)]
    )
    ramp_low = models.DecimalField(max_digits=5, decimal_places=1, default=Decimal(0))
    ramp_likely = models.DecimalField(max_digits=5, decimal_places=1, default=Decimal(0))
    ramp_high = models.DecimalField(max_digits=5, decimal_places=1, default=Decimal(0))
    decision = models.CharField(_("decision"), max_length=10, choices=Option, blank=True)
    decision_rationale = models.TextField(_("rationale"), max_length=2000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("business case")
        verbose_name_plural = _("business cases")

    def __str__(self) -> str:
        return str(self.use_case)


class LineItem(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    business_case = models.ForeignKey(BusinessCase, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    name = models.CharField(_("name"), max_length=120)
    note = models.CharField(_("source or note"), max_length=300, blank=True)
    assumption = models.BooleanField(
        _("assumption to replace"), default=False, help_text=_("Starting value from the catalogue.")
    )
    # A built-in name (catalogue starting values, cost templates) is shown in the reader's
    # language; renaming the item clears it. See ``queries.item_name``.
    label_key = models.CharField(max_length=60, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("line item")
        verbose_name_plural = _("line items")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["business_case", "name"], name="unique_item_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_benefit(self) -> bool:
        return ItemKind(self.kind).is_benefit


class Factor(models.Model):
    """One three-point estimate of a line item (e.g. minutes saved per case)."""

    item = models.ForeignKey(LineItem, on_delete=models.CASCADE, related_name="factors")
    key = models.CharField(max_length=20)
    low = models.DecimalField(max_digits=18, decimal_places=4)
    likely = models.DecimalField(max_digits=18, decimal_places=4)
    high = models.DecimalField(max_digits=18, decimal_places=4)

    class Meta:
        verbose_name = _("estimate")
        verbose_name_plural = _("estimates")
        constraints = [
            models.UniqueConstraint(fields=["item", "key"], name="one_factor"),
            models.CheckConstraint(
                condition=models.Q(low__lte=models.F("likely"), likely__lte=models.F("high")),
                name="ordered_estimate",
            ),
            models.CheckConstraint(condition=models.Q(low__gte=0), name="non_negative_estimate"),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.low}/{self.likely}/{self.high}"


class Actual(models.Model):
    """A realised monthly value (EUR) of a benefit item, for plan against actual."""

    item = models.ForeignKey(LineItem, on_delete=models.CASCADE, related_name="actuals")
    month = models.DateField()
    value = models.DecimalField(
        max_digits=15,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(-MAX_VALUE)), MaxValueValidator(MAX_VALUE)],
    )

    class Meta:
        verbose_name = _("actual value")
        verbose_name_plural = _("actual values")
        ordering = ["month"]
        constraints = [models.UniqueConstraint(fields=["item", "month"], name="one_actual")]

    def __str__(self) -> str:
        return f"{self.item} {self.month:%Y-%m}: {self.value}"


class Answer(models.Model):
    """An answer 1–5 of the make/buy/partner questionnaire, with the questionnaire's version."""

    business_case = models.ForeignKey(
        BusinessCase, on_delete=models.CASCADE, related_name="answers"
    )
    criterion_id = models.CharField(max_length=40)
    value = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    # Set by ``services.answer``; answers from before the version was stored (and archives made
    # then) were given with 2026.1, the only version there was.
    questionnaire_version = models.CharField(max_length=20, default="2026.1")

    class Meta:
        verbose_name = _("make/buy/partner answer")
        verbose_name_plural = _("make/buy/partner answers")
        constraints = [
            models.UniqueConstraint(fields=["business_case", "criterion_id"], name="one_mbp_answer")
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}={self.value}"


class StoredSummary(models.Model):
    """A case's figures (``queries.Summary``) under the fingerprint of everything they depend
    on: the inputs, the number of draws and the engine's version (``queries.fingerprint``).

    The simulation is seeded, so the same inputs always give the same figures: a list of
    cases reads them here instead of simulating every case on every request, in every worker.
    The fingerprint names no case and no organisation, so the row belongs to none; figures no
    case needs any more are removed by the housekeeping."""

    key = models.CharField(max_length=64, primary_key=True)
    figures = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stored business-case figures")
        verbose_name_plural = _("stored business-case figures")

    def __str__(self) -> str:
        return self.key
