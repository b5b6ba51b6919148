"""An admin reads the audit log in Chromium: reached from the settings tabs, filtered by event
without a reload, exported as CSV."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from core import audit
from core.roles import Role
from tests.conftest import Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_filters_the_audit_log(
    page: Page, personas: Personas, login_with_cookie: Any, screenshot: Any
) -> None:
    ws = personas.workspace
    owner = personas.user(Role.OWNER)
    audit.record(
        event=audit.Event.ROLE_CHANGED,
        workspace=ws,
        actor=owner,
        target="viewer@alpha.example",
        before="viewer",
        after="editor",
    )
    audit.record(event=audit.Event.TOKEN_CREATED, workspace=ws, actor=owner, target="BI (trr_ab…)")
    login_with_cookie(page, personas.user(Role.ADMIN))
    page.goto(f"/w/{ws.slug}/settings/")
    page.get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", level=1, name="Audit log")).to_be_visible()
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(2)
    screenshot("all")
    page.get_by_label(re.compile(r"^Event:?$")).select_option("role_changed")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("after=editor before=viewer")
    expect(page).to_have_url(re.compile(r"event=role_changed"))
    screenshot("filtered")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export as CSV").click()
    with open(download.value.path(), encoding="utf-8-sig") as exported:
        text = exported.read()
    assert "role_changed" in text and "token_created" not in text
