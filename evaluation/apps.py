from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self) -> None:
        from evaluation import services
        from territories import revisions

        # Every change of a project's revisions (its plan, its evaluation, what the workspace's
        # dashboard shows of it) recomputes its dashboards: the one rule, for pages and API.
        revisions.on_change(services.schedule_dashboards)
