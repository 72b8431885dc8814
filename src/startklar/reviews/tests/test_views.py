"""The review pages through the client: a plan is made with its calculator, items come by
hand and by CSV (all or nothing), a reviewer judges one item after the other."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from startklar.reviews.models import ReviewItem, ReviewPlan, Verdict
from startklar.testing import client_for

from .conftest import items

pytestmark = pytest.mark.django_db


def _base(world: dict[str, Any]) -> str:
    return f"/o/{world['organisation'].slug}/reviews/"


def test_a_plan_is_made_with_the_sample_size_shown(world: dict[str, Any]) -> None:
    client = client_for(world["owner"], "de")
    page = client.get(_base(world) + "new/")
    assert "Elemente nötig" in page.content.decode() or page.status_code == 200
    answer = client.get(
        _base(world) + "sample-size/?margin=5&confidence=95", HTTP_HX_REQUEST="true"
    )
    assert "385" in answer.content.decode()
    bad = client.post(_base(world) + "new/", {"title": "", "margin": "NaN"})
    assert bad.status_code == 422
    data = {
        "title": "Neu",
        "ai_system": world["system"].pk,
        "cadence": "monthly",
        "items_per_period": "25",
        "double_share": "10",
        "margin": "5",
        "confidence": "95",
        "threshold": "10",
        "reviewers": [world["owner"].pk],
        "owner": world["owner"].pk,
        "active": "on",
    }
    created = client.post(_base(world) + "new/", data)
    assert created.status_code == 302, created.content.decode()[:2000]
    assert ReviewPlan.objects.filter(title="Neu").exists()


def test_items_by_hand_and_by_csv_all_or_nothing(world: dict[str, Any]) -> None:
    client = client_for(world["owner"], "de")
    url = _base(world) + f"{world['plan'].pk}/items/"
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    assert client.post(url, {"output": "x", "sampled_on": yesterday.isoformat()}).status_code == 302
    bad = b"output;sampled_on\nA;2026-01-01\nB;morgen\n"
    answer = client.post(url + "upload/", {"file": SimpleUploadedFile("a.csv", bad)})
    assert answer.status_code == 422
    assert "Zeile 3" in answer.content.decode()
    assert ReviewItem.objects.count() == 1
    good = f"output;sampled_on\nA;{yesterday:%d.%m.%Y}\nB;\n".encode()
    assert (
        client.post(url + "upload/", {"file": SimpleUploadedFile("a.csv", good)}).status_code == 302
    )
    assert ReviewItem.objects.count() == 3


def test_a_reviewer_judges_one_item_after_the_other(world: dict[str, Any]) -> None:
    first, _second = items(world["tenant"], world["plan"], 2)
    client = client_for(world["viewer"], "de")
    start = client.get(_base(world) + f"{world['plan'].pk}/next/")
    assert start["Location"].endswith(f"/items/{first.pk}/")
    page = client.get(start["Location"])
    assert "Speichern und nächstes" in page.content.decode()
    missing = client.post(start["Location"], {"level_correct": "right"})
    assert missing.status_code == 422
    levels = {"level_correct": "right", "level_complete": "complete", "level_usable": "usable"}
    saved = client.post(start["Location"], levels)
    assert saved.status_code == 302
    assert Verdict.objects.count() == 1
    again = client.post(start["Location"], levels)
    assert again.status_code == 409
    plan_page = client_for(world["owner"], "de").get(_base(world) + f"{world['plan'].pk}/")
    assert "Fehlerquote" in plan_page.content.decode()
