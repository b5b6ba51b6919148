"""The 10-step method tracker: statuses, the progress bar and the project home, guidance in
both languages, deliverables whose files are checked and served to members with access only."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from core.roles import Role
from core.tenancy import scopes_disabled
from governance.models import Deliverable, MethodStep, StepProgress
from tests.factories import DeliverableFactory, PartnerOrganisationFactory, StepProgressFactory
from tests.governance.helpers import HTMX, assert_constant_queries, url

pytestmark = pytest.mark.django_db


def test_every_step_has_guidance_in_english_and_french() -> None:
    steps = list(MethodStep.objects.all())
    assert len(steps) == 10
    for step in steps:
        assert len(step.description_en) > 60 and len(step.description_fr) > 60
        assert step.description_en != step.description_fr


def test_editor_moves_steps_and_the_project_home_shows_where_it_stands(
    personas: Any, sample: Any, client_for: Any
) -> None:
    project = sample["project"]
    client = client_for(personas.user(Role.EDITOR))
    for number in (1, 2):
        response = client.post(
            url("method_step", personas, project.uuid, number),
            {"status": "done", "owner": personas.memberships[Role.EDITOR].uuid},
            **HTMX,
        )
        assert response.status_code == 200, response.content.decode()[:300]
    client.post(url("method_step", personas, project.uuid, 3), {"status": "in_progress"}, **HTMX)
    tracker = client.get(url("method_tracker", personas, project.uuid)).content.decode()
    assert "2 of 10 steps done (20 %)" in tracker
    home = client.get(url("project_detail", personas, project.uuid)).content.decode()
    assert "2 of 10 steps done (20 %)" in home
    assert "now at step 3: Study the markets" in home
    with scopes_disabled():
        assert StepProgress.objects.filter(project=project, status="done").count() == 2


def test_the_step_page_speaks_french(personas: Any, sample: Any, client_for: Any) -> None:
    client = client_for(personas.user(Role.VIEWER))
    page = client.get(
        url("method_step", personas, sample["project"].uuid, 7), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "Se donner une ambition" in page and "avec des chiffres vérifiables" in page


def test_viewers_read_steps_but_cannot_change_them(
    personas: Any, sample: Any, client_for: Any
) -> None:
    client = client_for(personas.user(Role.VIEWER))
    page = url("method_step", personas, sample["project"].uuid, 1)
    assert client.get(page).status_code == 200
    assert client.post(page, {"status": "done"}).status_code == 403
    assert client.get(url("method_step", personas, sample["project"].uuid, 11)).status_code == 404


def _upload(client: Any, personas: Any, project: Any, name: str, content: bytes) -> Any:
    return client.post(
        url("deliverable_create", personas, project.uuid, 4),
        {"kind": "file", "title": "Benchmark", "file": SimpleUploadedFile(name, content)},
        **HTMX,
    )


def test_a_file_deliverable_is_stored_and_served_to_members_with_access_only(
    personas: Any, sample: Any, client_for: Any
) -> None:
    project = sample["project"]
    editor = client_for(personas.user(Role.EDITOR))
    assert _upload(editor, personas, project, "bench.pdf", b"%PDF-1.7 data").status_code == 200
    with scopes_disabled():
        deliverable = Deliverable.objects.get(title="Benchmark")
    assert deliverable.file_size == 13 and deliverable.file_name == "bench.pdf"
    download = url("deliverable_file", personas, deliverable.uuid)
    response = editor.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 data"
    assert "attachment" in response["Content-Disposition"]
    assert editor.get(f"/media/{deliverable.file.name}").status_code == 404  # no public URL
    # A partner whose organisation does not share the project: 404; once shared: 200.
    partner = client_for(personas.user(Role.PARTNER))
    assert partner.get(download).status_code == 404
    office = PartnerOrganisationFactory(workspace=personas.workspace)
    office.members.add(personas.memberships[Role.PARTNER])
    office.shared_projects.add(project)
    assert partner.get(download).status_code == 200
    assert client_for(personas.user("outsider")).get(download).status_code == 404
    assert client_for(None).get(download).status_code == 302


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("run.exe", b"MZ\x90\x00", "not accepted"),
        ("page.html", b"<script>alert(1)</script>", "not accepted"),
        ("report.pdf", b"<script>alert(1)</script>", "does not match"),
        ("table.csv", b"a,b\x00\x00binary", "does not match"),
        ("empty.txt", b"", "empty"),
    ],
)
def test_uploads_of_the_wrong_type_or_content_are_refused(
    name: str, content: bytes, message: str, personas: Any, sample: Any, client_for: Any
) -> None:
    client = client_for(personas.user(Role.EDITOR))
    response = _upload(client, personas, sample["project"], name, content)
    assert response.status_code == 422
    assert message in response.content.decode()
    with scopes_disabled():
        assert not Deliverable.objects.exists()


@override_settings(UPLOAD_MAX_SIZE=1000)
def test_uploads_over_the_size_limit_are_refused(
    personas: Any, sample: Any, client_for: Any
) -> None:
    client = client_for(personas.user(Role.EDITOR))
    response = _upload(client, personas, sample["project"], "big.pdf", b"%PDF-" + b"x" * 1000)
    assert response.status_code == 422
    assert "too big" in response.content.decode()
    assert _upload(client, personas, sample["project"], "ok.pdf", b"%PDF-" + b"x" * 900
                   ).status_code == 200  # fmt: skip


def test_notes_and_links_need_their_content(personas: Any, sample: Any, client_for: Any) -> None:
    client = client_for(personas.user(Role.EDITOR))
    target = url("deliverable_create", personas, sample["project"].uuid, 2)
    assert client.post(target, {"kind": "link", "title": "Study"}, **HTMX).status_code == 422
    response = client.post(
        target, {"kind": "link", "title": "Study", "url": "https://example.org/s"}, **HTMX
    )
    assert response.status_code == 200


def test_deleting_a_deliverable_removes_its_file(
    personas: Any, sample: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    deliverable = DeliverableFactory(
        workspace=personas.workspace, progress__project=sample["project"]
    )
    storage, name = deliverable.file.storage, deliverable.file.name
    assert storage.exists(name)
    client = client_for(personas.user(Role.EDITOR))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("deliverable_delete", personas, deliverable.uuid))
    assert response.status_code == 302
    assert not storage.exists(name)


@pytest.mark.parametrize("page", ["method_tracker", "method_step"])
def test_method_pages_cost_the_same_queries_at_1_and_many_deliverables(
    page: str, personas: Any, sample: Any, client_for: Any, django_assert_num_queries: Any
) -> None:
    project = sample["project"]
    progress = StepProgressFactory(
        workspace=personas.workspace, project=project, owner=personas.memberships[Role.EDITOR]
    )
    DeliverableFactory(workspace=personas.workspace, progress=progress)

    def add_rows() -> None:
        for number in range(2, 11):
            StepProgressFactory(
                workspace=personas.workspace,
                project=project,
                step=MethodStep.objects.get(number=number),
                owner=personas.memberships[Role.VIEWER],
            )
        for _ in range(15):
            DeliverableFactory(workspace=personas.workspace, progress=progress)

    args = [project.uuid] if page == "method_tracker" else [project.uuid, 1]
    client = client_for(personas.user(Role.EDITOR))
    assert_constant_queries(client, url(page, personas, *args), add_rows, django_assert_num_queries)
