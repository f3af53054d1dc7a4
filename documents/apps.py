from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Dokument"

    def ready(self):
        from . import (
            rules,  # noqa: F401  (registers documents' actions with the dispatcher)
            waiting,  # noqa: F401  (registers the start page's review-round panel)
        )
