"""Pages of the communication plan and the staff FAQ. Each view parses, calls one service or
query, renders; input that cannot be saved answers ``INVALID`` with the form and its messages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from startklar.core.forms import INVALID
from startklar.core.htmx import HtmxHttpRequest
from startklar.organisations.tenancy import Tenant, org_view

from . import communication_queries as queries
from . import communication_services as services
from .communication_forms import FaqForm, ItemForm, MoveForm
from .models import CommunicationItem, CommunicationKind, FaqEntry

ITEMS = CommunicationItem.objects.all()
ENTRIES = FaqEntry.objects.all()


def _back(tenant: Tenant, anchor: str = "") -> HttpResponse:
    return redirect(queries.url(tenant, "communication") + anchor)


@org_view()
@require_GET
def communication(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    page = queries.page(tenant, timezone.localdate())
    return render(request, "people/communication.html", {"tenant": tenant, "page": page})


# Steps of the plan -------------------------------------------------------------------------------


def _item_form(
    request: HtmxHttpRequest,
    tenant: Tenant,
    form: ItemForm,
    item: CommunicationItem | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {"tenant": tenant, "form": form, "item": item}
    return render(request, "people/communication_form.html", context, status=status)


def _save_item(tenant: Tenant, form: ItemForm, item: CommunicationItem | None) -> bool:
    if not form.is_valid():
        return False
    data = form.cleaned_data
    fields = {k: data[k] for k in ("kind", "audience", "message", "channel", "due_on")}
    try:
        if item is None:
            services.create_item(tenant, **fields)
        else:
            services.update_item(tenant, item, **fields)
    except services.CommunicationError as error:
        form.add_error(error.field or None, str(error))
        return False
    return True


@org_view()
@require_http_methods(["GET", "POST"])
def communication_new(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    if not tenant.can_edit:
        raise PermissionDenied
    if request.method == "GET":
        initial: dict[str, object] = {"due_on": timezone.localdate()}
        if (kind := request.GET.get("kind", "")) in CommunicationKind.values:
            initial["kind"] = kind
        return _item_form(request, tenant, ItemForm(initial=initial))
    form = ItemForm(request.POST)
    if _save_item(tenant, form, None):
        messages.success(request, _("The step is in the plan."))
        return _back(tenant)
    return _item_form(request, tenant, form, status=INVALID)


@org_view()
@require_http_methods(["GET", "POST"])
def communication_edit(
    request: HtmxHttpRequest, tenant: Tenant, communicationitem_id: int
) -> HttpResponse:
    item = tenant.get(ITEMS, pk=communicationitem_id)
    if not tenant.can_edit:
        raise PermissionDenied
    if request.method == "GET":
        return _item_form(request, tenant, ItemForm(instance=item), item)
    form = ItemForm(request.POST, instance=tenant.get(ITEMS, pk=communicationitem_id))
    if _save_item(tenant, form, item):
        messages.success(request, _("The step has been saved."))
        return _back(tenant)
    return _item_form(request, tenant, form, item, status=INVALID)


@org_view()
@require_http_methods(["GET", "POST"])
def communication_delete(
    request: HtmxHttpRequest, tenant: Tenant, communicationitem_id: int
) -> HttpResponse:
    item = tenant.get(ITEMS, pk=communicationitem_id)
    if not tenant.can_edit:
        raise PermissionDenied
    if request.method == "POST":
        services.delete_item(tenant, item)
        messages.success(request, _("The step has been deleted."))
        return _back(tenant)
    confirm = queries.deletion(tenant, item)
    return render(request, "core/confirm_delete.html", {"tenant": tenant, "confirm": confirm})


@org_view()
@require_POST
def communication_done(
    request: HtmxHttpRequest, tenant: Tenant, communicationitem_id: int
) -> HttpResponse:
    """Mark a step done today (``done=1``) or open it again (``done=0``)."""
    item = tenant.get(ITEMS, pk=communicationitem_id)
    done = request.POST.get("done", "")
    if done not in ("0", "1"):
        messages.error(request, _("Please mark the step done or open."))
        return render(
            request,
            "people/communication.html",
            {"tenant": tenant, "page": queries.page(tenant, timezone.localdate())},
            status=INVALID,
        )
    services.set_done(tenant, item, done == "1", timezone.localdate())
    if done == "1":
        messages.success(request, _("Marked as done."))
    else:
        messages.success(request, _("The step is open again."))
    return _back(tenant, f"#step-{item.pk}")


@org_view()
@require_POST
def communication_starter(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    """Adopt the starter plan (into an empty plan)."""
    try:
        made = services.adopt_starter_plan(tenant, timezone.localdate())
    except services.CommunicationError as error:
        messages.error(request, str(error))
        return _back(tenant)
    messages.success(
        request,
        _("The starter plan has %(count)d steps. Adapt them to your company.")
        % {"count": len(made)},
    )
    return _back(tenant)


# The FAQ -----------------------------------------------------------------------------------------


def _faq_form(
    request: HtmxHttpRequest,
    tenant: Tenant,
    form: FaqForm,
    entry: FaqEntry | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {"tenant": tenant, "form": form, "entry": entry}
    return render(request, "people/faq_form.html", context, status=status)


def _save_faq(tenant: Tenant, form: FaqForm, entry: FaqEntry | None) -> bool:
    if not form.is_valid():
        return False
    question, answer = form.cleaned_data["question"], form.cleaned_data["answer"]
    try:
        if entry is None:
            services.create_faq(tenant, question, answer)
        else:
            services.update_faq(tenant, entry, question, answer)
    except services.CommunicationError as error:
        form.add_error(error.field or None, str(error))
        return False
    return True


@org_view()
@require_http_methods(["GET", "POST"])
def faq_new(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    if not tenant.can_edit:
        raise PermissionDenied
    if request.method == "GET":
        return _faq_form(request, tenant, FaqForm())
    form = FaqForm(request.POST)
    if _save_faq(tenant, form, None):
        messages.success(request, _("The question is in the FAQ."))
        return _back(tenant, "#faq")
    return _faq_form(request, tenant, form, status=INVALID)


@org_view()
@require_http_methods(["GET", "POST"])
def faq_edit(request: HtmxHttpRequest, tenant: Tenant, faqentry_id: int) -> HttpResponse:
    entry = tenant.get(ENTRIES, pk=faqentry_id)
    if not tenant.can_edit:
        raise PermissionDenied
    if request.method == "GET":
        return _faq_form(request, tenant, FaqForm(instance=entry), entry)
    form = FaqForm(request.POST, instance=tenant.get(ENTRIES, pk=faqentry_id))
    if _save_faq(tenant, form, entry):
        messages.success(request, _("The question has been saved."))
        return _back(tenant, "#faq")
    return _faq_form(request, tenant, form, entry, status=INVALID)


@org_view()
@require_http_methods(["GET", "POST"])
def faq_delete(request: HtmxHttpRequest, tenant: Tenant, faqentry_id: int) -> HttpResponse:
    entry = tenant.get(ENTRIES, pk=faqentry_id)
    if not tenant.can_edit:
        raise PermissionDenied
    if request.method == "POST":
        services.delete_faq(tenant, entry)
        messages.success(request, _("The question has been deleted."))
        return _back(tenant, "#faq")
    confirm = queries.deletion(tenant, entry)
    return render(request, "core/confirm_delete.html", {"tenant": tenant, "confirm": confirm})


@org_view()
@require_POST
def faq_move(request: HtmxHttpRequest, tenant: Tenant, faqentry_id: int) -> HttpResponse:
    entry = tenant.get(ENTRIES, pk=faqentry_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose up or down."))
        page = queries.page(tenant, timezone.localdate())
        return render(
            request,
            "people/communication.html",
            {"tenant": tenant, "page": page},
            status=INVALID,
        )
    services.move_faq(tenant, entry, form.cleaned_data["direction"])
    return _back(tenant, f"#faq-{entry.pk}")


@org_view()
@require_POST
def faq_starter(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    """Adopt the first questions with draft answers (into an empty FAQ)."""
    try:
        made = services.adopt_starter_faq(tenant)
    except services.CommunicationError as error:
        messages.error(request, str(error))
        return _back(tenant, "#faq")
    messages.success(
        request,
        _("%(count)d questions with draft answers are in the FAQ. Check each answer.")
        % {"count": len(made)},
    )
    return _back(tenant, "#faq")
