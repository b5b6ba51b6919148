from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Governance and method")

    def ready(self) -> None:
        # The plan's timeline (in mix, a lower layer) draws the meetings, the decisions' due
        # dates and the cycle's dates: governance hands it the reader.
        from governance.selectors import timeline_milestones
        from mix.selectors import register_milestone_source

        register_milestone_source(timeline_milestones)
