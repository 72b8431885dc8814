"""The business-case charts: valid Vega-Lite, as wide as their box, a real tornado."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from startklar.accounts.models import User
from startklar.businesscase import charts, queries, services
from startklar.businesscase.models import BusinessCase
from startklar.core.tests.vegalite import assert_valid, contrast_on_white, layers
from startklar.organisations.models import Membership, Organisation
from startklar.organisations.tenancy import Tenant
from startklar.usecases import services as usecases

pytestmark = pytest.mark.django_db

LABELS = {"month": "Monat", "euro": "Kumulierter Zahlungsstrom (EUR)", "npv": "Kapitalwert (EUR)"}


@pytest.fixture
def case(organisation: Organisation, owner: User) -> BusinessCase:
    tenant = Tenant(organisation, Membership.objects.get(user=owner, organisation=organisation))
    use_case = usecases.create_use_case(
        tenant, {"title": "Rechnungen", "problem": "Abtippen."}, "administration.eingangsrechnungen"
    )
    return services.create_for(tenant, use_case)


@pytest.fixture
def analysis(case: BusinessCase) -> queries.Analysis:
    return queries.analysis(case)


def names(analysis: queries.Analysis) -> dict[tuple[str, str], str]:
    return {(s.item, s.factor): f"{s.item}: {s.factor}" for s in analysis.swings}


def tornado(analysis: queries.Analysis) -> dict[str, Any]:
    with translation.override("de"):
        return charts.tornado(analysis, LABELS, names(analysis))


def test_the_cash_flow_is_valid_vega_lite_as_wide_as_its_box_in_euro(
    analysis: queries.Analysis,
) -> None:
    with translation.override("de"):
        spec = charts.cashflow(analysis, LABELS)
    assert_valid(spec)
    assert spec["width"] == "container"
    assert spec["autosize"] == {"type": "fit", "contains": "padding", "resize": True}
    rows = spec["data"]["values"]
    assert [r["month"] for r in rows] == [m.month for m in analysis.result.months]
    assert rows[0]["date"] == analysis.month_label(0).isoformat()
    assert all(r["p10"] <= r["p50"] <= r["p90"] for r in rows)
    band = spec["layer"][0]
    assert band["encoding"]["y"]["axis"]["format"] == "$,.0f"  # 90.000 € / €90,000 by locale
    assert band["encoding"]["x"]["scale"]["domain"] == [0, rows[-1]["month"]]
    hover = spec["layer"][-1]
    tooltip = {t["field"]: t for t in hover["encoding"]["tooltip"]}
    assert tooltip["date"]["format"] == "%B %Y"  # "Februar 2027" with the German time locale
    assert tooltip["date"]["timeUnit"] == "utcyearmonth"
    assert {t["format"] for f, t in tooltip.items() if f not in ("date", "month")} == {"$,.0f"}


def test_the_tornado_runs_from_the_npv_at_each_minimum_to_the_npv_at_its_maximum(
    analysis: queries.Analysis,
) -> None:
    spec = tornado(analysis)
    assert_valid(spec)
    assert spec["width"] == "container"
    assert spec["autosize"]["type"] == "fit-x"
    inputs = spec["datasets"]["inputs"]
    swings = analysis.swings[: charts.TORNADO_INPUTS]
    assert [i["input"] for i in inputs] == [f"{s.item}: {s.factor}" for s in swings]
    for row, swing in zip(inputs, swings, strict=True):
        # The direction is kept: a cost at its maximum lowers the NPV.
        assert row["npv_min"] == round(swing.npv_low, 2)
        assert row["npv_max"] == round(swing.npv_high, 2)
        assert row["base"] == round(analysis.result.npv, 2)
    widths = [abs(i["npv_max"] - i["npv_min"]) for i in inputs]
    assert widths == sorted(widths, reverse=True)  # widest swing on top
    # Two bars per input, both from the base NPV: one to the NPV at the minimum, one at the maximum.
    bars = spec["datasets"]["bars"]
    assert len(bars) == 2 * len(inputs)
    assert {(b["input"], b["npv"]) for b in bars} == {
        (i["input"], i[key]) for i in inputs for key in ("npv_min", "npv_max")
    }
    bar = spec["layer"][0]
    assert bar["encoding"]["x"]["field"] == "base"
    assert bar["encoding"]["x2"]["field"] == "npv"
    assert bar["encoding"]["x"]["scale"]["zero"] is False
    assert spec["height"] == charts.ROW * len(inputs)


def test_the_tornado_names_its_inputs_above_the_bars_cut_to_the_chart_width(
    analysis: queries.Analysis,
) -> None:
    spec = tornado(analysis)
    text = next(layer for layer in layers(spec) if layer["mark"]["type"] == "text")
    assert text["mark"]["limit"] == {"expr": "width"}
    assert text["encoding"]["text"]["field"] == "input"
    assert text["encoding"]["y"] == spec["layer"][0]["encoding"]["y"]
    assert text["encoding"]["y"]["axis"] is None  # no label column eats the width
    tooltip = [t["field"] for t in text["encoding"]["tooltip"]]
    assert tooltip == ["input", "npv_min", "npv_max", "base"]
    with translation.override("de"):
        legend = charts.tornado(analysis, LABELS, names(analysis))["layer"][0]["encoding"]["color"]
    assert legend["scale"]["range"] == [charts.RED, charts.BLUE]


def test_the_tornado_shows_at_most_ten_inputs(analysis: queries.Analysis) -> None:
    many = queries.Analysis(
        case=analysis.case,
        items=analysis.items,
        result=analysis.result,
        simulation=analysis.simulation,
        swings=analysis.swings * 5,
        summary=analysis.summary,
    )
    spec = charts.tornado(many, LABELS, {})
    assert_valid(spec)
    assert len(spec["datasets"]["inputs"]) == charts.TORNADO_INPUTS
    assert spec["datasets"]["inputs"][0]["input"].endswith(f"({analysis.swings[0].factor})")


def test_the_page_lists_the_tornado_as_a_table(
    case: BusinessCase, organisation: Organisation, owner_client: Client
) -> None:
    page = owner_client.get(f"/o/{organisation.slug}/business-cases/{case.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="tornado-table"' in html
    assert 'data-chart="tornado-spec" role="img"' in html
    first = page.context["results"].tornado["datasets"]["inputs"][0]
    assert first["input"] in html


@pytest.mark.parametrize("colour", [charts.BLUE, charts.RED, charts.GREY])
def test_colours_stand_out_on_white(colour: str) -> None:
    assert contrast_on_white(colour) >= 4.5
