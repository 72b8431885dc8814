"""The demo company's communication plan and staff FAQ: before the spring pulse the plans were
announced at a staff meeting, the FAQ put on the intranet and a contact named (all done); the
works council should have heard the summer pulse's results two days ago (late), the teams hear
them next week, and the training is announced in about six weeks."""

from __future__ import annotations

import datetime

from django.utils import timezone

from startklar.core.demo import DemoCompany, days_ago
from startklar.organisations.tenancy import Tenant

from . import communication_services as services
from .models import Channel, CommunicationKind

# (kind, channel, due in days from today (negative: in the past), done days ago or None,
#  who, what)
STEPS = (
    (
        CommunicationKind.ANNOUNCEMENT,
        Channel.STAFF_MEETING,
        -116,
        116,
        "Alle Mitarbeitenden",
        "Die Geschäftsführung stellt die KI-Pläne vor: Angebote schneller schreiben, "
        "Wartung vorausplanen. Klar gesagt: KI überwacht bei uns keine Leistung und entscheidet "
        "nicht über Personal. Danach die Einladung zum KI-Puls im Frühjahr.",
    ),
    (
        CommunicationKind.FAQ,
        Channel.INTRANET,
        -112,
        111,
        "Alle Mitarbeitenden",
        "Häufige Fragen zu KI mit Antworten im Intranet und als Aushang im Pausenraum; neue "
        "Fragen kommen dazu.",
    ),
    (
        CommunicationKind.CONTACT,
        Channel.NOTICE,
        -112,
        112,
        "Alle Mitarbeitenden",
        "Ansprechperson für KI: die KI-Beauftragte in der Verwaltung. Sprechstunde donnerstags "
        "13–14 Uhr; Fragen auch ohne Namen über den Briefkasten am Pausenraum.",
    ),
    (
        CommunicationKind.RESULTS,
        Channel.PERSONAL,
        -2,
        None,
        "Betriebsrat",
        "Die Ergebnisse des KI-Pulses im Sommer mit dem Betriebsrat besprechen, bevor die Teams "
        "sie hören.",
    ),
    (
        CommunicationKind.RESULTS,
        Channel.TEAM_MEETING,
        6,
        None,
        "Alle Teams (Produktion, Verwaltung, Vertrieb, Lager)",
        "Ergebnisse des KI-Pulses im Sommer vorstellen: Die Sorge um Kontrolle und um "
        "Arbeitsplätze ist seit dem Frühjahr gesunken; Schulungen bleiben gewünscht. Sagen, "
        "was wir daraus machen.",
    ),
    (
        CommunicationKind.TRAINING,
        Channel.TEAM_MEETING,
        40,
        None,
        "Produktion und Vertrieb",
        "Die Schulungen zu den Angebots- und Wartungswerkzeugen ankündigen: kurz, an der Anlage "
        "bzw. am Arbeitsplatz, in der Arbeitszeit.",
    ),
)

FAQ = (
    (
        "Wird KI meine Arbeit überwachen?",
        "Nein. Wir nutzen KI nicht, um Leistung oder Verhalten einzelner Personen auszuwerten. "
        "Was die Systeme aufzeichnen und wer es sehen darf, haben wir mit dem Betriebsrat "
        "schriftlich festgelegt.",
    ),
    (
        "Fällt mein Arbeitsplatz weg?",
        "Nein, das ist nicht das Ziel. KI soll Schreibarbeit und Suchen abnehmen, damit mehr "
        "Zeit für Kunden und Maschinen bleibt. Ändern sich Aufgaben, sagen wir es früh und "
        "planen die neuen Abläufe mit den Betroffenen.",
    ),
    (
        "Wer sieht meine Antworten in der Umfrage?",
        "Niemand sieht einzelne Antworten. Die Umfrage fragt nicht nach dem Namen, und die "
        "Ergebnisse einer Abteilung erscheinen erst ab fünf Antworten.",
    ),
    (
        "Muss ich KI nutzen?",
        "Wer mit einem neuen Werkzeug arbeiten soll, bekommt vorher eine Schulung und Zeit zum "
        "Ausprobieren. Was nicht funktioniert, sagen Sie uns bitte – das hilft allen.",
    ),
    (
        "Wo kann ich Fragen stellen?",
        "Bei Ihrer Führungskraft, bei der KI-Beauftragten in der Verwaltung (Sprechstunde "
        "donnerstags 13–14 Uhr) oder ohne Namen über den Briefkasten am Pausenraum.",
    ),
)


def seed(company: DemoCompany) -> None:
    tenant: Tenant = company.owner
    today = timezone.localdate()
    for kind, channel, due, done, audience, message in STEPS:
        item = services.create_item(
            tenant,
            kind=kind,
            audience=audience,
            message=message,
            channel=channel,
            due_on=today + datetime.timedelta(days=due),
            today=today,
        )
        if done is not None:
            services.set_done(tenant, item, True, days_ago(done).date())
    for question, answer in FAQ:
        services.create_faq(tenant, question, answer)
