"""Control characters are taken out of what clients send, also in JSON bodies (the API)."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from startklar.core.middleware import ControlCharacterMiddleware


def seen_by_the_view(request: HttpRequest) -> dict[str, object]:
    captured: dict[str, object] = {}

    def view(req: HttpRequest) -> HttpResponse:
        if req.content_type == "application/json":
            captured["body"] = req.body
        else:
            captured["post"] = dict(req.POST.lists())
        return HttpResponse("ok")

    ControlCharacterMiddleware(view)(request)
    return captured


def test_json_texts_lose_their_control_characters_at_any_depth() -> None:
    body = {"title": "A\x0bB\x1b", "items": [{"name": "x\x00y"}], "note": "line 1\nline 2\tend"}
    request = RequestFactory().post(
        "/api/v1/x", data=json.dumps(body), content_type="application/json"
    )
    seen = json.loads(seen_by_the_view(request)["body"])  # type: ignore[arg-type]
    assert seen == {"title": "AB", "items": [{"name": "xy"}], "note": "line 1\nline 2\tend"}


def test_a_body_that_is_no_json_is_left_for_the_api_to_refuse() -> None:
    request = RequestFactory().post("/api/v1/x", data=b"{nope", content_type="application/json")
    assert seen_by_the_view(request)["body"] == b"{nope"


def test_form_fields_lose_them_too() -> None:
    request = RequestFactory().post("/x", {"title": "Rech\x07nung", "text": "a\nb"})
    assert seen_by_the_view(request)["post"] == {"title": ["Rechnung"], "text": ["a\nb"]}
