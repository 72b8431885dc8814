"""What the data check adds to a use case's way (whether its data is enough, as a suggestion for
the feasibility score), to the overview and to the navigation.

The step never holds a use case up: without a linked data source it does not apply, and a low
score asks for a look (``ATTENTION``) rather than blocking the next step."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from startklar.core.modules import Headline, Module, Step, StepState, Suggestion
from startklar.organisations.tenancy import Tenant
from startklar.usecases import services as usecase_services
from startklar.usecases.models import UseCase

from .models import DataCheck, DataSource, Status

GOOD_ENOUGH = 70  # a score from which the data counts as ready


def steps(tenant: Tenant, use_cases: Sequence[UseCase]) -> dict[int, list[Step]]:
    from . import queries  # with the engine and polars: not at start-up (see module())

    latest = queries.latest_fitness(tenant.organisation.pk, use_cases)
    found: dict[int, list[Step]] = {}
    for use_case in use_cases:
        if use_case.pk not in latest:
            found[use_case.pk] = [
                Step(
                    "data_check",
                    _("Data check"),
                    StepState.NOT_APPLICABLE,
                    _(
                        "No data source is linked yet: a file of it shows whether the data is "
                        "enough."
                    ),
                    url=queries.url(tenant, "list"),
                )
            ]
            continue
        check, score = latest[use_case.pk]
        if score is None:
            summary = _("%(source)s: not checkable from the file.") % {"source": check.source.name}
            state = StepState.ATTENTION
        else:
            if score >= GOOD_ENOUGH:
                text = _("%(source)s: %(score)s of 100 – the data is enough.")
            else:
                text = _("%(source)s: %(score)s of 100 – the data is not enough yet.")
            summary = text % {"source": check.source.name, "score": score}
            state = StepState.DONE if score >= GOOD_ENOUGH else StepState.ATTENTION
        found[use_case.pk] = [
            Step(
                "data_check",
                _("Data check"),
                state,
                summary,
                url=queries.url(tenant, "check", check.pk) + f"#fitness-{use_case.pk}",
                value=f"{score}/100" if score is not None else "–",
                suggests=()
                if score is None
                else ((usecase_services.DATA_CRITERION, usecase_services.data_level(score)),),
            )
        ]
    return found


def headline(tenant: Tenant) -> Headline | None:
    from . import queries

    sources = list(tenant.scoped(DataSource.objects).values_list("pk", flat=True))
    if not sources:
        return None
    checked = DataCheck.objects.filter(source_id__in=sources, status=Status.DONE)
    latest = checked.order_by("-requested_at", "-pk").first()
    detail = ""
    if latest is not None:
        when = timezone.localtime(latest.requested_at).date()
        detail = _("last check: %(file)s on %(date)s") % {
            "file": latest.file_name,
            "date": formats.date_format(when, "SHORT_DATE_FORMAT"),
        }
    return Headline(
        title=_("Data check"),
        value=ngettext("%(count)d data source", "%(count)d data sources", len(sources))
        % {"count": len(sources)},
        detail=detail,
        url=queries.url(tenant, "list"),
    )


def readiness(tenant: Tenant) -> list[Suggestion]:
    """The readiness dimension "Daten" as the data checks see it: the mean of the use cases'
    scores from the latest check of their sources."""
    from . import queries

    linked = DataSource.use_cases.through.objects.filter(
        datasource__organisation=tenant.organisation
    ).values_list("usecase_id", flat=True)
    scores = [
        score
        for score in queries.data_scores(tenant.organisation.pk, sorted(set(linked))).values()
        if score is not None
    ]
    if not scores:
        return []
    enough = sum(1 for score in scores if score >= GOOD_ENOUGH)
    reason = ngettext(
        "The latest data checks against the data prerequisites of %(count)d use case: "
        "the data is enough for %(enough)d.",
        "The latest data checks against the data prerequisites of %(count)d use cases: "
        "the data is enough for %(enough)d of them.",
        len(scores),
    ) % {"count": len(scores), "enough": enough}
    return [
        Suggestion(
            dimension="daten",
            score=round(sum(scores) / len(scores)),
            source=_("Data check"),
            reason=reason,
            url=queries.url(tenant, "list"),
        )
    ]


def module() -> Module:
    """This feature on the overview and in the navigation (``feature.py`` refers to it). Read
    at start-up by every process, so the engine (polars) is imported only where it is used."""
    return Module(
        key="datacheck",
        label=gettext_lazy("Data"),
        description=gettext_lazy(
            "Is the data ready? Exports and Excel lists profiled in seconds: German formats, "
            "gaps, duplicates, personal data, and for each use case whether it is enough."
        ),
        url_name="datacheck:list",
        icon="database-check",
        order=47,
        use_case_steps=steps,
        headline=headline,
        readiness=readiness,
    )
