from django.urls import path

from governance import views

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
