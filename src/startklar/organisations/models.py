"""Organisations (the tenants), memberships with roles, and invitations."""

from __future__ import annotations

from datetime import datetime
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
    require_two_factor = models.BooleanField(
        _("require two-factor sign-in"),
        default=False,
        help_text=_("Members must confirm their sign-in with a code from an authenticator app."),
    )
    # Deletion is requested by an owner and carried out by the worker after a grace period.
    deletion_requested_at = models.DateTimeField(null=True, blank=True)
    deletion_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    deletion_due_at = models.DateTimeField(null=True, blank=True)

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


class TokenScope(models.TextChoices):
    """What an API token may do; writing includes reading."""

    READ = "read", _("Read")
    WRITE = "write", _("Read and write")


class ApiToken(models.Model):
    """An organisation's access for another program (ERP, CRM, ticket system) to the JSON API.

    The secret is shown once when the token is created; only its SHA-256 hash is stored (the
    secret is random with 256 bits, so a plain hash is enough, as for invitation links). The
    prefix – the first characters after ``sk_`` – lets people recognise a token in the list.
    A token acts with its creator's membership: it works while the creator is an owner or
    editor of the organisation and stops when they are not (``organisations.tokens``).
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “DATEV export” or “ticket system”."),
    )
    scope = models.CharField(
        _("rights"), max_length=10, choices=TokenScope, default=TokenScope.READ
    )
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("begins with"), max_length=16)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} (sk_{self.prefix}…)"

    @property
    def scope_enum(self) -> TokenScope:
        return TokenScope(self.scope)


class AuditAction(models.TextChoices):
    """What an entry of the audit log records. Features use the generic verbs (created,
    changed, deleted, exported …) with the object they acted on."""

    SIGNED_IN = "signed_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
    TWO_FACTOR = "two_factor", _("Two-factor sign-in changed")
    CREATED = "created", _("Created")
    CHANGED = "changed", _("Changed")
    DELETED = "deleted", _("Deleted")
    STATUS_CHANGED = "status_changed", _("Status changed")
    DECIDED = "decided", _("Decided")
    ASSESSED = "assessed", _("Compliance result")
    EXPORTED = "exported", _("Exported")
    IMPORTED = "imported", _("Imported")
    INVITED = "invited", _("Invited")
    INVITATION_REVOKED = "invitation_revoked", _("Invitation revoked")
    JOINED = "joined", _("Joined")
    ROLE_CHANGED = "role_changed", _("Role changed")
    MEMBER_REMOVED = "member_removed", _("Member removed")
    LEFT = "left", _("Left the organisation")
    API_TOKEN_CREATED = "api_token_created", _("API token created")
    API_TOKEN_REVOKED = "api_token_revoked", _("API token revoked")
    DELETION_REQUESTED = "deletion_requested", _("Deletion of the organisation requested")
    DELETION_CANCELLED = "deletion_cancelled", _("Deletion of the organisation cancelled")
    ORGANISATION_DELETED = "organisation_deleted", _("Organisation deleted")


def _now() -> datetime:
    """``timezone.now()``, looked up at each call (so a frozen clock in tests applies)."""
    return timezone.now()


class AuditEvent(models.Model):
    """One entry of an organisation's audit log: who did what when.

    Written by the service that makes the change, in the same transaction. The summary is
    rendered when the entry is written, in every language of the interface, so the log reads
    the same later even if labels or the object change. ``organisation`` is empty only for the
    one entry that outlives a deleted organisation.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    at = models.DateTimeField(_("when"), default=_now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("who"), max_length=300, blank=True)
    action = models.CharField(_("what"), max_length=30, choices=AuditAction)
    object_type = models.CharField(max_length=100, blank=True)  # app_label.model_name
    object_id = models.BigIntegerField(null=True, blank=True)
    object_label = models.CharField(_("object"), max_length=300, blank=True)
    summary = models.JSONField(default=dict, blank=True)  # {"de": "…", "en": "…"}
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-at"])]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_label}"
