from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MixConfig(AppConfig):
    name = "mix"
    verbose_name = _("Marketing mix")
