"""The data check's pages as a department head uses them: a data source linked to a use case, a
file uploaded and profiled, what is wrong in words, whether it is enough for the use case, the
answer to a question a file cannot answer. Personal data is never shown or kept as values; the
file is gone after the check; bad files get a message and leave nothing half-saved."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from startklar.datacheck import demofiles, services
from startklar.datacheck.models import Answer, DataCheck, DataSource, Status, UploadPart
from startklar.organisations.models import Membership, Role
from startklar.organisations.tenancy import Tenant
from startklar.testing import client_for, make_organisation, make_user
from startklar.usecases.models import CriterionScore, UseCase

pytestmark = pytest.mark.django_db
INVALID = 422
TODAY = datetime.date(2026, 12, 7)

CUSTOMERS = (
    "Kunde;E-Mail;Umsatz;Datum\n"
    "Anna Schmidt;anna.schmidt@example.de;1.234,50;31.12.2025\n"
    "Peter Müller;p.mueller@example.com;99,00;2026-01-15\n"
    "Fatma Yilmaz;fatma@example.org;12,00;02.02.2026\n"
    "Anna Schmidt;anna.schmidt@example.de;1.234,50;31.12.2025\n"
)


@pytest.fixture
def world() -> tuple[Tenant, Client, UseCase]:
    organisation = make_organisation("Daten GmbH")
    user = make_user()
    owner = Membership.objects.create(organisation=organisation, user=user, role=Role.OWNER)
    use_case = UseCase.objects.create(
        organisation=organisation,
        title="Bedarf vorhersagen",
        catalogue_id="einkauf.bedarfsprognose",
    )
    return Tenant(organisation=organisation, membership=owner), client_for(user), use_case


def url(tenant: Tenant, name: str, *args: object) -> str:
    return reverse(f"datacheck:{name}", args=[tenant.organisation.slug, *args])


def upload(
    client: Client,
    tenant: Tenant,
    source: DataSource,
    name: str,
    data: bytes,
    capture: Callable[..., Any],
    **extra: Any,
) -> Any:
    with capture(execute=True):  # the task runs once the upload is committed, as in production
        return client.post(
            url(tenant, "source", source.pk),
            {"file": SimpleUploadedFile(name, data), "sheet": ""},
            **extra,
        )


def test_a_source_is_set_up_a_file_checked_and_its_problems_named(
    world: tuple[Tenant, Client, UseCase], django_capture_on_commit_callbacks: Any
) -> None:
    tenant, client, use_case = world
    created = client.post(
        url(tenant, "source_new"),
        {"name": "ERP-Verkaufsexport", "description": "", "use_cases": [use_case.pk]},
    )
    source = DataSource.objects.get(organisation=tenant.organisation)
    assert created["Location"] == url(tenant, "source", source.pk)
    response = upload(
        client,
        tenant,
        source,
        "verkauf.csv",
        demofiles.sales_export(TODAY),
        django_capture_on_commit_callbacks,
    )
    check = DataCheck.objects.get(source=source)
    assert response["Location"] == url(tenant, "check", check.pk)
    assert check.status == Status.DONE
    assert not UploadPart.objects.exists()  # the file is gone
    page = client.get(url(tenant, "check", check.pk)).content.decode()
    assert "Belegdatum" in page
    assert "TT.MM.JJJJ" in page  # the mixed date formats are named, in German
    assert "JJJJ-MM-TT" in page
    assert "k.A." in page
    assert 'id="fitness-' in page
    assert "Bedarf vorhersagen" in page
    # the score suggests the use case's data availability (the portfolio's feasibility axis)
    use_case = source.use_cases.get()
    suggested = CriterionScore.objects.get(use_case=use_case, criterion_id="daten")
    assert suggested.source == CriterionScore.Source.DATA_CHECK
    use_case.refresh_from_db()
    assert use_case.feasibility is not None
    listing = client.get(url(tenant, "list")).content.decode()
    assert "ERP-Verkaufsexport" in listing


def test_personal_data_is_named_but_its_values_are_neither_shown_nor_kept(
    world: tuple[Tenant, Client, UseCase], django_capture_on_commit_callbacks: Any
) -> None:
    tenant, client, _use_case = world
    source = services.create_source(tenant, "Kundenliste", "", [])
    upload(
        client,
        tenant,
        source,
        "kunden.csv",
        CUSTOMERS.encode(),
        django_capture_on_commit_callbacks,
    )
    check = DataCheck.objects.get(source=source)
    assert check.status == Status.DONE
    stored = str(check.profile)
    for value in ("anna.schmidt@example.de", "Anna Schmidt", "Fatma"):
        assert value not in stored
    page = client.get(url(tenant, "check", check.pk)).content.decode()
    assert "E-Mail" in page
    assert "anna.schmidt@example.de" not in page
    assert "Anna Schmidt" not in page


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("notizen.pdf", b"%PDF-1.7", "CSV"),
        ("leer.csv", b"", "leer"),
    ],
)
def test_a_file_that_is_no_table_is_refused_on_the_form(
    world: tuple[Tenant, Client, UseCase],
    django_capture_on_commit_callbacks: Any,
    name: str,
    data: bytes,
    expected: str,
) -> None:
    tenant, client, _use_case = world
    source = services.create_source(tenant, "Export", "", [])
    response = upload(client, tenant, source, name, data, django_capture_on_commit_callbacks)
    assert response.status_code == INVALID
    assert expected in response.content.decode()
    assert not DataCheck.objects.exists()
    assert not UploadPart.objects.exists()


def test_a_binary_file_named_csv_fails_with_a_reason_and_leaves_no_file(
    world: tuple[Tenant, Client, UseCase], django_capture_on_commit_callbacks: Any
) -> None:
    tenant, client, _use_case = world
    source = services.create_source(tenant, "Export", "", [])
    upload(
        client,
        tenant,
        source,
        "export.csv",
        b"\x00\x01\x02PK\x03\x04" * 100,
        django_capture_on_commit_callbacks,
    )
    check = DataCheck.objects.get(source=source)
    assert check.status == Status.FAILED
    assert check.profile is None
    assert not UploadPart.objects.exists()
    page = client.get(url(tenant, "check", check.pk)).content.decode()
    assert 'id="check-failed"' in page


@override_settings(STARTKLAR_DATACHECK_MAX_BYTES=1024)
def test_a_file_over_the_limit_is_cut_off_while_it_arrives(
    world: tuple[Tenant, Client, UseCase],
) -> None:
    tenant, client, _use_case = world
    source = services.create_source(tenant, "Export", "", [])
    big = b"a;b\n" + b"1;2\n" * 1000
    response = client.post(
        url(tenant, "source", source.pk), {"file": SimpleUploadedFile("gross.csv", big)}
    )
    assert response.status_code == INVALID
    assert "größer als 0 MB" in response.content.decode() or "MB" in response.content.decode()
    assert not DataCheck.objects.exists()
    assert not UploadPart.objects.exists()
    small = client.post(
        url(tenant, "source", source.pk), {"file": SimpleUploadedFile("klein.csv", b"a;b\n1;2\n")}
    )
    assert small.status_code == 302  # the limit is the data check's, not a fixed one


def test_an_answer_to_a_question_counts_for_the_use_case(
    world: tuple[Tenant, Client, UseCase], django_capture_on_commit_callbacks: Any
) -> None:
    tenant, client, use_case = world
    source = services.create_source(tenant, "ERP", "", [use_case])
    upload(
        client,
        tenant,
        source,
        "verkauf.csv",
        demofiles.sales_export(TODAY),
        django_capture_on_commit_callbacks,
    )
    check = DataCheck.objects.get(source=source)
    page = client.get(url(tenant, "check", check.pk)).content.decode()
    assert 'name="rule"' in page
    rule = page.split('name="rule" value="', 1)[1].split('"', 1)[0]
    answered = client.post(
        url(tenant, "answer", check.pk, use_case.pk), {"rule": rule, "answer": "yes"}
    )
    assert answered.status_code == 302
    assert Answer.objects.get(use_case=use_case, rule_key=rule).answer == "yes"
    client.post(url(tenant, "answer", check.pk, use_case.pk), {"rule": "nope", "answer": "yes"})
    client.post(url(tenant, "answer", check.pk, use_case.pk), {"rule": rule, "answer": "maybe"})
    assert Answer.objects.count() == 1
    assert Answer.objects.get().answer == "yes"


def test_a_source_name_is_needed_once(world: tuple[Tenant, Client, UseCase]) -> None:
    tenant, client, _use_case = world
    services.create_source(tenant, "ERP", "", [])
    for data in ({"name": "", "description": ""}, {"name": "ERP", "description": ""}):
        response = client.post(url(tenant, "source_new"), data)
        assert response.status_code == INVALID
        assert 'id="id_name"' in response.content.decode()
    assert DataSource.objects.count() == 1
