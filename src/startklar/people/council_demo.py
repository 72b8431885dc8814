"""The demo company's works council: its AI systems assessed, a works agreement
(Betriebsvereinbarung) on the website chatbot after information and a meeting, with the signed
agreement as a PDF, and an open consultation on the press brakes' predictive maintenance."""

from __future__ import annotations

from startklar.compliance.models import AISystem
from startklar.core.demo import DemoCompany, days_ago

from . import council_services as services
from .models import EventKind, Monitoring

CHATBOT = "Website-Chatbot"
MAINTENANCE = "Zustandsüberwachung Abkantpressen"
RECRUITING = "Bewerbermanagement mit KI-Vorauswahl"
INVOICES = "Belegerfassung mit KI (Rechnungseingang)"

# The chatbot's agreement settles all but these points of the checklist.
LEFT_OPEN = ("rechte_beschaeftigte", "laufzeit")
ASSESSMENTS = (
    (
        CHATBOT,
        Monitoring.YES,
        False,
        "Das Protokoll zeigt, wer eine vom Chatbot übergebene Anfrage wann und wie schnell "
        "beantwortet hat.",
    ),
    (
        MAINTENANCE,
        Monitoring.YES,
        False,
        "Die Maschinendaten tragen die Anmeldung des Bedieners je Schicht: Stillstände lassen "
        "sich einzelnen Personen zuordnen.",
    ),
    (RECRUITING, Monitoring.NO, True, "Schlägt eine Rangfolge der Bewerbungen vor."),
    (INVOICES, Monitoring.NO, False, "Verarbeitet nur Rechnungen, keine Daten der Beschäftigten."),
)


def _pdf_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def agreement_pdf(lines: tuple[str, ...]) -> bytes:
    """A one-page PDF of ``lines`` (Helvetica, Latin-1): small, valid, made without tools."""
    text = "\n".join(
        f"BT /F1 {14 if i == 0 else 11} Tf 56 {780 - 22 * i} Td ({_pdf_text(line)}) Tj ET"
        for i, line in enumerate(lines)
    ).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(text)).encode() + b" >>\nstream\n" + text + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


AGREEMENT_LINES = (
    "Betriebsvereinbarung Website-Chatbot",
    "zwischen der Geschäftsführung und dem Betriebsrat",
    "1. Zweck: Fragen zu Lieferzeiten und Ersatzteilen beantworten.",
    "2. Keine Leistungs- oder Verhaltenskontrolle aus den Protokollen.",
    "3. Protokolle werden nach 90 Tagen gelöscht.",
    "4. Zugriff: nur Kundenservice-Leitung und IT, protokolliert.",
    "5. Auswertungen nur zusammengefasst, ab fünf Personen.",
    "6. Übergaben an Menschen; Entscheidungen treffen Menschen.",
    "7. Schulung aller Beteiligten vor dem Start.",
    "8. Neue Funktionen werden dem Betriebsrat vorher vorgelegt.",
    "(Demo-Dokument)",
)


def seed(company: DemoCompany) -> None:
    tenant = company.owner
    systems = {s.name: s for s in AISystem.objects.filter(organisation=tenant.organisation)}
    for name, monitoring, personnel, notes in ASSESSMENTS:
        if name in systems:
            services.assess_system(tenant, systems[name], monitoring, personnel, notes)

    services.create_event(
        tenant,
        EventKind.INFORMATION,
        days_ago(130).date(),
        "Unterrichtung über die KI-Pläne des Jahres",
        "Überblick über das KI-Verzeichnis und die geplanten Pilotprojekte in der "
        "Betriebsratssitzung; Unterlagen vorab per E-Mail.",
    )
    chatbot = systems.get(CHATBOT)
    if chatbot is not None:
        services.create_event(
            tenant,
            EventKind.INFORMATION,
            days_ago(100).date(),
            "Unterlagen zum Website-Chatbot übergeben",
            "Leistungsbeschreibung des Anbieters, Datenschutz-Folgenabschätzung, Muster der "
            "Protokolle.",
            chatbot,
        )
        services.create_event(
            tenant,
            EventKind.MEETING,
            days_ago(85).date(),
            "Beratung mit dem Betriebsrat: Protokolle und Übergaben",
            "Der Betriebsrat fragt, wer die Übergabe-Protokolle sieht; Löschfrist 90 Tage "
            "vorgeschlagen.",
            chatbot,
        )
        agreement = services.create_event(
            tenant,
            EventKind.WORKS_AGREEMENT,
            days_ago(62).date(),
            "Betriebsvereinbarung Website-Chatbot",
            "Unterschrieben von Geschäftsführung und Betriebsratsvorsitz.",
            chatbot,
            covered=[
                key
                for key in (
                    "zweck",
                    "keine_leistungskontrolle",
                    "daten",
                    "zugriff",
                    "auswertungen",
                    "menschliche_entscheidung",
                    "schulung",
                    "aenderungen",
                    "rechte_beschaeftigte",
                    "laufzeit",
                )
                if key not in LEFT_OPEN
            ],
        )
        services.add_document(
            tenant,
            agreement,
            "Betriebsvereinbarung Website-Chatbot.pdf",
            agreement_pdf(AGREEMENT_LINES),
        )
    maintenance = systems.get(MAINTENANCE)
    if maintenance is not None:
        services.create_event(
            tenant,
            EventKind.INFORMATION,
            days_ago(30).date(),
            "Pilot vorausschauende Wartung vorgestellt",
            "Welche Maschinendaten erfasst werden und dass die Bediener-Anmeldung mitläuft.",
            maintenance,
        )
        services.create_event(
            tenant,
            EventKind.MEETING,
            days_ago(9).date(),
            "Erste Beratung: Bediener-Anmeldung in den Maschinendaten",
            "Der Betriebsrat möchte die Anmeldung aus den Auswertungen entfernen; die IT "
            "prüft, ob das geht. Nächster Termin in drei Wochen.",
            maintenance,
        )
