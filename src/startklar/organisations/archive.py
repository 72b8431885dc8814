"""An organisation's data as one archive, and back (GDPR Art. 20; consultancy → client).

The archive is a ZIP file with

* ``organisation.json``: the profile, the people it mentions (name and e-mail), the members
  with their roles, every object the organisation owns, and the audit log (for reading only);
* ``lists/…xlsx``: the lists that modules export for people (use cases, AI register);
* ``LIESMICH.txt``: what the archive is and how to import it.

Which objects an organisation owns is found from the models themselves, so a feature added
later is in the archive without changes here: a model with an ``organisation`` foreign key is
owned; a model with a required foreign key to an owned model is owned through it (a business
case's line items, a round's answers). References between objects use the archive's own ids;
references to people use the ``people`` entries, matched by e-mail address on import.

Importing creates a *new* organisation with the importing person as its owner, in one
transaction: an archive that does not fit (unknown format, a newer Startklar, broken references,
invalid values) is refused with messages and nothing is saved. People of the archive who have no
account in this installation get an inactive account without password, so their answers and
votes keep their author; they can be invited (the invitation activates the account). Memberships
and the audit log are not taken over: the importer decides whom to invite, and a log is only
trustworthy where it was written; API tokens are neither exported nor taken over. So links
to a membership (a literacy record's member account) are kept only for the importer.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, time
from graphlib import CycleError, TopologicalSorter
from typing import Any, BinaryIO

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.encoding import is_protected_type
from django.utils.translation import gettext as _

from startklar.accounts.models import User
from startklar.core.features import each
from startklar.core.modules import built_modules

from . import audit
from .models import ApiToken, AuditAction, AuditEvent, Invitation, Membership, Organisation, Role
from .tenancy import Tenant

FORMAT = "startklar-organisation"
VERSION = 1
MANIFEST = "organisation.json"
PROJECT = "startklar."
# Models an organisation has that the archive treats on their own, or not at all.
# API tokens stay where they were made: an archive carries no credentials (not even hashes).
SEPARATE = (Membership, Invitation, AuditEvent, ApiToken)
ORGANISATION_FIELDS = (
    "name",
    "industry",
    "headcount",
    "annual_turnover",
    "balance_sheet_total",
    "require_two_factor",
)
MAX_ARCHIVE_BYTES = 20 * 1024 * 1024  # the uploaded ZIP
MAX_MANIFEST_BYTES = 100 * 1024 * 1024  # organisation.json unpacked
MAX_OBJECTS = 200_000


class ArchiveError(Exception):
    """The archive cannot be imported; ``problems`` say why, for the person importing it."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


# Which models an organisation owns ----------------------------------------------------------


@dataclass(frozen=True)
class Owned:
    model: type[models.Model]
    path: str  # the lookup from the model to its organisation, e.g. "item__business_case__…"

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


def separate_models() -> set[type[models.Model]]:
    """The models the archive leaves out: ``SEPARATE`` and those of features that say
    ``in_archive = False`` (secrets such as a calendar's address stay where they were made)."""
    return {
        *SEPARATE,
        *(m for m in apps.get_models() if getattr(m, "in_archive", True) is False),
    }


def _project_models() -> list[type[models.Model]]:
    left_out = separate_models()
    return [
        m
        for m in apps.get_models()
        if m.__module__.startswith(PROJECT) and m is not Organisation and m not in left_out
    ]


def _organisation_field(model: type[models.Model]) -> models.Field[Any, Any] | None:
    for f in model._meta.concrete_fields:
        if f.name == "organisation" and f.is_relation and f.related_model is Organisation:
            return f
    return None


def owned_models() -> list[Owned]:
    """Every model an organisation owns, parents before the models that refer to them."""
    paths: dict[type[models.Model], str] = {}
    candidates = _project_models()
    for model in candidates:
        if _organisation_field(model) is not None:
            paths[model] = "organisation"
    changed = True
    while changed:
        changed = False
        for model in candidates:
            if model in paths:
                continue
            for f in model._meta.concrete_fields:
                target = f.related_model if f.is_relation else None
                if f.many_to_one and not f.null and target in paths:
                    paths[model] = f"{f.name}__{paths[target]}"  # type: ignore[index]
                    changed = True
                    break
    graph: dict[type[models.Model], set[type[models.Model]]] = {}
    for model in paths:
        graph[model] = {
            f.related_model  # type: ignore[misc]
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model in paths and f.related_model is not model
        }
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as error:  # pragma: no cover - a modelling error, found by the tests
        raise RuntimeError(f"owned models refer to each other in a circle: {error}") from error
    return [Owned(model, paths[model]) for model in order]


def _concrete(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def _many(model: type[models.Model]) -> list[models.ManyToManyField[Any, Any]]:
    return [f for f in model._meta.many_to_many if isinstance(f, models.ManyToManyField)]


# Export ------------------------------------------------------------------------------------


class _People:
    """The people an archive mentions, each once, by a reference like ``p3``."""

    def __init__(self) -> None:
        self.refs: dict[int, str] = {}
        self.entries: list[dict[str, str]] = []

    def ref(self, user_id: int | None) -> str | None:
        if user_id is None:
            return None
        if user_id not in self.refs:
            self.refs[user_id] = f"p{len(self.refs) + 1}"
        return self.refs[user_id]

    def resolve(self) -> list[dict[str, str]]:
        users = User.objects.in_bulk(list(self.refs))
        return [
            {"ref": ref, "email": users[uid].email, "name": users[uid].full_name}
            for uid, ref in self.refs.items()
            if uid in users
        ]


def _plain(f: models.Field[Any, Any], obj: models.Model) -> Any:
    value = f.value_from_object(obj)
    if value is None or is_protected_type(value) or isinstance(value, (dict, list, bool)):
        return value
    return f.value_to_string(obj)


def _row(
    obj: models.Model,
    owned: set[type[models.Model]],
    people: _People,
    memberships: Mapping[int, int],
    links: Mapping[str, Mapping[int, list[int]]],
) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for f in _concrete(type(obj)):
        if f.is_relation:
            target = f.related_model
            raw = getattr(obj, f.attname)
            if target is Organisation:
                continue
            if target is User:
                fields[f.name] = people.ref(raw)
            elif target is Membership:
                fields[f.name] = people.ref(memberships.get(raw)) if raw is not None else None
            elif target in owned:
                fields[f.name] = raw
            else:  # pragma: no cover - guarded by the tests of owned_models()
                raise RuntimeError(f"{obj._meta.label}.{f.name} refers to {target}")
        else:
            fields[f.name] = _plain(f, obj)
    for m2m in _many(type(obj)):
        fields[m2m.name] = links[m2m.name].get(obj.pk, [])
    return {"id": obj.pk, "fields": fields}


def _links(model: type[models.Model], ids: Iterable[int]) -> dict[str, dict[int, list[int]]]:
    """Every many-to-many field's links of ``ids``, read once per field."""
    found: dict[str, dict[int, list[int]]] = {}
    id_list = list(ids)
    for m2m in _many(model):
        through = m2m.remote_field.through
        assert isinstance(through, type)
        source = m2m.m2m_field_name()
        target = m2m.m2m_reverse_field_name()
        by_source: dict[int, list[int]] = {}
        rows = through._default_manager.filter(**{f"{source}__in": id_list}).order_by(
            f"{target}_id"
        )
        for src, dst in rows.values_list(f"{source}_id", f"{target}_id"):
            by_source.setdefault(src, []).append(dst)
        found[m2m.name] = by_source
    return found


def _latest_migrations() -> dict[str, str]:
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    return {
        app: name
        for app, name in sorted(graph.leaf_nodes())
        if apps.get_app_config(app).name.startswith(PROJECT)
    }


def manifest(organisation: Organisation) -> dict[str, Any]:
    """Everything ``organisation`` owns as one JSON-ready dict (see the module text)."""
    people = _People()
    member_rows = list(
        Membership.objects.filter(organisation=organisation)
        .order_by("pk")
        .values_list("pk", "user_id", "role", "created_at")
    )
    memberships = {pk: user_id for pk, user_id, _role, _at in member_rows}
    members = [
        {"person": people.ref(user_id), "role": role, "since": at.isoformat()}
        for _pk, user_id, role, at in member_rows
    ]
    found = owned_models()
    owned_set = {o.model for o in found}
    objects: dict[str, list[dict[str, Any]]] = {}
    for owned in found:
        rows = list(
            owned.model._default_manager.filter(**{owned.path: organisation}).order_by("pk")
        )
        links = _links(owned.model, (r.pk for r in rows))
        objects[owned.label] = [_row(r, owned_set, people, memberships, links) for r in rows]
    log = [
        {
            "at": event.at.isoformat(),
            "actor": event.actor_name,
            "action": event.action,
            "object_type": event.object_type,
            "object": event.object_label,
            "summary": event.summary,
        }
        for event in AuditEvent.objects.filter(organisation=organisation).order_by("at", "pk")
    ]
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "migrations": _latest_migrations(),
        "organisation": {
            name: _plain(Organisation._meta.get_field(name), organisation)  # type: ignore[arg-type]
            for name in ORGANISATION_FIELDS
        },
        "people": people.resolve(),
        "members": members,
        "objects": objects,
        "audit_log": log,
    }


README = """Startklar – Datenexport einer Organisation / organisation data export

organisation.json   Alle Daten der Organisation (maschinenlesbar, Format {format} {version}).
                    All data of the organisation (machine-readable).
lists/              Listen zum Lesen in Excel. / Lists to read in Excel.

Import in eine andere Startklar-Installation: Neue Organisation → „Aus einem Archiv übernehmen“.
Import into another Startklar installation: New organisation → "Take over from an archive".

Das Archiv enthält personenbezogene Daten; bitte geschützt aufbewahren.
The archive contains personal data; please keep it protected.
"""


class _Encoder(DjangoJSONEncoder):
    """Django's JSON encoder, but times keep their microseconds: Django's cuts them to
    milliseconds, so a time taken back from an archive would differ from the one exported."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime | time):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        return super().default(o)


def build(tenant: Tenant) -> bytes:
    """The archive of ``tenant``'s organisation as ZIP bytes."""
    data = manifest(tenant.organisation)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            MANIFEST,
            json.dumps(data, cls=_Encoder, ensure_ascii=False, indent=1),
        )
        archive.writestr("LIESMICH.txt", README.format(format=FORMAT, version=VERSION))
        for module in built_modules():
            if module.exports is None:
                continue
            for filename, content in module.exports(tenant):
                archive.writestr(f"lists/{filename}", content)
    return buffer.getvalue()


# Import ------------------------------------------------------------------------------------


def read(file: BinaryIO) -> dict[str, Any]:
    """The manifest of an uploaded archive, checked for size and shape (not yet content)."""
    content = file.read(MAX_ARCHIVE_BYTES + 1)
    if len(content) > MAX_ARCHIVE_BYTES:
        raise ArchiveError(
            [_("The archive is larger than %(mb)d MB.") % {"mb": MAX_ARCHIVE_BYTES // 2**20}]
        )
    not_archive = ArchiveError(
        [_("This is not a Startklar archive (a ZIP file with organisation.json).")]
    )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            info = archive.getinfo(MANIFEST)
            if info.file_size > MAX_MANIFEST_BYTES:
                raise ArchiveError([_("The archive's organisation.json is too large.")])
            with archive.open(info) as handle:
                raw = handle.read(MAX_MANIFEST_BYTES + 1)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError) as error:
        raise not_archive from error
    if len(raw) > MAX_MANIFEST_BYTES:
        raise ArchiveError([_("The archive's organisation.json is too large.")])
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise ArchiveError([_("The archive's organisation.json is not valid JSON.")]) from error
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise not_archive
    if data.get("version") != VERSION:
        raise ArchiveError(
            [
                _(
                    "This archive has format version %(found)s; this Startklar reads "
                    "version %(ours)d."
                )
                % {"found": data.get("version"), "ours": VERSION}
            ]
        )
    return data


@dataclass
class ImportResult:
    organisation: Organisation
    counts: dict[str, int] = field(default_factory=dict)  # model label → objects taken over
    members: list[tuple[str, str, str]] = field(default_factory=list)  # name, e-mail, role
    new_accounts: int = 0

    @property
    def listed(self) -> list[tuple[str, int]]:
        """(kind, number) in the reader's language, for the page; kinds without objects left
        out."""
        return [(_plural(label, count), count) for label, count in self.counts.items() if count]


def _plural(label: str, count: int) -> str:
    meta = apps.get_model(label)._meta
    return str(meta.verbose_name if count == 1 else meta.verbose_name_plural)


class _Check:
    """Collects problems while an archive is read, so the person sees them all at once."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, message: str) -> None:
        if len(self.problems) < 20:
            self.problems.append(message)

    def raise_if_any(self) -> None:
        if self.problems:
            raise ArchiveError(self.problems)


def _check_versions(data: Mapping[str, Any], check: _Check) -> None:
    found = data.get("migrations")
    if not isinstance(found, dict):
        check.fail(_("The archive does not say which Startklar version made it."))
        return
    known = set(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)
    newer = sorted(app for app, name in found.items() if (app, name) not in known)
    if newer:
        check.fail(
            _(
                "The archive was made by a newer Startklar (%(apps)s). Update this installation "
                "first, then import again."
            )
            % {"apps": ", ".join(str(a) for a in newer)}
        )


def _people(data: Mapping[str, Any], check: _Check) -> dict[str, dict[str, str]]:
    people: dict[str, dict[str, str]] = {}
    entries = data.get("people")
    if not isinstance(entries, list):
        check.fail(_("The archive lists no people."))
        return people
    for entry in entries:
        ok = isinstance(entry, dict) and all(
            isinstance(entry.get(k), str) for k in ("ref", "email", "name")
        )
        if not ok or "@" not in entry["email"] or len(entry["email"]) > 254:
            check.fail(_("A person in the archive has no valid e-mail address."))
            continue
        people[entry["ref"]] = {"email": entry["email"].strip().lower(), "name": entry["name"]}
    return people


def _value(f: models.Field[Any, Any], raw: Any, where: str, check: _Check) -> Any:
    try:
        value = f.to_python(raw)
        if isinstance(f, models.CharField) and isinstance(value, str):
            value = value[: f.max_length] if f.max_length else value
        return value
    except (ValidationError, TypeError, ValueError, ArithmeticError):
        check.fail(
            _("%(where)s: the value of “%(field)s” is not valid.")
            % {
                "where": where,
                "field": f.verbose_name,
            }
        )
        return None


@transaction.atomic
def import_archive(
    data: Mapping[str, Any],
    importer: User,
    create: Callable[[User, dict[str, Any]], Organisation],
) -> ImportResult:
    """A new organisation from ``data`` (a checked manifest), owned by ``importer``.

    ``create`` makes the organisation (the service that also applies the per-person limits).
    Raises :class:`ArchiveError` with every problem found; then nothing is saved.
    """
    check = _Check()
    _check_versions(data, check)
    people = _people(data, check)
    profile_in = data.get("organisation")
    objects_in = data.get("objects")
    if not isinstance(profile_in, dict) or not isinstance(objects_in, dict):
        check.fail(_("The archive has no organisation profile or no objects."))
    check.raise_if_any()
    assert isinstance(profile_in, dict)
    assert isinstance(objects_in, dict)

    profile: dict[str, Any] = {}
    for name in ORGANISATION_FIELDS:
        f = Organisation._meta.get_field(name)
        profile[name] = _value(f, profile_in.get(name), _("Profile"), check)  # type: ignore[arg-type]
    found = owned_models()
    by_label = {o.label: o for o in found}
    unknown = sorted(set(objects_in) - set(by_label))
    if unknown:
        check.fail(
            _("The archive holds unknown kinds of data: %(kinds)s")
            % {"kinds": ", ".join(str(u) for u in unknown[:5])}
        )
    total = sum(len(v) for v in objects_in.values() if isinstance(v, list))
    if total > MAX_OBJECTS:
        check.fail(_("The archive holds more than %(count)d objects.") % {"count": MAX_OBJECTS})
    check.raise_if_any()

    organisation = create(importer, profile)
    result = ImportResult(organisation)
    accounts = _accounts(people, importer, result)
    result.counts = _load(objects_in, found, organisation, accounts, check)
    check.raise_if_any()
    _restore_results(organisation)
    result.members = _archived_members(data, people)
    audit.record_for(
        organisation,
        importer,
        AuditAction.IMPORTED,
        organisation,
        summary=lambda: (
            _("Taken over from an archive exported on %(date)s")
            % {"date": str(data.get("exported_at", ""))[:10]}
        ),
    )
    return result


def _load(
    objects_in: Mapping[str, Any],
    found: list[Owned],
    organisation: Organisation,
    accounts: Mapping[str, int],
    check: _Check,
    *,
    skip_conflicts: bool = False,
) -> dict[str, int]:
    """Insert the archive's objects into ``organisation``, parents first, links last; returns
    how many of each kind. With ``skip_conflicts`` an object that clashes with one already
    there (one per organisation, e.g. the privacy facts) is left out instead of failing."""
    member_of = {m.user_id: m for m in Membership.objects.filter(organisation=organisation)}
    ids: dict[type[models.Model], dict[Any, int]] = {}
    counts: dict[str, int] = {}
    pending_links: list[tuple[models.Model, str, list[int], type[models.Model]]] = []
    stamps: dict[type[models.Model], list[tuple[models.Model, dict[str, Any]]]] = {}
    for owned in found:
        rows = objects_in.get(owned.label, [])
        if not isinstance(rows, list):
            check.fail(
                _("The archive's list of %(kind)s is broken.")
                % {"kind": owned.model._meta.verbose_name_plural}
            )
            continue
        ids[owned.model] = {}
        built: list[tuple[Any, models.Model]] = []
        seen: set[Any] = set()
        for row in rows:
            obj = _build(owned, row, organisation, ids, accounts, member_of, check)
            if obj is None:
                continue
            if row["id"] in seen:
                check.fail(
                    _("%(kind)s %(id)s appears twice in the archive.")
                    % {
                        "kind": owned.model._meta.verbose_name,
                        "id": row["id"],
                    }
                )
                continue
            seen.add(row["id"])
            built.append((row, obj))
        automatic = [
            f
            for f in _concrete(owned.model)
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]
        # The archive's dates (save() sets "now"), read before the objects are saved.
        dates = [{f.name: getattr(obj, f.attname) for f in automatic} for _row, obj in built]
        saved = _insert(owned.model, built, check, skip_conflicts)
        for (row, obj), archived, ok in zip(built, dates, saved, strict=True):
            if not ok:
                continue
            ids[owned.model][row["id"]] = obj.pk
            if any(v is not None for v in archived.values()):
                stamps.setdefault(owned.model, []).append((obj, archived))
            for m2m in _many(owned.model):
                targets = row["fields"].get(m2m.name, [])
                pending_links.append((obj, m2m.name, targets, m2m.related_model))  # type: ignore[arg-type]
        counts[owned.label] = len(ids[owned.model])
    for obj, name, targets, target_model in pending_links:
        if not isinstance(targets, list) or any(
            t not in ids.get(target_model, {}) for t in targets
        ):
            if not skip_conflicts:
                check.fail(
                    _("A link of %(kind)s points to nothing in the archive.")
                    % {"kind": type(obj)._meta.verbose_name}
                )
            continue
        getattr(obj, name).set([ids[target_model][t] for t in targets])
    for model, pairs in stamps.items():
        _keep_dates(model, pairs)
    return counts


def _keep_dates(
    model: type[models.Model], pairs: list[tuple[models.Model, dict[str, Any]]]
) -> None:
    """Give the saved objects their archive's dates back (saving set them to "now"): one
    statement run for every object, where ``bulk_update`` would build a CASE per row."""
    fields = [f for f in _concrete(model) if f.name in pairs[0][1]]
    for obj, values in pairs:
        for f in fields:
            if values[f.name] is not None:  # a date missing from the archive stays "now"
                setattr(obj, f.attname, values[f.name])
    quote = connection.ops.quote_name
    table, key = quote(model._meta.db_table), quote(model._meta.pk.column)
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    rows = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] + [obj.pk]
        for obj, _values in pairs
    ]
    with connection.cursor() as cursor:
        # Names quoted by the database's own rule, values as parameters.
        cursor.executemany(f"UPDATE {table} SET {assignments} WHERE {key} = %s", rows)  # noqa: S608


def _insert(
    model: type[models.Model],
    built: list[tuple[Any, models.Model]],
    check: _Check,
    skip_conflicts: bool,
) -> list[bool]:
    """Save the objects built from the archive's rows, saying for each whether it was saved:
    all in one statement where the database gives their new ids back and none clashes, else
    one by one, so that each that does not fit is named (or, with ``skip_conflicts``, left
    out)."""
    objs = [obj for _row, obj in built]
    if objs and connection.features.can_return_rows_from_bulk_insert:
        try:
            with transaction.atomic():
                model._base_manager.bulk_create(objs)
        except (IntegrityError, ValidationError, ValueError, TypeError, ArithmeticError):
            for obj in objs:  # unsaved again, for the one-by-one attempt
                obj.pk = None
                obj._state.adding = True
        else:
            return [True] * len(objs)
    saved = []
    for row, obj in built:
        try:
            with transaction.atomic():
                obj.save(force_insert=True)
        except (IntegrityError, ValidationError, ValueError, TypeError, ArithmeticError):
            if not skip_conflicts:
                check.fail(
                    _("%(kind)s %(id)s does not fit the rest of the archive.")
                    % {"kind": model._meta.verbose_name, "id": row["id"]}
                )
            saved.append(False)
            continue
        saved.append(True)
    return saved


def _restore_results(organisation: Organisation) -> None:
    """The features' stored results of what was just loaded: worked out, not trusted."""
    for _feature, restore in each("imported"):
        restore(organisation)


@transaction.atomic
def copy_into(organisation: Organisation, times: int) -> None:
    """Add ``times`` copies of everything ``organisation`` owns to it (its people stay the
    same). For measuring pages at ten times the data, not for people: titles repeat."""
    data = manifest(organisation)
    people = {p["ref"]: p for p in data["people"]}
    owner = Membership.objects.filter(organisation=organisation).select_related("user").first()
    assert owner is not None
    check = _Check()
    accounts = _accounts(people, owner.user, ImportResult(organisation))
    for _copy in range(times):
        _load(
            data["objects"],
            owned_models(),
            organisation,
            accounts,
            check,
            skip_conflicts=True,
        )
    check.raise_if_any()
    _restore_results(organisation)


def _accounts(
    people: Mapping[str, Mapping[str, str]], importer: User, result: ImportResult
) -> dict[str, int]:
    """Each person of the archive as an account here: found by e-mail address, or a new
    inactive one without password (activated when the person accepts an invitation)."""
    accounts: dict[str, int] = {}
    existing = {
        u.email.lower(): u.pk
        for u in User.objects.filter(email__in=[p["email"] for p in people.values()])
    }
    for ref, person in people.items():
        email = person["email"]
        if email == importer.email.lower():
            accounts[ref] = importer.pk
        elif email in existing:
            accounts[ref] = existing[email]
        else:
            user = User(email=email, full_name=person["name"][:150], is_active=False)
            user.set_unusable_password()
            user.save()
            existing[email] = accounts[ref] = user.pk
            result.new_accounts += 1
    return accounts


def _build(
    owned: Owned,
    row: Any,
    organisation: Organisation,
    ids: Mapping[type[models.Model], Mapping[Any, int]],
    accounts: Mapping[str, int],
    member_of: Mapping[int, Membership],
    check: _Check,
) -> models.Model | None:
    model = owned.model
    kind = str(model._meta.verbose_name)
    if not isinstance(row, dict) or not isinstance(row.get("fields"), dict) or "id" not in row:
        check.fail(_("An entry of %(kind)s is broken.") % {"kind": kind})
        return None
    where = f"{kind} {row['id']}"
    values: dict[str, Any] = row["fields"]
    known = {f.name for f in _concrete(model)} | {m.name for m in _many(model)}
    extra = sorted(set(values) - known)
    if extra:
        check.fail(
            _("%(where)s: unknown fields %(fields)s.")
            % {
                "where": where,
                "fields": ", ".join(extra[:5]),
            }
        )
        return None
    obj = model()
    links = []  # links mapped to an object of this organisation or a person
    for f in _concrete(model):
        target = f.related_model if f.is_relation else None
        if target is Organisation:
            setattr(obj, f.attname, organisation.pk)
            links.append(f.name)
            continue
        if f.name not in values:
            continue  # an older archive: the field's default
        raw = values[f.name]
        if target is None:
            setattr(obj, f.attname, _value(f, raw, where, check))
        elif raw is None:
            setattr(obj, f.attname, None)
        elif target is User:
            if raw not in accounts:
                check.fail(
                    _("%(where)s refers to a person the archive does not list.") % {"where": where}
                )
                return None
            setattr(obj, f.attname, accounts[raw])
            links.append(f.name)
        elif target is Membership:
            membership = member_of.get(accounts.get(raw, 0))
            setattr(obj, f.attname, membership.pk if membership else None)
            links.append(f.name)
        else:
            mapped = ids.get(target, {}).get(raw) if isinstance(target, type) else None
            if mapped is None:
                check.fail(
                    _("%(where)s refers to something the archive does not hold.") % {"where": where}
                )
                return None
            setattr(obj, f.attname, mapped)
            links.append(f.name)
    try:
        # Mapped links are not looked up one by one: each points to an object of this
        # organisation or a person, and the database refuses what still does not fit.
        obj.full_clean(exclude=links, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            label = name
            if name in known:
                label = str(getattr(model._meta.get_field(name), "verbose_name", name))
            check.fail(f"{where}, {label}: {' '.join(messages)}")
        return None
    return obj


def _archived_members(
    data: Mapping[str, Any], people: Mapping[str, Mapping[str, str]]
) -> list[tuple[str, str, str]]:
    found = []
    for entry in data.get("members", []) if isinstance(data.get("members"), list) else []:
        if not isinstance(entry, dict) or entry.get("person") not in people:
            continue
        person = people[entry["person"]]
        role = entry.get("role") if entry.get("role") in Role.values else Role.VIEWER
        found.append((person["name"], person["email"], str(role)))
    return found


def exported_at(data: Mapping[str, Any]) -> datetime | None:
    try:
        return datetime.fromisoformat(str(data.get("exported_at")))
    except ValueError:
        return None
