"""Built-in item names become translatable; the stored catalogue note gives way to the badge."""

from django.db import migrations

SEEDED = {
    "introduction": ("Einführung", "Introduction"),
    "introduction_effort": ("Interner Aufwand für die Einführung", "Internal effort for the introduction"),
    "licence": ("Lizenz und Betrieb", "Licence and operation"),
    "time_saved": ("Zeitersparnis", "Time saved"),
}
NOTES = (
    "Startwert aus dem Katalog – durch eigene Zahl ersetzen",
    "Catalogue starting value – replace with your own figure",
)


def label(apps, schema_editor):
    LineItem = apps.get_model("businesscase", "LineItem")
    for key, names in SEEDED.items():
        LineItem.objects.filter(assumption=True, name__in=names, label_key="").update(label_key=key)
    LineItem.objects.filter(note__in=NOTES).update(note="")


class Migration(migrations.Migration):
    dependencies = [("businesscase", "0002_line_item_label")]
    operations = [migrations.RunPython(label, migrations.RunPython.noop)]
