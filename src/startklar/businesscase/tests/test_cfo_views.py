"""Go-live month and cash-effective share through the editor (issue 13, points 20 and 21): the
fields refuse what the engine cannot compute, with a message at the field and nothing saved;
the figures follow; an existing case keeps its figures."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from startklar.accounts.models import User
from startklar.businesscase import queries, services
from startklar.businesscase.engine import ItemKind
from startklar.businesscase.models import BusinessCase, Factor
from startklar.organisations.models import Organisation
from startklar.testing import tenant_of
from startklar.usecases import services as usecases

pytestmark = pytest.mark.django_db
SETTINGS = {
    "horizon": "36",
    "discount_rate": "8",
    "start": "2027-01",
    "go_live": "0",
    "ramp_low": "3",
    "ramp_likely": "3",
    "ramp_high": "3",
}


@pytest.fixture
def case(organisation: Organisation, owner: User) -> BusinessCase:
    """The worked example of the docs, built through the services."""
    tenant = tenant_of(owner, organisation)
    use_case = usecases.create_use_case(tenant, {"title": "Rechnungen", "problem": "Tippen."})
    case = services.create_for(tenant, use_case)
    one = (Decimal(1),) * 3
    for kind, name, factors in (
        (ItemKind.ONE_OFF, "Einführung", {"amount": (Decimal(7500),) * 3}),
        (ItemKind.MONTHLY, "Laufend", {"amount": (Decimal(490),) * 3}),
        (
            ItemKind.TIME_SAVING,
            "Zeit",
            {
                "minutes": (Decimal(6),) * 3,
                "cases": (Decimal(600),) * 3,
                "rate": (Decimal(45),) * 3,
                "cash_share": one,
            },
        ),
    ):
        item = services.add_item(tenant, case, kind, name)
        services.update_item(tenant, item, name, "", factors)
    services.update_settings(tenant, case, 36, Decimal(8), case.start, (Decimal(3),) * 3)
    return case


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"go_live": "36"}, "go_live", "innerhalb des Betrachtungszeitraums"),
        ({"go_live": "240"}, "go_live", "kleiner oder gleich 239"),
        ({"go_live": "-1"}, "go_live", "größer oder gleich 0"),
        ({"go_live": "2,5"}, "go_live", "ganze Zahl"),
        ({"go_live": ""}, "go_live", "erforderlich"),
        ({"horizon": "12", "go_live": "12"}, "go_live", "innerhalb des Betrachtungszeitraums"),
    ],
)
def test_a_go_live_the_case_cannot_use_is_refused_at_the_field(
    organisation: Organisation,
    owner_client: Client,
    case: BusinessCase,
    values: dict[str, str],
    field: str,
    message: str,
) -> None:
    url = f"/o/{organisation.slug}/business-cases/{case.pk}/settings/"
    response = owner_client.post(url, SETTINGS | values)
    assert response.status_code == 422
    assert message in " ".join(response.context["settings_form"].errors[field])
    case.refresh_from_db()
    assert case.go_live == 0


@pytest.mark.parametrize(
    ("go_live", "npv", "payback", "discounted"),
    [(0, "60638.74", 5, 5), (2, "55324.53", 8, 8), (35, "-22486.78", None, None)],
)
def test_the_go_live_moves_the_figures_on_the_page(
    organisation: Organisation,
    owner_client: Client,
    case: BusinessCase,
    go_live: int,
    npv: str,
    payback: int | None,
    discounted: int | None,
) -> None:
    base = f"/o/{organisation.slug}/business-cases/{case.pk}/"
    response = owner_client.post(f"{base}settings/", SETTINGS | {"go_live": str(go_live)})
    assert response.status_code == 302
    page = owner_client.get(base)
    figures = page.context["analysis"].summary
    assert Decimal(str(round(figures.npv, 2))) == Decimal(npv)
    assert (figures.payback_month, figures.discounted_payback_month) == (payback, discounted)
    assert page.context["settings_form"]["go_live"].value() == go_live
    assert "vor Steuern" in page.content.decode()


def test_the_cash_share_splits_the_saving_on_the_page(
    organisation: Organisation, owner_client: Client, case: BusinessCase
) -> None:
    item = case.items.get(kind="time_saving")
    data = {f"item{item.pk}-name": "Zeit", f"item{item.pk}-note": ""}
    for factor in item.factors.all():
        for point in ("low", "likely", "high"):
            data[f"item{item.pk}-{factor.key}_{point}"] = str(getattr(factor, point))
    url = f"/o/{organisation.slug}/business-cases/items/{item.pk}/"
    too_much = data | {f"item{item.pk}-cash_share_high": "1.5"}
    refused = owner_client.post(url, too_much, HTTP_HX_REQUEST="true")
    assert refused.status_code == 422
    assert Factor.objects.get(item=item, key="cash_share").high == 1
    half = {f"item{item.pk}-cash_share_{p}": "0,5" for p in ("low", "likely", "high")}
    assert owner_client.post(url, data | half, HTTP_HX_REQUEST="true").status_code == 200
    figures = queries.summary(case)
    assert figures.capacity_hours == pytest.approx(30 * 35)  # 30 h a month, ramp 3: 35 months
    assert figures.capacity_value == pytest.approx(1350 * 35)
    page = owner_client.get(f"/o/{organisation.slug}/business-cases/{case.pk}/").content.decode()
    assert "Freie Kapazität" in page


def test_an_existing_case_keeps_its_figures_at_the_defaults(case: BusinessCase) -> None:
    """A time saving stored before the share existed (no cash_share row) and go-live 0 give the
    figures of before: those of the docs' example, as with a share of 1."""
    with_share = queries.summary(case)
    Factor.objects.filter(key="cash_share").delete()
    case.refresh_from_db()
    without = queries.figures(queries.to_case(case))
    assert without == with_share
    assert Decimal(str(round(without.npv, 2))) == Decimal("60638.74")
    assert without.payback_month == 5
    assert queries.stored_keys([case]) != {}


def test_new_inputs_enter_the_stored_figures_key(case: BusinessCase, owner: User) -> None:
    tenant = tenant_of(owner, case.organisation)
    before = queries.stored_keys([case])[case.pk]
    services.update_settings(tenant, case, 36, Decimal(8), case.start, (Decimal(3),) * 3, 2)
    later = queries.stored_keys([case])[case.pk]
    assert later != before
    assert queries.summary(case).payback_month == 8
    with pytest.raises(services.BusinessCaseError):
        services.update_settings(tenant, case, 12, Decimal(8), case.start, (Decimal(3),) * 3, 12)


def test_a_new_time_saving_is_no_cash_until_someone_says_so(
    case: BusinessCase, owner: User
) -> None:
    tenant = tenant_of(owner, case.organisation)
    item = services.add_item(tenant, case, ItemKind.TIME_SAVING, "Neu")
    assert Factor.objects.get(item=item, key="cash_share").likely == 0
