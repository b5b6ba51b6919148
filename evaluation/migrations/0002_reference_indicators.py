from django.db import migrations

from core.reference import sync_rows
from evaluation.reference_data import INDICATOR_ROWS


def load(apps, schema_editor):
    TracerStage = apps.get_model("tracer", "TracerStage")
    sync_rows(
        apps.get_model("evaluation", "CatalogueIndicator"),
        INDICATOR_ROWS,
        resolve=lambda row: {
            **row,
            "tracer_stage": TracerStage.objects.get(code=row["tracer_stage"]),
        },
    )


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial"), ("tracer", "0002_reference_stages")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
