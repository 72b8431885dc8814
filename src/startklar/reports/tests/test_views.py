"""The report page: requesting (owners and editors), progress polled while under way, the
download (viewers too), retry and deletion; every input refused with its field named."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from startklar.accounts.models import User
from startklar.organisations.models import Organisation
from startklar.reports import services
from startklar.reports.models import Failure, ReportRun, Status
from startklar.testing import add_member, client_for, make_organisation

from .conftest import FAKE_PDF

pytestmark = pytest.mark.django_db


def _url(organisation: Organisation, name: str, *args: object) -> str:
    return reverse(f"reports:{name}", args=[organisation.slug, *args])


def _run(organisation: Organisation, status: Status = Status.DONE, **fields: Any) -> ReportRun:
    values: dict[str, Any] = {
        "organisation": organisation,
        "language": "de",
        "status": status,
        "requested_at": timezone.now(),
    }
    if status == Status.DONE:
        values.update(pdf=FAKE_PDF, size=len(FAKE_PDF))
    return ReportRun.objects.create(**{**values, **fields})


def test_an_owner_requests_a_report_and_sees_its_progress(
    owner_client: Client, organisation: Organisation
) -> None:
    page = owner_client.get(_url(organisation, "list"))
    assert page.status_code == 200
    assert b'id="request-form"' in page.content
    assert b"Noch kein Bericht" in page.content
    answer = owner_client.post(_url(organisation, "list"), {"language": "en"})
    assert answer.status_code == 302
    run = ReportRun.objects.get()
    assert answer["Location"].endswith(f"#run-{run.pk}")
    page = owner_client.get(_url(organisation, "list"))
    text = page.content.decode()
    assert 'hx-trigger="every 2s"' in text
    assert _url(organisation, "status", run.pk) in text
    assert "Wartet auf den Hintergrunddienst" in text
    assert page["Cache-Control"].startswith("max-age=0")  # the clock: never kept
    again = owner_client.post(_url(organisation, "list"), {"language": "en"})
    assert again.status_code == 302
    assert ReportRun.objects.count() == 1


@pytest.mark.parametrize(
    "data", [{}, {"language": "fr"}, {"language": "x" * 10_000}, {"language": ["en", "en"]}]
)
def test_a_bad_language_is_refused_with_its_field(
    owner_client: Client, organisation: Organisation, data: dict[str, Any]
) -> None:
    answer = owner_client.post(_url(organisation, "list"), data)
    if data.get("language") == ["en", "en"]:  # two values: the last counts, a valid one
        assert answer.status_code == 302
        return
    assert answer.status_code == 422
    assert 'id="language-error"' in answer.content.decode()
    assert not ReportRun.objects.exists()


def test_the_progress_stops_polling_once_done(
    owner_client: Client, organisation: Organisation, fake_build: Any
) -> None:
    owner_client.post(_url(organisation, "list"), {"language": "de"})
    run = ReportRun.objects.get()
    status = _url(organisation, "status", run.pk)
    polled = owner_client.get(status, headers={"HX-Request": "true"})
    assert polled.status_code == 200
    assert b'hx-trigger="every 2s"' in polled.content
    assert b"<progress" in polled.content
    services.produce(run.pk)
    polled = owner_client.get(status, headers={"HX-Request": "true"})
    text = polled.content.decode()
    assert "hx-trigger" not in text
    assert _url(organisation, "download", run.pk) in text
    assert text.lstrip().startswith("<li")  # the row alone, swapped in place
    opened = owner_client.get(status)  # not htmx: the row on its page
    assert opened.status_code == 302
    assert opened["Location"].endswith(f"/reports/#run-{run.pk}")


def test_a_viewer_downloads_but_requests_nothing(
    viewer_client: Client, organisation: Organisation
) -> None:
    run = _run(organisation, language="en")
    page = viewer_client.get(_url(organisation, "list"))
    assert page.status_code == 200
    assert b'id="request-form"' not in page.content
    assert _url(organisation, "delete", run.pk).encode() not in page.content
    answer = viewer_client.get(_url(organisation, "download", run.pk))
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert answer.content == FAKE_PDF
    assert "management-report-" in answer["Content-Disposition"]
    assert viewer_client.post(_url(organisation, "list"), {"language": "de"}).status_code == 403
    assert viewer_client.post(_url(organisation, "retry", run.pk)).status_code == 403
    assert viewer_client.get(_url(organisation, "delete", run.pk)).status_code == 403
    assert viewer_client.post(_url(organisation, "delete", run.pk)).status_code == 403
    assert ReportRun.objects.count() == 1


def test_only_a_finished_report_downloads(owner_client: Client, organisation: Organisation) -> None:
    for status in (Status.QUEUED, Status.FAILED):
        run = _run(organisation, status, language="en" if status == Status.QUEUED else "de")
        answer = owner_client.get(_url(organisation, "download", run.pk))
        assert answer.status_code == 302  # to the run's row, which says why
        assert answer["Location"] == f"{_url(organisation, 'list')}#run-{run.pk}"
    assert owner_client.get(_url(organisation, "download", 10**12)).status_code == 404


def test_a_failed_report_offers_a_retry(
    owner_client: Client, organisation: Organisation, settings: Any
) -> None:
    failed = _run(organisation, Status.FAILED, failure=Failure.BUILD)
    lost = _run(
        organisation,
        Status.RUNNING,
        language="en",
        started_at=timezone.now() - timedelta(hours=1),
    )
    text = owner_client.get(_url(organisation, "list")).content.decode()
    assert _url(organisation, "retry", failed.pk) in text
    assert _url(organisation, "retry", lost.pk) in text  # past its lease: shown as failed
    assert "hx-trigger" not in text
    answer = owner_client.post(_url(organisation, "retry", lost.pk))
    assert answer.status_code == 302
    lost.refresh_from_db()
    assert lost.status == Status.QUEUED
    done = _run(organisation, language="de")
    refused = owner_client.post(_url(organisation, "retry", done.pk), follow=True)
    assert refused.status_code == 200
    assert "fehlgeschlagen" in refused.content.decode()
    done.refresh_from_db()
    assert done.status == Status.DONE


def test_deleting_a_report_asks_first(owner_client: Client, organisation: Organisation) -> None:
    run = _run(organisation)
    confirm = owner_client.get(_url(organisation, "delete", run.pk))
    assert confirm.status_code == 200
    assert b'data-form="action"' in confirm.content
    assert owner_client.post(_url(organisation, "delete", run.pk)).status_code == 302
    assert not ReportRun.objects.exists()


def test_another_organisations_report_is_not_found(owner: User, organisation: Organisation) -> None:
    other = make_organisation("Andere GmbH")
    run = _run(other)
    client = client_for(owner)
    for name in ("status", "download", "delete"):
        assert client.get(_url(organisation, name, run.pk)).status_code == 404
    assert client.post(_url(organisation, "retry", run.pk)).status_code == 404
    stranger = client_for(add_member(make_organisation("Dritte GmbH")))
    assert stranger.get(_url(organisation, "list")).status_code == 404
