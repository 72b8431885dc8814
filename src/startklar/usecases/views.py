"""Pages of the use-case feature. Each view parses, calls one service or query, renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from startklar.core import htmx
from startklar.core.forms import INVALID
from startklar.core.htmx import HtmxHttpRequest
from startklar.core.uploads import too_large
from startklar.organisations.models import Role
from startklar.organisations.tenancy import Tenant, org_view

from . import excel, queries, services
from .content import load_catalogue
from .engine import search
from .forms import (
    ImportForm,
    PainFormSet,
    PlanForm,
    ScoresForm,
    SearchForm,
    StatusForm,
    UseCaseForm,
    VoteForm,
    WeightsForm,
    WorkshopForm,
)
from .models import GATED, UseCase, Workshop


def _language() -> str:
    return get_language() or "de"


def _url(tenant: Tenant, name: str, *args: object) -> str:
    return reverse(f"usecases:{name}", args=[tenant.organisation.slug, *args])


@org_view()
@require_GET
def use_case_list(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    context = {"tenant": tenant, "page": queries.portfolio_page(tenant), "plan_form": PlanForm()}
    return render(request, "usecases/list.html", context)


@org_view()
@require_GET
def plan(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    form = PlanForm(request.GET or None)
    context: dict[str, Any] = {"tenant": tenant, "plan_form": form}
    if form.is_bound and form.is_valid():
        page = queries.plan(tenant, form.cleaned_data["budget"], form.cleaned_data["capacity"])
        context.update(plan=page.plan, plan_rows=page.rows)
    status = INVALID if form.is_bound and not form.is_valid() else 200
    return htmx.render(request, "usecases/plan_page.html", context, partial="plan", status=status)


@org_view()
@require_GET
def catalogue(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    form = SearchForm(request.GET or None)
    if not form.is_bound:
        page = queries.catalogue_page(tenant)
    elif form.is_valid():
        filters = search.Filters(**form.filters())
        page = queries.catalogue_page(tenant, form.cleaned_data["q"], filters)
    else:
        page = queries.CataloguePage([], len(load_catalogue().entries), tenant.organisation.slug)
    context = {
        "tenant": tenant,
        "form": form,
        "hits": page.hits,
        "entry_count": page.entry_count,
        "hits_key": page.key,
    }
    status = INVALID if form.errors else 200
    return htmx.render(
        request, "usecases/catalogue.html", context, partial="results", status=status
    )


@org_view()
@require_GET
def entry(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    entry_id = request.GET.get("id", "")
    if not entry_id:
        return redirect(_url(tenant, "catalogue"))
    found = load_catalogue().entry(entry_id)
    if found is None:
        raise Http404
    context = {"tenant": tenant, "page": queries.entry_page(tenant, found)}
    return render(request, "usecases/entry.html", context)


@org_view()
@require_GET
def pain_points(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    bound = "form-TOTAL_FORMS" in request.GET
    formset = PainFormSet(request.GET if bound else None)
    valid = bound and formset.is_valid()
    context = {
        "tenant": tenant,
        "formset": formset,
        "result": queries.pain_matches(tenant, formset.tasks()) if valid else None,
        "searched": valid,
        # the unfilled tasks are the same for everyone in a language: kept under this key
        "tasks_key": "" if bound else queries.content_key("pain-tasks", _language()),
    }
    status = INVALID if bound and not valid else 200
    return htmx.render(request, "usecases/pain.html", context, partial="results", status=status)


@org_view()
@require_http_methods(["GET", "POST"])
def create(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    source = load_catalogue().entry(
        request.GET.get("from", "") or request.POST.get("catalogue_id", "")
    )
    if request.method == "POST":
        form = UseCaseForm(request.POST)
        if form.is_valid():
            try:
                use_case = services.create_use_case(
                    tenant, form.cleaned_data, source.id if source else ""
                )
            except services.DuplicateTitle as error:
                form.add_error("title", str(error))
            else:
                messages.success(request, _("The use case has been created."))
                return redirect(_url(tenant, "detail", use_case.pk))
    else:
        form = UseCaseForm(initial=services.from_catalogue(source, _language()) if source else None)
    status = INVALID if form.is_bound else 200
    adopted = queries.adopted_entries(tenant, [source.id]).get(source.id, ()) if source else ()
    context = {"tenant": tenant, "form": form, "source": source, "adopted": adopted}
    return render(request, "usecases/form.html", context, status=status)


def _detail(
    request: HtmxHttpRequest, tenant: Tenant, use_case: UseCase, status: int = 200, **forms: Any
) -> HttpResponse:
    page = queries.use_case_page(tenant, use_case)
    scores_form = forms.get("scores_form") or ScoresForm(
        initial={c.id: c.score for c in page.criteria if c.score is not None}
    )
    context = {
        "tenant": tenant,
        "page": page,
        "use_case": use_case,
        "scores_form": scores_form,
        "score_rows": scores_form.rows(page.criteria),
        # unfilled, the score fields show only the criteria rows: kept under their key
        "fields_key": ""
        if scores_form.is_bound
        else queries.content_key("score-fields", _language(), page.criteria),
        "status_form": forms.get("status_form")
        or StatusForm(
            initial={"status": use_case.status}, current=use_case.status, owner=tenant.is_owner
        ),
    }
    return render(request, "usecases/detail.html", context, status=status)


@org_view()
@require_GET
def detail(request: HtmxHttpRequest, tenant: Tenant, usecase_id: int) -> HttpResponse:
    return _detail(request, tenant, tenant.get(UseCase.objects, pk=usecase_id))


@org_view()
@require_http_methods(["GET", "POST"])
def edit(request: HtmxHttpRequest, tenant: Tenant, usecase_id: int) -> HttpResponse:
    use_case = tenant.get(UseCase.objects, pk=usecase_id)
    form = UseCaseForm(request.POST if request.method == "POST" else None, instance=use_case)
    if form.is_bound and form.is_valid():
        try:
            services.update_use_case(tenant, use_case, form.cleaned_data)
        except services.DuplicateTitle as error:
            form.add_error("title", str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect(_url(tenant, "detail", use_case.pk))
    status = INVALID if form.is_bound else 200
    context = {"tenant": tenant, "form": form, "use_case": use_case}
    return render(request, "usecases/form.html", context, status=status)


@org_view()
@require_http_methods(["GET", "POST"])
def delete(request: HtmxHttpRequest, tenant: Tenant, usecase_id: int) -> HttpResponse:
    use_case = tenant.get(UseCase.objects, pk=usecase_id)
    if request.method == "POST":
        services.delete_use_case(tenant, use_case)
        messages.success(request, _("“%(title)s” has been deleted.") % {"title": use_case.title})
        return redirect(_url(tenant, "list"))
    confirm = queries.use_case_deletion(tenant, use_case)
    return render(request, "core/confirm_delete.html", {"tenant": tenant, "confirm": confirm})


@org_view()
@require_POST
def change_status(request: HtmxHttpRequest, tenant: Tenant, usecase_id: int) -> HttpResponse:
    use_case = tenant.get(UseCase.objects, pk=usecase_id)
    form = StatusForm(request.POST, current=use_case.status, owner=tenant.is_owner)
    if form.is_valid():
        try:
            services.change_status(
                tenant,
                use_case,
                form.cleaned_data["status"],
                form.cleaned_data["reason"],
                override=form.cleaned_data.get("override", False),
            )
            messages.success(request, _("Status changed."))
            return redirect(_url(tenant, "detail", use_case.pk))
        except services.UseCaseError as error:
            gate = form.cleaned_data["status"] in GATED and not form.cleaned_data.get("override")
            form.add_error("status" if gate else "reason", str(error))
    return _detail(request, tenant, use_case, INVALID, status_form=form)


@org_view()
@require_POST
def scores(request: HtmxHttpRequest, tenant: Tenant, usecase_id: int) -> HttpResponse:
    use_case = tenant.get(UseCase.objects, pk=usecase_id)
    form = ScoresForm(request.POST)
    if not form.is_valid():
        return _detail(request, tenant, use_case, INVALID, scores_form=form)
    services.set_scores(tenant, use_case, form.scores())
    messages.success(request, _("Scores saved."))
    return redirect(_url(tenant, "detail", use_case.pk) + "#scores")


@org_view()
@require_http_methods(["GET", "POST"])
def weights(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    form = WeightsForm(
        request.POST if request.method == "POST" else None, initial=queries.weights(tenant)
    )
    if form.is_bound and form.is_valid():
        try:
            services.set_weights(tenant, form.cleaned_data)
            messages.success(request, _("Weights saved."))
            return redirect(_url(tenant, "list"))
        except services.UseCaseError as error:
            form.add_error(None, str(error))
    status = INVALID if form.is_bound else 200
    context = {"tenant": tenant, "form": form}
    return render(request, "usecases/weights.html", context, status=status)


@org_view()
@require_GET
def export(_request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    response = HttpResponse(
        services.export_excel(tenant),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="use-cases-{tenant.organisation.slug}.xlsx"'
    )
    return response


@org_view()
@require_http_methods(["GET", "POST"])
def import_file(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    posted = request.method == "POST"
    form = ImportForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        too_large=too_large(request, "file"),
    )
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = excel.import_rows(tenant, form.cleaned_data["file"])
        except excel.ExcelImportError as error:
            problems = error.problems
        else:
            messages.success(
                request,
                _("Imported: %(created)d new, %(updated)d updated.")
                % {"created": result.created, "updated": result.updated},
            )
            return redirect(_url(tenant, "list"))
    status = 422 if request.method == "POST" else 200
    context = {"tenant": tenant, "form": form, "problems": problems}
    return render(request, "usecases/import.html", context, status=status)


# Workshops ---------------------------------------------------------------------------------


@org_view()
@require_http_methods(["GET", "POST"])
def workshops(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    form = WorkshopForm(request.POST if request.method == "POST" else None, tenant=tenant)
    if form.is_bound and form.is_valid():
        try:
            workshop = services.open_workshop(
                tenant, form.cleaned_data["title"], list(form.cleaned_data["use_cases"])
            )
            return redirect(_url(tenant, "workshop", workshop.pk))
        except services.UseCaseError as error:
            form.add_error("use_cases", str(error))
    context = {
        "tenant": tenant,
        "form": form,
        "workshops": queries.workshops(tenant),
        # the unfilled list of use cases is kept under this key (filled in, it is rendered)
        "choices_key": "" if form.is_bound else queries.use_case_choices_key(tenant),
    }
    status = INVALID if form.is_bound else 200
    return render(request, "usecases/workshops.html", context, status=status)


def _workshop_page(
    request: HtmxHttpRequest,
    tenant: Tenant,
    workshop: Workshop,
    partial: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {"tenant": tenant, "state": queries.workshop_state(tenant, workshop)}
    template = "usecases/workshop.html" + (f"#{partial}" if partial else "")
    return render(request, template, context, status=status)


@org_view()
@require_GET
def workshop(request: HtmxHttpRequest, tenant: Tenant, workshop_id: int) -> HttpResponse:
    found = tenant.get(Workshop.objects, pk=workshop_id)
    partial = request.GET.get("part", "") if request.htmx else ""
    return _workshop_page(request, tenant, found, "live" if partial == "live" else "")


def _scored(
    request: HtmxHttpRequest, tenant: Tenant, workshop: Workshop, record: Any
) -> HttpResponse | None:
    """Parse a (use case, criterion, score) form and pass it to ``record``; an error response
    (422 for values no form sends, 409 when the phase does not allow it) or None on success."""
    form = VoteForm(request.POST)
    message = _("Unknown use case, criterion or score. Nothing was saved.")
    if not form.is_valid():
        return HttpResponse(message, status=INVALID)
    data = form.cleaned_data
    try:
        record(tenant, workshop, data["use_case"], data["criterion"], data["score"])
    except ValueError:
        return HttpResponse(message, status=INVALID)
    except services.UseCaseError as error:
        return HttpResponse(str(error), status=409)
    return None


@org_view(write_role=Role.VIEWER)  # every member may score in a workshop
@require_POST
def vote(request: HtmxHttpRequest, tenant: Tenant, workshop_id: int) -> HttpResponse:
    found = tenant.get(Workshop.objects, pk=workshop_id)
    problem = _scored(request, tenant, found, services.vote)
    if problem is not None:
        return problem
    if request.htmx:
        return _workshop_page(request, tenant, found, "progress")
    return redirect(_url(tenant, "workshop", found.pk))


@org_view()
@require_POST
def reveal(request: HtmxHttpRequest, tenant: Tenant, workshop_id: int) -> HttpResponse:
    found = tenant.get(Workshop.objects, pk=workshop_id)
    try:
        services.reveal(tenant, found)
    except services.UseCaseError as error:
        messages.error(request, str(error))
    return redirect(_url(tenant, "workshop", found.pk))


@org_view()
@require_POST
def agree(request: HtmxHttpRequest, tenant: Tenant, workshop_id: int) -> HttpResponse:
    found = tenant.get(Workshop.objects, pk=workshop_id)
    problem = _scored(request, tenant, found, services.agree)
    return problem or redirect(_url(tenant, "workshop", found.pk))


@org_view()
@require_http_methods(["GET", "POST"])
def delete_workshop(request: HtmxHttpRequest, tenant: Tenant, workshop_id: int) -> HttpResponse:
    found = tenant.get(Workshop.objects, pk=workshop_id)
    if request.method == "POST":
        services.delete_workshop(tenant, found)
        messages.success(request, _("“%(title)s” has been deleted.") % {"title": found.title})
        return redirect(_url(tenant, "workshops"))
    confirm = queries.workshop_deletion(tenant, found)
    return render(request, "core/confirm_delete.html", {"tenant": tenant, "confirm": confirm})


@org_view()
@require_POST
def close_workshop(request: HtmxHttpRequest, tenant: Tenant, workshop_id: int) -> HttpResponse:
    found = services.close_workshop(tenant, tenant.get(Workshop.objects, pk=workshop_id))
    messages.success(request, _("The workshop is closed; the agreed scores are in the use cases."))
    return redirect(_url(tenant, "workshop", found.pk))
