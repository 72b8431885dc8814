"""Background work of the roadmap: the weekly e-mail to the people responsible for its items
(``digest.py`` says who gets one and when)."""

from __future__ import annotations

import datetime

from django.core.mail import send_mail
from django.utils import timezone, translation
from django_tasks import task

from . import digest
from .models import DigestSent


@task()
def send_digest(sent_id: int, day: str) -> None:
    """Send the e-mail written down as ``DigestSent`` ``sent_id`` for the Monday ``day``, once:
    the row is marked before the mail goes, so a task delivered twice sends nothing the second
    time. Nothing is sent when, by the time the worker gets to it, the membership is gone, the
    account is inactive, the organisation is to be deleted, the member switched the e-mail off,
    or nothing is due any more."""
    claimed = DigestSent.objects.filter(pk=sent_id, mailed_at__isnull=True).update(
        mailed_at=timezone.now()
    )
    if not claimed:
        return
    sent = DigestSent.objects.select_related("member__user", "member__organisation").get(pk=sent_id)
    member = sent.member
    if not member.user.is_active or member.organisation.deletion_due_at is not None:
        return
    choice = digest.choice_of_member(member.pk)
    if not choice.wanted:
        return
    with translation.override(choice.language):
        found = digest.digest_of(member, datetime.date.fromisoformat(day))
        if found.empty:
            return
        subject, body = digest.message(found)
    send_mail(subject, body, None, [found.email])
