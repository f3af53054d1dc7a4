from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Möten"

    def ready(self):
        from . import (
            rules,  # noqa: F401  (registers meetings' actions with the dispatcher)
            waiting,  # noqa: F401  (registers meetings' panels on the start page and the body page)
        )
