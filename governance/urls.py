from django.urls import path

from governance import views, views_bodies, views_brand, views_maturity, views_method
from governance.views_records import MEANS, NEW_ACTORS, OWNERSHIP, register_urls

# Included under /w/<slug:workspace_slug>/
urlpatterns = [
    path("partners/", views.partner_list, name="partner_list"),
    path("partners/new/", views.partner_create, name="partner_create"),
    path("partners/<uuid:partner_uuid>/", views.partner_detail, name="partner_detail"),
    path("partners/<uuid:partner_uuid>/logo/", views.partner_logo, name="partner_logo"),
    path("partners/<uuid:partner_uuid>/edit/", views.partner_edit, name="partner_edit"),
    path("partners/<uuid:partner_uuid>/contacts/new/", views.contact_create, name="contact_create"),
    path("contacts/<uuid:contact_uuid>/edit/", views.contact_edit, name="contact_edit"),
    path("contacts/<uuid:contact_uuid>/delete/", views.contact_delete, name="contact_delete"),
    path("partners/<uuid:partner_uuid>/delete/", views.partner_delete, name="partner_delete"),
    path("projects/<uuid:project_uuid>/sharing/", views.project_sharing, name="project_sharing"),
]

urlpatterns += [
    path("projects/<uuid:project_uuid>/bodies/", views_bodies.body_list, name="body_list"),
    path("projects/<uuid:project_uuid>/bodies/new/", views_bodies.body_create, name="body_create"),
    path("bodies/<uuid:body_uuid>/", views_bodies.body_detail, name="body_detail"),
    path("bodies/<uuid:body_uuid>/edit/", views_bodies.body_edit, name="body_edit"),
    path("bodies/<uuid:body_uuid>/delete/", views_bodies.body_delete, name="body_delete"),
    path(
        "bodies/<uuid:body_uuid>/meetings/new/", views_bodies.meeting_create, name="meeting_create"
    ),
    path("meetings/<uuid:meeting_uuid>/", views_bodies.meeting_detail, name="meeting_detail"),
    path("meetings/<uuid:meeting_uuid>/edit/", views_bodies.meeting_edit, name="meeting_edit"),
    path(
        "meetings/<uuid:meeting_uuid>/delete/", views_bodies.meeting_delete, name="meeting_delete"
    ),
    path(
        "meetings/<uuid:meeting_uuid>/decisions/new/",
        views_bodies.decision_create,
        name="decision_create",
    ),
    path("decisions/<uuid:decision_uuid>/edit/", views_bodies.decision_edit, name="decision_edit"),
    path(
        "decisions/<uuid:decision_uuid>/delete/",
        views_bodies.decision_delete,
        name="decision_delete",
    ),
    path(
        "projects/<uuid:project_uuid>/decisions/", views_bodies.decision_list, name="decision_list"
    ),
]

urlpatterns += [
    path(
        "projects/<uuid:project_uuid>/method/", views_method.method_tracker, name="method_tracker"
    ),
    path(
        "projects/<uuid:project_uuid>/method/<int:step_number>/",
        views_method.method_step,
        name="method_step",
    ),
    path(
        "projects/<uuid:project_uuid>/method/<int:step_number>/deliverables/",
        views_method.deliverable_create,
        name="deliverable_create",
    ),
    path(
        "deliverables/<uuid:deliverable_uuid>/file/",
        views_method.deliverable_file,
        name="deliverable_file",
    ),
    path(
        "deliverables/<uuid:deliverable_uuid>/delete/",
        views_method.deliverable_delete,
        name="deliverable_delete",
    ),
]

urlpatterns += [
    path("projects/<uuid:project_uuid>/maturity/", views_maturity.maturity, name="maturity"),
    path(
        "projects/<uuid:project_uuid>/maturity/edit/",
        views_maturity.maturity_edit,
        name="maturity_edit",
    ),
]

urlpatterns += (
    register_urls(MEANS, "means")
    + register_urls(OWNERSHIP, "ownership")
    + register_urls(NEW_ACTORS, "new-actors")
)

urlpatterns += [
    path("projects/<uuid:project_uuid>/brand/", views_brand.brand, name="brand"),
    path("projects/<uuid:project_uuid>/brand/edit/", views_brand.brand_edit, name="brand_edit"),
    path(
        "projects/<uuid:project_uuid>/brand/licensees/new/",
        views_brand.licensee_create,
        name="licensee_create",
    ),
    path("licensees/<uuid:item_uuid>/edit/", views_brand.licensee_edit, name="licensee_edit"),
    path("licensees/<uuid:item_uuid>/delete/", views_brand.licensee_delete, name="licensee_delete"),
    path(
        "projects/<uuid:project_uuid>/brand/ambassadors/",
        views_brand.ambassador_list,
        name="ambassador_list",
    ),
    path(
        "projects/<uuid:project_uuid>/brand/ambassadors/new/",
        views_brand.ambassador_create,
        name="ambassador_create",
    ),
    path("ambassadors/<uuid:item_uuid>/edit/", views_brand.ambassador_edit, name="ambassador_edit"),
    path(
        "ambassadors/<uuid:item_uuid>/delete/",
        views_brand.ambassador_delete,
        name="ambassador_delete",
    ),
]
