"""Every read of the communication plan and the staff FAQ: the page (one query each for the plan
and the FAQ), the FAQ as the pulse's answer page shows it, and the deletion pages."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from startklar.core.deletion import Confirmation, preview
from startklar.organisations.models import Organisation
from startklar.organisations.tenancy import Tenant

from .content.communication import load_starter
from .models import Channel, CommunicationItem, CommunicationKind, FaqEntry


def url(tenant: Tenant, name: str, *args: object) -> str:
    return reverse(f"people:{name}", args=[tenant.organisation.slug, *args])


@dataclass(frozen=True)
class ItemRow:
    pk: int
    kind: CommunicationKind
    audience: str
    message: str
    channel: Channel
    due_on: datetime.date
    done_on: datetime.date | None
    late_days: int  # days past its date and not done (0: not late)
    edit_url: str
    delete_url: str
    done_url: str

    @property
    def done(self) -> bool:
        return self.done_on is not None

    @property
    def late(self) -> bool:
        return self.late_days > 0


@dataclass(frozen=True)
class FaqView:
    """A question and its answer, as staff read them."""

    question: str
    answer: str


@dataclass(frozen=True)
class FaqRow:
    pk: int
    question: str
    answer: str
    first: bool
    last: bool
    edit_url: str
    delete_url: str
    move_url: str


@dataclass(frozen=True)
class CommunicationPage:
    items: tuple[ItemRow, ...]  # by date
    faq: tuple[FaqRow, ...]  # in their order
    today: datetime.date
    starter_steps: int  # what the empty plan and FAQ offer to adopt
    starter_questions: int

    @property
    def open_count(self) -> int:
        return sum(1 for i in self.items if not i.done)

    @property
    def late_count(self) -> int:
        return sum(1 for i in self.items if i.late)

    @property
    def done_count(self) -> int:
        return sum(1 for i in self.items if i.done)

    @property
    def next_item(self) -> ItemRow | None:
        """The first step not done yet (late ones first: they are the earliest)."""
        return next((i for i in self.items if not i.done), None)


def page(tenant: Tenant, today: datetime.date) -> CommunicationPage:
    """The plan by date (done or not; late: due before ``today`` and not done) and the FAQ."""
    items = tuple(
        ItemRow(
            pk=item.pk,
            kind=CommunicationKind(item.kind),
            audience=item.audience,
            message=item.message,
            channel=Channel(item.channel),
            due_on=item.due_on,
            done_on=item.done_on,
            late_days=max(0, (today - item.due_on).days) if item.done_on is None else 0,
            edit_url=url(tenant, "communication_edit", item.pk),
            delete_url=url(tenant, "communication_delete", item.pk),
            done_url=url(tenant, "communication_done", item.pk),
        )
        for item in tenant.scoped(CommunicationItem.objects).order_by("due_on", "pk")
    )
    entries = list(tenant.scoped(FaqEntry.objects).order_by("position", "pk"))
    faq = tuple(
        FaqRow(
            pk=entry.pk,
            question=entry.question,
            answer=entry.answer,
            first=index == 0,
            last=index == len(entries) - 1,
            edit_url=url(tenant, "faq_edit", entry.pk),
            delete_url=url(tenant, "faq_delete", entry.pk),
            move_url=url(tenant, "faq_move", entry.pk),
        )
        for index, entry in enumerate(entries)
    )
    starter = load_starter()
    return CommunicationPage(items, faq, today, len(starter.steps), len(starter.faq))


def faq(organisation: Organisation | int) -> tuple[FaqView, ...]:
    """The organisation's staff FAQ in its order (for the page a pulse is answered on)."""
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    return tuple(
        FaqView(question, answer)
        for question, answer in FaqEntry.objects.filter(organisation_id=organisation_id)
        .order_by("position", "pk")
        .values_list("question", "answer")
    )


def deletion(tenant: Tenant, obj: CommunicationItem | FaqEntry) -> Confirmation:
    deleted, unlinked = preview(obj)
    back = url(tenant, "communication")
    if isinstance(obj, CommunicationItem):
        return Confirmation(
            title=_("Delete communication step"),
            name=str(obj),
            consequences=deleted,
            unlinked=unlinked,
            kept=(_("A roadmap item made from it stays on the roadmap."),),
            action_url=url(tenant, "communication_delete", obj.pk),
            cancel_url=back,
            button=_("Delete step for good"),
        )
    return Confirmation(
        title=_("Delete question"),
        name=obj.question,
        consequences=deleted,
        unlinked=unlinked,
        kept=(),
        action_url=url(tenant, "faq_delete", obj.pk),
        cancel_url=back + "#faq",
        button=_("Delete question for good"),
    )
