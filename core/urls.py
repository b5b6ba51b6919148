from django.contrib.auth import views as auth_views
from django.urls import path

from core import views, views_audit, views_tokens, views_webhooks
from core.forms import LoginForm

# Account pages (Django's own views, with our templates).
account_urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", views.signup, name="signup"),
    path("password-change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password-change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

# Included under /w/<slug:workspace_slug>/
workspace_urlpatterns = [
    path("members/", views.members, name="members"),
    path("members/<uuid:member_uuid>/role/", views.member_role, name="member_role"),
    path("members/<uuid:member_uuid>/remove/", views.member_remove, name="member_remove"),
    path(
        "invitations/<uuid:invitation_uuid>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("settings/", views.workspace_settings, name="workspace_settings"),
    path("settings/tokens/", views_tokens.api_tokens, name="api_tokens"),
    path(
        "settings/tokens/<uuid:token_uuid>/revoke/",
        views_tokens.api_token_revoke,
        name="api_token_revoke",
    ),
    path("settings/audit/", views_audit.audit_log, name="audit_log"),
    path("settings/audit/export.csv", views_audit.audit_log_csv, name="audit_log_csv"),
    path("settings/webhooks/", views_webhooks.webhook_list, name="webhook_list"),
    path("settings/webhooks/new/", views_webhooks.webhook_create, name="webhook_create"),
    path(
        "settings/webhooks/<uuid:endpoint_uuid>/",
        views_webhooks.webhook_detail,
        name="webhook_detail",
    ),
    path(
        "settings/webhooks/<uuid:endpoint_uuid>/edit/",
        views_webhooks.webhook_edit,
        name="webhook_edit",
    ),
    path(
        "settings/webhooks/<uuid:endpoint_uuid>/delete/",
        views_webhooks.webhook_delete,
        name="webhook_delete",
    ),
    path(
        "settings/webhooks/<uuid:endpoint_uuid>/rotate-secret/",
        views_webhooks.webhook_rotate_secret,
        name="webhook_rotate_secret",
    ),
    path(
        "settings/webhooks/<uuid:endpoint_uuid>/test/",
        views_webhooks.webhook_test,
        name="webhook_test",
    ),
    path(
        "settings/webhooks/<uuid:endpoint_uuid>/deliveries/<uuid:delivery_uuid>/replay/",
        views_webhooks.webhook_replay,
        name="webhook_replay",
    ),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/bell/", views.notification_bell, name="notification_bell"),
    path("notifications/read/", views.notification_read_all, name="notification_read_all"),
    path(
        "notifications/<uuid:notification_uuid>/read/",
        views.notification_read,
        name="notification_read",
    ),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("workspaces/", views.workspace_list, name="workspace_list"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("healthz", views.healthz, name="healthz"),
]
