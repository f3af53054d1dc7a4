from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Styrning"

    def ready(self):
        # Registers governance's actions and its panels on other pages.
        from . import backlog_panels, backlog_rules, case_rules, case_waiting, rules, waiting  # noqa: F401
