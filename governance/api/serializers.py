"""Serializers of the governance app: the frameworks (reference), partner organisations and
their contacts, governance bodies, meetings and decisions, the method tracker, the maturity
assessment, the records of a cycle (pooled means, local ownership, new actors) and the brand."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import ReferenceSerializer
from core.models import Membership
from core.restapi import (
    CodeField,
    LinkField,
    ResourceSerializer,
    ScopedUUIDField,
    user_ref,
)
from governance.models import (
    MATURITY_MAX,
    ActorProposal,
    Ambassador,
    BrandLicensee,
    BrandPlatform,
    ContactPerson,
    Contribution,
    Decision,
    Deliverable,
    DeliverableKind,
    Element,
    ElementComponent,
    GovernanceBody,
    MaturityAssessment,
    MaturityScore,
    Meeting,
    MethodSequence,
    MethodStep,
    OwnershipEvent,
    PartnerOrganisation,
    StepProgress,
)
from territories.api.serializers import only_visible_projects
from territories.models import Audience, Cycle, Project


class ElementComponentSerializer(ReferenceSerializer):
    class Meta(ReferenceSerializer.Meta):
        model = ElementComponent
        fields = ["code", "label_en", "label_fr"]


class ElementSerializer(ReferenceSerializer):
    components = ElementComponentSerializer(many=True, read_only=True)

    class Meta(ReferenceSerializer.Meta):
        model = Element
        fields = [*ReferenceSerializer.Meta.fields, "number", "components"]


class MethodSequenceSerializer(ReferenceSerializer):
    class Meta(ReferenceSerializer.Meta):
        model = MethodSequence
        fields = ["code", "label_en", "label_fr", "number"]


class MethodStepSerializer(ReferenceSerializer):
    sequence = MethodSequenceSerializer(read_only=True)
    deliverables_are_proposal = serializers.SerializerMethodField()

    class Meta(ReferenceSerializer.Meta):
        model = MethodStep
        fields = [
            "code",
            "label_en",
            "label_fr",
            "number",
            "sequence",
            "is_proposal",
            "deliverables_en",
            "deliverables_fr",
            "deliverables_are_proposal",
        ]

    def get_deliverables_are_proposal(self, obj: MethodStep) -> bool:
        return True  # no public source lists the steps' deliverables (domain.md, section 2)


def in_visible_projects(path: str = "project") -> Any:
    """A ``limit`` for :class:`ScopedUUIDField`: objects of the projects the member sees
    (partners: the projects shared with their organisation), ``path`` leading to the project."""
    from territories.selectors import visible_projects

    def limit(qs: Any, request: Any) -> Any:
        return qs.filter(**{f"{path}__in": visible_projects(membership=request.membership)})

    return limit


def _stays(
    serializer: serializers.Serializer, attrs: dict[str, Any], names: tuple[str, ...]
) -> None:
    """On a PATCH, ``names`` cannot change: refuse them with one message each."""
    if serializer.instance is None:
        return
    moved = [name for name in names if name in attrs]
    if moved:
        raise serializers.ValidationError(
            {
                name: [_("This cannot change once created: create a new one instead.")]
                for name in moved
            }
        )


def _required_on_create(
    serializer: serializers.Serializer, attrs: dict[str, Any], names: tuple[str, ...]
) -> None:
    if serializer.instance is not None:
        return
    missing = [name for name in names if name not in attrs]
    if missing:
        raise serializers.ValidationError(
            {name: [_("This field is required.")] for name in missing}
        )


def _absolute(serializer: serializers.Serializer, name: str, *args: Any) -> str:
    path = reverse(name, args=[serializer.context["workspace_slug"], *args])
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


# The plan lives in higher apps (tracer, mix): reached through the decisions' relations.
Objective: Any = Decision._meta.get_field("objectives").related_model
Action: Any = Decision._meta.get_field("actions").related_model


class ContactSummarySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)

    class Meta:
        model = ContactPerson
        fields = ["id", "full_name", "job_title", "email", "phone"]
        read_only_fields = fields


class PartnerOrganisationSerializer(ResourceSerializer):
    """A partner organisation (tourism office, chamber of commerce, agency...). Its members see
    the projects shared with it; ``shared_projects`` changes on each project's sharing page.
    The logo is uploaded on the organisation's page; ``logo_url`` serves it to members only."""

    members = ScopedUUIDField(
        Membership, many=True, required=False, help_text="The members who belong to it (ids)."
    )
    shared_projects = ScopedUUIDField(Project, many=True, read_only=True)
    member_count = serializers.IntegerField(read_only=True)
    project_count = serializers.IntegerField(read_only=True)
    led_count = serializers.IntegerField(read_only=True, help_text="Actions it leads.")
    contributed_count = serializers.IntegerField(
        read_only=True, help_text="Actions it contributes to."
    )
    logo_url = serializers.SerializerMethodField(
        help_text="The logo (members only, with your credentials), or null."
    )
    contacts = ContactSummarySerializer(
        many=True, read_only=True, help_text="Its contact people (managed at /contact-people/)."
    )

    class Meta:
        model = PartnerOrganisation
        route = "partner-organisation"
        fields = [
            "id",
            "url",
            "name",
            "kind",
            "role",
            "website",
            "notes",
            "logo_url",
            "members",
            "contacts",
            "shared_projects",
            "member_count",
            "project_count",
            "led_count",
            "contributed_count",
            "created_at",
        ]
        read_only_fields = ["created_at"]

    @extend_schema_field({"type": ["string", "null"], "format": "uri", "readOnly": True})
    def get_logo_url(self, obj: PartnerOrganisation) -> str | None:
        return _absolute(self, "partner_logo", obj.uuid) if obj.logo else None


class ContactPersonSerializer(ResourceSerializer):
    """Someone to talk to at a partner organisation, maybe with an account in the workspace."""

    organisation = ScopedUUIDField(
        PartnerOrganisation, help_text="The organisation's id (set on creation)."
    )
    organisation_url = LinkField("partner-organisation", source="organisation.uuid")
    membership = ScopedUUIDField(
        Membership,
        required=False,
        allow_null=True,
        help_text="Their account in the workspace (a member's id), if they have one.",
    )
    membership_url = LinkField("member", source="membership.uuid")

    class Meta:
        model = ContactPerson
        route = "contact-person"
        fields = [
            "id",
            "url",
            "organisation",
            "organisation_url",
            "full_name",
            "job_title",
            "email",
            "phone",
            "membership",
            "membership_url",
        ]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        _stays(self, attrs, ("organisation",))
        return attrs


# --- Bodies, meetings, decisions -----------------------------------------------------------------


class GovernanceBodySerializer(ResourceSerializer):
    """A body that steers or runs a project: steering committee, technical committee..."""

    project = ScopedUUIDField(
        Project, limit=only_visible_projects, help_text="The project's id (set on creation)."
    )
    project_url = LinkField("project", source="project.uuid")
    members = ScopedUUIDField(
        Membership, many=True, required=False, help_text="Its members (member ids)."
    )
    organisations = ScopedUUIDField(
        PartnerOrganisation,
        many=True,
        required=False,
        help_text="The partner organisations represented (ids).",
    )

    class Meta:
        model = GovernanceBody
        route = "governance-body"
        fields = [
            "id",
            "url",
            "project",
            "project_url",
            "name",
            "kind",
            "mandate",
            "members",
            "organisations",
            "created_at",
        ]
        read_only_fields = ["created_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        _stays(self, attrs, ("project",))
        return attrs


class MeetingSerializer(ResourceSerializer):
    """A meeting of a body. ``minutes`` are Markdown; ``minutes_html`` is their sanitised HTML."""

    body = ScopedUUIDField(
        GovernanceBody,
        limit=in_visible_projects("project"),
        help_text="The body's id (set on creation).",
    )
    body_url = LinkField("governance-body", source="body.uuid")
    project = serializers.UUIDField(source="body.project.uuid", read_only=True)
    project_url = LinkField("project", source="body.project.uuid")
    attendees = ScopedUUIDField(
        Membership, many=True, required=False, help_text="Members who attended (member ids)."
    )
    minutes_html = serializers.CharField(
        read_only=True, help_text="The minutes as sanitised HTML, computed from the Markdown."
    )

    class Meta:
        model = Meeting
        route = "meeting"
        fields = [
            "id",
            "url",
            "body",
            "body_url",
            "project",
            "project_url",
            "held_on",
            "title",
            "agenda",
            "attendees",
            "other_attendees",
            "minutes",
            "minutes_html",
        ]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        _stays(self, attrs, ("body",))
        return attrs


class DecisionSerializer(ResourceSerializer):
    """A decision taken in a meeting, followed in the project's decisions register; it may
    concern objectives and actions of the same project."""

    meeting = ScopedUUIDField(
        Meeting,
        limit=in_visible_projects("body__project"),
        help_text="The meeting's id (set on creation).",
    )
    meeting_url = LinkField("meeting", source="meeting.uuid")
    project = serializers.UUIDField(source="project.uuid", read_only=True)
    project_url = LinkField("project", source="project.uuid")
    owner = ScopedUUIDField(
        Membership,
        required=False,
        allow_null=True,
        help_text="The member in charge (a member's id).",
    )
    owner_url = LinkField("member", source="owner.uuid")
    objectives = ScopedUUIDField(
        Objective,
        limit=in_visible_projects(),
        many=True,
        required=False,
        help_text="Objectives of the project it concerns (ids).",
    )
    actions = ScopedUUIDField(
        Action,
        limit=in_visible_projects(),
        many=True,
        required=False,
        help_text="Actions of the project it concerns (ids).",
    )

    class Meta:
        model = Decision
        route = "decision"
        fields = [
            "id",
            "url",
            "meeting",
            "meeting_url",
            "project",
            "project_url",
            "text",
            "owner",
            "owner_url",
            "due_date",
            "status",
            "objectives",
            "actions",
            "created_at",
        ]
        read_only_fields = ["created_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        _stays(self, attrs, ("meeting",))
        return attrs


# --- The method tracker --------------------------------------------------------------------------


class StepProgressSerializer(ResourceSerializer):
    """Where a project stands on one of the 10 steps of the method. A step without a row is not
    started; POST starts following it, PATCH changes it."""

    project = ScopedUUIDField(
        Project, limit=only_visible_projects, help_text="The project's id (set on creation)."
    )
    project_url = LinkField("project", source="project.uuid")
    step = CodeField(MethodStep, help_text="The step's code (see /api/v1/reference/method-steps/).")
    step_number = serializers.IntegerField(source="step.number", read_only=True)
    owner = ScopedUUIDField(
        Membership,
        required=False,
        allow_null=True,
        help_text="The member in charge (a member's id).",
    )
    owner_url = LinkField("member", source="owner.uuid")

    class Meta:
        model = StepProgress
        validators: list[Any] = []  # the service checks, with the model's own messages
        route = "step-progress"
        fields = [
            "id",
            "url",
            "project",
            "project_url",
            "step",
            "step_number",
            "status",
            "owner",
            "owner_url",
            "due_date",
            "notes",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        _stays(self, attrs, ("project", "step"))
        return attrs


class DeliverableSerializer(ResourceSerializer):
    """What a step produced: a note, a link, or a file. Notes and links are written here; files
    are uploaded on the step's page, and ``file_url`` serves them to members only."""

    project = ScopedUUIDField(
        Project,
        source="progress.project",
        limit=only_visible_projects,
        help_text="The project's id (set on creation).",
    )
    project_url = LinkField("project", source="progress.project.uuid")
    step = CodeField(
        MethodStep,
        source="progress.step",
        help_text="The step's code (see /api/v1/reference/method-steps/; set on creation).",
    )
    step_progress = serializers.UUIDField(source="progress.uuid", read_only=True)
    step_progress_url = LinkField("step-progress", source="progress.uuid")
    kind = serializers.ChoiceField(
        choices=DeliverableKind.choices,
        help_text="note or link (files are uploaded on the step's page).",
    )
    # What a request may send (the schema's request enum): files come from the step's page.
    writable_choices = {"kind": [DeliverableKind.NOTE, DeliverableKind.LINK]}
    link = serializers.URLField(
        source="url",
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="The web address (kind link).",
    )
    file_url = serializers.SerializerMethodField(
        help_text="The file (members only, with your credentials), or null."
    )
    created_by = user_ref("created_by", "Who added it (a user id).")

    class Meta:
        model = Deliverable
        route = "deliverable"
        fields = [
            "id",
            "url",
            "project",
            "project_url",
            "step",
            "step_progress",
            "step_progress_url",
            "kind",
            "title",
            "text",
            "link",
            "file_name",
            "file_size",
            "file_url",
            "created_at",
            "created_by",
        ]
        read_only_fields = ["file_name", "file_size", "created_at"]

    @extend_schema_field({"type": ["string", "null"], "format": "uri", "readOnly": True})
    def get_file_url(self, obj: Deliverable) -> str | None:
        return _absolute(self, "deliverable_file", obj.uuid) if obj.file else None

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        progress = attrs.get("progress", {})
        if self.instance is not None:
            moved = [n for n in ("project", "step") if n in progress] + (
                ["kind"] if "kind" in attrs else []
            )
            if moved:
                raise serializers.ValidationError(
                    {name: [_("This cannot change once created.")] for name in moved}
                )
            return attrs
        _required_on_create(self, {**attrs, **progress}, ("project", "step", "kind", "title"))
        if attrs["kind"] == DeliverableKind.FILE:
            raise serializers.ValidationError(
                {"kind": [_("Upload files on the step's page; here, add notes and links.")]}
            )
        return attrs


# --- The 7 elements maturity assessment ----------------------------------------------------------


class ScoreSummarySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    element: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)
    component: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = MaturityScore
        fields = ["id", "element", "component", "score", "justification", "evidence"]
        read_only_fields = fields


class MaturityAssessmentSerializer(ResourceSerializer):
    """How well a project masters the 7 elements in one cycle (0-4 each, and the organisation
    element's sub-components). Scores are written at /maturity-scores/."""

    project = serializers.UUIDField(source="project.uuid", read_only=True)
    project_url = LinkField("project", source="project.uuid")
    cycle = serializers.UUIDField(source="cycle.uuid", read_only=True)
    cycle_url = LinkField("cycle", source="cycle.uuid")
    updated_by = user_ref("updated_by", "Who scored last (a user id).")
    scores = ScoreSummarySerializer(many=True, read_only=True)

    class Meta:
        model = MaturityAssessment
        route = "maturity-assessment"
        fields = [
            "id",
            "url",
            "project",
            "project_url",
            "cycle",
            "cycle_url",
            "scores",
            "updated_at",
            "updated_by",
        ]
        read_only_fields = ["updated_at"]


class MaturityScoreSerializer(ResourceSerializer):
    """The 0-4 score of one element (``element``) or one organisation sub-component
    (``component``) in one cycle, with its justification and evidence links (one a line).
    Scoring a cycle for the first time creates its assessment; closed cycles refuse (409)."""

    cycle = ScopedUUIDField(
        Cycle,
        source="assessment.cycle",
        limit=in_visible_projects(),
        help_text="The cycle's id (set on creation).",
    )
    cycle_url = LinkField("cycle", source="assessment.cycle.uuid")
    assessment = serializers.UUIDField(source="assessment.uuid", read_only=True)
    assessment_url = LinkField("maturity-assessment", source="assessment.uuid")
    element = CodeField(
        Element,
        required=False,
        allow_null=True,
        help_text="The element's code (see /api/v1/reference/elements/), or null.",
    )
    component = CodeField(
        ElementComponent,
        required=False,
        allow_null=True,
        help_text="The sub-component's code, or null (give an element or a component).",
    )
    score = serializers.IntegerField(min_value=0, max_value=MATURITY_MAX)

    class Meta:
        model = MaturityScore
        route = "maturity-score"
        fields = [
            "id",
            "url",
            "cycle",
            "cycle_url",
            "assessment",
            "assessment_url",
            "element",
            "component",
            "score",
            "justification",
            "evidence",
        ]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None:
            moved = [n for n in ("element", "component") if n in attrs]
            if "assessment" in attrs:
                moved.append("cycle")
            if moved:
                raise serializers.ValidationError(
                    {name: [_("This cannot change once created.")] for name in moved}
                )
            return attrs
        _required_on_create(self, {**attrs, **attrs.get("assessment", {})}, ("cycle", "score"))
        if bool(attrs.get("element")) == bool(attrs.get("component")):
            raise serializers.ValidationError(
                {"element": [_("Give an element or a sub-component, not both.")]}
            )
        return attrs


# --- Records of a cycle: pooled means, local ownership, new actors -------------------------------


class CycleRecordSerializer(ResourceSerializer):
    cycle = ScopedUUIDField(
        Cycle,
        limit=in_visible_projects(),
        help_text="The cycle's id (set on creation; it must be open).",
    )
    cycle_url = LinkField("cycle", source="cycle.uuid")
    project = serializers.UUIDField(source="project.uuid", read_only=True)
    project_url = LinkField("project", source="project.uuid")

    record_fields = ["id", "url", "cycle", "cycle_url", "project", "project_url"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        _stays(self, attrs, ("cycle",))
        return attrs


class ContributionSerializer(CycleRecordSerializer):
    """What a partner puts into a project in a cycle: money (€) and days of work in kind."""

    partner = ScopedUUIDField(PartnerOrganisation, help_text="The partner organisation's id.")
    partner_url = LinkField("partner-organisation", source="partner.uuid")

    class Meta:
        model = Contribution
        validators: list[Any] = []  # the service checks, with the model's own messages
        route = "contribution"
        fields = [
            *CycleRecordSerializer.record_fields,
            "partner",
            "partner_url",
            "amount",
            "days",
            "note",
        ]
        # The database refuses negative amounts and days (a check constraint): the schema says so.
        extra_kwargs = {"amount": {"min_value": 0}, "days": {"min_value": 0}}


class OwnershipEventSerializer(CycleRecordSerializer):
    """A consultation, public meeting, workshop, campaign or survey with local actors."""

    class Meta:
        model = OwnershipEvent
        route = "ownership-event"
        fields = [
            *CycleRecordSerializer.record_fields,
            "kind",
            "held_on",
            "title",
            "audience",
            "participants",
            "outcomes",
        ]


class ActorProposalSerializer(CycleRecordSerializer):
    """A new actor to involve, proposed in an open cycle; its status is followed afterwards,
    even once the cycle is closed."""

    class Meta:
        model = ActorProposal
        route = "actor-proposal"
        fields = [
            *CycleRecordSerializer.record_fields,
            "name",
            "kind",
            "reason",
            "contact",
            "status",
        ]


# --- Brand platform ------------------------------------------------------------------------------


class BrandPlatformSerializer(ResourceSerializer):
    """A project's shared territorial brand (one at most per project)."""

    project = ScopedUUIDField(
        Project, limit=only_visible_projects, help_text="The project's id (set on creation)."
    )
    project_url = LinkField("project", source="project.uuid")
    audiences = CodeField(
        Audience,
        many=True,
        required=False,
        help_text="Audience codes (see /api/v1/reference/audiences/).",
    )

    class Meta:
        model = BrandPlatform
        route = "brand-platform"
        fields = [
            "id",
            "url",
            "project",
            "project_url",
            "name",
            "promise",
            "values",
            "personality",
            "audiences",
            "proof_points",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        _stays(self, attrs, ("project",))
        project = attrs.get("project")
        if (
            self.instance is None
            and project is not None
            and BrandPlatform.objects.filter(project=project).exists()
        ):
            raise serializers.ValidationError(
                {"project": [_("This project has a brand platform already: change it.")]}
            )
        return attrs


class BrandItemSerializer(ResourceSerializer):
    platform = ScopedUUIDField(
        BrandPlatform,
        limit=in_visible_projects(),
        help_text="The brand platform's id (set on creation).",
    )
    platform_url = LinkField("brand-platform", source="platform.uuid")
    project = serializers.UUIDField(source="platform.project.uuid", read_only=True)
    project_url = LinkField("project", source="platform.project.uuid")

    item_fields = ["id", "url", "platform", "platform_url", "project", "project_url"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        _stays(self, attrs, ("platform",))
        return attrs


class BrandLicenseeSerializer(BrandItemSerializer):
    """A partner organisation allowed to use the brand mark, since a date."""

    partner = ScopedUUIDField(PartnerOrganisation, help_text="The partner organisation's id.")
    partner_url = LinkField("partner-organisation", source="partner.uuid")

    class Meta:
        model = BrandLicensee
        validators: list[Any] = []  # the service checks, with the model's own messages
        route = "brand-licensee"
        fields = [*BrandItemSerializer.item_fields, "partner", "partner_url", "since", "note"]


class AmbassadorSerializer(BrandItemSerializer):
    """A person or an organisation who speaks for the territory."""

    class Meta:
        model = Ambassador
        route = "ambassador"
        fields = [
            *BrandItemSerializer.item_fields,
            "name",
            "kind",
            "segment",
            "is_active",
            "joined_on",
        ]
