"""Pages of the readiness check. Each view parses, calls one service or query, renders."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from startklar.core import htmx
from startklar.core.forms import INVALID
from startklar.core.htmx import HtmxHttpRequest
from startklar.organisations.models import Membership, Role
from startklar.organisations.tenancy import Tenant, org_view

from . import engine, queries, services
from .content import load_bank
from .forms import AnswerForm, RespondentForm, RoundForm, SuggestForm, default_title
from .models import Respondent, Round


def _language() -> str:
    return get_language() or "de"


def _round_url(tenant: Tenant, round_: Round, name: str = "readiness:round") -> str:
    return reverse(name, args=[tenant.organisation.slug, round_.pk])


@org_view()
@require_GET
def rounds(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    page = queries.rounds_page(tenant, _language())
    bank = load_bank()  # new rounds use the current bank
    initial = {
        "title": default_title(),
        "perspective": queries.suggested_perspective(tenant, bank, tenant.membership),
    }
    context = {
        "tenant": tenant,
        "rounds": page.rounds,
        "form": RoundForm(initial=initial, bank=bank),
        "page": page,
    }
    return render(request, "readiness/rounds.html", context)


@org_view()
@require_POST
def round_create(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    form = RoundForm(request.POST, bank=load_bank())
    if not form.is_valid():
        context = {"tenant": tenant, "rounds": queries.rounds(tenant), "form": form}
        return render(request, "readiness/rounds.html", context, status=INVALID)
    perspective = form.own_perspective()
    round_ = services.open_round(tenant, form.cleaned_data["title"], perspective)
    if perspective is None:
        messages.success(request, _("The round is open. Now ask colleagues to answer."))
    else:
        messages.success(
            request, _("The round is open and you are asked to answer. Now ask colleagues too.")
        )
    return redirect(_round_url(tenant, round_))


def _respondent_form(
    tenant: Tenant, view: queries.RoundView, member: Membership | None
) -> RespondentForm:
    """The form to ask a member, with ``member`` (the next one not yet asked, or the one just
    chosen) and their perspective."""
    initial = {}
    if member is not None:
        perspective = queries.suggested_perspective(tenant, view.bank, member)
        initial = {"member": member.pk, "perspective": perspective}
    return RespondentForm(
        tenant=tenant, bank=view.bank, initial=initial, suggest_url=_round_url(tenant, view.round)
    )


def _round_page(
    request: HtmxHttpRequest,
    tenant: Tenant,
    round_: Round,
    form: RespondentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    view = queries.round_view(tenant, round_)
    everyone_asked = False
    if form is None and round_.is_open and tenant.can_edit:  # else the page shows no form
        member = queries.next_member(tenant, round_)
        form = _respondent_form(tenant, view, member)
        everyone_asked = member is None
    context = {"tenant": tenant, "view": view, "form": form, "everyone_asked": everyone_asked}
    return render(request, "readiness/round.html", context, status=status)


@org_view()
@require_GET
def round_detail(request: HtmxHttpRequest, tenant: Tenant, round_id: int) -> HttpResponse:
    round_ = tenant.get(Round.objects, pk=round_id)
    if "member" not in request.GET:
        return _round_page(request, tenant, round_)
    # The member select asks which perspective to suggest for the member just chosen.
    suggest = SuggestForm(request.GET, tenant=tenant)
    if not suggest.is_valid():
        return HttpResponse(_("Unknown member."), status=INVALID)
    view = queries.round_view(tenant, round_)
    form = _respondent_form(tenant, view, suggest.cleaned_data["member"])
    context = {"tenant": tenant, "view": view, "form": form, "everyone_asked": False}
    return htmx.render(request, "readiness/round.html", context, partial="perspective")


@org_view()
@require_POST
def respondent_add(request: HtmxHttpRequest, tenant: Tenant, round_id: int) -> HttpResponse:
    round_ = tenant.get(Round.objects, pk=round_id)
    bank = load_bank(round_.bank_version)
    form = RespondentForm(
        request.POST, tenant=tenant, bank=bank, suggest_url=_round_url(tenant, round_)
    )
    if not form.is_valid():
        return _round_page(request, tenant, round_, form, INVALID)
    try:
        services.add_respondent(
            tenant,
            round_,
            form.cleaned_data["member"],
            form.cleaned_data["perspective"],
            link=request.build_absolute_uri(_round_url(tenant, round_)),
        )
    except services.ReadinessError as error:
        form.add_error("member", str(error))
        return _round_page(request, tenant, round_, form, 422)
    return redirect(_round_url(tenant, round_))


@org_view()
@require_POST
def respondent_remove(
    request: HtmxHttpRequest, tenant: Tenant, round_id: int, respondent_id: int
) -> HttpResponse:
    respondent = tenant.get(
        Respondent.objects.select_related("round"), pk=respondent_id, round=round_id
    )
    try:
        services.remove_respondent(tenant, respondent)
    except services.ReadinessError as error:
        messages.error(request, str(error))
    return redirect(_round_url(tenant, respondent.round))


@org_view(write_role=Role.VIEWER)  # every respondent answers, whatever their role
@require_http_methods(["GET", "POST"])
def answer(request: HtmxHttpRequest, tenant: Tenant, round_id: int) -> HttpResponse:
    round_ = tenant.get(Round.objects, pk=round_id)
    view = queries.round_view(tenant, round_)
    if request.method == "POST":
        form = AnswerForm(request.POST, bank=view.bank)
        if not form.is_valid():
            return HttpResponse(_("Unknown question or answer. Nothing was saved."), status=INVALID)
        try:
            services.save_answer(
                tenant, round_, form.cleaned_data["question"], form.cleaned_data["level"]
            )
        except services.ReadinessError as error:
            return render(request, "readiness/closed.html", {"message": str(error)}, status=409)
        question = view.bank.questions[form.cleaned_data["question"]]
        if not request.htmx:
            return redirect(f"{request.path}?dimension={question.dimension_id}")
        page = queries.answer_page(queries.round_view(tenant, round_), question.dimension_id)
        row = page.row(question.id)
        context = {
            "tenant": tenant,
            "page": page,
            "question": question,
            "current": row.level,
            "answered": row.answered,
            "saved": True,
        }
        return render(request, "readiness/answer.html#question", context)
    page = queries.answer_page(view, request.GET.get("dimension"))
    return render(request, "readiness/answer.html", {"tenant": tenant, "page": page})


@org_view(write_role=Role.VIEWER)
@require_POST
def submit(request: HtmxHttpRequest, tenant: Tenant, round_id: int) -> HttpResponse:
    round_ = tenant.get(Round.objects, pk=round_id)
    try:
        services.submit(tenant, round_)
    except services.ReadinessError as error:
        messages.error(request, str(error))
        return redirect(_round_url(tenant, round_, "readiness:answer"))
    messages.success(request, _("Thank you! Your answers are submitted."))
    return redirect(_round_url(tenant, round_, "readiness:results"))


@org_view()
@require_POST
def close(request: HtmxHttpRequest, tenant: Tenant, round_id: int) -> HttpResponse:
    round_ = services.close_round(tenant, tenant.get(Round.objects, pk=round_id))
    messages.success(request, _("The round is closed; the results are visible to all members."))
    return redirect(_round_url(tenant, round_, "readiness:results"))


@org_view()
@require_http_methods(["GET", "POST"])
def delete(request: HtmxHttpRequest, tenant: Tenant, round_id: int) -> HttpResponse:
    round_ = tenant.get(Round.objects, pk=round_id)
    if request.method == "POST":
        services.delete_round(tenant, round_)
        messages.success(request, _("“%(title)s” has been deleted.") % {"title": round_.title})
        return redirect("readiness:rounds", org_slug=tenant.organisation.slug)
    confirm = queries.round_deletion(tenant, round_)
    return render(request, "core/confirm_delete.html", {"tenant": tenant, "confirm": confirm})


def _visible_result(
    tenant: Tenant, round_: Round
) -> tuple[queries.RoundView, engine.RoundResult | None]:
    view = queries.round_view(tenant, round_)
    return view, (queries.result(round_) if view.can_see_results else None)


@org_view()
@require_GET
def results(request: HtmxHttpRequest, tenant: Tenant, round_id: int) -> HttpResponse:
    page = queries.results_page(tenant, tenant.get(Round.objects, pk=round_id), _language())
    context = {"tenant": tenant, "page": page, "view": page.view, "result": page.result}
    return render(request, "readiness/results.html", context)


@org_view()
@require_GET
def export(_request: HtmxHttpRequest, tenant: Tenant, round_id: int) -> HttpResponse:
    round_ = tenant.get(Round.objects, pk=round_id)
    _view, result = _visible_result(tenant, round_)
    if result is None:
        raise PermissionDenied
    data = {
        "organisation": tenant.organisation.name,
        "round": round_.title,
        "status": round_.status,
        "bank_version": round_.bank_version,
        "opened": round_.created_at.isoformat(),
        "closed": round_.closed_at.isoformat() if round_.closed_at else None,
        **engine.round_to_dict(
            result, _language(), _view.bank.small(tenant.organisation.headcount)
        ),
    }
    services.record_export(tenant, round_)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="reifegrad-{round_.pk}.json"'
    return response
