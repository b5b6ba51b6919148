from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TracerConfig(AppConfig):
    name = "tracer"
    verbose_name = _("TRACER")
