"""Organisations (the tenants), memberships with roles, and invitations."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import engine

MAX_HEADCOUNT = 1_000_000
MAX_AMOUNT_EUR = Decimal(1_000_000_000_000)  # one trillion euros: far above any real company


class NaceSection(models.TextChoices):
    """Sections of the German classification of economic activities (WZ 2008 = NACE Rev. 2)."""

    A = "A", _("A – Agriculture, forestry and fishing")
    B = "B", _("B – Mining and quarrying")
    C = "C", _("C – Manufacturing")
    D = "D", _("D – Electricity, gas, steam and air conditioning supply")
    E = "E", _("E – Water supply, sewerage, waste management and remediation")
    F = "F", _("F – Construction")
    G = "G", _("G – Wholesale and retail trade, repair of motor vehicles")
    H = "H", _("H – Transportation and storage")
    I = "I", _("I – Accommodation and food service activities")  # noqa: E741
    J = "J", _("J – Information and communication")
    K = "K", _("K – Financial and insurance activities")
    L = "L", _("L – Real estate activities")
    M = "M", _("M – Professional, scientific and technical activities")
    N = "N", _("N – Administrative and support service activities")
    O = "O", _("O – Public administration and defence, compulsory social security")  # noqa: E741
    P = "P", _("P – Education")
    Q = "Q", _("Q – Human health and social work activities")
    R = "R", _("R – Arts, entertainment and recreation")
    S = "S", _("S – Other service activities")
    T = "T", _("T – Activities of households as employers")
    U = "U", _("U – Activities of extraterritorial organisations and bodies")


SIZE_CLASS_LABELS = {
    engine.SizeClass.MICRO: _("Micro enterprise"),
    engine.SizeClass.SMALL: _("Small enterprise"),
    engine.SizeClass.MEDIUM: _("Medium-sized enterprise"),
    engine.SizeClass.LARGE: _("Large enterprise"),
}


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in URLs"), max_length=60, unique=True)
    industry = models.CharField(_("industry (WZ 2008 section)"), max_length=1, choices=NaceSection)
    headcount = models.PositiveIntegerField(
        _("staff headcount"), validators=[MaxValueValidator(MAX_HEADCOUNT)]
    )
    annual_turnover = models.DecimalField(
        _("annual turnover (EUR)"),
        max_digits=15,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(MAX_AMOUNT_EUR)],
    )
    balance_sheet_total = models.DecimalField(
        _("balance-sheet total (EUR)"),
        max_digits=15,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(MAX_AMOUNT_EUR)],
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def size(self) -> engine.SizeAssessment:
        return engine.classify(
            engine.CompanyFigures(
                headcount=self.headcount,
                annual_turnover_eur=self.annual_turnover,
                balance_sheet_total_eur=self.balance_sheet_total,
            )
        )

    @property
    def size_class_label(self) -> str:
        return str(SIZE_CLASS_LABELS[self.size.size_class])


class Role(models.TextChoices):
    """Roles in ascending order of rights; each role can do what the ones before it can."""

    VIEWER = "viewer", _("Viewer")
    EDITOR = "editor", _("Editor")
    OWNER = "owner", _("Owner")

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def at_least(self, other: Role) -> bool:
        return self.rank >= other.rank


class Membership(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role, default=Role.VIEWER)
    created_at = models.DateTimeField(_("member since"), auto_now_add=True)

    class Meta:
        ordering = ["organisation", "user__full_name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="one_membership_per_user")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"

    @property
    def role_enum(self) -> Role:
        return Role(self.role)


class Invitation(models.Model):
    """A tokenised link to join an organisation. Only a hash of the token is stored."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=10, choices=Role, default=Role.EDITOR)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("invited"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and not self.is_expired
