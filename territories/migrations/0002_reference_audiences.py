from django.db import migrations

from core.reference import sync_rows
from territories.reference_data import AUDIENCE_ROWS


def load(apps, schema_editor):
    sync_rows(apps.get_model("territories", "Audience"), AUDIENCE_ROWS)


class Migration(migrations.Migration):
    dependencies = [("territories", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
