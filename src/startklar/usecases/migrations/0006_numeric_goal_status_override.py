"""The measurable goal becomes numbers (unit, baseline and target values); free-text goals are
read where they parse ("12 min", "1.234,5 €", "−20%" of a baseline) and kept as written where
they do not ("halbieren"), shown as a notice until the numbers are entered. Status changes
record an owner's override of the scale decision."""

import django.core.validators
from decimal import Decimal

from django.db import migrations, models

from startklar.usecases.engine.goal import read_goal

LIMIT = Decimal(10) ** 13


def read_goals(apps, schema_editor):
    UseCase = apps.get_model("usecases", "UseCase")
    changed = []
    for use_case in UseCase.objects.exclude(goal_baseline="", goal_target="").iterator():
        goal = read_goal(use_case.goal_baseline, use_case.goal_target, "de")
        use_case.goal_baseline_value = goal.baseline
        use_case.goal_target_value = goal.target
        use_case.goal_unit = goal.unit
        use_case.goal_unparsed = goal.unparsed[:200]
        changed.append(use_case)
    UseCase.objects.bulk_update(
        changed,
        ["goal_baseline_value", "goal_target_value", "goal_unit", "goal_unparsed"],
        batch_size=500,
    )


def write_goals_back(apps, schema_editor):
    """Back to text: the values with their unit, or the text as written before."""
    UseCase = apps.get_model("usecases", "UseCase")
    changed = []
    for use_case in UseCase.objects.all().iterator():
        values = [
            "" if v is None else f"{v.normalize():f} {use_case.goal_unit}".strip()
            for v in (use_case.goal_baseline_value, use_case.goal_target_value)
        ]
        if use_case.goal_unparsed and not any(values):
            values = [use_case.goal_unparsed[:80], ""]
        use_case.goal_baseline, use_case.goal_target = values[0][:80], values[1][:80]
        changed.append(use_case)
    UseCase.objects.bulk_update(changed, ["goal_baseline", "goal_target"], batch_size=500)


def value_field(name):
    return models.DecimalField(
        blank=True,
        decimal_places=4,
        max_digits=18,
        null=True,
        validators=[
            django.core.validators.MinValueValidator(-LIMIT),
            django.core.validators.MaxValueValidator(LIMIT),
        ],
        verbose_name=name,
    )


class Migration(migrations.Migration):

    dependencies = [
        ("usecases", "0005_stored_axes"),
    ]

    operations = [
        migrations.AddField(
            model_name="usecase",
            name="goal_unit",
            field=models.CharField(blank=True, max_length=30, verbose_name="goal: unit"),
        ),
        migrations.AddField(
            model_name="usecase",
            name="goal_baseline_value",
            field=value_field("goal: baseline"),
        ),
        migrations.AddField(
            model_name="usecase",
            name="goal_target_value",
            field=value_field("goal: target"),
        ),
        migrations.AddField(
            model_name="usecase",
            name="goal_unparsed",
            field=models.CharField(
                blank=True, max_length=200, verbose_name="goal: as written before"
            ),
        ),
        migrations.RunPython(read_goals, write_goals_back),
        migrations.RemoveField(model_name="usecase", name="goal_baseline"),
        migrations.RemoveField(model_name="usecase", name="goal_target"),
        migrations.AddField(
            model_name="statuschange",
            name="override",
            field=models.BooleanField(default=False),
        ),
        migrations.AlterField(
            model_name="statuschange",
            name="cause",
            field=models.CharField(
                blank=True,
                choices=[
                    ("potential_complete", "Potential analysis complete"),
                    ("excel_import", "Excel import"),
                    ("pilot_started", "Pilot started"),
                    ("scale_decision", "Scale decision"),
                ],
                max_length=30,
            ),
        ),
    ]
