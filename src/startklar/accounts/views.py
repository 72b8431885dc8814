"""Pages of the accounts feature: sign-in in two steps, the account page and two-factor setup.

Each view parses, calls one service or query, renders.
"""

from __future__ import annotations

import time
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, user_login_failed
from django.contrib.auth import views as auth
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from startklar.core.forms import INVALID

from . import queries, services, two_step
from .forms import PasswordConfirmForm, SetupCodeForm, SignInCodeForm
from .models import User
from .security import client_ip, failures_from

NEW_CODES_KEY = "startklar_new_recovery_codes"
NEW_CODES_SECONDS = 15 * 60  # how long freshly made recovery codes can be shown and downloaded


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _safe_next(request: HttpRequest, url: str | None) -> str:
    """``url`` if it stays on this site, else an empty string."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


# Sign-in ---------------------------------------------------------------------------------------


class SignInView(auth.LoginView):
    """Django's sign-in; for an account with two-factor sign-in a correct password leads to the
    code step instead of signing in."""

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if isinstance(user, User) and queries.has_two_factor(user):
            backend = getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[-1])
            two_step.begin(self.request, user, backend, self.get_redirect_url())
            return redirect("accounts:sign_in_code")
        return super().form_valid(form)


def _sign_in_again(request: HttpRequest, pending: two_step.PendingSignIn | None) -> HttpResponse:
    two_step.clear(request)
    url = reverse("accounts:login")
    return redirect(_with_next(url, pending.next_url if pending else ""))


def _locked(request: HttpRequest, email: str) -> bool:
    """Whether the sign-in lockout (per account and address, or per address) holds now."""
    if AxesProxyHandler.is_locked(request, {"username": email}):
        return True
    address = client_ip(request)
    return bool(address) and failures_from(address) >= settings.STARTKLAR_LOGIN_FAILURES_PER_ADDRESS


@login_not_required
@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_code(request: HttpRequest) -> HttpResponseBase:
    """The second sign-in step: a code from the authenticator app or a recovery code."""
    pending = two_step.current(request)
    if pending is None:
        return redirect("accounts:login")
    if pending.expired:
        messages.info(
            request, _("The sign-in took longer than five minutes. Please sign in again.")
        )
        return _sign_in_again(request, pending)
    user = queries.active_user(pending.user_id)
    if user is None:
        return _sign_in_again(request, pending)
    if _locked(request, user.email):
        two_step.clear(request)
        return get_lockout_response(request, None, {"username": user.email})
    form = SignInCodeForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            accepted = services.check_second_factor(
                user, form.cleaned_data["code"], ip_address=client_ip(request) or None
            )
        except services.WrongCode as wrong:
            form.add_error("code", str(wrong))
            return _wrong_code(request, user, pending, form)
        except services.TwoFactorError as error:  # switched off meanwhile: start over
            messages.info(request, str(error))
            return _sign_in_again(request, pending)
        two_step.clear(request)
        login(request, user, backend=pending.backend)
        if accepted.recovery_codes_left is not None:
            _recovery_code_used(request, accepted.recovery_codes_left)
        next_url = _safe_next(request, pending.next_url)
        return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
    status = INVALID if form.is_bound else 200
    return _code_page(request, user, form, status)


def _code_page(request: HttpRequest, user: User, form: SignInCodeForm, status: int) -> HttpResponse:
    context = {"form": form, "email": user.email}
    return render(request, "accounts/sign_in_code.html", context, status=status)


def _wrong_code(
    request: HttpRequest, user: User, pending: two_step.PendingSignIn, form: SignInCodeForm
) -> HttpResponseBase:
    """Count a wrong code like a wrong password (lockout, audit log); after a few, start over."""
    pending.wrong_codes += 1
    user_login_failed.send(
        sender=__name__, credentials={"username": user.email}, request=request, second_factor=True
    )
    if getattr(request, "axes_locked_out", False):
        two_step.clear(request)
        return get_lockout_response(request, None, {"username": user.email})
    if pending.wrong_codes >= two_step.MAX_WRONG_CODES:
        messages.error(
            request,
            ngettext(
                "You entered %(count)d wrong code. For your security, please sign in again with "
                "your password.",
                "You entered %(count)d wrong codes. For your security, please sign in again with "
                "your password.",
                pending.wrong_codes,
            )
            % {"count": pending.wrong_codes},
        )
        return _sign_in_again(request, pending)
    two_step.save(request, pending)
    return _code_page(request, user, form, 422)


def _recovery_code_used(request: HttpRequest, left: int) -> None:
    text = ngettext(
        "You signed in with a recovery code; it no longer works. %(count)d recovery code is left.",
        "You signed in with a recovery code; it no longer works. %(count)d recovery codes are "
        "left.",
        left,
    ) % {"count": left}
    if left <= queries.FEW_RECOVERY_CODES:
        text += " " + _("Please create new recovery codes on your account page soon.")
        messages.warning(request, text)
    else:
        messages.success(request, text)


# The account page ------------------------------------------------------------------------------


def _account_page(request: HttpRequest, status: int = 200, **forms: Any) -> HttpResponse:
    user = _user(request)
    context = {
        "two_factor": queries.two_factor_state(user),
        "renew_form": forms.get("renew_form") or PasswordConfirmForm(user=user, prefix="renew"),
        "disable_form": forms.get("disable_form")
        or PasswordConfirmForm(user=user, prefix="disable"),
        "next": _safe_next(request, request.GET.get("next") or request.POST.get("next")),
    }
    return render(request, "accounts/account.html", context, status=status)


@require_GET
def account(request: HttpRequest) -> HttpResponse:
    return _account_page(request)


@require_POST
def two_factor_start(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, request.POST.get("next"))
    try:
        services.start_setup(_user(request))
    except services.TwoFactorError as error:
        messages.info(request, str(error))
        return redirect("accounts:account")
    return redirect(_with_next(reverse("accounts:two_factor_setup"), next_url))


@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """The QR code and the secret for the app, and the first code that confirms it."""
    user = _user(request)
    next_url = _safe_next(request, request.GET.get("next") or request.POST.get("next"))
    setup = queries.open_setup(user)
    if setup is None:
        return redirect(_with_next(reverse("accounts:account"), next_url))
    form = SetupCodeForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            codes = services.confirm_setup(
                user, form.cleaned_data["code"], ip_address=client_ip(request) or None
            )
        except services.TwoFactorError as error:
            form.add_error("code", str(error))
        else:
            _keep_new_codes(request, codes)
            messages.success(request, _("Two-factor sign-in is on."))
            return redirect(_with_next(reverse("accounts:recovery_codes"), next_url))
    status = (422 if form.errors else 200) if form.is_bound else 200
    context = {"setup": setup, "form": form, "next": next_url}
    return render(request, "accounts/two_factor_setup.html", context, status=status)


@sensitive_post_parameters("disable-password")
@require_POST
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = PasswordConfirmForm(request.POST, user=user, prefix="disable")
    if not form.is_valid():
        return _account_page(request, 422, disable_form=form)
    try:
        services.disable(user, ip_address=client_ip(request) or None)
    except services.TwoFactorError as error:
        messages.info(request, str(error))
    else:
        messages.success(
            request, _("Two-factor sign-in is off. Sign-in asks only for your password.")
        )
    return redirect("accounts:account")


@sensitive_post_parameters("renew-password")
@require_POST
def recovery_codes_renew(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = PasswordConfirmForm(request.POST, user=user, prefix="renew")
    if not form.is_valid():
        return _account_page(request, 422, renew_form=form)
    try:
        codes = services.renew_recovery_codes(user, ip_address=client_ip(request) or None)
    except services.TwoFactorError as error:
        messages.info(request, str(error))
        return redirect("accounts:account")
    _keep_new_codes(request, codes)
    messages.success(request, _("New recovery codes have been made; the old ones no longer work."))
    return redirect("accounts:recovery_codes")


# Recovery codes, shown once --------------------------------------------------------------------


def _keep_new_codes(request: HttpRequest, codes: list[str]) -> None:
    """Keep freshly made codes in the session for a little while, to show and download them;
    only their hashes are stored for good."""
    request.session[NEW_CODES_KEY] = {"codes": codes, "made": time.time()}


def _new_codes(request: HttpRequest) -> list[str] | None:
    value = request.session.get(NEW_CODES_KEY)
    if not isinstance(value, dict):
        return None
    codes, made = value.get("codes"), value.get("made")
    if not isinstance(codes, list) or not isinstance(made, int | float):
        return None
    if time.time() - made > NEW_CODES_SECONDS:
        request.session.pop(NEW_CODES_KEY, None)
        return None
    return [str(code) for code in codes]


def _codes_gone(request: HttpRequest) -> HttpResponse:
    messages.info(
        request,
        _(
            "Recovery codes are shown only right after they were made. If you no longer have "
            "yours, create new ones."
        ),
    )
    return redirect(reverse("accounts:account") + "#two-factor")


@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The new recovery codes, once; "Done" forgets them."""
    next_url = _safe_next(request, request.GET.get("next") or request.POST.get("next"))
    if request.method == "POST":
        request.session.pop(NEW_CODES_KEY, None)
        return redirect(next_url or reverse("accounts:account"))
    codes = _new_codes(request)
    if codes is None:
        return _codes_gone(request)
    context = {"codes": codes, "next": next_url}
    return render(request, "accounts/recovery_codes.html", context)


@require_GET
def recovery_codes_download(request: HttpRequest) -> HttpResponse:
    codes = _new_codes(request)
    if codes is None:
        return _codes_gone(request)
    user = _user(request)
    made = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    lines = [
        _("Startklar – recovery codes for %(email)s") % {"email": user.email},
        _("Made on %(date)s") % {"date": made},
        "",
        _(
            "If you cannot use your authenticator app, enter one of these codes instead of the "
            "code from the app when you sign in. Each code works once. Keep this file safe, e.g. "
            "in your password manager or printed out, and away from your phone."
        ),
        "",
        *codes,
        "",
    ]
    response = HttpResponse("\r\n".join(lines), content_type="text/plain; charset=utf-8")
    filename = _("startklar-recovery-codes.txt")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
