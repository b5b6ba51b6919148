from django.urls import path

from governance import views

# Included under /w/<slug:workspace_slug>/
urlpatterns = [
    path("partners/", views.partner_list, name="partner_list"),
    path("partners/new/", views.partner_create, name="partner_create"),
    path("partners/<uuid:partner_uuid>/edit/", views.partner_edit, name="partner_edit"),
    path("partners/<uuid:partner_uuid>/delete/", views.partner_delete, name="partner_delete"),
    path("projects/<uuid:project_uuid>/sharing/", views.project_sharing, name="project_sharing"),
]
