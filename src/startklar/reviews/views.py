"""Pages of the quality reviews. Each view parses, calls one service or query, renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from startklar.core import htmx
from startklar.core.forms import INVALID
from startklar.core.htmx import HtmxHttpRequest
from startklar.core.uploads import too_large
from startklar.organisations.models import Role
from startklar.organisations.tenancy import Tenant, org_view

from . import csvfile, queries, services
from .content import load_rubric
from .forms import (
    AcknowledgeForm,
    ItemForm,
    PlanForm,
    RubricForm,
    SampleSizeForm,
    SettleForm,
    UploadForm,
    VerdictForm,
)
from .labels import period_label
from .models import ReviewAlert, ReviewItem, ReviewPlan, Source


def _url(tenant: Tenant, name: str, *args: object) -> str:
    return reverse(f"reviews:{name}", args=[tenant.organisation.slug, *args])


def _base(request: HtmxHttpRequest) -> str:
    """The site's address for links in e-mails."""
    return request.build_absolute_uri("/").rstrip("/")


def _plan(tenant: Tenant, plan_id: int) -> ReviewPlan:
    return tenant.get(ReviewPlan.objects.select_related("ai_system"), pk=plan_id)


@org_view()
@require_GET
def plan_list(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    page = queries.list_page(tenant)
    context = {"tenant": tenant, "page": page, "summaries": page.summaries}
    return render(request, "reviews/list.html", context)


def _sample_size(data: Any) -> tuple[SampleSizeForm, int | None]:
    form = SampleSizeForm(data)
    return form, form.size()


def _edit_page(
    request: HtmxHttpRequest, tenant: Tenant, form: PlanForm, plan: ReviewPlan | None, status: int
) -> HttpResponse:
    values = (
        form.data
        if form.is_bound
        else {
            "margin": form.initial.get("margin", form.instance.margin),
            "confidence": form.initial.get("confidence", form.instance.confidence),
            "expected_rate": form.initial.get("expected_rate", form.instance.expected_rate) or "",
        }
    )
    calculator, size = _sample_size(values)
    context = {"tenant": tenant, "form": form, "plan": plan, "size": size, "calculator": calculator}
    return render(request, "reviews/edit.html", context, status=status)


@org_view()
@require_http_methods(["GET", "POST"])
def create(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    initial: dict[str, Any] = {"owner": tenant.membership.user_id}
    system = request.GET.get("ai_system", "")
    if system.isdigit() and len(system) < 19:
        initial["ai_system"] = int(system)
    form = PlanForm(
        request.POST if request.method == "POST" else None,
        tenant=tenant,
        instance=ReviewPlan(organisation=tenant.organisation),
        initial=initial,
    )
    if form.is_bound and form.is_valid():
        try:
            plan = services.create_plan(
                tenant, form.save(commit=False), list(form.cleaned_data["reviewers"])
            )
        except services.ReviewError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, _("The review plan is saved. Now add items to judge."))
            return redirect(_url(tenant, "items", plan.pk))
    return _edit_page(request, tenant, form, None, INVALID if form.is_bound else 200)


@org_view()
@require_http_methods(["GET", "POST"])
def edit(request: HtmxHttpRequest, tenant: Tenant, reviewplan_id: int) -> HttpResponse:
    plan = _plan(tenant, reviewplan_id)
    form = PlanForm(
        request.POST if request.method == "POST" else None, tenant=tenant, instance=plan
    )
    if form.is_bound and form.is_valid():
        try:
            services.update_plan(
                tenant, form.save(commit=False), list(form.cleaned_data["reviewers"])
            )
        except services.ReviewError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, _("The review plan is saved."))
            return redirect(_url(tenant, "plan", plan.pk))
    return _edit_page(request, tenant, form, plan, INVALID if form.is_bound else 200)


@org_view()
@require_GET
def sample_size(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    """The calculator's answer for the values typed so far (htmx, as the fields change)."""
    calculator, size = _sample_size(request.GET)
    context = {"tenant": tenant, "size": size, "calculator": calculator}
    return htmx.render(request, "reviews/edit.html", context, partial="calculator")


def chart_labels(summary: queries.PlanSummary) -> dict[str, str]:
    labels = {
        "period": _("Period"),
        "rate": _("Error rate"),
        "low": _("Interval from"),
        "high": _("Interval to"),
        "items": _("Items judged"),
        "errors": _("Errors"),
        "threshold": _("Agreed threshold"),
        "alert": _("Alert"),
        "no_alert": _("Error rate with 95% interval"),
    }
    for p in summary.periods:
        labels[p.start.isoformat()] = period_label(p.start, summary.cadence)
    return labels


@org_view()
@require_GET
def plan(request: HtmxHttpRequest, tenant: Tenant, reviewplan_id: int) -> HttpResponse:
    found = _plan(tenant, reviewplan_id)
    page = queries.plan_page(tenant, found, chart_labels)
    context = {
        "tenant": tenant,
        "plan": found,
        "page": page,
        "s": page.summary,
        "chart_label": _(
            "The error rate of each period as a point, its 95 percent interval as a bar, and the "
            "agreed threshold as a dashed line. The table below holds the same figures."
        ),
        "may_settle": tenant.can_edit
        and (found.owner_id == tenant.membership.user_id or tenant.can_administer),
        # one form per row, each with ids of its own
        "settle_forms": {
            d.item_id: SettleForm(auto_id=f"settle{d.item_id}_%s") for d in page.disagreements
        },
        "acknowledge_forms": {
            a.pk: AcknowledgeForm(auto_id=f"alert{a.pk}_%s") for a in page.alerts
        },
    }
    return render(request, "reviews/plan.html", context)


@org_view()
@require_http_methods(["GET", "POST"])
def rubric(request: HtmxHttpRequest, tenant: Tenant, reviewplan_id: int) -> HttpResponse:
    found = _plan(tenant, reviewplan_id)
    form = RubricForm(
        request.POST if request.method == "POST" else None, rubric=found.parsed_rubric()
    )
    if form.is_bound and form.is_valid():
        try:
            services.update_rubric(tenant, found, form.rubric_data(load_rubric()))
        except services.ReviewError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The rubric is saved."))
            return redirect(_url(tenant, "plan", found.pk) + "#rubric")
    context = {"tenant": tenant, "plan": found, "form": form}
    return render(request, "reviews/rubric.html", context, status=INVALID if form.is_bound else 200)


@org_view()
@require_http_methods(["GET", "POST"])
def delete(request: HtmxHttpRequest, tenant: Tenant, reviewplan_id: int) -> HttpResponse:
    found = _plan(tenant, reviewplan_id)
    if request.method == "POST":
        services.delete_plan(tenant, found)
        messages.success(
            request, _("The review plan “%(title)s” has been deleted.") % {"title": found.title}
        )
        return redirect(_url(tenant, "list"))
    confirm = queries.plan_deletion(tenant, found)
    return render(request, "core/confirm_delete.html", {"tenant": tenant, "confirm": confirm})


def _items_page(
    request: HtmxHttpRequest,
    tenant: Tenant,
    found: ReviewPlan,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    context: dict[str, Any] = {
        "tenant": tenant,
        "plan": found,
        "form": ItemForm(initial={"sampled_on": timezone.localdate()}),
        "upload_form": UploadForm(),
        "items": queries.recent_items(found),
        "problems": [],
        **extra,
    }
    return render(request, "reviews/items.html", context, status=status)


@org_view()
@require_http_methods(["GET", "POST"])
def items(request: HtmxHttpRequest, tenant: Tenant, reviewplan_id: int) -> HttpResponse:
    found = _plan(tenant, reviewplan_id)
    if request.method == "GET":
        return _items_page(request, tenant, found)
    form = ItemForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        row = services.NewItem(
            data["output"], data["sampled_on"], data["reference"], data["context"]
        )
        try:
            services.add_items(tenant, found, [row], Source.MANUAL)
        except services.ItemsError as error:
            for problem in error.problems:
                form.add_error(
                    problem.field if problem.field in form.fields else None, problem.message
                )
        else:
            messages.success(request, _("The item is added."))
            return redirect(_url(tenant, "items", found.pk))
    return _items_page(request, tenant, found, INVALID, form=form)


@org_view()
@require_POST
def upload(request: HtmxHttpRequest, tenant: Tenant, reviewplan_id: int) -> HttpResponse:
    found = _plan(tenant, reviewplan_id)
    form = UploadForm(request.POST, request.FILES, too_large=too_large(request, "file"))
    problems: list[services.Problem] = []
    if form.is_valid():
        rows, lines, problems = csvfile.read(form.cleaned_data["file"].read(), timezone.localdate())
        if not problems:
            try:
                created = services.add_items(tenant, found, rows, Source.CSV)
            except services.ItemsError as error:
                problems = [
                    services.Problem(
                        lines[p.row - 1] if 0 < p.row <= len(lines) else 1, p.field, p.message
                    )
                    for p in error.problems
                ]
            else:
                messages.success(request, _("%(count)d items added.") % {"count": len(created)})
                return redirect(_url(tenant, "items", found.pk))
    return _items_page(request, tenant, found, INVALID, upload_form=form, problems=problems)


@org_view(write_role=Role.VIEWER)  # a reviewer may be a viewer; the service checks the plan
@require_GET
def next_item(request: HtmxHttpRequest, tenant: Tenant, reviewplan_id: int) -> HttpResponse:
    found = _plan(tenant, reviewplan_id)
    item = queries.next_item(found, tenant.membership.user)
    if item is None:
        messages.info(request, _("Nothing left to judge in this plan. Thank you!"))
        return redirect(_url(tenant, "plan", found.pk))
    return redirect(_url(tenant, "judge", item.pk))


@org_view(write_role=Role.VIEWER)  # a reviewer may be a viewer; the service checks the plan
@require_http_methods(["GET", "POST"])
def judge(request: HtmxHttpRequest, tenant: Tenant, reviewitem_id: int) -> HttpResponse:
    item = tenant.get(ReviewItem.objects.select_related("plan__ai_system"), pk=reviewitem_id)
    page = queries.judge_page(tenant, item)
    form = VerdictForm(request.POST if request.method == "POST" else None, rubric=page.rubric)
    if form.is_bound and form.is_valid():
        try:
            services.judge(
                tenant, item, form.levels(), form.cleaned_data["comment"], _base(request)
            )
        except services.ReviewError as error:
            field = f"level_{error.field}"
            form.add_error(field if field in form.fields else None, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect(_url(tenant, "next", item.plan_id))
    status = INVALID if form.is_bound else 200
    if form.is_bound and not page.may_judge:
        status = 409
    context = {"tenant": tenant, "page": page, "item": item, "plan": item.plan, "form": form}
    return render(request, "reviews/judge.html", context, status=status)


@org_view()
@require_POST
def settle(request: HtmxHttpRequest, tenant: Tenant, reviewitem_id: int) -> HttpResponse:
    item = tenant.get(ReviewItem.objects.select_related("plan"), pk=reviewitem_id)
    form = SettleForm(request.POST)
    if form.is_valid():
        try:
            services.settle(
                tenant, item, form.cleaned_data["error"], form.cleaned_data["note"], _base(request)
            )
        except services.ReviewError as error:
            messages.error(request, str(error))
            return redirect(_url(tenant, "plan", item.plan_id) + "#disagreements")
        messages.success(request, _("The disagreement is settled."))
        return redirect(_url(tenant, "plan", item.plan_id) + "#disagreements")
    context = {"tenant": tenant, "form": form, "item": item, "plan": item.plan}
    return render(request, "reviews/form_error.html", context, status=INVALID)


@org_view()
@require_POST
def acknowledge(request: HtmxHttpRequest, tenant: Tenant, reviewalert_id: int) -> HttpResponse:
    alert = tenant.get(ReviewAlert.objects.select_related("plan"), pk=reviewalert_id)
    form = AcknowledgeForm(request.POST)
    if form.is_valid():
        try:
            services.acknowledge(tenant, alert, form.cleaned_data["note"])
        except services.ReviewError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The alert is marked as dealt with."))
        return redirect(_url(tenant, "plan", alert.plan_id) + "#alerts")
    context = {"tenant": tenant, "form": form, "plan": alert.plan}
    return render(request, "reviews/form_error.html", context, status=INVALID)
