from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Styrning"

    def ready(self):
        from . import permissions  # noqa: F401  (registers governance's actions with the dispatcher)
