"""Every read of the works council's record: for each AI system of the register whether the
works council must agree (co-determination), what was agreed, and the next step.

The rules (pure, in :func:`standing`):

* without a works council nothing needs its consent (staff are still told, AI literacy holds);
* with one, consent is needed (§ 87 (1) Nr. 6 BetrVG) when the system can monitor behaviour or
  performance, and (§ 95 (2a) BetrVG) when it helps select or assess people; information and
  consultation (§ 90) and an expert (§ 80 (3)) come into play for every system;
* what was agreed is the latest consent, refusal or agreement on the system; a general
  agreement on AI (an entry for no system) covers every system without an entry of its own;
  entries without one of those mean the consultation is open.

Where the owner has not assessed monitoring yet, the compliance GDPR screening's answer
"monitors employees" is offered as a suggestion with its reason; it is never stored by itself.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from startklar.compliance.models import AISystem, PrivacyFacts, SystemStatus
from startklar.core.deletion import Confirmation, preview
from startklar.core.labels import Labels
from startklar.organisations.tenancy import Tenant

from .content import CURRENT_VERSION, Applies, ChecklistItem, load_works_council
from .council_services import AGREEMENTS
from .models import CouncilDocument, CouncilEvent, CouncilSystem, EventKind, Monitoring

# The compliance screening's question whether a system monitors employees (its content's id).
MONITORS_QUESTION = "monitors_employees"
DECISIVE = (EventKind.CONSENT, EventKind.REFUSAL, *AGREEMENTS)


class Codetermination(StrEnum):
    """Whether the works council must agree to the system."""

    NO_COUNCIL = "no_council"
    REQUIRED = "required"
    NOT_REQUIRED = "not_required"
    UNCLEAR = "unclear"  # monitoring not assessed yet


class Agreement(StrEnum):
    """What the log says was agreed on the system."""

    AGREED = "agreed"  # consent or an agreement on the system
    GENERAL = "general"  # covered by a general agreement on AI
    REFUSED = "refused"
    CONSULTING = "consulting"  # entries, but nothing settled
    NOTHING = "nothing"


class NextStep(StrEnum):
    INFORM_STAFF = "inform_staff"  # no works council
    ASSESS = "assess"
    INFORM_COUNCIL = "inform_council"
    NEGOTIATE = "negotiate"
    REFUSED = "refused"
    COMPLETE = "complete"  # agreed, checklist points missing
    KEEP_INFORMED = "keep_informed"
    INFORM_ONLY = "inform_only"
    NOTHING = "nothing"


# The order the record lists systems in: what needs doing first.
URGENCY = (
    NextStep.REFUSED,
    NextStep.INFORM_COUNCIL,
    NextStep.NEGOTIATE,
    NextStep.ASSESS,
    NextStep.COMPLETE,
    NextStep.INFORM_ONLY,
    NextStep.INFORM_STAFF,
    NextStep.KEEP_INFORMED,
    NextStep.NOTHING,
)

CODETERMINATION = Labels(
    Codetermination,
    {
        Codetermination.NO_COUNCIL: gettext_lazy("no works council"),
        Codetermination.REQUIRED: gettext_lazy("consent of the works council needed"),
        Codetermination.NOT_REQUIRED: gettext_lazy("no consent needed, information only"),
        Codetermination.UNCLEAR: gettext_lazy("not clear yet"),
    },
    styles={
        Codetermination.NO_COUNCIL: "secondary",
        Codetermination.REQUIRED: "warning",
        Codetermination.NOT_REQUIRED: "info",
        Codetermination.UNCLEAR: "secondary",
    },
)
AGREEMENT = Labels(
    Agreement,
    {
        Agreement.AGREED: gettext_lazy("agreed"),
        Agreement.GENERAL: gettext_lazy("covered by the general agreement on AI"),
        Agreement.REFUSED: gettext_lazy("consent refused"),
        Agreement.CONSULTING: gettext_lazy("in consultation"),
        Agreement.NOTHING: gettext_lazy("nothing yet"),
    },
    styles={
        Agreement.AGREED: "success",
        Agreement.GENERAL: "success",
        Agreement.REFUSED: "danger",
        Agreement.CONSULTING: "warning",
        Agreement.NOTHING: "secondary",
    },
)
NEXT_STEP = Labels(
    NextStep,
    {
        NextStep.INFORM_STAFF: gettext_lazy(
            "No works council: nobody's consent is needed, but tell the staff affected what "
            "the system does and what it means for them."
        ),
        NextStep.ASSESS: gettext_lazy(
            "Assess whether the system can monitor behaviour or performance: that decides "
            "whether the works council must agree."
        ),
        NextStep.INFORM_COUNCIL: gettext_lazy(
            "Co-determination applies and nothing is agreed yet: inform the works council with "
            "the documents and ask for its consent before the system is used."
        ),
        NextStep.NEGOTIATE: gettext_lazy(
            "In consultation: reach an agreement (works agreement or regulation agreement) "
            "before the system is used."
        ),
        NextStep.REFUSED: gettext_lazy(
            "The works council refused its consent: do not use the system as planned; talk "
            "again or call the conciliation committee (Einigungsstelle)."
        ),
        NextStep.COMPLETE: gettext_lazy(
            "Agreed. The agreement leaves points of the checklist open: take them up at its "
            "next review."
        ),
        NextStep.KEEP_INFORMED: gettext_lazy(
            "Agreed. Put new functions or purposes to the works council before they are used."
        ),
        NextStep.INFORM_ONLY: gettext_lazy(
            "No consent needed: inform the works council in good time and discuss the effects "
            "on the staff (§ 90 BetrVG)."
        ),
        NextStep.NOTHING: gettext_lazy(
            "Nothing to do: the works council is informed and its consent is not needed."
        ),
    },
    styles={
        NextStep.INFORM_STAFF: "secondary",
        NextStep.ASSESS: "secondary",
        NextStep.INFORM_COUNCIL: "danger",
        NextStep.NEGOTIATE: "warning",
        NextStep.REFUSED: "danger",
        NextStep.COMPLETE: "info",
        NextStep.KEEP_INFORMED: "success",
        NextStep.INFORM_ONLY: "info",
        NextStep.NOTHING: "success",
    },
)
APPLIES = Labels(
    Applies,
    {
        Applies.ALWAYS: gettext_lazy("for every AI system"),
        Applies.MONITORING: gettext_lazy("when a system can monitor behaviour or performance"),
        Applies.PERSONNEL: gettext_lazy("when a system helps select or assess people"),
    },
)


def url(tenant: Tenant, name: str, *args: object) -> str:
    return reverse(f"people:{name}", args=[tenant.organisation.slug, *args])


def _language() -> str:
    return translation.get_language() or "de"


# The rules ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    codetermination: Codetermination
    laws: tuple[str, ...]  # the sections that make consent necessary
    agreement: Agreement
    next_step: NextStep


def laws_for(monitoring: str, personnel: bool) -> tuple[str, ...]:
    """The sections that make the works council's consent necessary for a system."""
    rights = load_works_council(CURRENT_VERSION).rights
    applies = {Applies.MONITORING: monitoring == Monitoring.YES, Applies.PERSONNEL: personnel}
    return tuple(r.law for r in rights if applies.get(r.applies, False))


def agreement_of(kinds: Sequence[str], general_agreement: bool) -> Agreement:
    """What was agreed, from the kinds of the system's entries, newest first."""
    decisive = next((kind for kind in kinds if kind in DECISIVE), None)
    if decisive == EventKind.REFUSAL:
        return Agreement.REFUSED
    if decisive is not None:
        return Agreement.AGREED
    if general_agreement:
        return Agreement.GENERAL
    return Agreement.CONSULTING if kinds else Agreement.NOTHING


def standing(
    council: bool,
    monitoring: str,
    personnel: bool,
    kinds: Sequence[str],
    general_agreement: bool = False,
    missing: int = 0,
) -> Standing:
    """Whether the works council must agree to a system, what was agreed and the next step.
    ``kinds``: the kinds of the system's entries, newest first; ``missing``: the checklist
    points its agreement leaves open."""
    laws = laws_for(monitoring, personnel)
    agreement = agreement_of(kinds, general_agreement)
    if not council:
        return Standing(Codetermination.NO_COUNCIL, (), agreement, NextStep.INFORM_STAFF)
    if laws:
        found = Codetermination.REQUIRED
    elif monitoring == Monitoring.UNCLEAR:
        found = Codetermination.UNCLEAR
    else:
        found = Codetermination.NOT_REQUIRED
    if agreement is Agreement.REFUSED:
        step = NextStep.REFUSED
    elif found is Codetermination.UNCLEAR:
        step = NextStep.ASSESS
    elif found is Codetermination.REQUIRED:
        if agreement is Agreement.NOTHING:
            step = NextStep.INFORM_COUNCIL
        elif agreement is Agreement.CONSULTING:
            step = NextStep.NEGOTIATE
        else:
            step = NextStep.COMPLETE if missing else NextStep.KEEP_INFORMED
    else:
        step = NextStep.NOTHING if kinds or general_agreement else NextStep.INFORM_ONLY
    return Standing(found, laws, agreement, step)


# Rows --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    monitoring: Monitoring
    reason: str


@dataclass(frozen=True)
class EventRow:
    id: int
    kind: EventKind
    happened_on: datetime.date
    title: str
    system: str  # the AI system's name, "" for AI in general
    documents: int
    url: str
    is_agreement: bool
    covered: int
    missing: tuple[str, ...]  # the checklist points an agreement leaves open (titles)


@dataclass(frozen=True)
class SystemRow:
    id: int
    name: str
    status: str
    status_label: str
    url: str
    monitoring: Monitoring
    personnel: bool
    assessed: bool  # the owner said yes or no on monitoring
    suggestion: Suggestion | None
    standing: Standing
    settled_by: EventRow | None  # the entry that settles what was agreed
    entries: int
    in_use_without_consent: bool


def _checklist() -> tuple[ChecklistItem, ...]:
    return load_works_council(CURRENT_VERSION).checklist


def _missing(event: CouncilEvent) -> tuple[str, ...]:
    if event.kind not in AGREEMENTS:
        return ()
    covered = set(event.covered or ())
    language = _language()
    return tuple(item.title.get(language) for item in _checklist() if item.key not in covered)


def _event_row(tenant: Tenant, event: CouncilEvent, documents: int, system: str) -> EventRow:
    return EventRow(
        id=event.pk,
        kind=EventKind(event.kind),
        happened_on=event.happened_on,
        title=event.title,
        system=system,
        documents=documents,
        url=url(tenant, "council_event", event.pk),
        is_agreement=event.kind in AGREEMENTS,
        covered=len(event.covered or ()),
        missing=_missing(event),
    )


def _suggestion(answers: object) -> Suggestion | None:
    given = answers.get(MONITORS_QUESTION) if isinstance(answers, dict) else None
    if given == "yes":
        return Suggestion(
            Monitoring.YES,
            _("The GDPR screening of this system says it monitors employees."),
        )
    if given == "no":
        return Suggestion(
            Monitoring.NO,
            _("The GDPR screening of this system says it does not monitor employees."),
        )
    return None


def _events(tenant: Tenant, **lookups: object) -> list[tuple[CouncilEvent, int]]:
    found = (
        tenant.scoped(CouncilEvent.objects)
        .filter(**lookups)
        .annotate(document_count=Count("documents"))
        .defer("notes")
        .order_by("-happened_on", "-pk")
    )
    return [(event, event.document_count) for event in found]


def _rows(
    tenant: Tenant,
    council: bool,
    systems: Iterable[AISystem],
    events: Sequence[tuple[CouncilEvent, int]],
    suggest: bool = True,
) -> tuple[SystemRow, ...]:
    """``suggest``: offer the GDPR screening's answer (the systems carry their assessment)."""
    systems = list(systems)
    assessed = {
        c.ai_system_id: c
        for c in tenant.scoped(CouncilSystem.objects).filter(ai_system__in=[s.pk for s in systems])
    }
    names = {s.pk: s.name for s in systems}
    by_system: dict[int, list[tuple[CouncilEvent, int]]] = {}
    general = False
    for event, documents in events:
        if event.ai_system_id is None:
            general = general or event.kind in AGREEMENTS
        else:
            by_system.setdefault(event.ai_system_id, []).append((event, documents))
    rows = []
    for system in systems:
        stored = assessed.get(system.pk)
        monitoring = Monitoring(stored.monitoring) if stored else Monitoring.UNCLEAR
        personnel = bool(stored and stored.personnel)
        own = by_system.get(system.pk, [])
        kinds = [event.kind for event, _count in own]
        settling = next(((e, n) for e, n in own if e.kind in DECISIVE), None)
        settled = _event_row(tenant, settling[0], settling[1], system.name) if settling else None
        found = standing(
            council,
            monitoring,
            personnel,
            kinds,
            general,
            len(settled.missing) if settled else 0,
        )
        assessment = getattr(system, "assessment", None) if suggest else None
        rows.append(
            SystemRow(
                id=system.pk,
                name=names[system.pk],
                status=system.status,
                status_label=str(SystemStatus(system.status).label),
                url=url(tenant, "council_system", system.pk),
                monitoring=monitoring,
                personnel=personnel,
                assessed=monitoring != Monitoring.UNCLEAR,
                suggestion=(
                    _suggestion(assessment.answers)
                    if assessment is not None and monitoring == Monitoring.UNCLEAR
                    else None
                ),
                standing=found,
                settled_by=settled,
                entries=len(own),
                in_use_without_consent=(
                    system.status == SystemStatus.IN_USE
                    and found.codetermination is Codetermination.REQUIRED
                    and found.agreement not in (Agreement.AGREED, Agreement.GENERAL)
                ),
            )
        )
    return tuple(rows)


def has_council(tenant: Tenant) -> bool | None:
    """Whether the organisation has a works council (None: the privacy facts are not saved)."""
    return (
        PrivacyFacts.objects.filter(organisation=tenant.organisation)
        .values_list("works_council", flat=True)
        .first()
    )


# The main page -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RightView:
    key: str
    law: str
    title: str
    text: str
    applies: Applies


@dataclass(frozen=True)
class CouncilPage:
    council: bool
    facts_saved: bool  # False: nobody said yet whether there is a works council
    privacy_url: str
    rights: tuple[RightView, ...]
    systems: tuple[SystemRow, ...]
    events: tuple[EventRow, ...]
    required: int  # systems that need consent
    open: int  # of those: not agreed
    register_url: str


def _rights() -> tuple[RightView, ...]:
    language = _language()
    return tuple(
        RightView(r.key, r.law, r.title.get(language), r.text.get(language), r.applies)
        for r in load_works_council(CURRENT_VERSION).rights
    )


def council_page(tenant: Tenant) -> CouncilPage:
    found = has_council(tenant)
    council = bool(found)
    systems = tenant.scoped(AISystem.objects).select_related("assessment").order_by("name", "pk")
    events = _events(tenant)
    names = {s.pk: s.name for s in systems}
    rows = tuple(
        sorted(
            _rows(tenant, council, systems, events),
            key=lambda r: URGENCY.index(r.standing.next_step),
        )
    )
    required = [r for r in rows if r.standing.codetermination is Codetermination.REQUIRED]
    return CouncilPage(
        council=council,
        facts_saved=found is not None,
        privacy_url=reverse("compliance:privacy", args=[tenant.organisation.slug]),
        rights=_rights(),
        systems=rows,
        events=tuple(
            _event_row(tenant, event, documents, names.get(event.ai_system_id or 0, ""))
            for event, documents in events
        ),
        required=len(required),
        open=sum(
            1 for r in required if r.standing.agreement not in (Agreement.AGREED, Agreement.GENERAL)
        ),
        register_url=reverse("compliance:systems", args=[tenant.organisation.slug]),
    )


# One AI system -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SystemPage:
    system: AISystem
    row: SystemRow
    council: bool
    facts_saved: bool
    privacy_url: str
    rights: tuple[RightView, ...]  # those that come into play for this system
    events: tuple[EventRow, ...]
    notes: str


def system_page(tenant: Tenant, system: AISystem) -> SystemPage:
    """``system``: read with its assessment (``select_related("assessment")``)."""
    tenant.require(system)
    found = has_council(tenant)
    council = bool(found)
    events = _events(tenant, ai_system=system)
    general = tenant.scoped(CouncilEvent.objects).filter(
        ai_system__isnull=True, kind__in=AGREEMENTS
    )
    general_events = [(e, 0) for e in general.only("pk", "kind", "ai_system")[:1]]
    row = _rows(tenant, council, [system], [*events, *general_events])[0]
    stored = CouncilSystem.objects.filter(ai_system=system).values_list("notes", flat=True).first()
    applying = {Applies.ALWAYS}
    if row.monitoring != Monitoring.NO:
        applying.add(Applies.MONITORING)
    if row.personnel:
        applying.add(Applies.PERSONNEL)
    return SystemPage(
        system=system,
        row=row,
        council=council,
        facts_saved=found is not None,
        privacy_url=reverse("compliance:privacy", args=[tenant.organisation.slug]),
        rights=tuple(r for r in _rights() if r.applies in applying),
        events=tuple(_event_row(tenant, e, n, system.name) for e, n in events),
        notes=stored or "",
    )


# One entry ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistRow:
    key: str
    title: str
    text: str
    covered: bool


@dataclass(frozen=True)
class DocumentRow:
    id: int
    name: str
    size: int
    content_type: str
    download_url: str
    delete_url: str


@dataclass(frozen=True)
class EventPage:
    event: CouncilEvent
    row: EventRow
    system_url: str
    checklist: tuple[ChecklistRow, ...]  # for an agreement
    documents: tuple[DocumentRow, ...]
    max_mb: int


def checklist_choices() -> list[tuple[str, str]]:
    language = _language()
    return [(item.key, item.title.get(language)) for item in _checklist()]


def event_page(tenant: Tenant, event: CouncilEvent, max_bytes: int) -> EventPage:
    tenant.require(event)
    language = _language()
    documents = tuple(
        DocumentRow(
            id=pk,
            name=name,
            size=size,
            content_type=content_type,
            download_url=url(tenant, "council_document", event.pk) + f"?document={pk}",
            delete_url=url(tenant, "council_document_delete", event.pk) + f"?document={pk}",
        )
        for pk, name, size, content_type in CouncilDocument.objects.filter(event=event)
        .order_by("name", "pk")
        .values_list("pk", "name", "size", "content_type")
    )
    system = event.ai_system
    covered = set(event.covered or ())
    return EventPage(
        event=event,
        row=_event_row(tenant, event, len(documents), system.name if system else ""),
        system_url=url(tenant, "council_system", system.pk) if system else "",
        checklist=tuple(
            ChecklistRow(
                item.key, item.title.get(language), item.text.get(language), item.key in covered
            )
            for item in _checklist()
        )
        if event.kind in AGREEMENTS
        else (),
        documents=documents,
        max_mb=max_bytes >> 20,
    )


def event_deletion(tenant: Tenant, event: CouncilEvent) -> Confirmation:
    deleted, unlinked = preview(event)
    return Confirmation(
        title=_("Delete works-council entry"),
        name=event.title,
        consequences=deleted,
        unlinked=unlinked,
        kept=(_("The AI system and the other entries stay."),),
        action_url=url(tenant, "council_event_delete", event.pk),
        cancel_url=url(tenant, "council_event", event.pk),
        button=_("Delete entry for good"),
    )


def document_deletion(
    tenant: Tenant, event: CouncilEvent, document: CouncilDocument
) -> Confirmation:
    deleted, unlinked = preview(document)
    return Confirmation(
        title=_("Delete document"),
        name=document.name,
        consequences=deleted,
        unlinked=unlinked,
        kept=(_("The entry stays."),),
        action_url=url(tenant, "council_document_delete", event.pk) + f"?document={document.pk}",
        cancel_url=url(tenant, "council_event", event.pk),
        button=_("Delete document for good"),
    )


# The scale decision ------------------------------------------------------------------------------


@dataclass(frozen=True)
class GateSystem:
    name: str
    url: str
    standing: Standing
    needs_agreement: bool
    has_agreement: bool


def gate_systems(tenant: Tenant, systems: Sequence[AISystem]) -> tuple[GateSystem, ...]:
    """For the pilot's scale decision: whether each system needs the works council's consent
    and whether the log holds it."""
    if not systems:
        return ()
    council = bool(has_council(tenant))
    ids = [s.pk for s in systems]
    events = [
        (event, 0)
        for event in tenant.scoped(CouncilEvent.objects)
        .filter(Q(ai_system__in=ids) | Q(ai_system__isnull=True, kind__in=AGREEMENTS))
        .only("pk", "kind", "ai_system", "happened_on", "title", "covered")
        .order_by("-happened_on", "-pk")
    ]
    rows = _rows(tenant, council, systems, events, suggest=False)
    return tuple(
        GateSystem(
            name=row.name,
            url=row.url,
            standing=row.standing,
            needs_agreement=row.standing.codetermination is Codetermination.REQUIRED,
            has_agreement=row.standing.agreement in (Agreement.AGREED, Agreement.GENERAL),
        )
        for row in rows
    )
