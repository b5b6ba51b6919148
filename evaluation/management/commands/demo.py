"""``manage.py demo``: an idempotent demo workspace, for the embedded default only.

It lives in evaluation, the highest layer, because later issues add their demo objects here
through each app's services.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from core.models import Membership, User, Workspace
from core.roles import Role
from core.tenancy import workspace_scope
from evaluation import cycles
from evaluation import services as evaluation_services
from evaluation.models import CatalogueIndicator, Indicator, Lesson, UnitKind
from governance import services as gov
from governance.models import (
    BodyKind,
    DecisionStatus,
    DeliverableKind,
    Element,
    ElementComponent,
    GovernanceBody,
    MethodStep,
    OwnershipKind,
    PartnerKind,
    PartnerOrganisation,
    PartnerRole,
    ProposalStatus,
    StepStatus,
)
from mix.models import Action, MixFamily
from mix.selectors import plan_actions
from mix.services import irrelevant_cell_mark, plan_library_import
from territories import services as territory_services
from territories.models import Audience, Project, ProjectStatus, Territory, TerritoryKind
from tracer.models import Objective, TracerStage
from tracer.reference_data import PLAN_LIBRARY
from tracer.selectors import current_cycle

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
                    "Intercommunalité de la vallée de la Loire\u00a0: patrimoine, vignobles, "
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
                        "et entreprendre au bord de la Loire\u00a0: +300 nouveaux habitants par an "
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
            if not Indicator.objects.filter(project=project).exists():
                self._indicators(owner, workspace, project)
            if not Lesson.objects.filter(project=project).exists():
                self._lessons(owner, workspace, project)
            if not GovernanceBody.objects.filter(project=project).exists():
                self._governance(owner, workspace, project, organisations)

    def _governance(
        self, owner: User, workspace: Workspace, project: Project, organisations: list[Any]
    ) -> None:
        """Partners' details, a steering committee with two meetings and decisions, the method
        half done, a brand with ambassadors, cycle 1 assessed, reviewed and closed, cycle 2 open."""
        me = Membership.objects.get(workspace=workspace, user=owner)
        tourism, chamber = organisations
        partner_members = {o.pk: list(o.members.all()) for o in organisations}
        for organisation, kind, role, site, (name, title, email) in (
            (tourism, PartnerKind.TOURISM_OFFICE, PartnerRole.OPERATOR,
             "https://www.loire-touraine-tourisme.example", PARTNER_CONTACTS[0]),
            (chamber, PartnerKind.CHAMBER, PartnerRole.FUNDING,
             "https://www.cci-touraine.example", PARTNER_CONTACTS[1]),
        ):  # fmt: skip
            gov.partner_organisation_update(
                actor=owner, workspace=workspace, organisation=organisation,
                name=organisation.name, members=partner_members[organisation.pk], kind=kind,
                role=role, website=site,
            )  # fmt: skip
            gov.contact_person_save(
                actor=owner, workspace=workspace, organisation=organisation, full_name=name,
                job_title=title, email=email,
                membership=partner_members[organisation.pk][0],
            )  # fmt: skip
        agency = gov.partner_organisation_create(
            actor=owner, workspace=workspace, name="Agence de développement Touraine Éco",
            kind=PartnerKind.DEVELOPMENT_AGENCY, role=PartnerRole.STEERING,
        )  # fmt: skip
        cycle = current_cycle(project=project)
        # Governance: the steering committee, two meetings, decisions linked to the plan.
        committee = gov.governance_body_save(
            actor=owner, workspace=workspace, project=project, name="Comité de pilotage",
            kind=BodyKind.STEERING, mandate="Valide la stratégie, le plan d'actions et le budget.",
            members=[me, *partner_members[tourism.pk], *partner_members[chamber.pk]],
            organisations=[tourism, chamber, agency],
        )  # fmt: skip
        gov.governance_body_save(
            actor=owner, workspace=workspace, project=project, name="Comité technique",
            kind=BodyKind.TECHNICAL, members=[me], organisations=[tourism, chamber],
        )  # fmt: skip
        objectives = list(Objective.objects.filter(project=project).order_by("id"))
        actions = list(Action.objects.filter(project=project).order_by("id"))
        for held_on, title, minutes, decisions in DEMO_MEETINGS:
            meeting = gov.meeting_save(
                actor=owner, workspace=workspace, body=committee, held_on=held_on, title=title,
                agenda="1. Point d'avancement\n2. Budget\n3. Décisions", minutes=minutes,
                attendees=[me, *partner_members[tourism.pk]],
            )  # fmt: skip
            for n, (text, status, due) in enumerate(decisions):
                gov.decision_save(
                    actor=owner, workspace=workspace, meeting=meeting, text=text, owner=me,
                    status=status, due_date=due, objectives=objectives[n : n + 1],
                    actions=actions[n + 1 : n + 2],
                )  # fmt: skip
        # The method: steps 1 to 5 done, 6 in progress.
        for step in MethodStep.objects.filter(number__lte=6).order_by("number"):
            gov.step_progress_save(
                actor=owner, workspace=workspace, project=project, step=step,
                status=StepStatus.DONE if step.number <= 5 else StepStatus.IN_PROGRESS,
                owner=me, due_date=dt.date(2026, 1, 1) + dt.timedelta(days=30 * step.number),
            )  # fmt: skip
        gov.deliverable_add(
            actor=owner, workspace=workspace, project=project,
            step=MethodStep.objects.get(number=2), kind=DeliverableKind.NOTE,
            title="Fiches marchés", text="Talents, entreprises industrielles, touristes DINK.",
        )  # fmt: skip
        gov.deliverable_add(
            actor=owner, workspace=workspace, project=project,
            step=MethodStep.objects.get(number=4), kind=DeliverableKind.LINK,
            title="Parangonnage des territoires voisins", url="https://example.org/benchmark",
        )  # fmt: skip
        # The brand and its ambassadors.
        gov.brand_platform_save(
            actor=owner, workspace=workspace, project=project, name="Loire Vivante",
            promise="Vivre et entreprendre au bord de la Loire, à une heure de Paris.",
            values="Art de vivre\nSavoir-faire\nOuverture",
            personality="Chaleureuse, fière de son patrimoine, tournée vers l'avenir.",
            proof_points="Patrimoine mondial de l'UNESCO\n1 h de Paris en TGV",
            audiences=list(Audience.objects.filter(code__in=["audience.talents",
                                                               "audience.companies"])),
        )  # fmt: skip
        gov.brand_licensee_save(
            actor=owner, workspace=workspace, project=project, partner=tourism,
            since=dt.date(2026, 3, 1),
        )  # fmt: skip
        for n, (name, ambassador_kind, segment) in enumerate(DEMO_AMBASSADORS):
            gov.ambassador_save(
                actor=owner, workspace=workspace, project=project, name=name, kind=ambassador_kind,
                segment=segment, is_active=n != 3,
                joined_on=dt.date(2026, 2, 1) + dt.timedelta(days=25 * n),
            )  # fmt: skip
        # Cycle 1: pooled means, local ownership, new actors, maturity, then the review.
        for organisation, amount, days in ((tourism, 30000, 20), (chamber, 25000, 12),
                                           (agency, 40000, 8)):  # fmt: skip
            gov.contribution_save(
                actor=owner, workspace=workspace, cycle=cycle, partner=organisation,
                amount=Decimal(amount), days=Decimal(days),
            )  # fmt: skip
        for event_kind, held_on, title, audience, participants, outcomes in DEMO_OWNERSHIP:
            gov.ownership_event_save(
                actor=owner, workspace=workspace, cycle=cycle, kind=event_kind, held_on=held_on,
                title=title, audience=audience, participants=participants, outcomes=outcomes,
            )  # fmt: skip
        gov.actor_proposal_save(
            actor=owner, workspace=workspace, cycle=cycle, name="Université de Tours",
            kind=PartnerKind.UNIVERSITY, status=ProposalStatus.INVITED,
            reason="Retenir les étudiants diplômés\u00a0: la cible talents en dépend.",
        )  # fmt: skip
        gov.actor_proposal_save(
            actor=owner, workspace=workspace, cycle=cycle, name="Club des entreprises du Chinonais",
            kind=PartnerKind.ASSOCIATION, status=ProposalStatus.CONTACTED,
        )  # fmt: skip
        self._maturity(owner, workspace, cycle, DEMO_MATURITY[0])
        # Two cells of the matrix are not relevant for this project: they carry over, not gaps.
        for stage_code, family_code, reason in DEMO_IRRELEVANT_CELLS:
            irrelevant_cell_mark(
                actor=owner, workspace=workspace, project=project, cycle=cycle,
                stage=TracerStage.objects.get(code=stage_code),
                family=MixFamily.objects.get(code=family_code), reason=reason,
            )  # fmt: skip
        unfinished = [a for a in plan_actions(project=project, cycle=cycle)
                      if a.status in cycles.UNFINISHED]  # fmt: skip
        following = cycles.cycle_close(
            actor=owner, workspace=workspace, cycle=cycle, started_on=timezone.localdate(),
            actions=unfinished,
        )  # fmt: skip
        self._maturity(owner, workspace, following, DEMO_MATURITY[1])
        gov.contribution_save(
            actor=owner, workspace=workspace, cycle=following, partner=tourism,
            amount=Decimal(32000), days=Decimal(15),
        )  # fmt: skip

    def _maturity(
        self, owner: User, workspace: Workspace, cycle: Any, scores: dict[str, int]
    ) -> None:
        items = {e.code: e for e in Element.objects.all()} | {
            c.code: c for c in ElementComponent.objects.all()
        }
        gov.maturity_assessment_save(
            actor=owner, workspace=workspace, cycle=cycle,
            scores=[{"item": items[code], "score": score,
                     "justification": MATURITY_REASONS.get(code, "")}
                    for code, score in scores.items()],
        )  # fmt: skip

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

    def _indicators(self, owner: User, workspace: Workspace, project: Project) -> None:
        """Indicators at several TRACER stages and levels, some "lower is better", with two
        years of values: a trend plus a little seeded noise, so every run draws the same."""
        months = _last_months(26)
        for spec in DEMO_INDICATORS:
            code = spec.get("catalogue")
            entry = CatalogueIndicator.objects.get(code=code) if code else None
            stage_code = entry.tracer_stage.code if entry else spec["stage"]
            objective = (
                Objective.objects.filter(project=project, stage__code=stage_code)
                .order_by("priority", "id")
                .first()
            )
            actions = list(Action.objects.filter(objective=objective).order_by("id")[:2])
            frequency = spec["frequency"]
            periods = _periods(frequency, months)
            start, end = Decimal(spec["start"]), Decimal(spec["end"])
            indicator = evaluation_services.indicator_create(
                actor=owner,
                workspace=workspace,
                project=project,
                actions=actions,
                name=entry.label_fr if entry else spec["name"],
                unit=entry.unit_fr if entry else spec["unit"],
                unit_kind=entry.unit_kind if entry else spec["unit_kind"],
                level=entry.level if entry else spec["level"],
                stage=entry.tracer_stage if entry else TracerStage.objects.get(code=stage_code),
                catalogue=entry,
                objective=objective,
                direction=spec["direction"],
                frequency=frequency,
                baseline_value=start,
                baseline_date=periods[0],
                target_value=Decimal(spec["target"]),
                target_date=dt.date(2028, 12, 31),
                source=spec["source"],
            )
            rng = random.Random(code or spec["name"])  # noqa: S311 - demo noise, not security
            for n, period in enumerate(periods):
                trend = start + (end - start) * Decimal(n) / Decimal(max(len(periods) - 1, 1))
                noise = Decimal(rng.uniform(-1, 1)) * Decimal(spec["noise"])
                value = _plausible(trend + noise if n else start, indicator.unit_kind)
                evaluation_services.measurement_record(
                    actor=owner, workspace=workspace, indicator=indicator, period=period,
                    value=value, source=spec["source"],
                )  # fmt: skip
            if spec.get("correct") and len(periods) > 2:
                # A value entered too fast and corrected: the history keeps both.
                period = periods[-2]
                current = indicator.measurements.get(period=period).value
                evaluation_services.measurement_record(
                    actor=owner, workspace=workspace, indicator=indicator, period=period,
                    value=_plausible(current + Decimal(spec["correct"]), indicator.unit_kind),
                    source=spec["source"], note="Chiffre corrigé après consolidation.",
                )  # fmt: skip

    def _lessons(self, owner: User, workspace: Workspace, project: Project) -> None:
        cycle = current_cycle(project=project)
        indicators = {
            i.catalogue.code if i.catalogue else i.name: i for i in project.indicators.all()
        }
        engagement_action = (
            Action.objects.filter(project=project, objective__stage__code="tracer.engagement")
            .order_by("id")
            .first()
        )
        for lesson in DEMO_LESSONS:
            evaluation_services.lesson_save(
                actor=owner,
                workspace=workspace,
                project=project,
                cycle=cycle,
                learned=lesson["learned"],
                source=lesson["source"],
                indicator=indicators.get(lesson.get("indicator", "")),
                action=engagement_action if lesson.get("action") else None,
                policy=lesson["policy"],
                status=lesson["status"],
                sent_to=lesson.get("sent_to", ""),
            )


def _last_months(count: int) -> list[dt.date]:
    """The first days of the ``count`` months before the current one, oldest first."""
    first = dt.date.today().replace(day=1)
    months = []
    for _n in range(count):
        first = (first - dt.timedelta(days=1)).replace(day=1)
        months.append(first)
    return months[::-1]


def _periods(frequency: str, months: list[dt.date]) -> list[dt.date]:
    """The whole periods within ``months``; for yearly indicators, the last three complete
    years (the baseline year, then two years of values)."""
    if frequency == "yearly":
        last = months[-1].year if months[-1].month == 12 else months[-1].year - 1
        return [dt.date(year, 1, 1) for year in (last - 2, last - 1, last)]
    if frequency == "quarterly":
        return [m for m in months if m.month % 3 == 1 and m.replace(month=m.month + 2) in months]
    return months


def _plausible(value: Decimal, unit_kind: str) -> Decimal:
    """Round as the unit is written and keep within its plausible range."""
    if unit_kind in {UnitKind.COUNT, UnitKind.RANK, UnitKind.SIGNED_COUNT}:
        value = value.quantize(Decimal(1))
    else:
        value = value.quantize(Decimal("0.1"))
    if unit_kind == UnitKind.PERCENT:
        value = min(max(value, Decimal(0)), Decimal(100))
    elif unit_kind == UnitKind.RANK:
        value = max(value, Decimal(1))
    elif unit_kind in {UnitKind.COUNT, UnitKind.AMOUNT}:
        value = max(value, Decimal(0))
    return value


# start: the baseline (first period), end: where the trend is now, target: for the end of 2028.
DEMO_INDICATORS: list[dict[str, Any]] = [
    {"catalogue": "kpi.brand.awareness_aided", "direction": "higher", "frequency": "quarterly",
     "start": "18", "end": "24.5", "target": "30", "noise": "1.2",
     "source": "Baromètre de notoriété (institut régional)", "correct": "-1.5"},
    {"catalogue": "kpi.brand.ranking", "direction": "lower", "frequency": "yearly",
     "start": "48", "end": "39", "target": "30", "noise": "1.5",
     "source": "Palmarès des villes où il fait bon travailler"},
    {"catalogue": "kpi.digital.reach", "direction": "higher", "frequency": "monthly",
     "start": "42000", "end": "71000", "target": "90000", "noise": "6000",
     "source": "Statistiques des réseaux sociaux"},
    {"catalogue": "kpi.brand.partners", "direction": "higher", "frequency": "quarterly",
     "start": "12", "end": "31", "target": "50", "noise": "1", "source": "Registre de la marque"},
    {"catalogue": "kpi.eco.prospects", "direction": "higher", "frequency": "quarterly",
     "start": "9", "end": "17", "target": "25", "noise": "2.5", "source": "CRM partagé",
     "correct": "2"},
    {"catalogue": "kpi.eco.implantations", "direction": "higher", "frequency": "yearly",
     "start": "6", "end": "9", "target": "15", "noise": "0.6",
     "source": "Agence de développement économique"},
    {"catalogue": "kpi.res.new_residents", "direction": "higher", "frequency": "yearly",
     "start": "180", "end": "236", "target": "300", "noise": "12", "source": "INSEE"},
    {"name": "Taux de vacance commerciale (centre de Chinon)", "unit": "%",
     "unit_kind": "percent", "level": "impact", "stage": "tracer.retention",
     "direction": "lower", "frequency": "quarterly", "start": "14.5", "end": "11.8",
     "target": "9", "noise": "0.4", "source": "Observatoire du commerce (CCI Touraine)"},
]  # fmt: skip

DEMO_LESSONS: list[dict[str, Any]] = [
    {
        "learned": (
            "Les salons professionnels coûtent cher pour peu de prospects qualifiés\u00a0; "
            "les webinaires sectoriels avec la CCI en apportent deux fois plus."
        ),
        "source": "evaluation",
        "indicator": "kpi.eco.prospects",
        "policy": "economic",
        "status": "sent",
        "sent_to": "Agence de développement économique",
    },
    {
        "learned": (
            "La vacance commerciale recule dans les rues où les loyers ont été négociés avec "
            "les propriétaires\u00a0: la démarche est à étendre aux rues adjacentes."
        ),
        "source": "action",
        "indicator": "Taux de vacance commerciale (centre de Chinon)",
        "policy": "urbanism",
        "status": "proposed",
        "sent_to": "Service urbanisme de la ville de Chinon",
    },
    {
        "learned": (
            "Les nouveaux habitants citent d'abord le manque de logements locatifs de qualité "
            "pour les jeunes actifs."
        ),
        "source": "workshop",
        "indicator": "kpi.res.new_residents",
        "policy": "housing",
        "status": "acted_on",
        "sent_to": "Service habitat de la communauté de communes",
    },
    {
        "learned": (
            "Les ambassadeurs les plus actifs sont des chefs d'entreprise\u00a0: un kit de "
            "présentation du territoire les aiderait à convaincre leurs recrues."
        ),
        "source": "workshop",
        "action": True,
        "policy": "marketing",
        "status": "proposed",
    },
]


PARTNER_CONTACTS = [
    ("Claire Martin", "Responsable marketing", "tourisme@territoria.local"),
    ("Karim Benali", "Chargé d'attractivité", "cci@territoria.local"),
]

DEMO_MEETINGS = [
    (dt.date(2026, 2, 10), "Lancement de la démarche",
     "**Validé**\u00a0: le diagnostic partagé et le calendrier.\n\n- La CCI pilote la cible entreprises\n"
     "- L'office de tourisme pilote la cible touristes",
     [("Lancer le club des ambassadeurs avant l'été.", DecisionStatus.DONE, dt.date(2026, 6, 30)),
      ("Mutualiser un CRM entre l'office de tourisme et la CCI.", DecisionStatus.IN_PROGRESS,
       dt.date(2026, 12, 31))]),
    (dt.date(2026, 6, 18), "Bilan du premier semestre",
     "Les résultats de notoriété progressent\u00a0; le budget salons est revu à la baisse.",
     [("Remplacer deux salons par des webinaires sectoriels.", DecisionStatus.OPEN,
       dt.date(2026, 9, 30))]),
]  # fmt: skip

DEMO_AMBASSADORS = [
    ("Jeanne Moreau-Lefèvre", "person", "Chefs d'entreprise"),
    ("Domaine des Coteaux", "organisation", "Viticulteurs"),
    ("Thomas Nguyen", "person", "Diaspora (Paris)"),
    ("Sophie Garnier", "person", "Jeunes actifs"),
    ("Atelier Loire Numérique", "organisation", "Start-up"),
]

DEMO_OWNERSHIP = [
    (OwnershipKind.PUBLIC_MEETING, dt.date(2026, 3, 12), "Réunion publique de lancement",
     "Habitants de Chinon", 120, "Forte attente sur le logement des jeunes actifs."),
    (OwnershipKind.WORKSHOP, dt.date(2026, 4, 9), "Atelier commerçants du centre-ville",
     "Commerçants", 28, "Idée d'une carte de fidélité commune."),
    (OwnershipKind.SURVEY, dt.date(2026, 5, 20), "Enquête fierté d'appartenance",
     "Habitants", 640, "72 % recommanderaient le territoire à un proche."),
]  # fmt: skip

DEMO_IRRELEVANT_CELLS = [
    (
        "tracer.retention",
        "mix.price",
        "Les tarifs relèvent des opérateurs privés, pas de la démarche.",
    ),
    (
        "tracer.together",
        "mix.labels_awards",
        "Pas de label à créer pour réunir les acteurs du territoire.",
    ),
]

DEMO_MATURITY = [
    {"element.organisation": 2, "element.local_ownership": 1, "element.method": 2,
     "element.mix": 2, "element.evaluation": 1, "element.feedback": 1, "element.new_actors": 1,
     "element.organisation.governance": 3, "element.organisation.internal_info": 1,
     "element.organisation.strategy_links": 2, "element.organisation.operational_steering": 2,
     "element.organisation.brand_management": 1, "element.organisation.pooling": 2},
    {"element.organisation": 3, "element.local_ownership": 2, "element.method": 3,
     "element.mix": 3, "element.evaluation": 2, "element.feedback": 2, "element.new_actors": 2},
]  # fmt: skip

MATURITY_REASONS = {
    "element.organisation": "Comité de pilotage en place, réunions trimestrielles.",
    "element.local_ownership": "Une réunion publique et une enquête\u00a0; peu de retours aux habitants.",
    "element.evaluation": "Indicateurs définis, mesures encore irrégulières.",
}
