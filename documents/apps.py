from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Dokument"

    def ready(self):
        from . import (
            governing,
            governing_rules,  # noqa: F401  (registers governing documents' actions)
            rules,  # noqa: F401  (registers documents' actions with the dispatcher)
            waiting,  # noqa: F401  (registers the start page's review-round panel)
        )

        governing.connect()  # a revision is decided through its case
