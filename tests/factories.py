"""factory_boy factories. Workspace-owned objects are created through the unscoped manager."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.core.files.base import ContentFile

from core.markup import render_markdown
from core.models import Invitation, Membership, Notification, User, Workspace
from core.roles import Role
from evaluation.models import Indicator, Lesson, Measurement
from governance.models import (
    ActorProposal,
    Ambassador,
    BrandLicensee,
    BrandPlatform,
    ContactPerson,
    Contribution,
    Decision,
    Deliverable,
    Element,
    GovernanceBody,
    MaturityAssessment,
    MaturityScore,
    Meeting,
    MethodStep,
    OwnershipEvent,
    PartnerOrganisation,
    StepProgress,
)
from mix.models import Action, Comment, MixFamily
from territories.models import Cycle, Project, Territory, TerritoryKind
from tracer.models import Objective, TracerStage


class UnscopedFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _get_manager(cls, model_class: Any) -> Any:
        return model_class.unscoped_objects


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @factory.post_generation
    def _save(obj, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.save()


class WorkspaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workspace

    name = factory.Sequence(lambda n: f"Workspace {n}")
    slug = factory.Sequence(lambda n: f"workspace-{n}")


class MembershipFactory(UnscopedFactory):
    class Meta:
        model = Membership

    workspace = factory.SubFactory(WorkspaceFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.EDITOR


class InvitationFactory(UnscopedFactory):
    class Meta:
        model = Invitation

    workspace = factory.SubFactory(WorkspaceFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = Role.EDITOR
    token = factory.Sequence(lambda n: f"token-{n:040d}")


class TerritoryFactory(UnscopedFactory):
    class Meta:
        model = Territory

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"Territory {n}")
    kind = TerritoryKind.CITY
    description = "A territory of the test suite."


class ProjectFactory(UnscopedFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    workspace = factory.SubFactory(WorkspaceFactory)
    territory = factory.SubFactory(TerritoryFactory, workspace=factory.SelfAttribute("..workspace"))
    name = factory.Sequence(lambda n: f"Project {n}")
    ambition = "Attract more talent."
    start_date = dt.date(2026, 1, 1)

    @factory.post_generation
    def cycle(obj, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            Cycle.unscoped_objects.get_or_create(
                workspace=obj.workspace,
                project=obj,
                number=1,
                defaults={"started_on": obj.start_date},
            )


class ObjectiveFactory(UnscopedFactory):
    class Meta:
        model = Objective

    workspace = factory.SubFactory(WorkspaceFactory)
    project = factory.SubFactory(ProjectFactory, workspace=factory.SelfAttribute("..workspace"))
    cycle = factory.LazyAttribute(lambda o: Cycle.unscoped_objects.get(project=o.project, number=1))
    stage = factory.LazyFunction(lambda: TracerStage.objects.get(code="tracer.reputation"))
    title = factory.Sequence(lambda n: f"Objective {n}")


class ActionFactory(UnscopedFactory):
    class Meta:
        model = Action

    workspace = factory.SubFactory(WorkspaceFactory)
    objective = factory.SubFactory(ObjectiveFactory, workspace=factory.SelfAttribute("..workspace"))
    project = factory.SelfAttribute("objective.project")
    family = factory.LazyFunction(lambda: MixFamily.objects.get(code="mix.promotion"))
    title = factory.Sequence(lambda n: f"Action {n}")
    status = "planned"


class PartnerOrganisationFactory(UnscopedFactory):
    class Meta:
        model = PartnerOrganisation

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"Partner organisation {n}")


# The smallest valid PNG (1x1, transparent): uploads are checked by their first bytes.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


class ContactPersonFactory(UnscopedFactory):
    class Meta:
        model = ContactPerson

    workspace = factory.SubFactory(WorkspaceFactory)
    organisation = factory.SubFactory(
        PartnerOrganisationFactory, workspace=factory.SelfAttribute("..workspace")
    )
    full_name = factory.Sequence(lambda n: f"Contact {n}")


class CommentFactory(UnscopedFactory):
    """A comment on an action (pass ``objective=...`` and ``action=None`` for an objective)."""

    class Meta:
        model = Comment

    workspace = factory.SubFactory(WorkspaceFactory)
    action = factory.SubFactory(ActionFactory, workspace=factory.SelfAttribute("..workspace"))
    objective = None
    project = factory.LazyAttribute(lambda o: (o.action or o.objective).project)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Comment {n}")
    body_html = factory.LazyAttribute(lambda o: render_markdown(o.body))


class NotificationFactory(UnscopedFactory):
    class Meta:
        model = Notification

    workspace = factory.SubFactory(WorkspaceFactory)
    recipient = factory.SubFactory(UserFactory)
    verb = "mentioned"
    text = factory.Sequence(lambda n: f"Notification {n}")
    url = "/"


class IndicatorFactory(UnscopedFactory):
    class Meta:
        model = Indicator

    workspace = factory.SubFactory(WorkspaceFactory)
    project = factory.SubFactory(ProjectFactory, workspace=factory.SelfAttribute("..workspace"))
    name = factory.Sequence(lambda n: f"Indicator {n}")
    unit = "%"
    unit_kind = "percent"
    stage = factory.LazyFunction(lambda: TracerStage.objects.get(code="tracer.reputation"))
    frequency = "quarterly"


class MeasurementFactory(UnscopedFactory):
    class Meta:
        model = Measurement

    workspace = factory.SubFactory(WorkspaceFactory)
    indicator = factory.SubFactory(IndicatorFactory, workspace=factory.SelfAttribute("..workspace"))
    period = dt.date(2025, 1, 1)
    value = 10


class LessonFactory(UnscopedFactory):
    class Meta:
        model = Lesson

    workspace = factory.SubFactory(WorkspaceFactory)
    project = factory.SubFactory(ProjectFactory, workspace=factory.SelfAttribute("..workspace"))
    cycle = factory.LazyAttribute(lambda o: Cycle.unscoped_objects.get(project=o.project, number=1))
    learned = factory.Sequence(lambda n: f"Lesson {n}")
    policy = "tourism"


class GovernanceBodyFactory(UnscopedFactory):
    class Meta:
        model = GovernanceBody

    workspace = factory.SubFactory(WorkspaceFactory)
    project = factory.SubFactory(ProjectFactory, workspace=factory.SelfAttribute("..workspace"))
    name = factory.Sequence(lambda n: f"Committee {n}")
    kind = "steering"


class MeetingFactory(UnscopedFactory):
    class Meta:
        model = Meeting

    workspace = factory.SubFactory(WorkspaceFactory)
    body = factory.SubFactory(GovernanceBodyFactory, workspace=factory.SelfAttribute("..workspace"))
    held_on = dt.date(2026, 3, 1)


class DecisionFactory(UnscopedFactory):
    class Meta:
        model = Decision

    workspace = factory.SubFactory(WorkspaceFactory)
    meeting = factory.SubFactory(MeetingFactory, workspace=factory.SelfAttribute("..workspace"))
    project = factory.SelfAttribute("meeting.body.project")
    text = factory.Sequence(lambda n: f"Decision {n}")


class StepProgressFactory(UnscopedFactory):
    class Meta:
        model = StepProgress

    workspace = factory.SubFactory(WorkspaceFactory)
    project = factory.SubFactory(ProjectFactory, workspace=factory.SelfAttribute("..workspace"))
    step = factory.LazyFunction(lambda: MethodStep.objects.get(number=1))
    status = "in_progress"


class DeliverableFactory(UnscopedFactory):
    """A PDF deliverable (its first bytes are a PDF's)."""

    class Meta:
        model = Deliverable

    workspace = factory.SubFactory(WorkspaceFactory)
    progress = factory.SubFactory(
        StepProgressFactory, workspace=factory.SelfAttribute("..workspace")
    )
    kind = "file"
    title = factory.Sequence(lambda n: f"Report {n}")
    file = factory.LazyFunction(lambda: ContentFile(b"%PDF-1.4 test", name="report.pdf"))
    file_name = "report.pdf"
    file_size = 13


def _first_cycle(project: Project) -> Cycle:
    return Cycle.unscoped_objects.get(project=project, number=1)


class CycleRecordFactory(UnscopedFactory):
    """A record of a project's cycle: pass ``cycle=`` or ``of_project=`` (its cycle 1)."""

    class Meta:
        abstract = True

    workspace = factory.SubFactory(WorkspaceFactory)
    cycle = factory.LazyAttribute(lambda o: _first_cycle(o.of_project))
    project = factory.SelfAttribute("cycle.project")

    class Params:
        of_project = factory.SubFactory(
            ProjectFactory, workspace=factory.SelfAttribute("..workspace")
        )


class ContributionFactory(CycleRecordFactory):
    class Meta:
        model = Contribution

    partner = factory.SubFactory(
        PartnerOrganisationFactory, workspace=factory.SelfAttribute("..workspace")
    )
    amount = 10000
    days = 5


class OwnershipEventFactory(CycleRecordFactory):
    class Meta:
        model = OwnershipEvent

    kind = "workshop"
    held_on = dt.date(2026, 4, 2)
    title = factory.Sequence(lambda n: f"Workshop {n}")
    participants = 30


class BrandPlatformFactory(UnscopedFactory):
    class Meta:
        model = BrandPlatform

    workspace = factory.SubFactory(WorkspaceFactory)
    project = factory.SubFactory(ProjectFactory, workspace=factory.SelfAttribute("..workspace"))
    name = factory.Sequence(lambda n: f"Brand {n}")
    promise = "Live and work by the river."


class BrandLicenseeFactory(UnscopedFactory):
    class Meta:
        model = BrandLicensee

    workspace = factory.SubFactory(WorkspaceFactory)
    platform = factory.SubFactory(
        BrandPlatformFactory, workspace=factory.SelfAttribute("..workspace")
    )
    partner = factory.SubFactory(
        PartnerOrganisationFactory, workspace=factory.SelfAttribute("..workspace")
    )
    since = dt.date(2026, 2, 1)


class AmbassadorFactory(UnscopedFactory):
    class Meta:
        model = Ambassador

    workspace = factory.SubFactory(WorkspaceFactory)
    platform = factory.SubFactory(
        BrandPlatformFactory, workspace=factory.SelfAttribute("..workspace")
    )
    name = factory.Sequence(lambda n: f"Ambassador {n}")
    joined_on = dt.date(2026, 2, 1)


class ActorProposalFactory(CycleRecordFactory):
    class Meta:
        model = ActorProposal

    name = factory.Sequence(lambda n: f"Newcomer {n}")
    kind = "company"


class MaturityAssessmentFactory(UnscopedFactory):
    """The assessment of a project's cycle: pass ``cycle=`` (default: a new project's cycle 1)."""

    class Meta:
        model = MaturityAssessment

    workspace = factory.SubFactory(WorkspaceFactory)
    cycle = factory.LazyAttribute(lambda o: _first_cycle(o.of_project))
    project = factory.SelfAttribute("cycle.project")

    class Params:
        of_project = factory.SubFactory(
            ProjectFactory, workspace=factory.SelfAttribute("..workspace")
        )


class MaturityScoreFactory(UnscopedFactory):
    """The score of the organisation element (pass ``element=`` for another)."""

    class Meta:
        model = MaturityScore

    workspace = factory.SubFactory(WorkspaceFactory)
    assessment = factory.SubFactory(
        MaturityAssessmentFactory, workspace=factory.SelfAttribute("..workspace")
    )
    element = factory.LazyFunction(lambda: Element.objects.get(code="element.organisation"))
    score = 2
    justification = "A steering committee meets."
