"""The JSON API of the organisations feature."""

from __future__ import annotations

import pytest
from django.test import Client

from startklar.accounts.models import User
from startklar.organisations.models import Organisation
from startklar.testing import client_for

pytestmark = pytest.mark.django_db


def test_lists_my_organisations_with_size_class_and_role(
    organisation: Organisation, owner_client: Client
) -> None:
    data = owner_client.get("/api/v1/organisations").json()
    assert data == [
        {
            "slug": organisation.slug,
            "name": "Muster Metallbau GmbH",
            "industry": "C",
            "headcount": 85,
            "annual_turnover": "6000000.00",
            "balance_sheet_total": "4000000.00",
            "size_class": "medium",
            "role": "owner",
        }
    ]


def test_members_of_an_organisation(organisation: Organisation, viewer: User) -> None:
    response = client_for(viewer).get(f"/api/v1/o/{organisation.slug}/members")
    assert response.status_code == 200
    assert response.json() == [{"email": viewer.email, "name": "Vera Viewer", "role": "viewer"}]


def test_the_schema_and_docs_work_offline(owner_client: Client) -> None:
    schema = owner_client.get("/api/v1/openapi.json").json()
    assert "/api/v1/o/{org_slug}/" in schema["paths"]
    docs = owner_client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in docs
    assert "cdn." not in docs
