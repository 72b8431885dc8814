"""The make/buy/partner questionnaire: valid, the catalogue's implementation paths, frozen once
released; answers keep the version they were given with."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from startklar.accounts.models import User
from startklar.businesscase import content, services
from startklar.businesscase.content import CURRENT_VERSION, VERSIONS, load_questionnaire
from startklar.businesscase.models import Answer, BusinessCase, Option
from startklar.core.content import ContentError, Versions
from startklar.organisations.models import Membership, Organisation
from startklar.organisations.tenancy import Tenant
from startklar.usecases import services as usecases
from startklar.usecases.engine.catalogue import ImplementationPath
from startklar.usecases.labels import PATHS


def test_the_options_are_the_implementation_paths_with_one_name_each() -> None:
    questionnaire = load_questionnaire()
    assert [o.id for o in questionnaire.options] == list(ImplementationPath)
    assert [o.value for o in Option] == [p.value for p in ImplementationPath]
    assert [o.label for o in Option] == [PATHS[p] for p in ImplementationPath]
    assert all(set(c.weights) == set(ImplementationPath) for c in questionnaire.criteria)


def test_released_questionnaires_are_never_edited() -> None:
    assert VERSIONS.unreleased() == []
    assert VERSIONS.edited() == [], "a released questionnaire was edited"


@pytest.fixture
def copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(VERSIONS.folder / CURRENT_VERSION, tmp_path / CURRENT_VERSION)
    monkeypatch.setattr(content, "VERSIONS", Versions("businesscase", tmp_path))
    return tmp_path / CURRENT_VERSION / "make_buy_partner.yaml"


def test_a_weight_out_of_range_names_the_criterion_and_its_line(copy: Path) -> None:
    lines = copy.read_text().splitlines(keepends=True)
    number = next(n for n, line in enumerate(lines, 1) if "weights:" in line)
    lines[number - 1] = "    weights: {make: 3, buy: -2, partner: 1}\n"
    copy.write_text("".join(lines))
    with pytest.raises(ContentError) as raised:
        content.load_questionnaire.__wrapped__(CURRENT_VERSION)
    criterion = next(line for line in reversed(lines[:number]) if "- id:" in line).split()[-1]
    assert str(raised.value).startswith(
        f"businesscase {CURRENT_VERSION}/make_buy_partner.yaml: criterion {criterion} (line "
    )
    assert str(raised.value).endswith("weights: must be −2 … 2")


def test_the_options_must_be_the_three_paths(copy: Path) -> None:
    copy.write_text(copy.read_text().replace("  - id: partner\n", "  - id: outsource\n"))
    with pytest.raises(ContentError, match="'outsource' is not a valid ImplementationPath"):
        content.load_questionnaire.__wrapped__(CURRENT_VERSION)


@pytest.mark.django_db
def test_answers_store_the_version_of_the_questionnaire(
    organisation: Organisation, owner: User
) -> None:
    tenant = Tenant(organisation, Membership.objects.get(user=owner, organisation=organisation))
    use_case = usecases.create_use_case(tenant, {"title": "Angebote", "problem": "Langsam."})
    case = services.create_for(tenant, use_case)
    first, second = (c.id for c in load_questionnaire().criteria[:2])
    services.answer(tenant, case, {first: 4})
    Answer.objects.filter(business_case=case).update(questionnaire_version="2025.1")
    services.answer(tenant, case, {first: 5, second: 2})
    stored = BusinessCase.objects.get(pk=case.pk).answers.order_by("criterion_id")
    assert {(a.criterion_id, a.value, a.questionnaire_version) for a in stored} == {
        (first, 5, CURRENT_VERSION),
        (second, 2, CURRENT_VERSION),
    }
