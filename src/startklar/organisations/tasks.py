"""Background work of the organisations feature."""

from __future__ import annotations

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from .models import Invitation, Organisation


@task()
def send_invitation_email(invitation_id: int, link: str, language: str) -> None:
    """Send the link, unless the invitation was revoked, used or deleted in the meantime (the
    worker may get to it later)."""
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(pk=invitation_id, accepted_at__isnull=True, revoked_at__isnull=True)
        .first()
    )
    if invitation is None:
        return
    with translation.override(language):
        context = {"invitation": invitation, "link": link}
        subject = _("Invitation to %(organisation)s on Startklar") % {
            "organisation": invitation.organisation.name
        }
        body = render_to_string("organisations/email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])


@task()
def send_deletion_notice(organisation_id: int, emails: list[str], link: str, language: str) -> None:
    """Tell the other owners that deletion was requested, and until when they can stop it."""
    organisation = Organisation.objects.filter(
        pk=organisation_id, deletion_due_at__isnull=False
    ).first()
    if organisation is None:  # taken back (or already gone) before the worker got here
        return
    with translation.override(language):
        context = {"organisation": organisation, "link": link}
        subject = _("%(organisation)s will be deleted on Startklar") % {
            "organisation": organisation.name
        }
        body = render_to_string("organisations/email/deletion_requested.txt", context)
    send_mail(subject, body, None, emails)
