"""Data sources of an organisation (an ERP export, an Excel list), the checks of files uploaded
for them, and the answers to the prerequisites a file cannot show.

Privacy by default: an uploaded file is kept only until it is profiled, as parts in the database
(``UploadPart``; the app servers and workers share nothing but the database), and deleted then,
whether the check succeeded or not. A check keeps only the profile: counts and aggregates, and
no values at all of a column that holds personal data.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from startklar.organisations.models import Organisation
from startklar.usecases.models import UseCase


class Status(models.TextChoices):
    QUEUED = "queued", _("waiting for the worker")
    RUNNING = "running", _("being checked")
    DONE = "done", _("checked")
    FAILED = "failed", _("failed")


UNDER_WAY = (Status.QUEUED, Status.RUNNING)


class DataSource(models.Model):
    """Where data comes from, e.g. "ERP-Verkaufsexport": its checks show how it improves."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    use_cases = models.ManyToManyField(
        UseCase,
        blank=True,
        related_name="+",
        verbose_name=_("use cases it is meant for"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("data source")
        verbose_name_plural = _("data sources")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class DataCheck(models.Model):
    """One uploaded file of a source, profiled by the worker."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    source = models.ForeignKey(
        DataSource, on_delete=models.CASCADE, related_name="checks", verbose_name=_("data source")
    )
    file_name = models.CharField(_("file"), max_length=255)
    size = models.BigIntegerField(_("size (bytes)"), default=0)
    sheet = models.CharField(_("sheet"), max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    # Why it failed: the engine's code (e.g. "empty", "binary"), worded by labels.FAILURES.
    failure = models.CharField(max_length=40, blank=True, default="")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The engine's Profile.to_dict(): counts and aggregates only (see the module's docstring).
    profile = models.JSONField(null=True, blank=True)
    engine_version = models.CharField(max_length=20, blank=True)
    content_version = models.CharField(max_length=20, blank=True)  # the detectors' vocabulary

    class Meta:
        verbose_name = _("data check")
        verbose_name_plural = _("data checks")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name


class UploadPart(models.Model):
    """A piece of an uploaded file until the worker has profiled it (then deleted)."""

    in_archive = False  # organisations.archive: a file waiting for its check is not data kept

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    data_check = models.ForeignKey(DataCheck, on_delete=models.CASCADE, related_name="parts")
    index = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        verbose_name = _("part of an uploaded file")
        verbose_name_plural = _("parts of uploaded files")
        constraints = [
            models.UniqueConstraint(fields=["data_check", "index"], name="datacheck_part_once")
        ]

    def __str__(self) -> str:
        return f"{self.data_check_id}:{self.index}"


class Answer(models.Model):
    """The answer to a prerequisite of a use case that a file cannot show (e.g. "at least 200
    sample documents?")."""

    class Choice(models.TextChoices):
        YES = "yes", _("yes")
        NO = "no", _("no")
        UNKNOWN = "unknown", _("don't know")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    use_case = models.ForeignKey(UseCase, on_delete=models.CASCADE, related_name="+")
    rule_key = models.CharField(max_length=80)
    answer = models.CharField(max_length=10, choices=Choice.choices)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("answer on the data")
        verbose_name_plural = _("answers on the data")
        constraints = [
            models.UniqueConstraint(fields=["use_case", "rule_key"], name="datacheck_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.rule_key}: {self.answer}"
