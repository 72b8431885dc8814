"""Compliance: assessments of use cases and AI systems, the AI register, AI literacy records and
the organisation's data-protection facts."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from startklar.organisations.models import Membership, Organisation
from startklar.usecases.models import UseCase

from .engine import DpiaVerdict, RiskLabel


class Capability(models.TextChoices):
    CHAT_ASSISTANT = "chat_assistant", _("Chat assistant")
    CODING = "coding", _("Coding assistant")
    WRITING = "writing", _("Writing and text")
    TRANSCRIPTION = "transcription", _("Transcription and meeting notes")
    TRANSLATION = "translation", _("Translation")
    IMAGES = "images", _("Image generation")
    DOCUMENTS = "documents", _("Document extraction")
    SEARCH = "search", _("Knowledge search")
    CHATBOT = "chatbot", _("Customer chatbot")
    RECRUITING = "recruiting", _("Recruiting")
    FORECASTING = "forecasting", _("Forecasting and planning")
    MAINTENANCE = "maintenance", _("Predictive maintenance")
    VISION = "vision", _("Visual inspection")
    OTHER = "other", _("Other")


class Hosting(models.TextChoices):
    SAAS_EU = "saas_eu", _("Cloud service, data in the EU")
    SAAS_NON_EU = "saas_non_eu", _("Cloud service, data outside the EU")
    OWN_CLOUD = "own_cloud", _("Own cloud environment")
    ON_PREMISE = "on_premise", _("Own servers")
    EMBEDDED = "embedded", _("Part of another product (ERP, CRM …)")


class SystemStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_USE = "in_use", _("in use")
    RETIRED = "retired", _("retired")


class DpiaStatus(models.TextChoices):
    OPEN = "open", _("not yet checked")
    NOT_NEEDED = "not_needed", _("not required")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")


class DpaStatus(models.TextChoices):
    """Data-processing agreement (Auftragsverarbeitungsvertrag, Art. 28 GDPR)."""

    NOT_NEEDED = "not_needed", _("not needed")
    MISSING = "missing", _("missing")
    REQUESTED = "requested", _("requested")
    SIGNED = "signed", _("signed")


class AISystem(models.Model):
    """An entry of the AI register (KI-Verzeichnis)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="ai_systems"
    )
    name = models.CharField(_("name"), max_length=120)
    owner = models.CharField(_("responsible person"), max_length=120)
    purpose = models.CharField(_("purpose"), max_length=300)
    vendor = models.CharField(_("vendor"), max_length=120, blank=True)
    capability = models.CharField(_("capability"), max_length=20, choices=Capability)
    hosting = models.CharField(_("hosting"), max_length=20, choices=Hosting)
    data_location = models.CharField(_("data location"), max_length=120, blank=True)
    personal_data = models.CharField(_("personal data categories"), max_length=300, blank=True)
    use_cases = models.ManyToManyField(
        UseCase, blank=True, related_name="ai_systems", verbose_name=_("use cases")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SystemStatus, default=SystemStatus.IN_USE
    )
    dpia_status = models.CharField(
        _("DPIA"), max_length=12, choices=DpiaStatus, default=DpiaStatus.OPEN
    )
    dpa_status = models.CharField(
        _("data-processing agreement"), max_length=10, choices=DpaStatus, default=DpaStatus.MISSING
    )
    next_review = models.DateField(_("next review"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("AI system")
        verbose_name_plural = _("AI systems")

    def __str__(self) -> str:
        return self.name


def validate_labels(value: object) -> None:
    """A stored AI Act result is a list of the engine's labels (``RiskLabel`` values)."""
    known = {str(label) for label in RiskLabel}
    if not isinstance(value, list) or not all(isinstance(v, str) and v in known for v in value):
        raise ValidationError(
            _("This is not a result of the AI Act classification."), code="invalid_labels"
        )


def validate_verdict(value: str) -> None:
    """A stored GDPR result is one of the engine's verdicts (``DpiaVerdict`` values)."""
    if value not in {str(verdict) for verdict in DpiaVerdict}:
        raise ValidationError(_("This is not a result of the GDPR check."), code="invalid_verdict")


class Assessment(models.Model):
    """The AI Act and GDPR questionnaire of one use case or one AI system."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    use_case = models.OneToOneField(
        UseCase, null=True, blank=True, on_delete=models.CASCADE, related_name="assessment"
    )
    ai_system = models.OneToOneField(
        AISystem, null=True, blank=True, on_delete=models.CASCADE, related_name="assessment"
    )
    rules_version = models.CharField(max_length=20)
    answers = models.JSONField(default=dict)
    # The result when last answered (values of the engine's RiskLabel and DpiaVerdict), stored by
    # the services with every change of the answers and read by the lists; read them as
    # ``risk_labels`` and ``verdict``.
    labels = models.JSONField(default=list, validators=[validate_labels])
    gdpr_verdict = models.CharField(max_length=30, blank=True, validators=[validate_verdict])
    # Every question the answers lead to is answered ("don't know" counts, hidden ones do not).
    answered = models.BooleanField(default=False)
    # What the stored result was worked out with (``content.results_key``: the engine's revision
    # and the rule base's hash); under another key it is worked out afresh where it is read.
    results_key = models.CharField(max_length=40, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("classification")
        verbose_name_plural = _("classifications")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(use_case__isnull=False, ai_system__isnull=True)
                | models.Q(use_case__isnull=True, ai_system__isnull=False),
                name="assessment_of_one_thing",
            )
        ]

    def __str__(self) -> str:
        return str(self.use_case or self.ai_system)

    @property
    def subject(self) -> UseCase | AISystem:
        found = self.use_case or self.ai_system
        assert found is not None
        return found

    @property
    def risk_labels(self) -> tuple[RiskLabel, ...]:
        return tuple(RiskLabel(label) for label in self.labels or ())

    @property
    def verdict(self) -> DpiaVerdict | None:
        """None until the questionnaire was answered."""
        return DpiaVerdict(self.gdpr_verdict) if self.gdpr_verdict else None


class RoleLevel(models.TextChoices):
    MANAGEMENT = "management", _("Management")
    DEPARTMENT_HEAD = "department_head", _("Department heads")
    USER = "user", _("Users")
    CHAMPION = "champion", _("AI champions")


class Person(models.Model):
    """Someone whose AI literacy is recorded (with or without a Startklar account)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    role_level = models.CharField(_("role level"), max_length=20, choices=RoleLevel)
    department = models.CharField(_("department"), max_length=120, blank=True)
    member = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ai_systems = models.ManyToManyField(
        AISystem, blank=True, related_name="users", verbose_name=_("AI systems used")
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name


class TrainingRecord(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="records")
    measure = models.CharField(_("measure"), max_length=200)
    date = models.DateField(_("date"))
    evidence = models.CharField(
        _("evidence"), max_length=300, help_text=_("e.g. certificate, attendance list, link")
    )
    ai_system = models.ForeignKey(
        AISystem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trainings",
        verbose_name=_("for AI system"),
    )

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["-date", "pk"]

    def __str__(self) -> str:
        return f"{self.person}: {self.measure}"


class DpoKind(models.TextChoices):
    INTERNAL = "internal", _("internal")
    EXTERNAL = "external", _("external")


PHONE_CHARACTERS = re.compile(r"\+?[0-9 ()/.\-]+")
PHONE_MAX_LENGTH = 40


def validate_phone(value: str) -> None:
    """Digits with the usual separators (``+49 711 555-0142``, ``(0711) 555 01 42``), at least
    five digits. Plain text on purpose: the phonenumbers package is not a dependency."""
    if len(value) > PHONE_MAX_LENGTH:
        return  # the length check says so
    if not PHONE_CHARACTERS.fullmatch(value) or sum(c.isdigit() for c in value) < 5:
        raise ValidationError(
            _("Please enter a phone number with digits, e.g. +49 711 555-0142."),
            code="invalid_phone",
        )


class PrivacyFacts(models.Model):
    """What decides whether a data protection officer is mandatory (§ 38 BDSG, Art. 37 GDPR),
    and who the organisation's data protection officer is."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="privacy_facts"
    )
    people_processing = models.PositiveIntegerField(
        _("people regularly processing personal data by computer"),
        default=0,
        validators=[MaxValueValidator(1_000_000), MinValueValidator(0)],
    )
    commercial_transfer = models.BooleanField(
        _("personal data processed commercially for transfer or market research"), default=False
    )
    core_monitoring = models.BooleanField(
        _("core activity: large-scale regular monitoring of people"), default=False
    )
    core_special_categories = models.BooleanField(
        _("core activity: large-scale special-category data"), default=False
    )
    works_council = models.BooleanField(_("there is a works council"), default=False)
    facts_saved_at = models.DateTimeField(null=True, blank=True, editable=False)
    dpo_name = models.CharField(_("name"), max_length=120, blank=True)
    dpo_kind = models.CharField(
        _("internal or external"), max_length=10, choices=DpoKind, blank=True
    )
    dpo_email = models.EmailField(_("e-mail"), max_length=254, blank=True)
    dpo_phone = models.CharField(
        _("phone"), max_length=PHONE_MAX_LENGTH, blank=True, validators=[validate_phone]
    )
    dpo_appointed = models.DateField(_("appointed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("data protection details")
        verbose_name_plural = _("data protection details")

    def __str__(self) -> str:
        return f"{self.organisation}"

    @property
    def dpo_named(self) -> bool:
        return bool(self.dpo_name.strip())

    @property
    def dpo_phone_link(self) -> str:
        """The phone number for a ``tel:`` link: the leading plus and the digits (``+49 (0) 711``
        becomes ``+49711``)."""
        number = self.dpo_phone.replace("(0)", "").strip()
        digits = "".join(c for c in number if c.isdigit())
        return f"+{digits}" if number.startswith("+") else digits
