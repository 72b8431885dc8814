"""Pages of the business case. Each view parses, calls one service or query, renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from startklar.core import htmx, kept
from startklar.core.forms import INVALID
from startklar.core.htmx import HtmxHttpRequest
from startklar.organisations.tenancy import Tenant, org_view
from startklar.usecases.models import UseCase

from . import queries, services
from .forms import (
    ActualForm,
    DecisionForm,
    ItemForm,
    NewItemForm,
    QuestionnaireForm,
    SettingsForm,
)
from .models import BusinessCase, LineItem


def _url(tenant: Tenant, name: str, *args: object) -> str:
    return reverse(f"businesscase:{name}", args=[tenant.organisation.slug, *args])


@org_view()
@require_GET
def case_list(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    rows = queries.comparison(tenant)
    context = {
        "tenant": tenant,
        "rows": rows,
        "rows_key": queries.comparison_key(tenant, rows),
        "person_key": kept.person_key(request),  # the rows' forms carry the CSRF token
    }
    return render(request, "businesscase/list.html", context)


@org_view()
@require_POST
def create(_request: HtmxHttpRequest, tenant: Tenant, usecase_id: int) -> HttpResponse:
    case = services.create_for(tenant, tenant.get(UseCase.objects, pk=usecase_id))
    return redirect(_url(tenant, "editor", case.pk))


def _editor(
    request: HtmxHttpRequest, tenant: Tenant, case: BusinessCase, status: int = 200, **extra: Any
) -> HttpResponse:
    page = queries.editor(case)
    context: dict[str, Any] = {
        "tenant": tenant,
        "case": case,
        "settings_form": SettingsForm(
            initial={
                "horizon": case.horizon,
                "discount_rate": case.discount_rate,
                "start": case.start,
                "ramp_low": case.ramp_low,
                "ramp_likely": case.ramp_likely,
                "ramp_high": case.ramp_high,
                "go_live": case.go_live,
            }
        ),
        "new_item_form": NewItemForm(),
        "item_forms": [ItemForm(item=item) for item in page.items],
        **page.results.context(),
        **extra,
    }
    if "item_forms_override" in extra:
        override = extra["item_forms_override"]
        context["item_forms"] = [
            override if f.item.pk == override.item.pk else f for f in context["item_forms"]
        ]
    return render(request, "businesscase/editor.html", context, status=status)


@org_view()
@require_GET
def editor(request: HtmxHttpRequest, tenant: Tenant, businesscase_id: int) -> HttpResponse:
    return _editor(
        request,
        tenant,
        tenant.get(BusinessCase.objects.select_related("use_case"), pk=businesscase_id),
    )


@org_view()
@require_POST
def update_settings(request: HtmxHttpRequest, tenant: Tenant, businesscase_id: int) -> HttpResponse:
    case = tenant.get(BusinessCase.objects.select_related("use_case"), pk=businesscase_id)
    form = SettingsForm(request.POST)
    if not form.is_valid():
        return _editor(request, tenant, case, INVALID, settings_form=form)
    data = form.cleaned_data
    services.update_settings(
        tenant,
        case,
        data["horizon"],
        data["discount_rate"],
        data["start"],
        (data["ramp_low"], data["ramp_likely"], data["ramp_high"]),
        data["go_live"],
    )
    return redirect(_url(tenant, "editor", case.pk))


@org_view()
@require_POST
def add_item(request: HtmxHttpRequest, tenant: Tenant, businesscase_id: int) -> HttpResponse:
    case = tenant.get(BusinessCase.objects.select_related("use_case"), pk=businesscase_id)
    form = NewItemForm(request.POST)
    if form.is_valid():
        try:
            services.add_item(tenant, case, form.cleaned_data["kind"], form.cleaned_data["name"])
            return redirect(_url(tenant, "editor", case.pk) + "#items")
        except services.BusinessCaseError as error:
            form.add_error("name", str(error))
    status = INVALID
    return _editor(request, tenant, case, status, new_item_form=form)


@org_view()
@require_POST
def update_item(request: HtmxHttpRequest, tenant: Tenant, lineitem_id: int) -> HttpResponse:
    """Inline editing: the item row comes back, and the results update out of band."""
    item = tenant.get(LineItem.objects.select_related("business_case__use_case"), pk=lineitem_id)
    case = item.business_case
    form = ItemForm(request.POST, item=item)
    status = 200
    if form.is_valid():
        try:
            services.update_item(
                tenant, item, form.cleaned_data["name"], form.cleaned_data["note"], form.factors()
            )
            form = ItemForm(item=item)
        except services.BusinessCaseError as error:
            form.add_error("name", str(error))
            status = INVALID
    else:
        status = INVALID
    if not request.htmx:
        if status == 200:
            return redirect(_url(tenant, "editor", case.pk) + "#items")
        return _editor(request, tenant, case, status, item_forms_override=form)
    # The results come along (out of band) only when the edit was saved: a refused edit
    # changed nothing, so the panel on the page is still right and is not computed again.
    saved = status == 200
    context = {
        "tenant": tenant,
        "case": case,
        "form": form,
        "oob": saved,
        **(queries.results(case).context() if saved else {}),
    }
    return htmx.render(request, "businesscase/editor.html", context, partial="item", status=status)


@org_view()
@require_POST
def delete_item(request: HtmxHttpRequest, tenant: Tenant, lineitem_id: int) -> HttpResponse:
    item = tenant.get(LineItem.objects.select_related("business_case"), pk=lineitem_id)
    case = item.business_case
    services.delete_item(tenant, item)
    if request.htmx:
        context = {"tenant": tenant, "case": case, "oob": True, **queries.results(case).context()}
        return htmx.render(request, "businesscase/editor.html", context, partial="results")
    return redirect(_url(tenant, "editor", case.pk) + "#items")


@org_view()
@require_http_methods(["GET", "POST"])
def actuals(request: HtmxHttpRequest, tenant: Tenant, businesscase_id: int) -> HttpResponse:
    case = tenant.get(BusinessCase.objects.select_related("use_case"), pk=businesscase_id)
    page = queries.actuals_page(case)
    form = ActualForm(request.POST if request.method == "POST" else None, items=page.benefit_items)
    if form.is_bound and form.is_valid():
        try:
            services.record_actual(
                tenant,
                form.cleaned_data["item"],
                form.cleaned_data["month"],
                form.cleaned_data["value"],
            )
            messages.success(request, _("Actual value saved."))
            return redirect(_url(tenant, "actuals", case.pk))
        except services.BusinessCaseError as error:
            form.add_error("item", str(error))
    context = {
        "tenant": tenant,
        "case": case,
        "form": form,
        "rows": page.rows,
    }
    status = INVALID if form.is_bound else 200
    return render(request, "businesscase/actuals.html", context, status=status)


def _decision_page(
    request: HtmxHttpRequest, tenant: Tenant, case: BusinessCase, status: int = 200, **extra: Any
) -> HttpResponse:
    page = queries.decision_page(case)
    context = {
        "tenant": tenant,
        "case": case,
        "questionnaire": page.questionnaire,
        "form": QuestionnaireForm(initial={k: str(v) for k, v in page.answers.items()}),
        "decision_form": DecisionForm(
            initial={"decision": case.decision, "rationale": case.decision_rationale}
        ),
        "page": page.decision,
        "answers": page.answers,
        "language": get_language() or "de",
        **extra,
    }
    return render(request, "businesscase/decision.html", context, status=status)


@org_view()
@require_http_methods(["GET", "POST"])
def decision(request: HtmxHttpRequest, tenant: Tenant, businesscase_id: int) -> HttpResponse:
    case = tenant.get(BusinessCase.objects.select_related("use_case"), pk=businesscase_id)
    if request.method == "GET":
        return _decision_page(request, tenant, case)
    form = QuestionnaireForm(request.POST)
    if not form.is_valid():
        return _decision_page(request, tenant, case, INVALID, form=form)
    services.answer(tenant, case, {k: v for k, v in form.cleaned_data.items() if v is not None})
    return redirect(_url(tenant, "decision", case.pk) + "#recommendation")


@org_view()
@require_http_methods(["GET", "POST"])
def delete(request: HtmxHttpRequest, tenant: Tenant, businesscase_id: int) -> HttpResponse:
    case = tenant.get(BusinessCase.objects.select_related("use_case"), pk=businesscase_id)
    if request.method == "POST":
        services.delete_case(tenant, case)
        messages.success(
            request,
            _("The business case of “%(title)s” has been deleted.")
            % {"title": case.use_case.title},
        )
        return redirect(_url(tenant, "list"))
    confirm = queries.case_deletion(tenant, case)
    return render(request, "core/confirm_delete.html", {"tenant": tenant, "confirm": confirm})


@org_view()
@require_POST
def decide(request: HtmxHttpRequest, tenant: Tenant, businesscase_id: int) -> HttpResponse:
    case = tenant.get(BusinessCase.objects.select_related("use_case"), pk=businesscase_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide(
                tenant, case, form.cleaned_data["decision"], form.cleaned_data["rationale"]
            )
        except services.BusinessCaseError as error:
            form.add_error("rationale", str(error))
        else:
            if form.cleaned_data["apply_template"]:
                added = services.apply_template(
                    tenant, case, form.cleaned_data["decision"], get_language() or "de"
                )
                messages.info(
                    request,
                    _("%(count)d cost items added; enter their amounts.") % {"count": added},
                )
            messages.success(request, _("The decision is recorded."))
            return redirect(_url(tenant, "editor", case.pk))
    return _decision_page(request, tenant, case, INVALID, decision_form=form)
