"""Business cases through the pages: create from the catalogue, edit inline, bad input,
comparison, plan against actual, make/buy/partner."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from startklar.accounts.models import User
from startklar.businesscase import engine, services
from startklar.businesscase.models import Actual, BusinessCase, Factor, LineItem
from startklar.cli import main
from startklar.organisations.models import Organisation
from startklar.testing import tenant_of
from startklar.usecases import services as usecases
from startklar.usecases.models import UseCase

pytestmark = pytest.mark.django_db


@pytest.fixture
def use_case(organisation: Organisation, owner: User) -> UseCase:
    return usecases.create_use_case(
        tenant_of(owner, organisation),
        {"title": "Rechnungen", "problem": "Abtippen."},
        "administration.eingangsrechnungen",
    )


@pytest.fixture
def case(
    organisation: Organisation, owner: User, owner_client: Client, use_case: UseCase
) -> BusinessCase:
    response = owner_client.post(f"/o/{organisation.slug}/business-cases/for/{use_case.pk}/")
    found = BusinessCase.objects.get()
    assert response["Location"] == f"/o/{organisation.slug}/business-cases/{found.pk}/"
    return found


def item_data(item: LineItem, **values: str) -> dict[str, str]:
    data = {f"item{item.pk}-name": item.name, f"item{item.pk}-note": ""}
    for factor in item.factors.all():
        for point in ("low", "likely", "high"):
            data[f"item{item.pk}-{factor.key}_{point}"] = str(getattr(factor, point))
    data.update({f"item{item.pk}-{k}": v for k, v in values.items()})
    return data


def test_a_catalogue_use_case_starts_with_marked_assumptions(case: BusinessCase) -> None:
    items = list(case.items.all())
    assert {i.kind for i in items} >= {"one_off", "monthly", "time_saving"}
    assert all(i.assumption for i in items)


def test_the_editor_shows_results_and_the_sentence(
    organisation: Organisation, owner_client: Client, case: BusinessCase
) -> None:
    page = owner_client.get(f"/o/{organisation.slug}/business-cases/{case.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-chart="cashflow-spec"' in html
    assert 'data-chart="tornado-spec"' in html
    assert page.context["analysis"].simulation.draws == 20_000


def test_inline_editing_recalculates_and_clears_the_assumption_mark(
    organisation: Organisation, owner_client: Client, case: BusinessCase
) -> None:
    item = case.items.get(kind="time_saving")
    before = (
        owner_client.get(f"/o/{organisation.slug}/business-cases/{case.pk}/")
        .context["analysis"]
        .result.npv
    )
    url = f"/o/{organisation.slug}/business-cases/items/{item.pk}/"
    response = owner_client.post(
        url,
        item_data(item, cases_low="400", cases_likely="800", cases_high="1000"),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<form")
    assert 'id="results" hx-swap-oob="true"' in html
    assert response.context["analysis"].result.npv > before
    item.refresh_from_db()
    assert not item.assumption
    assert Factor.objects.get(item=item, key="cases").likely == Decimal(800)


def test_the_editor_simulates_once_per_set_of_inputs(
    organisation: Organisation,
    owner_client: Client,
    case: BusinessCase,
    monkeypatch: pytest.MonkeyPatch,
    pages_not_kept: None,
) -> None:
    cache.clear()
    simulated: list[engine.Case] = []
    real = engine.simulate

    def counted(model: engine.Case, *args: Any, **kwargs: Any) -> engine.Simulation:
        simulated.append(model)
        return real(model, *args, **kwargs)

    monkeypatch.setattr(engine, "simulate", counted)
    editor = f"/o/{organisation.slug}/business-cases/{case.pk}/"
    first = owner_client.get(editor).context["analysis"].simulation
    again = owner_client.get(editor).context["analysis"].simulation
    assert len(simulated) == 1
    assert again == first

    item = case.items.get(kind="time_saving")
    url = f"/o/{organisation.slug}/business-cases/items/{item.pk}/"
    refused = owner_client.post(url, item_data(item, cases_low="-5"), HTTP_HX_REQUEST="true")
    assert refused.status_code == 422
    assert len(simulated) == 1  # nothing changed, nothing simulated
    changed = item_data(item, cases_low="400", cases_likely="800", cases_high="1000")
    assert owner_client.post(url, changed, HTTP_HX_REQUEST="true").status_code == 200
    assert len(simulated) == 2  # new inputs, a new simulation
    assert owner_client.get(editor).context["analysis"].simulation != first
    assert len(simulated) == 2


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        (
            {"cases_low": "900", "cases_likely": "800"},
            "cases_likely",
            "min. ≤ wahrscheinlich ≤ max.",
        ),
        ({"cases_low": "-5"}, "cases_low", "negativ"),
        ({"cases_high": ""}, "cases_high", "erforderlich"),
        ({"cases_high": "viele"}, "cases_high", "Zahl"),
        ({"rate_high": "1000000000000000"}, "rate_high", "Billion"),
    ],
)
def test_bad_estimates_get_a_message_at_the_field_and_nothing_is_saved(
    organisation: Organisation,
    owner_client: Client,
    case: BusinessCase,
    values: dict[str, str],
    field: str,
    message: str,
) -> None:
    item = case.items.get(kind="time_saving")
    before = list(Factor.objects.filter(item=item).values_list("key", "low", "likely", "high"))
    url = f"/o/{organisation.slug}/business-cases/items/{item.pk}/"
    response = owner_client.post(url, item_data(item, **values), HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    form = response.context["form"]
    assert field in form.errors
    assert message.lower() in " ".join(form.errors[field]).lower()
    # Nothing changed, so the results panel on the page stays and is not computed again.
    assert 'id="results"' not in response.content.decode()
    assert "analysis" not in response.context
    after = list(Factor.objects.filter(item=item).values_list("key", "low", "likely", "high"))
    assert after == before


def test_no_benefits_give_a_negative_npv_not_a_crash(
    organisation: Organisation, owner_client: Client, case: BusinessCase
) -> None:
    case.items.filter(kind="time_saving").delete()
    page = owner_client.get(f"/o/{organisation.slug}/business-cases/{case.pk}/")
    assert page.status_code == 200
    assert page.context["analysis"].result.npv < 0


def test_adding_items_and_settings_with_bad_input(
    organisation: Organisation, owner_client: Client, case: BusinessCase
) -> None:
    base = f"/o/{organisation.slug}/business-cases/{case.pk}"
    assert (
        owner_client.post(f"{base}/items/", {"kind": "other_saving", "name": "Papier"}).status_code
        == 302
    )
    assert (
        owner_client.post(f"{base}/items/", {"kind": "other_saving", "name": "papier"}).status_code
        == 422
    )
    assert owner_client.post(f"{base}/items/", {"kind": "magic", "name": "X"}).status_code == 422
    settings = {
        "horizon": "0",
        "discount_rate": "8",
        "start": "2026-12",
        "ramp_low": "1",
        "ramp_likely": "3",
        "ramp_high": "2",
        "go_live": "0",
    }
    response = owner_client.post(f"{base}/settings/", settings)
    assert response.status_code == 422
    assert {"horizon", "ramp_likely"} <= set(response.context["settings_form"].errors)
    settings.update(horizon="24", ramp_high="6")
    assert owner_client.post(f"{base}/settings/", settings).status_code == 302
    case.refresh_from_db()
    assert (case.horizon, str(case.start)) == (24, "2026-12-01")


@pytest.mark.parametrize(
    ("start", "message"),
    [("9999-12", "nach Dezember 2099"), ("1900-01", "vor Januar 2000")],
)
def test_a_start_month_out_of_range_is_refused_at_the_field(
    organisation: Organisation, owner_client: Client, case: BusinessCase, start: str, message: str
) -> None:
    """A start in the year 9999 was saved and then broke the editor and the actuals page."""
    base = f"/o/{organisation.slug}/business-cases/{case.pk}"
    before = case.start
    settings = {"horizon": "240", "discount_rate": "8", "start": start, "go_live": "0"}
    settings |= {"ramp_low": "1", "ramp_likely": "2", "ramp_high": "3"}
    response = owner_client.post(f"{base}/settings/", settings)
    assert response.status_code == 422
    assert message in " ".join(response.context["settings_form"].errors["start"])
    case.refresh_from_db()
    assert case.start == before
    assert owner_client.get(f"{base}/").status_code == 200
    assert owner_client.get(f"{base}/actuals/").status_code == 200


def test_the_comparison_sorts_by_p50_npv(
    organisation: Organisation, owner: User, owner_client: Client, case: BusinessCase
) -> None:
    other = usecases.create_use_case(
        tenant_of(owner, organisation), {"title": "Teuer", "problem": "p"}
    )
    expensive = services.create_for(tenant_of(owner, organisation), other)
    services.add_item(
        tenant_of(owner, organisation), expensive, services.engine.ItemKind.MONTHLY, "Kosten"
    )
    item = expensive.items.get()
    services.update_item(
        tenant_of(owner, organisation),
        item,
        "Kosten",
        "",
        {"amount": (Decimal(100), Decimal(200), Decimal(300))},
    )
    rows = owner_client.get(f"/o/{organisation.slug}/business-cases/").context["rows"]
    assert [r.use_case.title for r in rows] == ["Rechnungen", "Teuer"]


def test_plan_against_actual(
    organisation: Organisation, owner_client: Client, case: BusinessCase
) -> None:
    item = case.items.get(kind="time_saving")
    url = f"/o/{organisation.slug}/business-cases/{case.pk}/actuals/"
    month = case.start.strftime("%Y-%m")
    response = owner_client.post(url, {"item": item.pk, "month": month, "value": "1.234,50"})
    assert response.status_code == 302
    assert Actual.objects.get().value == Decimal("1234.50")
    cost = case.items.get(kind="monthly")
    assert (
        owner_client.post(url, {"item": cost.pk, "month": month, "value": "1"}).status_code == 422
    )
    rows = owner_client.get(url).context["rows"]
    assert rows[0].actual == Decimal("1234.50")


def test_make_buy_partner_scores_reasons_and_the_decision_shapes_the_costs(
    organisation: Organisation, owner_client: Client, case: BusinessCase
) -> None:
    base = f"/o/{organisation.slug}/business-cases/{case.pk}"
    answers = {
        "differenzierung": "1",
        "kompetenz": "1",
        "zeitdruck": "5",
        "anpassung": "1",
        "datensensibilitaet": "2",
        "standardprodukte": "5",
        "budget": "2",
        "lockin": "4",
        "wartung": "1",
    }
    assert owner_client.post(f"{base}/decision/", answers).status_code == 302
    page = owner_client.get(f"{base}/decision/")
    scores = page.context["page"].recommendations
    assert scores[0].option.id == "buy"
    assert scores[0].reasons
    # A ranking in words, not raw scores such as 17 / −7 / −19.
    html = page.content.decode()
    assert (scores[0].fit, scores[-1].fit) == ("passt gut", "passt nicht")
    assert "passt gut" in html
    assert ">17<" not in html
    assert owner_client.post(f"{base}/decision/", {"zeitdruck": "9"}).status_code == 422
    no_reason = owner_client.post(f"{base}/decide/", {"decision": "buy", "rationale": " "})
    assert no_reason.status_code == 422
    count = case.items.count()
    decided = owner_client.post(
        f"{base}/decide/",
        {"decision": "buy", "rationale": "Standard reicht.", "apply_template": "on"},
    )
    assert decided.status_code == 302
    case.refresh_from_db()
    assert case.decision == "buy"
    assert case.items.count() > count
    assert case.items.filter(kind="monthly").count() >= 2


def test_the_cli_refuses_bad_files_with_the_field(tmp_path: Path) -> None:
    cases = {
        "items: [\n": "line 2",
        "items: [{kind: monthly, name: x}]\n": "missing amount",
        "items: [{kind: magic, amount: 1}]\n": "'kind' must be one of",
        "items: [{kind: monthly, amount: [5, 3, 9]}]\n": "min ≤ most likely ≤ max",
        "items: [{kind: monthly, amount: [-1, 0, 1]}]\n": "must not be negative",
        "items: []\nhorizon: 0\n": "horizon",
    }
    for content, message in cases.items():
        path = tmp_path / "case.yaml"
        path.write_text(content)
        with pytest.raises(SystemExit) as caught:
            main(["business-case", "simulate", str(path)])
        assert message in str(caught.value), content


def test_one_case_has_one_result_wherever_it_is_shown(
    organisation: Organisation, owner_client: Client, case: BusinessCase
) -> None:
    """The comparison list and the editor show the same P50 (same draws, same seed)."""
    base = f"/o/{organisation.slug}/business-cases"
    editor = owner_client.get(f"{base}/{case.pk}/").context["analysis"].summary
    [row] = [r for r in owner_client.get(f"{base}/").context["rows"] if r.case]
    assert row.summary == editor
    assert row.summary.draws == 20_000


def test_the_list_reuses_the_simulation_until_an_input_changes(
    organisation: Organisation, owner: User, case: BusinessCase
) -> None:
    from startklar.businesscase import engine, queries

    first = queries.summary(case)
    calls: list[int] = []
    real = engine.simulate

    def counting(*args: object, **kwargs: object) -> engine.Simulation:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine, "simulate", counting)
        assert queries.summary(case) == first
        assert calls == []
        item = case.items.get(kind="monthly")
        factors = {"amount": (Decimal(1), Decimal(2), Decimal(3))}
        services.update_item(tenant_of(owner, organisation), item, item.name, "", factors)
        assert queries.summary(case) != first
        assert calls == [1]


@pytest.mark.parametrize(
    ("language", "names"),
    [
        ("de", {"Einführung", "Lizenz und Betrieb", "Zeitersparnis"}),
        ("en", {"Introduction", "Licence and operation", "Time saved"}),
    ],
)
def test_catalogue_starting_values_are_named_in_the_readers_language(
    organisation: Organisation, owner: User, case: BusinessCase, language: str, names: set[str]
) -> None:
    from startklar.testing import client_for

    page = client_for(owner, language).get(f"/o/{organisation.slug}/business-cases/{case.pk}/")
    html = page.content.decode()
    for name in names:
        assert f'value="{name}"' in html
    assert 'with your own figure"' not in html
    assert "durch eigene Zahl ersetzen" not in html


def test_saving_an_untouched_item_keeps_its_assumption_mark_and_name(
    organisation: Organisation, owner: User, case: BusinessCase
) -> None:
    from startklar.testing import client_for, submitted_form

    client = client_for(owner, "en")
    url = f"/o/{organisation.slug}/business-cases/{case.pk}/"
    html = client.get(url).content.decode()
    item = case.items.get(kind="monthly")
    index = [m.start() for m in __import__("re").finditer(r"<form\b", html)]
    position = html.index(f'id="item-{item.pk}"')
    number = sum(1 for start in index if start < position) - 1
    data = submitted_form(html, number)
    response = client.post(f"/o/{organisation.slug}/business-cases/items/{item.pk}/", data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.assumption
    assert (item.name, item.label_key) == ("Lizenz und Betrieb", "licence")


def test_the_figures_are_explained_in_plain_words(
    organisation: Organisation, owner_client: Client, case: BusinessCase
) -> None:
    html = owner_client.get(f"/o/{organisation.slug}/business-cases/{case.pk}/").content.decode()
    assert "In 9 von 10 simulierten Verläufen" in html
    assert "Chance, dass es sich lohnt" in html


def test_a_partly_answered_questionnaire_is_saved_and_ranked(
    organisation: Organisation, owner_client: Client, case: BusinessCase
) -> None:
    base = f"/o/{organisation.slug}/business-cases/{case.pk}"
    assert owner_client.post(f"{base}/decision/", {"standardprodukte": "5"}).status_code == 302
    page = owner_client.get(f"{base}/decision/")
    assert page.context["page"].answered == 1
    assert "Grundlage: 1 von 9 Antworten" in page.content.decode()
