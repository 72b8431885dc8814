"""Background work of the readiness check."""

from __future__ import annotations

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from .models import Respondent


@task()
def send_respondent_email(respondent_id: int, link: str, language: str) -> None:
    """Tell a member that they are asked to answer a round (unless, by the time the worker
    gets to it, they were taken off the round or their account is gone)."""
    respondent = (
        Respondent.objects.select_related("round__organisation", "user")
        .filter(pk=respondent_id, user__isnull=False)
        .first()
    )
    if respondent is None or respondent.user is None:
        return
    with translation.override(language):
        context = {"respondent": respondent, "round": respondent.round, "link": link}
        subject = _("Your view is asked: %(title)s") % {"title": respondent.round.title}
        body = render_to_string("readiness/email/asked.txt", context)
    send_mail(subject, body, None, [respondent.user.email])
