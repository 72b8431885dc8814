"""The works council's pages as an owner and a viewer use them: the record with every AI
system, an AI system's assessment, log entries with the checklist, documents uploaded (checked
for type and size), downloaded and deleted. Bad input answers 422 with a message at its field
and saves nothing; viewers read but change nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from startklar.compliance.models import AISystem, PrivacyFacts
from startklar.organisations.models import Role
from startklar.organisations.tenancy import Tenant
from startklar.people import council_services as services
from startklar.people.council_demo import agreement_pdf
from startklar.people.models import CouncilDocument, CouncilEvent, CouncilSystem, EventKind
from startklar.testing import add_member, client_for, make_organisation, tenant_of

pytestmark = pytest.mark.django_db
INVALID = 422
PDF = agreement_pdf(("Betriebsvereinbarung", "Test"))


@pytest.fixture
def world() -> dict[str, Any]:
    organisation = make_organisation()
    PrivacyFacts.objects.create(organisation=organisation, works_council=True)
    owner = add_member(organisation, role=Role.OWNER)
    viewer = add_member(organisation, role=Role.VIEWER)
    system = AISystem.objects.create(
        organisation=organisation,
        name="Website-Chatbot",
        owner="Jonas Weber",
        purpose="Fragen beantworten",
        capability="chatbot",
        hosting="saas_eu",
    )
    return {
        "tenant": tenant_of(owner, organisation),
        "owner": client_for(owner, "en"),
        "viewer": client_for(viewer, "en"),
        "system": system,
    }


def url(tenant: Tenant, name: str, *args: object) -> str:
    return reverse(f"people:{name}", args=[tenant.organisation.slug, *args])


def yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


def entry(world: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {
        "kind": "works_agreement",
        "happened_on": yesterday().isoformat(),
        "title": "Betriebsvereinbarung Chatbot",
        "ai_system": str(world["system"].pk),
        "notes": "unterschrieben",
        "covered": ["zweck", "daten"],
        **changes,
    }


def test_the_record_shows_each_system_with_its_next_step(world: dict[str, Any]) -> None:
    tenant = world["tenant"]
    services.assess_system(tenant, world["system"], "yes", False)
    answer = world["owner"].get(url(tenant, "council"))
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "There is a works council." in html
    assert "Website-Chatbot" in html
    assert "§ 87 Abs. 1 Nr. 6 BetrVG" in html
    assert "inform the works council" in html
    assert "works_agreement" not in html


def test_the_record_in_german(world: dict[str, Any]) -> None:
    client = world["owner"]
    client.cookies["startklar_language"] = "de"
    html = client.get(url(world["tenant"], "council")).content.decode()
    assert "Betriebsrat" in html


def test_without_a_works_council_the_record_says_what_that_means(world: dict[str, Any]) -> None:
    tenant = world["tenant"]
    PrivacyFacts.objects.filter(organisation=tenant.organisation).update(works_council=False)
    services.assess_system(tenant, world["system"], "yes", False)
    html = world["owner"].get(url(tenant, "council")).content.decode()
    assert "There is no works council." in html
    assert "AI literacy" in html
    assert "no works council" in html
    assert "consent of the works council needed" not in html


def test_an_owner_assesses_a_system(world: dict[str, Any]) -> None:
    tenant, system = world["tenant"], world["system"]
    target = url(tenant, "council_system", system.pk)
    assert world["owner"].get(target).status_code == 200
    answer = world["owner"].post(target, {"monitoring": "yes", "personnel": "on", "notes": "x"})
    assert answer.status_code == 302
    stored = CouncilSystem.objects.get()
    assert (stored.monitoring, stored.personnel) == ("yes", True)


def test_a_bad_assessment_answers_422_and_saves_nothing(world: dict[str, Any]) -> None:
    tenant, system = world["tenant"], world["system"]
    answer = world["owner"].post(
        url(tenant, "council_system", system.pk), {"monitoring": "perhaps"}
    )
    assert answer.status_code == INVALID
    assert "Select a valid choice" in answer.content.decode()
    assert not CouncilSystem.objects.exists()


def test_an_entry_with_the_checklist_is_added_and_shows_what_is_open(
    world: dict[str, Any],
) -> None:
    tenant = world["tenant"]
    new = url(tenant, "council_event_new")
    form = world["owner"].get(new + f"?system={world['system'].pk}").content.decode()
    assert f'<option value="{world["system"].pk}" selected' in form
    answer = world["owner"].post(new, entry(world))
    assert answer.status_code == 302
    event = CouncilEvent.objects.get()
    assert event.covered == ["zweck", "daten"]
    html = world["owner"].get(answer["Location"]).content.decode()
    assert "8 points that an agreement on AI usually settles are still open." in html
    record = world["owner"].get(url(tenant, "council")).content.decode()
    assert "agreed" in record


@pytest.mark.parametrize(
    ("changes", "field_text"),
    [
        ({"title": ""}, "This field is required."),
        ({"happened_on": "2999-01-01"}, "cannot be in the future"),
        ({"kind": "party"}, "Select a valid choice"),
        ({"covered": ["nonsense"]}, "Select a valid choice"),
        ({"ai_system": "99999999999999999999999"}, "Select a valid choice"),
    ],
)
def test_a_bad_entry_answers_422_with_a_message(
    world: dict[str, Any], changes: dict[str, Any], field_text: str
) -> None:
    answer = world["owner"].post(url(world["tenant"], "council_event_new"), entry(world, **changes))
    assert answer.status_code == INVALID
    assert field_text in answer.content.decode()
    assert not CouncilEvent.objects.exists()


def test_an_entry_is_edited_and_deleted(world: dict[str, Any]) -> None:
    tenant = world["tenant"]
    event = services.create_event(tenant, EventKind.MEETING, yesterday(), "Sitzung")
    edit = url(tenant, "council_event_edit", event.pk)
    assert world["owner"].get(edit).status_code == 200
    bad = world["owner"].post(edit, entry(world, title=""))
    assert bad.status_code == INVALID
    assert world["owner"].post(edit, entry(world, title="Neu")).status_code == 302
    event.refresh_from_db()
    assert event.title == "Neu"
    delete = url(tenant, "council_event_delete", event.pk)
    assert "Neu" in world["owner"].get(delete).content.decode()
    assert world["owner"].post(delete).status_code == 302
    assert not CouncilEvent.objects.exists()


def upload(world: dict[str, Any], event: CouncilEvent, name: str, data: bytes) -> Any:
    return world["owner"].post(
        url(world["tenant"], "council_event", event.pk),
        {"file": SimpleUploadedFile(name, data, content_type="application/octet-stream")},
    )


def test_a_document_is_uploaded_downloaded_and_deleted(world: dict[str, Any]) -> None:
    tenant = world["tenant"]
    event = services.create_event(tenant, EventKind.MEETING, yesterday(), "Sitzung")
    assert upload(world, event, "Protokoll 1.pdf", PDF).status_code == 302
    document = CouncilDocument.objects.get()
    download = world["owner"].get(
        url(tenant, "council_document", event.pk) + f"?document={document.pk}"
    )
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content if download.streaming else [download.content]) == PDF
    # the viewer reads it too, but cannot delete it
    viewer = world["viewer"].get(
        url(tenant, "council_document", event.pk) + f"?document={document.pk}"
    )
    assert viewer.status_code == 200
    delete = url(tenant, "council_document_delete", event.pk) + f"?document={document.pk}"
    assert world["viewer"].post(delete).status_code == 403
    assert world["owner"].get(delete).status_code == 200
    assert world["owner"].post(delete).status_code == 302
    assert not CouncilDocument.objects.exists()


def test_a_document_of_another_entry_is_not_found(world: dict[str, Any]) -> None:
    tenant = world["tenant"]
    event = services.create_event(tenant, EventKind.MEETING, yesterday(), "Sitzung")
    other = services.create_event(tenant, EventKind.MEETING, yesterday(), "Andere")
    document = services.add_document(tenant, other, "a.pdf", PDF)
    for name in ("council_document", "council_document_delete"):
        base = url(tenant, name, event.pk)
        assert world["owner"].get(f"{base}?document={document.pk}").status_code == 404
        assert world["owner"].get(f"{base}?document=abc").status_code == 404
        assert world["owner"].get(base).status_code == 302
    assert (
        world["owner"]
        .post(url(tenant, "council_document_delete", event.pk) + f"?document={document.pk}")
        .status_code
        == 404
    )
    assert CouncilDocument.objects.exists()


def test_a_wrong_file_answers_422_at_the_file_field(world: dict[str, Any]) -> None:
    event = services.create_event(world["tenant"], EventKind.MEETING, yesterday(), "Sitzung")
    answer = upload(world, event, "page.html", b"<script>alert(1)</script>")
    assert answer.status_code == INVALID
    assert "Please upload a PDF" in answer.content.decode()
    assert not CouncilDocument.objects.exists()


@override_settings(STARTKLAR_MAX_UPLOAD_BYTES=1024 * 1024)
def test_a_file_above_the_limit_answers_422(world: dict[str, Any]) -> None:
    event = services.create_event(world["tenant"], EventKind.MEETING, yesterday(), "Sitzung")
    answer = upload(world, event, "big.pdf", b"%PDF-" + b"0" * (2 * 1024 * 1024))
    assert answer.status_code == INVALID
    assert "larger than 1 MB" in answer.content.decode()
    assert not CouncilDocument.objects.exists()


def test_a_viewer_reads_but_changes_nothing(world: dict[str, Any]) -> None:
    tenant, system, viewer = world["tenant"], world["system"], world["viewer"]
    event = services.create_event(tenant, EventKind.MEETING, yesterday(), "Sitzung")
    assert viewer.get(url(tenant, "council")).status_code == 200
    page = viewer.get(url(tenant, "council_system", system.pk))
    assert page.status_code == 200
    assert 'id="assess-form"' not in page.content.decode()
    assert viewer.get(url(tenant, "council_event", event.pk)).status_code == 200
    assert (
        viewer.post(url(tenant, "council_system", system.pk), {"monitoring": "yes"}).status_code
        == 403
    )
    assert viewer.get(url(tenant, "council_event_new")).status_code == 403
    assert viewer.post(url(tenant, "council_event_new"), entry(world)).status_code == 403
    assert viewer.post(url(tenant, "council_event_delete", event.pk)).status_code == 403
    assert upload({**world, "owner": viewer}, event, "a.pdf", PDF).status_code == 403
    assert not CouncilSystem.objects.exists()
    assert CouncilEvent.objects.count() == 1
    assert not CouncilDocument.objects.exists()


def test_another_organisation_sees_nothing(world: dict[str, Any]) -> None:
    outsider_org = make_organisation()
    outsider = client_for(add_member(outsider_org, role=Role.OWNER))
    event = services.create_event(world["tenant"], EventKind.MEETING, yesterday(), "Sitzung")
    tenant = world["tenant"]
    assert outsider.get(url(tenant, "council")).status_code == 404
    own = reverse("people:council_event", args=[outsider_org.slug, event.pk])
    assert outsider.get(own).status_code == 404
    own_system = reverse("people:council_system", args=[outsider_org.slug, world["system"].pk])
    assert outsider.get(own_system).status_code == 404
