"""Every write of the works council's record: assessments of AI systems, log entries with the
checklist of an agreement, documents (type, size and name checked), tenancy, and nothing
half-saved when the input is refused."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.http import Http404
from django.test import override_settings
from django.utils import timezone, translation

from startklar.compliance.models import AISystem
from startklar.organisations.models import AuditEvent, Role
from startklar.organisations.tenancy import Tenant
from startklar.people import council_services as services
from startklar.people.council_demo import agreement_pdf
from startklar.people.council_services import CouncilError
from startklar.people.models import (
    CouncilDocument,
    CouncilEvent,
    CouncilSystem,
    EventKind,
    Monitoring,
)
from startklar.testing import add_member, make_organisation, tenant_of

pytestmark = pytest.mark.django_db
PDF = agreement_pdf(("Betriebsvereinbarung", "Test"))


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def make_tenant() -> Tenant:
    organisation = make_organisation()
    return tenant_of(add_member(organisation, role=Role.OWNER), organisation)


def make_system(tenant: Tenant, name: str = "Website-Chatbot") -> AISystem:
    return AISystem.objects.create(
        organisation=tenant.organisation,
        name=name,
        owner="Jonas Weber",
        purpose="Fragen beantworten",
        capability="chatbot",
        hosting="saas_eu",
    )


@pytest.fixture
def tenant() -> Tenant:
    return make_tenant()


@pytest.fixture
def system(tenant: Tenant) -> AISystem:
    return make_system(tenant)


def yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


# Assessments -------------------------------------------------------------------------------------


def test_an_assessment_is_stored_once_and_changed_in_place(
    tenant: Tenant, system: AISystem
) -> None:
    first = services.assess_system(tenant, system, Monitoring.YES, False, " logs names ")
    assert (first.monitoring, first.personnel, first.notes) == ("yes", False, "logs names")
    again = services.assess_system(tenant, system, Monitoring.NO, True, "")
    assert again.pk == first.pk
    assert CouncilSystem.objects.get().monitoring == Monitoring.NO
    assert CouncilSystem.objects.get().personnel


def test_an_untouched_form_of_an_unassessed_system_stores_nothing(
    tenant: Tenant, system: AISystem
) -> None:
    found = services.assess_system(tenant, system, Monitoring.UNCLEAR, False, "  ")
    assert found.pk is None
    assert not CouncilSystem.objects.exists()
    assert not AuditEvent.objects.exists()


def test_an_unchanged_assessment_writes_no_audit_entry(tenant: Tenant, system: AISystem) -> None:
    services.assess_system(tenant, system, Monitoring.YES, False, "x")
    count = AuditEvent.objects.count()
    services.assess_system(tenant, system, Monitoring.YES, False, "x")
    assert AuditEvent.objects.count() == count


@pytest.mark.parametrize(
    ("monitoring", "notes", "field"),
    [("maybe", "", "monitoring"), ("yes", "x" * 5001, "notes")],
)
def test_a_bad_assessment_names_its_field_and_saves_nothing(
    tenant: Tenant, system: AISystem, monitoring: str, notes: str, field: str
) -> None:
    with pytest.raises(CouncilError) as refused:
        services.assess_system(tenant, system, monitoring, False, notes)
    assert refused.value.field == field
    assert not CouncilSystem.objects.exists()


def test_another_organisations_system_is_refused(tenant: Tenant) -> None:
    foreign = make_system(make_tenant())
    with pytest.raises(Http404):
        services.assess_system(tenant, foreign, Monitoring.YES, False)
    with pytest.raises(Http404):
        services.create_event(tenant, EventKind.MEETING, yesterday(), "Sitzung", "", foreign)
    assert not CouncilSystem.objects.exists()
    assert not CouncilEvent.objects.exists()


# Entries -----------------------------------------------------------------------------------------


def test_an_agreement_keeps_the_checklist_points_in_order_with_the_version(
    tenant: Tenant, system: AISystem
) -> None:
    event = services.create_event(
        tenant,
        EventKind.WORKS_AGREEMENT,
        yesterday(),
        "  Betriebsvereinbarung   Chatbot ",
        "signed",
        system,
        covered=["daten", "zweck", "daten"],
    )
    assert event.title == "Betriebsvereinbarung Chatbot"
    assert event.covered == ["zweck", "daten"]
    assert event.content_version == "2026.1"
    assert AuditEvent.objects.filter(object_type="people.councilevent").count() == 1


def test_an_entry_other_than_an_agreement_covers_nothing(tenant: Tenant) -> None:
    event = services.create_event(
        tenant, EventKind.MEETING, yesterday(), "Sitzung", covered=["zweck"]
    )
    assert event.covered == []
    assert event.content_version == ""
    assert event.ai_system is None


@pytest.mark.parametrize(
    ("kind", "day", "title", "covered", "field"),
    [
        ("party", 1, "Sitzung", [], "kind"),
        ("meeting", -1, "Sitzung", [], "happened_on"),
        ("meeting", 40000, "Sitzung", [], "happened_on"),
        ("meeting", 1, "   ", [], "title"),
        ("meeting", 1, "x" * 201, [], "title"),
        ("works_agreement", 1, "BV", ["zweck", "nonsense"], "covered"),
    ],
)
def test_a_bad_entry_names_its_field_and_saves_nothing(
    tenant: Tenant, kind: str, day: int, title: str, covered: list[str], field: str
) -> None:
    happened = timezone.localdate() - datetime.timedelta(days=day)
    with pytest.raises(CouncilError) as refused:
        services.create_event(tenant, kind, happened, title, covered=covered)
    assert refused.value.field == field
    assert str(refused.value)
    assert not CouncilEvent.objects.exists()
    assert not AuditEvent.objects.filter(object_type="people.councilevent").exists()


def test_an_entry_is_changed_and_an_untouched_one_is_not_recorded(
    tenant: Tenant, system: AISystem
) -> None:
    event = services.create_event(tenant, EventKind.INFORMATION, yesterday(), "Unterlagen")
    count = AuditEvent.objects.count()
    services.update_event(tenant, event, EventKind.INFORMATION, yesterday(), "Unterlagen")
    assert AuditEvent.objects.count() == count
    services.update_event(
        tenant, event, EventKind.REGULATION_AGREEMENT, yesterday(), "Abrede", "", system, ["zweck"]
    )
    event.refresh_from_db()
    assert (event.kind, event.ai_system_id, event.covered) == (
        "regulation_agreement",
        system.pk,
        ["zweck"],
    )
    assert AuditEvent.objects.count() == count + 1


def test_a_refused_change_leaves_the_entry_as_it_was(tenant: Tenant) -> None:
    event = services.create_event(tenant, EventKind.INFORMATION, yesterday(), "Unterlagen")
    with pytest.raises(CouncilError):
        services.update_event(tenant, event, EventKind.MEETING, yesterday(), "")
    event.refresh_from_db()
    assert (event.kind, event.title) == ("information", "Unterlagen")


def test_deleting_an_entry_takes_its_documents(tenant: Tenant) -> None:
    event = services.create_event(tenant, EventKind.INFORMATION, yesterday(), "Unterlagen")
    services.add_document(tenant, event, "a.pdf", PDF)
    services.delete_event(tenant, event)
    assert not CouncilEvent.objects.exists()
    assert not CouncilDocument.objects.exists()


def test_another_organisations_entry_is_refused(tenant: Tenant) -> None:
    other = make_tenant()
    event = services.create_event(other, EventKind.INFORMATION, yesterday(), "Unterlagen")
    with pytest.raises(Http404):
        services.update_event(tenant, event, EventKind.MEETING, yesterday(), "Weg")
    with pytest.raises(Http404):
        services.delete_event(tenant, event)
    with pytest.raises(Http404):
        services.add_document(tenant, event, "a.pdf", PDF)
    event.refresh_from_db()
    assert event.title == "Unterlagen"
    assert not CouncilDocument.objects.exists()


# Documents ---------------------------------------------------------------------------------------


@pytest.fixture
def event(tenant: Tenant) -> CouncilEvent:
    return services.create_event(tenant, EventKind.MEETING, yesterday(), "Sitzung")


def test_a_pdf_is_kept_with_a_clean_name_and_its_type(tenant: Tenant, event: CouncilEvent) -> None:
    document = services.add_document(tenant, event, "C:\\Temp\\..\\BV <final>\x07.PDF", PDF)
    assert document.name == "BV _final_.pdf"
    assert document.content_type == "application/pdf"
    assert document.size == len(PDF)
    assert bytes(CouncilDocument.objects.get().data) == PDF


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("evil.html", b"<script>alert(1)</script>"),
        ("fake.pdf", b"<html>not a pdf</html>"),
        ("image.png", PDF),
        ("empty.pdf", b""),
        ("noending", PDF),
    ],
)
def test_a_file_of_the_wrong_type_is_refused_at_the_file_field(
    tenant: Tenant, event: CouncilEvent, name: str, data: bytes
) -> None:
    with pytest.raises(CouncilError) as refused:
        services.add_document(tenant, event, name, data)
    assert refused.value.field == "file"
    assert not CouncilDocument.objects.exists()


@override_settings(STARTKLAR_MAX_UPLOAD_BYTES=1024 * 1024)
def test_a_file_above_the_limit_is_refused(tenant: Tenant, event: CouncilEvent) -> None:
    with pytest.raises(CouncilError) as refused:
        services.add_document(tenant, event, "big.pdf", b"%PDF-" + b"0" * (1024 * 1024))
    assert refused.value.field == "file"
    assert "1 MB" in str(refused.value)
    assert not CouncilDocument.objects.exists()


def test_an_entry_keeps_at_most_twenty_documents(tenant: Tenant, event: CouncilEvent) -> None:
    for n in range(services.MAX_DOCUMENTS):
        services.add_document(tenant, event, f"{n}.pdf", PDF)
    with pytest.raises(CouncilError):
        services.add_document(tenant, event, "one-more.pdf", PDF)
    assert CouncilDocument.objects.count() == services.MAX_DOCUMENTS


def test_a_document_is_deleted_only_through_its_own_entry(
    tenant: Tenant, event: CouncilEvent
) -> None:
    document = services.add_document(tenant, event, "a.pdf", PDF)
    other = services.create_event(tenant, EventKind.MEETING, yesterday(), "Andere")
    with pytest.raises(CouncilError):
        services.delete_document(tenant, other, document)
    foreign = make_tenant()
    with pytest.raises(Http404):
        services.delete_document(foreign, event, document)
    assert CouncilDocument.objects.exists()
    services.delete_document(tenant, event, document)
    assert not CouncilDocument.objects.exists()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("   ", "dokument"),
        ("a" * 300 + ".pdf", "a" * 196 + ".pdf"),
        ('x";y.pdf', "x_y.pdf"),
        ("Übersicht.docx", "Übersicht.docx"),
    ],
)
def test_names_are_cleaned(given: str, expected: str) -> None:
    assert services.clean_name(given) == expected
