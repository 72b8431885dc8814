"""Pages of a pilot's KPIs: add, edit and delete a KPI, record and delete measurements (htmx:
the KPI's card is swapped in place), import measurements from a file, download its template."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from startklar.core.deletion import Confirmation, preview
from startklar.core.forms import INVALID
from startklar.core.htmx import HtmxHttpRequest
from startklar.core.uploads import too_large
from startklar.organisations.tenancy import Tenant, org_view

from . import dashboard, measurefile, queries, services
from .forms import ImportForm, KpiForm, MeasurementForm
from .models import Kpi, Measurement, Pilot

PILOTS = Pilot.objects.select_related("use_case")
KPIS = Kpi.objects.select_related("pilot__use_case")
FIELDS = ("period", "value", "note")


def _detail(tenant: Tenant, pilot_id: int, anchor: str = "kpis") -> str:
    return queries.url(tenant, "detail", pilot_id) + f"#{anchor}"


# KPIs ------------------------------------------------------------------------------------------


def _proposal(pilot: Pilot, key: str) -> dashboard.Proposal | None:
    taken = pilot.kpis.values_list("name", flat=True)
    found = dashboard.proposals(pilot.use_case, taken, get_language() or "de")
    return next((p for p in found if p.key == key), None)


def _initial(pilot: Pilot, proposal: dashboard.Proposal | None) -> dict[str, Any]:
    today = timezone.localdate()
    initial: dict[str, Any] = {
        "baseline_date": today,
        "target_date": pilot.planned_end,
        "period": "week",
    }
    if proposal is not None:
        initial.update(
            name=proposal.name,
            category=proposal.category,
            unit=proposal.unit,
            direction=proposal.direction,
        )
        if proposal.baseline is not None:
            initial["baseline_value"] = proposal.baseline
        if proposal.target is not None:
            initial["target_value"] = proposal.target
        if proposal.target_date is not None:
            initial["target_date"] = proposal.target_date
    return initial


def _kpi_page(
    request: HtmxHttpRequest,
    tenant: Tenant,
    pilot: Pilot,
    form: KpiForm,
    kpi: Kpi | None = None,
    proposal: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "tenant": tenant,
        "pilot": pilot,
        "form": form,
        "kpi": kpi,
        "proposal": proposal,
    }
    return render(request, "pilots/kpi_form.html", context, status=status)


@org_view()
@require_http_methods(["GET", "POST"])
def kpi_create(request: HtmxHttpRequest, tenant: Tenant, pilot_id: int) -> HttpResponse:
    pilot = tenant.get(PILOTS, pk=pilot_id)
    key = str(request.GET.get("proposal") or request.POST.get("proposal") or "")[:20]
    proposal = _proposal(pilot, key) if key else None
    if request.method == "GET":
        form = KpiForm(pilot, initial=_initial(pilot, proposal))
        return _kpi_page(request, tenant, pilot, form, proposal=key if proposal else "")
    if request.POST.get("take") and proposal is not None and proposal.complete:
        # One click: a proposal with every number known (the use case's numeric goal).
        data = {**_initial(pilot, proposal), "baseline_method": _("from the use case's goal")}
        form = KpiForm(pilot, {k: _as_input(v) for k, v in data.items()})
    else:
        form = KpiForm(pilot, request.POST)
    if form.is_valid():
        kpi = form.save(commit=False)
        kpi.proposed_from = proposal.source if proposal else ""
        try:
            services.save_kpi(tenant, pilot, kpi)
        except services.PilotError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("KPI “%(name)s” added.") % {"name": kpi.name})
            return redirect(_detail(tenant, pilot.pk, f"kpi-{kpi.pk}"))
    return _kpi_page(request, tenant, pilot, form, proposal=key if proposal else "", status=INVALID)


def _as_input(value: Any) -> str:
    from startklar.core.numbers import format_input

    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    if hasattr(value, "as_tuple"):
        return format_input(value, get_language() or "de")
    return str(value)


@org_view()
@require_http_methods(["GET", "POST"])
def kpi_edit(request: HtmxHttpRequest, tenant: Tenant, kpi_id: int) -> HttpResponse:
    kpi = tenant.get(KPIS, pk=kpi_id)
    pilot = kpi.pilot
    if request.method == "GET":
        return _kpi_page(request, tenant, pilot, KpiForm(pilot, instance=kpi), kpi)
    form = KpiForm(pilot, request.POST, instance=kpi)
    if form.is_valid():
        try:
            services.save_kpi(tenant, pilot, form.save(commit=False))
        except services.PilotError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("KPI saved."))
            return redirect(_detail(tenant, pilot.pk, f"kpi-{kpi.pk}"))
    return _kpi_page(request, tenant, pilot, form, kpi, status=INVALID)


@org_view()
@require_http_methods(["GET", "POST"])
def kpi_delete(request: HtmxHttpRequest, tenant: Tenant, kpi_id: int) -> HttpResponse:
    kpi = tenant.get(KPIS, pk=kpi_id)
    if request.method == "POST":
        services.delete_kpi(tenant, kpi)
        messages.success(request, _("KPI “%(name)s” deleted.") % {"name": kpi.name})
        return redirect(_detail(tenant, kpi.pilot_id))
    deleted, unlinked = preview(kpi)
    confirm = Confirmation(
        title=_("Delete KPI"),
        name=kpi.name,
        consequences=deleted,
        unlinked=unlinked,
        kept=(_("Actual values already written to the business case stay."),),
        action_url=queries.url(tenant, "kpi_delete", kpi.pk),
        cancel_url=_detail(tenant, kpi.pilot_id, f"kpi-{kpi.pk}"),
        button=_("Delete KPI for good"),
    )
    return render(request, "core/confirm_delete.html", {"tenant": tenant, "confirm": confirm})


# Measurements ----------------------------------------------------------------------------------


def _card(
    request: HtmxHttpRequest,
    tenant: Tenant,
    kpi: Kpi,
    status: int = 200,
    form: MeasurementForm | None = None,
) -> HttpResponse:
    card = replace(dashboard.kpi_card(kpi), form=form)
    context = {"tenant": tenant, "card": card, "today": timezone.localdate()}
    response = render(request, "pilots/kpis.html#kpi_card", context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response


@org_view()
@require_GET
def kpi_card(request: HtmxHttpRequest, tenant: Tenant, kpi_id: int) -> HttpResponse:
    """A KPI's card, opened from its row on a pilot page with many KPIs (htmx); without
    JavaScript the row's link shows the page with every card instead."""
    kpi = tenant.get(KPIS, pk=kpi_id)
    if not request.htmx:
        page = queries.url(tenant, "detail", kpi.pilot_id) + f"?kpis=all#kpi-{kpi.pk}"
        response: HttpResponse = redirect(page)
        patch_vary_headers(response, ("HX-Request",))
        return response
    return _card(request, tenant, kpi)


@org_view()
@require_POST
def measure(request: HtmxHttpRequest, tenant: Tenant, kpi_id: int) -> HttpResponse:
    """The quick entry under a KPI's chart: the card again, with the value or the messages."""
    kpi = tenant.get(KPIS, pk=kpi_id)
    form = MeasurementForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_measurements(
                tenant, kpi, [services.Row(data["period"], data["value"], data["note"])]
            )
        except services.MeasurementError as error:
            for problem in error.errors:
                form.add_error(problem.field if problem.field in FIELDS else None, problem.message)
        else:
            if not request.htmx:
                messages.success(request, _("Measurement recorded."))
                return redirect(_detail(tenant, kpi.pilot_id, f"kpi-{kpi.pk}"))
            return _card(request, tenant, kpi)
    if not request.htmx:
        # Without JavaScript: the whole page with the card's messages.
        return _page_with(request, tenant, kpi.pilot, kpi, form)
    return _card(request, tenant, kpi, INVALID, form)


def _page_with(
    request: HtmxHttpRequest, tenant: Tenant, pilot: Pilot, kpi: Kpi, form: MeasurementForm
) -> HttpResponse:
    page = queries.pilot_page(tenant, pilot)
    section = dashboard.kpi_section(tenant, pilot)
    section = replace(
        section,
        cards=tuple(replace(c, form=form) if c.kpi.pk == kpi.pk else c for c in section.cards),
    )
    context = {"tenant": tenant, "page": page, "kpis": section}
    return render(request, "pilots/detail.html", context, status=INVALID)


@org_view()
@require_http_methods(["GET", "POST"])
def measurement_delete(
    request: HtmxHttpRequest, tenant: Tenant, measurement_id: int
) -> HttpResponse:
    measurement = tenant.get(Measurement.objects.select_related("kpi"), pk=measurement_id)
    kpi = measurement.kpi
    if request.method == "POST":
        services.delete_measurement(tenant, measurement)
        if request.htmx:
            return _card(request, tenant, kpi)
        messages.success(request, _("Measurement deleted."))
        return redirect(_detail(tenant, kpi.pilot_id, f"kpi-{kpi.pk}"))
    confirm = Confirmation(
        title=_("Delete measurement"),
        name=f"{kpi.name}: {measurement.period:%d.%m.%Y}",
        consequences=(),
        unlinked=(),
        kept=(),
        action_url=queries.url(tenant, "measurement_delete", measurement.pk),
        cancel_url=_detail(tenant, kpi.pilot_id, f"kpi-{kpi.pk}"),
        button=_("Delete measurement"),
    )
    return render(request, "core/confirm_delete.html", {"tenant": tenant, "confirm": confirm})


# Import ----------------------------------------------------------------------------------------


def _import_page(
    request: HtmxHttpRequest,
    tenant: Tenant,
    pilot: Pilot,
    form: ImportForm,
    errors: tuple[services.RowError, ...] = (),
    status: int = 200,
) -> HttpResponse:
    columns = measurefile.column_names()
    columns["file"] = _("File")
    rows = [(e.row, columns.get(e.field, e.field), e.message) for e in errors]
    context = {
        "tenant": tenant,
        "pilot": pilot,
        "form": form,
        "errors": rows,
        "kpi_names": list(pilot.kpis.values_list("name", flat=True)),
    }
    return render(request, "pilots/import.html", context, status=status)


@org_view()
@require_http_methods(["GET", "POST"])
def measurements_import(request: HtmxHttpRequest, tenant: Tenant, pilot_id: int) -> HttpResponse:
    pilot = tenant.get(PILOTS, pk=pilot_id)
    if request.method == "GET":
        return _import_page(request, tenant, pilot, ImportForm())
    form = ImportForm(request.POST, request.FILES)
    if too_large(request, "file"):
        form.add_error("file", _("The file is larger than 5 MB."))
        return _import_page(request, tenant, pilot, form, status=INVALID)
    if not form.is_valid():
        return _import_page(request, tenant, pilot, form, status=INVALID)
    upload = form.cleaned_data["file"]
    data = upload.read(measurefile.MAX_BYTES + 1)
    try:
        rows = measurefile.read(upload.name or "", data, get_language() or "de")
        count = services.import_measurements(tenant, pilot, rows)
    except measurefile.FileError as error:
        return _import_page(request, tenant, pilot, form, tuple(error.errors), INVALID)
    except services.MeasurementError as error:
        return _import_page(request, tenant, pilot, form, error.errors, INVALID)
    messages.success(request, _("%(count)d measurements imported.") % {"count": count})
    return redirect(_detail(tenant, pilot.pk))


@org_view()
@require_GET
def import_template(request: HtmxHttpRequest, tenant: Tenant, pilot_id: int) -> HttpResponse:
    del request
    pilot = tenant.get(PILOTS, pk=pilot_id)
    names = list(pilot.kpis.values_list("name", flat=True))
    content = measurefile.template(names, get_language() or "de")
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = _("measurements") + ".xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
