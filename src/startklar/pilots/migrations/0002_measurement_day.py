import datetime

from django.db import migrations, models

EPOCH = datetime.date(2000, 1, 1)


def fill_days(apps, schema_editor):  # type: ignore[no-untyped-def]
    Measurement = apps.get_model("pilots", "Measurement")
    changed = []
    for measurement in Measurement.objects.only("pk", "period").iterator():
        measurement.day = (measurement.period - EPOCH).days
        changed.append(measurement)
    Measurement.objects.bulk_update(changed, ["day"], batch_size=1000)


def fill_figures(apps, schema_editor):  # type: ignore[no-untyped-def]
    """The sums ``dashboard.compute`` works out, for the KPIs there are."""
    Kpi = apps.get_model("pilots", "Kpi")
    Measurement = apps.get_model("pilots", "Measurement")
    for kpi in Kpi.objects.all():
        rows = list(Measurement.objects.filter(kpi=kpi).order_by("period"))
        if not rows:
            continue
        xs = [(m.period - EPOCH).days for m in rows]
        ys = [float(m.value) for m in rows]
        kpi.figures = {
            "n": len(rows),
            "sx": sum(xs),
            "sxx": sum(x * x for x in xs),
            "sy": sum(ys),
            "sxy": sum(x * y for x, y in zip(xs, ys)),
            "syy": sum(y * y for y in ys),
            "first": rows[0].period.isoformat(),
            "last": rows[-1].period.isoformat(),
            "latest": str(rows[-1].value),
        }
        kpi.save(update_fields=["figures"])


class Migration(migrations.Migration):
    dependencies = [("pilots", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="measurement",
            name="day",
            field=models.IntegerField(default=0, editable=False),
            preserve_default=False,
        ),
        migrations.RunPython(fill_days, migrations.RunPython.noop),
        migrations.AddField(
            model_name="kpi",
            name="figures",
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.RunPython(fill_figures, migrations.RunPython.noop),
    ]
