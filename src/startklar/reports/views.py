"""Pages of the management report. Each view parses, calls one service or query, renders.

The page and a run's progress show the clock (a run whose lease is over shows as failed), so
they are never kept (``never_cache``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from startklar.core.forms import INVALID
from startklar.core.htmx import HtmxHttpRequest
from startklar.organisations.tenancy import Tenant, org_view

from . import queries, services
from .forms import RequestForm
from .models import ReportRun, Status


def _list(tenant: Tenant) -> str:
    return reverse("reports:list", args=[tenant.organisation.slug])


def _page(
    request: HtmxHttpRequest, tenant: Tenant, form: RequestForm, status: int = 200
) -> HttpResponse:
    context = {"tenant": tenant, "page": queries.page(tenant), "form": form}
    return render(request, "reports/page.html", context, status=status)


def _said(request: HtmxHttpRequest, new: bool) -> None:
    if new:
        messages.success(
            request, _("The report has been requested. It is being made in the background.")
        )
    else:
        messages.info(
            request,
            _("A report in this language is already being made; it is shown below."),
        )


@org_view()
@never_cache
@require_http_methods(["GET", "POST"])
def reports(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    if request.method != "POST":
        return _page(request, tenant, RequestForm())
    form = RequestForm(request.POST)
    if not form.is_valid():
        return _page(request, tenant, form, INVALID)
    try:
        run, new = services.request_report(tenant, form.cleaned_data["language"])
    except services.ReportError as error:
        form.add_error(error.field, str(error))
        return _page(request, tenant, form, INVALID)
    _said(request, new)
    return redirect(f"{_list(tenant)}#run-{run.pk}")


@org_view()
@never_cache
@require_GET
def status(request: HtmxHttpRequest, tenant: Tenant, reportrun_id: int) -> HttpResponse:
    """One run's row: what the page polls every two seconds while the run is under way (a
    browser that opens the address itself is sent to the row on the page)."""
    row = queries.one(tenant, reportrun_id)
    if not request.htmx:
        return redirect(f"{_list(tenant)}#run-{row.id}")
    return render(request, "reports/page.html#run", {"tenant": tenant, "run": row})


@org_view()
@require_GET
def download(request: HtmxHttpRequest, tenant: Tenant, reportrun_id: int) -> HttpResponse:
    run = tenant.get(ReportRun.objects.all(), pk=reportrun_id)
    if run.status != Status.DONE or not run.size:
        # A bookmarked or shared address of a report not made (yet): its row says why.
        messages.info(request, _("This report is not ready to download."))
        return redirect(f"{_list(tenant)}#run-{run.pk}")
    response = HttpResponse(bytes(run.pdf), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{queries.filename(run.language, run.requested_at)}"'
    )
    response["Content-Length"] = str(run.size)
    return response


@org_view()
@require_POST
def retry(request: HtmxHttpRequest, tenant: Tenant, reportrun_id: int) -> HttpResponse:
    run = tenant.get(ReportRun.objects.defer("pdf"), pk=reportrun_id)
    try:
        found, new = services.retry(tenant, run)
    except services.ReportError as error:
        messages.error(request, str(error))
        return redirect(_list(tenant))
    _said(request, new)
    return redirect(f"{_list(tenant)}#run-{found.pk}")


@org_view()
@require_http_methods(["GET", "POST"])
def delete(request: HtmxHttpRequest, tenant: Tenant, reportrun_id: int) -> HttpResponse:
    run = tenant.get(ReportRun.objects.defer("pdf"), pk=reportrun_id)
    if not tenant.can_edit:
        raise PermissionDenied
    if request.method == "POST":
        services.delete_run(tenant, run)
        messages.success(request, _("The report has been deleted."))
        return redirect(_list(tenant))
    confirm = queries.deletion(tenant, run)
    return render(request, "core/confirm_delete.html", {"tenant": tenant, "confirm": confirm})
