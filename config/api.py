"""The REST API's addresses: /api/v1/me/, /api/v1/w/<workspace>/..., the schema and its docs."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from core.api_docs import ApiDocsView
from core.api_views import MemberViewSet, MeView
from core.restapi import WorkspaceRootViewSet
from evaluation.api.cycles import CycleCloseViewSet
from evaluation.api.views import (
    DashboardSnapshotViewSet,
    IndicatorViewSet,
    LessonViewSet,
    MeasurementViewSet,
)
from governance.api.views import (
    ActorProposalViewSet,
    AmbassadorViewSet,
    BrandLicenseeViewSet,
    BrandPlatformViewSet,
    ContactPersonViewSet,
    ContributionViewSet,
    DecisionViewSet,
    DeliverableViewSet,
    GovernanceBodyViewSet,
    MaturityAssessmentViewSet,
    MaturityScoreViewSet,
    MeetingViewSet,
    OwnershipEventViewSet,
    PartnerOrganisationViewSet,
    StepProgressViewSet,
)
from mix.api.views import ActionViewSet, CommentViewSet
from territories.api.views import CycleViewSet, ProjectViewSet, TerritoryViewSet
from tracer.api.views import ObjectiveViewSet

router = SimpleRouter(use_regex_path=False)
router.register("territories", TerritoryViewSet, basename="territory")
router.register("projects", ProjectViewSet, basename="project")
router.register("cycles", CycleViewSet, basename="cycle")
router.register(
    "partner-organisations", PartnerOrganisationViewSet, basename="partner-organisation"
)
router.register("objectives", ObjectiveViewSet, basename="objective")
router.register("actions", ActionViewSet, basename="action")
router.register("comments", CommentViewSet, basename="comment")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("measurements", MeasurementViewSet, basename="measurement")
router.register("dashboard-snapshots", DashboardSnapshotViewSet, basename="dashboard-snapshot")
router.register("lessons", LessonViewSet, basename="lesson")
router.register("members", MemberViewSet, basename="member")
# Governance and the method (issue 6).
router.register("contact-people", ContactPersonViewSet, basename="contact-person")
router.register("governance-bodies", GovernanceBodyViewSet, basename="governance-body")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("decisions", DecisionViewSet, basename="decision")
router.register("step-progress", StepProgressViewSet, basename="step-progress")
router.register("deliverables", DeliverableViewSet, basename="deliverable")
router.register("maturity-assessments", MaturityAssessmentViewSet, basename="maturity-assessment")
router.register("maturity-scores", MaturityScoreViewSet, basename="maturity-score")
router.register("contributions", ContributionViewSet, basename="contribution")
router.register("ownership-events", OwnershipEventViewSet, basename="ownership-event")
router.register("actor-proposals", ActorProposalViewSet, basename="actor-proposal")
router.register("brand-platforms", BrandPlatformViewSet, basename="brand-platform")
router.register("brand-licensees", BrandLicenseeViewSet, basename="brand-licensee")
router.register("ambassadors", AmbassadorViewSet, basename="ambassador")

WorkspaceRootViewSet.routes = [(prefix, basename) for prefix, _, basename in router.registry]

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("me/", MeView.as_view(), name="me"),
    path(
        "w/<slug:workspace_slug>/",
        WorkspaceRootViewSet.as_view({"get": "list"}),
        name="api-root",
    ),
    path(
        "w/<slug:workspace_slug>/cycles/<uuid:uuid>/close/",
        CycleCloseViewSet.as_view({"post": "close"}),
        name="cycle-close",
    ),
    path("w/<slug:workspace_slug>/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", ApiDocsView.as_view(url_name="api:schema"), name="docs"),
]
