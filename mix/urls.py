from django.urls import path

from mix import views

# Included under /w/<slug:workspace_slug>/
urlpatterns = [
    path("projects/<uuid:project_uuid>/plan/", views.plan_board, name="plan_board"),
    path("projects/<uuid:project_uuid>/plan/table/", views.plan_table, name="plan_table"),
    path(
        "projects/<uuid:project_uuid>/plan/table/export/<slug:fmt>/",
        views.plan_export,
        name="plan_export",
    ),
    path("projects/<uuid:project_uuid>/plan/matrix/", views.plan_matrix, name="plan_matrix"),
    path("projects/<uuid:project_uuid>/plan/timeline/", views.plan_timeline, name="plan_timeline"),
    path("projects/<uuid:project_uuid>/plan/changes/", views.plan_changes, name="plan_changes"),
    path("projects/<uuid:project_uuid>/plan/activity/", views.plan_activity, name="plan_activity"),
    path(
        "projects/<uuid:project_uuid>/plan/objectives/new/",
        views.objective_create,
        name="objective_create",
    ),
    path(
        "projects/<uuid:project_uuid>/plan/actions/new/", views.action_create, name="action_create"
    ),
    path("objectives/<uuid:objective_uuid>/", views.objective_detail, name="objective_detail"),
    path(
        "objectives/<uuid:objective_uuid>/fields/<slug:name>/",
        views.objective_field,
        name="objective_field",
    ),
    path(
        "objectives/<uuid:objective_uuid>/delete/", views.objective_delete, name="objective_delete"
    ),
    path("actions/<uuid:action_uuid>/", views.action_detail, name="action_detail"),
    path("actions/<uuid:action_uuid>/fields/<slug:name>/", views.action_field, name="action_field"),
    path("actions/<uuid:action_uuid>/delete/", views.action_delete, name="action_delete"),
    path(
        "presence/<str:kind>/<uuid:item_uuid>/",
        views.presence,
        name="presence",
    ),
]
