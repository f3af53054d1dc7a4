from django.apps import AppConfig
from django.db.backends.signals import connection_created


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Styrning"

    def ready(self):
        from .collation import register_sqlite_collation

        connection_created.connect(register_sqlite_collation)
