"""Kept pages: served again only to the same person while nothing they show has changed."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path

from startklar.accounts.models import User
from startklar.core import pages
from startklar.core.pages import _Page, _Store
from startklar.organisations import queries, tenancy
from startklar.organisations.models import Membership, Organisation, Role
from startklar.testing import add_member, client_for, make_organisation, make_user

PROFILE = {
    "name": "Muster Metallbau GmbH",
    "industry": "C",
    "headcount": "85",
    "annual_turnover": "12.400.000",
    "balance_sheet_total": "8.900.000,50",
}


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How often the overview's page query ran (once per rendering of the overview)."""
    counted: list[int] = []
    real = queries.overview

    def overview(*args: Any, **kwargs: Any) -> Any:
        counted.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(queries, "overview", overview)
    return counted


def test_a_page_seen_again_is_not_rendered_again(
    organisation: Organisation, owner_client: Client, renders: list[int]
) -> None:
    url = f"/o/{organisation.slug}/"
    owner_client.get(url)  # remembers the organisation in the session: a change, not kept
    first = owner_client.get(url)
    again = owner_client.get(url)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert again["Cache-Control"] == first["Cache-Control"]  # the privacy headers as before
    assert len(renders) == 2
    with CaptureQueriesContext(connection) as queries:
        owner_client.get(url)
    assert len(queries) <= 3  # the session, the user and the generation token


def test_a_change_through_a_form_shows_on_the_next_view(
    organisation: Organisation, owner_client: Client, renders: list[int]
) -> None:
    url = f"/o/{organisation.slug}/"
    assert "Muster Metallbau GmbH" in owner_client.get(url).content.decode()
    response = owner_client.post(f"{url}profile/", {**PROFILE, "name": "Muster Stahlbau GmbH"})
    assert response.status_code == 302
    page = owner_client.get(url).content.decode()  # with the message "saved"
    assert "Muster Stahlbau GmbH" in page
    again = owner_client.get(url).content.decode()  # the message is gone: rendered once more
    assert "Muster Stahlbau GmbH" in again
    assert page != again
    owner_client.get(url)
    assert len(renders) == 3  # once with the session, once with the message, once without


def test_a_change_made_elsewhere_shows_on_the_next_view(
    organisation: Organisation, owner_client: Client
) -> None:
    """A bulk update, as the worker or another server would make it: no signal, no form."""
    url = f"/o/{organisation.slug}/"
    owner_client.get(url)
    tenancy_independent = Organisation.objects.filter(pk=organisation.pk)
    tenancy_independent.update(name="Anderswo GmbH")
    assert "Anderswo GmbH" in owner_client.get(url).content.decode()


def test_each_person_and_each_session_gets_their_own_page(
    organisation: Organisation, owner: User, viewer: User, renders: list[int]
) -> None:
    url = f"/o/{organisation.slug}/"
    owner_client, viewer_client = client_for(owner), client_for(viewer)
    for client in (owner_client, viewer_client):
        client.get(url)  # remembers the organisation in each session
    owner_page = owner_client.get(url).content.decode()
    viewer_page = viewer_client.get(url).content.decode()
    assert "Olga Owner" in owner_page.split("<main", 1)[0]  # the shell names who is in
    assert "Vera Viewer" in viewer_page.split("<main", 1)[0]
    assert "Olga Owner" not in viewer_page.split("<main", 1)[0]
    assert len(renders) == 4
    second_browser = client_for(owner)
    second_browser.get(url)
    second_browser.get(url)  # its own CSRF token: its own page
    assert len(renders) == 6


def test_the_language_and_htmx_get_their_own_page(organisation: Organisation, owner: User) -> None:
    url = f"/o/{organisation.slug}/"
    german, english = client_for(owner), client_for(owner, language="en")
    german.get(url)
    english.get(url)
    german_page = german.get(url).content.decode()
    english_page = english.get(url).content.decode()
    assert 'lang="de"' in german_page
    assert 'lang="en"' in english_page
    fragment = german.get(url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="main")
    whole = german.get(url)
    assert whole.content.decode() == german_page
    assert fragment["Content-Type"].startswith("text/html")


def test_an_ended_membership_ends_the_kept_page(
    organisation: Organisation, viewer: User, viewer_client: Client
) -> None:
    url = f"/o/{organisation.slug}/"
    assert viewer_client.get(url).status_code == 200
    Membership.objects.filter(user=viewer).delete()
    assert viewer_client.get(url).status_code == 404


def test_nothing_is_kept_for_a_person_who_may_not_see_the_page(
    organisation: Organisation, owner_client: Client
) -> None:
    stranger = client_for(make_user())
    for _ in range(2):
        assert stranger.get(f"/o/{organisation.slug}/").status_code == 404
    assert len(pages.store) == 0


def test_the_organisation_last_used_is_remembered_although_its_page_is_kept(owner: User) -> None:
    first, second = make_organisation("Erste GmbH"), make_organisation("Zweite GmbH")
    for organisation in (first, second):
        add_member(organisation, owner, Role.OWNER)
    client = client_for(owner)
    for organisation in (first, second, first, second, first, second):
        assert client.get(f"/o/{organisation.slug}/").status_code == 200
        assert client.session[tenancy.SESSION_KEY] == organisation.slug


def test_downloads_and_other_answers_than_html_are_not_kept(
    organisation: Organisation, owner_client: Client
) -> None:
    for _ in range(2):
        response = owner_client.get(f"/o/{organisation.slug}/audit/export.xlsx")
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
    assert len(pages.store) == 0


def nonce_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f'<script nonce="{request.csp_nonce}">go()</script>')  # type: ignore[attr-defined]


def plain_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<p>plain</p>")


urlpatterns = [path("nonce/", nonce_page), path("plain/", plain_page)]


@pytest.mark.urls(__name__)
def test_a_page_with_a_csp_nonce_is_not_kept(owner_client: Client) -> None:
    """A nonce belongs to one answer's header; a kept page would carry a stale one."""
    nonces = {owner_client.get("/nonce/").content for _ in range(3)}
    assert len(nonces) == 3
    assert len(pages.store) == 0
    owner_client.get("/plain/")
    assert len(pages.store) == 1


def test_keeping_can_be_switched_off(
    organisation: Organisation, owner_client: Client, renders: list[int], pages_not_kept: None
) -> None:
    url = f"/o/{organisation.slug}/"
    owner_client.get(url)
    owner_client.get(url)
    assert len(renders) == 2


def test_the_store_keeps_the_pages_used_last_within_its_bytes() -> None:
    store = _Store(limit=10)
    store.put("a", _Page(b"12345", ()))
    store.put("b", _Page(b"12345", ()))
    assert store.get("a") is not None  # now used last
    store.put("c", _Page(b"123", ()))
    assert store.get("b") is None
    assert store.get("a") is not None
    assert store.get("c") is not None
    store.put("a", _Page(b"1", ()))  # replaced, its old bytes given back
    store.put("d", _Page(b"123456", ()))
    assert {key for key in "abcd" if store.get(key)} == {"a", "c", "d"}
    store.put("e", _Page(b"12345678901", ()))  # larger than the whole store
    assert len(store) == 0
