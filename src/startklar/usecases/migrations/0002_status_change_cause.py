"""Status changes the application made by itself name their cause instead of a stored text.

Earlier, such a change stored its reason as text in the language of the moment
("Potenzialanalyse abgeschlossen"); those rows get the cause and lose the text, so every reader
sees it in their own language.
"""

from django.db import migrations, models

OLD_TEXTS = {
    "potential_complete": ("Potential analysis complete", "Potenzialanalyse abgeschlossen"),
    "excel_import": ("Excel import", "Excel-Import"),
}


def name_the_causes(apps, schema_editor):  # type: ignore[no-untyped-def]
    StatusChange = apps.get_model("usecases", "StatusChange")
    for cause, texts in OLD_TEXTS.items():
        StatusChange.objects.filter(reason__in=texts, cause="").update(cause=cause, reason="")


class Migration(migrations.Migration):
    dependencies = [
        ("usecases", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="statuschange",
            name="cause",
            field=models.CharField(
                blank=True,
                choices=[
                    ("potential_complete", "Potential analysis complete"),
                    ("excel_import", "Excel import"),
                ],
                max_length=30,
            ),
        ),
        migrations.RunPython(name_the_causes, migrations.RunPython.noop),
    ]
