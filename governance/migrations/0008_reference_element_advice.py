from django.db import migrations

from core.reference import sync_rows
from governance.reference_data import ELEMENT_ADVICE_ROWS


def load(apps, schema_editor):
    sync_rows(apps.get_model("governance", "Element"), ELEMENT_ADVICE_ROWS)


class Migration(migrations.Migration):
    dependencies = [("governance", "0007_maturity")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
