"""The roadmap: items with owner, dates, effort and dependencies, accepted from a proposal that
is worked out from everything Startklar knows (or added by hand), and each member's calendar."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from startklar.organisations.models import Membership, Organisation

MAX_EFFORT = Decimal("10000")  # person-days
MAX_MONEY = Decimal("1e10")


class Kind(models.TextChoices):
    """What an item is; the values are the engine's ``Kind``."""

    ACTION = "action", _("First step")
    DATA = "data", _("Data prerequisites")
    PILOT = "pilot", _("Pilot")
    DECISION = "decision", _("Scale decision")
    ROLLOUT = "rollout", _("Rollout")
    COMPLIANCE = "compliance", _("Compliance")
    LITERACY = "literacy", _("AI literacy")
    WORKS_COUNCIL = "works_council", _("Works council")
    COMPETENCE = "competence", _("Competence")
    OTHER = "other", _("Other")


class Settings(models.Model):
    """What the proposal plans with: the first day, the team's time and the money per year."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="roadmap_settings"
    )
    start = models.DateField(_("roadmap starts on"))
    capacity = models.DecimalField(
        _("capacity (person-days per month)"),
        max_digits=7,
        decimal_places=1,
        default=Decimal(10),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal(5000))],
        help_text=_("How many days a month the company's people can give to AI work in total."),
    )
    budget = models.DecimalField(
        _("budget per year (EUR)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(MAX_MONEY)],
        help_text=_("Leave empty when money is not the limit."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("roadmap settings")
        verbose_name_plural = _("roadmap settings")

    def __str__(self) -> str:
        return str(_("Roadmap settings"))


class Item(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=200)
    why = models.TextField(_("why it is there"), max_length=2000, blank=True)
    # Where a proposal came from ("usecase:12:pilot"); empty for an item added by hand.
    source_key = models.CharField(max_length=120, blank=True)
    owner = models.ForeignKey(
        Membership,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner"),
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    effort = models.DecimalField(
        _("effort (person-days)"),
        max_digits=7,
        decimal_places=1,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(MAX_EFFORT)],
    )
    cost = models.DecimalField(
        _("cost (EUR)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(MAX_MONEY)],
    )
    milestone = models.BooleanField(_("milestone"), default=False)
    deadline = models.DateField(_("legal deadline"), null=True, blank=True)
    depends_on = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="dependents",
        verbose_name=_("depends on"),
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start", "end", "pk"]
        verbose_name = _("roadmap item")
        verbose_name_plural = _("roadmap items")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "source_key"],
                condition=~models.Q(source_key=""),
                name="roadmap_item_source_once",
            ),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="roadmap_item_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: datetime.date) -> bool:
        return self.done_on is None and self.end < today


class Dismissal(models.Model):
    """A proposal the company does not want: not proposed again until taken back."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    source_key = models.CharField(max_length=120)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    dismissed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dismissed proposal")
        verbose_name_plural = _("dismissed proposals")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "source_key"], name="roadmap_dismissal_once"
            )
        ]

    def __str__(self) -> str:
        return self.source_key


class CalendarFeed(models.Model):
    """A member's subscribable calendar: a secret address, stored only as its hash (and, like
    API tokens, not carried in the organisation's archive)."""

    in_archive = False

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return str(_("Calendar of %(member)s") % {"member": self.member})


class DigestSetting(models.Model):
    """A member's choice about the weekly e-mail of their roadmap items (``digest.py``): whether
    they want it and in which language. Without a row they get it, in the installation's
    language. Not carried in the organisation's archive: it belongs to a membership, and
    memberships are not taken over on import."""

    in_archive = False

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    member = models.OneToOneField(Membership, on_delete=models.CASCADE, related_name="+")
    wanted = models.BooleanField(_("weekly e-mail of my roadmap items"), default=True)
    language = models.CharField(_("language of the e-mail"), max_length=8, blank=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("roadmap e-mail setting")
        verbose_name_plural = _("roadmap e-mail settings")

    def __str__(self) -> str:
        return str(_("Weekly e-mail wanted") if self.wanted else _("No weekly e-mail"))


class DigestSent(models.Model):
    """The weekly e-mail of a member's roadmap items, once per week: the row is written before
    the mail is queued, and the constraint refuses a second one for the same week (two workers
    at the same moment). ``mailed_at``: when a worker took it on; a task delivered twice finds
    it set and sends nothing. Not archived: a log of e-mails, which belong to where they went."""

    in_archive = False

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    week = models.DateField()  # the Monday of the week, in the installation's time zone
    created_at = models.DateTimeField(auto_now_add=True)
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("weekly roadmap e-mail")
        verbose_name_plural = _("weekly roadmap e-mails")
        constraints = [
            models.UniqueConstraint(fields=["member", "week"], name="roadmap_digest_once_a_week")
        ]

    def __str__(self) -> str:
        return str(_("Weekly e-mail of %(week)s") % {"week": self.week.isoformat()})
