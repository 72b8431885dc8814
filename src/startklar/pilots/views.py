"""Pages of the pilots. Each view parses, calls one service or query, renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from startklar.core.forms import INVALID
from startklar.core.htmx import HtmxHttpRequest
from startklar.organisations.tenancy import Tenant, org_view
from startklar.usecases.models import Status, UseCase
from startklar.usecases.services import UseCaseError

from . import dashboard, queries, services
from .forms import DecisionForm, GateNoteForm, PilotForm
from .models import GateItem, Outcome, Pilot

PILOTS = Pilot.objects.select_related("use_case", "owner__user")


@org_view()
@require_GET
def pilot_list(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    page = queries.pilot_list(tenant)
    return render(request, "pilots/list.html", {"tenant": tenant, "page": page})


def _form_page(
    request: HtmxHttpRequest,
    tenant: Tenant,
    form: PilotForm,
    use_case: UseCase,
    pilot: Pilot | None = None,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "tenant": tenant,
        "form": form,
        "use_case": use_case,
        "pilot": pilot,
    }
    return render(request, "pilots/form.html", context, status=status)


@org_view()
@require_http_methods(["GET", "POST"])
def create(request: HtmxHttpRequest, tenant: Tenant, usecase_id: int) -> HttpResponse:
    use_case = tenant.get(UseCase.objects, pk=usecase_id)
    if request.method == "GET":
        form = PilotForm(tenant, initial=queries.initial_for(tenant, use_case))
        return _form_page(request, tenant, form, use_case)
    form = PilotForm(tenant, request.POST)
    if form.is_valid():
        try:
            pilot = services.create_pilot(
                tenant, use_case, form.save(commit=False), form.cleaned_data["ai_systems"]
            )
        except services.PilotError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The pilot is planned. Now add the KPIs it is measured by.")
            )
            return redirect(queries.url(tenant, "detail", pilot.pk))
    return _form_page(request, tenant, form, use_case, status=INVALID)


@org_view()
@require_http_methods(["GET", "POST"])
def edit(request: HtmxHttpRequest, tenant: Tenant, pilot_id: int) -> HttpResponse:
    pilot = tenant.get(PILOTS, pk=pilot_id)
    if request.method == "GET":
        form = PilotForm(tenant, instance=pilot, initial={"ai_systems": pilot.ai_systems.all()})
        return _form_page(request, tenant, form, pilot.use_case, pilot)
    form = PilotForm(tenant, request.POST, instance=pilot)
    if form.is_valid():
        try:
            services.update_pilot(tenant, form.save(commit=False), form.cleaned_data["ai_systems"])
        except services.PilotError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Pilot saved."))
            return redirect(queries.url(tenant, "detail", pilot.pk))
    return _form_page(request, tenant, form, pilot.use_case, pilot, status=INVALID)


@org_view()
@require_GET
def detail(request: HtmxHttpRequest, tenant: Tenant, pilot_id: int) -> HttpResponse:
    pilot = tenant.get(PILOTS, pk=pilot_id)
    page = queries.pilot_page(tenant, pilot)
    every_card = request.GET.get("kpis") == "all"  # the KPI rows' link without JavaScript
    kpis = dashboard.kpi_section(tenant, pilot, every_card)
    return render(request, "pilots/detail.html", {"tenant": tenant, "page": page, "kpis": kpis})


@org_view()
@require_POST
def start(request: HtmxHttpRequest, tenant: Tenant, pilot_id: int) -> HttpResponse:
    pilot = tenant.get(PILOTS, pk=pilot_id)
    try:
        services.start_pilot(tenant, pilot)
    except services.PilotError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The pilot runs. Its use case is now in the pilot stage."))
    return redirect(queries.url(tenant, "detail", pilot.pk))


@org_view()
@require_http_methods(["GET", "POST"])
def delete(request: HtmxHttpRequest, tenant: Tenant, pilot_id: int) -> HttpResponse:
    pilot = tenant.get(PILOTS, pk=pilot_id)
    if request.method == "POST":
        services.delete_pilot(tenant, pilot)
        messages.success(
            request, _("The pilot of “%(title)s” has been deleted.") % {"title": pilot.use_case}
        )
        return redirect(queries.url(tenant, "list"))
    confirm = queries.pilot_deletion(tenant, pilot)
    return render(request, "core/confirm_delete.html", {"tenant": tenant, "confirm": confirm})


def _gate(
    request: HtmxHttpRequest,
    tenant: Tenant,
    pilot: Pilot,
    status: int = 200,
    decision_form: DecisionForm | None = None,
    note_form: GateNoteForm | None = None,
) -> HttpResponse:
    context = {
        "tenant": tenant,
        "page": queries.gate_page(tenant, pilot),
        "decision_form": decision_form or DecisionForm(),
        "note_form": note_form,
    }
    return render(request, "pilots/gate.html", context, status=status)


@org_view()
@require_http_methods(["GET", "POST"])
def gate(request: HtmxHttpRequest, tenant: Tenant, pilot_id: int) -> HttpResponse:
    """The scale decision: each item with its evidence; POST records a note on one item."""
    pilot = tenant.get(PILOTS, pk=pilot_id)
    if request.method == "GET":
        return _gate(request, tenant, pilot)
    form = GateNoteForm(request.POST)
    if form.is_valid():
        try:
            services.note_gate(
                tenant, pilot, GateItem(form.cleaned_data["item"]), form.cleaned_data["text"]
            )
        except services.PilotError as error:
            form.add_error("text", str(error))
        else:
            messages.success(request, _("Note saved."))
            return redirect(queries.url(tenant, "gate", pilot.pk) + "#gate-items")
    return _gate(request, tenant, pilot, INVALID, note_form=form)


@org_view()
@require_POST
def decide(request: HtmxHttpRequest, tenant: Tenant, pilot_id: int) -> HttpResponse:
    pilot = tenant.get(PILOTS, pk=pilot_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.decide(
                tenant,
                pilot,
                Outcome(data["outcome"]),
                data["rationale"],
                to_status=Status(data["to_status"]) if data["to_status"] else None,
                new_end=data["new_end"],
                override=data["override"],
            )
        except (services.PilotError, UseCaseError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect(queries.url(tenant, "gate", pilot.pk))
    return _gate(request, tenant, pilot, INVALID, decision_form=form)
