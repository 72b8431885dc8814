"""What the data check adds to a use case's way (whether its data is enough, as a suggestion for
the feasibility score), to the overview and to the navigation.

The step never holds a use case up: without a linked data source it does not apply, and a low
score asks for a look (``ATTENTION``) rather than blocking the next step."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import formats, timezone
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from startklar.core.modules import Headline, Module, Step, StepState
from startklar.organisations.tenancy import Tenant
from startklar.usecases.models import UseCase

from .models import DataCheck, DataSource, Status

GOOD_ENOUGH = 70  # a score from which the data counts as ready


def _latest_profiles(tenant: Tenant, use_cases: Sequence[UseCase]) -> dict[int, DataCheck]:
    """For each use case the latest finished check of a source linked to it."""
    links = DataSource.use_cases.through.objects.filter(
        usecase_id__in=[uc.pk for uc in use_cases], datasource__organisation=tenant.organisation
    ).values_list("usecase_id", "datasource_id")
    sources: dict[int, list[int]] = {}
    for use_case_id, source_id in links:
        sources.setdefault(source_id, []).append(use_case_id)
    latest: dict[int, DataCheck] = {}
    checks = (
        DataCheck.objects.filter(source_id__in=list(sources), status=Status.DONE)
        .select_related("source")
        .order_by("-requested_at", "-pk")
    )
    for check in checks:
        for use_case_id in sources.get(check.source_id, []):
            latest.setdefault(use_case_id, check)
    return latest


def steps(tenant: Tenant, use_cases: Sequence[UseCase]) -> dict[int, list[Step]]:
    from . import queries  # with the engine and polars: not at start-up (see module())

    latest = _latest_profiles(tenant, use_cases)
    language = "en" if (get_language() or "de").startswith("en") else "de"
    found: dict[int, list[Step]] = {}
    for use_case in use_cases:
        check = latest.get(use_case.pk)
        if check is None:
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
        profile = queries.profile_of(check)
        fitness = queries.use_case_fitness(tenant, [use_case], profile, language)[0]
        score = fitness.score
        if score is None:
            summary = _("%(source)s: not checkable from the file.") % {"source": check.source.name}
            state = StepState.ATTENTION
        else:
            summary = _("%(source)s: %(score)s of 100 – the data is %(verdict)s.") % {
                "source": check.source.name,
                "score": score,
                "verdict": _("ready") if score >= GOOD_ENOUGH else _("not ready yet"),
            }
            state = StepState.DONE if score >= GOOD_ENOUGH else StepState.ATTENTION
        found[use_case.pk] = [
            Step(
                "data_check",
                _("Data check"),
                state,
                summary,
                url=queries.url(tenant, "check", check.pk) + f"#fitness-{use_case.pk}",
                value=f"{score}/100" if score is not None else "–",
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
    )
