"""Governance and method: the 7 elements, the 10-step method, partner organisations."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Membership
from core.reference import ReferenceItem, pick
from core.tenancy import WorkspaceOwned
from core.uploads import UploadPath
from territories.models import Project


class Element(ReferenceItem):
    """One of the 7 elements to master."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    advice_en = models.TextField(_("next steps when weak (English)"), blank=True)
    advice_fr = models.TextField(_("next steps when weak (French)"), blank=True)

    class Meta(ReferenceItem.Meta):
        verbose_name = _("element")
        verbose_name_plural = _("elements")

    @property
    def advice(self) -> str:
        return pick(self, "advice")


class ElementComponent(ReferenceItem):
    """A sub-component of an element (the organisation element has six)."""

    element = models.ForeignKey(Element, on_delete=models.CASCADE, related_name="components")

    class Meta(ReferenceItem.Meta):
        verbose_name = _("element component")
        verbose_name_plural = _("element components")


class MethodSequence(ReferenceItem):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)

    class Meta(ReferenceItem.Meta):
        verbose_name = _("method sequence")
        verbose_name_plural = _("method sequences")


class MethodStep(ReferenceItem):
    sequence = models.ForeignKey(MethodSequence, on_delete=models.PROTECT, related_name="steps")
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    deliverables_en = models.TextField(_("deliverables (English)"), blank=True)
    deliverables_fr = models.TextField(_("deliverables (French)"), blank=True)

    class Meta(ReferenceItem.Meta):
        verbose_name = _("method step")
        verbose_name_plural = _("method steps")

    @property
    def deliverables(self) -> str:
        return pick(self, "deliverables")


class PartnerKind(models.TextChoices):
    TOURISM_OFFICE = "tourism_office", _("Tourism office")
    CHAMBER = "chamber", _("Chamber of commerce")
    DEVELOPMENT_AGENCY = "development_agency", _("Development agency")
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    COMPANY = "company", _("Company")
    ASSOCIATION = "association", _("Association")
    UNIVERSITY = "university", _("University, school")
    MEDIA = "media", _("Media")
    OTHER = "other", _("Other")


class PartnerRole(models.TextChoices):
    STEERING = "steering", _("Steering")
    FUNDING = "funding", _("Funding")
    OPERATOR = "operator", _("Operator")
    RELAY = "relay", _("Relay")


class PartnerOrganisation(WorkspaceOwned):
    """A partner of the project (tourism office, chamber of commerce, agency...).

    Partner members see only the projects shared with their organisation. The actions it leads
    or contributes to are ``led_actions`` and ``contributed_actions`` (defined in ``mix``).
    """

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(
        _("kind"), max_length=24, choices=PartnerKind.choices, default=PartnerKind.OTHER
    )
    role = models.CharField(
        _("role in the project"),
        max_length=12,
        choices=PartnerRole.choices,
        default=PartnerRole.OPERATOR,
        help_text=_("Steers, funds, runs actions (operator) or relays the project."),
    )
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    logo = models.FileField(_("logo"), upload_to=UploadPath("logos"), blank=True)
    members = models.ManyToManyField(
        Membership,
        verbose_name=_("members"),
        related_name="partner_organisations",
        blank=True,
        help_text=_("Workspace members who belong to this organisation."),
    )
    shared_projects = models.ManyToManyField(
        Project,
        verbose_name=_("shared projects"),
        related_name="partner_organisations",
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        base_manager_name = "unscoped_objects"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="partner_org_name_unique"),
            models.CheckConstraint(
                condition=models.Q(kind__in=PartnerKind.values), name="partner_org_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=PartnerRole.values), name="partner_org_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ContactPerson(WorkspaceOwned):
    """Someone to talk to at a partner organisation; linked to their membership if they have an
    account in the workspace."""

    organisation = models.ForeignKey(
        PartnerOrganisation, on_delete=models.CASCADE, related_name="contacts"
    )
    full_name = models.CharField(_("name"), max_length=150)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    membership = models.ForeignKey(
        Membership,
        verbose_name=_("account in the workspace"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_cards",
    )

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact people")
        base_manager_name = "unscoped_objects"
        ordering = ["full_name", "id"]

    def __str__(self) -> str:
        return self.full_name


# --- Governance bodies, meetings, decisions ------------------------------------------------------


class BodyKind(models.TextChoices):
    STEERING = "steering", _("Steering committee")
    TECHNICAL = "technical", _("Technical committee")
    WORKING_GROUP = "working_group", _("Working group")
    OTHER = "other", _("Other body")


class GovernanceBody(WorkspaceOwned):
    """A body that steers or runs the project: steering committee, technical committee..."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="bodies")
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=16, choices=BodyKind.choices)
    mandate = models.TextField(
        _("mandate"), blank=True, help_text=_("What it decides or prepares.")
    )
    members = models.ManyToManyField(
        Membership, verbose_name=_("members"), blank=True, related_name="+"
    )
    organisations = models.ManyToManyField(
        PartnerOrganisation,
        verbose_name=_("organisations represented"),
        blank=True,
        related_name="bodies",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("governance body")
        verbose_name_plural = _("governance bodies")
        base_manager_name = "unscoped_objects"
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=BodyKind.values), name="body_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Meeting(WorkspaceOwned):
    """A meeting of a body: its agenda, who attended, the minutes (Markdown, sanitised)."""

    body = models.ForeignKey(GovernanceBody, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=150, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    attendees = models.ManyToManyField(
        Membership, verbose_name=_("attendees"), blank=True, related_name="+"
    )
    other_attendees = models.TextField(
        _("other attendees"), blank=True, help_text=_("People without an account, one a line.")
    )
    minutes = models.TextField(_("minutes"), blank=True, help_text=_("Markdown."))
    minutes_html = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        base_manager_name = "unscoped_objects"
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title or str(self.body)


class DecisionStatus(models.TextChoices):
    OPEN = "open", _("To do")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class Decision(WorkspaceOwned):
    """A decision taken in a meeting, followed in the project's decisions register."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"))
    owner = models.ForeignKey(
        Membership,
        verbose_name=_("person in charge"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=DecisionStatus.choices, default=DecisionStatus.OPEN
    )
    # The plan lives in higher apps (tracer, mix): linked by name, never imported here.
    objectives = models.ManyToManyField(
        "tracer.Objective", verbose_name=_("objectives"), blank=True, related_name="decisions"
    )
    actions = models.ManyToManyField(
        "mix.Action", verbose_name=_("actions"), blank=True, related_name="decisions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        base_manager_name = "unscoped_objects"
        ordering = ["-meeting__held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=DecisionStatus.values), name="decision_status_valid"
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]


# --- The 10-step method tracker ------------------------------------------------------------------


class StepStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class StepProgress(WorkspaceOwned):
    """Where a project stands on one step of the method (no row yet: not started)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="method_progress")
    step = models.ForeignKey(MethodStep, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=12, choices=StepStatus.choices, default=StepStatus.NOT_STARTED
    )
    owner = models.ForeignKey(
        Membership,
        verbose_name=_("person in charge"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("method step progress")
        verbose_name_plural = _("method step progress")
        base_manager_name = "unscoped_objects"
        constraints = [
            models.UniqueConstraint(fields=["project", "step"], name="step_progress_unique"),
            models.CheckConstraint(
                condition=models.Q(status__in=StepStatus.values), name="step_progress_status_valid"
            ),
        ]


class DeliverableKind(models.TextChoices):
    NOTE = "note", _("Note")
    LINK = "link", _("Link")
    FILE = "file", _("File")


class Deliverable(WorkspaceOwned):
    """What a step produced: a note, a link or an uploaded file (served to members only)."""

    progress = models.ForeignKey(
        StepProgress, on_delete=models.CASCADE, related_name="deliverables"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=DeliverableKind.choices)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("note"), blank=True)
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(_("file"), upload_to=UploadPath("deliverables"), blank=True)
    file_name = models.CharField(max_length=200, blank=True, editable=False)
    file_size = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        base_manager_name = "unscoped_objects"
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=DeliverableKind.values), name="deliverable_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return self.title


# --- The 7 elements maturity assessment ---------------------------------------------------------

MATURITY_MAX = 4


class MaturityAssessment(WorkspaceOwned):
    """How well the project masters the 7 elements, once per cycle."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="assessments")
    cycle = models.OneToOneField(
        "territories.Cycle", on_delete=models.CASCADE, related_name="assessment"
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("maturity assessment")
        verbose_name_plural = _("maturity assessments")
        base_manager_name = "unscoped_objects"


class MaturityScore(WorkspaceOwned):
    """The 0-4 score of one element or one organisation sub-component, with its reasons."""

    assessment = models.ForeignKey(
        MaturityAssessment, on_delete=models.CASCADE, related_name="scores"
    )
    element = models.ForeignKey(
        Element, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    component = models.ForeignKey(
        ElementComponent, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    score = models.PositiveSmallIntegerField(_("score"))
    justification = models.TextField(_("justification"), blank=True)
    evidence = models.TextField(_("evidence links"), blank=True, help_text=_("One link a line."))

    class Meta:
        verbose_name = _("maturity score")
        verbose_name_plural = _("maturity scores")
        base_manager_name = "unscoped_objects"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__lte=MATURITY_MAX), name="maturity_score_range"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(element__isnull=False, component__isnull=True)
                    | models.Q(element__isnull=True, component__isnull=False)
                ),
                name="maturity_score_one_target",
            ),
            models.UniqueConstraint(
                fields=["assessment", "element"], name="maturity_score_element_unique"
            ),
            models.UniqueConstraint(
                fields=["assessment", "component"], name="maturity_score_component_unique"
            ),
        ]

    @property
    def evidence_links(self) -> list[str]:
        return [line.strip() for line in self.evidence.splitlines() if line.strip()]


# --- Pooled means and local ownership: records of a cycle ----------------------------------------


class CycleRecord(WorkspaceOwned):
    """Something recorded in one cycle of a project: read-only once the cycle is closed."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    cycle = models.ForeignKey("territories.Cycle", on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True
        base_manager_name = "unscoped_objects"


class Contribution(CycleRecord):
    """What a partner puts into the project in a cycle: money and days of work (in kind)."""

    partner = models.ForeignKey(
        PartnerOrganisation,
        verbose_name=_("partner organisation"),
        on_delete=models.PROTECT,
        related_name="contributions",
    )
    amount = models.DecimalField(_("money (€)"), max_digits=12, decimal_places=2, default=0)
    days = models.DecimalField(_("in-kind days"), max_digits=7, decimal_places=1, default=0)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta(CycleRecord.Meta):
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "partner"],
                name="contribution_partner_unique",
                violation_error_message=_("This partner already has a contribution in this cycle."),
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0) & models.Q(days__gte=0),
                name="contribution_not_negative",
                violation_error_message=_("Contributions cannot be negative."),
            ),
        ]


class OwnershipKind(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation")
    PUBLIC_MEETING = "public_meeting", _("Public meeting")
    WORKSHOP = "workshop", _("Workshop")
    CAMPAIGN = "campaign", _("Communication campaign to residents")
    SURVEY = "survey", _("Survey")
    OTHER = "other", _("Other")


class OwnershipEvent(CycleRecord):
    """An event that involves local actors and residents in the project (local ownership)."""

    kind = models.CharField(_("kind"), max_length=16, choices=OwnershipKind.choices)
    held_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    audience = models.CharField(
        _("audience"), max_length=200, blank=True, help_text=_("E.g. residents of the old town.")
    )
    participants = models.PositiveIntegerField(_("participants"), default=0)
    outcomes = models.TextField(_("what came out"), blank=True)

    class Meta(CycleRecord.Meta):
        verbose_name = _("local ownership event")
        verbose_name_plural = _("local ownership events")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=OwnershipKind.values), name="ownership_kind_valid"
            )
        ]


# --- Brand platform (optional per project) -------------------------------------------------------


class BrandPlatform(WorkspaceOwned):
    """The shared territorial brand of a project, when it has one."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="brand")
    name = models.CharField(_("brand name"), max_length=150)
    promise = models.TextField(_("promise"), blank=True)
    values = models.TextField(_("values"), blank=True, help_text=_("One a line."))
    personality = models.TextField(_("personality"), blank=True)
    audiences = models.ManyToManyField(
        "territories.Audience", verbose_name=_("target audiences"), blank=True, related_name="+"
    )
    proof_points = models.TextField(
        _("proof points"), blank=True, help_text=_("Facts that make the promise credible.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("brand platform")
        verbose_name_plural = _("brand platforms")
        base_manager_name = "unscoped_objects"

    def __str__(self) -> str:
        return self.name


class BrandLicensee(WorkspaceOwned):
    """A partner allowed to use the brand mark, since a date."""

    platform = models.ForeignKey(BrandPlatform, on_delete=models.CASCADE, related_name="licensees")
    partner = models.ForeignKey(
        PartnerOrganisation,
        verbose_name=_("partner organisation"),
        on_delete=models.PROTECT,
        related_name="brand_licences",
    )
    since = models.DateField(_("may use the mark since"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("brand licensee")
        verbose_name_plural = _("brand licensees")
        base_manager_name = "unscoped_objects"
        ordering = ["since", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "partner"],
                name="brand_licensee_unique",
                violation_error_message=_("This partner already uses the brand mark."),
            )
        ]


class AmbassadorKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class Ambassador(WorkspaceOwned):
    """Someone (a person or an organisation) who speaks for the territory."""

    platform = models.ForeignKey(
        BrandPlatform, on_delete=models.CASCADE, related_name="ambassadors"
    )
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(
        _("kind"), max_length=12, choices=AmbassadorKind.choices, default=AmbassadorKind.PERSON
    )
    segment = models.CharField(
        _("segment"), max_length=120, blank=True, help_text=_("E.g. business leaders, diaspora.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    joined_on = models.DateField(_("joined on"))

    class Meta:
        verbose_name = _("ambassador")
        verbose_name_plural = _("ambassadors")
        base_manager_name = "unscoped_objects"
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=AmbassadorKind.values), name="ambassador_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return self.name


# --- New actors (element 7), proposed at the cycle review -----------------------------------------


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONTACTED = "contacted", _("Contacted")
    INVITED = "invited", _("Invited")
    DECLINED = "declined", _("Declined")


class ActorProposal(CycleRecord):
    """An organisation or a person to bring into the project, proposed when reviewing a cycle and
    followed until invited (the tracking goes on after the cycle is closed)."""

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(
        _("kind"), max_length=24, choices=PartnerKind.choices, default=PartnerKind.OTHER
    )
    reason = models.TextField(_("why involve them"), blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )

    class Meta(CycleRecord.Meta):
        verbose_name = _("new actor proposal")
        verbose_name_plural = _("new actor proposals")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ProposalStatus.values),
                name="actor_proposal_status_valid",
            )
        ]

    def __str__(self) -> str:
        return self.name
