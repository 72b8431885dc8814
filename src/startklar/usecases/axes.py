"""A use case's value and feasibility (the axes of the potential analysis), kept on the use case
so that the portfolio and the overview need not read every score.

They follow from the use case's criterion scores, the organisation's weights and the criteria
(``engine.portfolio.axis_score``). Every service that changes scores or weights stores them again
in its own transaction (:func:`store`). Each stored pair is sealed: a hash keyed with the
installation's secret key over the use case's id, the pair and the version of the criteria and
code that computed it (:func:`version`). A pair is used only if its seal holds; anything else –
a use case from before the axes were stored, another version of the criteria or this code, a
use case taken over from an archive or copied (it has a new id there) or a value changed by hand
– counts as not stored: it is computed from the scores when next read, and stored then.
"""

from __future__ import annotations

import functools
import hashlib
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path

from django.conf import settings
from django.utils.crypto import constant_time_compare

from . import content
from .content import CURRENT_VERSION, VERSIONS, load_criteria
from .engine import portfolio
from .models import CriterionScore, CriterionWeight, UseCase

SALT = "startklar.usecases.axes"
# The code the axes depend on: the engine, the criteria's loader and this file.
SOURCES = (Path(portfolio.__file__), Path(content.__file__), Path(__file__))

Axes = tuple[float | None, float | None]  # value, feasibility


@functools.cache
def version() -> str:
    """Names the criteria and the code the axes are computed with; changes with either."""
    digest = hashlib.sha256()
    for source in SOURCES:
        digest.update(source.read_bytes())
    digest.update(VERSIONS.digest(CURRENT_VERSION).encode())
    return digest.hexdigest()[:24]


@functools.cache
def _key(secret: str) -> bytes:
    return hashlib.blake2b(f"{SALT} {secret}".encode(), digest_size=32).digest()


def seal(use_case_id: int, axes: Axes) -> str:
    """A keyed hash (with the installation's secret key) of the use case's id and axes."""
    text = f"{use_case_id} {version()} {axes[0]!r} {axes[1]!r}"
    return hashlib.blake2b(text.encode(), key=_key(settings.SECRET_KEY), digest_size=16).hexdigest()


def holds(use_case_id: int, axes: Axes, stored_seal: str) -> bool:
    """Whether ``axes`` are what is stored for the use case by this version."""
    return bool(stored_seal) and constant_time_compare(stored_seal, seal(use_case_id, axes))


def weights(organisation_id: int) -> dict[str, float]:
    """The organisation's weight of every criterion (its own or the criteria's default)."""
    stored = dict(
        CriterionWeight.objects.filter(organisation_id=organisation_id).values_list(
            "criterion_id", "weight"
        )
    )
    return {c.id: float(stored.get(c.id, c.weight)) for c in load_criteria()}


def computed(scores: Mapping[str, int] | Mapping[str, float], weight: Mapping[str, float]) -> Axes:
    """The axes from one use case's scores and the organisation's weights."""
    criteria = load_criteria()
    return (
        portfolio.axis_score(criteria, portfolio.Axis.VALUE, scores, weight),
        portfolio.axis_score(criteria, portfolio.Axis.FEASIBILITY, scores, weight),
    )


def compute(organisation_id: int, use_case_ids: Collection[int] | None = None) -> dict[int, Axes]:
    """The axes of these use cases of one organisation (all of them for None), from their
    scores."""
    use_cases = UseCase.objects.filter(organisation_id=organisation_id)
    scores_of = CriterionScore.objects.filter(use_case__organisation_id=organisation_id)
    if use_case_ids is not None:
        use_cases = use_cases.filter(pk__in=use_case_ids)
        scores_of = scores_of.filter(use_case_id__in=use_case_ids)
    scores: defaultdict[int, dict[str, int]] = defaultdict(dict)
    for use_case_id, criterion_id, score in scores_of.values_list(
        "use_case_id", "criterion_id", "score"
    ):
        scores[use_case_id][criterion_id] = score
    weight = weights(organisation_id)
    return {pk: computed(scores[pk], weight) for pk in use_cases.values_list("pk", flat=True)}


def store(organisation_id: int, use_case_ids: Collection[int] | None = None) -> dict[int, Axes]:
    """Compute and store the axes of these use cases (all of the organisation's for None);
    for the services, inside their transaction, after they changed scores or weights."""
    found = compute(organisation_id, use_case_ids)
    UseCase.objects.bulk_update(
        [
            UseCase(pk=pk, value=axes[0], feasibility=axes[1], axes_seal=seal(pk, axes))
            for pk, axes in found.items()
        ],
        ["value", "feasibility", "axes_seal"],
        batch_size=500,
    )
    return found


def read(organisation_id: int, stored: Iterable[tuple[int, Axes, str]]) -> dict[int, Axes]:
    """The axes of use cases read with their stored pair and seal: the stored ones where the
    seal holds, the others computed (and stored for the next read)."""
    found: dict[int, Axes] = {}
    missing = []
    for pk, axes, stored_seal in stored:
        if holds(pk, axes, stored_seal):
            found[pk] = axes
        else:
            missing.append(pk)
    if missing:
        found.update(store(organisation_id, missing))
    return found
