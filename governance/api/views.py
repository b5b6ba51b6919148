"""The workspace API for governance and the method: partner organisations and their contacts,
governance bodies, meetings and decisions, the method tracker and its deliverables, the maturity
assessment, pooled means, local ownership, new actors and the brand.

Partners read those of the projects shared with their organisation and change nothing; the
permission actions are the pages' (core.roles). Every write goes through governance.services.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view

from core.apifilters import code_filter, scoped_uuid_filter, updated_since
from core.models import Membership
from core.restapi import Conflict, WorkspaceViewSet, changed
from governance import services
from governance.api.serializers import (
    ActorProposalSerializer,
    AmbassadorSerializer,
    BrandLicenseeSerializer,
    BrandPlatformSerializer,
    ContactPersonSerializer,
    ContributionSerializer,
    DecisionSerializer,
    DeliverableSerializer,
    GovernanceBodySerializer,
    MaturityAssessmentSerializer,
    MaturityScoreSerializer,
    MeetingSerializer,
    OwnershipEventSerializer,
    PartnerOrganisationSerializer,
    StepProgressSerializer,
    in_visible_projects,
)
from governance.models import (
    ActorProposal,
    Ambassador,
    AmbassadorKind,
    BodyKind,
    BrandLicensee,
    BrandPlatform,
    ContactPerson,
    Contribution,
    Decision,
    DecisionStatus,
    Deliverable,
    DeliverableKind,
    Element,
    ElementComponent,
    GovernanceBody,
    MaturityAssessment,
    MaturityScore,
    Meeting,
    MethodStep,
    OwnershipEvent,
    OwnershipKind,
    PartnerKind,
    PartnerOrganisation,
    PartnerRole,
    ProposalStatus,
    StepProgress,
    StepStatus,
)
from governance.selectors import partner_organisation_list
from territories.api.filters import cycle_filter
from territories.api.serializers import only_visible_projects
from territories.models import Cycle, Project
from territories.selectors import visible_projects

EXAMPLE_BASE = "http://127.0.0.1:8000/api/v1/w/cote-d-opale"
EXAMPLE_PROJECT = "6a1f0e2d-3c4b-4a59-8e7f-9d0c1b2a3f4e"
EXAMPLE_CYCLE = "7b2e1f3c-4d5a-4b6c-9d8e-0f1a2b3c4d5e"
EXAMPLE_PARTNER = "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"
EXAMPLE_MEMBER = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b"
EXAMPLE_BODY = "2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a"
EXAMPLE_MEETING = "3e4f5a6b-7c8d-4e9f-8a1b-2c3d4e5f6a7b"
EXAMPLE_PLATFORM = "4f5a6b7c-8d9e-4f0a-9b2c-3d4e5f6a7b8c"
EXAMPLE_PROGRESS = "5a6b7c8d-9e0f-4a1b-8c3d-4e5f6a7b8c9d"
EXAMPLE_ASSESSMENT = "6b7c8d9e-0f1a-4b2c-9d4e-5f6a7b8c9d0e"
EXAMPLE_USER = "4f7d3c2a-1b0e-4c5d-8e9f-a1b2c3d4e5f6"


def _url(route: str, uuid: str) -> str:
    return f"{EXAMPLE_BASE}/{route}/{uuid}/"


def _project_filter(path: str = "project") -> Any:
    return scoped_uuid_filter(
        Project, field_name=path, limit=only_visible_projects, help_text="A project's id."
    )


def _renamed(error: ValidationError, names: dict[str, str]) -> ValidationError:
    """A service's field errors under the API's field names."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError({names.get(k, k): v for k, v in error.message_dict.items()})


class PartnerOrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(choices=PartnerKind.choices)
    role = django_filters.ChoiceFilter(choices=PartnerRole.choices)


@extend_schema_view(
    list=extend_schema(summary="List partner organisations"),
    retrieve=extend_schema(summary="Get a partner organisation"),
    create=extend_schema(summary="Create a partner organisation"),
    partial_update=extend_schema(
        summary="Update a partner organisation (name, kind, role, website, notes, members)"
    ),
    destroy=extend_schema(summary="Delete a partner organisation that takes part in no action"),
)
class PartnerOrganisationViewSet(WorkspaceViewSet):
    """The project's partners. Admins manage them; everyone reads them."""

    model = PartnerOrganisation
    serializer_class = PartnerOrganisationSerializer
    filterset_class = PartnerOrganisationFilter
    ordering_fields = ["name", "kind", "role", "created_at"]
    ordering = ["name", "id"]
    actions_map = {
        "list": "partner_org.view",
        "retrieve": "partner_org.view",
        "create": "partner_org.manage",
        "partial_update": "partner_org.manage",
        "destroy": "partner_org.manage",
    }
    schema_example = {
        "id": EXAMPLE_PARTNER,
        "url": _url("partner-organisations", EXAMPLE_PARTNER),
        "name": "Office de tourisme du Boulonnais",
        "kind": "tourism_office",
        "role": "operator",
        "website": "https://www.tourisme-boulonnais.example",
        "notes": "Runs the visitor centre and the seaside campaign.",
        "logo_url": f"{EXAMPLE_BASE.replace('/api/v1', '')}/partners/{EXAMPLE_PARTNER}/logo/",
        "members": [EXAMPLE_MEMBER],
        "contacts": [
            {
                "id": "0a9b8c7d-6e5f-4a3b-9c1d-0e9f8a7b6c5d",
                "full_name": "Claire Martin",
                "job_title": "Director",
                "email": "claire.martin@tourisme-boulonnais.example",
                "phone": "+33 3 21 00 00 00",
            }
        ],
        "shared_projects": [EXAMPLE_PROJECT],
        "member_count": 1,
        "project_count": 1,
        "led_count": 3,
        "contributed_count": 5,
        "created_at": "2026-01-12T09:30:00Z",
    }

    def visible(self) -> Any:
        return partner_organisation_list(membership=self.membership).prefetch_related(
            Prefetch("members"),
            Prefetch("shared_projects"),
            Prefetch("contacts", queryset=ContactPerson.objects.order_by("full_name", "id")),
        )

    def perform_create(self, serializer: Any) -> PartnerOrganisation:
        return services.partner_organisation_create(
            actor=self.request.user, workspace=self.workspace, **changed(serializer)
        )

    def perform_update(self, serializer: Any) -> PartnerOrganisation:
        organisation: PartnerOrganisation = serializer.instance
        data = changed(serializer)
        return services.partner_organisation_update(
            actor=self.request.user,
            workspace=self.workspace,
            organisation=organisation,
            name=data.get("name", organisation.name),
            members=data.get("members", organisation.members.all()),
            kind=data.get("kind", organisation.kind),
            role=data.get("role", organisation.role),
            website=data.get("website", organisation.website),
            notes=data.get("notes", organisation.notes),
        )

    def perform_destroy(self, instance: PartnerOrganisation) -> None:
        try:
            services.partner_organisation_delete(
                actor=self.request.user, workspace=self.workspace, organisation=instance
            )
        except ValidationError as exc:
            raise Conflict(" ".join(exc.messages)) from exc


# --- Contact people ------------------------------------------------------------------------------


class ContactPersonFilter(django_filters.FilterSet):
    organisation = scoped_uuid_filter(
        PartnerOrganisation, field_name="organisation", help_text="An organisation's id."
    )
    q = django_filters.CharFilter(field_name="full_name", lookup_expr="icontains")


@extend_schema_view(
    list=extend_schema(summary="List contact people of partner organisations"),
    retrieve=extend_schema(summary="Get a contact person"),
    create=extend_schema(summary="Add a contact person to a partner organisation"),
    partial_update=extend_schema(summary="Update a contact person"),
    destroy=extend_schema(summary="Delete a contact person"),
)
class ContactPersonViewSet(WorkspaceViewSet):
    """The people to talk to at each partner organisation. Everyone reads them, as on the
    organisation's page; admins manage them."""

    model = ContactPerson
    serializer_class = ContactPersonSerializer
    filterset_class = ContactPersonFilter
    ordering_fields = ["full_name"]
    ordering = ["full_name", "id"]
    actions_map = {
        "list": "partner_org.view",
        "retrieve": "partner_org.view",
        "create": "partner_org.manage",
        "partial_update": "partner_org.manage",
        "destroy": "partner_org.manage",
    }
    schema_example = {
        "id": "0a9b8c7d-6e5f-4a3b-9c1d-0e9f8a7b6c5d",
        "url": _url("contact-people", "0a9b8c7d-6e5f-4a3b-9c1d-0e9f8a7b6c5d"),
        "organisation": EXAMPLE_PARTNER,
        "organisation_url": _url("partner-organisations", EXAMPLE_PARTNER),
        "full_name": "Claire Martin",
        "job_title": "Director",
        "email": "claire.martin@tourisme-boulonnais.example",
        "phone": "+33 3 21 00 00 00",
        "membership": EXAMPLE_MEMBER,
        "membership_url": _url("members", EXAMPLE_MEMBER),
    }

    def visible(self) -> Any:
        return ContactPerson.objects.select_related("organisation", "membership")

    def perform_create(self, serializer: Any) -> ContactPerson:
        data = changed(serializer)
        return services.contact_person_save(
            actor=self.request.user,
            workspace=self.workspace,
            organisation=data.pop("organisation"),
            **data,
        )

    def perform_update(self, serializer: Any) -> ContactPerson:
        contact: ContactPerson = serializer.instance
        return services.contact_person_save(
            actor=self.request.user,
            workspace=self.workspace,
            organisation=contact.organisation,
            contact=contact,
            **changed(serializer),
        )

    def perform_destroy(self, instance: ContactPerson) -> None:
        services.contact_person_delete(
            actor=self.request.user, workspace=self.workspace, contact=instance
        )


# --- Governance bodies, meetings, decisions ------------------------------------------------------

GOVERNANCE_ACTIONS = {
    "list": "governance.view",
    "retrieve": "governance.view",
    "create": "governance.manage",
    "partial_update": "governance.manage",
    "destroy": "governance.manage",
}


class GovernanceBodyFilter(django_filters.FilterSet):
    project = _project_filter()
    kind = django_filters.ChoiceFilter(choices=BodyKind.choices)
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains")


@extend_schema_view(
    list=extend_schema(summary="List governance bodies"),
    retrieve=extend_schema(summary="Get a governance body"),
    create=extend_schema(summary="Create a governance body for a project"),
    partial_update=extend_schema(summary="Update a governance body"),
    destroy=extend_schema(summary="Delete a governance body with its meetings and decisions"),
)
class GovernanceBodyViewSet(WorkspaceViewSet):
    """The bodies that steer or run each project: steering committee, technical committee,
    working groups. Partners see those of the projects shared with them."""

    model = GovernanceBody
    serializer_class = GovernanceBodySerializer
    filterset_class = GovernanceBodyFilter
    ordering_fields = ["name", "kind", "created_at"]
    ordering = ["name", "id"]
    actions_map = GOVERNANCE_ACTIONS
    schema_example = {
        "id": EXAMPLE_BODY,
        "url": _url("governance-bodies", EXAMPLE_BODY),
        "project": EXAMPLE_PROJECT,
        "project_url": _url("projects", EXAMPLE_PROJECT),
        "name": "Steering committee",
        "kind": "steering",
        "mandate": "Approves the plan and the budget each year.",
        "members": [EXAMPLE_MEMBER],
        "organisations": [EXAMPLE_PARTNER],
        "created_at": "2026-01-20T14:00:00Z",
    }

    def visible(self) -> Any:
        return (
            GovernanceBody.objects.filter(project__in=visible_projects(membership=self.membership))
            .select_related("project")
            .prefetch_related("members", "organisations")
        )

    def perform_create(self, serializer: Any) -> GovernanceBody:
        data = changed(serializer)
        return services.governance_body_save(
            actor=self.request.user, workspace=self.workspace, project=data.pop("project"), **data
        )

    def perform_update(self, serializer: Any) -> GovernanceBody:
        body: GovernanceBody = serializer.instance
        return services.governance_body_save(
            actor=self.request.user,
            workspace=self.workspace,
            project=body.project,
            body=body,
            **changed(serializer),
        )

    def perform_destroy(self, instance: GovernanceBody) -> None:
        services.governance_body_delete(
            actor=self.request.user, workspace=self.workspace, body=instance
        )


class MeetingFilter(django_filters.FilterSet):
    body = scoped_uuid_filter(
        GovernanceBody,
        field_name="body",
        limit=in_visible_projects(),
        help_text="A governance body's id.",
    )
    project = _project_filter("body__project")
    held_after = django_filters.DateFilter(
        field_name="held_on", lookup_expr="gte", help_text="Meetings held on or after this day."
    )
    held_before = django_filters.DateFilter(
        field_name="held_on", lookup_expr="lte", help_text="Meetings held on or before this day."
    )


@extend_schema_view(
    list=extend_schema(summary="List meetings of governance bodies"),
    retrieve=extend_schema(summary="Get a meeting"),
    create=extend_schema(summary="Record a meeting of a governance body"),
    partial_update=extend_schema(summary="Update a meeting (agenda, attendees, minutes)"),
    destroy=extend_schema(summary="Delete a meeting and its decisions"),
)
class MeetingViewSet(WorkspaceViewSet):
    """Meetings of the governance bodies. ``minutes`` are written in Markdown; ``minutes_html``
    is their sanitised HTML (read-only)."""

    model = Meeting
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    ordering_fields = ["held_on", "title"]
    ordering = ["-held_on", "-id"]
    actions_map = GOVERNANCE_ACTIONS
    schema_example = {
        "id": EXAMPLE_MEETING,
        "url": _url("meetings", EXAMPLE_MEETING),
        "body": EXAMPLE_BODY,
        "body_url": _url("governance-bodies", EXAMPLE_BODY),
        "project": EXAMPLE_PROJECT,
        "project_url": _url("projects", EXAMPLE_PROJECT),
        "held_on": "2026-03-12",
        "title": "Spring steering committee",
        "agenda": "1. The 2026 plan\n2. The seaside campaign's budget",
        "attendees": [EXAMPLE_MEMBER],
        "other_attendees": "Mayor of Wimereux",
        "minutes": "The plan is **approved**; the campaign starts in May.",
        "minutes_html": "<p>The plan is <strong>approved</strong>; the campaign starts in May.</p>",
    }

    def visible(self) -> Any:
        return (
            Meeting.objects.filter(body__project__in=visible_projects(membership=self.membership))
            .select_related("body__project")
            .prefetch_related("attendees")
        )

    def perform_create(self, serializer: Any) -> Meeting:
        data = changed(serializer)
        return services.meeting_save(
            actor=self.request.user, workspace=self.workspace, body=data.pop("body"), **data
        )

    def perform_update(self, serializer: Any) -> Meeting:
        meeting: Meeting = serializer.instance
        return services.meeting_save(
            actor=self.request.user,
            workspace=self.workspace,
            body=meeting.body,
            meeting=meeting,
            **changed(serializer),
        )

    def perform_destroy(self, instance: Meeting) -> None:
        services.meeting_delete(actor=self.request.user, workspace=self.workspace, meeting=instance)


class DecisionFilter(django_filters.FilterSet):
    project = _project_filter()
    meeting = scoped_uuid_filter(
        Meeting,
        field_name="meeting",
        limit=in_visible_projects("body__project"),
        help_text="A meeting's id.",
    )
    owner = scoped_uuid_filter(Membership, field_name="owner", help_text="A member's id.")
    status = django_filters.MultipleChoiceFilter(
        choices=DecisionStatus.choices, help_text="Repeat to match several statuses."
    )


@extend_schema_view(
    list=extend_schema(summary="List decisions (the decisions register)"),
    retrieve=extend_schema(summary="Get a decision"),
    create=extend_schema(summary="Record a decision taken in a meeting"),
    partial_update=extend_schema(summary="Update a decision (status, owner, due date, links)"),
    destroy=extend_schema(summary="Delete a decision"),
)
class DecisionViewSet(WorkspaceViewSet):
    """Decisions taken in meetings, followed until done. A decision may concern objectives and
    actions of its project (by id); another project's are refused (400)."""

    model = Decision
    serializer_class = DecisionSerializer
    filterset_class = DecisionFilter
    ordering_fields = ["due_date", "status", "created_at"]
    ordering = ["-meeting__held_on", "-id"]
    actions_map = GOVERNANCE_ACTIONS
    schema_example = {
        "id": "8d9e0f1a-2b3c-4d4e-8f6a-7b8c9d0e1f2a",
        "url": _url("decisions", "8d9e0f1a-2b3c-4d4e-8f6a-7b8c9d0e1f2a"),
        "meeting": EXAMPLE_MEETING,
        "meeting_url": _url("meetings", EXAMPLE_MEETING),
        "project": EXAMPLE_PROJECT,
        "project_url": _url("projects", EXAMPLE_PROJECT),
        "text": "Launch the seaside campaign in May with a budget of 40,000 €.",
        "owner": EXAMPLE_MEMBER,
        "owner_url": _url("members", EXAMPLE_MEMBER),
        "due_date": "2026-05-02",
        "status": "in_progress",
        "objectives": ["0b6f3a52-8c1e-4d2f-9a57-1c2d3e4f5a6b"],
        "actions": ["3c9b2a1d-0e4f-4a6b-8c7d-5e6f7a8b9c0d"],
        "created_at": "2026-03-12T17:05:00Z",
    }

    def visible(self) -> Any:
        return (
            Decision.objects.filter(project__in=visible_projects(membership=self.membership))
            .select_related("meeting", "project", "owner")
            .prefetch_related("objectives", "actions")
        )

    def perform_create(self, serializer: Any) -> Decision:
        data = changed(serializer)
        return services.decision_save(
            actor=self.request.user, workspace=self.workspace, meeting=data.pop("meeting"), **data
        )

    def perform_update(self, serializer: Any) -> Decision:
        decision: Decision = serializer.instance
        return services.decision_save(
            actor=self.request.user,
            workspace=self.workspace,
            meeting=decision.meeting,
            decision=decision,
            **changed(serializer),
        )

    def perform_destroy(self, instance: Decision) -> None:
        services.decision_delete(
            actor=self.request.user, workspace=self.workspace, decision=instance
        )


# --- The method tracker --------------------------------------------------------------------------


class StepProgressFilter(django_filters.FilterSet):
    project = _project_filter()
    step = code_filter(MethodStep, field_name="step", help_text="A method step's code.")
    status = django_filters.ChoiceFilter(choices=StepStatus.choices)
    updated_since = updated_since()


@extend_schema_view(
    list=extend_schema(summary="List the projects' progress through the 10 steps of the method"),
    retrieve=extend_schema(summary="Get a project's progress on one step"),
    create=extend_schema(summary="Start following a step of the method for a project"),
    partial_update=extend_schema(summary="Update a step's status, person in charge, due date"),
)
class StepProgressViewSet(WorkspaceViewSet):
    """Where each project stands on each of the 10 steps of the method. A step without a row
    is not started."""

    model = StepProgress
    serializer_class = StepProgressSerializer
    filterset_class = StepProgressFilter
    ordering_fields = ["due_date", "updated_at"]
    ordering = ["project_id", "step__number", "id"]
    actions_map = {k: v for k, v in GOVERNANCE_ACTIONS.items() if k != "destroy"}
    http_method_names = ["get", "post", "patch", "head", "options"]
    schema_example = {
        "id": EXAMPLE_PROGRESS,
        "url": _url("step-progress", EXAMPLE_PROGRESS),
        "project": EXAMPLE_PROJECT,
        "project_url": _url("projects", EXAMPLE_PROJECT),
        "step": "method.s1.environment",
        "step_number": 3,
        "status": "in_progress",
        "owner": EXAMPLE_MEMBER,
        "owner_url": _url("members", EXAMPLE_MEMBER),
        "due_date": "2026-06-30",
        "notes": "Survey of residents sent; results in June.",
        "updated_at": "2026-04-02T08:45:10Z",
    }

    def visible(self) -> Any:
        return StepProgress.objects.filter(
            project__in=visible_projects(membership=self.membership)
        ).select_related("project", "step", "owner")

    def perform_create(self, serializer: Any) -> StepProgress:
        data = changed(serializer)
        project, step = data.pop("project"), data.pop("step")
        if StepProgress.objects.filter(project=project, step=step).exists():
            raise ValidationError(
                {"step": _("This project follows this step already: change it with PATCH.")}
            )
        return services.step_progress_save(
            actor=self.request.user, workspace=self.workspace, project=project, step=step, **data
        )

    def perform_update(self, serializer: Any) -> StepProgress:
        progress: StepProgress = serializer.instance
        return services.step_progress_save(
            actor=self.request.user,
            workspace=self.workspace,
            project=progress.project,
            step=progress.step,
            **changed(serializer),
        )


class DeliverableFilter(django_filters.FilterSet):
    project = _project_filter("progress__project")
    step = code_filter(MethodStep, field_name="progress__step", help_text="A method step's code.")
    kind = django_filters.ChoiceFilter(choices=DeliverableKind.choices)


@extend_schema_view(
    list=extend_schema(summary="List the deliverables of the method's steps"),
    retrieve=extend_schema(summary="Get a deliverable"),
    create=extend_schema(summary="Add a note or a link to a step of the method"),
    partial_update=extend_schema(summary="Update a deliverable's title, note or link"),
    destroy=extend_schema(summary="Delete a deliverable (and its file)"),
)
class DeliverableViewSet(WorkspaceViewSet):
    """What each step produced. Notes and links are written here; files are uploaded on the
    step's page (their type and size are checked there) and served at ``file_url``."""

    model = Deliverable
    serializer_class = DeliverableSerializer
    filterset_class = DeliverableFilter
    ordering_fields = ["created_at", "title"]
    ordering = ["created_at", "id"]
    actions_map = GOVERNANCE_ACTIONS
    schema_example = {
        "id": "9e0f1a2b-3c4d-4e5f-8a7b-8c9d0e1f2a3b",
        "url": _url("deliverables", "9e0f1a2b-3c4d-4e5f-8a7b-8c9d0e1f2a3b"),
        "project": EXAMPLE_PROJECT,
        "project_url": _url("projects", EXAMPLE_PROJECT),
        "step": "method.s1.environment",
        "step_progress": EXAMPLE_PROGRESS,
        "step_progress_url": _url("step-progress", EXAMPLE_PROGRESS),
        "kind": "link",
        "title": "Residents' survey results",
        "text": "",
        "link": "https://docs.example/survey-2026",
        "file_name": "",
        "file_size": 0,
        "file_url": None,
        "created_at": "2026-04-02T09:00:00Z",
        "created_by": EXAMPLE_USER,
    }

    def visible(self) -> Any:
        return Deliverable.objects.filter(
            progress__project__in=visible_projects(membership=self.membership)
        ).select_related("progress__project", "progress__step", "created_by")

    def perform_create(self, serializer: Any) -> Deliverable:
        data = changed(serializer)
        progress = data.pop("progress")
        try:
            return services.deliverable_add(
                actor=self.request.user,
                workspace=self.workspace,
                project=progress["project"],
                step=progress["step"],
                **data,
            )
        except ValidationError as error:
            raise _renamed(error, {"url": "link"}) from error

    def perform_update(self, serializer: Any) -> Deliverable:
        try:
            return services.deliverable_update(
                actor=self.request.user,
                workspace=self.workspace,
                deliverable=serializer.instance,
                **changed(serializer),
            )
        except ValidationError as error:
            raise _renamed(error, {"url": "link"}) from error

    def perform_destroy(self, instance: Deliverable) -> None:
        services.deliverable_delete(
            actor=self.request.user, workspace=self.workspace, deliverable=instance
        )


# --- The 7 elements maturity assessment ----------------------------------------------------------


class MaturityAssessmentFilter(django_filters.FilterSet):
    project = _project_filter()
    cycle = cycle_filter()
    updated_since = updated_since()


@extend_schema_view(
    list=extend_schema(summary="List maturity assessments (one per cycle) with their scores"),
    retrieve=extend_schema(summary="Get a maturity assessment with its scores"),
)
class MaturityAssessmentViewSet(WorkspaceViewSet):
    """How well each project masters the 7 elements, once per cycle. Read-only: scores are
    written at /maturity-scores/ (the first score of a cycle creates its assessment)."""

    model = MaturityAssessment
    serializer_class = MaturityAssessmentSerializer
    filterset_class = MaturityAssessmentFilter
    ordering_fields = ["updated_at"]
    ordering = ["project_id", "cycle__number", "id"]
    actions_map = {"list": "governance.view", "retrieve": "governance.view"}
    http_method_names = ["get", "head", "options"]
    schema_example = {
        "id": EXAMPLE_ASSESSMENT,
        "url": _url("maturity-assessments", EXAMPLE_ASSESSMENT),
        "project": EXAMPLE_PROJECT,
        "project_url": _url("projects", EXAMPLE_PROJECT),
        "cycle": EXAMPLE_CYCLE,
        "cycle_url": _url("cycles", EXAMPLE_CYCLE),
        "scores": [
            {
                "id": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
                "element": "element.organisation",
                "component": None,
                "score": 2,
                "justification": "A steering committee meets, but no technical committee yet.",
                "evidence": "https://docs.example/steering-minutes",
            }
        ],
        "updated_at": "2026-06-15T10:00:00Z",
        "updated_by": EXAMPLE_USER,
    }

    def visible(self) -> Any:
        scores = MaturityScore.objects.select_related("element", "component").order_by(
            "element__number", "component__position", "id"
        )
        return (
            MaturityAssessment.objects.filter(
                project__in=visible_projects(membership=self.membership)
            )
            .select_related("project", "cycle", "updated_by")
            .prefetch_related(Prefetch("scores", queryset=scores))
        )


class MaturityScoreFilter(django_filters.FilterSet):
    project = _project_filter("assessment__project")
    cycle = cycle_filter("assessment__cycle")
    assessment = scoped_uuid_filter(
        MaturityAssessment,
        field_name="assessment",
        limit=in_visible_projects(),
        help_text="An assessment's id.",
    )
    element = code_filter(Element, field_name="element", help_text="An element's code.")
    component = code_filter(
        ElementComponent, field_name="component", help_text="A sub-component's code."
    )


@extend_schema_view(
    list=extend_schema(summary="List maturity scores"),
    retrieve=extend_schema(summary="Get a maturity score"),
    create=extend_schema(summary="Score an element or a sub-component for a cycle"),
    partial_update=extend_schema(summary="Change a score, its justification or its evidence"),
    destroy=extend_schema(summary="Clear a score"),
)
class MaturityScoreViewSet(WorkspaceViewSet):
    """The scores (0-4) of the 7 elements and of the organisation's sub-components, one per
    cycle. A closed cycle's scores cannot change (409)."""

    model = MaturityScore
    serializer_class = MaturityScoreSerializer
    filterset_class = MaturityScoreFilter
    ordering_fields = ["score"]
    ordering = ["assessment_id", "element__number", "component__position", "id"]
    actions_map = GOVERNANCE_ACTIONS
    schema_example = {
        "id": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
        "url": _url("maturity-scores", "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"),
        "cycle": EXAMPLE_CYCLE,
        "cycle_url": _url("cycles", EXAMPLE_CYCLE),
        "assessment": EXAMPLE_ASSESSMENT,
        "assessment_url": _url("maturity-assessments", EXAMPLE_ASSESSMENT),
        "element": "element.organisation",
        "component": None,
        "score": 2,
        "justification": "A steering committee meets, but no technical committee yet.",
        "evidence": "https://docs.example/steering-minutes",
    }

    def visible(self) -> Any:
        return MaturityScore.objects.filter(
            assessment__project__in=visible_projects(membership=self.membership)
        ).select_related("assessment__cycle", "element", "component")

    def _save(self, cycle: Cycle, item: Any, entry: dict[str, Any]) -> MaturityScore:
        try:
            assessment = services.maturity_assessment_save(
                actor=self.request.user,
                workspace=self.workspace,
                cycle=cycle,
                scores=[{"item": item, **entry}],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                raise ValidationError({"evidence": error.messages}) from error
            raise
        target = "component" if isinstance(item, ElementComponent) else "element"
        return MaturityScore.objects.get(assessment=assessment, **{target: item})

    def perform_create(self, serializer: Any) -> MaturityScore:
        data = changed(serializer)
        cycle = data.pop("assessment")["cycle"]
        item = data.pop("element", None) or data.pop("component", None)
        target = "component" if isinstance(item, ElementComponent) else "element"
        if MaturityScore.objects.filter(assessment__cycle=cycle, **{target: item}).exists():
            raise ValidationError(
                {target: _("This cycle has a score for it already: change it with PATCH.")}
            )
        return self._save(cycle, item, data)

    def perform_update(self, serializer: Any) -> MaturityScore:
        score: MaturityScore = serializer.instance
        entry = {
            "score": score.score,
            "justification": score.justification,
            "evidence": score.evidence,
            **changed(serializer),
        }
        return self._save(score.assessment.cycle, score.element or score.component, entry)

    def perform_destroy(self, instance: MaturityScore) -> None:
        services.maturity_assessment_save(
            actor=self.request.user,
            workspace=self.workspace,
            cycle=instance.assessment.cycle,
            scores=[{"item": instance.element or instance.component, "score": None}],
        )


# --- Records of a cycle --------------------------------------------------------------------------


class CycleRecordViewSet(WorkspaceViewSet):
    """Records of one cycle of a project. Closed cycles refuse changes (409)."""

    keyword = ""  # the service's keyword for the record
    save_record: Any
    delete_record: Any
    actions_map = GOVERNANCE_ACTIONS

    def visible(self) -> Any:
        return self.model._default_manager.filter(
            project__in=visible_projects(membership=self.membership)
        ).select_related("project", "cycle")

    def perform_create(self, serializer: Any) -> Any:
        data = changed(serializer)
        return self.save_record(
            actor=self.request.user, workspace=self.workspace, cycle=data.pop("cycle"), **data
        )

    def perform_update(self, serializer: Any) -> Any:
        record = serializer.instance
        return self.save_record(
            actor=self.request.user,
            workspace=self.workspace,
            cycle=record.cycle,
            **{self.keyword: record},
            **changed(serializer),
        )

    def perform_destroy(self, instance: Any) -> None:
        self.delete_record(
            actor=self.request.user, workspace=self.workspace, **{self.keyword: instance}
        )


class ContributionFilter(django_filters.FilterSet):
    project = _project_filter()
    cycle = cycle_filter()
    partner = scoped_uuid_filter(
        PartnerOrganisation, field_name="partner", help_text="A partner organisation's id."
    )


@extend_schema_view(
    list=extend_schema(summary="List partners' contributions to the pooled means"),
    retrieve=extend_schema(summary="Get a contribution"),
    create=extend_schema(summary="Record a partner's contribution in an open cycle"),
    partial_update=extend_schema(summary="Update a contribution (open cycles only)"),
    destroy=extend_schema(summary="Delete a contribution (open cycles only)"),
)
class ContributionViewSet(CycleRecordViewSet):
    """The pooled means: what each partner puts into a project in a cycle, money (€) and days
    in kind. Closed cycles are read-only (409)."""

    model = Contribution
    serializer_class = ContributionSerializer
    filterset_class = ContributionFilter
    ordering_fields = ["amount", "days"]
    ordering = ["cycle_id", "partner__name", "id"]
    keyword = "contribution"
    save_record = staticmethod(services.contribution_save)
    delete_record = staticmethod(services.contribution_delete)
    schema_example = {
        "id": "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e",
        "url": _url("contributions", "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e"),
        "cycle": EXAMPLE_CYCLE,
        "cycle_url": _url("cycles", EXAMPLE_CYCLE),
        "project": EXAMPLE_PROJECT,
        "project_url": _url("projects", EXAMPLE_PROJECT),
        "partner": EXAMPLE_PARTNER,
        "partner_url": _url("partner-organisations", EXAMPLE_PARTNER),
        "amount": "15000.00",
        "days": "12.5",
        "note": "Visitor centre staff for the summer events.",
    }


class OwnershipEventFilter(django_filters.FilterSet):
    project = _project_filter()
    cycle = cycle_filter()
    kind = django_filters.ChoiceFilter(choices=OwnershipKind.choices)
    held_after = django_filters.DateFilter(
        field_name="held_on", lookup_expr="gte", help_text="Events held on or after this day."
    )
    held_before = django_filters.DateFilter(
        field_name="held_on", lookup_expr="lte", help_text="Events held on or before this day."
    )


@extend_schema_view(
    list=extend_schema(summary="List local ownership events"),
    retrieve=extend_schema(summary="Get a local ownership event"),
    create=extend_schema(summary="Record a local ownership event in an open cycle"),
    partial_update=extend_schema(summary="Update a local ownership event (open cycles only)"),
    destroy=extend_schema(summary="Delete a local ownership event (open cycles only)"),
)
class OwnershipEventViewSet(CycleRecordViewSet):
    """The local ownership log: consultations, public meetings, workshops, campaigns and
    surveys that involve local actors and residents. Closed cycles are read-only (409)."""

    model = OwnershipEvent
    serializer_class = OwnershipEventSerializer
    filterset_class = OwnershipEventFilter
    ordering_fields = ["held_on", "participants"]
    ordering = ["-held_on", "-id"]
    keyword = "event"
    save_record = staticmethod(services.ownership_event_save)
    delete_record = staticmethod(services.ownership_event_delete)
    schema_example = {
        "id": "c3d4e5f6-a7b8-4c9d-8e1f-2a3b4c5d6e7f",
        "url": _url("ownership-events", "c3d4e5f6-a7b8-4c9d-8e1f-2a3b4c5d6e7f"),
        "cycle": EXAMPLE_CYCLE,
        "cycle_url": _url("cycles", EXAMPLE_CYCLE),
        "project": EXAMPLE_PROJECT,
        "project_url": _url("projects", EXAMPLE_PROJECT),
        "kind": "workshop",
        "held_on": "2026-04-18",
        "title": "What makes the coast worth living on?",
        "audience": "Residents of the old town",
        "participants": 42,
        "outcomes": "Three proof points for the brand; a volunteers' list.",
    }


class ActorProposalFilter(django_filters.FilterSet):
    project = _project_filter()
    cycle = cycle_filter()
    status = django_filters.MultipleChoiceFilter(
        choices=ProposalStatus.choices, help_text="Repeat to match several statuses."
    )
    kind = django_filters.ChoiceFilter(choices=PartnerKind.choices)


@extend_schema_view(
    list=extend_schema(summary="List new actors proposed at the cycle reviews"),
    retrieve=extend_schema(summary="Get a new actor proposal"),
    create=extend_schema(summary="Propose a new actor in an open cycle"),
    partial_update=extend_schema(summary="Follow a proposal up (its status stays editable)"),
    destroy=extend_schema(summary="Delete a proposal (open cycles only)"),
)
class ActorProposalViewSet(CycleRecordViewSet):
    """Organisations or people to bring into the project, proposed when reviewing a cycle and
    followed until invited, even after the cycle is closed. Deleting needs an open cycle."""

    model = ActorProposal
    serializer_class = ActorProposalSerializer
    filterset_class = ActorProposalFilter
    ordering_fields = ["name", "status"]
    ordering = ["name", "id"]
    keyword = "proposal"
    save_record = staticmethod(services.actor_proposal_save)
    delete_record = staticmethod(services.actor_proposal_delete)
    schema_example = {
        "id": "d4e5f6a7-b8c9-4d0e-9f2a-3b4c5d6e7f8a",
        "url": _url("actor-proposals", "d4e5f6a7-b8c9-4d0e-9f2a-3b4c5d6e7f8a"),
        "cycle": EXAMPLE_CYCLE,
        "cycle_url": _url("cycles", EXAMPLE_CYCLE),
        "project": EXAMPLE_PROJECT,
        "project_url": _url("projects", EXAMPLE_PROJECT),
        "name": "Université du Littoral",
        "kind": "university",
        "reason": "Its students are the young residents the project wants to keep.",
        "contact": "Vice-president for partnerships",
        "status": "contacted",
    }


# --- Brand platform ------------------------------------------------------------------------------


class BrandPlatformFilter(django_filters.FilterSet):
    project = _project_filter()
    updated_since = updated_since()


@extend_schema_view(
    list=extend_schema(summary="List brand platforms"),
    retrieve=extend_schema(summary="Get a brand platform"),
    create=extend_schema(summary="Write a project's brand platform (one per project)"),
    partial_update=extend_schema(summary="Update a brand platform"),
)
class BrandPlatformViewSet(WorkspaceViewSet):
    """The shared territorial brand of a project, when it has one: promise, values,
    personality, target audiences and proof points."""

    model = BrandPlatform
    serializer_class = BrandPlatformSerializer
    filterset_class = BrandPlatformFilter
    ordering_fields = ["name", "updated_at"]
    ordering = ["name", "id"]
    actions_map = {k: v for k, v in GOVERNANCE_ACTIONS.items() if k != "destroy"}
    http_method_names = ["get", "post", "patch", "head", "options"]
    schema_example = {
        "id": EXAMPLE_PLATFORM,
        "url": _url("brand-platforms", EXAMPLE_PLATFORM),
        "project": EXAMPLE_PROJECT,
        "project_url": _url("projects", EXAMPLE_PROJECT),
        "name": "Côte d'Opale, naturellement",
        "promise": "Live and work between the sea and the cliffs, two hours from four capitals.",
        "values": "Openness\nAuthenticity\nBoldness",
        "personality": "Warm, outdoorsy, straightforward.",
        "audiences": ["audience.new_residents", "audience.companies"],
        "proof_points": "Two Grand Sites de France; 4 capitals within 2 hours.",
        "updated_at": "2026-02-10T15:20:00Z",
    }

    def visible(self) -> Any:
        return (
            BrandPlatform.objects.filter(project__in=visible_projects(membership=self.membership))
            .select_related("project")
            .prefetch_related("audiences")
        )

    def perform_create(self, serializer: Any) -> BrandPlatform:
        data = changed(serializer)
        return services.brand_platform_save(
            actor=self.request.user, workspace=self.workspace, project=data.pop("project"), **data
        )

    def perform_update(self, serializer: Any) -> BrandPlatform:
        platform: BrandPlatform = serializer.instance
        return services.brand_platform_save(
            actor=self.request.user,
            workspace=self.workspace,
            project=platform.project,
            **changed(serializer),
        )


class BrandItemViewSet(WorkspaceViewSet):
    keyword = ""
    save_record: Any
    delete_record: Any
    actions_map = GOVERNANCE_ACTIONS

    def visible(self) -> Any:
        return self.model._default_manager.filter(
            platform__project__in=visible_projects(membership=self.membership)
        ).select_related("platform__project")

    def perform_create(self, serializer: Any) -> Any:
        data = changed(serializer)
        platform = data.pop("platform")
        return self.save_record(
            actor=self.request.user, workspace=self.workspace, project=platform.project, **data
        )

    def perform_update(self, serializer: Any) -> Any:
        item = serializer.instance
        return self.save_record(
            actor=self.request.user,
            workspace=self.workspace,
            project=item.platform.project,
            **{self.keyword: item},
            **changed(serializer),
        )

    def perform_destroy(self, instance: Any) -> None:
        self.delete_record(
            actor=self.request.user, workspace=self.workspace, **{self.keyword: instance}
        )


class BrandLicenseeFilter(django_filters.FilterSet):
    project = _project_filter("platform__project")
    platform = scoped_uuid_filter(
        BrandPlatform,
        field_name="platform",
        limit=in_visible_projects(),
        help_text="A brand platform's id.",
    )
    partner = scoped_uuid_filter(
        PartnerOrganisation, field_name="partner", help_text="A partner organisation's id."
    )


@extend_schema_view(
    list=extend_schema(summary="List brand licensees"),
    retrieve=extend_schema(summary="Get a brand licensee"),
    create=extend_schema(summary="Allow a partner to use the brand mark"),
    partial_update=extend_schema(summary="Update a brand licensee"),
    destroy=extend_schema(summary="Withdraw a partner's licence to use the brand mark"),
)
class BrandLicenseeViewSet(BrandItemViewSet):
    """The partner organisations allowed to use the brand mark, and since when."""

    model = BrandLicensee
    serializer_class = BrandLicenseeSerializer
    filterset_class = BrandLicenseeFilter
    ordering_fields = ["since"]
    ordering = ["since", "id"]
    keyword = "licensee"
    save_record = staticmethod(services.brand_licensee_save)
    delete_record = staticmethod(services.brand_licensee_delete)
    schema_example = {
        "id": "e5f6a7b8-c9d0-4e1f-8a3b-4c5d6e7f8a9b",
        "url": _url("brand-licensees", "e5f6a7b8-c9d0-4e1f-8a3b-4c5d6e7f8a9b"),
        "platform": EXAMPLE_PLATFORM,
        "platform_url": _url("brand-platforms", EXAMPLE_PLATFORM),
        "project": EXAMPLE_PROJECT,
        "project_url": _url("projects", EXAMPLE_PROJECT),
        "partner": EXAMPLE_PARTNER,
        "partner_url": _url("partner-organisations", EXAMPLE_PARTNER),
        "since": "2026-03-01",
        "note": "On its brochures and the visitor centre's front.",
    }

    def visible(self) -> Any:
        return super().visible().select_related("partner")


class AmbassadorFilter(django_filters.FilterSet):
    project = _project_filter("platform__project")
    platform = scoped_uuid_filter(
        BrandPlatform,
        field_name="platform",
        limit=in_visible_projects(),
        help_text="A brand platform's id.",
    )
    kind = django_filters.ChoiceFilter(choices=AmbassadorKind.choices)
    is_active = django_filters.BooleanFilter()
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains")


@extend_schema_view(
    list=extend_schema(summary="List ambassadors"),
    retrieve=extend_schema(summary="Get an ambassador"),
    create=extend_schema(summary="Register an ambassador"),
    partial_update=extend_schema(summary="Update an ambassador"),
    destroy=extend_schema(summary="Delete an ambassador"),
)
class AmbassadorViewSet(BrandItemViewSet):
    """The people and organisations who speak for the territory (the ambassadors register)."""

    model = Ambassador
    serializer_class = AmbassadorSerializer
    filterset_class = AmbassadorFilter
    ordering_fields = ["name", "joined_on"]
    ordering = ["name", "id"]
    keyword = "ambassador"
    save_record = staticmethod(services.ambassador_save)
    delete_record = staticmethod(services.ambassador_delete)
    schema_example = {
        "id": "f6a7b8c9-d0e1-4f2a-9b4c-5d6e7f8a9b0c",
        "url": _url("ambassadors", "f6a7b8c9-d0e1-4f2a-9b4c-5d6e7f8a9b0c"),
        "platform": EXAMPLE_PLATFORM,
        "platform_url": _url("brand-platforms", EXAMPLE_PLATFORM),
        "project": EXAMPLE_PROJECT,
        "project_url": _url("projects", EXAMPLE_PROJECT),
        "name": "Jeanne Lefebvre",
        "kind": "person",
        "segment": "Business leaders",
        "is_active": True,
        "joined_on": "2026-02-14",
    }
