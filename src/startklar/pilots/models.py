"""Pilots of a use case, their KPIs with measurements, gate notes and scale decisions."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from startklar.businesscase.models import LineItem
from startklar.compliance.models import AISystem
from startklar.organisations.models import Membership, Organisation
from startklar.usecases.models import Status, UseCase

from .engine import EPOCH
from .engine import Direction as EngineDirection
from .engine import GateItem as EngineGateItem

# A KPI value: large enough for euros and counts, small enough that nothing overflows a chart.
MAX_VALUE = Decimal("1e12")
DEFAULT_WEEKS = 6  # the seeds recommend four to six weeks


class PilotStatus(models.TextChoices):
    PLANNED = "geplant", _("Planned")
    RUNNING = "laeuft", _("Running")
    EXTENDED = "verlaengert", _("Extended")
    CLOSED = "abgeschlossen", _("Closed")


class Pilot(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    use_case = models.ForeignKey(
        UseCase, on_delete=models.CASCADE, related_name="pilots", verbose_name=_("use case")
    )
    goal = models.TextField(_("goal"), max_length=2000)
    scope = models.TextField(
        _("scope"),
        max_length=2000,
        blank=True,
        help_text=_("Which team, which documents or cases, what is left out."),
    )
    hypotheses = models.TextField(
        _("hypotheses"),
        max_length=4000,
        blank=True,
        help_text=_("What should the pilot show? One per line."),
    )
    start = models.DateField(_("start"))
    planned_end = models.DateField(_("planned end"))
    owner = models.ForeignKey(
        Membership,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("pilot owner"),
    )
    team = models.CharField(_("team"), max_length=300, blank=True)
    ai_systems = models.ManyToManyField(
        AISystem, blank=True, related_name="pilots", verbose_name=_("AI systems")
    )
    status = models.CharField(
        _("status"), max_length=15, choices=PilotStatus, default=PilotStatus.PLANNED
    )
    # Who runs the system once it is scaled (an item of the scale decision).
    operation_owner = models.CharField(_("owner in operation"), max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start", "-pk"]
        verbose_name = _("pilot")
        verbose_name_plural = _("pilots")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_end__gte=models.F("start")),
                name="pilot_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return str(self.use_case)


class Category(models.TextChoices):
    EFFICIENCY = "effizienz", _("Efficiency")
    QUALITY = "qualitaet", _("Quality")
    IMPACT = "wirkung", _("Impact")
    USAGE = "nutzung", _("Usage")


class Direction(models.TextChoices):
    HIGHER = EngineDirection.HIGHER, _("higher is better")
    LOWER = EngineDirection.LOWER, _("lower is better")


class Period(models.TextChoices):
    DAY = "day", _("daily")
    WEEK = "week", _("weekly")
    MONTH = "month", _("monthly")


def _value_field(verbose_name: StrOrPromise, **kwargs: Any) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=18,
        decimal_places=4,
        validators=[MinValueValidator(-MAX_VALUE), MaxValueValidator(MAX_VALUE)],
        **kwargs,
    )


class Kpi(models.Model):
    """A key figure of a pilot, measured per period against its baseline and target."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField(_("name"), max_length=160)
    category = models.CharField(_("category"), max_length=12, choices=Category)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    direction = models.CharField(_("direction"), max_length=6, choices=Direction)
    period = models.CharField(_("measured"), max_length=5, choices=Period, default=Period.WEEK)
    baseline_value = _value_field(_("baseline"))
    baseline_date = models.DateField(_("baseline measured on"))
    baseline_method = models.CharField(
        _("how the baseline was measured"), max_length=300, blank=True
    )
    target_value = _value_field(_("target"))
    target_date = models.DateField(_("target date"))
    # Where the KPI came from: the catalogue's typical KPIs ("catalogue"), the use case's
    # measurable goal ("goal") or a person ("" – entered).
    proposed_from = models.CharField(max_length=10, blank=True)
    # Money: a KPI mapped to a benefit line of the business case turns its improvement over
    # the baseline into euros per month – improvement × volume per month × euros per unit
    # (e.g. minutes saved per invoice × invoices per month × euros per minute).
    benefit_item = models.ForeignKey(
        LineItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("benefit line of the business case"),
    )
    benefit_volume = models.DecimalField(
        _("cases per month"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(10_000_000))],
    )
    benefit_rate = models.DecimalField(
        _("euros per unit of improvement"),
        max_digits=12,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1_000_000))],
    )
    # The sums of its measurements the dashboard and the gate read (count, Σx, Σx², Σy, Σxy,
    # Σy² with x = ``Measurement.day``, first and last period, latest value), worked out again
    # by the services after every change of its measurements (``dashboard.compute``).
    figures = models.JSONField(default=dict, blank=True, editable=False)
    # A KPI that misses its target may still let the pilot scale for a documented reason.
    waiver = models.CharField(_("reason to scale despite the target"), max_length=500, blank=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        constraints = [
            models.UniqueConstraint(fields=["pilot", "name"], name="unique_kpi_name"),
            models.CheckConstraint(
                condition=~models.Q(baseline_value=models.F("target_value")),
                name="kpi_target_differs",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Source(models.TextChoices):
    MANUAL = "manual", _("entered")
    IMPORT = "import", _("imported")
    API = "api", _("API")


class Measurement(models.Model):
    """The value of a KPI in one period (day, week from Monday or month from the 1st)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="measurements")
    period = models.DateField(_("period"))
    # The period as days from 2000-01-01 (``engine.EPOCH``): the dashboard adds these up for
    # the trend of thousands of measurements without a date function per row.
    day = models.IntegerField(editable=False)
    value = _value_field(_("value"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    source = models.CharField(max_length=6, choices=Source, default=Source.MANUAL)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The organisation's API token that sent it (``organisations.ApiToken``), by its name.
    token_name = models.CharField(max_length=120, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["period", "pk"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = [
            models.UniqueConstraint(fields=["kpi", "period"], name="one_measurement_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.kpi} {self.period:%Y-%m-%d}: {self.value}"

    @staticmethod
    def day_of(period: datetime.date) -> int:
        return (period - EPOCH).days


class GateItem(models.TextChoices):
    """The evidence the scale decision asks for (``engine.gate`` says how each is met)."""

    KPIS = EngineGateItem.KPIS, _("KPIs at target")
    ERROR_RATE = EngineGateItem.ERROR_RATE, _("Error rate under the threshold")
    BUSINESS_CASE = EngineGateItem.BUSINESS_CASE, _("Business case: actual against plan")
    AI_ACT = EngineGateItem.AI_ACT, _("AI Act classification and duties")
    DPIA = EngineGateItem.DPIA, _("Data protection impact assessment")
    DPA = EngineGateItem.DPA, _("Data-processing agreement")
    LITERACY = EngineGateItem.LITERACY, _("AI literacy of every user")
    OPERATION_OWNER = EngineGateItem.OPERATION_OWNER, _("Owner in operation")
    USAGE_POLICY = EngineGateItem.USAGE_POLICY, _("Usage policy acknowledged")


class GateNote(models.Model):
    """What a person confirms or documents for one item of the gate (e.g. "duties addressed:
    transparency notice live since 03.11.", "usage policy signed by all 6 users")."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="gate_notes")
    item = models.CharField(max_length=20, choices=GateItem)
    text = models.CharField(_("note"), max_length=500)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("gate note")
        verbose_name_plural = _("gate notes")
        constraints = [models.UniqueConstraint(fields=["pilot", "item"], name="one_note_per_item")]

    def __str__(self) -> str:
        return f"{self.item}: {self.text}"


class Outcome(models.TextChoices):
    GO = "go", _("Scale")
    EXTEND = "extend", _("Extend the pilot")
    STOP = "stop", _("Stop")


class ScaleDecision(models.Model):
    """The decision on a pilot: go, extend or stop, with the evidence as it stood."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(_("decision"), max_length=6, choices=Outcome)
    rationale = models.TextField(_("rationale"), max_length=4000)
    # Go although items were open: an owner's override, with the open items as they stood.
    override = models.BooleanField(default=False)
    open_items = models.JSONField(default=list, blank=True)
    # For "go": the use case's new status (scaling or in operation).
    to_status = models.CharField(max_length=20, choices=Status, blank=True)
    # For "extend": the new planned end.
    new_end = models.DateField(_("new planned end"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        verbose_name = _("scale decision")
        verbose_name_plural = _("scale decisions")

    def __str__(self) -> str:
        return f"{self.pilot}: {self.outcome}"
