"""An organisation's archive: everything out, and back in as a new organisation, equal."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import translation
from openpyxl import load_workbook

from startklar.accounts.models import User
from startklar.organisations import archive, services
from startklar.organisations.models import AuditAction, AuditEvent, Membership, Organisation, Role
from startklar.organisations.tenancy import Tenant
from startklar.testing import add_member, client_for, demo_company, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def source(django_db_setup: None, django_db_blocker: Any) -> Iterator[Organisation]:
    """The demo company, built once for the module (each test still runs in a transaction
    that is rolled back), removed afterwards."""
    with django_db_blocker.unblock():
        yield demo_company()
        call_command("flush", interactive=False, verbosity=0)


def tenant_of(organisation: Organisation, user: User | None = None) -> Tenant:
    who: dict[str, object] = {"user": user} if user else {"role": Role.OWNER}
    membership = Membership.objects.select_related("user", "organisation").get(
        organisation=organisation, **who
    )
    return Tenant(organisation=membership.organisation, membership=membership)


def canonical(data: dict[str, Any]) -> dict[str, Any]:
    """The archive's content without what differs by nature between two organisations:
    ids renumbered in order, people by e-mail, no dates of the export, no log, no members (and
    so no links to a membership: the new organisation has only its importer as member)."""
    people = {p["ref"]: p["email"] for p in data["people"]}
    renumber: dict[str, dict[int, int]] = {
        label: {row["id"]: n for n, row in enumerate(rows)}
        for label, rows in data["objects"].items()
    }
    found = {o.label: o.model for o in archive.owned_models()}
    result: dict[str, list[dict[str, Any]]] = {}
    for label, rows in data["objects"].items():
        model = found[label]
        targets: dict[str, str] = {}
        for f in [*model._meta.concrete_fields, *model._meta.many_to_many]:
            related = f.related_model
            if f.is_relation and isinstance(related, type) and related in found.values():
                targets[f.name] = related._meta.label_lower
            elif f.is_relation and f.related_model is User:
                targets[f.name] = "person"
            elif f.is_relation and f.related_model is Membership:
                targets[f.name] = "membership"
        out = []
        for row in rows:
            fields = {}
            for name, value in row["fields"].items():
                target = targets.get(name)
                if target == "person":
                    value = people.get(value) if value else None
                elif target == "membership":
                    continue
                elif target and isinstance(value, list):
                    value = sorted(renumber[target][v] for v in value)
                elif target and value is not None:
                    value = renumber[target][value]
                fields[name] = value
            out.append(fields)
        result[label] = out
    return {"organisation": {**data["organisation"]}, "objects": result}


def export_data(organisation: Organisation) -> dict[str, Any]:
    content = services.export_archive(tenant_of(organisation))
    with zipfile.ZipFile(io.BytesIO(content)) as zipped:
        return json.loads(zipped.read(archive.MANIFEST))


def test_every_project_model_is_owned_or_deliberately_left_out() -> None:
    """A new model that refers to an organisation's data must travel with it."""
    owned = {o.model for o in archive.owned_models()}
    left_out = {Organisation, *archive.separate_models()}
    for model in apps.get_models():
        if not model.__module__.startswith("startklar.") or model in owned | left_out:
            continue
        for f in model._meta.concrete_fields:
            assert not (f.is_relation and f.related_model in owned), (
                f"{model._meta.label}.{f.name} refers to organisation data but is not archived"
            )
    for model in owned:
        for f in model._meta.concrete_fields:
            if f.is_relation:
                assert f.related_model in owned | {Organisation, User, Membership}, (
                    f"{model._meta.label}.{f.name}: the archive cannot carry this reference"
                )


def test_times_come_back_to_the_microsecond(source: Organisation) -> None:
    """Django's JSON encoder cuts times to milliseconds: "…:10.000400" went out as "…:10.000Z"
    and came back as "…:10", so the copy differed from the original once in a thousand rows."""
    business_case = apps.get_model("businesscase", "BusinessCase")  # organisations knows no feature
    when = datetime(2026, 7, 2, 8, 0, 10, 400, tzinfo=UTC)
    case = business_case.objects.filter(organisation=source).order_by("pk").first()
    assert case is not None
    business_case.objects.filter(pk=case.pk).update(created_at=when)
    imported = services.import_archive(
        make_user("neu@example.com"), io.BytesIO(services.export_archive(tenant_of(source)))
    )
    copies = business_case.objects.filter(organisation=imported.organisation)
    assert copies.get(use_case__title=case.use_case.title).created_at == when


def test_the_demo_company_goes_out_and_comes_back_equal(source: Organisation) -> None:
    original = export_data(source)
    assert original["objects"]["usecases.usecase"], "the demo has use cases"
    importer = make_user("neu@example.com")
    imported = services.import_archive(
        importer, io.BytesIO(services.export_archive(tenant_of(source)))
    )
    new = imported.organisation
    assert new.pk != source.pk
    assert new.slug != source.slug
    assert Membership.objects.get(organisation=new).user == importer
    again = export_data(new)
    assert canonical(again) == canonical(original)
    assert imported.counts["usecases.usecase"] == len(original["objects"]["usecases.usecase"])
    assert {email for _n, email, _r in imported.members} == {
        m.user.email for m in Membership.objects.filter(organisation=source)
    }
    assert AuditEvent.objects.filter(organisation=new, action=AuditAction.IMPORTED).exists()
    assert AuditEvent.objects.filter(organisation=source, action=AuditAction.EXPORTED).exists()


def test_the_archive_holds_the_lists_and_a_readme(source: Organisation) -> None:
    with zipfile.ZipFile(io.BytesIO(services.export_archive(tenant_of(source)))) as zipped:
        names = set(zipped.namelist())
        assert {"organisation.json", "LIESMICH.txt", "lists/use-cases.xlsx"} <= names
        assert "lists/ai-register.xlsx" in names
        book = load_workbook(io.BytesIO(zipped.read("lists/use-cases.xlsx")))
        assert book.active is not None
        assert book.active.max_row > 1
        data = json.loads(zipped.read("organisation.json"))
    assert data["audit_log"], "the log travels for reading"
    assert all("@" in p["email"] for p in data["people"])


def test_people_without_an_account_get_an_inactive_one_that_an_invitation_activates(
    source: Organisation,
) -> None:
    content = services.export_archive(tenant_of(source))
    # Another installation: the same data, but none of its people have accounts here.
    data = json.loads(zipfile.ZipFile(io.BytesIO(content)).read(archive.MANIFEST))
    for person in data["people"]:
        person["email"] = "x-" + person["email"]
    importer = make_user("berater@example.com")
    result = services.import_archive(importer, io.BytesIO(rezip(data)))
    assert result.new_accounts == len(data["people"])
    placeholder = User.objects.get(email=data["people"][0]["email"])
    assert not placeholder.is_active
    assert not placeholder.has_usable_password()
    assert not services.has_account(placeholder.email)

    tenant = tenant_of(result.organisation, importer)
    _invitation, link = services.invite_member(
        tenant, placeholder.email, Role.EDITOR, link_for=lambda token: token
    )
    user, membership = services.create_account_and_accept(link, "Neue Person", "Kolben-Hub-42!")
    assert user.pk == placeholder.pk
    user.refresh_from_db()
    assert user.is_active
    assert user.check_password("Kolben-Hub-42!")
    assert membership.organisation == result.organisation


def rezip(data: dict[str, Any], name: str = archive.MANIFEST) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        zipped.writestr(name, json.dumps(data))
    return buffer.getvalue()


def row_counts() -> dict[str, int]:
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m.__module__.startswith("startklar.")
    }


@pytest.fixture
def good(source: Organisation) -> dict[str, Any]:
    return json.loads(
        zipfile.ZipFile(io.BytesIO(services.export_archive(tenant_of(source)))).read(
            archive.MANIFEST
        )
    )


def broken(good: dict[str, Any], change: str) -> bytes:
    data = json.loads(json.dumps(good))
    use_cases = data["objects"]["usecases.usecase"]
    if change == "newer":
        data["migrations"]["usecases"] = "9999_from_the_future"
    elif change == "version":
        data["version"] = 99
    elif change == "unknown_kind":
        data["objects"]["pilots.pilot"] = []
    elif change == "unknown_field":
        use_cases[0]["fields"]["colour"] = "blue"
    elif change == "dangling":
        data["objects"]["businesscase.businesscase"][0]["fields"]["use_case"] = 10**9
    elif change == "invalid_value":
        use_cases[0]["fields"]["estimated_cost"] = "a lot"
    elif change == "too_long":
        use_cases[-1]["fields"]["status"] = "x" * 5000
    elif change == "profile":
        data["organisation"]["headcount"] = -5
    elif change == "person":
        use_cases[0]["fields"]["created_by"] = "p999"
    elif change == "link":
        systems = data["objects"]["compliance.aisystem"]
        systems[0]["fields"]["use_cases"] = [10**9]
    elif change == "no_use_case":
        data["objects"]["businesscase.businesscase"][0]["fields"]["use_case"] = None
    elif change == "clash":  # one set of privacy facts per organisation, here two
        facts = data["objects"]["compliance.privacyfacts"]
        facts.append({**json.loads(json.dumps(facts[0])), "id": 10**6})
    elif change == "duplicate":
        use_cases.append(json.loads(json.dumps(use_cases[0])))
        use_cases[-1]["fields"]["title"] = "Another title"  # the same id twice
    return rezip(data)


@pytest.mark.parametrize(
    "change",
    [
        "newer",
        "version",
        "unknown_kind",
        "unknown_field",
        "dangling",
        "invalid_value",
        "too_long",
        "profile",
        "person",
        "link",
        "no_use_case",
        "clash",
        "duplicate",
    ],
)
def test_a_broken_archive_is_refused_and_nothing_is_saved(
    good: dict[str, Any], change: str
) -> None:
    importer = make_user("neu@example.com")
    before = row_counts()
    with pytest.raises(archive.ArchiveError) as refused, translation.override("de"):
        services.import_archive(importer, io.BytesIO(broken(good, change)))
    assert refused.value.problems
    assert all(isinstance(p, str) and p for p in refused.value.problems)
    assert row_counts() == before
    if change == "clash":  # the one that clashes is named, not the whole kind
        assert refused.value.problems == [
            "Datenschutzangaben 1000000 passt nicht zum übrigen Archiv."
        ]


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"PK\x03\x04 not really a zip",
        rezip({"format": "something-else"}),
        rezip({"format": "startklar-organisation"}, name="other.json"),
        rezip([1, 2, 3]),  # type: ignore[arg-type]
    ],
)
def test_what_is_no_archive_is_said_to_be_none(content: bytes) -> None:
    with pytest.raises(archive.ArchiveError):
        archive.read(io.BytesIO(content))


def test_a_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr(archive.MANIFEST, b" " * (archive.MAX_MANIFEST_BYTES + 10))
    assert len(buffer.getvalue()) < 1_000_000
    with pytest.raises(archive.ArchiveError, match=r"zu groß|too large"):
        archive.read(io.BytesIO(buffer.getvalue()))


def test_the_pages_export_and_import(source: Organisation) -> None:
    owner = tenant_of(source).membership.user
    client = client_for(owner)
    page = client.get(f"/o/{source.slug}/data/")
    assert page.status_code == 200
    assert b"archive.zip" in page.content
    download = client.get(f"/o/{source.slug}/data/archive.zip")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert "no-store" in download["Cache-Control"]
    content = b"".join(download.streaming_content) if download.streaming else download.content  # type: ignore[attr-defined]

    form = client.get("/o/import/")
    assert form.status_code == 200
    upload = io.BytesIO(content)
    upload.name = "archiv.zip"
    response = client.post("/o/import/", {"file": upload})
    assert response.status_code == 200
    assert Organisation.objects.filter(name=source.name).count() == 2
    assert b"Use Cases" in response.content  # German by default: "Use Cases"

    junk = io.BytesIO(b"not a zip")
    junk.name = "x.zip"
    refused = client.post("/o/import/", {"file": junk})
    assert refused.status_code == 422
    assert Organisation.objects.filter(name=source.name).count() == 2


def test_only_owners_see_the_data_page_and_download_the_archive(source: Organisation) -> None:
    editor = add_member(source, role=Role.EDITOR)
    client = client_for(editor)
    assert client.get(f"/o/{source.slug}/data/").status_code == 403
    assert client.get(f"/o/{source.slug}/data/archive.zip").status_code == 403
