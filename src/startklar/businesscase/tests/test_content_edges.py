"""The make/buy/partner questionnaire as the business case reads it: its options by id, its
weights per criterion, and its versions (content only, no database)."""

from __future__ import annotations

import pytest

from startklar.businesscase.content import (
    CURRENT_VERSION,
    VERSIONS,
    available_versions,
    load_questionnaire,
)
from startklar.usecases.engine.catalogue import ImplementationPath


def test_the_versions_are_the_released_folders() -> None:
    assert CURRENT_VERSION in available_versions()
    assert set(available_versions()) == set(VERSIONS.released())


@pytest.mark.parametrize("path", list(ImplementationPath))
def test_each_option_is_found_by_its_path(path: ImplementationPath) -> None:
    option = load_questionnaire().option(path)
    assert option.id is path
    assert option.summary.de
    assert option.cost_template


def test_an_unknown_option_is_not_silently_replaced_by_another() -> None:
    with pytest.raises(StopIteration):
        load_questionnaire().option("outsource")


def test_the_weights_are_per_criterion_and_option_as_the_engine_scores_them() -> None:
    questionnaire = load_questionnaire()
    weights = questionnaire.weights
    assert list(weights) == [c.id for c in questionnaire.criteria]
    for criterion in questionnaire.criteria:
        assert weights[criterion.id] == criterion.weights
        assert set(weights[criterion.id]) == {p.value for p in ImplementationPath}
        assert all(-2 <= w <= 2 for w in weights[criterion.id].values())
