"""The flows a person does in Territoria, driven in headless Chromium against the live server.

Each test asserts what the person sees (headings, messages, inline errors, the header menus),
and saves screenshots at its key steps under test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.utils import translation
from playwright.sync_api import Page, expect

from core.models import Membership, User, Workspace
from core.roles import Role
from core.tenancy import scopes_disabled
from territories.models import Cycle, Project, Territory
from tests.conftest import PASSWORD, Personas
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Loire-Valley-2026!"


def post_to(path: str) -> Any:
    """A predicate for ``page.expect_response``: the POST answer of ``path``."""
    return lambda response: response.request.method == "POST" and response.url.endswith(path)


def field(scope: Any, label: str) -> Any:
    """The form field labelled ``label`` (Django adds a ``:`` suffix to its labels)."""
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))


def main_nav(page: Page, name: str = "Main") -> Any:
    return page.get_by_role("navigation", name=name, exact=True)


def switcher(page: Page) -> Any:
    return page.get_by_test_id("workspace-switcher")


def login_with_form(
    page: Page, email: str, password: str = PASSWORD, *, screenshot: Any = None
) -> None:
    """Log in through the real login page, as a person does."""
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", level=1, name="Log in")).to_be_visible()
    field(page, "E-mail address").fill(email)
    field(page, "Password").fill(password)
    if screenshot:
        screenshot("0-login")
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


# --- 1. Sign up ------------------------------------------------------------------------------


def test_sign_up_from_the_landing_page(page: Page, screenshot: Any) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Territorial marketing, planned together"
    )
    screenshot("1-landing")

    page.get_by_role("link", name="Create your workspace").click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    expect(page.get_by_role("heading", level=1, name="Create your workspace")).to_be_visible()

    field(page, "Your name").fill("Claire Martin")
    field(page, "E-mail address").fill("claire@loire-attractivite.example")
    field(page, "Password").fill(NEW_PASSWORD)
    field(page, "Password again").fill("Something-else-2026!")
    field(page, "Workspace name").fill("Loire Valley Agency")
    page.evaluate("window.__sameDocument = true")
    with page.expect_response(post_to("/accounts/signup/")) as answer:
        page.get_by_role("button", name="Create my workspace").click()
    assert answer.value.status == 422

    # The form fragment was swapped in place: same document, errors inline, input kept.
    expect(page.get_by_role("alert")).to_contain_text("Please correct the errors below.")
    expect(page.get_by_text("The two passwords differ.")).to_be_visible()
    expect(field(page, "Password again")).to_have_attribute("aria-invalid", "true")
    expect(field(page, "Password again")).to_be_focused()  # territoria.js, after the swap
    expect(field(page, "E-mail address")).to_have_value("claire@loire-attractivite.example")
    expect(field(page, "Your name")).to_have_value("Claire Martin")
    expect(field(page, "Workspace name")).to_have_value("Loire Valley Agency")
    assert page.evaluate("window.__sameDocument") is True
    assert not User.objects.filter(email="claire@loire-attractivite.example").exists()
    screenshot("2-passwords-differ")

    field(page, "Password").fill(NEW_PASSWORD)
    field(page, "Password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create my workspace").click()

    expect(page).to_have_url(re.compile(r"/w/loire-valley-agency/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Loire Valley Agency")
    expect(page.get_by_text("Welcome to Territoria! Your workspace is ready.")).to_be_visible()
    expect(switcher(page).locator("summary")).to_contain_text("Loire Valley Agency")
    expect(page.get_by_test_id("count-territories")).to_have_text("0")
    screenshot("3-workspace-home")

    workspace = Workspace.objects.get(slug="loire-valley-agency")
    with scopes_disabled():
        owner = Membership.unscoped_objects.get(workspace=workspace)
    assert (owner.user.email, owner.role) == ("claire@loire-attractivite.example", Role.OWNER)


# --- 2. Territories and projects -------------------------------------------------------------


def test_create_territory_micro_territory_and_project(
    page: Page, personas: Personas, login_with_cookie: Any, screenshot: Any
) -> None:
    login_with_cookie(page, personas.user(Role.EDITOR))
    page.goto("/w/alpha/")
    main_nav(page).get_by_role("link", name="Territories").click()
    expect(page.get_by_role("heading", level=1, name="Territories")).to_be_visible()
    expect(page.get_by_text("No territory yet")).to_be_visible()

    page.get_by_role("link", name="New territory", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="New territory")).to_be_visible()
    kind = field(page, "Kind")
    # The kinds come grouped by scale: a town centre is a micro-territory.
    expect(kind.locator("optgroup[label='Strategic scale'] option")).to_contain_text(
        ["Region", "City"]
    )
    expect(
        kind.locator("optgroup[label='Micro-territories (tactical scale)'] option")
    ).to_contain_text(["Town centre", "Business park"])
    field(page, "Name").fill("Loire Valley")
    kind.select_option(label="Region")
    field(page, "Description").fill("Castles, vineyards and the river.")
    screenshot("1-territory-form")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Loire Valley")
    expect(page.get_by_text("Territory created.")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("Region")
    expect(page.get_by_text("Castles, vineyards and the river.")).to_be_visible()

    page.get_by_role("link", name="Add a micro-territory here").click()
    expect(page.get_by_role("heading", level=1, name="New territory")).to_be_visible()
    parent = field(page, "Parent territory")
    expect(parent.locator("option:checked")).to_have_text("Loire Valley")
    field(page, "Name").fill("Tours Town Centre")
    field(page, "Kind").select_option(label="Town centre")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Tours Town Centre")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("Town centre · micro-territory (tactical scale)")
    expect(facts).to_contain_text("Loire Valley")
    screenshot("2-micro-territory")
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="Loire Valley"
    ).click()
    children = page.get_by_role("region", name="Micro-territories and sub-areas")
    expect(children.get_by_role("link", name="Tours Town Centre")).to_be_visible()

    # The list shows both, the micro-territory marked; searching narrows it in place.
    main_nav(page).get_by_role("link", name="Territories").click()
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="Tours Town Centre")).to_contain_text("micro")
    field(page, "Search").fill("Tours")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Tours Town Centre")
    expect(page).to_have_url(re.compile(r"\?q=Tours"))
    expect(page.locator("#results")).to_have_count(1)  # the results were replaced, not nested
    screenshot("3-territory-search")

    # A project on the territory; first without a name.
    main_nav(page).get_by_role("link", name="Projects").click()
    expect(page.get_by_text("No project yet")).to_be_visible()
    page.get_by_role("link", name="New project", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="New project")).to_be_visible()
    field(page, "Territory").select_option(label="Loire Valley")
    field(page, "Ambition").fill("Make the valley the place to start a wine business.")
    field(page, "Status").select_option(label="Active")
    expect(field(page, "Start date")).to_have_attribute("type", "date")
    field(page, "Start date").fill("2026-03-02")
    with page.expect_response(post_to("/w/alpha/projects/new/")) as answer:
        page.get_by_role("button", name="Save").click()
    assert answer.value.status == 422
    expect(page.get_by_role("alert")).to_contain_text("Please correct the errors below.")
    expect(field(page, "Name")).to_have_attribute("aria-invalid", "true")
    expect(field(page, "Name")).to_be_focused()
    expect(page.locator("#project-form")).to_contain_text("This field is required.")
    expect(field(page, "Ambition")).to_have_value(
        "Make the valley the place to start a wine business."
    )
    expect(field(page, "Territory").locator("option:checked")).to_have_text("Loire Valley")
    expect(field(page, "Status")).to_have_value("active")
    expect(field(page, "Start date")).to_have_value("2026-03-02")
    with scopes_disabled():
        assert not Project.unscoped_objects.exists()
    screenshot("4-project-missing-name")

    field(page, "Name").fill("Wine Entrepreneurs 2026")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Wine Entrepreneurs 2026")
    expect(page.get_by_text("Project created. Cycle 1 is open.")).to_be_visible()
    cycles = page.get_by_role("region", name="Cycles")
    expect(cycles.get_by_role("listitem")).to_have_count(1)
    expect(cycles.get_by_role("listitem")).to_contain_text("Cycle 1")
    expect(cycles.get_by_role("listitem")).to_contain_text("2 March 2026")
    facts = page.locator("dl.facts")
    expect(facts.get_by_role("link", name="Loire Valley")).to_be_visible()
    expect(facts).to_contain_text("Active")
    screenshot("5-project")

    with scopes_disabled():
        micro = Territory.unscoped_objects.get(name="Tours Town Centre")
        assert micro.parent.name == "Loire Valley"
        project = Project.unscoped_objects.get(name="Wine Entrepreneurs 2026")
        assert project.territory.name == "Loire Valley"
        assert list(
            Cycle.unscoped_objects.filter(project=project).values_list("number", flat=True)
        ) == [1]


# --- 3. French ------------------------------------------------------------------------------


def test_switch_to_french(page: Page, reference_data: None, screenshot: Any) -> None:
    with translation.override("fr"):
        french = {
            "Main": translation.gettext("Main"),
            "Frameworks": translation.gettext("Frameworks"),
            "The frameworks": translation.gettext("The frameworks"),
        }

    page.goto("/frameworks/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    stages = page.get_by_test_id("stages")
    expect(stages).to_contain_text("All together")
    expect(page.get_by_role("button", name="EN", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    screenshot("1-english")

    page.get_by_role("button", name="FR", exact=True).click()

    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page).to_have_url(re.compile(r"/frameworks/$"))
    expect(page.get_by_role("button", name="FR", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    # Reference data: the French labels stored next to the English ones.
    expect(stages.locator("li[data-code='tracer.together'] h3")).to_contain_text("Tous réunis")
    expect(stages.locator("li[data-code='tracer.reputation'] h3")).to_contain_text("Réputation")
    expect(stages).not_to_contain_text("All together")
    # Interface strings: whatever the French catalogue says (the English text until it is
    # compiled), in the header navigation and the page heading.
    expect(
        main_nav(page, french["Main"]).get_by_role("link", name=french["Frameworks"], exact=True)
    ).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("heading", level=1)).to_have_text(french["The frameworks"])
    screenshot("2-french")

    # The choice sticks: the next page is French too.
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")


# --- 4. Invite a partner --------------------------------------------------------------------


def test_owner_invites_a_partner_who_joins(
    page: Page,
    new_context: Any,
    live_server: Any,
    personas: Personas,
    login_with_cookie: Any,
    screenshot: Any,
    screenshot_of: Any,
) -> None:
    invitee = "lea@tourism-office.example"
    login_with_cookie(page, personas.user(Role.OWNER))
    page.goto("/w/alpha/members/")
    invitations = page.get_by_role("region", name="Pending invitations")
    expect(invitations).to_contain_text("No pending invitations.")

    invite = page.locator("#invite-form")
    field(invite, "E-mail address").fill(invitee)
    field(invite, "Role").select_option(label="Partner")
    screenshot("1-invite-form")
    page.evaluate("window.__sameDocument = true")
    with page.expect_response(post_to("/w/alpha/members/")) as answer:
        invite.get_by_role("button", name="Send invitation").click()
    assert answer.value.status == 200

    expect(invitations.get_by_role("listitem")).to_have_count(1)
    expect(invitations.get_by_role("listitem")).to_contain_text(invitee)
    expect(invitations.get_by_role("listitem")).to_contain_text("Partner")
    expect(page.get_by_role("status").filter(has_text="Invitation sent to")).to_contain_text(
        invitee
    )
    expect(field(invite, "E-mail address")).to_have_value("")  # a fresh form for the next one
    assert page.evaluate("window.__sameDocument") is True  # no page reload
    screenshot("2-invitation-pending")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [invitee]
    assert "Alpha Attractiveness" in message.subject
    links = re.findall(r"https?://\S+/invitations/\S+/", message.body)
    assert len(links) == 1, message.body
    link = links[0]
    assert link.startswith(f"{live_server.url}/invitations/")

    # The partner opens the link in their own browser.
    partner = new_context().new_page()
    partner.goto(link)
    expect(partner.get_by_role("heading", level=1)).to_have_text("Join Alpha Attractiveness")
    expect(partner.get_by_text("You are invited as Partner.")).to_be_visible()
    expect(field(partner, "E-mail address")).to_have_value(invitee)
    expect(field(partner, "E-mail address")).to_be_disabled()
    expect(field(partner, "Workspace name")).to_have_count(0)
    field(partner, "Your name").fill("Léa Dubois")
    field(partner, "Password").fill(NEW_PASSWORD)
    field(partner, "Password again").fill(NEW_PASSWORD)
    screenshot_of(partner, "3-partner-signup")
    partner.get_by_role("button", name="Create my account and join").click()

    expect(partner).to_have_url(re.compile(r"/w/alpha/$"))
    expect(partner.get_by_role("heading", level=1)).to_have_text("Alpha Attractiveness")
    expect(partner.get_by_text("Welcome to Alpha Attractiveness!")).to_be_visible()
    expect(partner.get_by_text("No project is shared with your organisation yet.")).to_be_visible()
    partner_switcher = switcher(partner)
    expect(partner_switcher.locator("summary")).to_contain_text("Alpha Attractiveness")
    partner_switcher.locator("summary").click()
    current = partner_switcher.get_by_role("link", name=re.compile(r"^Alpha Attractiveness"))
    expect(current).to_have_attribute("aria-current", "true")
    expect(current).to_contain_text("Partner")
    expect(partner_switcher.get_by_role("link", name=re.compile(r"^Beta Agency"))).to_have_count(0)
    screenshot_of(partner, "4-partner-home")

    # Back in the owner's browser: the new member, with the Partner role; nothing pending.
    page.reload()
    row = page.get_by_role("row").filter(has_text=invitee)
    expect(row.get_by_role("rowheader")).to_have_text("Léa Dubois")
    expect(row.get_by_label("Role of Léa Dubois")).to_have_value(Role.PARTNER)
    expect(row.get_by_label("Role of Léa Dubois").locator("option:checked")).to_have_text("Partner")
    expect(invitations).to_contain_text("No pending invitations.")
    screenshot("5-members")


# --- 5. The workspace switcher --------------------------------------------------------------


def test_switch_workspace_from_the_header(page: Page, personas: Personas, screenshot: Any) -> None:
    consultant = UserFactory(email="camille@consulting.example", full_name="Camille Consultant")
    MembershipFactory(workspace=personas.workspace, user=consultant, role=Role.EDITOR)
    MembershipFactory(workspace=personas.other_workspace, user=consultant, role=Role.ADMIN)

    login_with_form(page, "camille@consulting.example", screenshot=screenshot)
    # Two workspaces: home is the list of them.
    expect(page.get_by_role("heading", level=1)).to_have_text("Your workspaces")
    page.get_by_role("main").get_by_role("link", name=re.compile(r"^Alpha Attractiveness")).click()
    expect(page).to_have_url(re.compile(r"/w/alpha/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Alpha Attractiveness")

    menu = switcher(page)
    items = menu.get_by_role("link", name=re.compile(r"^(Alpha Attractiveness|Beta Agency)"))
    expect(menu).not_to_have_attribute("open", "")  # the <details> menu starts closed
    expect(items).to_have_count(0)  # (closed: its links are hidden)
    menu.locator("summary").click()
    expect(menu).to_have_attribute("open", "")
    expect(items).to_have_count(2)
    alpha = menu.get_by_role("link", name=re.compile(r"^Alpha Attractiveness"))
    beta = menu.get_by_role("link", name=re.compile(r"^Beta Agency"))
    expect(alpha).to_have_attribute("aria-current", "true")
    expect(alpha).to_contain_text("Editor")
    expect(beta).to_contain_text("Admin")
    expect(beta).not_to_have_attribute("aria-current", "true")
    screenshot("1-switcher-open")

    beta.click()
    expect(page).to_have_url(re.compile(r"/w/beta/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Beta Agency")
    expect(menu.locator("summary")).to_contain_text("Beta Agency")
    expect(menu).not_to_have_attribute("open", "")
    screenshot("2-other-workspace")
