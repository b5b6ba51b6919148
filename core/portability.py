"""A workspace's data as a portable archive: the export a leaving team takes with it, and the
import that restores it (``manage.py workspace_import``).

The models are found generically, so a new app's models are exported without a line here:
every concrete model with a foreign key to :class:`core.models.Workspace` (the
:class:`core.tenancy.WorkspaceOwned` subclasses and any other), the automatic many-to-many tables
of those models, the workspace row itself, and the users those rows point at (members, authors,
actors of the history...), without their password hashes.

The archive is a ZIP::

    manifest.json            format, version, the workspace, each table with its row count
    data/<app.Model>.json    one file per table: a list of objects, field -> value, keys as stored
    csv/<app.Model>.csv      the same rows as CSV (for spreadsheets)
    reference.json           the reference data the rows point at (pk -> stable code)
    media/<name>             every uploaded file the rows name (logos, deliverables)

Primary keys and UUIDs are kept, so the import gives back the same objects; users are matched by
e-mail address (a user already in the target database is reused) and reference data by its code.

:func:`row_counts` counts one workspace's rows per table: the export test, the erasure test and
the backup drill compare its figures.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import functools
import io
import json
import shutil
import tempfile
import uuid
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import connections, models, transaction
from django.utils import timezone
from django.utils.duration import duration_iso_string

FORMAT = "territoria-workspace"
VERSION = 1
# Rows that are not the team's data: the exports themselves (their files are archives of it).
NOT_EXPORTED = {"core.WorkspaceExport"}
# An account's secrets and its powers over the installation stay behind: an archive (which its
# owner could edit) never makes anyone staff or superuser where it is imported.
USER_FIELDS_LEFT_OUT = {"password", "is_staff", "is_superuser"}


class ImportRefused(Exception):
    """The archive cannot be imported here (not ours, or the workspace is already there)."""


# --- Which models hold a workspace's rows --------------------------------------------------


@dataclass(frozen=True)
class Table:
    """One table of a workspace's data and how to find that workspace's rows in it."""

    model: type[models.Model]
    # The lookup that leads from a row to its workspace's id: "workspace_id", or, for an
    # automatic many-to-many table, "<owner>__workspace_id".
    workspace_lookup: str

    @property
    def label(self) -> str:
        return self.model._meta.label

    def rows(self, workspace_id: int, using: str = "default") -> models.QuerySet[Any]:
        # Unscoped on purpose: the export, the erasure and the counts read one workspace's rows
        # outside a request, named by its id; the filter is the workspace itself.
        manager = self.model._base_manager.db_manager(using)
        return manager.filter(**{self.workspace_lookup: workspace_id}).order_by("pk")


def _related(field: Any) -> type[models.Model]:
    """The model a relation field points at (resolved: the app registry is ready)."""
    related = field.related_model
    assert isinstance(related, type) and issubclass(related, models.Model), field
    return related


def _workspace_fk(model: type[models.Model]) -> models.ForeignKey[Any, Any] | None:
    from core.models import Workspace

    for field in model._meta.concrete_fields:
        if isinstance(field, models.ForeignKey) and field.related_model is Workspace:
            return field
    return None


def _sorted_by_dependencies(candidates: list[type[models.Model]]) -> list[type[models.Model]]:
    """Referenced models before the models that point at them (self references aside)."""
    remaining = {model._meta.label: model for model in candidates}
    done: list[type[models.Model]] = []
    placed: set[str] = set()
    while remaining:
        progress = False
        for label, model in sorted(remaining.items()):
            needs = {
                _related(field)._meta.label
                for field in model._meta.concrete_fields
                if field.is_relation and field.related_model is not model
            } & set(remaining)
            if not needs - placed - {label}:
                done.append(model)
                placed.add(label)
                del remaining[label]
                progress = True
                break
        if not progress:  # a cycle: FK checks are deferred to the commit, any order works
            done.extend(remaining[label] for label in sorted(remaining))
            break
    return done


@functools.cache
def workspace_tables(*, include_not_exported: bool = False) -> tuple[Table, ...]:
    """Every table that holds workspace rows, referenced tables first (read from the app
    registry once: the models do not change while the process runs)."""
    owned = [
        model
        for model in apps.get_models()
        if _workspace_fk(model) is not None
        and (include_not_exported or model._meta.label not in NOT_EXPORTED)
    ]
    tables = []
    for model in _sorted_by_dependencies(owned):
        fk = _workspace_fk(model)
        assert fk is not None
        tables.append(Table(model, fk.attname))
    for model in list(owned):
        for m2m in model._meta.local_many_to_many:
            through = m2m.remote_field.through
            assert isinstance(through, type) and issubclass(through, models.Model)
            if through._meta.auto_created:
                tables.append(Table(through, f"{m2m.m2m_field_name()}__workspace_id"))
    return tuple(tables)


def _user_model() -> type[models.Model]:
    return apps.get_model("core", "User")


def workspace_user_ids(workspace_id: int, using: str = "default") -> set[int]:
    """The users a workspace's rows point at: its members, and the authors and actors of its
    history (who may have left it since)."""
    user_model = _user_model()
    ids: set[int] = set()
    for table in workspace_tables():
        for field in table.model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and field.related_model is user_model:
                ids.update(
                    table.rows(workspace_id, using)
                    .exclude(**{f"{field.attname}__isnull": True})
                    .values_list(field.attname, flat=True)
                    .distinct()
                )
    return ids


def row_counts(
    workspace_id: int,
    *,
    using: str = "default",
    include_users: bool = True,
    include_not_exported: bool = True,
) -> dict[str, int]:
    """``{"app.Model": rows}`` of one workspace: its own row, every table with a workspace
    column (with ``include_not_exported``, the exports too), the many-to-many tables of those,
    and (``include_users``) the users its rows point at."""
    counts = {
        "core.Workspace": apps.get_model("core", "Workspace")
        ._base_manager.db_manager(using)
        .filter(pk=workspace_id)
        .count()
    }
    for table in workspace_tables(include_not_exported=include_not_exported):
        counts[table.label] = table.rows(workspace_id, using).count()
    if include_users:
        counts["core.User"] = len(workspace_user_ids(workspace_id, using))
    return counts


def database_counts(*, using: str = "default") -> dict[str, Any]:
    """Rows per table of the whole database, and :func:`row_counts` of every workspace (by
    slug): what the backup drill compares before and after a restore."""
    workspace_model = apps.get_model("core", "Workspace")
    tables = {
        model._meta.label: model._base_manager.db_manager(using).count()
        for model in apps.get_models(include_auto_created=True)
    }
    per_workspace = {
        slug: row_counts(pk, using=using)
        for pk, slug in workspace_model._base_manager.db_manager(using).values_list("pk", "slug")
    }
    return {"tables": tables, "workspaces": per_workspace}


def workspace_files(workspace_id: int, *, include_not_exported: bool = False) -> list[str]:
    """The names (in the default storage) of every file a workspace's rows hold."""
    names: list[str] = []
    for table in workspace_tables(include_not_exported=include_not_exported):
        for field in table.model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                names.extend(
                    name
                    for name in table.rows(workspace_id).values_list(field.attname, flat=True)
                    if name
                )
    return names


# --- Export ----------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A stored value as JSON (the import reads it back with the field's ``to_python``)."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return duration_iso_string(value)
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return value


def _columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    fields = list(model._meta.concrete_fields)
    if model is _user_model():
        fields = [field for field in fields if field.name not in USER_FIELDS_LEFT_OUT]
    return fields


def _rows(queryset: models.QuerySet[Any], fields: list[models.Field[Any, Any]]) -> Iterator[dict]:
    names = [field.attname for field in fields]
    for values in queryset.values_list(*names).iterator(chunk_size=2000):
        yield {name: _plain(value) for name, value in zip(names, values, strict=True)}


def _write_table(
    archive: zipfile.ZipFile, label: str, header: list[str], rows: Iterable[dict]
) -> int:
    """``data/<label>.json`` and ``csv/<label>.csv`` from one pass over the rows (one query):
    the CSV is spooled while the JSON entry is written (a ZIP takes one entry at a time)."""
    count = 0
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024, mode="w+b") as spool:
        csv_out = io.TextIOWrapper(spool, encoding="utf-8-sig", newline="")
        writer = csv.writer(csv_out)
        writer.writerow(header)
        with archive.open(f"data/{label}.json", "w") as raw:
            out = io.TextIOWrapper(raw, encoding="utf-8")
            out.write("[")
            for row in rows:
                out.write(",\n " if count else "\n ")
                out.write(json.dumps(row, ensure_ascii=False, sort_keys=False))
                writer.writerow([_csv_cell(row[column]) for column in header])
                count += 1
            out.write("\n]\n")
            out.flush()
            out.detach()
        csv_out.flush()
        csv_out.detach()
        spool.seek(0)
        with archive.open(f"csv/{label}.csv", "w") as target:
            shutil.copyfileobj(spool, target)
    return count


def _csv_cell(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value


def export_workspace(
    workspace: Any, target: IO[bytes], *, on_progress: Callable[[int], None] | None = None
) -> dict[str, Any]:
    """Write ``workspace``'s archive to the binary file ``target``; returns the manifest.

    ``on_progress(percent)`` is called after each table."""
    workspace_model = type(workspace)
    user_model = _user_model()
    tables = workspace_tables()
    user_ids = workspace_user_ids(workspace.pk)
    steps: list[tuple[str, type[models.Model], models.QuerySet[Any]]] = [
        ("core.Workspace", workspace_model, workspace_model._base_manager.filter(pk=workspace.pk)),
        ("core.User", user_model, user_model._base_manager.filter(pk__in=user_ids).order_by("pk")),
    ]
    steps += [(table.label, table.model, table.rows(workspace.pk)) for table in tables]
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "workspace": {"uuid": str(workspace.uuid), "slug": workspace.slug, "name": workspace.name},
        "tables": [],
        "files": [],
    }
    reference: dict[str, dict[str, str]] = {}
    exported = {label for label, _model, _qs in steps}
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for index, (label, model, queryset) in enumerate(steps, start=1):
            fields = _columns(model)
            header = [field.attname for field in fields]
            rows = _write_table(archive, label, header, _rows(queryset, fields))
            manifest["tables"].append(
                {"model": label, "table": model._meta.db_table, "rows": rows, "columns": header}
            )
            for field in fields:
                related = _related(field) if field.is_relation else None
                if related is None or related._meta.label in exported:
                    continue
                if any(f.name == "code" for f in related._meta.concrete_fields):
                    used = queryset.exclude(**{f"{field.attname}__isnull": True}).values_list(
                        field.attname, flat=True
                    )
                    codes = related._base_manager.filter(pk__in=used).values_list("pk", "code")
                    reference.setdefault(related._meta.label, {}).update(
                        {str(pk): code for pk, code in codes}
                    )
            if on_progress is not None:
                on_progress(int(90 * index / len(steps)))
        archive.writestr("reference.json", json.dumps(reference, indent=1, ensure_ascii=False))
        for name in workspace_files(workspace.pk):
            if default_storage.exists(name):
                with default_storage.open(name, "rb") as source:
                    archive.writestr(f"media/{name}", source.read())
                manifest["files"].append(name)
        archive.writestr("manifest.json", json.dumps(manifest, indent=1, ensure_ascii=False))
    if on_progress is not None:
        on_progress(100)
    return manifest


# --- Import ----------------------------------------------------------------------------------


def _value(field: models.Field[Any, Any], value: Any) -> Any:
    if value is None or isinstance(field, models.JSONField):
        return value
    if isinstance(field, models.BinaryField):
        return bytes.fromhex(value)
    if isinstance(field, models.ForeignKey):
        return field.target_field.to_python(value)
    return field.to_python(value)


def import_workspace(path: str | Path, *, using: str = "default") -> dict[str, int]:
    """Restore an archive made by :func:`export_workspace`; returns the rows written per table.

    All or nothing: one transaction (foreign keys are checked at its end)."""
    with zipfile.ZipFile(path) as archive:
        try:
            manifest = json.loads(archive.read("manifest.json"))
        except KeyError as exc:
            raise ImportRefused("This is not a Territoria workspace export.") from exc
        if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
            raise ImportRefused("This is not a Territoria workspace export of a known version.")
        workspace_model = apps.get_model("core", "Workspace")
        info = manifest["workspace"]
        existing = workspace_model._base_manager.db_manager(using).filter(
            models.Q(uuid=info["uuid"]) | models.Q(slug=info["slug"])
        )
        if existing.exists():
            raise ImportRefused(f"The workspace {info['slug']!r} is already in this database.")
        reference = json.loads(archive.read("reference.json"))
        written: dict[str, int] = {}
        with transaction.atomic(using=using):
            remaps = _reference_remaps(reference, using)
            file_names = _restore_files(archive, manifest["files"])
            for entry in manifest["tables"]:
                label = entry["model"]
                model = apps.get_model(label)
                rows = json.loads(archive.read(f"data/{label}.json"))
                if label == "core.User":
                    remaps[label] = _import_users(model, rows, using)
                    written[label] = len(rows)
                    continue
                written[label] = _insert(model, rows, remaps, file_names, using)
            _reset_sequences(using)
    return written


def _reference_remaps(reference: dict[str, dict[str, str]], using: str) -> dict[str, dict]:
    remaps: dict[str, dict] = {}
    for label, codes in reference.items():
        model = apps.get_model(label)
        here = dict(model._base_manager.db_manager(using).values_list("code", "pk"))
        missing = sorted(set(codes.values()) - set(here))
        if missing:
            raise ImportRefused(f"Reference data missing here: {label} {', '.join(missing)}")
        remaps[label] = {model._meta.pk.to_python(pk): here[code] for pk, code in codes.items()}
    return remaps


def _import_users(model: type[models.Model], rows: list[dict], using: str) -> dict[Any, Any]:
    """Users come back without a password (they set one with "forgotten password"); an account
    with the same e-mail address already here is reused."""
    fields = {field.attname: field for field in _columns(model)}
    manager = model._base_manager.db_manager(using)
    mapping: dict[Any, Any] = {}
    for row in rows:
        user = manager.filter(email__iexact=row["email"]).first()
        if user is None:
            values = {
                name: _value(fields[name], value) for name, value in row.items() if name in fields
            }
            old_pk = values.pop("id")
            user = model(**values)
            user.set_unusable_password()  # type: ignore[attr-defined]
            user.save(using=using)
        else:
            old_pk = fields["id"].to_python(row["id"])
        mapping[old_pk] = user.pk
    return mapping


def _restore_files(archive: zipfile.ZipFile, names: list[str]) -> dict[str, str]:
    saved = {}
    for name in names:
        saved[name] = default_storage.save(name, ContentFile(archive.read(f"media/{name}")))
    return saved


def _insert(
    model: type[models.Model],
    rows: list[dict],
    remaps: dict[str, dict],
    file_names: dict[str, str],
    using: str,
) -> int:
    fields = {field.attname: field for field in model._meta.concrete_fields}
    objects = []
    for row in rows:
        values = {}
        for name, raw in row.items():
            field = fields[name]
            value = _value(field, raw)
            if value is not None and field.is_relation:
                mapping = remaps.get(_related(field)._meta.label)
                if mapping is not None:
                    value = mapping[value]
            if value and isinstance(field, models.FileField):
                value = file_names.get(value, value)
            values[name] = value
        objects.append(model(**values))
    # bulk_create: no save() (the scoped managers and the audit log's guard are for live
    # edits); the rows are written exactly as they were exported.
    model._base_manager.db_manager(using).bulk_create(objects, batch_size=500)
    return len(objects)


def _reset_sequences(using: str) -> None:
    """PostgreSQL: the id sequences continue after the imported ids."""
    connection = connections[using]
    all_models = list(apps.get_models(include_auto_created=True))
    statements = connection.ops.sequence_reset_sql(no_style(), all_models)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def export_to_temporary_file(
    workspace: Any, *, on_progress: Callable[[int], None] | None = None
) -> IO[bytes]:
    """The archive in a temporary file, rewound (the caller closes it)."""
    target = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the caller
    export_workspace(workspace, target, on_progress=on_progress)
    target.seek(0)
    return target
