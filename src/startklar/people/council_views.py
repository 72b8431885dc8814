"""Pages of the works council's record. Each view parses, calls one service or query, renders.

A document is addressed by its entry (``councilevent_id``, in the address) and its own id in
the query string (``?document=``): the entry decides the organisation."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from startklar.compliance.models import AISystem
from startklar.core import uploads
from startklar.core.forms import INVALID, MAX_ID
from startklar.core.htmx import HtmxHttpRequest
from startklar.organisations.tenancy import Tenant, org_view

from . import council_queries as queries
from . import council_services as services
from .council_forms import DocumentForm, EventForm, SystemForm
from .models import CouncilDocument, CouncilEvent

SYSTEMS = AISystem.objects.select_related("assessment")
EVENTS = CouncilEvent.objects.select_related("ai_system")


def _id(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 0 < number <= MAX_ID else None


# The record --------------------------------------------------------------------------------------


@org_view()
@require_GET
def council(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    page = queries.council_page(tenant)
    return render(request, "people/council.html", {"tenant": tenant, "page": page})


def _system_page(
    request: HtmxHttpRequest, tenant: Tenant, system: AISystem, form: SystemForm, status: int = 200
) -> HttpResponse:
    page = queries.system_page(tenant, system)
    context = {"tenant": tenant, "page": page, "form": form}
    return render(request, "people/council_system.html", context, status=status)


@org_view()
@require_http_methods(["GET", "POST"])
def council_system(request: HtmxHttpRequest, tenant: Tenant, aisystem_id: int) -> HttpResponse:
    """What applies to one AI system, its entries; POST saves the assessment."""
    system = tenant.get(SYSTEMS, pk=aisystem_id)
    if request.method == "GET":
        page = queries.system_page(tenant, system)
        initial = {
            "monitoring": page.row.monitoring,
            "personnel": page.row.personnel,
            "notes": page.notes,
        }
        context = {"tenant": tenant, "page": page, "form": SystemForm(initial=initial)}
        return render(request, "people/council_system.html", context)
    if not tenant.can_edit:
        raise PermissionDenied
    form = SystemForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.assess_system(
                tenant, system, data["monitoring"], data["personnel"], data["notes"]
            )
        except services.CouncilError as error:
            form.add_error(error.field or None, str(error))
        else:
            messages.success(request, _("The assessment has been saved."))
            return redirect(queries.url(tenant, "council_system", system.pk))
    return _system_page(request, tenant, system, form, INVALID)


# Entries -----------------------------------------------------------------------------------------


def _event_form(
    request: HtmxHttpRequest,
    tenant: Tenant,
    form: EventForm,
    event: CouncilEvent | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {"tenant": tenant, "form": form, "event": event}
    return render(request, "people/council_event_form.html", context, status=status)


def _save_event(tenant: Tenant, form: EventForm, event: CouncilEvent | None) -> CouncilEvent | None:
    if not form.is_valid():
        return None
    data = form.cleaned_data
    values = (
        data["kind"],
        data["happened_on"],
        data["title"],
        data["notes"],
        data["ai_system"],
        list(data["covered"]),
    )
    try:
        if event is None:
            return services.create_event(tenant, *values)
        return services.update_event(tenant, event, *values)
    except services.CouncilError as error:
        form.add_error(error.field or None, str(error))
        return None


@org_view()
@require_http_methods(["GET", "POST"])
def council_event_new(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    if not tenant.can_edit:
        raise PermissionDenied
    if request.method == "GET":
        initial: dict[str, object] = {}
        chosen = _id(request.GET.get("system"))
        if chosen is not None:
            found = tenant.scoped(AISystem.objects).filter(pk=chosen).values_list("pk").first()
            initial["ai_system"] = found[0] if found else None
        return _event_form(request, tenant, EventForm(tenant=tenant, initial=initial))
    form = EventForm(request.POST, tenant=tenant)
    event = _save_event(tenant, form, None)
    if event is None:
        return _event_form(request, tenant, form, status=INVALID)
    messages.success(request, _("The entry has been added to the log."))
    return redirect(queries.url(tenant, "council_event", event.pk))


@org_view()
@require_http_methods(["GET", "POST"])
def council_event_edit(
    request: HtmxHttpRequest, tenant: Tenant, councilevent_id: int
) -> HttpResponse:
    event = tenant.get(EVENTS, pk=councilevent_id)
    if not tenant.can_edit:
        raise PermissionDenied
    if request.method == "GET":
        initial = {
            "kind": event.kind,
            "happened_on": event.happened_on,
            "title": event.title,
            "notes": event.notes,
            "ai_system": event.ai_system_id,
            "covered": list(event.covered or ()),
        }
        return _event_form(request, tenant, EventForm(tenant=tenant, initial=initial), event)
    form = EventForm(request.POST, tenant=tenant)
    if _save_event(tenant, form, event) is None:
        stored = tenant.get(EVENTS, pk=councilevent_id)
        return _event_form(request, tenant, form, stored, INVALID)
    messages.success(request, _("The entry has been saved."))
    return redirect(queries.url(tenant, "council_event", event.pk))


@org_view()
@require_http_methods(["GET", "POST"])
def council_event_delete(
    request: HtmxHttpRequest, tenant: Tenant, councilevent_id: int
) -> HttpResponse:
    event = tenant.get(EVENTS, pk=councilevent_id)
    if not tenant.can_edit:
        raise PermissionDenied
    if request.method == "POST":
        services.delete_event(tenant, event)
        messages.success(request, _("The entry has been deleted."))
        return redirect(queries.url(tenant, "council"))
    confirm = queries.event_deletion(tenant, event)
    return render(request, "core/confirm_delete.html", {"tenant": tenant, "confirm": confirm})


def _event_page(
    request: HtmxHttpRequest,
    tenant: Tenant,
    event: CouncilEvent,
    form: DocumentForm,
    status: int = 200,
) -> HttpResponse:
    page = queries.event_page(tenant, event, services.max_document_bytes())
    context = {"tenant": tenant, "page": page, "form": form}
    return render(request, "people/council_event.html", context, status=status)


@org_view()
@require_http_methods(["GET", "POST"])
def council_event(request: HtmxHttpRequest, tenant: Tenant, councilevent_id: int) -> HttpResponse:
    """One entry with its checklist and documents; POST uploads a document."""
    event = tenant.get(EVENTS, pk=councilevent_id)
    if request.method == "GET":
        return _event_page(request, tenant, event, DocumentForm())
    if not tenant.can_edit:
        raise PermissionDenied
    if uploads.too_large(request, "file"):
        too_large = DocumentForm(request.POST)
        too_large.is_valid()
        too_large.errors.pop("file", None)
        too_large.add_error(
            "file",
            _("The file is larger than %(mb)s MB.") % {"mb": services.max_document_bytes() >> 20},
        )
        return _event_page(request, tenant, event, too_large, INVALID)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            services.add_document(tenant, event, uploaded.name or "", uploaded.read())
        except services.CouncilError as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, _("The document has been saved."))
            return redirect(queries.url(tenant, "council_event", event.pk) + "#documents")
    return _event_page(request, tenant, event, form, INVALID)


# Documents ---------------------------------------------------------------------------------------


def _document(request: HtmxHttpRequest, event: CouncilEvent) -> CouncilDocument | None:
    """The entry's document named in ``?document=`` (None when none is named); 404 for an id
    that is not one of the entry's documents."""
    raw = request.GET.get("document")
    if raw is None:
        return None
    chosen = _id(raw)
    found = CouncilDocument.objects.filter(event=event, pk=chosen).first() if chosen else None
    if found is None:
        raise Http404
    return found


@org_view()
@require_GET
def council_document(
    request: HtmxHttpRequest, tenant: Tenant, councilevent_id: int
) -> HttpResponse:
    """A document, always as a download (never shown in the browser as a page)."""
    event = tenant.get(CouncilEvent.objects, pk=councilevent_id)
    document = _document(request, event)
    if document is None:
        return redirect(queries.url(tenant, "council_event", event.pk) + "#documents")
    response = HttpResponse(bytes(document.data), content_type=document.content_type)
    response["Content-Disposition"] = content_disposition_header(True, document.name) or ""
    response["Content-Length"] = str(document.size)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@org_view()
@require_http_methods(["GET", "POST"])
def council_document_delete(
    request: HtmxHttpRequest, tenant: Tenant, councilevent_id: int
) -> HttpResponse:
    event = tenant.get(CouncilEvent.objects, pk=councilevent_id)
    if not tenant.can_edit:
        raise PermissionDenied
    document = _document(request, event)
    if document is None:
        return redirect(queries.url(tenant, "council_event", event.pk) + "#documents")
    if request.method == "POST":
        services.delete_document(tenant, event, document)
        messages.success(request, _("The document has been deleted."))
        return redirect(queries.url(tenant, "council_event", event.pk) + "#documents")
    confirm = queries.document_deletion(tenant, event, document)
    return render(request, "core/confirm_delete.html", {"tenant": tenant, "confirm": confirm})
