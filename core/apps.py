from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Accounts and workspaces")

    def ready(self) -> None:
        # Sign-in failures and lockouts go to the audit log and the security logger.
        from core import logins  # noqa: F401
