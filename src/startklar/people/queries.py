"""Every read of the staff pulses: a pulse's results as the organisation may see them.

The results come from the engine (``engine.pulse.evaluate``) over the pulse's stored answers:
by group only where anonymity holds, each question against the previous pulse, the themes the
answers raise and the acceptance score. Comments are shown only once checked (no names), and
with their group only where the group's results are shown."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import segno
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from startklar.core.deletion import Confirmation, preview
from startklar.core.templatetags.startklar import percent
from startklar.organisations.tenancy import Tenant

from . import charts, communication_queries
from .content import Bank, ThemeText, load_bank, load_themes
from .engine import pulse as engine
from .models import (
    AnswerCode,
    CommentReview,
    Pulse,
    PulseAnswer,
    PulseGroup,
    PulseLink,
    PulseStatus,
)


@dataclass(frozen=True)
class QuestionResult:
    key: str
    text: str
    points: tuple[str, ...]  # the scale's labels, 1 to 5
    polarity: engine.Polarity
    total: engine.Distribution | None  # None: withheld (too few answers)
    by_group: tuple[tuple[str, engine.Distribution | None], ...]
    change: engine.Change | None  # since the previous pulse, where both show it


@dataclass(frozen=True)
class GroupRow:
    name: str
    people: int | None  # None: too few answers to show
    concerned: float | None


@dataclass(frozen=True)
class ThemeView:
    key: str
    words: ThemeText
    evidence: tuple[tuple[str, engine.Measure, float], ...]
    # in the page's language:
    title: str = ""
    why: str = ""
    actions: tuple[str, ...] = ()
    roadmap: str = ""
    reasons: tuple[str, ...] = ()  # "45 % agree: I fear that AI …"


@dataclass(frozen=True)
class Comment:
    text: str
    group: str  # "" where the group is not shown (or the answer had none)


@dataclass(frozen=True)
class Results:
    pulse: Pulse
    previous: Pulse | None
    k: int
    respondents: int
    shown: bool  # whether anything is shown (at least k answers in all)
    concerned: float | None
    concerned_before: float | None
    groups: tuple[GroupRow, ...]
    questions: tuple[QuestionResult, ...]
    acceptance: engine.Acceptance | None
    themes: tuple[ThemeView, ...]
    comments: tuple[Comment, ...]
    unchecked_comments: int


@dataclass(frozen=True)
class Asked:
    """A question as the pulse asks it: from the bank, or one of the organisation's own."""

    question: engine.Question
    text: str
    points: tuple[tuple[int, str], ...]  # the scale's values with their labels
    own: bool = False

    @property
    def key(self) -> str:
        return self.question.key


def asked(pulse: Pulse, bank: Bank, language: str) -> tuple[Asked, ...]:
    """The pulse's questions in the order asked, in ``language`` (own questions in the words
    their author wrote)."""
    own = {q["id"]: q for q in pulse.own_questions}
    found: list[Asked] = []
    for key in pulse.questions:
        if key in own:
            scale = bank.scales[own[key]["scale"]]
            found.append(
                Asked(
                    engine.Question(key, engine.Polarity(own[key]["polarity"])),
                    own[key]["text"],
                    tuple((n, p.get(language)) for n, p in enumerate(scale, start=1)),
                    own=True,
                )
            )
            continue
        question = bank.question(key)
        scale = bank.scales[question.scale]
        found.append(
            Asked(
                question.question,
                question.text.get(language),
                tuple((n, p.get(language)) for n, p in enumerate(scale, start=1)),
            )
        )
    return tuple(found)


def _language() -> str:
    return "en" if (translation.get_language() or "de").startswith("en") else "de"


def _evaluated_all(
    pulses: Sequence[Pulse],
) -> dict[int, tuple[engine.Result, tuple[engine.Question, ...], Bank]]:
    """Each pulse's result, in two queries whatever the number of pulses."""
    ids = [p.pk for p in pulses]
    names: dict[int, str] = {}
    group_names: dict[int, list[str]] = {pk: [] for pk in ids}
    for group in PulseGroup.objects.filter(pulse_id__in=ids).order_by("position", "pk"):
        names[group.pk] = group.name
        group_names[group.pulse_id].append(group.name)
    responses: dict[int, list[engine.Response]] = {pk: [] for pk in ids}
    for pulse_id, group_id, points in PulseAnswer.objects.filter(pulse_id__in=ids).values_list(
        "pulse_id", "group_id", "points"
    ):
        name = names[group_id] if group_id else engine.UNGROUPED
        responses[pulse_id].append(engine.Response(name, points))
    found = {}
    for pulse in pulses:
        bank = load_bank(pulse.content_version)
        questions = tuple(a.question for a in asked(pulse, bank, "de"))
        result = engine.evaluate(questions, responses[pulse.pk], group_names[pulse.pk], pulse.k)
        found[pulse.pk] = (result, questions, bank)
    return found


def _evidence(measure: engine.Measure, share: float, question: str) -> str:
    if measure is engine.Measure.AGREE:
        text = _("%(share)s agree: %(question)s")
    else:
        text = _("%(share)s disagree: %(question)s")
    return text % {"share": percent(share), "question": question}


_ASK = Pulse()  # results(): look the previous pulse up


def results(
    tenant: Tenant,
    pulse: Pulse,
    previous: Pulse | None = _ASK,
    evaluated: dict[int, tuple[engine.Result, tuple[engine.Question, ...], Bank]] | None = None,
) -> Results:
    """The pulse's results as its organisation may see them, compared with ``previous`` (by
    default the pulse opened before it). ``evaluated``: results already worked out for these
    pulses (``_evaluated_all``), to use instead of reading their answers again."""
    tenant.require(pulse)
    language = _language()
    if previous is _ASK:
        previous = pulse.previous_of()
    wanted = [pulse] if previous is None else [pulse, previous]
    if evaluated is None or any(p.pk not in evaluated for p in wanted):
        evaluated = _evaluated_all(wanted)
    result, questions, bank = evaluated[pulse.pk]
    texts = {a.key: a for a in asked(pulse, bank, language)}
    before = evaluated[previous.pk][0] if previous is not None else None
    changes = (
        {c.key: c for c in engine.compare(questions, result.total, before.total)}
        if before is not None
        else {}
    )
    question_results = tuple(
        QuestionResult(
            key=q.key,
            text=texts[q.key].text,
            points=tuple(label for _n, label in texts[q.key].points),
            polarity=q.polarity,
            total=result.total.questions.get(q.key),
            by_group=tuple((g.key, g.questions.get(q.key)) for g in result.groups),
            change=changes.get(q.key),
        )
        for q in questions
    )
    found_themes = load_themes(pulse.content_version)
    themes = tuple(
        ThemeView(
            theme.key,
            found_themes.texts[theme.key],
            theme.evidence,
            title=found_themes.texts[theme.key].title.get(language),
            why=found_themes.texts[theme.key].why.get(language),
            actions=tuple(a.get(language) for a in found_themes.texts[theme.key].actions),
            roadmap=found_themes.texts[theme.key].roadmap.get(language),
            reasons=tuple(
                _evidence(measure, share, texts[key].text if key in texts else key)
                for key, measure, share in theme.evidence
            ),
        )
        for theme in engine.themes(found_themes.rules, result.total)
    )
    shown_groups = {g.key for g in result.groups if g.shown}
    comments: list[Comment] = []
    unchecked = 0
    for text, review, group in (
        PulseAnswer.objects.filter(pulse=pulse)
        .exclude(comment="")
        .values_list("comment", "comment_review", "group__name")
    ):
        if review == CommentReview.UNCHECKED:
            unchecked += 1
        elif review == CommentReview.SHOWN and result.total.shown:
            comments.append(Comment(text, group if group in shown_groups else ""))
    return Results(
        pulse=pulse,
        previous=previous,
        k=result.k,
        respondents=result.respondents,
        shown=result.total.shown,
        concerned=result.total.concerned,
        concerned_before=before.total.concerned if before is not None else None,
        groups=tuple(GroupRow(g.key, g.people, g.concerned) for g in result.groups),
        questions=question_results,
        acceptance=engine.acceptance(questions, result.total),
        themes=themes,
        # By group and text, not in the order they came in.
        comments=tuple(sorted(comments, key=lambda c: (c.group, c.text))),
        unchecked_comments=unchecked,
    )


def latest_results(tenant: Tenant) -> Results | None:
    """The results of the pulse opened last, or None before the first pulse is opened."""
    latest = list(
        tenant.scoped(Pulse.objects)
        .filter(opened_on__isnull=False)
        .order_by("-opened_on", "-pk")[:2]
    )
    if not latest:
        return None
    return results(tenant, latest[0], latest[1] if len(latest) > 1 else None)


# The list of pulses ------------------------------------------------------------------------------


def url(tenant: Tenant, name: str, *args: object) -> str:
    return reverse(f"people:{name}", args=[tenant.organisation.slug, *args])


STATUS_STYLES = {
    PulseStatus.DRAFT: "text-bg-secondary",
    PulseStatus.OPEN: "text-bg-success",
    PulseStatus.CLOSED: "text-bg-light border",
}


@dataclass(frozen=True)
class PulseRow:
    title: str
    status: str
    status_label: str
    status_style: str
    opened_on: datetime.date | None
    closed_on: datetime.date | None
    answers: int
    url: str


@dataclass(frozen=True)
class ListPage:
    pulses: tuple[PulseRow, ...]


def list_page(tenant: Tenant) -> ListPage:
    """The organisation's pulses, newest first, with how many answered each."""
    pulses = (
        tenant.scoped(Pulse.objects)
        .annotate(answered=Count("answers"))
        .order_by(F("opened_on").desc(nulls_first=True), "-created_at", "-pk")
    )
    return ListPage(
        tuple(
            PulseRow(
                title=p.title,
                status=p.status,
                status_label=str(PulseStatus(p.status).label),
                status_style=STATUS_STYLES[PulseStatus(p.status)],
                opened_on=p.opened_on,
                closed_on=p.closed_on,
                answers=p.answered,
                url=url(tenant, "pulse", p.pk),
            )
            for p in pulses
        )
    )


# The answer page (no account: the link is the key) ----------------------------------------------


@dataclass(frozen=True)
class AnswerPage:
    token: str
    organisation: str
    title: str
    group: str  # "" for the general link
    status: str  # PulseStatus
    closed_on: datetime.date | None
    questions: tuple[Asked, ...]
    skip: str  # "keine Angabe"
    ask_comment: bool
    comment_question: str
    comment_max: int
    codes_required: bool
    k: int
    faq: tuple[tuple[str, str], ...]  # (question, answer) the organisation wrote for its staff

    @property
    def open(self) -> bool:
        return self.status == PulseStatus.OPEN


def answer_page(token: str) -> AnswerPage | None:
    """The pulse behind an answer link, as staff see it, or None for an unknown address."""
    if not isinstance(token, str) or not 0 < len(token) <= 64:
        return None
    link = (
        PulseLink.objects.select_related("pulse__organisation", "group").filter(token=token).first()
    )
    if link is None:
        return None
    pulse = link.pulse
    language = _language()
    bank = load_bank(pulse.content_version)
    faq = tuple(
        (entry.question, entry.answer) for entry in communication_queries.faq(pulse.organisation_id)
    )
    return AnswerPage(
        token=token,
        organisation=pulse.organisation.name,
        title=pulse.title,
        group=link.group.name if link.group is not None else "",
        status=pulse.status,
        closed_on=pulse.closed_on,
        questions=asked(pulse, bank, language),
        skip=bank.skip.get(language),
        ask_comment=pulse.ask_comment,
        comment_question=bank.comment.get(language),
        comment_max=bank.comment_max,
        codes_required=pulse.codes_required,
        k=pulse.k,
        faq=faq,
    )


# A pulse's page for the organisation -------------------------------------------------------------


@dataclass(frozen=True)
class LinkView:
    label: str  # the group's name, or "everybody"
    group_id: int | None
    url: str  # absolute: printed and sent by e-mail
    qr: str  # an SVG data URI
    poster_url: str


@dataclass(frozen=True)
class PulsePage:
    pulse: Pulse
    status_label: str
    status_style: str
    groups: tuple[str, ...]
    questions: tuple[Asked, ...]
    links: tuple[LinkView, ...]
    answers: int
    codes_issued: int
    codes_used: int
    unchecked_comments: int
    results_url: str
    comments_url: str


def _qr(address: str, scale: int = 4) -> str:
    """The address as a QR code, an SVG data URI (``scale``: pixels per module)."""
    return str(segno.make(address, error="m").svg_data_uri(scale=scale, border=2))


def pulse_page(tenant: Tenant, pulse: Pulse, absolute: Callable[[str], str]) -> PulsePage:
    """A pulse with its answer links (and their QR codes) and how far the answering got.
    ``absolute`` makes a full address of a path (``request.build_absolute_uri``)."""
    tenant.require(pulse)
    groups = {g.pk: g.name for g in pulse.groups.all()}
    links = sorted(
        PulseLink.objects.filter(pulse=pulse).values_list("group_id", "token"),
        key=lambda link: (link[0] is not None, list(groups).index(link[0]) if link[0] else 0),
    )
    link_views = []
    for group_id, token in links:
        address = absolute(reverse("people_answer:answer", args=[token]))
        poster = url(tenant, "poster", pulse.pk)
        link_views.append(
            LinkView(
                label=groups[group_id] if group_id else _("everybody"),
                group_id=group_id,
                url=address,
                qr=_qr(address),
                poster_url=f"{poster}?group={group_id}" if group_id else poster,
            )
        )
    codes = AnswerCode.objects.filter(pulse=pulse).aggregate(
        issued=Count("pk"), used=Count("pk", filter=Q(used=True))
    )
    answers = PulseAnswer.objects.filter(pulse=pulse).aggregate(
        total=Count("pk"),
        unchecked=Count("pk", filter=Q(comment_review=CommentReview.UNCHECKED) & ~Q(comment="")),
    )
    return PulsePage(
        pulse=pulse,
        status_label=str(PulseStatus(pulse.status).label),
        status_style=STATUS_STYLES[PulseStatus(pulse.status)],
        groups=tuple(groups.values()),
        questions=asked(pulse, load_bank(pulse.content_version), _language()),
        links=tuple(link_views),
        answers=answers["total"],
        codes_issued=codes["issued"],
        codes_used=codes["used"],
        unchecked_comments=answers["unchecked"],
        results_url=url(tenant, "results", pulse.pk),
        comments_url=url(tenant, "comments", pulse.pk),
    )


@dataclass(frozen=True)
class Poster:
    pulse: Pulse
    organisation: str
    group: str
    url: str
    qr: str


def poster(
    tenant: Tenant, pulse: Pulse, group_id: int | None, absolute: Callable[[str], str]
) -> Poster | None:
    """A page to print and hang up: the pulse's link for one group (or everybody) as a QR code.
    None for a group the pulse does not have."""
    tenant.require(pulse)
    link = PulseLink.objects.select_related("group").filter(pulse=pulse, group_id=group_id).first()
    if link is None:
        return None
    address = absolute(reverse("people_answer:answer", args=[link.token]))
    return Poster(
        pulse=pulse,
        organisation=tenant.organisation.name,
        group=link.group.name if link.group is not None else "",
        url=address,
        qr=_qr(address, scale=10),
    )


@dataclass(frozen=True)
class Slips:
    pulse: Pulse
    organisation: str
    group: str
    url: str
    qr: str
    codes: tuple[str, ...]


def slips(
    tenant: Tenant,
    pulse: Pulse,
    group: PulseGroup | None,
    codes: Sequence[str],
    absolute: Callable[[str], str],
) -> Slips:
    """Freshly issued codes laid out as slips to print and cut (each with the link)."""
    tenant.require(pulse)
    link = PulseLink.objects.get(pulse=pulse, group=group)
    address = absolute(reverse("people_answer:answer", args=[link.token]))
    return Slips(
        pulse=pulse,
        organisation=tenant.organisation.name,
        group=group.name if group is not None else "",
        url=address,
        qr=_qr(address),
        codes=tuple(codes),
    )


# Comments to check -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommentRow:
    answer_id: int
    text: str
    review: str
    review_label: str


@dataclass(frozen=True)
class CommentsPage:
    pulse: Pulse
    k: int
    shown: bool  # at least k answers in all: only then are comments read
    respondents: int
    unchecked: tuple[CommentRow, ...]
    checked: tuple[CommentRow, ...]


def comment_row(answer: PulseAnswer) -> CommentRow:
    return CommentRow(
        answer.pk,
        answer.comment,
        answer.comment_review,
        str(CommentReview(answer.comment_review).label),
    )


def comments_readable(pulse: Pulse) -> tuple[bool, int]:
    """Whether the pulse's comments may be read (at least k answers in all), and the answers."""
    respondents = PulseAnswer.objects.filter(pulse=pulse).count()
    return respondents >= pulse.k, respondents


def comments_page(tenant: Tenant, pulse: Pulse) -> CommentsPage:
    """The pulse's comments to check for names, without their group or order of arrival.
    Before the pulse has k answers in all, none is shown."""
    tenant.require(pulse)
    shown, respondents = comments_readable(pulse)
    rows = (
        sorted(
            (
                comment_row(a)
                for a in PulseAnswer.objects.filter(pulse=pulse)
                .exclude(comment="")
                .only("pk", "comment", "comment_review")
            ),
            key=lambda row: (row.text.casefold(), row.answer_id),
        )
        if shown
        else []
    )
    return CommentsPage(
        pulse=pulse,
        k=pulse.k,
        shown=shown,
        respondents=respondents,
        unchecked=tuple(r for r in rows if r.review == CommentReview.UNCHECKED),
        checked=tuple(r for r in rows if r.review != CommentReview.UNCHECKED),
    )


# The results page ---------------------------------------------------------------------------------

POINT_CLASSES = ("pulse-p1", "pulse-p2", "pulse-p3", "pulse-p4", "pulse-p5")


@dataclass(frozen=True)
class Segment:
    label: str
    x: str  # where it starts on a bar 100 wide, with a dot ("12.5")
    width: str
    share: str  # for people: "13 %"
    css: str


@dataclass(frozen=True)
class QuestionBar:
    number: int
    text: str
    own: bool
    polarity: str
    segments: tuple[Segment, ...]  # empty: withheld
    answered: int
    skipped: int
    agree: str  # "45 %"
    change: str  # "from 52 % to 45 %" or ""
    better: bool | None  # whether the change is good news (None: no notable change)
    scale: str = ""  # the points' labels where they are not the agreement scale of the legend


@dataclass(frozen=True)
class TrendRow:
    day: datetime.date
    title: str
    concerned: str
    acceptance: str


@dataclass(frozen=True)
class ResultsPage:
    results: Results
    status_label: str
    bars: tuple[QuestionBar, ...]
    legend: tuple[tuple[str, str], ...]  # the agreement scale's labels with their colours
    groups_spec: dict[str, object] | None
    withheld_groups: tuple[str, ...]
    trend_spec: dict[str, object] | None
    trend: tuple[TrendRow, ...]
    acceptance_text: str  # "62 of 100"
    concerned_text: str
    concerned_before_text: str
    roadmap_url: str


def _bar(number: int, question: QuestionResult, own: bool, legend: tuple[str, ...]) -> QuestionBar:
    total = question.total
    scale = "" if question.points == legend else " · ".join(question.points)
    if total is None or total.answered == 0:
        return QuestionBar(
            number, question.text, own, question.polarity, (), 0, 0, "", "", None, scale
        )
    segments = []
    start = 0
    for label, count, css in zip(question.points, total.counts, POINT_CLASSES, strict=True):
        if count:
            segments.append(
                Segment(
                    label,
                    f"{start / total.answered * 100:.2f}",
                    f"{count / total.answered * 100:.2f}",
                    percent(count / total.answered),
                    css,
                )
            )
        start += count
    change = question.change
    return QuestionBar(
        number=number,
        text=question.text,
        own=own,
        polarity=question.polarity,
        segments=tuple(segments),
        answered=total.answered,
        skipped=total.skipped,
        agree=percent(total.agree),
        change=(
            _("from %(before)s to %(after)s")
            % {"before": percent(change.before), "after": percent(change.after)}
            if change is not None and change.notable
            else ""
        ),
        better=change.better if change is not None else None,
        scale=scale,
    )


def results_page(tenant: Tenant, pulse: Pulse) -> ResultsPage:
    """The results page: the figures, each question's distribution and change, the groups
    whose results are shown, the trend over the pulses so far, themes and checked comments."""
    # Every pulse opened so far (for the trend), read once; this one and the one before it
    # among them.
    earlier = []
    if pulse.opened_on is not None:
        earlier = list(
            tenant.scoped(Pulse.objects)
            .filter(opened_on__isnull=False, opened_on__lte=pulse.opened_on)
            .order_by("opened_on", "pk")
        )
    evaluated = _evaluated_all(earlier)
    position = next((n for n, p in enumerate(earlier) if p.pk == pulse.pk), None)
    previous = earlier[position - 1] if position else None
    found = results(tenant, pulse, previous, evaluated)
    language = _language()
    bank = load_bank(pulse.content_version)
    own = {q["id"] for q in pulse.own_questions}
    scale = bank.scales["agreement"]
    legend = tuple(p.get(language) for p in scale)
    bars = tuple(_bar(n, q, q.key in own, legend) for n, q in enumerate(found.questions, start=1))
    shown_groups = [
        (g.name, g.concerned)
        for g in found.groups
        if g.people is not None and g.concerned is not None
    ]
    groups_spec = (
        charts.concern_by_group(
            shown_groups,
            found.concerned,
            {"share": _("share concerned"), "total": _("whole company")},
        )
        if found.shown and found.concerned is not None and shown_groups
        else None
    )
    trend_rows = []
    points = []
    for item in earlier:
        result, questions, _bank = evaluated[item.pk]
        if not result.total.shown:
            continue
        score = engine.acceptance(questions, result.total)
        assert item.opened_on is not None  # filtered above
        points.append(
            (item.opened_on, item.title, result.total.concerned, score.score if score else None)
        )
        trend_rows.append(
            TrendRow(
                item.opened_on,
                item.title,
                percent(result.total.concerned) if result.total.concerned is not None else "–",
                _("%(score)d of 100") % {"score": score.score} if score else "–",
            )
        )
    trend_spec = (
        charts.trend(
            points,
            {
                "concerned": _("share concerned (%)"),
                "acceptance": _("acceptance (0–100)"),
            },
        )
        if len(points) >= 2
        else None
    )
    return ResultsPage(
        results=found,
        status_label=str(PulseStatus(pulse.status).label),
        bars=bars,
        legend=tuple(zip(legend, POINT_CLASSES, strict=True)),
        groups_spec=groups_spec,
        withheld_groups=tuple(g.name for g in found.groups if g.people is None),
        trend_spec=trend_spec,
        trend=tuple(trend_rows),
        acceptance_text=(
            _("%(score)d of 100") % {"score": found.acceptance.score}
            if found.acceptance is not None
            else "–"
        ),
        concerned_text=percent(found.concerned) if found.concerned is not None else "–",
        concerned_before_text=(
            percent(found.concerned_before) if found.concerned_before is not None else ""
        ),
        roadmap_url=reverse("roadmap:proposals", args=[tenant.organisation.slug]),
    )


def deletion(tenant: Tenant, pulse: Pulse) -> Confirmation:
    tenant.require(pulse)
    deleted, unlinked = preview(pulse)
    return Confirmation(
        title=_("Delete staff pulse"),
        name=pulse.title,
        consequences=deleted,
        unlinked=unlinked,
        kept=(_("Later pulses are compared with the one before them instead."),),
        action_url=url(tenant, "pulse_delete", pulse.pk),
        cancel_url=url(tenant, "pulse", pulse.pk),
        button=_("Delete the pulse and its answers"),
    )
