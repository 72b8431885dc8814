"""The reviews' JSON API: items in (all or nothing, 422 naming the row and field), figures
out; another organisation's plan is 404."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest

from startklar.organisations.models import Role
from startklar.reviews import services
from startklar.reviews.models import ReviewItem
from startklar.testing import add_member, client_for, make_organisation

from .conftest import WRONG, items

pytestmark = pytest.mark.django_db
YESTERDAY = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()


def _url(world: dict[str, Any], tail: str, plan_id: int | None = None) -> str:
    slug = world["organisation"].slug
    return f"/api/v1/o/{slug}/reviews/{plan_id or world['plan'].pk}/{tail}"


def _post(client: Any, url: str, body: object) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_items_are_added_and_the_figures_read(world: dict[str, Any]) -> None:
    client = client_for(world["editor"])
    body = {"items": [{"output": "Rechnung 1", "sampled_on": YESTERDAY, "reference": "A-1"}]}
    response = _post(client, _url(world, "items"), body)
    assert response.status_code == 201, response.content
    assert response.json()["created"] == 1
    item = ReviewItem.objects.get(reference="A-1")
    assert item.source == "api"
    services.judge(world["tenant"], item, WRONG)
    figures = client.get(_url(world, "statistics")).json()
    assert (figures["items_judged"], figures["errors"], figures["rate"]) == (1, 1, 1.0)
    assert figures["periods"][0]["n"] == 1
    assert 0 < figures["low"] < figures["high"] == 1.0


@pytest.mark.parametrize(
    ("body", "where"),
    [
        (
            {"items": [{"output": "x", "sampled_on": "2999-01-01"}]},
            ["body", "items", 0, "sampled_on"],
        ),
        (
            {"items": [{"output": "", "sampled_on": YESTERDAY}]},
            ["body", "items", 0, "output"],
        ),
        (
            {"items": [{"output": "x", "sampled_on": "NaN"}]},
            ["body", "items", 0, "sampled_on"],
        ),
        (
            {"items": [{"output": 1e20, "sampled_on": YESTERDAY}]},
            ["body", "items", 0, "output"],
        ),
        ({"items": []}, ["body", "items"]),
        ({"things": []}, ["body", "items"]),
    ],
)
def test_a_body_that_cannot_be_saved_is_422_naming_the_field(
    world: dict[str, Any], body: object, where: list[object]
) -> None:
    response = _post(client_for(world["editor"]), _url(world, "items"), body)
    assert response.status_code == 422, response.content
    assert where in [e["loc"] for e in response.json()["detail"]]
    assert not ReviewItem.objects.exists()


def test_a_batch_with_one_bad_row_saves_nothing(world: dict[str, Any]) -> None:
    (existing,) = items(world["tenant"], world["plan"], 1)
    body = {
        "items": [
            {"output": "neu", "sampled_on": YESTERDAY, "reference": "N-1"},
            {"output": "doppelt", "sampled_on": YESTERDAY, "reference": existing.reference},
        ]
    }
    response = _post(client_for(world["editor"]), _url(world, "items"), body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "items", 1, "reference"]
    assert world["plan"].items.count() == 1


def test_another_organisations_plan_is_404_and_viewers_may_not_write(
    world: dict[str, Any],
) -> None:
    other = make_organisation()
    stranger = add_member(other, role=Role.OWNER)
    foreign = client_for(stranger)
    body = {"items": [{"output": "x", "sampled_on": YESTERDAY}]}
    own_slug_url = f"/api/v1/o/{other.slug}/reviews/{world['plan'].pk}/items"
    assert _post(foreign, own_slug_url, body).status_code == 404
    assert _post(foreign, _url(world, "items"), body).status_code == 404
    assert foreign.get(_url(world, "statistics")).status_code == 404
    assert client_for(world["owner"]).get(_url(world, "statistics", 10**9)).status_code == 404
    assert _post(client_for(world["viewer"]), _url(world, "items"), body).status_code == 403
    assert not ReviewItem.objects.exists()


def test_a_script_sends_items_with_an_organisation_token(world: dict[str, Any]) -> None:
    from django.test import Client

    from startklar.organisations.models import ApiToken, TokenScope
    from startklar.organisations.tokens import new_secret, token_hash, visible_prefix

    secret = new_secret()
    ApiToken.objects.create(
        organisation=world["organisation"],
        name="ERP",
        scope=TokenScope.WRITE,
        token_hash=token_hash(secret),
        prefix=visible_prefix(secret),
        created_by=world["owner"],
    )
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    body = {"items": [{"output": "Rechnung", "sampled_on": YESTERDAY}]}
    assert _post(client, _url(world, "items"), body).status_code == 201
    assert (
        Client(HTTP_AUTHORIZATION="Bearer sk_wrong").get(_url(world, "statistics")).status_code
        == 401
    )


def test_a_form_body_or_no_json_is_422_and_items_are_listed(world: dict[str, Any]) -> None:
    client = client_for(world["editor"])
    assert client.post(_url(world, "items"), {"output": "x"}).status_code == 422
    response = client.post(_url(world, "items"), "{nope", content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "body"
    items(world["tenant"], world["plan"], 2)
    listed = client.get(_url(world, "items")).json()
    assert [i["judged"] for i in listed] == [False, False]
