"""The data check's services at their edges: names, files refused before anything is kept, a
file the engine cannot read, a worker that stopped, retries, answers and the housekeeping."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from unittest import mock

import pytest
from django.test import override_settings
from django.utils import timezone, translation

from startklar.datacheck import services
from startklar.datacheck.models import Answer, DataCheck, DataSource, Status, UploadPart
from startklar.organisations.models import AuditEvent
from startklar.organisations.tenancy import Tenant
from startklar.testing import make_organisation, make_user, tenant_of
from startklar.usecases.models import UseCase

pytestmark = pytest.mark.django_db

CSV = b"Datum;Menge\n01.01.2026;3\n02.01.2026;4\n"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def tenant() -> Tenant:
    organisation = make_organisation()
    user = make_user()
    from startklar.testing import add_member

    add_member(organisation, user)
    return tenant_of(user, organisation)


@pytest.fixture
def use_case(tenant: Tenant) -> UseCase:
    return UseCase.objects.create(
        organisation=tenant.organisation,
        title="Bedarf vorhersagen",
        catalogue_id="einkauf.bedarfsprognose",
    )


def _source(tenant: Tenant, use_cases: list[UseCase] | None = None) -> DataSource:
    return services.create_source(tenant, "ERP-Export", "", use_cases or [])


def _request(
    tenant: Tenant, source: DataSource, name: str = "x.csv", data: bytes = CSV
) -> DataCheck:
    return services.request_check(tenant, source, name, len(data), [data], "")


def test_a_source_needs_a_name_of_its_own(tenant: Tenant) -> None:
    with pytest.raises(services.DataCheckError) as blank:
        services.create_source(tenant, "  ", "", [])
    assert blank.value.field == "name"
    source = _source(tenant)
    with pytest.raises(services.DataCheckError) as taken:
        services.create_source(tenant, "erp-export", "", [])
    assert taken.value.field == "name"
    other = services.create_source(tenant, "Wartung", "", [])
    with pytest.raises(services.DataCheckError):
        services.update_source(tenant, other, "ERP-Export ", "", [])
    assert DataSource.objects.filter(organisation=tenant.organisation).count() == 2
    assert source.name == "ERP-Export"


def test_saving_a_source_unchanged_records_nothing(tenant: Tenant, use_case: UseCase) -> None:
    source = _source(tenant, [use_case])
    events = AuditEvent.objects.count()
    services.update_source(tenant, source, "ERP-Export", "", [use_case])
    assert AuditEvent.objects.count() == events
    services.update_source(tenant, source, "ERP-Export", "täglich", [])
    assert AuditEvent.objects.count() == events + 1
    assert not source.use_cases.exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("liste.pdf", CSV, "CSV"),
        ("leer.csv", b"", "empty"),
    ],
)
def test_a_file_refused_leaves_nothing(
    tenant: Tenant, name: str, data: bytes, message: str
) -> None:
    source = _source(tenant)
    with pytest.raises(services.DataCheckError, match=message) as refused:
        services.request_check(tenant, source, name, max(len(data), 1) if data else 0, [data], "")
    assert refused.value.field == "file"
    assert not DataCheck.objects.exists()
    assert not UploadPart.objects.exists()


@override_settings(STARTKLAR_DATACHECK_MAX_BYTES=10)
def test_a_file_larger_than_allowed_is_refused_even_when_its_size_was_understated(
    tenant: Tenant,
) -> None:
    source = _source(tenant)
    with pytest.raises(services.DataCheckError, match="MB"):
        services.request_check(tenant, source, "x.csv", 1000, [CSV], "")
    with pytest.raises(services.DataCheckError, match="MB"):
        services.request_check(tenant, source, "x.csv", 5, [CSV[:6], CSV[6:]], "")
    assert not UploadPart.objects.exists()


def test_a_file_the_engine_cannot_read_fails_with_its_reason_and_is_deleted(
    tenant: Tenant,
) -> None:
    check = _request(tenant, _source(tenant), data=b"\x00\x01\x02" * 100)
    assert services.produce(check.pk)
    check.refresh_from_db()
    assert check.status == Status.FAILED
    assert check.failure == "binary"
    assert not UploadPart.objects.exists()
    assert not services.produce(check.pk)  # only a queued check is taken


def test_an_error_of_our_own_fails_the_check_without_the_details(tenant: Tenant) -> None:
    check = _request(tenant, _source(tenant))
    with mock.patch("startklar.datacheck.engine.profile", side_effect=RuntimeError("boom")):
        assert services.produce(check.pk)
    check.refresh_from_db()
    assert (check.status, check.failure) == (Status.FAILED, services.FAILED_INTERNAL)


def test_a_stopped_check_is_retried_while_its_file_is_there(tenant: Tenant) -> None:
    check = _request(tenant, _source(tenant))
    DataCheck.objects.filter(pk=check.pk).update(
        status=Status.RUNNING, started_at=timezone.now() - datetime.timedelta(hours=1)
    )
    expired, _deleted = services.expire_stale(timezone.now())
    assert expired == 1
    services.retry(tenant, check)
    check.refresh_from_db()
    assert check.status == Status.QUEUED
    assert services.produce(check.pk)
    check.refresh_from_db()
    assert check.status == Status.DONE
    with pytest.raises(services.DataCheckError, match="upload it again"):
        services.retry(tenant, check)


@override_settings(STARTKLAR_DATACHECK_LEASE_SECONDS=60)
def test_housekeeping_deletes_the_files_of_checks_no_longer_under_way(tenant: Tenant) -> None:
    assert services.lease() == datetime.timedelta(seconds=60)
    check = _request(tenant, _source(tenant))
    DataCheck.objects.filter(pk=check.pk).update(
        status=Status.FAILED, finished_at=timezone.now() - datetime.timedelta(hours=1)
    )
    said = services.housekeeping(timezone.now())
    assert "file parts deleted: 1" in said
    assert not UploadPart.objects.exists()


def test_answers_are_checked_and_can_be_taken_back(tenant: Tenant, use_case: UseCase) -> None:
    with pytest.raises(services.DataCheckError, match="does not exist"):
        services.answer(tenant, use_case, "no_such_rule", "yes")
    with pytest.raises(services.DataCheckError, match="yes, no"):
        services.answer(tenant, use_case, "special_events", "maybe")
    assert not Answer.objects.exists()
    services.answer(tenant, use_case, "special_events", "no")
    services.answer(tenant, use_case, "special_events", "yes")
    assert Answer.objects.get().answer == "yes"
    assert services.answer(tenant, use_case, "special_events", "") is None
    assert not Answer.objects.exists()


def test_deleting_a_source_takes_its_checks(tenant: Tenant, use_case: UseCase) -> None:
    source = _source(tenant, [use_case])
    check = _request(tenant, source)
    services.produce(check.pk)
    services.delete_source(tenant, source)
    assert not DataCheck.objects.exists()
    assert UseCase.objects.filter(pk=use_case.pk).exists()
