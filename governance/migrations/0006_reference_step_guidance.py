from django.db import migrations

from core.reference import sync_rows
from governance.reference_data import STEP_ROWS


def load(apps, schema_editor):
    MethodSequence = apps.get_model("governance", "MethodSequence")
    sync_rows(
        apps.get_model("governance", "MethodStep"),
        STEP_ROWS,
        resolve=lambda row: {**row, "sequence": MethodSequence.objects.get(code=row["sequence"])},
    )


class Migration(migrations.Migration):
    dependencies = [("governance", "0005_method_tracker")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
