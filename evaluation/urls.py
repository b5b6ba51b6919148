"""Evaluation pages, under /w/<workspace_slug>/."""

from django.urls import path

from evaluation import views_brand, views_dashboard, views_indicators, views_lessons

urlpatterns = [
    path(
        "projects/<uuid:project_uuid>/brand/record/",
        views_brand.brand_indicators_record,
        name="brand_indicators_record",
    ),
    path(
        "projects/<uuid:project_uuid>/indicators/",
        views_indicators.indicator_list,
        name="indicator_list",
    ),
    path(
        "projects/<uuid:project_uuid>/indicators/new/",
        views_indicators.indicator_create,
        name="indicator_create",
    ),
    path(
        "indicators/<uuid:indicator_uuid>/",
        views_indicators.indicator_detail,
        name="indicator_detail",
    ),
    path(
        "indicators/<uuid:indicator_uuid>/measurements/",
        views_indicators.measurement_record,
        name="measurement_record",
    ),
    path(
        "indicators/<uuid:indicator_uuid>/edit/",
        views_indicators.indicator_edit,
        name="indicator_edit",
    ),
    path(
        "indicators/<uuid:indicator_uuid>/delete/",
        views_indicators.indicator_delete,
        name="indicator_delete",
    ),
    path(
        "projects/<uuid:project_uuid>/measurements/import/",
        views_indicators.measurements_import,
        name="measurements_import",
    ),
    path(
        "projects/<uuid:project_uuid>/measurements/template.csv",
        views_indicators.measurements_template,
        name="measurements_template",
    ),
    path(
        "projects/<uuid:project_uuid>/lessons/",
        views_lessons.lesson_list,
        name="lesson_list",
    ),
    path(
        "projects/<uuid:project_uuid>/lessons/new/",
        views_lessons.lesson_create,
        name="lesson_create",
    ),
    path("lessons/<uuid:lesson_uuid>/edit/", views_lessons.lesson_edit, name="lesson_edit"),
    path(
        "lessons/<uuid:lesson_uuid>/status/",
        views_lessons.lesson_status,
        name="lesson_status",
    ),
    path(
        "lessons/<uuid:lesson_uuid>/delete/",
        views_lessons.lesson_delete,
        name="lesson_delete",
    ),
    # Dashboards (evaluation/views_dashboard.py).
    path("dashboard/", views_dashboard.workspace_dashboard, name="workspace_dashboard"),
    path(
        "dashboard/status/",
        views_dashboard.workspace_dashboard_status,
        name="workspace_dashboard_status",
    ),
    path(
        "dashboard/export/<slug:table>/<slug:fmt>/",
        views_dashboard.workspace_dashboard_export,
        name="workspace_dashboard_export",
    ),
    path(
        "projects/<uuid:project_uuid>/dashboard/",
        views_dashboard.project_dashboard,
        name="project_dashboard",
    ),
    path(
        "projects/<uuid:project_uuid>/dashboard/status/",
        views_dashboard.project_dashboard_status,
        name="project_dashboard_status",
    ),
    path(
        "projects/<uuid:project_uuid>/dashboard/export/<slug:table>/<slug:fmt>/",
        views_dashboard.project_dashboard_export,
        name="project_dashboard_export",
    ),
]
