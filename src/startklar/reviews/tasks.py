"""Background work of the quality reviews: the alert e-mail to a plan's owner."""

from __future__ import annotations

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from startklar.organisations.models import Membership

from .models import ReviewAlert


@task()
def send_alert_email(alert_id: int, link: str, language: str) -> None:
    """Tell the plan's owner, once: the alert is marked as e-mailed before the mail goes, so a
    task run twice sends nothing the second time. Nothing is sent when the alert is gone or
    the plan has no owner who is still a member."""
    claimed = ReviewAlert.objects.filter(pk=alert_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return
    alert = ReviewAlert.objects.select_related("plan__owner", "plan__ai_system").get(pk=alert_id)
    owner = alert.plan.owner
    if (
        owner is None
        or not Membership.objects.filter(organisation_id=alert.organisation_id, user=owner).exists()
    ):
        return
    from .labels import reason_texts

    with translation.override(language):
        context = {
            "alert": alert,
            "plan": alert.plan,
            "owner": owner,
            "link": link,
            "reasons": reason_texts(alert.reasons),
        }
        subject = _("Quality review: alert for “%(plan)s”") % {"plan": alert.plan.title}
        body = render_to_string("reviews/email/alert.txt", context)
    send_mail(subject, body, None, [owner.email])
