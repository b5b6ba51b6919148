"""French typography in the reference data: a no-break space before : ; ! ? and inside « »."""

from django.db import migrations

from core.reference import sync_rows
from governance.reference_data import (
    ELEMENT_ADVICE_ROWS,
    ELEMENT_COMPONENT_ROWS,
    ELEMENTS,
    SEQUENCES,
    STEP_ROWS,
)


def load(apps, schema_editor):
    Element = apps.get_model("governance", "Element")
    MethodSequence = apps.get_model("governance", "MethodSequence")
    sync_rows(Element, ELEMENTS)
    sync_rows(Element, ELEMENT_ADVICE_ROWS)
    sync_rows(
        apps.get_model("governance", "ElementComponent"),
        ELEMENT_COMPONENT_ROWS,
        resolve=lambda row: {**row, "element": Element.objects.get(code=row["element"])},
    )
    sync_rows(MethodSequence, SEQUENCES)
    sync_rows(
        apps.get_model("governance", "MethodStep"),
        STEP_ROWS,
        resolve=lambda row: {**row, "sequence": MethodSequence.objects.get(code=row["sequence"])},
    )


class Migration(migrations.Migration):
    dependencies = [("governance", "0011_actor_proposals")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
