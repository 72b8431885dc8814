"""A management report requested for an organisation: its run through the worker and, once
done, the PDF itself.

The PDF is kept in the database (a ``BinaryField``), not as a file under the var folder: the
app servers and workers share nothing but the database (two servers and two workers on one
PostgreSQL must all see the same reports), ``startklar backup`` copies the database and nothing
else, and the organisation's archive carries every row it owns (a binary field as base64), so a
backup and a restore never name a file that is not there. Reports are a few hundred kilobytes;
the list reads everything but the PDF.

The organisation's archive leaves reports out (``in_archive``): they are made from the data the
archive carries and can be made again in a click where it is imported, while their PDFs (as
base64 in the archive's JSON) would soon push an archive past the size an import accepts.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from startklar.organisations.models import Organisation


class Language(models.TextChoices):
    GERMAN = "de", _("German")
    ENGLISH = "en", _("English")


class Status(models.TextChoices):
    QUEUED = "queued", _("waiting for the worker")
    RUNNING = "running", _("being made")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


class Failure(models.TextChoices):
    """Why a run failed, in words for the person who asked (the details go to the log)."""

    BUILD = "build", _("The report could not be made from the data.")
    TIMED_OUT = "timed_out", _("The worker stopped before the report was finished.")
    INTERRUPTED = "interrupted", _("The report was not finished where the archive came from.")


UNDER_WAY = (Status.QUEUED, Status.RUNNING)


class ReportRun(models.Model):
    in_archive = False  # organisations.archive: derived from the data it carries (see above)

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="report_runs"
    )
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.GERMAN)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    failure = models.CharField(max_length=12, choices=Failure.choices, blank=True, default="")
    pdf = models.BinaryField(blank=True, default=b"", editable=False)
    size = models.PositiveIntegerField(default=0)  # bytes of the PDF
    # What the report was made with: Startklar's version and the content versions it shows.
    versions = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ("-requested_at", "-pk")
        constraints = [
            # one report per organisation and language under way at a time
            models.UniqueConstraint(
                fields=("organisation", "language"),
                condition=Q(status__in=("queued", "running")),
                name="reports_one_run_under_way",
            ),
        ]

    def __str__(self) -> str:
        when = date_format(timezone.localtime(self.requested_at), "SHORT_DATETIME_FORMAT")
        return _("Report (%(language)s) of %(when)s") % {
            "language": self.get_language_display(),
            "when": when,
        }
