"""Sign-in protection: the client's real address behind a reverse proxy, and a limit on failed
sign-ins per address across user names (password spraying).

django-axes locks a user name after ``AXES_FAILURE_LIMIT`` failures *from one address*. Behind
nginx every request comes from the proxy's address, so without :func:`client_ip` anyone could
lock anyone's account from anywhere. The address is taken from ``X-Forwarded-For`` only when
the request comes from a proxy listed in ``STARTKLAR_TRUSTED_PROXIES``: the client can write
that header itself, so it is believed only as far as a trusted proxy vouches for it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.views import PasswordResetView
from django.core.validators import MaxLengthValidator
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import PasswordResetRequest


def client_ip(request: HttpRequest) -> str:
    """The address of the client: ``REMOTE_ADDR``, or behind trusted proxies the right-most
    address in ``X-Forwarded-For`` that is not itself a trusted proxy."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    trusted = set(settings.STARTKLAR_TRUSTED_PROXIES)
    if remote not in trusted:
        return remote
    chain = [a.strip() for a in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    for address in reversed([a for a in chain if a]):
        if address not in trusted:
            return address
    return remote


def cooloff() -> timedelta:
    return timedelta(hours=float(settings.AXES_COOLOFF_TIME))


def failures_from(address: str) -> int:
    """Failed sign-ins from ``address`` within the cool-off time, over all user names."""
    since = timezone.now() - cooloff()
    attempts = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since)
    return int(attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0)


class LoginForm(AuthenticationForm):
    """Django's sign-in form, refusing to try any password once an address has failed
    ``STARTKLAR_LOGIN_FAILURES_PER_ADDRESS`` times with whatever user names."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "E-mail address or password is wrong. After five failed attempts the account is "
            "locked for 15 minutes."
        ),
    }

    def __init__(self, request: HttpRequest | None = None, *args: Any, **kwargs: Any):
        super().__init__(request, *args, **kwargs)
        # Django gives the field its max_length only after building it, so only the browser
        # kept to it: a name of 100 000 characters reached the account lookups (and broke
        # SQLite's LIKE). Longer than any e-mail address is a message at the field.
        username = self.fields["username"]
        assert isinstance(username, forms.CharField)
        username.validators.append(MaxLengthValidator(username.max_length or 254))

    def clean(self) -> dict[str, Any]:
        if self.request is not None:
            address = client_ip(self.request)
            if address and failures_from(address) >= settings.STARTKLAR_LOGIN_FAILURES_PER_ADDRESS:
                raise forms.ValidationError(
                    _(
                        "Too many failed sign-ins from your network. Please wait %(minutes)s "
                        "minutes and try again, or reset your password."
                    ),
                    code="too_many_failures",
                    params={"minutes": round(cooloff().total_seconds() / 60)},
                )
        return super().clean()


class LimitedPasswordResetForm(PasswordResetForm):
    """Password-reset e-mails, at most ``STARTKLAR_RESETS_PER_ADDRESS`` an hour to one address
    and ``STARTKLAR_RESETS_PER_CLIENT`` an hour from one client (20 resets to one victim were
    all sent). The limit holds for every address alike, so it tells nothing about accounts."""

    def __init__(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.address = (client_ip(request) if request is not None else "") or None

    def clean_email(self) -> str:
        email = str(self.cleaned_data["email"]).strip().lower()
        hour = timezone.now() - timedelta(hours=1)
        recent = PasswordResetRequest.objects.filter(requested_at__gte=hour)
        per_address = recent.filter(email=email).count()
        per_client = recent.filter(ip_address=self.address).count() if self.address else 0
        if (
            per_address >= settings.STARTKLAR_RESETS_PER_ADDRESS
            or per_client >= settings.STARTKLAR_RESETS_PER_CLIENT
        ):
            raise forms.ValidationError(
                _(
                    "Several reset links have just been requested. Please check your inbox "
                    "or try again in an hour."
                ),
                code="too_many_resets",
            )
        return email

    def save(self, *args: Any, **kwargs: Any) -> None:
        day = timezone.now() - timedelta(days=1)
        PasswordResetRequest.objects.filter(requested_at__lt=day).delete()
        PasswordResetRequest.objects.create(
            email=self.cleaned_data["email"], ip_address=self.address
        )
        super().save(*args, **kwargs)


class LimitedPasswordResetView(PasswordResetView):
    form_class = LimitedPasswordResetForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}
