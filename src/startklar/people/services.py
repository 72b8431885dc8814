"""Every write of the staff pulses. One transaction per call; a step the rules do not allow
raises :class:`PulseError` (for the organisation's people, ``field`` names the input) or
:class:`AnswerRefused` (for the person answering, ``reason`` says why, nothing is stored)."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Mapping, Sequence

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from startklar.organisations import audit
from startklar.organisations.models import AuditAction
from startklar.organisations.tenancy import Tenant

from .content import CURRENT_VERSION, load_bank
from .engine import codes
from .engine.anonymity import MIN_K
from .engine.pulse import POINTS
from .models import (
    MAX_GROUP_NAME,
    MAX_GROUPS,
    MAX_K,
    MAX_TITLE,
    AnswerCode,
    CommentReview,
    Pulse,
    PulseAnswer,
    PulseGroup,
    PulseLink,
    PulseStatus,
)

MAX_CODES = 2000  # codes issued at once
MAX_OWN = 5  # own questions per pulse
MAX_OWN_TEXT = 200
OWN_PREFIX = "eigene_"  # own questions' keys: eigene_1, eigene_2, …


class PulseError(Exception):
    """A step the rules do not allow; ``field`` names the input it concerns, if one."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


class AnswerRefused(Exception):
    """An answer that is not taken; nothing was stored. ``reason`` is one of
    :data:`REFUSALS`, ``field`` the question or input it concerns."""

    def __init__(self, reason: str, field: str = ""):
        super().__init__(f"{reason}: {field}" if field else reason)
        self.reason = reason
        self.field = field


REFUSALS = (
    "unknown_link",  # no pulse at this address (or a forged one)
    "not_open",  # the pulse is not open (in preparation or closed)
    "code_missing",  # the pulse takes answers only with a code
    "code_mistyped",  # not a code: a typing mistake (its check character does not fit)
    "code_unknown",  # a well-formed code this pulse never issued (or for another group)
    "code_used",  # the code was used already
    "point_invalid",  # an answer outside the scale, or to a question not asked
    "comment_too_long",
)


def secret_key() -> bytes:
    """The key the codes' digests are made with (the server's secret)."""
    return f"startklar.people.codes:{settings.SECRET_KEY}".encode()


def _token() -> str:
    return secrets.token_urlsafe(24)


# Pulses --------------------------------------------------------------------------------------


def _clean_groups(names: Sequence[str]) -> list[str]:
    cleaned = [" ".join(n.split()) for n in names if n.strip()]
    if len(cleaned) > MAX_GROUPS:
        raise PulseError(
            _("A pulse has at most %(count)d groups.") % {"count": MAX_GROUPS}, "groups"
        )
    if any(len(n) > MAX_GROUP_NAME for n in cleaned):
        raise PulseError(
            _("A group's name has at most %(count)d characters.") % {"count": MAX_GROUP_NAME},
            "groups",
        )
    folded = [n.casefold() for n in cleaned]
    if len(set(folded)) != len(folded):
        raise PulseError(_("Each group needs a name of its own."), "groups")
    return cleaned


def _own_questions(
    own: Sequence[tuple[str, str]], scales: Mapping[str, object]
) -> list[dict[str, str]]:
    cleaned = [(" ".join(text.split()), scale) for text, scale in own if text.strip()]
    if len(cleaned) > MAX_OWN:
        raise PulseError(
            _("At most %(count)d questions of your own.") % {"count": MAX_OWN}, "own_questions"
        )
    for text, scale in cleaned:
        if len(text) > MAX_OWN_TEXT:
            raise PulseError(
                _("A question of your own has at most %(count)d characters.")
                % {"count": MAX_OWN_TEXT},
                "own_questions",
            )
        if scale not in scales:
            raise PulseError(_("Choose a scale for each question of your own."), "own_questions")
    return [
        {"id": f"{OWN_PREFIX}{n}", "text": text, "scale": scale, "polarity": "neutral"}
        for n, (text, scale) in enumerate(cleaned, start=1)
    ]


@transaction.atomic
def create_pulse(
    tenant: Tenant,
    title: str,
    groups: Sequence[str] = (),
    *,
    k: int = MIN_K,
    questions: Sequence[str] | None = None,
    own: Sequence[tuple[str, str]] = (),
    ask_comment: bool = True,
    codes_required: bool = False,
) -> Pulse:
    """A pulse in preparation with its groups and links. ``questions``: keys of the current
    bank's questions (default: all of them, in the bank's order); ``own``: the organisation's
    own questions as (text, scale), asked after them and counted for no score."""
    title = " ".join(title.split())
    if not title or len(title) > MAX_TITLE:
        raise PulseError(
            _("A title of 1 to %(count)d characters is needed.") % {"count": MAX_TITLE}, "title"
        )
    if isinstance(k, bool) or not MIN_K <= k <= MAX_K:
        raise PulseError(
            _("At least %(low)d and at most %(high)d answers per group.")
            % {"low": MIN_K, "high": MAX_K},
            "k",
        )
    bank = load_bank(CURRENT_VERSION)
    known = [q.key for q in bank.questions]
    chosen = known if questions is None else [key for key in known if key in set(questions)]
    if questions is not None and set(questions) - set(known):
        raise PulseError(_("Choose at least one question from the list."), "questions")
    own_questions = _own_questions(own, bank.scales)
    if not chosen and not own_questions:
        raise PulseError(_("Choose at least one question from the list."), "questions")
    names = _clean_groups(groups)
    pulse = Pulse.objects.create(
        organisation=tenant.organisation,
        title=title,
        k=k,
        content_version=bank.version,
        questions=chosen + [q["id"] for q in own_questions],
        own_questions=own_questions,
        ask_comment=ask_comment,
        codes_required=codes_required,
    )
    PulseLink.objects.create(pulse=pulse, group=None, token=_token())
    for position, name in enumerate(names):
        group = PulseGroup.objects.create(pulse=pulse, name=name, position=position)
        PulseLink.objects.create(pulse=pulse, group=group, token=_token())
    audit.record(tenant, AuditAction.CREATED, pulse)
    return pulse


@transaction.atomic
def open_pulse(tenant: Tenant, pulse: Pulse, today: datetime.date) -> Pulse:
    tenant.require(pulse)
    if pulse.status != PulseStatus.DRAFT:
        raise PulseError(_("Only a pulse in preparation can be opened."), "status")
    pulse.status, pulse.opened_on = PulseStatus.OPEN, today
    pulse.save(update_fields=["status", "opened_on"])
    audit.record(tenant, AuditAction.STATUS_CHANGED, pulse)
    return pulse


@transaction.atomic
def close_pulse(tenant: Tenant, pulse: Pulse, today: datetime.date) -> Pulse:
    tenant.require(pulse)
    if pulse.status != PulseStatus.OPEN:
        raise PulseError(_("Only an open pulse can be closed."), "status")
    pulse.status, pulse.closed_on = PulseStatus.CLOSED, today
    pulse.save(update_fields=["status", "closed_on"])
    audit.record(tenant, AuditAction.STATUS_CHANGED, pulse)
    return pulse


@transaction.atomic
def issue_codes(
    tenant: Tenant, pulse: Pulse, count: int, group: PulseGroup | None = None
) -> list[str]:
    """``count`` new single-use codes (for ``group``, or for the pulse's general link),
    returned once, in the form they are printed; only their digests are kept."""
    tenant.require(pulse)
    if group is not None and group.pulse_id != pulse.pk:
        raise PulseError(_("The group belongs to another pulse."), "group")
    if pulse.status == PulseStatus.CLOSED:
        raise PulseError(_("A closed pulse takes no more answers."), "status")
    if isinstance(count, bool) or not 1 <= count <= MAX_CODES:
        raise PulseError(_("From 1 to %(count)d codes at a time.") % {"count": MAX_CODES}, "count")
    key = secret_key()
    issued: list[str] = []
    while len(issued) < count:
        code = codes.new_code()
        try:
            with transaction.atomic():
                AnswerCode.objects.create(pulse=pulse, group=group, digest=codes.digest(code, key))
        except IntegrityError:  # pragma: no cover - 31⁸ codes: a repeat is all but impossible
            continue
        issued.append(codes.shown(code))
    audit.record(tenant, AuditAction.CREATED, pulse, summary=f"{count} codes")
    return issued


# Answering (no account, no tenant: the link is the key) -----------------------------------------


def _points(pulse: Pulse, given: Mapping[str, str]) -> dict[str, int | None]:
    """The points of a submitted form: each asked question's value, "" or absent for "keine
    Angabe"; anything else refused naming the question."""
    asked = list(pulse.questions)
    unknown = sorted(set(given) - set(asked))
    if unknown:
        raise AnswerRefused("point_invalid", unknown[0])
    points: dict[str, int | None] = {}
    for key in asked:
        raw = given.get(key, "")
        if raw in ("", None):
            points[key] = None
            continue
        if not isinstance(raw, str) or raw.strip() not in {str(p) for p in POINTS}:
            raise AnswerRefused("point_invalid", key)
        points[key] = int(raw.strip())
    return points


@transaction.atomic
def submit_answer(
    token: str,
    given: Mapping[str, str],
    *,
    comment: str = "",
    code: str = "",
    today: datetime.date,
) -> None:
    """Stores one person's answers to the pulse at the link ``token``, or refuses them with
    :class:`AnswerRefused` and stores nothing. With a code (needed where the pulse says so),
    the code is used up in the same transaction; the answer does not say which code it was."""
    link = (
        PulseLink.objects.select_related("pulse", "group").filter(token=token).first()
        if isinstance(token, str) and 0 < len(token) <= 64
        else None
    )
    if link is None:
        raise AnswerRefused("unknown_link")
    pulse = link.pulse
    if pulse.status != PulseStatus.OPEN:
        raise AnswerRefused("not_open")
    points = _points(pulse, given)
    comment = comment.strip() if pulse.ask_comment else ""
    if len(comment) > load_bank(pulse.content_version).comment_max:
        raise AnswerRefused("comment_too_long", "comment")
    group = link.group
    if code.strip() or pulse.codes_required:
        if not code.strip():
            raise AnswerRefused("code_missing", "code")
        normal = codes.normalise(code)
        if normal is None:
            raise AnswerRefused("code_mistyped", "code")
        found = (
            AnswerCode.objects.select_for_update()
            .filter(pulse=pulse, digest=codes.digest(normal, secret_key()))
            .first()
        )
        if found is None or (link.group_id is not None and found.group_id != link.group_id):
            raise AnswerRefused("code_unknown", "code")
        if found.used:
            raise AnswerRefused("code_used", "code")
        used = AnswerCode.objects.filter(pk=found.pk, used=False).update(used=True)
        if not used:  # pragma: no cover - another answer took it between the two statements
            raise AnswerRefused("code_used", "code")
        if found.group_id is not None:
            group = found.group  # a code for a group counts there, whatever link was used
    PulseAnswer.objects.create(
        pulse=pulse, group=group, answered_on=today, points=points, comment=comment
    )


# Comments -----------------------------------------------------------------------------------------


@transaction.atomic
def review_comment(tenant: Tenant, answer: PulseAnswer, review: CommentReview) -> PulseAnswer:
    """Marks a comment as checked: shown (no names or personal details in it) or hidden."""
    tenant.require(answer.pulse)
    if not answer.comment:
        raise PulseError(_("This answer has no comment."), "review")
    if answer.comment_review == review:
        return answer
    answer.comment_review = review
    answer.save(update_fields=["comment_review"])
    audit.record(tenant, AuditAction.CHANGED, answer.pulse, summary=str(review.label))
    return answer


@transaction.atomic
def delete_pulse(tenant: Tenant, pulse: Pulse) -> None:
    """Deletes the pulse with its groups, links, codes and answers."""
    tenant.require(pulse)
    audit.record(tenant, AuditAction.DELETED, pulse)
    pulse.delete()
