"""Helpers shared by the governance tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name: str, personas: Any, *args: Any) -> str:
    return reverse(name, args=[personas.workspace.slug, *args])


def assert_constant_queries(
    client: Any, page: str, add_rows: Callable[[], None], django_assert_num_queries: Any
) -> None:
    """The page costs as many queries with one row as after ``add_rows()`` (many rows)."""
    client.get(page)  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as one:
        assert client.get(page).status_code == 200
    add_rows()
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(page).status_code == 200
