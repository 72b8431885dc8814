from django.db import migrations, models


def first_row(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("core", "Generation").objects.using(schema_editor.connection.alias).create(
        id=1, token=1
    )


class Migration(migrations.Migration):
    initial = True

    dependencies: list[tuple[str, str]] = []

    operations = [
        migrations.CreateModel(
            name="Generation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.BigIntegerField(default=0)),
            ],
            options={"db_table": "core_generation"},
        ),
        migrations.RunPython(first_row, migrations.RunPython.noop),
    ]
