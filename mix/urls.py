from django.urls import path

from mix import views, views_comments, views_library

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
    path(
        "projects/<uuid:project_uuid>/plan/matrix/cell/",
        views.plan_matrix_cell,
        name="plan_matrix_cell",
    ),
    path("projects/<uuid:project_uuid>/plan/timeline/", views.plan_timeline, name="plan_timeline"),
    path("projects/<uuid:project_uuid>/plan/changes/", views.plan_changes, name="plan_changes"),
    path("projects/<uuid:project_uuid>/plan/activity/", views.plan_activity, name="plan_activity"),
    path(
        "projects/<uuid:project_uuid>/plan/library/",
        views_library.plan_library,
        name="plan_library",
    ),
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
    # Comments (mix/views_comments.py).
    path(
        "actions/<uuid:action_uuid>/comments/",
        views_comments.comment_create_action,
        name="comment_create_action",
    ),
    path(
        "objectives/<uuid:objective_uuid>/comments/",
        views_comments.comment_create_objective,
        name="comment_create_objective",
    ),
    path("comments/<uuid:comment_uuid>/edit/", views_comments.comment_edit, name="comment_edit"),
    path(
        "comments/<uuid:comment_uuid>/delete/",
        views_comments.comment_delete,
        name="comment_delete",
    ),
    path(
        "comments/<uuid:comment_uuid>/resolve/",
        views_comments.comment_resolve,
        name="comment_resolve",
    ),
    path("members/search/", views_comments.member_search, name="member_search"),
]
