"""Background work of the organisations feature."""

from __future__ import annotations

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from .models import Invitation


@task()
def send_invitation_email(invitation_id: int, link: str, language: str) -> None:
    invitation = Invitation.objects.select_related("organisation", "invited_by").get(
        pk=invitation_id
    )
    with translation.override(language):
        context = {"invitation": invitation, "link": link}
        subject = _("Invitation to %(organisation)s on Startklar") % {
            "organisation": invitation.organisation.name
        }
        body = render_to_string("organisations/email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])
