"""Assessment rounds, the people who answer them, and their answers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from startklar.organisations.models import Organisation


class Round(models.Model):
    """One run of the readiness check, answered by several people, scored with one bank version."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="readiness_rounds"
    )
    title = models.CharField(_("title"), max_length=120)
    bank_version = models.CharField(_("question bank version"), max_length=20)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # A closed round's result, stored when it is closed and sealed to the round, the engine and
    # the question bank (``stored.py``): the scores the trend shows, and the rest of the result.
    result_scores = models.TextField(_("stored scores"), blank=True, default="", editable=False)
    result_details = models.TextField(
        _("stored result details"), blank=True, default="", editable=False
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Respondent(models.Model):
    """A member asked to answer a round from one perspective.

    When the person deletes their account the answers stay with the round, no longer linked to
    anyone (``user`` empty): the company's picture keeps its data, the person is gone from it.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="respondents")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="readiness_respondents",
    )
    perspective = models.CharField(_("perspective"), max_length=30)
    added_at = models.DateTimeField(_("added"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        ordering = ["round", "perspective", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="one_respondent_per_round")
        ]
        verbose_name = _("respondent")
        verbose_name_plural = _("respondents")

    def __str__(self) -> str:
        return f"{self.display_name} ({self.perspective})"

    @property
    def display_name(self) -> str:
        return self.user.display_name if self.user is not None else str(_("deleted account"))

    @property
    def has_submitted(self) -> bool:
        return self.submitted_at is not None


class Answer(models.Model):
    """A level 1–5, or null for "weiß nicht"."""

    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="answers")
    question_id = models.CharField(max_length=60)
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("readiness answer")
        verbose_name_plural = _("readiness answers")
        constraints = [
            models.UniqueConstraint(
                fields=["respondent", "question_id"], name="one_answer_per_question"
            ),
            models.CheckConstraint(
                condition=models.Q(level__isnull=True) | models.Q(level__gte=1, level__lte=5),
                name="answer_level_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}={self.level}"
