"""The demo company's compliance: the AI register (with a shadow tool), classifications with
results, literacy records, the privacy facts and the data protection officer."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from startklar.core.demo import DemoCompany
from startklar.organisations.models import Membership
from startklar.organisations.tenancy import Tenant
from startklar.usecases.models import UseCase

from . import services as compliance
from .models import AISystem, Person, PrivacyFacts, RoleLevel, TrainingRecord

NO_RISK = {
    "role": "deployer",
    "role_switch": "no",
    "art5_manipulation": "no",
    "art5_vulnerability": "no",
    "art5_social_scoring": "no",
    "art5_crime_prediction": "no",
    "art5_face_scraping": "no",
    "art5_emotion_workplace": "no",
    "art5_biometric_sensitive": "no",
    "art5_realtime_rbi": "no",
    "art5_intimate_imagery": "no",
    "annex1_component": "no",
    "annex3_area": "none",
    "art50_interacts": "no",
    "art50_generates": "no",
    "art50_deepfake": "no",
    "art50_public_text": "no",
    "art50_emotion_or_categorisation": "no",
    "gpai_use": "no",
    "gpai_provide": "no",
    "personal_data": "yes",
    "special_categories": "no",
    "vulnerable_subjects": "no",
    "evaluation_scoring": "no",
    "automated_decision": "no",
    "systematic_monitoring": "no",
    "large_scale": "no",
    "combining_datasets": "no",
    "prevents_right": "no",
    "monitors_employees": "no",
    "steers_interaction": "no",
    "biometric_identification": "no",
    "public_service": "no",  # asked only for Annex III systems
}
SYSTEMS: list[tuple[dict[str, Any], dict[str, str] | None, str | None]] = [
    (
        {
            "name": "KI-Chat-Assistent (Team-Lizenz)",
            "owner": "Jonas Weber",
            "purpose": "Texte entwerfen, zusammenfassen, recherchieren",
            "vendor": "US-Anbieter, EU-Rechenzentrum",
            "capability": "chat_assistant",
            "hosting": "saas_eu",
            "data_location": "EU (Irland)",
            "personal_data": "Namen und Texte aus E-Mails",
            "dpia_status": "done",
            "dpa_status": "signed",
        },
        {
            **NO_RISK,
            "art50_interacts": "yes",
            "art50_obvious": "yes",
            "art50_generates": "yes",
            "gpai_use": "yes",
        },
        "vertrieb.angebote-entwerfen",
    ),
    (
        {
            "name": "Belegerfassung mit KI (Rechnungseingang)",
            "owner": "Ömer Kaya",
            "purpose": "Eingangsrechnungen auslesen und zur Freigabe vorbereiten",
            "vendor": "Anbieter der Buchhaltungssoftware",
            "capability": "documents",
            "hosting": "saas_eu",
            "data_location": "Deutschland",
            "personal_data": "Namen und Kontaktdaten von Ansprechpartnern der Lieferanten",
            "dpia_status": "done",
            "dpa_status": "signed",
        },
        NO_RISK,
        "administration.eingangsrechnungen",
    ),
    (
        {
            "name": "Chat-Assistent im Vertrieb (Einzelkonten)",
            "owner": "Sabine Roth",
            "purpose": "Angebotstexte",
            "vendor": "anderer Anbieter",
            "capability": "chat_assistant",
            "hosting": "saas_non_eu",
            "data_location": "USA",
            "personal_data": "Kundennamen",
            "dpia_status": "open",
            "dpa_status": "missing",
        },
        None,
        None,
    ),
    (
        {
            "name": "Bewerbermanagement mit KI-Vorauswahl",
            "owner": "Martina Keller",
            "purpose": "Bewerbungen vorsortieren und Rangfolge vorschlagen",
            "vendor": "HR-Software-Anbieter",
            "capability": "recruiting",
            "hosting": "embedded",
            "data_location": "Deutschland",
            "personal_data": "Bewerbungsunterlagen",
            "status": "planned",
            "dpia_status": "in_progress",
            "dpa_status": "requested",
        },
        {
            **NO_RISK,
            "annex3_area": "beschaeftigung",
            "annex3_4": "a",
            "derog_profiling": "yes",
            "vulnerable_subjects": "yes",
            "evaluation_scoring": "yes",
        },
        "administration.bewerbungen-vorauswahl",
    ),
    (
        {
            "name": "Zustandsüberwachung Abkantpressen",
            "owner": "Sabine Roth",
            "purpose": "Ausfälle vorhersagen",
            "vendor": "Partner (Ingenieurbüro)",
            "capability": "maintenance",
            "hosting": "own_cloud",
            "data_location": "Deutschland",
            "personal_data": "",
            "dpia_status": "not_needed",
            "dpa_status": "not_needed",
        },
        {**NO_RISK, "personal_data": "no"},
        "produktion.vorausschauende-wartung",
    ),
    (
        {
            "name": "Website-Chatbot",
            "owner": "Jonas Weber",
            "purpose": "Fragen zu Lieferzeiten und Ersatzteilen",
            "vendor": "Chatbot-Plattform",
            "capability": "chatbot",
            "hosting": "saas_eu",
            "data_location": "EU",
            "personal_data": "Name, E-Mail, Anfrage",
            "dpia_status": "done",
            "dpa_status": "signed",
        },
        {
            **NO_RISK,
            "art50_interacts": "yes",
            "art50_obvious": "no",
            "art50_generates": "yes",
            "gpai_use": "yes",
            "steers_interaction": "yes",
        },
        "kundenservice.anfragen-vorsortieren",
    ),
]
PEOPLE = [
    ("Martina Keller", RoleLevel.MANAGEMENT, "Geschäftsführung", [0], True),
    ("Jonas Weber", RoleLevel.CHAMPION, "IT", [0, 5], True),
    ("Sabine Roth", RoleLevel.DEPARTMENT_HEAD, "Produktion", [2, 4], True),
    ("Leyla Yilmaz", RoleLevel.DEPARTMENT_HEAD, "Datenschutz", [0], False),
    ("Tim Becker", RoleLevel.USER, "Fertigung", [4], False),
    ("Petra Lange", RoleLevel.USER, "Vertrieb", [0, 2], True),
    ("Ömer Kaya", RoleLevel.USER, "Buchhaltung", [0, 1], False),
]


def seed(company: DemoCompany) -> None:
    tenant: Tenant = company.owner
    organisation = tenant.organisation
    use_cases = {uc.catalogue_id: uc for uc in UseCase.objects.filter(organisation=organisation)}
    systems = []
    today = timezone.localdate()
    for fields, answers, catalogue_id in SYSTEMS:
        # The shadow tool without a data-processing agreement is overdue for its review.
        overdue = fields.get("dpa_status") == "missing"
        review = today - timedelta(days=14) if overdue else today + timedelta(days=180)
        system = compliance.save_system(
            tenant,
            AISystem(**fields, next_review=review),
            [use_cases[catalogue_id]] if catalogue_id else [],
        )
        systems.append(system)
        if answers is not None:
            compliance.import_answers(tenant, compliance.start(tenant, system), answers)
            if catalogue_id:
                use_case = use_cases[catalogue_id]
                compliance.import_answers(tenant, compliance.start(tenant, use_case), answers)
    members = {m.user.full_name: m for m in Membership.objects.filter(organisation=organisation)}
    for name, level, department, used, trained in PEOPLE:
        person = compliance.save_person(
            tenant,
            Person(name=name, role_level=level, department=department, member=members.get(name)),
            [systems[i] for i in used],
        )
        if trained:
            compliance.record_training(
                tenant,
                TrainingRecord(
                    person=person,
                    measure="KI-Grundlagen (halber Tag, intern)",
                    date=today - timedelta(days=60),
                    evidence=f"Teilnehmerliste {today - timedelta(days=60):%m/%Y}",
                ),
            )
            compliance.record_training(
                tenant,
                TrainingRecord(
                    person=person,
                    measure="Einweisung Chat-Assistent und Nutzungsregeln",
                    date=today - timedelta(days=45),
                    evidence="Quiz bestanden",
                    ai_system=systems[0],
                ),
            )
    compliance.save_privacy_facts(tenant, PrivacyFacts(people_processing=28, works_council=True))
    compliance.save_dpo(
        tenant,
        PrivacyFacts(
            dpo_name="Leyla Yilmaz",
            dpo_kind="internal",
            dpo_email="l.yilmaz@startklar.example",
            dpo_phone="+49 711 555-0142",
            dpo_appointed=today.replace(year=today.year - 2, month=4, day=1),
        ),
    )
