"""Issue 13: the go-live month (0 for existing cases) and the cash-effective share of time saved
(1 for existing time savings, which were counted in full as cash): existing figures stay."""

import django.core.validators
from django.db import migrations, models


def existing_savings_stay_cash(apps, schema_editor):
    LineItem = apps.get_model("businesscase", "LineItem")
    Factor = apps.get_model("businesscase", "Factor")
    items = LineItem.objects.filter(kind="time_saving").exclude(factors__key="cash_share")
    Factor.objects.bulk_create(
        Factor(item_id=pk, key="cash_share", low=1, likely=1, high=1)
        for pk in items.values_list("pk", flat=True)
    )


def forget_cash_share(apps, schema_editor):
    Factor = apps.get_model("businesscase", "Factor")
    Factor.objects.filter(key="cash_share").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("businesscase", "0007_stored_summary"),
    ]

    operations = [
        migrations.AddField(
            model_name="businesscase",
            name="go_live",
            field=models.PositiveSmallIntegerField(
                default=0,
                validators=[django.core.validators.MaxValueValidator(239)],
                verbose_name="go-live (months after the start)",
            ),
        ),
        migrations.RunPython(existing_savings_stay_cash, forget_cash_share),
    ]
