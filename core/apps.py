from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CoreConfig(AppConfig):
    """The shared kernel below governance, documents and meetings: audit, forms and errors, PDF, the published-file
    store, history rendering, collation, widgets and text. It has no models and imports none of the apps."""

    name = "core"
    verbose_name = "Gemensam kärna"

    def ready(self):
        from .collation import register_sqlite_collation

        connection_created.connect(register_sqlite_collation)
