"""Dashboard snapshots belong to a cycle: one per (project, cycle, inputs version).

The snapshots are caches: the existing ones (which counted every cycle's actions together) are
dropped, and each dashboard is computed again when it is next viewed (or tonight).
"""

import django.db.models.deletion
from django.db import migrations, models


def drop_snapshots(apps, schema_editor):
    apps.get_model("evaluation", "DashboardSnapshot").unscoped_objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0003_indicators_measurements_snapshots_lessons"),
        ("territories", "0004_project_evaluation_revision"),
    ]

    operations = [
        migrations.RunPython(drop_snapshots, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="dashboardsnapshot", name="snapshot_one_per_project_inputs"
        ),
        migrations.AddField(
            model_name="dashboardsnapshot",
            name="cycle",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="snapshots",
                to="territories.cycle",
            ),
        ),
        migrations.AddConstraint(
            model_name="dashboardsnapshot",
            constraint=models.UniqueConstraint(
                condition=models.Q(("project__isnull", False)),
                fields=("workspace", "project", "cycle", "inputs_version"),
                name="snapshot_one_per_cycle_inputs",
            ),
        ),
    ]
