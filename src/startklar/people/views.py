"""Pages of the staff pulses for the organisation's people. Each view parses, calls one
service or query, renders. The pages staff answer on (without an account) are in
``answerviews``; the works council's record in ``council_views``; the communication plan in
``communication_views``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from startklar.core.forms import INVALID
from startklar.core.htmx import HtmxHttpRequest
from startklar.organisations.tenancy import Tenant, org_view

from . import queries, services
from .forms import CodesForm, PulseForm, ReviewForm
from .models import CommentReview, Pulse, PulseAnswer, PulseGroup

PULSES = Pulse.objects.all()


def _editor(tenant: Tenant) -> None:
    if not tenant.can_edit:
        raise PermissionDenied


@org_view()
@require_GET
def pulse_list(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    page = queries.list_page(tenant)
    return render(request, "people/list.html", {"tenant": tenant, "page": page})


@org_view()
@require_http_methods(["GET", "POST"])
def pulse_new(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    _editor(tenant)
    if request.method == "GET":
        form = PulseForm()
        return render(request, "people/pulse_form.html", {"tenant": tenant, "form": form})
    form = PulseForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            pulse = services.create_pulse(
                tenant,
                data["title"],
                form.group_names(),
                k=data["k"],
                questions=data["questions"],
                own=form.own(),
                ask_comment=data["ask_comment"],
                codes_required=data["codes_required"],
            )
        except services.PulseError as error:
            form.add_error(error.field or None, str(error))
        else:
            messages.success(
                request, _("The pulse is prepared. Check the questions, then open it for answers.")
            )
            return redirect(queries.url(tenant, "pulse", pulse.pk))
    context = {"tenant": tenant, "form": form}
    return render(request, "people/pulse_form.html", context, status=INVALID)


def _pulse_page(
    request: HtmxHttpRequest, tenant: Tenant, pulse: Pulse, form: CodesForm, status: int = 200
) -> HttpResponse:
    page = queries.pulse_page(tenant, pulse, request.build_absolute_uri)
    context = {"tenant": tenant, "page": page, "form": form}
    return render(request, "people/pulse.html", context, status=status)


@org_view()
@never_cache  # the links name the address the page was asked for (the server's host)
@require_GET
def pulse(request: HtmxHttpRequest, tenant: Tenant, pulse_id: int) -> HttpResponse:
    found = tenant.get(PULSES, pk=pulse_id)
    return _pulse_page(request, tenant, found, CodesForm(found))


def _status_change(
    request: HtmxHttpRequest, tenant: Tenant, pulse_id: int, change: str
) -> HttpResponse:
    found = tenant.get(PULSES, pk=pulse_id)
    _editor(tenant)
    try:
        if change == "open":
            services.open_pulse(tenant, found, timezone.localdate())
            messages.success(request, _("The pulse is open: share its links or QR codes."))
        else:
            services.close_pulse(tenant, found, timezone.localdate())
            messages.success(request, _("The pulse is closed and takes no more answers."))
    except services.PulseError as error:
        messages.error(request, str(error))
    return redirect(queries.url(tenant, "pulse", found.pk))


@org_view()
@require_POST
def pulse_open(request: HtmxHttpRequest, tenant: Tenant, pulse_id: int) -> HttpResponse:
    return _status_change(request, tenant, pulse_id, "open")


@org_view()
@require_POST
def pulse_close(request: HtmxHttpRequest, tenant: Tenant, pulse_id: int) -> HttpResponse:
    return _status_change(request, tenant, pulse_id, "close")


@org_view()
@require_http_methods(["GET", "POST"])
def pulse_delete(request: HtmxHttpRequest, tenant: Tenant, pulse_id: int) -> HttpResponse:
    found = tenant.get(PULSES, pk=pulse_id)
    _editor(tenant)
    if request.method == "POST":
        services.delete_pulse(tenant, found)
        messages.success(request, _("The pulse and its answers have been deleted."))
        return redirect(queries.url(tenant, "list"))
    confirm = queries.deletion(tenant, found)
    return render(request, "core/confirm_delete.html", {"tenant": tenant, "confirm": confirm})


@org_view()
@never_cache
@require_http_methods(["GET", "POST"])
def codes(request: HtmxHttpRequest, tenant: Tenant, pulse_id: int) -> HttpResponse:
    """Issues single-use codes and shows them once, as slips to print."""
    found = tenant.get(PULSES, pk=pulse_id)
    _editor(tenant)
    if request.method == "GET":
        return redirect(queries.url(tenant, "pulse", found.pk) + "#codes")
    form = CodesForm(found, request.POST)
    if form.is_valid():
        group_id = form.cleaned_data["group"]
        group = PulseGroup.objects.get(pulse=found, pk=group_id) if group_id else None
        try:
            issued = services.issue_codes(tenant, found, form.cleaned_data["count"], group)
        except services.PulseError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            page = queries.slips(tenant, found, group, issued, request.build_absolute_uri)
            return render(request, "people/codes.html", {"tenant": tenant, "page": page})
    return _pulse_page(request, tenant, found, form, status=INVALID)


@org_view()
@never_cache
@require_GET
def poster(request: HtmxHttpRequest, tenant: Tenant, pulse_id: int) -> HttpResponse:
    found = tenant.get(PULSES, pk=pulse_id)
    raw = request.GET.get("group", "")
    group_id = int(raw) if raw.isdigit() and len(raw) < 12 else None
    if raw and group_id is None:
        raise Http404
    page = queries.poster(tenant, found, group_id, request.build_absolute_uri)
    if page is None:
        raise Http404
    return render(request, "people/poster.html", {"tenant": tenant, "page": page})


@org_view()
@require_GET
def results(request: HtmxHttpRequest, tenant: Tenant, pulse_id: int) -> HttpResponse:
    found = tenant.get(PULSES, pk=pulse_id)
    page = queries.results_page(tenant, found)
    return render(request, "people/results.html", {"tenant": tenant, "page": page})


@org_view()
@require_GET
def comments(request: HtmxHttpRequest, tenant: Tenant, pulse_id: int) -> HttpResponse:
    found = tenant.get(PULSES, pk=pulse_id)
    _editor(tenant)
    page = queries.comments_page(tenant, found)
    return render(request, "people/comments.html", {"tenant": tenant, "page": page})


@org_view()
@require_POST
def comment_review(request: HtmxHttpRequest, tenant: Tenant, pulse_id: int) -> HttpResponse:
    """Shows or hides one comment (the answer's id comes with the form)."""
    found = tenant.get(PULSES, pk=pulse_id)
    _editor(tenant)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether the comment is shown or hidden."))
        return redirect(queries.url(tenant, "comments", found.pk))
    answer = PulseAnswer.objects.filter(pulse=found, pk=form.cleaned_data["answer"]).first()
    if answer is None or not queries.comments_readable(found)[0]:
        raise Http404
    try:
        services.review_comment(tenant, answer, CommentReview(form.cleaned_data["review"]))
    except services.PulseError as error:
        messages.error(request, str(error))
        return redirect(queries.url(tenant, "comments", found.pk))
    if request.htmx:
        context = {"tenant": tenant, "page": {"pulse": found}, "row": queries.comment_row(answer)}
        return render(request, "people/comments.html#comment", context)
    return redirect(queries.url(tenant, "comments", found.pk))
