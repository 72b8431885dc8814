"""Pages of the compliance feature. Each view parses, calls one service or query, renders."""

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
from startklar.organisations.tenancy import Tenant, org_view
from startklar.usecases.models import UseCase

from . import kept, queries, services
from .forms import AnswerForm, DpoForm, PersonForm, PrivacyForm, SystemForm, TrainingForm
from .models import AISystem, Assessment, Person, TrainingRecord


def _url(tenant: Tenant, name: str, *args: object) -> str:
    return reverse(f"compliance:{name}", args=[tenant.organisation.slug, *args])


@org_view()
@require_GET
def overview(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    page = queries.overview_page(tenant)
    context = {
        "tenant": tenant,
        "page": page,  # its rows are made only if they are not kept yet
        "chaos": page.chaos,
        "literacy": page.literacy,
        "dpo": page.dpo,
    }
    return render(request, "compliance/overview.html", context)


@org_view()
@require_POST
def start_use_case(_request: HtmxHttpRequest, tenant: Tenant, usecase_id: int) -> HttpResponse:
    assessment = services.start(tenant, tenant.get(UseCase.objects, pk=usecase_id))
    return redirect(_url(tenant, "assessment", assessment.pk))


@org_view()
@require_POST
def start_system(_request: HtmxHttpRequest, tenant: Tenant, aisystem_id: int) -> HttpResponse:
    assessment = services.start(tenant, tenant.get(AISystem.objects, pk=aisystem_id))
    return redirect(_url(tenant, "assessment", assessment.pk))


def _assessment_page(
    request: HtmxHttpRequest,
    tenant: Tenant,
    assessment: Assessment,
    form: AnswerForm | None = None,
    status: int = 200,
) -> HttpResponse:
    page = queries.assessment_page(assessment, request.GET.get("q", ""))
    if form is None and page.question is not None:
        form = AnswerForm(
            question=page.question, initial={"answer": assessment.answers.get(page.question.id)}
        )
    context: dict[str, Any] = {
        "tenant": tenant,
        "page": page,
        "result_key": page.result_key(tenant),  # the result part is kept under it
        "assessment": assessment,
        "result": page.result,
        "question": page.question,
        "form": form,
        "answered": page.answered,
    }
    return htmx.render(
        request, "compliance/assessment.html", context, partial="main", status=status
    )


@org_view()
@require_GET
def assessment(request: HtmxHttpRequest, tenant: Tenant, assessment_id: int) -> HttpResponse:
    found = tenant.get(Assessment.objects.select_related("use_case", "ai_system"), pk=assessment_id)
    return _assessment_page(request, tenant, found)


@org_view()
@require_POST
def answer(request: HtmxHttpRequest, tenant: Tenant, assessment_id: int) -> HttpResponse:
    found = tenant.get(Assessment.objects.select_related("use_case", "ai_system"), pk=assessment_id)
    question = queries.question(found, request.POST.get("question", ""))
    if question is None:
        return HttpResponse(_("Unknown question. Nothing was saved."), status=INVALID)
    form = AnswerForm(request.POST, question=question)
    if not form.is_valid():
        return _assessment_page(request, tenant, found, form, INVALID)
    services.answer(tenant, found, question.id, form.cleaned_data["answer"])
    if request.htmx:
        return _assessment_page(request, tenant, found)
    return redirect(_url(tenant, "assessment", found.pk))


@org_view()
@require_POST
def recheck(request: HtmxHttpRequest, tenant: Tenant, assessment_id: int) -> HttpResponse:
    found = services.recheck(tenant, tenant.get(Assessment.objects, pk=assessment_id))
    messages.info(
        request,
        _("The assessment now uses the current rule base. Please check the open questions."),
    )
    return redirect(_url(tenant, "assessment", found.pk))


@org_view()
@require_http_methods(["GET", "POST"])
def systems(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    if request.method == "POST":
        form = SystemForm(request.POST, tenant=tenant)
    else:  # unfilled, it offers the use cases as read once for its key and its options
        form = SystemForm(tenant=tenant, use_cases=queries.use_case_choices(tenant))
    if form.is_bound and form.is_valid():
        system = form.save(commit=False)
        services.save_system(tenant, system, list(form.cleaned_data["use_cases"]))
        messages.success(request, _("The AI system is in the register."))
        return redirect(_url(tenant, "system", system.pk))
    page = queries.register_page(tenant)
    context = {
        "tenant": tenant,
        "form": form,
        # the unfilled form's fields are kept under this key (filled in, they are rendered)
        "fields_key": kept.form_key(form) if tenant.can_edit else "",
        "page": page,  # its rows are made only if they are not kept yet
        "chaos": page.chaos,
    }
    status = INVALID if form.is_bound else 200
    return render(request, "compliance/systems.html", context, status=status)


@org_view()
@require_GET
def system(request: HtmxHttpRequest, tenant: Tenant, aisystem_id: int) -> HttpResponse:
    found = tenant.get(AISystem.objects.select_related("assessment"), pk=aisystem_id)
    context = {"tenant": tenant, "detail": queries.system_detail(tenant, found)}
    return render(request, "compliance/system.html", context)


@org_view()
@require_http_methods(["GET", "POST"])
def system_edit(request: HtmxHttpRequest, tenant: Tenant, aisystem_id: int) -> HttpResponse:
    found = tenant.get(AISystem.objects, pk=aisystem_id)
    if request.method == "POST":
        form = SystemForm(request.POST, instance=found, tenant=tenant)
    else:  # unfilled, it offers the use cases as read once for its key and its options
        choices = queries.use_case_choices(tenant)
        form = SystemForm(instance=found, tenant=tenant, use_cases=choices)
    if form.is_bound and form.is_valid():
        services.save_system(tenant, form.save(commit=False), list(form.cleaned_data["use_cases"]))
        messages.success(request, _("Saved."))
        return redirect(_url(tenant, "system", found.pk))
    status = INVALID if form.is_bound else 200
    if form.is_bound:
        found.refresh_from_db()  # the heading shows the stored name, not the rejected one
    return render(
        request,
        "compliance/system_edit.html",
        {"tenant": tenant, "form": form, "fields_key": kept.form_key(form), "system": found},
        status=status,
    )


@org_view()
@require_http_methods(["GET", "POST"])
def system_delete(request: HtmxHttpRequest, tenant: Tenant, aisystem_id: int) -> HttpResponse:
    found = tenant.get(AISystem.objects, pk=aisystem_id)
    if request.method == "POST":
        services.delete_system(tenant, found)
        messages.success(request, _("The AI system was removed from the register."))
        return redirect(_url(tenant, "systems"))
    confirm = queries.system_deletion(tenant, found)
    return render(request, "core/confirm_delete.html", {"tenant": tenant, "confirm": confirm})


@org_view()
@require_GET
def systems_export(_request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    response = HttpResponse(
        services.export_register(tenant),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stem = _("ai-register")
    response["Content-Disposition"] = (
        f'attachment; filename="{stem}-{tenant.organisation.slug}.xlsx"'
    )
    return response


def _literacy_page(
    request: HtmxHttpRequest, tenant: Tenant, status: int = 200, **forms: Any
) -> HttpResponse:
    literacy = queries.literacy(tenant)
    records = queries.records(tenant)
    # unfilled, the forms offer the people and AI systems the page has read already
    people, systems = [(p.pk, p.name) for p in literacy.people], literacy.systems
    person_form = forms.get("person_form") or PersonForm(tenant=tenant, systems=systems)
    training_form = forms.get("training_form") or TrainingForm(
        tenant=tenant, initial={"date": timezone.localdate()}, people=people, systems=systems
    )
    # the forms are shown to editors only (the training form once somebody is recorded);
    # unfilled, they are kept under these keys
    editing = tenant.can_edit
    context = {
        "tenant": tenant,
        "literacy": literacy,
        "person_form": person_form,
        "person_form_key": kept.form_key(person_form) if editing else "",
        "training_form": training_form,
        "training_form_key": kept.form_key(training_form) if editing and literacy.people else "",
        "records": records.rows,
        "records_key": records.key,
    }
    return render(request, "compliance/literacy.html", context, status=status)


@org_view()
@require_GET
def literacy(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    return _literacy_page(request, tenant)


@org_view()
@require_POST
def person_create(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    form = PersonForm(request.POST, tenant=tenant)
    if not form.is_valid():
        return _literacy_page(request, tenant, INVALID, person_form=form)
    services.save_person(tenant, form.save(commit=False), list(form.cleaned_data["ai_systems"]))
    return redirect(_url(tenant, "literacy"))


@org_view()
@require_http_methods(["GET", "POST"])
def person(request: HtmxHttpRequest, tenant: Tenant, person_id: int) -> HttpResponse:
    # the person's AI systems are read once, for the form and for what the person lacks
    found = tenant.get(Person.objects.prefetch_related("ai_systems"), pk=person_id)
    if request.method == "POST":
        form = PersonForm(request.POST, instance=found, tenant=tenant)
    else:  # unfilled, it offers the AI systems as read once for its key and its options
        form = PersonForm(instance=found, tenant=tenant, systems=queries.system_choices(tenant))
    if form.is_bound and form.is_valid():
        services.save_person(tenant, form.save(commit=False), list(form.cleaned_data["ai_systems"]))
        messages.success(request, _("Saved."))
        return redirect(_url(tenant, "literacy"))
    status = INVALID if form.is_bound else 200
    if form.is_bound:
        found.refresh_from_db()
    page = queries.person_page(tenant, found)
    context = {
        "tenant": tenant,
        "form": form,
        # the unfilled form is kept under this key (filled in, it is rendered)
        "form_key": kept.form_key(form) if tenant.can_edit else "",
        "person": page.person,
        "records": page.records,
        "gap": page.gap,
    }
    return render(request, "compliance/person.html", context, status=status)


@org_view()
@require_http_methods(["GET", "POST"])
def person_delete(request: HtmxHttpRequest, tenant: Tenant, person_id: int) -> HttpResponse:
    found = tenant.get(Person.objects, pk=person_id)
    if request.method == "POST":
        services.delete_person(tenant, found)
        messages.success(request, _("The person and their training records have been deleted."))
        return redirect(_url(tenant, "literacy"))
    confirm = queries.person_deletion(tenant, found)
    return render(request, "core/confirm_delete.html", {"tenant": tenant, "confirm": confirm})


@org_view()
@require_POST
def training_create(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    form = TrainingForm(request.POST, tenant=tenant)
    if not form.is_valid():
        return _literacy_page(request, tenant, INVALID, training_form=form)
    services.record_training(tenant, form.save(commit=False))
    messages.success(request, _("Training recorded."))
    return redirect(_url(tenant, "literacy"))


@org_view()
@require_POST
def training_delete(
    _request: HtmxHttpRequest, tenant: Tenant, trainingrecord_id: int
) -> HttpResponse:
    services.delete_training(tenant, tenant.get(TrainingRecord.objects, pk=trainingrecord_id))
    return redirect(_url(tenant, "literacy"))


def _privacy_page(
    request: HtmxHttpRequest,
    tenant: Tenant,
    status: int = 200,
    form: PrivacyForm | None = None,
    dpo_form: DpoForm | None = None,
) -> HttpResponse:
    current = queries.privacy_facts(tenant)
    form = form or PrivacyForm(instance=current)
    dpo_form = dpo_form or DpoForm(instance=current)
    editing = tenant.can_edit  # only editors see the forms; unfilled, they are kept
    context = {
        "tenant": tenant,
        "form": form,
        "form_key": kept.form_key(form) if editing else "",
        "dpo_form": dpo_form,
        "dpo_form_key": kept.form_key(dpo_form) if editing else "",
        "dpo": queries.dpo(tenant, saved=current),
    }
    return render(request, "compliance/privacy.html", context, status=status)


@org_view()
@require_http_methods(["GET", "POST"])
def privacy(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    if request.method != "POST":
        return _privacy_page(request, tenant)
    current = queries.privacy_facts(tenant)
    form = PrivacyForm(request.POST, instance=current)
    if not form.is_valid():
        return _privacy_page(request, tenant, INVALID, form=form)
    services.save_privacy_facts(tenant, form.save(commit=False))
    messages.success(request, _("Saved."))
    return redirect(_url(tenant, "privacy"))


@org_view()
@require_POST
def privacy_dpo(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    current = queries.privacy_facts(tenant)
    form = DpoForm(request.POST, instance=current)
    if not form.is_valid():
        return _privacy_page(request, tenant, INVALID, dpo_form=form)
    services.save_dpo(tenant, form.save(commit=False))
    messages.success(request, _("The data protection officer is saved."))
    return redirect(_url(tenant, "privacy") + "#dpo")
