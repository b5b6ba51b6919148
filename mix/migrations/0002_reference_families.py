from django.db import migrations

from core.reference import sync_rows
from mix.reference_data import MIX_FAMILY_ROWS


def load(apps, schema_editor):
    sync_rows(apps.get_model("mix", "MixFamily"), MIX_FAMILY_ROWS)


class Migration(migrations.Migration):
    dependencies = [("mix", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
