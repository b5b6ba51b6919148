"""A workspace can leave: the owner's export (a ZIP of JSON and CSV built by a task), its
import into an emptied database, the deletion with a grace period, and the erasure."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core import erasure, portability, tasks
from core.models import AuditEvent, AuditEventKind, ExportStatus, User, Workspace, WorkspaceExport
from core.roles import Role
from core.tenancy import scopes_disabled, workspace_scope
from mix.services import action_save_field
from tests.conftest import WORKER_MEDIA_ROOT
from tests.factories import (
    PNG,
    ActionFactory,
    CommentFactory,
    MeasurementFactory,
    MembershipFactory,
    PartnerOrganisationFactory,
    ProjectFactory,
    TerritoryFactory,
    UserFactory,
)
from tests.security.test_url_walker import build_full_sample

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_sample(personas: Any, sample: dict[str, Any]) -> dict[str, Any]:
    """One object of nearly every model (the security walker's sample)."""
    return build_full_sample(personas, sample)


def _history(personas: Any, sample: dict[str, Any]) -> None:
    """Plan history, a measurement, a mention, and an author who has left the workspace."""
    ws = personas.workspace
    owner = personas.user(Role.OWNER)
    action = sample["action"]
    with workspace_scope(ws):
        action_save_field(
            actor=owner,
            membership=personas.memberships[Role.OWNER],
            workspace=ws,
            action=action,
            name="title",
            value="Secret Action renamed",
            version=action.version,
        )
    MeasurementFactory(workspace=ws, indicator=sample["indicator"])
    former = UserFactory(email="former@alpha.example")
    comment = CommentFactory(workspace=ws, action=action, author=former, body="From a leaver")
    comment.mentions.add(owner)
    sample["action"].audiences.add(*list(_audiences()[:2]))


def _audiences() -> Any:
    from territories.models import Audience

    return Audience.objects.order_by("pk")


def _beta_sample(personas: Any) -> dict[str, Any]:
    """Some rows and a file in the other workspace, which must come through untouched."""
    ws = personas.other_workspace
    territory = TerritoryFactory(workspace=ws, name="Beta Land")
    project = ProjectFactory(workspace=ws, territory=territory, name="Beta Project")
    ActionFactory(workspace=ws, project=project, title="Beta Action")
    organisation = PartnerOrganisationFactory(workspace=ws, name="Beta Office")
    organisation.logo.save("beta.png", ContentFile(PNG), save=True)
    return {"project": project, "organisation": organisation}


def _nonzero(counts: dict[str, int]) -> set[str]:
    return {label for label, rows in counts.items() if rows}


# --- Export and import ------------------------------------------------------------------------


def test_export_then_import_into_an_emptied_database_gives_the_same_rows_per_table(
    personas: Any,
    full_sample: dict[str, Any],
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _history(personas, full_sample)
    ws = personas.workspace
    # The exports are not exported (the sample holds one).
    before = portability.row_counts(ws.pk, include_not_exported=False)
    # The sample reaches most tables: a table forgotten by the export would show here.
    assert {
        "core.Membership",
        "core.User",
        "core.ApiToken",
        "core.WebhookDelivery",
        "tracer.PlanChange",
        "mix.Comment",
        "mix.Comment_mentions",
        "mix.Action_audiences",
        "evaluation.Measurement",
        "governance.Deliverable",
        "governance.PartnerOrganisation",
    } <= _nonzero(before)
    assert before["core.User"] == 6  # five members and the author who left
    logo_name = full_sample["organisation"].logo.name
    logo_bytes = default_storage.open(logo_name, "rb").read()

    path = tmp_path / "export.zip"
    with path.open("wb") as target:
        manifest = portability.export_workspace(ws, target)

    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        for table in manifest["tables"]:
            assert f"data/{table['model']}.json" in names
            assert f"csv/{table['model']}.csv" in names
            assert table["rows"] == before[table["model"]]
        users = json.loads(archive.read("data/core.User.json"))
        assert {u["email"] for u in users} >= {"owner@alpha.example", "former@alpha.example"}
        assert not any({"password", "is_superuser", "is_staff"} & set(user) for user in users)
        assert "outsider@beta.example" not in archive.read("data/core.User.json").decode()
        assert f"media/{logo_name}" in names
        rows = list(
            csv.DictReader(io.StringIO(archive.read("csv/mix.Action.csv").decode("utf-8-sig")))
        )
        assert [row["title"] for row in rows] == ["Secret Action renamed"]
        # Nothing of the other workspace in the archive.
        assert b"Beta Owner" not in b"".join(archive.read(name) for name in names)

    # "A new database": both workspaces erased, every account gone, the files too.
    for workspace in Workspace.objects.all():
        with django_capture_on_commit_callbacks(execute=True):  # the files go after the commit
            erasure.erase(workspace_id=workspace.pk, force=True)
    # A raw DELETE: the ORM's cascade runs an UPDATE on the (append-only, here empty) audit
    # log to clear its actor column, which the log refuses.
    users = User.objects.all()
    users._raw_delete(users.db)
    assert not default_storage.exists(logo_name)

    call_command("workspace_import", str(path), stdout=io.StringIO())

    assert portability.row_counts(ws.pk, include_not_exported=False) == before
    restored = Workspace.objects.get(pk=ws.pk)
    assert (restored.uuid, restored.slug, restored.name) == (ws.uuid, ws.slug, ws.name)
    owner = User.objects.get(email="owner@alpha.example")
    assert not owner.has_usable_password()
    with scopes_disabled():
        action = full_sample["action"].__class__.objects.get(uuid=full_sample["action"].uuid)
        assert action.title == "Secret Action renamed"
        assert [a.code for a in action.audiences.order_by("pk")] == [
            a.code for a in _audiences()[:2]
        ]
        organisation = full_sample["organisation"].__class__.objects.get(
            pk=full_sample["organisation"].pk
        )
    assert organisation.logo.open("rb").read() == logo_bytes
    # The ids go on after the imported ones (PostgreSQL's sequences were moved on).
    assert TerritoryFactory(workspace=restored).pk > full_sample["micro"].pk


def test_import_refuses_a_workspace_already_there(
    personas: Any, sample: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "export.zip"
    with path.open("wb") as target:
        portability.export_workspace(personas.workspace, target)
    before = portability.row_counts(personas.workspace.pk)
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="already in this database"):
        call_command("workspace_import", str(path))
    assert portability.row_counts(personas.workspace.pk) == before


# --- The export pages --------------------------------------------------------------------------


def _poll(client: Any, ws: Workspace, export: WorkspaceExport) -> Any:
    return client.get(
        reverse("workspace_export_status", args=[ws.slug, export.uuid]), HTTP_HX_REQUEST="true"
    )


def test_an_owner_asks_for_an_export_sees_its_progress_and_downloads_it(
    personas: Any, sample: dict[str, Any], client_for: Any
) -> None:
    ws = personas.workspace
    client = client_for(personas.user(Role.OWNER))
    page = client.get(reverse("workspace_export", args=[ws.slug]))
    assert page.status_code == 200
    assert "No export yet." in page.content.decode()

    response = client.post(reverse("workspace_export", args=[ws.slug]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    export = WorkspaceExport.unscoped_objects.get(workspace=ws)
    assert export.status == ExportStatus.PENDING
    row = _poll(client, ws, export).content.decode()
    assert 'hx-trigger="every 2s"' in row and "<progress" in row  # the page keeps polling
    assert AuditEvent.unscoped_objects.filter(
        workspace=ws, event=AuditEventKind.EXPORT_REQUESTED
    ).exists()

    # The task (here run in this process; the services test below uses the real worker).
    assert tasks.build_workspace_export(workspace_id=ws.pk, export_id=export.pk) == "ready"
    assert tasks.build_workspace_export(workspace_id=ws.pk, export_id=export.pk) == "skipped"
    row = _poll(client, ws, export).content.decode()
    assert "hx-trigger" not in row and "Download" in row  # finished: the polling stops

    url = reverse("workspace_export_download", args=[ws.slug, export.uuid])
    for role in (Role.ADMIN, Role.EDITOR, Role.PARTNER, Role.VIEWER):
        assert client_for(personas.user(role)).get(url).status_code == 403
        assert (
            client_for(personas.user(role))
            .get(reverse("workspace_export", args=[ws.slug]))
            .status_code
            == 403
        )
    assert client_for(personas.user("outsider")).get(url).status_code == 404
    # Another workspace's owner cannot reach it through their own workspace either.
    other_url = reverse("workspace_export_download", args=["beta", export.uuid])
    assert client_for(personas.user("outsider")).get(other_url).status_code == 404

    response = client_for(personas.user(Role.OWNER)).get(url)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert json.loads(archive.read("manifest.json"))["workspace"]["slug"] == ws.slug
    assert b"Secret Project Alpha" in archive.read("data/territories.Project.json")
    assert AuditEvent.unscoped_objects.filter(
        workspace=ws, event=AuditEventKind.EXPORT_DOWNLOADED
    ).exists()


def test_an_export_is_deleted_with_its_file_after_its_retention(
    personas: Any, sample: dict[str, Any], settings: Any
) -> None:
    ws = personas.workspace
    with workspace_scope(ws):
        export = WorkspaceExport.objects.create(workspace=ws, requested_by=personas.user("owner"))
    tasks.build_workspace_export(workspace_id=ws.pk, export_id=export.pk)
    export.refresh_from_db()
    assert export.status == ExportStatus.READY and default_storage.exists(export.file.name)
    assert export.expires_at - export.finished_at == dt.timedelta(
        days=settings.WORKSPACE_EXPORT_RETENTION_DAYS
    )
    with workspace_scope(ws):
        lost = WorkspaceExport.objects.create(workspace=ws, status=ExportStatus.RUNNING)
    WorkspaceExport.unscoped_objects.filter(pk=lost.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=2)
    )
    assert tasks.prune_workspace_exports() == 0  # not yet
    lost.refresh_from_db()
    assert lost.status == ExportStatus.FAILED  # its task was lost: the owner asks again
    WorkspaceExport.unscoped_objects.filter(pk=export.pk).update(expires_at=timezone.now())
    assert tasks.prune_workspace_exports() == 1
    assert not WorkspaceExport.unscoped_objects.filter(pk=export.pk).exists()
    assert not default_storage.exists(export.file.name)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_worker_builds_the_export_while_the_page_polls(
    personas: Any,
    sample: dict[str, Any],
    client_for: Any,
    celery_worker_process: Any,
    settings: Any,
) -> None:
    settings.MEDIA_ROOT = WORKER_MEDIA_ROOT  # where the worker writes the archive
    ws = personas.workspace
    client = client_for(personas.user(Role.OWNER))
    client.post(reverse("workspace_export", args=[ws.slug]))
    export = WorkspaceExport.unscoped_objects.get(workspace=ws)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        row = _poll(client, ws, export).content.decode()
        if 'data-status="ready"' in row:
            break
        time.sleep(0.5)
    else:
        pytest.fail(f"the export was not built within 60 s: {row}")
    response = client.get(reverse("workspace_export_download", args=[ws.slug, export.uuid]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert b"Secret Action" in archive.read("data/mix.Action.json")


# --- Deletion, restoration, erasure ------------------------------------------------------------


def test_deleting_needs_the_name_closes_the_workspace_and_an_owner_restores_it(
    personas: Any, sample: dict[str, Any], client_for: Any
) -> None:
    ws = personas.workspace
    url = reverse("workspace_deletion", args=[ws.slug])
    home = reverse("workspace_home", args=[ws.slug])
    assert (
        client_for(personas.user(Role.ADMIN)).post(url, {"confirm_name": ws.name}).status_code
        == 403
    )

    listed = client_for(personas.user(Role.EDITOR)).get(reverse("workspace_list"))
    assert f"/w/{ws.slug}/" in listed.content.decode()
    owner = client_for(personas.user(Role.OWNER))
    response = owner.post(url, {"action": "delete", "confirm_name": "Alpha"})
    assert response.status_code == 422
    assert "exactly as it is written" in response.content.decode()
    ws.refresh_from_db()
    assert not ws.is_marked_for_deletion

    response = owner.post(url, {"action": "delete", "confirm_name": ws.name})
    assert response.status_code == 302
    ws.refresh_from_db()
    assert ws.is_marked_for_deletion
    assert ws.erase_after - ws.deletion_requested_at == dt.timedelta(days=30)

    # Members no longer reach it, pages or API; it leaves their workspace list.
    editor = client_for(personas.user(Role.EDITOR))
    assert editor.get(home).status_code == 404
    assert editor.get(f"/api/v1/w/{ws.slug}/projects/").status_code == 404
    assert f"/w/{ws.slug}/" not in editor.get(reverse("workspace_list")).content.decode()
    # The owner is sent to the page that restores it.
    owner = client_for(personas.user(Role.OWNER))
    response = owner.get(home)
    assert response.status_code == 302 and response["Location"] == url
    page = owner.get(url).content.decode()
    assert "Restore the workspace" in page

    assert owner.post(url, {"action": "restore"}).status_code == 302
    assert client_for(personas.user(Role.EDITOR)).get(home).status_code == 200
    events = list(AuditEvent.unscoped_objects.filter(workspace=ws).values_list("event", flat=True))
    assert AuditEventKind.DELETION_REQUESTED in events
    assert AuditEventKind.DELETION_CANCELLED in events


def test_erasure_leaves_no_row_nor_file_of_the_workspace_and_spares_the_other(
    personas: Any,
    full_sample: dict[str, Any],
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _history(personas, full_sample)
    ws = personas.workspace
    beta = _beta_sample(personas)
    files = portability.workspace_files(ws.pk, include_not_exported=True)
    assert len(files) == 3  # the logo, the deliverable, the export
    assert all(default_storage.exists(name) for name in files)
    beta_counts = portability.row_counts(personas.other_workspace.pk)
    beta_file = beta["organisation"].logo.name
    users = User.objects.count()

    erasure.deletion_request(actor=personas.user(Role.OWNER), workspace=ws, confirm_name=ws.name)
    assert erasure.erase_due() == []  # the grace period
    assert tasks.erase_workspace(ws.pk) == 0
    Workspace.objects.filter(pk=ws.pk).update(erase_after=timezone.now())
    assert erasure.erase_due() == [ws.pk]

    with django_capture_on_commit_callbacks(execute=True):  # the files go after the commit
        assert tasks.erase_workspace(ws.pk) > 0

    left = portability.row_counts(ws.pk, include_users=False)
    assert len(left) > 40  # every table with a workspace column, and their m2m tables
    assert _nonzero(left) == set()
    assert not any(default_storage.exists(name) for name in files)
    media = Path(settings.MEDIA_ROOT)
    assert not list((media / "logos" / str(ws.pk)).glob("*"))
    assert portability.row_counts(personas.other_workspace.pk) == beta_counts
    assert default_storage.exists(beta_file)
    assert User.objects.count() == users  # accounts stay; their memberships went
    assert tasks.erase_workspace(ws.pk) == 0  # already gone: nothing to do


def test_a_restored_workspace_is_not_erased(personas: Any, sample: dict[str, Any]) -> None:
    ws = personas.workspace
    owner = personas.user(Role.OWNER)
    erasure.deletion_request(actor=owner, workspace=ws, confirm_name=ws.name)
    Workspace.objects.filter(pk=ws.pk).update(erase_after=timezone.now())
    ws.refresh_from_db()
    erasure.deletion_cancel(actor=owner, workspace=ws)
    assert erasure.erase_due() == []
    assert tasks.erase_workspace(ws.pk) == 0
    assert portability.row_counts(ws.pk)["territories.Project"] == 1


def test_only_an_owner_deletes(personas: Any) -> None:
    from django.core.exceptions import PermissionDenied

    ws = personas.workspace
    MembershipFactory  # noqa: B018 - personas hold every role already
    with pytest.raises(PermissionDenied):
        erasure.deletion_request(
            actor=personas.user(Role.ADMIN), workspace=ws, confirm_name=ws.name
        )
    with pytest.raises(PermissionDenied):
        erasure.deletion_request(
            actor=personas.user("outsider"), workspace=ws, confirm_name=ws.name
        )


def test_the_leaving_pages_read_in_french(
    personas: Any, sample: dict[str, Any], client_for: Any
) -> None:
    ws = personas.workspace
    client = client_for(personas.user(Role.OWNER))
    page = client.get(reverse("workspace_export", args=[ws.slug]), HTTP_ACCEPT_LANGUAGE="fr")
    text = page.content.decode()
    assert "Exporter tout l'espace de travail" in text or "Exporter tout l&#x27;espace" in text
    assert "Un export est conservé 7 jours" in text
    response = client.post(
        reverse("workspace_deletion", args=[ws.slug]),
        {"action": "delete", "confirm_name": "nope"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert "exactement tel qu" in response.content.decode()
    assert "Pendant 30 jours, un propriétaire peut encore le restaurer" in (
        client.get(
            reverse("workspace_deletion", args=[ws.slug]), HTTP_ACCEPT_LANGUAGE="fr"
        ).content.decode()
    )


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_beat_task_has_the_worker_erase_a_workspace_past_its_grace_period(
    personas: Any, sample: dict[str, Any], settings: Any, celery_worker_process: Any
) -> None:
    settings.MEDIA_ROOT = WORKER_MEDIA_ROOT  # the worker deletes the files there
    ws = personas.workspace
    sample["organisation"].logo.save("logo.png", ContentFile(PNG), save=True)
    logo = sample["organisation"].logo.name
    beta = _beta_sample(personas)
    beta_counts = portability.row_counts(personas.other_workspace.pk)
    erasure.deletion_request(actor=personas.user(Role.OWNER), workspace=ws, confirm_name=ws.name)
    Workspace.objects.filter(pk=ws.pk).update(erase_after=timezone.now())

    tasks.erase_due_workspaces.delay()  # what beat sends every hour
    deadline = time.monotonic() + 60
    while Workspace.objects.filter(pk=ws.pk).exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not Workspace.objects.filter(pk=ws.pk).exists(), "not erased within 60 s"
    assert _nonzero(portability.row_counts(ws.pk, include_users=False)) == set()
    deadline = time.monotonic() + 10  # the files go right after the commit
    while default_storage.exists(logo) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not default_storage.exists(logo)
    assert portability.row_counts(personas.other_workspace.pk) == beta_counts
    assert default_storage.exists(beta["organisation"].logo.name)
