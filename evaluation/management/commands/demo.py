"""``manage.py demo``: an idempotent demo workspace, for the embedded default only.

It lives in evaluation, the highest layer, because later issues add their demo objects here
through each app's services.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.models import Membership, User, Workspace
from core.roles import Role
from core.tenancy import workspace_scope
from governance.models import PartnerOrganisation
from mix.models import Action
from mix.services import plan_library_import
from territories import services as territory_services
from territories.models import Project, ProjectStatus, Territory, TerritoryKind
from tracer.models import Objective
from tracer.reference_data import PLAN_LIBRARY

DEMO_PASSWORD = "demo"  # noqa: S105 - a published demo login, refused outside DEBUG
OWNER_EMAIL = "demo@territoria.local"
PARTNERS = [
    ("tourisme@territoria.local", "Claire Martin", "Office de tourisme Loire-Touraine"),
    ("cci@territoria.local", "Karim Benali", "CCI Touraine"),
]


class Command(BaseCommand):
    help = "Create (or refresh) the demo workspace with its demo login. Local development only."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "The demo data is for local development: it refuses to run with DEBUG off."
            )
        if not settings.EMBEDDED:
            raise CommandError("The demo data is only for the embedded default (no DATABASE_URL).")
        with transaction.atomic():
            self._create()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo workspace ready. Log in as {OWNER_EMAIL} / password: {DEMO_PASSWORD}"
            )
        )

    def _user(self, email: str, name: str) -> User:
        user, created = User.objects.get_or_create(email=email, defaults={"full_name": name})
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save()
        return user

    def _create(self) -> None:
        owner = self._user(OWNER_EMAIL, "Camille Demo")
        workspace, _created = Workspace.objects.get_or_create(
            slug="demo", defaults={"name": "Loire-Touraine Attractivité (démo)"}
        )
        with workspace_scope(workspace):
            Membership.objects.get_or_create(
                workspace=workspace, user=owner, defaults={"role": Role.OWNER}
            )
            area = Territory.objects.filter(
                name="Loire-Touraine"
            ).first() or territory_services.territory_create(
                actor=owner,
                workspace=workspace,
                name="Loire-Touraine",
                kind=TerritoryKind.INTERCOMMUNALITY,
                description=(
                    "Intercommunalité de la vallée de la Loire : patrimoine, vignobles, "
                    "un tissu de PME industrielles et un campus en construction."
                ),
            )
            if not Territory.objects.filter(name="Centre-ville de Chinon").exists():
                territory_services.territory_create(
                    actor=owner,
                    workspace=workspace,
                    name="Centre-ville de Chinon",
                    kind=TerritoryKind.TOWN_CENTRE,
                    parent=area,
                    description="Le cœur historique et sa rue commerçante, au pied de la forteresse.",
                )
            project = Project.objects.filter(name="Attractivité Loire-Touraine 2026-2028").first()
            if project is None:
                project = territory_services.project_create(
                    actor=owner,
                    workspace=workspace,
                    territory=area,
                    name="Attractivité Loire-Touraine 2026-2028",
                    ambition=(
                        "Faire de Loire-Touraine la destination des actifs qui veulent vivre "
                        "et entreprendre au bord de la Loire : +300 nouveaux habitants par an "
                        "et 15 implantations d'entreprises d'ici 2028."
                    ),
                    status=ProjectStatus.ACTIVE,
                    start_date=dt.date(2026, 1, 15),
                )
            organisations = []
            for email, name, organisation_name in PARTNERS:
                user = self._user(email, name)
                membership, _ = Membership.objects.get_or_create(
                    workspace=workspace, user=user, defaults={"role": Role.PARTNER}
                )
                organisation, _ = PartnerOrganisation.objects.get_or_create(
                    workspace=workspace, name=organisation_name
                )
                organisation.members.add(membership)
                organisation.shared_projects.add(project)
                organisations.append(organisation)
            if not Objective.objects.filter(project=project).exists():
                self._plan(owner, workspace, project, organisations)

    def _plan(
        self, owner: User, workspace: Workspace, project: Project, organisations: list[Any]
    ) -> None:
        """Objectives in all six TRACER stages, with dated, budgeted actions led by partners."""
        objectives = plan_library_import(
            actor=owner,
            workspace=workspace,
            project=project,
            stage_codes=[code for code, *_rest in PLAN_LIBRARY],
            language="fr",
        )
        Objective.objects.filter(pk__in=[o.pk for o in objectives]).update(is_draft=False)
        statuses = ["done", "in_progress", "planned", "planned", "idea"]
        start = dt.date(2026, 2, 1)
        for n, action in enumerate(Action.objects.filter(project=project).order_by("id")):
            first = start + dt.timedelta(days=21 * n)
            Action.objects.filter(pk=action.pk).update(
                status=statuses[n % len(statuses)],
                start_date=first,
                end_date=first + dt.timedelta(days=30 + 15 * (n % 4)),
                budget_planned=Decimal(5000 + 2500 * (n % 5)),
                budget_spent=Decimal(1500 * (n % 3)),
                lead_partner=organisations[n % len(organisations)],
            )
