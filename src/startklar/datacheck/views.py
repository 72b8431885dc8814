"""Pages of the data check. Each view parses, calls one service or query, renders.

A file is read from the request in pieces (Django writes uploads above 2.5 MB to a temporary
file, so 200 MB never sit in memory) and handed to the service piece by piece; a file larger than
``STARTKLAR_DATACHECK_MAX_BYTES`` is cut off while it arrives (``core.uploads``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from startklar.core import uploads
from startklar.core.forms import INVALID
from startklar.core.htmx import HtmxHttpRequest
from startklar.organisations.tenancy import Tenant, org_view
from startklar.usecases.models import UseCase

from . import queries, services
from .forms import AnswerForm, SourceForm, UploadForm
from .models import DataCheck, DataSource

SOURCES = DataSource.objects.all()
CHECKS = DataCheck.objects.select_related("source")


def _language() -> str:
    return "en" if (get_language() or "de").startswith("en") else "de"


# Sources -----------------------------------------------------------------------------------------


@org_view()
@never_cache
@require_GET
def data_list(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    page = queries.list_page(tenant, timezone.now())
    return render(request, "datacheck/list.html", {"tenant": tenant, "page": page})


def _source_form(
    request: HtmxHttpRequest,
    tenant: Tenant,
    form: SourceForm,
    source: DataSource | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {"tenant": tenant, "form": form, "source": source}
    return render(request, "datacheck/source_form.html", context, status=status)


@org_view()
@require_http_methods(["GET", "POST"])
def source_new(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    if not tenant.can_edit:
        raise PermissionDenied
    if request.method == "GET":
        return _source_form(request, tenant, SourceForm(tenant))
    form = SourceForm(tenant, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            source = services.create_source(
                tenant, data["name"], data["description"], list(data["use_cases"])
            )
        except services.DataCheckError as error:
            form.add_error(error.field, str(error))
        else:
            messages.success(request, _("The data source is set up. Now upload a file of it."))
            return redirect(queries.url(tenant, "source", source.pk))
    return _source_form(request, tenant, form, status=INVALID)


@org_view()
@require_http_methods(["GET", "POST"])
def source_edit(request: HtmxHttpRequest, tenant: Tenant, datasource_id: int) -> HttpResponse:
    source = tenant.get(SOURCES, pk=datasource_id)
    if not tenant.can_edit:
        raise PermissionDenied
    if request.method == "GET":
        return _source_form(request, tenant, SourceForm(tenant, instance=source), source)
    form = SourceForm(tenant, request.POST, instance=source)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.update_source(
                tenant, source, data["name"], data["description"], list(data["use_cases"])
            )
        except services.DataCheckError as error:
            form.add_error(error.field, str(error))
        else:
            messages.success(request, _("The data source has been saved."))
            return redirect(queries.url(tenant, "source", source.pk))
    stored = tenant.get(SOURCES, pk=datasource_id)
    return _source_form(request, tenant, form, stored, status=INVALID)


@org_view()
@require_http_methods(["GET", "POST"])
def source_delete(request: HtmxHttpRequest, tenant: Tenant, datasource_id: int) -> HttpResponse:
    source = tenant.get(SOURCES, pk=datasource_id)
    if not tenant.can_edit:
        raise PermissionDenied
    if request.method == "POST":
        services.delete_source(tenant, source)
        messages.success(request, _("The data source has been deleted."))
        return redirect(queries.url(tenant, "list"))
    confirm = queries.deletion(tenant, source)
    return render(request, "core/confirm_delete.html", {"tenant": tenant, "confirm": confirm})


def _source_page(
    request: HtmxHttpRequest,
    tenant: Tenant,
    source: DataSource,
    form: UploadForm,
    status: int = 200,
) -> HttpResponse:
    page = queries.source_page(tenant, source, timezone.now())
    context = {"tenant": tenant, "page": page, "form": form}
    return render(request, "datacheck/source.html", context, status=status)


def _chunks(uploaded: object) -> object:
    return uploaded.chunks(services.PART_BYTES)  # type: ignore[attr-defined]


def _too_large() -> str:
    return _("The file is larger than %(mb)s MB. Please export fewer rows or columns.") % {
        "mb": services.max_bytes() >> 20
    }


@org_view()
@never_cache
@require_http_methods(["GET", "POST"])
@uploads.limited_by("STARTKLAR_DATACHECK_MAX_BYTES")
def source(request: HtmxHttpRequest, tenant: Tenant, datasource_id: int) -> HttpResponse:
    """The source with its checks; POST uploads a file to check."""
    found = tenant.get(SOURCES, pk=datasource_id)
    if request.method == "GET":
        return _source_page(request, tenant, found, UploadForm())
    form = UploadForm(request.POST, request.FILES)
    if uploads.too_large(request, "file"):
        form = UploadForm(request.POST)
        form.is_valid()
        form.errors.pop("file", None)
        form.add_error("file", _too_large())
        return _source_page(request, tenant, found, form, INVALID)
    if form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            check = services.request_check(
                tenant,
                found,
                uploaded.name or "",
                uploaded.size or 0,
                _chunks(uploaded),  # type: ignore[arg-type]
                form.cleaned_data["sheet"],
            )
        except services.DataCheckError as error:
            form.add_error("file" if error.field == "file" else None, str(error))
        else:
            target = queries.url(tenant, "check", check.pk)
            return HttpResponseClientRedirect(target) if request.htmx else redirect(target)
    return _source_page(request, tenant, found, form, INVALID)


# Checks ------------------------------------------------------------------------------------------


@org_view()
@never_cache
@require_GET
def check(request: HtmxHttpRequest, tenant: Tenant, datacheck_id: int) -> HttpResponse:
    found = tenant.get(CHECKS, pk=datacheck_id)
    page = queries.check_page(tenant, found, _language(), timezone.now())
    return render(
        request, "datacheck/check.html", {"tenant": tenant, "page": page, "answer": AnswerForm()}
    )


@org_view()
@never_cache
@require_GET
def check_status(request: HtmxHttpRequest, tenant: Tenant, datacheck_id: int) -> HttpResponse:
    """What the page polls while the check is under way: the status line, or (once done) a
    full reload through HX-Refresh."""
    found = tenant.get(CHECKS, pk=datacheck_id)
    row = queries.check_row(tenant, found, timezone.now())
    if not request.htmx:
        return redirect(row.url)
    if not row.under_way:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "datacheck/check.html#status", {"tenant": tenant, "row": row})


@org_view()
@require_POST
def retry(request: HtmxHttpRequest, tenant: Tenant, datacheck_id: int) -> HttpResponse:
    found = tenant.get(CHECKS, pk=datacheck_id)
    try:
        services.retry(tenant, found)
    except services.DataCheckError as error:
        messages.error(request, str(error))
        return redirect(queries.url(tenant, "source", found.source_id))
    return redirect(queries.url(tenant, "check", found.pk))


@org_view()
@require_http_methods(["GET", "POST"])
def check_delete(request: HtmxHttpRequest, tenant: Tenant, datacheck_id: int) -> HttpResponse:
    found = tenant.get(CHECKS, pk=datacheck_id)
    if not tenant.can_edit:
        raise PermissionDenied
    if request.method == "POST":
        services.delete_check(tenant, found)
        messages.success(request, _("The check has been deleted."))
        return redirect(queries.url(tenant, "source", found.source_id))
    confirm = queries.deletion(tenant, found)
    return render(request, "core/confirm_delete.html", {"tenant": tenant, "confirm": confirm})


@org_view()
@require_POST
def answer(
    request: HtmxHttpRequest, tenant: Tenant, datacheck_id: int, usecase_id: int
) -> HttpResponse:
    """The answer to a prerequisite a file cannot show, given on a check's page."""
    found = tenant.get(CHECKS, pk=datacheck_id)
    use_case = tenant.get(UseCase.objects, pk=usecase_id)
    form = AnswerForm(request.POST)
    rule = request.POST.get("rule", "")[:80]
    if not form.is_valid():
        messages.error(request, _("Please answer yes, no or don't know."))
    else:
        try:
            services.answer(tenant, use_case, rule, form.cleaned_data["answer"])
        except services.DataCheckError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The answer has been saved."))
    return redirect(queries.url(tenant, "check", found.pk) + f"#fitness-{use_case.pk}")
