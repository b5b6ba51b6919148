"""URL wiring. Workspace pages live under /w/<workspace_slug>/, the API under /api/v1/."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language

from config.api import api_urlpatterns
from core.urls import account_urlpatterns, workspace_urlpatterns
from evaluation.views import frameworks

reference_api = [
    path("", include("tracer.api.urls")),
    path("", include("mix.api.urls")),
    path("", include("governance.api.urls")),
    path("", include("territories.api.urls")),
    path("", include("evaluation.api.urls")),
]

urlpatterns = [
    path("", include("core.urls")),
    path("accounts/", include(account_urlpatterns)),
    path("frameworks/", frameworks, name="frameworks"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("w/<slug:workspace_slug>/", include(workspace_urlpatterns)),
    path("w/<slug:workspace_slug>/", include("territories.urls")),
    path("w/<slug:workspace_slug>/", include("mix.urls")),
    path("w/<slug:workspace_slug>/", include("governance.urls")),
    path("w/<slug:workspace_slug>/", include("evaluation.urls")),
    path("api/v1/reference/", include(reference_api)),
    path("api/v1/", include((api_urlpatterns, "api"))),
    path("admin/", admin.site.urls),
]

handler404 = "core.views.not_found"
handler500 = "core.views.server_error"
