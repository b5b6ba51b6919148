from django.urls import path

from territories import views

# Included under /w/<slug:workspace_slug>/
urlpatterns = [
    path("", views.workspace_home, name="workspace_home"),
    path("territories/", views.territory_list, name="territory_list"),
    path("territories/new/", views.territory_create, name="territory_create"),
    path("territories/<uuid:territory_uuid>/", views.territory_detail, name="territory_detail"),
    path("territories/<uuid:territory_uuid>/edit/", views.territory_edit, name="territory_edit"),
    path(
        "territories/<uuid:territory_uuid>/archive/",
        views.territory_archive,
        name="territory_archive",
    ),
    path("projects/", views.project_list, name="project_list"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<uuid:project_uuid>/", views.project_detail, name="project_detail"),
    path("projects/<uuid:project_uuid>/edit/", views.project_edit, name="project_edit"),
    path("projects/<uuid:project_uuid>/archive/", views.project_archive, name="project_archive"),
]
