from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Styrning"

    def ready(self):
        from . import backlog_panels, backlog_rules, case_rules, rules, waiting  # noqa: F401  (registers governance's actions and its start-page panel)
