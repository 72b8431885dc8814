"""Staff pulses: short anonymous surveys on AI, answered without an account.

Anonymity by design:

* an answer (``PulseAnswer``) keeps the points given, the optional comment, the group it was
  given for (from the link or code used) and the day, nothing else: no account, no address, no
  browser, no time finer than the day;
* a single-use code (``AnswerCode``) is stored only as a keyed digest and a flag saying it was
  used; nothing links the code to the answer given with it;
* results by group are shown only where anonymity holds (``engine.anonymity``).

Links and codes are secrets: they stay where they were made (``in_archive = False``), like a
calendar's address.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from startklar.compliance.models import AISystem
from startklar.organisations.models import Organisation

from .engine.anonymity import MIN_K

MAX_K = 50
MAX_GROUPS = 30
MAX_TITLE = 200
MAX_GROUP_NAME = 80


class PulseStatus(models.TextChoices):
    DRAFT = "draft", _("in preparation")
    OPEN = "open", _("open for answers")
    CLOSED = "closed", _("closed")


class CommentReview(models.TextChoices):
    UNCHECKED = "unchecked", _("not checked yet")
    SHOWN = "shown", _("checked: shown")
    HIDDEN = "hidden", _("checked: hidden (names or personal details)")


class Pulse(models.Model):
    """A staff pulse: the questions asked, the groups answers are counted for, and the least
    number of answers a group needs before its results are shown. A pulse is compared with
    the one before it (``previous_of``)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=MAX_TITLE)
    status = models.CharField(
        _("status"), max_length=10, choices=PulseStatus.choices, default=PulseStatus.DRAFT
    )
    k = models.PositiveSmallIntegerField(
        _("answers a group needs before its results are shown"),
        default=MIN_K,
        validators=[MinValueValidator(MIN_K), MaxValueValidator(MAX_K)],
    )
    content_version = models.CharField(max_length=20)
    questions = models.JSONField(default=list)  # the keys of the questions asked, in order
    # The organisation's own questions: [{"id": "eigene_1", "text": "…", "scale": "agreement",
    # "polarity": "neutral"}], asked after the bank's, in the words their author wrote.
    own_questions = models.JSONField(default=list, blank=True)
    ask_comment = models.BooleanField(_("ask for a comment"), default=True)
    codes_required = models.BooleanField(_("answers only with a single-use code"), default=False)
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("staff pulse")
        verbose_name_plural = _("staff pulses")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(k__gte=MIN_K), name="people_pulse_k_at_least_five"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def previous_of(self) -> Pulse | None:
        """The organisation's pulse opened last before this one, to compare with."""
        if self.opened_on is None:
            return None
        return (
            Pulse.objects.filter(organisation_id=self.organisation_id, opened_on__isnull=False)
            .filter(
                models.Q(opened_on__lt=self.opened_on)
                | models.Q(opened_on=self.opened_on, pk__lt=self.pk)
            )
            .order_by("-opened_on", "-pk")
            .first()
        )


class PulseGroup(models.Model):
    """A group answers are counted for (a department, a site), with a link of its own."""

    pulse = models.ForeignKey(Pulse, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("name"), max_length=MAX_GROUP_NAME)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["pulse", "name"], name="people_group_name_per_pulse")
        ]

    def __str__(self) -> str:
        return self.name


class PulseLink(models.Model):
    """The secret address a pulse is answered at (for one of its groups, or for none)."""

    in_archive = False  # organisations.archive: a secret stays where it was made

    pulse = models.ForeignKey(Pulse, on_delete=models.CASCADE, related_name="links")
    group = models.ForeignKey(
        PulseGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("pulse link")
        verbose_name_plural = _("pulse links")
        constraints = [
            models.UniqueConstraint(fields=["pulse", "group"], name="people_one_link_per_group"),
            models.UniqueConstraint(
                fields=["pulse"],
                condition=models.Q(group__isnull=True),
                name="people_one_general_link",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pulse} – {self.group or '–'}"


class AnswerCode(models.Model):
    """A single-use code handed out on paper or by e-mail: only its keyed digest is kept, and
    whether it was used. Nothing links it to the answer given with it."""

    in_archive = False  # organisations.archive: codes are credentials

    pulse = models.ForeignKey(Pulse, on_delete=models.CASCADE, related_name="codes")
    group = models.ForeignKey(
        PulseGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    digest = models.CharField(max_length=64)
    used = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("single-use code")
        verbose_name_plural = _("single-use codes")
        constraints = [
            models.UniqueConstraint(fields=["pulse", "digest"], name="people_code_once_per_pulse")
        ]

    def __str__(self) -> str:
        return f"{self.pulse}: {'used' if self.used else 'open'}"


class PulseAnswer(models.Model):
    """One person's answers: the points by question key (None for "keine Angabe"), the
    optional comment, the group and the day. Nothing that says who answered."""

    pulse = models.ForeignKey(Pulse, on_delete=models.CASCADE, related_name="answers")
    group = models.ForeignKey(
        PulseGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    answered_on = models.DateField()
    points = models.JSONField(default=dict)
    comment = models.TextField(blank=True)
    comment_review = models.CharField(
        max_length=10, choices=CommentReview.choices, default=CommentReview.UNCHECKED
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.pulse} ({self.answered_on:%Y-%m-%d})"


# The works council (Betriebsrat) ---------------------------------------------------------------

MAX_EVENT_TITLE = 200
MAX_NOTES = 5000
MAX_DOCUMENT_NAME = 200


class Monitoring(models.TextChoices):
    """Whether an AI system is suited to monitor employees' behaviour or performance (§ 87 (1)
    Nr. 6 BetrVG: then the works council must agree). Suitability counts, not intention."""

    UNCLEAR = "unclear", _("not assessed yet")
    YES = "yes", _("can monitor behaviour or performance")
    NO = "no", _("cannot monitor behaviour or performance")


class CouncilSystem(models.Model):
    """How an AI system of the register concerns the works council."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    ai_system = models.OneToOneField(AISystem, on_delete=models.CASCADE, related_name="+")
    monitoring = models.CharField(
        _("monitoring"), max_length=10, choices=Monitoring.choices, default=Monitoring.UNCLEAR
    )
    personnel = models.BooleanField(
        _("helps select or assess people (hiring, transfers, dismissals)"), default=False
    )
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("AI system and works council")
        verbose_name_plural = _("AI systems and works council")
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(self.ai_system)


class EventKind(models.TextChoices):
    INFORMATION = "information", _("information given")
    MEETING = "meeting", _("meeting or consultation")
    EXPERT = "expert", _("expert called in")
    CONSENT = "consent", _("consent given")
    REFUSAL = "refusal", _("consent refused")
    WORKS_AGREEMENT = "works_agreement", _("works agreement (Betriebsvereinbarung)")
    REGULATION_AGREEMENT = "regulation_agreement", _("regulation agreement (Regelungsabrede)")


class CouncilEvent(models.Model):
    """An entry of the works-council log: information, a meeting, consent or an agreement,
    for one AI system or for AI in general. An agreement notes which points of the checklist
    it covers (``covered``: the checklist's ids)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    ai_system = models.ForeignKey(
        AISystem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("AI system"),
    )
    kind = models.CharField(_("kind"), max_length=24, choices=EventKind.choices)
    happened_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=MAX_EVENT_TITLE)
    notes = models.TextField(_("notes"), blank=True)
    content_version = models.CharField(max_length=20, blank=True)
    covered = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("works-council entry")
        verbose_name_plural = _("works-council entries")
        ordering = ["-happened_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class CouncilDocument(models.Model):
    """A document of a works-council entry (minutes, the signed agreement), kept in the
    database like a report's PDF."""

    event = models.ForeignKey(CouncilEvent, on_delete=models.CASCADE, related_name="documents")
    name = models.CharField(_("file name"), max_length=MAX_DOCUMENT_NAME)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    data = models.BinaryField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


# Communication -----------------------------------------------------------------------------------

MAX_AUDIENCE = 120
MAX_MESSAGE = 2000
MAX_FAQ_QUESTION = 300
MAX_FAQ_ANSWER = 3000


class CommunicationKind(models.TextChoices):
    ANNOUNCEMENT = "announcement", _("announcement")
    FAQ = "faq", _("questions and answers")
    CONTACT = "contact", _("where to ask")
    RESULTS = "results", _("results of a pulse")
    TRAINING = "training", _("training and help")
    OTHER = "other", _("other")


class Channel(models.TextChoices):
    STAFF_MEETING = "staff_meeting", _("staff meeting")
    TEAM_MEETING = "team_meeting", _("team meeting")
    NOTICE = "notice", _("notice board")
    EMAIL = "email", _("e-mail")
    INTRANET = "intranet", _("intranet")
    LETTER = "letter", _("letter or leaflet")
    PERSONAL = "personal", _("in person")


class CommunicationItem(models.Model):
    """A step of the communication plan: who is told what, how and by when."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=CommunicationKind.choices)
    audience = models.CharField(_("who"), max_length=MAX_AUDIENCE)
    message = models.TextField(_("what"), max_length=MAX_MESSAGE)
    channel = models.CharField(_("how"), max_length=16, choices=Channel.choices)
    due_on = models.DateField(_("by when"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("communication step")
        verbose_name_plural = _("communication steps")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.audience}"


class FaqEntry(models.Model):
    """A question staff ask about AI and its answer, shown with the pulse to everyone asked."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    question = models.CharField(_("question"), max_length=MAX_FAQ_QUESTION)
    answer = models.TextField(_("answer"), max_length=MAX_FAQ_ANSWER)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("question and answer")
        verbose_name_plural = _("questions and answers")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.question
