"""Pages of the roadmap. Each view parses, calls one service or query, renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from startklar.core.forms import INVALID
from startklar.core.htmx import HtmxHttpRequest
from startklar.organisations.models import Role
from startklar.organisations.tenancy import Tenant, org_view

from . import digest, digestforms, queries, services
from .forms import AcceptForm, AssignForm, DoneForm, ItemForm, MoveForm, SettingsForm
from .models import Dismissal, Item

ITEMS = Item.objects.select_related("owner__user")


def _language() -> str:
    return "en" if (get_language() or "de").startswith("en") else "de"


def _errors(form: Any) -> str:
    """A form's messages as one line (for a message or a preview)."""
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _today() -> Any:
    return timezone.localdate()


def _back(request: HtmxHttpRequest, tenant: Tenant, item: Item | None = None) -> HttpResponse:
    """Back where the form was sent from (the plan's view or the item), never elsewhere."""
    view = request.POST.get("view", "")
    if view in queries.VIEWS:
        target = queries.url(tenant, "plan") + f"?view={view}"
        return redirect(f"{target}#item-{item.pk}" if item else target)
    if item is not None:
        return redirect(queries.url(tenant, "item", item.pk))
    return redirect(queries.url(tenant, "plan"))


# The plan ----------------------------------------------------------------------------------------


@org_view()
@require_GET
def plan(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    view = request.GET.get("view", "phases")
    if view not in queries.VIEWS:
        view = "phases"
    page = queries.plan(tenant, _today(), view)
    context = {"tenant": tenant, "page": page, "owners": queries.owners(tenant)}
    return render(request, "roadmap/plan.html", context)


# Items -------------------------------------------------------------------------------------------


def _item_page(
    request: HtmxHttpRequest,
    tenant: Tenant,
    item: Item,
    form: ItemForm,
    status: int = 200,
) -> HttpResponse:
    context = {
        "tenant": tenant,
        "page": queries.item_page(tenant, item, _today()),
        "form": form,
        "done_form": DoneForm(initial={"done_on": item.done_on or _today()}),
    }
    return render(request, "roadmap/item.html", context, status=status)


@org_view()
@require_http_methods(["GET", "POST"])
def item(request: HtmxHttpRequest, tenant: Tenant, item_id: int) -> HttpResponse:
    found = tenant.get(ITEMS, pk=item_id)
    if request.method == "GET":
        return _item_page(request, tenant, found, ItemForm(tenant, instance=found))
    form = ItemForm(tenant, request.POST, instance=found)
    if form.is_valid():
        try:
            services.update_item(tenant, form.instance, list(form.cleaned_data["depends_on"]))
        except services.RoadmapError as error:
            form.add_error(error.field, str(error))
        else:
            messages.success(request, _("The item has been saved."))
            return redirect(queries.url(tenant, "item", found.pk))
    stored = tenant.get(ITEMS, pk=item_id)  # the page shows what is saved, the form what was sent
    return _item_page(request, tenant, stored, form, INVALID)


@org_view()
@require_http_methods(["GET", "POST"])
def add(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    if not tenant.can_edit:
        raise PermissionDenied
    if request.method == "GET":
        today = _today()
        initial = {"start": today, "end": today, "owner": tenant.membership}
        form = ItemForm(tenant, initial=initial)
        return render(request, "roadmap/add.html", {"tenant": tenant, "form": form})
    form = ItemForm(tenant, request.POST)
    if form.is_valid():
        try:
            created = services.add_item(
                tenant, form.instance, list(form.cleaned_data["depends_on"])
            )
        except services.RoadmapError as error:
            form.add_error(error.field, str(error))
        else:
            messages.success(request, _("The item is on the roadmap."))
            return redirect(queries.url(tenant, "item", created.pk))
    return render(request, "roadmap/add.html", {"tenant": tenant, "form": form}, status=INVALID)


@org_view()
@require_GET
def move_preview(request: HtmxHttpRequest, tenant: Tenant, item_id: int) -> HttpResponse:
    """What moves along when the item's dates change (the edit form asks while one types)."""
    found = tenant.get(ITEMS, pk=item_id)
    if not request.htmx:  # an address opened by hand: the item's page, where the preview is
        return redirect(queries.url(tenant, "item", found.pk))
    form = MoveForm(request.GET)
    moves: list[queries.MoveRow] = []
    problem = ""
    if form.is_valid():
        try:
            found_moves = services.move_preview(
                tenant, found, form.cleaned_data["start"], form.cleaned_data.get("end")
            )
        except services.RoadmapError as error:
            problem = str(error)
        else:
            moves = queries.move_rows(tenant, found, found_moves)
    else:
        problem = _errors(form)
    context = {"tenant": tenant, "moves": moves, "problem": problem, "item": found}
    return render(request, "roadmap/item.html#moves", context)


@org_view()
@require_POST
def done(request: HtmxHttpRequest, tenant: Tenant, item_id: int) -> HttpResponse:
    found = tenant.get(ITEMS, pk=item_id)
    form = DoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return _back(request, tenant, found)
    day = (form.cleaned_data["done_on"] or _today()) if form.cleaned_data["done"] else None
    try:
        services.mark_done(tenant, found, day)
    except services.RoadmapError as error:
        messages.error(request, str(error))
    else:
        if day is None:
            messages.success(request, _("“%(title)s” is open again.") % {"title": found.title})
        else:
            messages.success(request, _("“%(title)s” is done.") % {"title": found.title})
    return _back(request, tenant, found)


@org_view()
@require_POST
def assign(request: HtmxHttpRequest, tenant: Tenant, item_id: int) -> HttpResponse:
    found = tenant.get(ITEMS, pk=item_id)
    form = AssignForm(tenant, request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose a member of the organisation."))
        return _back(request, tenant, found)
    try:
        services.assign(tenant, found, form.cleaned_data["owner"])
    except services.RoadmapError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The owner has been saved."))
    return _back(request, tenant, found)


@org_view()
@require_http_methods(["GET", "POST"])
def delete(request: HtmxHttpRequest, tenant: Tenant, item_id: int) -> HttpResponse:
    found = tenant.get(ITEMS, pk=item_id)
    if not tenant.can_edit:
        raise PermissionDenied
    if request.method == "POST":
        services.delete_item(tenant, found)
        messages.success(request, _("“%(title)s” has been removed.") % {"title": found.title})
        return redirect(queries.url(tenant, "plan"))
    confirm = queries.deletion(tenant, found)
    return render(request, "core/confirm_delete.html", {"tenant": tenant, "confirm": confirm})


# Proposals ---------------------------------------------------------------------------------------


def _proposals_page(
    request: HtmxHttpRequest,
    tenant: Tenant,
    settings_form: SettingsForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    page = queries.proposal_page(tenant, _language(), _today())
    context = {
        "tenant": tenant,
        "page": page,
        "settings_form": settings_form or SettingsForm(instance=page.settings),
        "error": error,
    }
    return render(request, "roadmap/proposals.html", context, status=status)


@org_view()
@require_http_methods(["GET", "POST"])
def proposals(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    """The proposal; POST accepts the chosen proposals."""
    if request.method == "GET":
        return _proposals_page(request, tenant)
    form = AcceptForm(request.POST)
    if not form.is_valid():
        error = " ".join(str(e) for e in form.non_field_errors())
        return _proposals_page(request, tenant, error=error, status=INVALID)
    try:
        accepted = services.accept(tenant, form.chosen, _language(), _today())
    except services.RoadmapError as error:
        return _proposals_page(request, tenant, error=str(error), status=INVALID)
    messages.success(
        request,
        ngettext(
            "%(count)d item is on the roadmap now.",
            "%(count)d items are on the roadmap now.",
            len(accepted),
        )
        % {"count": len(accepted)},
    )
    if request.POST.get("then") == "proposals":
        return redirect(queries.url(tenant, "proposals"))
    return redirect(queries.url(tenant, "plan"))


@org_view()
@require_POST
def settings(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    current = queries.settings_of(tenant, _today())
    form = SettingsForm(request.POST, instance=current)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.save_settings(tenant, data["start"], data["capacity"], data["budget"])
        except services.RoadmapError as error:
            form.add_error(error.field, str(error))
        else:
            messages.success(request, _("The proposal is planned with the new settings."))
            return redirect(queries.url(tenant, "proposals") + "#proposals")
    return _proposals_page(request, tenant, settings_form=form, status=INVALID)


@org_view()
@require_POST
def dismiss(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    try:
        services.dismiss(tenant, request.POST.get("key", ""))
    except services.RoadmapError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("The proposal is set aside. You can take it back at the end of the list.")
        )
    return redirect(queries.url(tenant, "proposals") + "#proposals")


@org_view()
@require_POST
def take_back(request: HtmxHttpRequest, tenant: Tenant, dismissal_id: int) -> HttpResponse:
    found = tenant.get(Dismissal.objects, pk=dismissal_id)
    services.take_back(tenant, found)
    messages.success(request, _("The proposal is back in the list."))
    return redirect(queries.url(tenant, "proposals") + "#proposals")


# Competence plan ---------------------------------------------------------------------------------


@org_view()
@require_GET
def competences(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    page = queries.competence_page(tenant, _language(), _today())
    return render(request, "roadmap/competences.html", {"tenant": tenant, "page": page})


# Calendar ----------------------------------------------------------------------------------------

NEW_ADDRESS = "roadmap_feed_secret"  # the session key of a new address, shown once


@org_view()
@require_GET
def calendar(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    secret = request.session.pop(NEW_ADDRESS, None)
    choice = digest.choice_of(tenant)
    page = queries.calendar_page(tenant, choice.wanted)
    feed_url = ""
    if secret and page.mine is not None:
        feed_url = request.build_absolute_uri(queries.feed_path(secret, _language()))
    context = {
        "tenant": tenant,
        "page": page,
        "feed_url": feed_url,
        "digest_form": digestforms.form_for(choice),
    }
    return render(request, "roadmap/calendar.html", context)


@org_view(write_role=Role.VIEWER)
@require_POST
def feed_create(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    _feed, secret = services.create_feed(tenant)
    request.session[NEW_ADDRESS] = secret
    messages.success(
        request,
        _("Your calendar address is ready. Copy it now: it is shown only this once."),
    )
    return redirect(queries.url(tenant, "calendar") + "#feed")


@org_view(write_role=Role.VIEWER)
@require_POST
def feed_revoke(request: HtmxHttpRequest, tenant: Tenant, calendarfeed_id: int) -> HttpResponse:
    from .models import CalendarFeed

    found = tenant.get(CalendarFeed.objects.select_related("member__user"), pk=calendarfeed_id)
    try:
        services.revoke_feed(tenant, found)
    except services.RoadmapError as error:
        raise PermissionDenied(str(error)) from error
    messages.success(
        request, _("The calendar address no longer works. Calendars that use it stay empty.")
    )
    return redirect(queries.url(tenant, "calendar"))


@org_view()
@require_GET
def download(request: HtmxHttpRequest, tenant: Tenant) -> HttpResponse:
    """The member's items and the milestones (``?all=1``: every item) as an .ics file."""
    everything = request.GET.get("all") == "1"
    body, name = queries.calendar_file(
        tenant.organisation,
        None if everything else tenant.membership,
        _language(),
        request.build_absolute_uri("/"),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
