"""Every write of the readiness check. One transaction per call; rule violations raise
:class:`ReadinessError` with a message for the user."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from startklar.organisations import audit
from startklar.organisations.models import AuditAction, Membership
from startklar.organisations.tenancy import Tenant

from . import queries, stored
from .content import CURRENT_VERSION, load_bank
from .models import Answer, Respondent, Round
from .tasks import send_respondent_email


class ReadinessError(Exception):
    """A step the rules do not allow, e.g. answering a closed round."""


def _require_open(round_: Round) -> None:
    """The round is open: read again inside the caller's transaction with the round's row locked,
    so that nothing changes a round that was closed meanwhile (its result is stored then)."""
    locked = Round.objects.select_for_update().filter(pk=round_.pk)
    if locked.values_list("status", flat=True).first() != Round.Status.OPEN:
        raise ReadinessError(_("This round is closed; answers can no longer be changed."))


@transaction.atomic
def open_round(tenant: Tenant, title: str, perspective: str | None = None) -> Round:
    """Open a round; with a ``perspective`` its creator answers it too, from that perspective."""
    round_ = Round.objects.create(
        organisation=tenant.organisation,
        title=title.strip(),
        bank_version=CURRENT_VERSION,
        created_by=tenant.membership.user,
    )
    audit.record(tenant, AuditAction.CREATED, round_)
    if perspective is not None:
        add_respondent(tenant, round_, tenant.membership, perspective)
    return round_


@transaction.atomic
def add_respondent(
    tenant: Tenant,
    round_: Round,
    member: Membership,
    perspective: str,
    link: str | None = None,
) -> Respondent:
    """Ask a member to answer; with a ``link`` they are told by e-mail (after the commit)."""
    tenant.require(round_)
    tenant.require(member)
    _require_open(round_)
    if perspective not in {p.id for p in load_bank(round_.bank_version).perspectives}:
        raise ValueError(f"unknown perspective {perspective!r}")
    if round_.respondents.filter(user=member.user).exists():
        raise ReadinessError(
            _("%(name)s already takes part in this round.") % {"name": member.user}
        )
    respondent = Respondent.objects.create(
        organisation=tenant.organisation, round=round_, user=member.user, perspective=perspective
    )
    if link is not None and member.user != tenant.membership.user:
        language = translation.get_language() or "de"
        transaction.on_commit(lambda: send_respondent_email.enqueue(respondent.pk, link, language))
    return respondent


@transaction.atomic
def remove_respondent(tenant: Tenant, respondent: Respondent) -> None:
    tenant.require(respondent)
    _require_open(respondent.round)
    if respondent.has_submitted:
        raise ReadinessError(_("Submitted answers stay part of the round."))
    respondent.delete()


def _my_respondent(tenant: Tenant, round_: Round) -> Respondent:
    respondent = round_.respondents.filter(user=tenant.membership.user).first()
    if respondent is None:
        raise ReadinessError(_("You are not asked to answer this round."))
    return respondent


@transaction.atomic
def save_answer(tenant: Tenant, round_: Round, question_id: str, level: int | None) -> Answer:
    """Store one answer of the signed-in respondent (``None`` = "weiß nicht")."""
    tenant.require(round_)
    _require_open(round_)
    respondent = _my_respondent(tenant, round_)
    if respondent.has_submitted:
        raise ReadinessError(_("You have already submitted your answers."))
    if question_id not in load_bank(round_.bank_version).questions:
        raise ValueError(f"unknown question {question_id!r}")
    if level is not None and not 1 <= level <= 5:
        raise ValueError("level must be 1 to 5")
    answer, _created = Answer.objects.update_or_create(
        respondent=respondent, question_id=question_id, defaults={"level": level}
    )
    return answer


@transaction.atomic
def submit(tenant: Tenant, round_: Round) -> Respondent:
    tenant.require(round_)
    _require_open(round_)
    respondent = _my_respondent(tenant, round_)
    if not respondent.answers.exists():
        raise ReadinessError(_("Please answer at least one question before submitting."))
    if not respondent.has_submitted:
        respondent.submitted_at = timezone.now()
        respondent.save(update_fields=["submitted_at"])
    return respondent


@transaction.atomic
def close_round(tenant: Tenant, round_: Round) -> Round:
    tenant.require(round_)
    if round_.is_open:
        round_.status = Round.Status.CLOSED
        round_.closed_at = timezone.now()
        round_.save(update_fields=["status", "closed_at"])
        # Its answers are final now: the result is computed once, for every page that shows it.
        stored.store(round_, queries.assess(round_))
        audit.record(
            tenant,
            AuditAction.STATUS_CHANGED,
            round_,
            summary=lambda: _("Round closed; the results are visible to all members."),
        )
    return round_


@transaction.atomic
def delete_round(tenant: Tenant, round_: Round) -> None:
    """Delete a round with its respondents and every answer given in it."""
    tenant.require(round_)
    audit.record(tenant, AuditAction.DELETED, round_)
    round_.delete()


@transaction.atomic
def record_export(tenant: Tenant, round_: Round) -> None:
    tenant.require(round_)
    audit.record(tenant, AuditAction.EXPORTED, round_, summary=lambda: _("Results as JSON"))
