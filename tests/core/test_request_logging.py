"""An expected refusal (403, 404) is one line in the log: status, method, path, user, reason.
A server error (500) keeps its traceback."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils.log import log_response

from core.roles import Role
from tests.conftest import Personas
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def request_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "django.request"]


def test_a_403_is_logged_as_one_line_without_a_traceback(
    personas: Personas, client_for: Any, caplog: pytest.LogCaptureFixture
) -> None:
    project = ProjectFactory(workspace=personas.workspace)
    viewer = personas.user(Role.VIEWER)
    url = reverse("action_create", args=[personas.workspace.slug, project.uuid])
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client_for(viewer).get(url)
    assert response.status_code == 403
    [record] = request_records(caplog)
    assert record.levelno == logging.WARNING
    assert record.exc_info is None and not record.exc_text
    line = record.getMessage()
    assert line == f"403 GET {url} user={viewer.pk} reason=action.create"
    assert "\n" not in caplog.text.strip()
    assert "Traceback" not in caplog.text


def test_a_404_for_another_workspace_is_one_line_too(
    personas: Personas, client_for: Any, caplog: pytest.LogCaptureFixture
) -> None:
    project = ProjectFactory(workspace=personas.workspace)
    outsider = personas.user("outsider")
    url = reverse("plan_board", args=[personas.workspace.slug, project.uuid])
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client_for(outsider).get(url)
    assert response.status_code == 404
    [record] = request_records(caplog)
    assert record.exc_info is None
    assert record.getMessage().startswith(f"404 GET {url} user={outsider.pk} reason=")
    assert "Traceback" not in caplog.text


def test_an_anonymous_refusal_names_no_user(caplog: pytest.LogCaptureFixture) -> None:
    request = RequestFactory().post("/w/alpha/x/")
    with caplog.at_level(logging.WARNING, logger="django.request"):
        log_response(
            "Forbidden (Permission denied): %s",
            request.path,
            response=HttpResponse(status=403),
            request=request,
            exception=PermissionError("no\n403 GET /forged"),
        )
    [record] = request_records(caplog)
    # The reason is escaped: a newline in it cannot forge a second log line.
    assert record.getMessage() == "403 POST /w/alpha/x/ user=anonymous reason=no\\n403 GET /forged"


def test_a_500_keeps_its_traceback(caplog: pytest.LogCaptureFixture) -> None:
    request = RequestFactory().get("/w/alpha/boom/")
    try:
        raise RuntimeError("the database went away")
    except RuntimeError as exc:
        with caplog.at_level(logging.ERROR, logger="django.request"):
            log_response(
                "Internal Server Error: %s",
                request.path,
                response=HttpResponse(status=500),
                request=request,
                exception=exc,
            )
    [record] = request_records(caplog)
    assert record.levelno == logging.ERROR
    assert record.getMessage() == "Internal Server Error: /w/alpha/boom/"
    assert record.exc_info is not None
    assert "Traceback" in caplog.text and "the database went away" in caplog.text
