"""Every recorded plan change gets the cycle of its item (tracer 0006 added the column; the
actions live here, in mix, so the backfill runs here)."""

from django.db import migrations


def backfill(apps, schema_editor):
    """Each recorded change gets its item's cycle; a change whose item is gone gets the cycle
    that was running when it was made."""
    PlanChange = apps.get_model("tracer", "PlanChange")
    Objective = apps.get_model("tracer", "Objective")
    Action = apps.get_model("mix", "Action")
    Cycle = apps.get_model("territories", "Cycle")
    cycles = dict(Objective.objects.values_list("uuid", "cycle_id"))
    cycles.update(Action.objects.values_list("uuid", "objective__cycle_id"))
    by_project: dict[int, list[tuple[object, int]]] = {}
    for pk, project_id, started in Cycle.objects.order_by("number").values_list(
        "pk", "project_id", "started_on"
    ):
        by_project.setdefault(project_id, []).append((started, pk))
    for change in PlanChange.objects.filter(cycle__isnull=True).iterator():
        cycle_id = cycles.get(change.target_uuid)
        if cycle_id is None:
            candidates = by_project.get(change.project_id, [])
            running = [pk for started, pk in candidates if started <= change.at.date()]
            cycle_id = running[-1] if running else (candidates[0][1] if candidates else None)
        if cycle_id is not None:
            PlanChange.objects.filter(pk=change.pk).update(cycle_id=cycle_id)


class Migration(migrations.Migration):
    dependencies = [
        ("mix", "0005_carried_from"),
        ("tracer", "0006_planchange_cycle"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
