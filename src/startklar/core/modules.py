"""Registry of the product modules that are built, for the navigation, the overview page and
the journey of a use case.

A feature registers its module in its ``AppConfig.ready()``; the shell shows only what is
registered, so nothing unbuilt ever appears in the navigation. Through the registry a module
also contributes to pages of features below it without importing upwards (the layers of
import-linter): the steps of a use case's journey (shown on the use-case page, whose next step
is the first one not done) and what the overview says about it ("Wo stehen wir, was ist als
Nächstes dran?").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.utils.functional import Promise


class StepState(StrEnum):
    DONE = "done"
    OPEN = "open"  # still to do: the first open step is the use case's next step
    ATTENTION = "attention"  # done, but something needs a look (e.g. a re-check)
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class Action:
    """A button: a link, or a POST form when ``post`` is set (e.g. "create the business case")."""

    label: str
    url: str
    post: bool = False


@dataclass(frozen=True)
class Step:
    """One step of a use case's way from idea to operation, as its module sees it."""

    key: str  # e.g. "business_case"
    title: str
    state: StepState
    summary: str  # one line: "P50 59.023 €, pays off by month 5"
    url: str = ""  # where the details are
    value: str = ""  # a short figure for tables (the overview's focus set), e.g. "59.023 €"
    action: Action | None = None  # what to do next here (needs edit rights)
    facts: tuple[tuple[str, str], ...] = ()  # label, value pairs for the use-case page
    # criterion scores (criterion id, 1–5) this step's measurement suggests, e.g. the data
    # check's for "daten": shown with ``summary`` as the reason on the use-case page
    suggests: tuple[tuple[str, int], ...] = ()

    @property
    def done(self) -> bool:
        """Done for the next step: what only needs a look does not hold the journey up."""
        return self.state is not StepState.OPEN


@dataclass(frozen=True)
class Notice:
    """Something on the overview that needs attention, with the link that helps."""

    text: str
    url: str
    level: str = "warning"  # Bootstrap colour: warning, danger, info


@dataclass(frozen=True)
class Headline:
    """What a module says on the overview about where the organisation stands."""

    title: str
    value: str  # e.g. "Erproben · 45 von 100"
    detail: str = ""  # e.g. "+8 seit Herbst 2025"
    url: str = ""
    facts: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Suggestion:
    """What a module measured about a readiness dimension, shown beside the people's answers
    as a suggestion with its reason (e.g. the data check for "Daten")."""

    dimension: str  # the readiness dimension's id, e.g. "daten"
    score: int  # 0–100, like a dimension's score
    source: str  # who suggests it, e.g. "Daten-Check"
    reason: str
    url: str = ""


# Callables get the request's tenant (``startklar.organisations.tenancy.Tenant``); typed as Any
# because core knows no feature.
StepsFor = Callable[[Any, Sequence[Any]], Mapping[int, Sequence[Step]]]


@dataclass(frozen=True)
class Module:
    key: str
    label: str | Promise
    description: str | Promise
    url_name: str  # reversed with the organisation's slug as ``org_slug``
    icon: str  # a Bootstrap Icons name, e.g. "speedometer2"
    order: int
    # Optional: the steps this module adds to each of the given use cases, by use-case id.
    use_case_steps: StepsFor | None = None
    # Optional: open work for the signed-in member and gaps, for the overview.
    notices: Callable[[Any], Sequence[Notice]] | None = None
    # Optional: where the organisation stands in this module, for the overview.
    headline: Callable[[Any], Headline | None] | None = None
    # Optional: the use cases the overview shows with their next step (the focus set).
    focus: Callable[[Any], Sequence[Any]] | None = None
    # Optional: the first thing to do while the module is still empty (for an empty
    # organisation's overview), e.g. "start the readiness check"; None once there is something.
    start: Callable[[Any], Action | None] | None = None
    # Optional: lists for people to read, put into the organisation's data archive as
    # (file name, content), e.g. ("use-cases.xlsx", b"…").
    exports: Callable[[Any], Sequence[tuple[str, bytes]]] | None = None
    # Optional: what this module measured about readiness dimensions, as suggestions.
    readiness: Callable[[Any], Sequence[Suggestion]] | None = None


_modules: dict[str, Module] = {}


def register(module: Module) -> None:
    _modules[module.key] = module


def built_modules() -> tuple[Module, ...]:
    return tuple(sorted(_modules.values(), key=lambda m: m.order))


def journey(tenant: Any, use_cases: Sequence[Any]) -> dict[int, list[Step]]:
    """Every module's steps for these use cases, in module order, by use-case id."""
    steps: dict[int, list[Step]] = {uc.pk: [] for uc in use_cases}
    if not use_cases:
        return steps
    for module in built_modules():
        if module.use_case_steps is None:
            continue
        for use_case_id, found in module.use_case_steps(tenant, use_cases).items():
            steps[use_case_id].extend(found)
    return steps


def next_step(steps: Sequence[Step]) -> Step | None:
    """The first step that is not done."""
    return next((s for s in steps if not s.done), None)


def readiness_suggestions(tenant: Any) -> list[Suggestion]:
    """Every module's suggestions for the readiness dimensions, in module order."""
    found: list[Suggestion] = []
    for module in built_modules():
        if module.readiness is not None:
            found.extend(module.readiness(tenant))
    return found
