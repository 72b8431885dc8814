"""The switch of the weekly roadmap e-mail; the calendar page shows its form."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from startklar.core.forms import INVALID
from startklar.core.htmx import HtmxHttpRequest
from startklar.organisations.models import Role
from startklar.organisations.tenancy import Tenant, org_view

from . import digest
from .digestforms import DigestForm


@org_view(write_role=Role.VIEWER)  # every member decides about their own e-mail
@require_POST
def digest_setting(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    form = DigestForm(request.POST)
    if not form.is_valid():
        context = {"tenant": tenant, "form": form}
        return render(request, "roadmap/digest_setting.html", context, status=INVALID)
    wanted: bool = form.cleaned_data["wanted"]
    if digest.set_digest(tenant, wanted, form.cleaned_data["language"] or None):
        if wanted:
            messages.success(request, _("You will receive the weekly e-mail of your items."))
        else:
            messages.success(request, _("You will no longer receive the weekly e-mail."))
    return redirect("roadmap:calendar", tenant.organisation.slug)
