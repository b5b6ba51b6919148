"""French typography in the TRACER stages: a no-break space before : ; ! ? and inside « »."""

from django.db import migrations

from core.reference import sync_rows
from tracer.reference_data import TRACER_STAGES


def load(apps, schema_editor):
    sync_rows(apps.get_model("tracer", "TracerStage"), TRACER_STAGES)


class Migration(migrations.Migration):
    dependencies = [("tracer", "0007_planchange_raw_values")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
