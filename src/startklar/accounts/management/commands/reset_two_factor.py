"""``startklar manage reset_two_factor <e-mail>``: switch two-factor sign-in off for a person
who has lost both their phone and their recovery codes. They sign in with their password again
and can set it up anew; an organisation that requires it asks them to."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from startklar.accounts import services
from startklar.accounts.models import User


class Command(BaseCommand):
    help = "Switch two-factor sign-in off for one account (lost phone and recovery codes)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="the e-mail address the person signs in with")

    def handle(self, *args: Any, **options: Any) -> None:
        email = str(options["email"]).strip()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No account with the e-mail address {email}.")
        try:
            services.disable(user)
        except services.TwoFactorError as error:
            raise CommandError(f"{user.email}: two-factor sign-in is not on.") from error
        self.stdout.write(
            f"Two-factor sign-in is off for {user.email}; the password alone works again."
        )
